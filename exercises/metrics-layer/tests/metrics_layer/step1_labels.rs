//! Step 1: `Code`, `Methods` and `RequestLabels` (src/labels.rs).

use std::collections::HashSet;
use std::sync::Arc;

use http::{Response, StatusCode};
use metrics_layer::{Code, LabelError, Methods, RequestLabels};
use proptest::prelude::*;

use crate::{STATUS, SUBMIT};

fn http_response(status: u16) -> Response<()> {
    Response::builder()
        .status(status)
        .body(())
        .expect("a valid response")
}

/// A gRPC response as tonic sends an error: HTTP 200, the gRPC content type
/// and the status in the headers ("trailers-only").
fn grpc_response(grpc_status: &str) -> Response<()> {
    Response::builder()
        .status(StatusCode::OK)
        .header("content-type", "application/grpc")
        .header("grpc-status", grpc_status)
        .body(())
        .expect("a valid response")
}

#[test]
fn a_grpc_status_header_gives_the_grpc_status_name() {
    for (status, name) in [
        ("0", "ok"),
        ("1", "cancelled"),
        ("4", "deadline_exceeded"),
        ("5", "not_found"),
        ("14", "unavailable"),
        ("16", "unauthenticated"),
    ] {
        assert_eq!(
            Code::of_response(&grpc_response(status)).as_str(),
            name,
            "grpc-status: {status} should be labelled {name:?}"
        );
    }
}

#[test]
fn an_out_of_range_or_garbled_grpc_status_is_unknown() {
    for status in ["17", "99", "-1", "five", ""] {
        assert_eq!(
            Code::of_response(&grpc_response(status)),
            Code::UNKNOWN,
            "grpc-status: {status:?} is no gRPC status: it should be `unknown`, not a panic"
        );
    }
    assert_eq!(
        Code::grpc(17),
        Code::UNKNOWN,
        "17 is past the last gRPC code"
    );
    assert_eq!(
        Code::grpc(u32::MAX),
        Code::UNKNOWN,
        "u32::MAX is no gRPC code"
    );
}

#[test]
fn the_grpc_status_header_wins_over_the_http_status() {
    let response = Response::builder()
        .status(StatusCode::OK)
        .header("grpc-status", "14")
        .body(())
        .expect("a valid response");
    assert_eq!(
        Code::of_response(&response).as_str(),
        "unavailable",
        "a gRPC error travels in an HTTP 200: the grpc-status header decides"
    );
}

#[test]
fn a_grpc_response_without_a_status_header_is_ok() {
    for content_type in ["application/grpc", "application/grpc+proto"] {
        let response = Response::builder()
            .status(StatusCode::OK)
            .header("content-type", content_type)
            .body(())
            .expect("a valid response");
        assert_eq!(
            Code::of_response(&response),
            Code::OK,
            "a successful gRPC call sends its status in the trailers, so a {content_type} \
             response with HTTP 200 and no grpc-status header is `ok`"
        );
    }
}

#[test]
fn an_http_response_is_labelled_by_its_status_class() {
    for (status, class) in [
        (101, "1xx"),
        (200, "2xx"),
        (204, "2xx"),
        (301, "3xx"),
        (404, "4xx"),
        (429, "4xx"),
        (500, "5xx"),
        (503, "5xx"),
        (799, "unknown"),
    ] {
        assert_eq!(
            Code::of_response(&http_response(status)).as_str(),
            class,
            "HTTP {status} with no gRPC content type should be labelled {class:?}"
        );
    }
}

#[test]
fn a_grpc_content_type_with_an_http_error_is_labelled_by_the_http_status() {
    let response = Response::builder()
        .status(StatusCode::SERVICE_UNAVAILABLE)
        .header("content-type", "application/grpc")
        .body(())
        .expect("a valid response");
    assert_eq!(
        Code::of_response(&response).as_str(),
        "5xx",
        "a 503 from a proxy is not a successful gRPC call, whatever its content type"
    );
}

#[test]
fn allowed_methods_are_their_own_label_and_others_are_other() {
    let methods = Methods::new([SUBMIT, STATUS]).expect("both are paths");
    assert_eq!(
        &*methods.label(SUBMIT),
        SUBMIT,
        "an allowed path is its own label"
    );
    assert_eq!(
        &*methods.label(STATUS),
        STATUS,
        "an allowed path is its own label"
    );
    for path in ["/jobs.Jobs/Delete", "/wp-login.php", "/", ""] {
        assert_eq!(
            &*methods.label(path),
            Methods::OTHER,
            "{path:?} is not in the allow-list: it should be counted as `other`"
        );
    }
    assert_eq!(methods.cardinality(), 3, "two methods plus `other`");
}

#[test]
fn a_label_is_a_shared_string_not_a_new_allocation() {
    let methods = Methods::new([SUBMIT]).expect("a path");
    assert!(
        Arc::ptr_eq(&methods.label(SUBMIT), &methods.label(SUBMIT)),
        "labelling a request should clone the allow-list's Arc, not allocate a String"
    );
    assert!(
        Arc::ptr_eq(&methods.label("/a"), &methods.label("/b")),
        "every unknown path should share the one `other` string"
    );
}

#[test]
fn a_method_that_is_not_a_path_is_rejected() {
    let error = Methods::new([SUBMIT, "jobs.Jobs/Status"])
        .expect_err("a method without a leading slash can never match a request");
    assert_eq!(error, LabelError::NotAPath("jobs.Jobs/Status".to_owned()));
    assert_eq!(
        error.to_string(),
        "method \"jobs.Jobs/Status\" is not a path starting with '/'"
    );
}

#[test]
fn a_hundred_thousand_random_paths_make_three_method_labels() {
    let methods = Methods::new([SUBMIT, STATUS]).expect("both are paths");
    let mut seen = HashSet::new();
    for n in 0..100_000_u32 {
        // What a scanner sends: a new path every time.
        seen.insert(methods.label(&format!("/probe/{n:x}")));
    }
    seen.insert(methods.label(SUBMIT));
    seen.insert(methods.label(STATUS));
    assert_eq!(
        seen.len(),
        3,
        "unknown paths must all share one label, or an attacker chooses your cardinality"
    );
}

#[test]
fn request_labels_keep_their_method_and_code() {
    let labels = RequestLabels::new(Arc::from(SUBMIT), Code::grpc(5));
    assert_eq!(labels.method(), SUBMIT);
    assert_eq!(labels.code().as_str(), "not_found");
}

proptest! {
    #![proptest_config(crate::properties())]

    #[test]
    fn any_path_is_labelled_itself_if_allowed_and_other_if_not(
        path in prop_oneof![Just(SUBMIT.to_owned()), Just(STATUS.to_owned()), "/?\\PC{0,40}"]
    ) {
        let methods = Methods::new([SUBMIT, STATUS]).expect("both are paths");
        let label = methods.label(&path);
        let allowed = path == SUBMIT || path == STATUS;
        let expected = if allowed { path.as_str() } else { Methods::OTHER };
        prop_assert_eq!(&*label, expected);
    }

    #[test]
    fn any_grpc_status_header_is_the_code_of_its_number(status in any::<u32>()) {
        let code = Code::of_response(&grpc_response(&status.to_string()));
        prop_assert_eq!(code, Code::grpc(status));
        prop_assert_eq!(
            code == Code::UNKNOWN,
            status == 2 || status > 16,
            "only 2 (UNKNOWN itself) and numbers past 16 should be `unknown`"
        );
    }
}

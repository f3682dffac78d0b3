//! Step 3: `to_http` and `from_http` (src/http.rs), the second checked
//! against tonic's own client.

use axum::http::HeaderMap;
use http::StatusCode;
use proptest::prelude::*;
use status_codes::pb::jobs_client::JobsClient;
use status_codes::{ALL_CODES, connect_in_memory, from_http, to_http};
use tonic::Code;
use tonic::service::Routes;

use crate::job;

/// The eight statuses the HTTP-to-gRPC table names; everything else is
/// Unknown.
const NAMED: [(u16, Code); 8] = [
    (400, Code::Internal),
    (401, Code::Unauthenticated),
    (403, Code::PermissionDenied),
    (404, Code::Unimplemented),
    (429, Code::Unavailable),
    (502, Code::Unavailable),
    (503, Code::Unavailable),
    (504, Code::Unavailable),
];

/// What the tests expect `from_http` to return for `status`.
fn expected_from_http(status: u16) -> Code {
    NAMED
        .iter()
        .find(|(named, _)| *named == status)
        .map_or(Code::Unknown, |&(_, code)| code)
}

fn status(code: u16) -> StatusCode {
    StatusCode::from_u16(code).expect("a valid HTTP status")
}

#[test]
fn to_http_follows_grpc_gateway_for_all_17_codes() {
    let expected: [(Code, u16); 17] = [
        (Code::Ok, 200),
        (Code::Cancelled, 499),
        (Code::Unknown, 500),
        (Code::InvalidArgument, 400),
        (Code::DeadlineExceeded, 504),
        (Code::NotFound, 404),
        (Code::AlreadyExists, 409),
        (Code::PermissionDenied, 403),
        (Code::ResourceExhausted, 429),
        (Code::FailedPrecondition, 400),
        (Code::Aborted, 409),
        (Code::OutOfRange, 400),
        (Code::Unimplemented, 501),
        (Code::Internal, 500),
        (Code::Unavailable, 503),
        (Code::DataLoss, 500),
        (Code::Unauthenticated, 401),
    ];
    for (code, http) in expected {
        assert_eq!(
            to_http(code).as_u16(),
            http,
            "grpc-gateway answers {code:?} with HTTP {http}"
        );
    }
}

#[test]
fn a_cancelled_call_is_499_client_closed_request() {
    assert_eq!(
        to_http(Code::Cancelled).as_u16(),
        499,
        "the client left: nginx's 499, not 408 (the server was too slow)"
    );
}

#[test]
fn failed_precondition_is_400_not_412() {
    assert_eq!(
        to_http(Code::FailedPrecondition),
        StatusCode::BAD_REQUEST,
        "HTTP 412 is about conditional headers (If-Match), not the system's state"
    );
}

#[test]
fn only_ok_is_a_success_on_http() {
    for code in ALL_CODES {
        let http = to_http(code);
        assert_eq!(
            http.is_success(),
            code == Code::Ok,
            "{code:?} maps to {http}, which must be 2xx exactly when the code is Ok"
        );
        assert!(
            code == Code::Ok || http.is_client_error() || http.is_server_error(),
            "an error code maps to a 4xx or 5xx status, got {http} for {code:?}"
        );
    }
}

#[test]
fn from_http_maps_the_eight_named_statuses() {
    for (http, code) in NAMED {
        assert_eq!(
            from_http(status(http)),
            code,
            "a response with HTTP {http} and no grpc-status is {code:?}"
        );
    }
}

#[test]
fn from_http_sends_every_other_status_from_100_to_599_to_unknown() {
    for http in 100..=599 {
        assert_eq!(
            from_http(status(http)),
            expected_from_http(http),
            "HTTP {http} without grpc-status"
        );
    }
}

#[test]
fn a_200_without_grpc_status_is_unknown_not_ok() {
    assert_eq!(
        from_http(StatusCode::OK),
        Code::Unknown,
        "a real success always carries grpc-status 0; a bare 200 is a truncated answer"
    );
}

#[test]
fn the_two_tables_are_not_inverses() {
    assert_eq!(
        from_http(to_http(Code::NotFound)),
        Code::Unimplemented,
        "404 from a proxy means no such method on this host, not a missing record"
    );
    assert_eq!(
        from_http(to_http(Code::InvalidArgument)),
        Code::Internal,
        "400 from a proxy means the client library sent a malformed request"
    );
    let round_trips: Vec<Code> = ALL_CODES
        .into_iter()
        .filter(|&code| from_http(to_http(code)) == code)
        .collect();
    assert_eq!(
        round_trips,
        [
            Code::Unknown,
            Code::PermissionDenied,
            Code::Unavailable,
            Code::Unauthenticated
        ],
        "only four codes come back unchanged through both tables"
    );
}

proptest! {
    #![proptest_config(crate::properties())]

    #[test]
    fn any_status_maps_by_the_table_and_never_to_ok(http in 100u16..=999) {
        let code = from_http(status(http));
        prop_assert_ne!(code, Code::Ok, "HTTP {} without grpc-status is never Ok", http);
        prop_assert_eq!(code, expected_from_http(http), "HTTP {}", http);
    }
}

/// The header the test client sets to tell the proxy which status to send.
const ANSWER: &str = "x-answer-status";

/// A plain HTTP handler in place of the Submit method: it answers with the
/// status the request asks for, an empty body and no grpc-status, as a
/// proxy, a load balancer or a misrouted web server would.
async fn answer_like_a_proxy(headers: HeaderMap) -> StatusCode {
    headers
        .get(ANSWER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .and_then(|v| StatusCode::from_u16(v).ok())
        .unwrap_or(StatusCode::IM_A_TEAPOT)
}

#[tokio::test]
async fn tonic_s_client_infers_the_code_from_http_predicts() {
    let proxy = axum::Router::new().route(
        "/workbook.status_codes.v1.Jobs/Submit",
        axum::routing::post(answer_like_a_proxy),
    );
    let channel = connect_in_memory(Routes::from(proxy))
        .await
        .expect("the in-memory connection opens");
    let mut client = JobsClient::new(channel);
    for http in [
        200, 204, 301, 400, 401, 403, 404, 405, 409, 418, 429, 431, 500, 501, 502, 503,
        504,
    ] {
        let mut request = tonic::Request::new(job("job-1", "emails", "acme"));
        request
            .metadata_mut()
            .insert(ANSWER, http.to_string().parse().expect("ASCII digits"));
        let seen = client
            .submit(request)
            .await
            .expect_err("an answer without grpc-status is never a success")
            .code();
        assert_eq!(
            seen,
            from_http(status(http)),
            "tonic's client turned HTTP {http} into {seen:?}"
        );
    }
}

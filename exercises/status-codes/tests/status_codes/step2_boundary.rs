//! Step 2: `SubmitError::code`, `SubmitError::reason`, `From<SubmitError>
//! for Status` and the `submit` handler (src/boundary.rs).

use std::error::Error as _;
use std::io;
use std::time::Duration;

use status_codes::{ERROR_DOMAIN, SubmitError};
use tonic::{Code, Status};
use tonic_types::StatusExt;

use crate::{board, job, serve};

/// What an outage looks like from inside the server: a cause full of
/// details the client must never see.
fn outage() -> SubmitError {
    SubmitError::Unavailable(Box::new(io::Error::new(
        io::ErrorKind::ConnectionRefused,
        "connect to postgres://jobs:s3cret@10.0.3.7:5432 refused",
    )))
}

/// A bug, as the server logs it.
fn bug() -> SubmitError {
    SubmitError::Internal(Box::new(io::Error::other(
        "index out of bounds in /srv/jobs/src/board.rs:212",
    )))
}

/// One error of each kind, with the code and the reason it maps to.
fn every_error() -> Vec<(SubmitError, Code, &'static str)> {
    vec![
        (
            SubmitError::InvalidField {
                field: "payload",
                reason: "must not be empty".to_owned(),
            },
            Code::InvalidArgument,
            "INVALID_FIELD",
        ),
        (
            SubmitError::QueueNotFound {
                queue: "sms".to_owned(),
            },
            Code::NotFound,
            "QUEUE_NOT_FOUND",
        ),
        (
            SubmitError::QueuePaused {
                queue: "emails".to_owned(),
            },
            Code::FailedPrecondition,
            "QUEUE_PAUSED",
        ),
        (
            SubmitError::Duplicate {
                id: "job-1".to_owned(),
            },
            Code::AlreadyExists,
            "DUPLICATE_JOB",
        ),
        (
            SubmitError::QuotaExceeded {
                tenant: "acme".to_owned(),
                limit: 2,
                retry_after: Duration::from_secs(30),
            },
            Code::ResourceExhausted,
            "QUOTA_EXCEEDED",
        ),
        (outage(), Code::Unavailable, "STORE_UNAVAILABLE"),
        (bug(), Code::Internal, "INTERNAL"),
    ]
}

#[test]
fn each_domain_error_has_its_code() {
    for (error, code, _) in every_error() {
        assert_eq!(error.code(), code, "{error:?} should map to {code:?}");
    }
}

#[test]
fn each_domain_error_has_a_stable_reason() {
    for (error, _, reason) in every_error() {
        assert_eq!(
            error.reason(),
            reason,
            "{error:?} should carry the ErrorInfo reason {reason}"
        );
    }
}

#[test]
fn every_status_carries_error_info_in_the_service_domain() {
    for (error, code, reason) in every_error() {
        let status = Status::from(error);
        assert_eq!(status.code(), code, "the status keeps the error's code");
        let info = status
            .get_details_error_info()
            .expect("every error carries an ErrorInfo detail");
        assert_eq!(info.reason, reason, "ErrorInfo.reason is the stable reason");
        assert_eq!(
            info.domain, ERROR_DOMAIN,
            "ErrorInfo.domain names the service the reason belongs to"
        );
    }
}

#[test]
fn an_invalid_field_is_invalid_argument_with_a_bad_request_detail() {
    let status = Status::from(SubmitError::InvalidField {
        field: "payload",
        reason: "must not be empty".to_owned(),
    });
    assert_eq!(
        status.code(),
        Code::InvalidArgument,
        "a bad field is the caller's"
    );
    assert_eq!(
        status.message(),
        "field payload must not be empty",
        "the message is the error's Display: the caller may read what it sent"
    );
    let bad_request = status
        .get_details_bad_request()
        .expect("a bad field comes with a BadRequest detail");
    let violations: Vec<(&str, &str)> = bad_request
        .field_violations
        .iter()
        .map(|v| (v.field.as_str(), v.description.as_str()))
        .collect();
    assert_eq!(
        violations,
        [("payload", "must not be empty")],
        "BadRequest names the field and what is wrong with it"
    );
    let info = status.get_details_error_info().expect("an ErrorInfo too");
    assert_eq!(
        info.metadata.get("field").map(String::as_str),
        Some("payload"),
        "ErrorInfo.metadata names the field"
    );
}

#[test]
fn a_missing_queue_is_not_found_with_resource_info() {
    let status = Status::from(SubmitError::QueueNotFound {
        queue: "sms".to_owned(),
    });
    assert_eq!(status.code(), Code::NotFound, "a missing queue is NotFound");
    assert_eq!(
        status.message(),
        "queue \"sms\" does not exist",
        "the message is the error's Display: the caller named the queue itself"
    );
    let resource = status
        .get_details_resource_info()
        .expect("a missing queue comes with a ResourceInfo detail");
    assert_eq!(
        (
            resource.resource_type.as_str(),
            resource.resource_name.as_str()
        ),
        ("queue", "sms"),
        "ResourceInfo says which kind of resource, and which one"
    );
    let info = status.get_details_error_info().expect("an ErrorInfo too");
    assert_eq!(
        info.metadata.get("queue").map(String::as_str),
        Some("sms"),
        "ErrorInfo.metadata names the queue"
    );
}

#[test]
fn a_paused_queue_is_failed_precondition_with_a_precondition_failure() {
    let status = Status::from(SubmitError::QueuePaused {
        queue: "emails".to_owned(),
    });
    assert_eq!(
        status.code(),
        Code::FailedPrecondition,
        "retrying cannot help until someone resumes the queue: not Unavailable"
    );
    let failure = status
        .get_details_precondition_failure()
        .expect("a paused queue comes with a PreconditionFailure detail");
    let violation = failure.violations.first().expect("one violation");
    assert_eq!(
        (violation.r#type.as_str(), violation.subject.as_str()),
        ("QUEUE_PAUSED", "queues/emails"),
        "the violation names its type and the resource in the wrong state"
    );
    let info = status.get_details_error_info().expect("an ErrorInfo too");
    assert_eq!(
        info.metadata.get("queue").map(String::as_str),
        Some("emails"),
        "ErrorInfo.metadata names the paused queue"
    );
}

#[test]
fn a_duplicate_id_is_already_exists_naming_the_job() {
    let status = Status::from(SubmitError::Duplicate {
        id: "job-1".to_owned(),
    });
    assert_eq!(
        status.code(),
        Code::AlreadyExists,
        "a taken id is AlreadyExists"
    );
    let resource = status
        .get_details_resource_info()
        .expect("a taken id comes with a ResourceInfo detail");
    assert_eq!(
        (
            resource.resource_type.as_str(),
            resource.resource_name.as_str()
        ),
        ("job", "job-1"),
        "ResourceInfo names the job that already exists"
    );
    let info = status.get_details_error_info().expect("an ErrorInfo too");
    assert_eq!(
        info.metadata.get("id").map(String::as_str),
        Some("job-1"),
        "ErrorInfo.metadata names the taken id"
    );
}

#[test]
fn a_used_up_quota_says_how_long_to_wait() {
    let status = Status::from(SubmitError::QuotaExceeded {
        tenant: "acme".to_owned(),
        limit: 2,
        retry_after: Duration::from_secs(30),
    });
    assert_eq!(
        status.code(),
        Code::ResourceExhausted,
        "a quota is ResourceExhausted"
    );
    let retry = status
        .get_details_retry_info()
        .expect("a quota comes with a RetryInfo detail");
    assert_eq!(
        retry.retry_delay,
        Some(Duration::from_secs(30)),
        "RetryInfo tells the client how long to back off"
    );
    let info = status.get_details_error_info().expect("an ErrorInfo too");
    assert_eq!(
        (
            info.metadata.get("tenant").map(String::as_str),
            info.metadata.get("limit").map(String::as_str)
        ),
        (Some("acme"), Some("2")),
        "ErrorInfo.metadata names the tenant and its limit"
    );
}

#[test]
fn an_outage_is_unavailable_and_says_nothing_of_its_cause() {
    let status = Status::from(outage());
    assert_eq!(status.code(), Code::Unavailable, "an outage is Unavailable");
    for secret in ["postgres", "s3cret", "10.0.3.7", "5432", "refused"] {
        assert!(
            !status.message().contains(secret),
            "the message {:?} must not reveal {secret:?}",
            status.message()
        );
    }
    let cause = status
        .source()
        .expect("the cause stays on the server-side Status, for its logs");
    assert!(
        cause.to_string().contains("10.0.3.7"),
        "Status::source() is the original cause (set_source), got {cause}"
    );
}

#[test]
fn an_internal_error_says_nothing_of_its_cause() {
    let status = Status::from(bug());
    assert_eq!(status.code(), Code::Internal, "a bug is Internal");
    assert_eq!(
        status.message(),
        "internal error",
        "a bug's message is a fixed sentence"
    );
    assert!(
        status.get_details_bad_request().is_none()
            && status.get_details_retry_info().is_none(),
        "a bug offers the client nothing to act on but its ErrorInfo"
    );
    let cause = status.source().expect("the cause stays on the server side");
    assert!(
        cause.to_string().contains("board.rs:212"),
        "Status::source() is the original cause, got {cause}"
    );
}

#[tokio::test]
async fn a_valid_job_is_queued() {
    let mut client = serve(board()).await;
    let reply = client
        .submit(job("job-1", "emails", "acme"))
        .await
        .expect("a valid job on a known queue is accepted");
    assert_eq!(
        reply.into_inner().id,
        "job-1",
        "the reply echoes the job's id"
    );
}

#[tokio::test]
async fn the_client_reads_the_code_message_and_field_violations() {
    let mut client = serve(board()).await;
    let mut request = job("job-1", "emails", "acme");
    request.payload.clear();
    let status = client
        .submit(request)
        .await
        .expect_err("an empty payload is refused");
    assert_eq!(
        status.code(),
        Code::InvalidArgument,
        "the code crosses the wire"
    );
    assert_eq!(
        status.message(),
        "field payload must not be empty",
        "the message crosses the wire"
    );
    let details = status.get_error_details();
    let field = details
        .bad_request()
        .and_then(|b| b.field_violations.first())
        .map(|v| v.field.clone());
    assert_eq!(
        field.as_deref(),
        Some("payload"),
        "the BadRequest detail crosses the wire in grpc-status-details-bin"
    );
    assert_eq!(
        details.error_info().map(|i| i.reason.as_str()),
        Some("INVALID_FIELD"),
        "and so does the ErrorInfo"
    );
}

#[tokio::test]
async fn submitting_the_same_id_twice_is_already_exists() {
    let mut client = serve(board()).await;
    client
        .submit(job("job-1", "emails", "acme"))
        .await
        .expect("the first submit is accepted");
    let status = client
        .submit(job("job-1", "emails", "acme"))
        .await
        .expect_err("a second submit with the same id is refused");
    assert_eq!(
        status.code(),
        Code::AlreadyExists,
        "a retried submit whose first attempt succeeded is recognised"
    );
}

#[tokio::test]
async fn the_client_reads_how_long_to_wait_for_its_quota() {
    let mut client = serve(board()).await;
    for id in ["job-1", "job-2"] {
        client
            .submit(job(id, "emails", "acme"))
            .await
            .expect("the first two jobs fit the quota of 2");
    }
    let status = client
        .submit(job("job-3", "emails", "acme"))
        .await
        .expect_err("the third job is over quota");
    assert_eq!(status.code(), Code::ResourceExhausted, "over quota");
    assert_eq!(
        status.get_details_retry_info().and_then(|r| r.retry_delay),
        Some(Duration::from_secs(30)),
        "the RetryInfo delay crosses the wire"
    );
}

#[tokio::test]
async fn a_paused_queue_is_failed_precondition_on_the_wire() {
    let board = board();
    board.pause("emails");
    let mut client = serve(board).await;
    let status = client
        .submit(job("job-1", "emails", "acme"))
        .await
        .expect_err("a paused queue takes no jobs");
    assert_eq!(status.code(), Code::FailedPrecondition, "paused queue");
    let status = client
        .submit(job("job-1", "sms", "acme"))
        .await
        .expect_err("an unknown queue takes no jobs");
    assert_eq!(status.code(), Code::NotFound, "unknown queue");
}

#[tokio::test]
async fn no_internal_cause_reaches_the_client() {
    let board = board();
    let mut client = serve(board.clone()).await;
    for (fault, code) in [(outage(), Code::Unavailable), (bug(), Code::Internal)] {
        board.fail_next(fault);
        let status = client
            .submit(job("job-1", "emails", "acme"))
            .await
            .expect_err("the injected fault fails the submit");
        assert_eq!(status.code(), code, "the fault's code crosses the wire");
        let seen = format!("{} {:?}", status.message(), status.get_error_details());
        for secret in ["s3cret", "10.0.3.7", "/srv/jobs", "board.rs"] {
            assert!(
                !seen.contains(secret),
                "the client must not see {secret:?}, but saw: {seen}"
            );
        }
    }
}

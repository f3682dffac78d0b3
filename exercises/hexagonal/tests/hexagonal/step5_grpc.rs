//! Step 5: the gRPC adapter, over the in-memory transport, with the fake
//! queue behind the real use case.

use hexagonal::adapters::grpc::pb::jobs_client::JobsClient;
use hexagonal::adapters::grpc::pb::{SubmitRequest, SubmitResponse};
use hexagonal::adapters::grpc::{GrpcJobs, invalid_argument, to_status};
use hexagonal::adapters::memory::{Failure, MemoryQueue};
use hexagonal::domain::{InvalidJob, QueueError, SubmitError};
use hexagonal::in_memory;
use tonic::Code;
use tonic::transport::Channel;

use crate::fake_service;

/// A client of the gRPC adapter, and the fake queue behind it.
async fn client() -> (JobsClient<Channel>, MemoryQueue) {
    let (service, queue, _) = fake_service();
    let server = GrpcJobs::new(service).into_server();
    let client = in_memory::connect(server)
        .await
        .expect("the in-memory connection is set up");
    (client, queue)
}

fn request(kind: &str, payload: &str, key: &str) -> SubmitRequest {
    SubmitRequest {
        kind: kind.to_owned(),
        payload: payload.to_owned(),
        idempotency_key: key.to_owned(),
    }
}

#[tokio::test]
async fn a_valid_request_is_queued_and_answered_with_its_id() {
    let (mut client, queue) = client().await;
    let response = client
        .submit(request("email.send", "to ada", "order-1"))
        .await
        .expect("a valid job is accepted")
        .into_inner();
    assert_eq!(
        response,
        SubmitResponse {
            job_id: "job-1".to_owned(),
            duplicate: false
        },
        "the answer carries the new job's id"
    );
    let jobs = queue.jobs();
    assert_eq!(jobs.len(), 1, "the job reached the queue");
    assert_eq!(
        jobs[0].kind().as_str(),
        "email.send",
        "as the client sent it"
    );
}

#[tokio::test]
async fn a_repeated_key_is_answered_with_the_first_id_and_duplicate_set() {
    let (mut client, queue) = client().await;
    client
        .submit(request("email.send", "to ada", "order-1"))
        .await
        .expect("accepted");
    let again = client
        .submit(request("email.send", "to ada", "order-1"))
        .await
        .expect("a duplicate is not an error")
        .into_inner();
    assert_eq!(
        again,
        SubmitResponse {
            job_id: "job-1".to_owned(),
            duplicate: true
        },
        "the duplicate is answered with the first job's id"
    );
    assert_eq!(queue.jobs().len(), 1, "and queued nothing");
}

#[tokio::test]
async fn a_bad_field_is_invalid_argument_and_reaches_no_queue() {
    let (mut client, queue) = client().await;
    for (bad, field) in [
        (request("Email", "to ada", ""), "kind"),
        (request("email.send", "", ""), "payload"),
        (
            request("email.send", "to ada", "has space"),
            "idempotency_key",
        ),
    ] {
        let status = client.submit(bad).await.expect_err("bad input is refused");
        assert_eq!(
            status.code(),
            Code::InvalidArgument,
            "bad {field} should be INVALID_ARGUMENT, got {status:?}"
        );
        assert!(
            status.message().starts_with(field),
            "the message should name the field {field}: {:?}",
            status.message()
        );
    }
    assert!(queue.jobs().is_empty(), "nothing invalid reached the queue");
}

#[tokio::test]
async fn an_unavailable_queue_is_unavailable_and_tells_the_client_to_keep_the_key() {
    let (mut client, queue) = client().await;
    queue.fail_next(Failure::Unavailable);
    let status = client
        .submit(request("email.send", "to ada", "order-1"))
        .await
        .expect_err("the queue is down");
    assert_eq!(
        status.code(),
        Code::Unavailable,
        "a retryable failure should be UNAVAILABLE, the code clients retry: {status:?}"
    );
    assert!(
        status.message().contains("same idempotency key"),
        "the message should tell the client how to retry safely: {:?}",
        status.message()
    );
    let retry = client
        .submit(request("email.send", "to ada", "order-1"))
        .await
        .expect("the queue is back")
        .into_inner();
    assert!(!retry.duplicate, "the failed attempt queued nothing");
}

#[tokio::test]
async fn a_corrupt_queue_is_internal_and_its_cause_stays_on_the_server() {
    let (mut client, queue) = client().await;
    queue.fail_next(Failure::Corrupt);
    let status = client
        .submit(request("email.send", "to ada", ""))
        .await
        .expect_err("the queue is broken");
    assert_eq!(
        status.code(),
        Code::Internal,
        "not retryable: INTERNAL, got {status:?}"
    );
    assert!(
        !status.message().contains("injected")
            && !status.message().contains("queue is broken"),
        "the message must not carry the cause chain: {:?}",
        status.message()
    );
}

#[test]
fn the_status_mapping_is_a_pure_function_of_the_domain_error() {
    let unavailable =
        SubmitError::Unavailable(QueueError::unavailable("connection refused"));
    let internal = SubmitError::Internal(QueueError::corrupt("WRONGTYPE Operation"));
    assert_eq!(
        to_status(&unavailable).code(),
        Code::Unavailable,
        "retryable"
    );
    assert_eq!(to_status(&internal).code(), Code::Internal, "not retryable");
    assert!(
        !to_status(&internal).message().contains("WRONGTYPE"),
        "INTERNAL says nothing about the database: {:?}",
        to_status(&internal).message()
    );
    let invalid = invalid_argument(&InvalidJob::EmptyPayload);
    assert_eq!(invalid.code(), Code::InvalidArgument, "bad input");
    assert_eq!(
        invalid.message(),
        "payload: must not be empty",
        "the domain's message, which names the field"
    );
}

//! # Day 118 example: the status codes, their HTTP mappings, and a job
//! service's errors as a client sees them
//!
//! `cargo run -p statuses` uses the `status_codes` crate (the reference
//! solution) and prints:
//!
//! 1. the seventeen codes: number, the HTTP status a REST gateway answers
//!    with, the code a client infers back from that status, and what a
//!    client may do about it;
//! 2. what a gRPC client reports when a proxy answers with a bare HTTP
//!    status and no `grpc-status`;
//! 3. a job service's refusals, sent over an in-memory gRPC connection and
//!    printed as the client receives them: code, message and every detail.
//!
//! # Layout
//!
//! `main` only wires the runtime; each scenario is one function, and
//! `print_status` renders a `Status` the way a client reads it. Nothing is
//! timed or random, and `ErrorInfo` metadata (a `HashMap`) is sorted before
//! printing, so every run prints the same thing.

use std::collections::BTreeMap;
use std::error::Error;
use std::io;
use std::sync::Arc;

use http::StatusCode;
use status_codes::pb::SubmitRequest;
use status_codes::pb::jobs_client::JobsClient;
use status_codes::pb::jobs_server::JobsServer;
use status_codes::{
    ALL_CODES, JobBoard, JobsService, SubmitError, connect_in_memory, from_http,
    retry_class, to_http,
};
use tonic::service::Routes;
use tonic::{Code, Status};
use tonic_types::StatusExt;

fn main() -> Result<(), Box<dyn Error>> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        code_table();
        proxy_answers();
        refusals().await
    })
}

fn code_table() {
    println!("== 1. the codes: HTTP through grpc-gateway, and back through the client");
    println!(
        "{:>2}  {:<18}  {:>4}  {:<16}  retry",
        "#", "code", "http", "back from http"
    );
    for code in ALL_CODES {
        let http = to_http(code);
        println!(
            "{:>2}  {:<18}  {:>4}  {:<16}  {:?}",
            code as i32,
            format!("{code:?}"),
            http.as_u16(),
            format!("{:?}", from_http(http)),
            retry_class(code),
        );
    }
    println!();
}

fn proxy_answers() {
    println!("== 2. a proxy answers with HTTP and no grpc-status; the client reports");
    for http in [200, 400, 401, 403, 404, 429, 431, 500, 502, 503, 504] {
        let status = StatusCode::from_u16(http).expect("a valid status");
        println!("HTTP {http} -> {:?}", from_http(status));
    }
    println!();
}

async fn refusals() -> Result<(), Box<dyn Error>> {
    println!("== 3. the job service refuses; the client sees");
    let board = Arc::new(JobBoard::new(["emails", "reports"], 1));
    board.pause("reports");
    let routes = Routes::new(JobsServer::new(JobsService::new(board.clone())));
    let mut client = JobsClient::new(connect_in_memory(routes).await?);

    let accepted = client.submit(job("job-1", "emails", b"hello")).await?;
    println!(
        "submit job-1 to emails: accepted as {}",
        accepted.into_inner().id
    );

    let attempts = [
        ("an empty payload", job("job-2", "emails", b"")),
        ("to a queue that does not exist", job("job-2", "sms", b"hi")),
        ("to a paused queue", job("job-2", "reports", b"hi")),
        ("job-1 again", job("job-1", "emails", b"hello")),
        (
            "over the tenant's quota of 1",
            job("job-2", "emails", b"hi"),
        ),
    ];
    for (what, request) in attempts {
        let status = client
            .submit(request)
            .await
            .expect_err("the board refuses this job");
        print_status(what, &status);
    }

    board.fail_next(SubmitError::Internal(Box::new(io::Error::other(
        "index out of bounds in /srv/jobs/src/board.rs:212",
    ))));
    let status = client
        .submit(job("job-9", "emails", b"hi"))
        .await
        .expect_err("the injected bug fails the submit");
    print_status(
        "while the server hits a bug (its cause stays on the server)",
        &status,
    );
    Ok(())
}

/// A request for tenant `acme`.
fn job(id: &str, queue: &str, payload: &[u8]) -> SubmitRequest {
    SubmitRequest {
        id: id.to_owned(),
        queue: queue.to_owned(),
        tenant: "acme".to_owned(),
        payload: payload.to_vec(),
    }
}

/// Prints a refused call as a client reads it: the code it branches on, the
/// message for a person, and each `google.rpc` detail.
fn print_status(what: &str, status: &Status) {
    let code: Code = status.code();
    println!("submit {what}:");
    println!(
        "  code     {code:?} ({}), retry: {:?}",
        code as i32,
        retry_class(code)
    );
    println!("  message  {}", status.message());
    let details = status.get_error_details();
    if let Some(bad) = details.bad_request() {
        for v in &bad.field_violations {
            println!("  BadRequest          {}: {}", v.field, v.description);
        }
    }
    if let Some(resource) = details.resource_info() {
        println!(
            "  ResourceInfo        {} {:?}: {}",
            resource.resource_type, resource.resource_name, resource.description
        );
    }
    if let Some(failure) = details.precondition_failure() {
        for v in &failure.violations {
            println!(
                "  PreconditionFailure {} on {}: {}",
                v.r#type, v.subject, v.description
            );
        }
    }
    if let Some(retry) = details.retry_info() {
        println!("  RetryInfo           retry after {:?}", retry.retry_delay);
    }
    if let Some(info) = details.error_info() {
        // Sorted: a HashMap's order changes from run to run.
        let metadata: BTreeMap<_, _> = info.metadata.iter().collect();
        println!(
            "  ErrorInfo           {} in {} {:?}",
            info.reason, info.domain, metadata
        );
    }
}

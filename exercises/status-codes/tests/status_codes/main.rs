//! Tests for the `status-codes` exercise, one module per step of the lesson.
//!
//! Run them with `cargo test -p status-codes`; they fail until you implement
//! the step they test. The modules are numbered in the lesson's order
//! (codes, boundary, http), so failures are listed step by step. To run one
//! step only: `cargo test -p status-codes step1`.
//!
//! They are one test binary (`tests/status_codes/main.rs` declares the
//! modules) rather than one file per step, so that the project links once,
//! not three times, after every edit.

mod step1_codes;
mod step2_boundary;
mod step3_http;

use std::sync::Arc;

use proptest::test_runner::Config;
use status_codes::pb::SubmitRequest;
use status_codes::pb::jobs_client::JobsClient;
use status_codes::pb::jobs_server::JobsServer;
use status_codes::{JobBoard, JobsService, connect_in_memory};
use tonic::service::Routes;
use tonic::transport::Channel;

/// Property tests run 256 random cases each and write no regression files
/// into your exercise folder.
fn properties() -> Config {
    Config {
        failure_persistence: None,
        ..Config::default()
    }
}

/// A submit request for a 5-byte job.
fn job(id: &str, queue: &str, tenant: &str) -> SubmitRequest {
    SubmitRequest {
        id: id.to_owned(),
        queue: queue.to_owned(),
        tenant: tenant.to_owned(),
        payload: b"hello".to_vec(),
    }
}

/// A board with the queues `emails` and `reports` and a quota of 2 jobs per
/// tenant, and a gRPC client talking to it through an in-memory pipe. Keep
/// the board to pause queues and inject faults.
async fn serve(board: Arc<JobBoard>) -> JobsClient<Channel> {
    let routes = Routes::new(JobsServer::new(JobsService::new(board)));
    let channel = connect_in_memory(routes)
        .await
        .expect("the in-memory connection opens");
    JobsClient::new(channel)
}

/// The board most tests use.
fn board() -> Arc<JobBoard> {
    Arc::new(JobBoard::new(["emails", "reports"], 2))
}

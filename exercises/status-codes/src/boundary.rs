//! Step 2: the domain's error, mapped to a `tonic::Status` in one place, at
//! the edge of the service.

use std::collections::HashMap;
use std::error::Error;
use std::sync::Arc;
use std::time::Duration;

use tonic::{Code, Request, Response, Status};
use tonic_types::{ErrorDetails, StatusExt};

use crate::board::{JobBoard, NewJob};
use crate::pb::jobs_server::Jobs;
use crate::pb::{SubmitReply, SubmitRequest};

/// The `domain` of every `ErrorInfo` this service sends: the namespace its
/// `reason`s are unique in (by convention the service's name).
pub const ERROR_DOMAIN: &str = "jobs.workbook.example";

/// Why the job board refused a job.
///
/// This is the domain's error: it says what went wrong in the domain's
/// words and keeps the cause of infrastructure failures as its `source()`.
/// It does not know about gRPC; [`From<SubmitError> for Status`](#impl-From%3CSubmitError%3E-for-Status)
/// decides what a client is told.
#[derive(Debug, thiserror::Error)]
pub enum SubmitError {
    /// A field of the job is malformed, whatever the state of the board.
    #[error("field {field} {reason}")]
    InvalidField {
        /// The field's name in the request (`id`, `queue`, `payload`).
        field: &'static str,
        /// What is wrong with it, for a person.
        reason: String,
    },
    /// The queue does not exist.
    #[error("queue {queue:?} does not exist")]
    QueueNotFound {
        /// The queue named in the request.
        queue: String,
    },
    /// The queue exists but is paused; it takes jobs again once resumed.
    #[error("queue {queue:?} is paused")]
    QueuePaused {
        /// The paused queue.
        queue: String,
    },
    /// A job with this id was submitted before.
    #[error("a job with id {id:?} already exists")]
    Duplicate {
        /// The id that is taken.
        id: String,
    },
    /// The tenant has queued as many jobs as its quota allows.
    #[error("tenant {tenant:?} has used up its quota ({limit} jobs)")]
    QuotaExceeded {
        /// The tenant over quota.
        tenant: String,
        /// Its quota.
        limit: u32,
        /// How long to wait before trying again.
        retry_after: Duration,
    },
    /// The job store cannot be reached; the cause says why.
    #[error("the job store is unavailable")]
    Unavailable(#[source] Box<dyn Error + Send + Sync>),
    /// A bug or a broken invariant; the cause says which.
    #[error("internal error")]
    Internal(#[source] Box<dyn Error + Send + Sync>),
}

impl SubmitError {
    /// The gRPC code a client receives for this error.
    pub fn code(&self) -> Code {
        // TODO: one arm per variant: InvalidArgument, NotFound,
        // FailedPrecondition, AlreadyExists, ResourceExhausted, Unavailable,
        // Internal, in the order the variants are declared.
        todo!("SubmitError::code: the gRPC code for this error")
    }

    /// The `ErrorInfo` reason: a stable UPPER_SNAKE_CASE identifier, unique
    /// within [`ERROR_DOMAIN`], that a client program may match on. Unlike
    /// the message, it never changes once published.
    pub fn reason(&self) -> &'static str {
        // TODO: one arm per variant: INVALID_FIELD, QUEUE_NOT_FOUND,
        // QUEUE_PAUSED, DUPLICATE_JOB, QUOTA_EXCEEDED, STORE_UNAVAILABLE,
        // INTERNAL, in the order the variants are declared.
        todo!("SubmitError::reason: the stable ErrorInfo reason")
    }
}

/// The boundary: the one place a [`SubmitError`] becomes what a client sees.
///
/// - The code is [`SubmitError::code`].
/// - The message is the error's `Display` for the errors about the request
///   (the caller may read what it sent), and a fixed sentence for
///   `Unavailable` and `Internal`, whose causes (a host name, a SQL error, a
///   file path) are the server's business and an attacker's map.
/// - The details always hold an `ErrorInfo` (reason, [`ERROR_DOMAIN`], and
///   metadata naming the queue, tenant or id), plus the detail a client can
///   act on: `BadRequest` for a bad field, `ResourceInfo` for a missing queue
///   or a taken id, `PreconditionFailure` for a paused queue, `RetryInfo`
///   for a quota.
/// - The cause of `Unavailable` and `Internal` stays on the `Status` as its
///   `source()`, which tonic never sends: a logging layer on the server can
///   still record it.
impl From<SubmitError> for Status {
    fn from(error: SubmitError) -> Self {
        // TODO: take `error.code()` and `error.reason()` first. Then match on
        // the error to build a `tonic_types::ErrorDetails` and the message:
        // - the five request errors: the message is `error.to_string()`;
        //   add BadRequest (`add_bad_request_violation(field, reason)`),
        //   ResourceInfo (`set_resource_info("queue" or "job", name, "",
        //   description)`), PreconditionFailure
        //   (`add_precondition_failure_violation("QUEUE_PAUSED",
        //   "queues/<name>", description)`) or RetryInfo
        //   (`set_retry_info(Some(retry_after))`), and put the field, queue,
        //   id, or tenant and limit, in a `HashMap` of ErrorInfo metadata;
        // - Unavailable and Internal: a fixed message that says nothing of
        //   the cause ("internal error" for Internal), and keep the cause.
        // Then `details.set_error_info(reason, ERROR_DOMAIN, metadata)`,
        // `Status::with_error_details(code, message, details)`, and
        // `status.set_source(Arc::from(cause))` when there is a cause.
        todo!("From<SubmitError> for Status: code, message, details, source")
    }
}

/// The gRPC face of a [`JobBoard`].
#[derive(Debug, Clone)]
pub struct JobsService {
    board: Arc<JobBoard>,
}

impl JobsService {
    /// Serves `board`; keep a clone of the `Arc` to pause queues or inject
    /// faults while it runs.
    pub fn new(board: Arc<JobBoard>) -> Self {
        Self { board }
    }
}

#[tonic::async_trait]
impl Jobs for JobsService {
    async fn submit(
        &self,
        request: Request<SubmitRequest>,
    ) -> Result<Response<SubmitReply>, Status> {
        // TODO: take the `SubmitRequest` out of the request, build a
        // `NewJob` from its four fields, call `self.board.submit(job)?` (the
        // `?` converts through your `From<SubmitError> for Status`), and
        // answer `Response::new(SubmitReply { id })`.
        todo!("JobsService::submit: call the board, let `?` map its error")
    }
}

//! Step 5: the inbound adapter: a tonic service in front of the use case.
//!
//! Its work is translation both ways. A request's strings are parsed into
//! a [`NewJob`] before the domain sees them, so bad input becomes
//! `INVALID_ARGUMENT` here and the domain never holds an unchecked string.
//! The domain's answer becomes a response, and its errors become status
//! codes a client can act on: `UNAVAILABLE` (retry, with the same
//! idempotency key) or `INTERNAL` (do not), with a message that says
//! nothing about Redis.

use tonic::{Code, Request, Response, Status};

use crate::domain::model::{InvalidJob, NewJob};
use crate::domain::ports::{Clock, IdGenerator, JobQueue};
use crate::domain::service::{JobService, SubmitError};

/// The code generated from `proto/jobs.proto` (package
/// `workbook.hexagonal.v1`).
#[allow(missing_docs, unreachable_pub)]
pub mod pb {
    tonic::include_proto!("workbook.hexagonal.v1");
}

use pb::jobs_server::{Jobs, JobsServer};
use pb::{SubmitRequest, SubmitResponse};

/// The `Jobs` gRPC service, over a [`JobService`].
#[derive(Debug)]
pub struct GrpcJobs<Q, I, C> {
    service: JobService<Q, I, C>,
}

impl<Q: JobQueue, I: IdGenerator, C: Clock> GrpcJobs<Q, I, C> {
    /// The gRPC face of `service`.
    pub fn new(service: JobService<Q, I, C>) -> Self {
        Self { service }
    }

    /// The use case behind it.
    pub fn service(&self) -> &JobService<Q, I, C> {
        &self.service
    }

    /// Wrapped in the generated server type, ready for
    /// `Server::builder().add_service(..)`.
    pub fn into_server(self) -> JobsServer<Self> {
        JobsServer::new(self)
    }
}

// `tonic::async_trait` here, in the adapter, is fine: the generated trait
// needs it, and only this module sees it. The domain's own ports use
// `impl Future` instead, and never name tonic.
#[tonic::async_trait]
impl<Q: JobQueue, I: IdGenerator, C: Clock> Jobs for GrpcJobs<Q, I, C> {
    async fn submit(
        &self,
        request: Request<SubmitRequest>,
    ) -> Result<Response<SubmitResponse>, Status> {
        let request = request.into_inner();
        let job =
            NewJob::parse(&request.kind, &request.payload, &request.idempotency_key)
                .map_err(|error| invalid_argument(&error))?;
        let submitted = self
            .service
            .submit(job)
            .await
            .map_err(|error| to_status(&error))?;
        Ok(Response::new(SubmitResponse {
            job_id: submitted.id.to_string(),
            duplicate: submitted.duplicate,
        }))
    }
}

/// `INVALID_ARGUMENT`, with the domain's message: it names the field and
/// the rule, and holds nothing the client did not send.
pub fn invalid_argument(error: &InvalidJob) -> Status {
    Status::invalid_argument(error.to_string())
}

/// The status for a failed submission.
///
/// - [`SubmitError::Unavailable`] gives `UNAVAILABLE`, the code gRPC
///   calls transient and worth a retry with backoff, and the message says
///   to keep the idempotency key.
/// - [`SubmitError::Internal`] gives `INTERNAL` and the domain error's own
///   message, never the cause chain: "WRONGTYPE Operation against a key"
///   tells a client nothing it can use and tells an attacker which
///   database you run. The chain belongs in the server's log (a real
///   service would `tracing::error!` it here, walking `source()`).
pub fn to_status(error: &SubmitError) -> Status {
    let code = if error.is_retryable() {
        Code::Unavailable
    } else {
        Code::Internal
    };
    let message = match error {
        SubmitError::Unavailable(_) => {
            format!("{error}: resend with the same idempotency key")
        }
        SubmitError::Internal(_) => error.to_string(),
    };
    Status::new(code, message)
}

//! The domain behind the service: a board of job queues that accepts or
//! refuses jobs. It knows nothing of gRPC: its errors are [`SubmitError`]s,
//! and turning them into `tonic::Status`es is the boundary's job (step 2).
//!
//! This module is given complete; the lesson is in what the boundary does
//! with its errors.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;
use std::time::Duration;

use crate::boundary::SubmitError;

/// The largest payload the board accepts, in bytes.
const MAX_PAYLOAD: usize = 1024;

/// How long a tenant over its quota is told to wait.
const QUOTA_RETRY_AFTER: Duration = Duration::from_secs(30);

/// A job to queue, as the domain sees it (the boundary builds it from a
/// `pb::SubmitRequest`; the domain does not see protobuf types).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewJob {
    /// Chosen by the client, so that a retried submit is recognised.
    pub id: String,
    /// The queue to put the job on.
    pub queue: String,
    /// Who pays for the job: quotas are per tenant.
    pub tenant: String,
    /// The job itself, 1 to 1024 bytes.
    pub payload: Vec<u8>,
}

/// In-memory job queues with the rules a real job service has: validation,
/// known and paused queues, unique ids and a per-tenant quota.
#[derive(Debug)]
pub struct JobBoard {
    state: Mutex<State>,
}

#[derive(Debug)]
struct State {
    /// Queue name to "paused?".
    queues: HashMap<String, bool>,
    ids: HashSet<String>,
    jobs_per_tenant: HashMap<String, u32>,
    quota: u32,
    /// A failure the next submit returns, for the faults a test cannot
    /// cause any other way (a storage outage, a bug).
    next_fault: Option<SubmitError>,
}

impl JobBoard {
    /// A board with these queues, none paused, where each tenant may queue
    /// at most `quota` jobs.
    pub fn new<'a>(queues: impl IntoIterator<Item = &'a str>, quota: u32) -> Self {
        Self {
            state: Mutex::new(State {
                queues: queues.into_iter().map(|q| (q.to_owned(), false)).collect(),
                ids: HashSet::new(),
                jobs_per_tenant: HashMap::new(),
                quota,
                next_fault: None,
            }),
        }
    }

    /// Pauses `queue`: submits to it fail until it is resumed (by an
    /// operator, in a real system; nothing resumes it here).
    pub fn pause(&self, queue: &str) {
        if let Some(paused) = self.lock().queues.get_mut(queue) {
            *paused = true;
        }
    }

    /// Makes the next [`submit`](Self::submit) fail with `error`, whatever
    /// the job: how tests and the example produce a storage outage or a bug.
    pub fn fail_next(&self, error: SubmitError) {
        self.lock().next_fault = Some(error);
    }

    /// Queues `job` and returns its id, or says why it was refused.
    ///
    /// The checks run in this order: an injected fault, the fields (id,
    /// queue, payload), the queue (known, then not paused), the id (not a
    /// duplicate), then the tenant's quota.
    pub fn submit(&self, job: NewJob) -> Result<String, SubmitError> {
        let mut state = self.lock();
        if let Some(fault) = state.next_fault.take() {
            return Err(fault);
        }
        validate(&job)?;
        match state.queues.get(&job.queue) {
            None => return Err(SubmitError::QueueNotFound { queue: job.queue }),
            Some(true) => return Err(SubmitError::QueuePaused { queue: job.queue }),
            Some(false) => {}
        }
        if state.ids.contains(&job.id) {
            return Err(SubmitError::Duplicate { id: job.id });
        }
        let quota = state.quota;
        let used = state.jobs_per_tenant.entry(job.tenant.clone()).or_default();
        if *used >= quota {
            return Err(SubmitError::QuotaExceeded {
                tenant: job.tenant,
                limit: quota,
                retry_after: QUOTA_RETRY_AFTER,
            });
        }
        *used += 1;
        state.ids.insert(job.id.clone());
        Ok(job.id)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // A panic while holding the lock cannot leave the maps half-updated
        // (each method updates them last, in one go), so a poisoned lock is
        // still consistent: take it rather than panic again.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

fn validate(job: &NewJob) -> Result<(), SubmitError> {
    let invalid = |field, reason: &str| {
        Err(SubmitError::InvalidField {
            field,
            reason: reason.to_owned(),
        })
    };
    if job.id.is_empty() {
        return invalid("id", "must not be empty");
    }
    if job.queue.is_empty() {
        return invalid("queue", "must not be empty");
    }
    if job.payload.is_empty() {
        return invalid("payload", "must not be empty");
    }
    if job.payload.len() > MAX_PAYLOAD {
        return invalid(
            "payload",
            &format!(
                "must be at most {MAX_PAYLOAD} bytes, got {}",
                job.payload.len()
            ),
        );
    }
    Ok(())
}

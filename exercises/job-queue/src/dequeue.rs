//! Step 2: dequeue with `BLMOVE`, then claim the job with a lease.
//!
//! `BLMOVE pending processing RIGHT LEFT <block>` takes the oldest id and
//! parks it in `processing` in one server-side step, so a worker that dies
//! right after the move leaves the id where the reaper can find it.
//! `BRPOP` would hand the id to the client and forget it: if the reply is
//! lost (the worker crashes, the client times out, the socket drops), so is
//! the job. That is at-most-once; the move makes it at-least-once.
//!
//! A list element carries no time, so the claim script then stamps the
//! lease (a deadline in the `leases` sorted set), a fresh claim token, and
//! the attempt count, and reads the payload.

use std::fmt;
use std::sync::LazyLock;

use redis::{RedisError, Script};

use crate::enqueue::{JobId, JobIdError, Queue};

/// Proof of one claim: the value of `P:claims` for the job while this claim
/// holds it. A fencing token: every claim gets a new one from `INCR`, so a
/// worker whose lease was taken away holds an old token, and the ack script
/// turns it away.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ClaimToken(pub u64);

impl fmt::Display for ClaimToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A job claimed by this worker until its lease deadline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    pub(crate) id: JobId,
    pub(crate) token: ClaimToken,
    pub(crate) attempt: u32,
    pub(crate) deadline_ms: u64,
    pub(crate) payload: String,
}

impl Claim {
    /// The job's id.
    pub fn id(&self) -> &JobId {
        &self.id
    }

    /// This claim's token.
    pub fn token(&self) -> ClaimToken {
        self.token
    }

    /// Which claim of the job this is: 1 the first time, 2 after one
    /// re-queue, and so on.
    pub fn attempt(&self) -> u32 {
        self.attempt
    }

    /// The lease deadline, in ms since the epoch by the queue's clock.
    pub fn deadline_ms(&self) -> u64 {
        self.deadline_ms
    }

    /// The payload, JSON text (checked at dequeue).
    pub fn payload(&self) -> &str {
        &self.payload
    }

    /// The payload parsed as `T`.
    pub fn decode<T: serde::de::DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_str(&self.payload)
    }
}

/// What is wrong with a [`MalformedJob`].
#[derive(Debug, thiserror::Error)]
pub enum Malformation {
    /// The id in `pending` is not a [`JobId`] (pushed there by hand).
    #[error("its id is invalid")]
    InvalidId(#[source] JobIdError),
    /// `jobs` holds no payload for the id.
    #[error("it has no payload")]
    MissingPayload,
    /// The payload is not JSON.
    #[error("its payload is not valid JSON")]
    InvalidJson(#[source] serde_json::Error),
}

/// A job that was claimed but cannot be handed to a worker.
///
/// It is claimed like any other (lease, token, attempt), so it is not lost:
/// [`Queue::discard`](crate::Queue::discard) removes it, a dead-letter queue
/// can move it aside with the token, and if nobody does either the reaper
/// re-queues it when the lease ends.
#[derive(Debug)]
pub struct MalformedJob {
    pub(crate) id: String,
    pub(crate) token: ClaimToken,
    pub(crate) attempt: u32,
    pub(crate) deadline_ms: u64,
    pub(crate) payload: Option<String>,
    pub(crate) problem: Malformation,
}

impl MalformedJob {
    /// The id exactly as stored (it may not be a valid [`JobId`]).
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The claim's token.
    pub fn token(&self) -> ClaimToken {
        self.token
    }

    /// The claim's attempt number.
    pub fn attempt(&self) -> u32 {
        self.attempt
    }

    /// The lease deadline, in ms since the epoch.
    pub fn deadline_ms(&self) -> u64 {
        self.deadline_ms
    }

    /// The stored payload, if any.
    pub fn payload(&self) -> Option<&str> {
        self.payload.as_deref()
    }

    /// What is wrong with it.
    pub fn problem(&self) -> &Malformation {
        &self.problem
    }
}

/// Why [`Queue::dequeue`] returned no job.
#[derive(Debug, thiserror::Error)]
pub enum DequeueError {
    /// A job was claimed but is unreadable; it carries the claim so the
    /// caller can discard or dead-letter it. Boxed: it is large, and the
    /// `Ok` path should not pay for it.
    #[error("job {:?} was claimed but {}", .0.id, .0.problem)]
    Malformed(Box<MalformedJob>),
    /// Redis failed or could not be reached.
    #[error("redis failed while dequeueing")]
    Redis(#[from] RedisError),
}

/// KEYS: processing, leases, claims, attempts, jobs, tokens.
/// ARGV: id, deadline (ms).
/// Returns false if the id is no longer in `processing` or another claim
/// holds it, else {token, attempt, payload or false}.
///
/// Two checks first, for a worker that stalled a whole lease between its
/// `BLMOVE` and this script: by then the reaper may have stamped, expired
/// and re-queued the id. `LPOS`: the id is no longer in `processing`
/// (`BLMOVE` pushed it on the left, so `LPOS` finds it near the head).
/// `HEXISTS`: it is back in `processing`, but because another worker moved
/// and claimed it; a live claim is never overwritten (ack and reap delete
/// the claim, so a fresh move finds none). Without that second check the
/// stale worker would take the job from its current owner, whose ack would
/// then fail although its lease never expired.
static CLAIM: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r"
        -- TODO: write the claim script (the comment above says what it
        -- receives and returns).
        return redis.error_reply('the claim script is not written yet')
        ",
    )
});

impl Queue {
    /// Wait up to the block time for a job, claim it and return it;
    /// `Ok(None)` if the queue stayed empty.
    ///
    /// Two round trips: `BLMOVE` on the dedicated connection, then the
    /// claim script. If this future is dropped (a timeout, a `select!`)
    /// after `BLMOVE` was sent, the server still completes it when a job
    /// arrives: the job lands in `processing` with no lease, and the reaper
    /// stamps one and recovers it a lease later.
    pub async fn dequeue(&mut self) -> Result<Option<Claim>, DequeueError> {
        // TODO: in a loop:
        // 1. `redis::cmd("BLMOVE")` with the pending and processing keys, "RIGHT",
        //    "LEFT" and the block time in seconds (`as_secs_f64`), queried on
        //    `self.blocking`, gives an `Option<String>`: None means the queue
        //    stayed empty (return Ok(None)).
        // 2. Run the CLAIM script (write it first) on a clone of `self.commands`
        //    with the id and the deadline `self.now_ms() + self.lease_ms()`. It
        //    returns `Option<(u64, u32, Option<String>)>`: None means the reaper
        //    took the id back or another claim holds it (loop again).
        // 3. Hand the answer to `check` below.
        todo!("Queue::dequeue: BLMOVE, then the claim script, then check")
    }

    pub(crate) fn lease_ms(&self) -> u64 {
        u64::try_from(self.config.lease_duration().as_millis()).unwrap_or(u64::MAX)
    }
}

/// Turn the claim script's answer into a [`Claim`], or a [`MalformedJob`]
/// that still carries the claim: never a panic, never a dropped job.
fn check(
    id: String,
    token: ClaimToken,
    attempt: u32,
    deadline_ms: u64,
    payload: Option<String>,
) -> Result<Claim, DequeueError> {
    // TODO: parse the id (`JobId::parse`) and the payload
    // (`serde_json::from_str::<serde_json::Value>`). All good: a Claim. An
    // invalid id, a missing payload or a payload that is not JSON: a
    // `DequeueError::Malformed(Box::new(MalformedJob { .. }))` that keeps the
    // raw id, the token, the attempt and the payload. Never panic, never
    // drop the job.
    todo!("check: a Claim, or a MalformedJob that keeps the claim")
}

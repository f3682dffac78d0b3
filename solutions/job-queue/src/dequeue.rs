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
        if not redis.call('LPOS', KEYS[1], ARGV[1]) then
            return false
        end
        if redis.call('HEXISTS', KEYS[3], ARGV[1]) == 1 then
            return false
        end
        local token = redis.call('INCR', KEYS[6])
        redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])
        redis.call('HSET', KEYS[3], ARGV[1], token)
        local attempt = redis.call('HINCRBY', KEYS[4], ARGV[1], 1)
        local payload = redis.call('HGET', KEYS[5], ARGV[1])
        return {token, attempt, payload}
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
        loop {
            let moved: Option<String> = redis::cmd("BLMOVE")
                .arg(self.keys.pending())
                .arg(self.keys.processing())
                .arg("RIGHT")
                .arg("LEFT")
                .arg(self.config.block_duration().as_secs_f64())
                .query_async(&mut self.blocking)
                .await?;
            let Some(id) = moved else {
                return Ok(None);
            };
            let deadline_ms = self.now_ms() + self.lease_ms();
            let claimed: Option<(u64, u32, Option<String>)> = CLAIM
                .key(self.keys.processing())
                .key(self.keys.leases())
                .key(self.keys.claims())
                .key(self.keys.attempts())
                .key(self.keys.jobs())
                .key(self.keys.tokens())
                .arg(&id)
                .arg(deadline_ms)
                .invoke_async(&mut self.commands.clone())
                .await?;
            // The reaper took it back first, or another worker holds it
            // now: it is someone else's.
            let Some((token, attempt, payload)) = claimed else {
                continue;
            };
            let token = ClaimToken(token);
            return check(id, token, attempt, deadline_ms, payload).map(Some);
        }
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
    let problem = match (JobId::parse(&id), payload.as_deref()) {
        (Err(error), _) => Malformation::InvalidId(error),
        (Ok(_), None) => Malformation::MissingPayload,
        (Ok(job), Some(text)) => match serde_json::from_str::<serde_json::Value>(text) {
            Ok(_) => {
                return Ok(Claim {
                    id: job,
                    token,
                    attempt,
                    deadline_ms,
                    payload: payload.unwrap_or_default(),
                });
            }
            Err(error) => Malformation::InvalidJson(error),
        },
    };
    Err(DequeueError::Malformed(Box::new(MalformedJob {
        id,
        token,
        attempt,
        deadline_ms,
        payload,
        problem,
    })))
}

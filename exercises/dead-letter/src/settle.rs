//! Step 2: settling a failed claim: retry later, or dead-letter.
//!
//! Day 137's `retry` loop retries inside one call, in memory. A queue
//! cannot: the worker may die between attempts, and a job that waits 30 s
//! for its next try must not hold a worker (or a lease) while it waits. So
//! a failed job leaves `processing` for one of two places:
//!
//! - `P:scheduled`, a sorted set scored by the time of the next try, when
//!   the error is transient and attempts are left ([`DeadLetterQueue::promote`]
//!   moves due jobs back to `pending`, as asynq's scheduler does);
//! - `P:dead`, as a [`DeadLetter`] record, when the error is permanent or the
//!   attempts are used up.
//!
//! Each move is one Lua script that first checks the claim token, like
//! Day 136's ack: a worker whose lease expired, and whose job another worker
//! now holds, must not re-schedule or bury that job. Two commands (`LREM`,
//! then `RPUSH`) would leave a window in which a crash loses the job: gone
//! from `processing`, never in `dead`.

use std::error::Error;
use std::sync::LazyLock;

use backoff::{ErrorClass, Permanent, Transient, classify};
use job_queue::{AckError, Claim, ClaimToken, MalformedJob};
use redis::{RedisError, RetryMethod, Script};

use crate::queue::DeadLetterQueue;
use crate::record::{DeadKind, DeadLetter};

/// What [`DeadLetterQueue::settle`] did with a failed job.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Settled {
    /// Scheduled for another attempt at `due_ms` (ms since the epoch).
    Retry {
        /// When [`DeadLetterQueue::promote`] will put it back on `pending`.
        due_ms: u64,
    },
    /// Moved to the dead-letter list.
    Dead(DeadKind),
}

/// The error recorded for a job that was claimed more often than the
/// policy allows attempts: every earlier claim lost its lease, so the job
/// may be what kills its workers (a poison message).
#[derive(Debug, thiserror::Error)]
#[error("claimed {claims} times, more than the {allowed} attempts allowed")]
pub struct TooManyClaims {
    /// The claim number of this delivery.
    pub claims: u32,
    /// The policy's attempt limit.
    pub allowed: u32,
    /// Why the earlier claims did not count as failures.
    #[source]
    pub source: LeaseExpired,
}

/// The cause under [`TooManyClaims`].
#[derive(Debug, thiserror::Error)]
#[error(
    "earlier leases expired before the job was settled: its worker crashed or stalled"
)]
pub struct LeaseExpired;

/// Day 137's [`classify`], taught the one error type a queue worker meets
/// that `classify` does not know: [`RedisError`].
///
/// The first error in the cause chain that has a say decides. The
/// [`Transient`] and [`Permanent`] markers are the caller's explicit word,
/// as in `classify`. A [`RedisError`] decides by redis-rs's own judgement
/// of it, [`RedisError::retry_method`]: a dropped connection, a timeout or
/// a server still loading its data are worth retrying; an error the server
/// returned for the command itself (a wrong type, an overflow, a script
/// error) fails the same way every time. Any other chain goes to
/// `classify`.
///
/// Why not leave it to `classify`? Its rule, "unknown is permanent", is
/// right for a handler's own errors, but a handler that stores its effect
/// in Redis (Step 4) would then dead-letter every job that was running
/// when the connection dropped. And `classify` cannot see the `io::Error`
/// inside a `RedisError`: redis-rs keeps it in an `Arc<dyn Error>`, and
/// the chain shows the `Arc`, whose type is not `io::Error`. The rejected
/// alternative, marking the error `Transient` in each handler, is right for
/// one handler and forgotten in the next.
pub fn classify_failure(error: &(dyn Error + 'static)) -> ErrorClass {
    for cause in std::iter::successors(Some(error), |&e| e.source()) {
        if cause.is::<Transient>() || cause.is::<Permanent>() {
            return classify(cause);
        }
        if let Some(redis) = cause.downcast_ref::<RedisError>() {
            return match redis.retry_method() {
                RetryMethod::NoRetry => ErrorClass::Permanent,
                _ => ErrorClass::Transient,
            };
        }
    }
    classify(error)
}

/// KEYS: processing, leases, claims, scheduled. ARGV: id, token, due (ms).
/// Returns 1, or 0 if the token no longer holds the job.
///
/// The attempt count stays: the next claim increments it, and that is how
/// the policy's limit is reached.
static SCHEDULE: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r"
        if redis.call('HGET', KEYS[3], ARGV[1]) ~= ARGV[2] then
            return 0
        end
        redis.call('LREM', KEYS[1], 1, ARGV[1])
        redis.call('ZREM', KEYS[2], ARGV[1])
        redis.call('HDEL', KEYS[3], ARGV[1])
        redis.call('ZADD', KEYS[4], ARGV[3], ARGV[1])
        return 1
        ",
    )
});

/// KEYS: processing, leases, claims, attempts, dead. ARGV: id, token,
/// record (JSON). Returns 1, or 0 if the token no longer holds the job.
///
/// The payload stays in `P:jobs`: the id is still taken (a producer cannot
/// enqueue a second job under it), and a re-drive only moves the id back.
/// `RPUSH`, so `LRANGE dead 0 -1` reads oldest first, like a log.
static BURY: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        // TODO: like SCHEDULE above: check the token, take the id out of
        // processing, leases and claims, delete its attempt count, and RPUSH
        // the record on the dead list. Leave `P:jobs` alone.
        r"
        return redis.error_reply('BURY: write this script (settle.rs)')
        ",
    )
});

/// KEYS: scheduled, pending. ARGV: now (ms), batch.
/// Returns the ids moved, earliest first.
static PROMOTE: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r"
        local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1],
                               'LIMIT', 0, ARGV[2])
        for _, id in ipairs(due) do
            redis.call('ZREM', KEYS[1], id)
            redis.call('LPUSH', KEYS[2], id)
        end
        return due
        ",
    )
});

/// At most this many due jobs go back to `pending` per [`DeadLetterQueue::promote`]:
/// a script blocks the whole server while it runs, so it does bounded work.
pub const PROMOTE_BATCH: usize = 100;

impl DeadLetterQueue {
    /// Settle a claim whose handler failed with `error`: dead-letter it if
    /// `error` is permanent (by [`classify_failure`]) or this was the last
    /// attempt the policy allows, else schedule it for another attempt
    /// after the policy's backoff.
    ///
    /// # Errors
    ///
    /// [`AckError::LeaseLost`] if `claim` no longer holds the job (nothing
    /// moved), or a Redis failure.
    pub async fn settle(
        &self,
        claim: &Claim,
        error: &(dyn Error + 'static),
    ) -> Result<Settled, AckError> {
        // TODO: permanent (by `classify_failure`) -> bury as Permanent; else the
        // last attempt (`claim.attempt()` >= the policy's `max_attempts()`)
        // -> bury as Exhausted; else `self.schedule` at `self.due_ms(..)`
        // and return `Settled::Retry`. The record's time is
        // `self.queue.now_ms()`, its payload the claim's.
        todo!("DeadLetterQueue::settle: retry later or dead-letter")
    }

    /// Dead-letter a job the queue could not read, with what is wrong with
    /// it (the parse error, for a payload that is not JSON) as the cause.
    pub async fn bury_malformed(&self, job: &MalformedJob) -> Result<(), AckError> {
        // TODO: a Malformed record whose error is `job.problem()` (its
        // source is the parse error), buried under the job's token.
        todo!("DeadLetterQueue::bury_malformed: dead-letter an unreadable job")
    }

    /// Check a fresh claim before running its handler: a job claimed more
    /// often than the policy allows attempts has lost its lease every time
    /// (it crashes or stalls its worker), and is dead-lettered as
    /// [`DeadKind::Exhausted`] instead of being handed to one more worker.
    /// Returns the claim if it may run.
    pub async fn admit(&self, claim: Claim) -> Result<Option<Claim>, AckError> {
        // TODO: within the policy's attempts, hand the claim back. Beyond
        // them, bury it as Exhausted with a `TooManyClaims` error (whose
        // source is `LeaseExpired`) and return None.
        todo!("DeadLetterQueue::admit: stop a poison message")
    }

    /// Move every scheduled job whose time has come (up to
    /// [`PROMOTE_BATCH`]) back to `pending`; returns their ids. Run it on a
    /// timer, next to the reaper.
    pub async fn promote(&self) -> Result<Vec<String>, RedisError> {
        // TODO: invoke PROMOTE with its KEYS and ARGV, in the order its
        // comment gives (see `schedule` below for how).
        todo!("DeadLetterQueue::promote: move due jobs back to pending")
    }

    /// When the retry after claim number `attempt` is due: now plus the
    /// policy's jittered backoff for retry `attempt - 1`.
    fn due_ms(&self, attempt: u32) -> u64 {
        // TODO: the delay is element `attempt - 1` of
        // `policy.backoff().delays(policy.jitter(), &mut *rng)` (Day 137),
        // with `rng` the locked `self.rng`. Add it, in ms, to
        // `self.queue.now_ms()`, saturating.
        todo!("DeadLetterQueue::due_ms: now plus the jittered backoff")
    }

    async fn schedule(&self, claim: &Claim, due_ms: u64) -> Result<(), AckError> {
        let keys = &self.keys;
        let moved: i64 = SCHEDULE
            .key(keys.queue().processing())
            .key(keys.queue().leases())
            .key(keys.queue().claims())
            .key(keys.scheduled())
            .arg(claim.id().as_str())
            .arg(claim.token().0)
            .arg(due_ms)
            .invoke_async(&mut self.connection())
            .await?;
        if moved == 0 {
            return Err(lease_lost(claim.id().as_str(), claim.token()));
        }
        Ok(())
    }

    async fn bury(
        &self,
        id: &str,
        token: ClaimToken,
        record: &DeadLetter,
    ) -> Result<(), AckError> {
        // TODO: invoke BURY (KEYS and ARGV in its comment's order) with the
        // record as JSON; 0 means the token lost the job: `lease_lost`.
        todo!("DeadLetterQueue::bury: the atomic move to the dead list")
    }
}

fn lease_lost(id: &str, token: ClaimToken) -> AckError {
    AckError::LeaseLost {
        id: id.to_owned(),
        token,
    }
}

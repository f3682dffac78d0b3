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
        r"
        if redis.call('HGET', KEYS[3], ARGV[1]) ~= ARGV[2] then
            return 0
        end
        redis.call('LREM', KEYS[1], 1, ARGV[1])
        redis.call('ZREM', KEYS[2], ARGV[1])
        redis.call('HDEL', KEYS[3], ARGV[1])
        redis.call('HDEL', KEYS[4], ARGV[1])
        redis.call('RPUSH', KEYS[5], ARGV[3])
        return 1
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
        let attempt = claim.attempt();
        let kind = if classify_failure(error) == ErrorClass::Permanent {
            DeadKind::Permanent
        } else if attempt >= self.policy.max_attempts().get() {
            DeadKind::Exhausted
        } else {
            let due_ms = self.due_ms(attempt);
            self.schedule(claim, due_ms).await?;
            return Ok(Settled::Retry { due_ms });
        };
        let record = DeadLetter::new(
            claim.id().as_str(),
            kind,
            attempt,
            self.queue.now_ms(),
            error,
            Some(claim.payload().to_owned()),
        );
        self.bury(claim.id().as_str(), claim.token(), &record)
            .await?;
        Ok(Settled::Dead(kind))
    }

    /// Dead-letter a job the queue could not read, with what is wrong with
    /// it (the parse error, for a payload that is not JSON) as the cause.
    pub async fn bury_malformed(&self, job: &MalformedJob) -> Result<(), AckError> {
        let record = DeadLetter::new(
            job.id(),
            DeadKind::Malformed,
            job.attempt(),
            self.queue.now_ms(),
            job.problem(),
            job.payload().map(str::to_owned),
        );
        self.bury(job.id(), job.token(), &record).await
    }

    /// Check a fresh claim before running its handler: a job claimed more
    /// often than the policy allows attempts has lost its lease every time
    /// (it crashes or stalls its worker), and is dead-lettered as
    /// [`DeadKind::Exhausted`] instead of being handed to one more worker.
    /// Returns the claim if it may run.
    pub async fn admit(&self, claim: Claim) -> Result<Option<Claim>, AckError> {
        let allowed = self.policy.max_attempts().get();
        if claim.attempt() <= allowed {
            return Ok(Some(claim));
        }
        let error = TooManyClaims {
            claims: claim.attempt(),
            allowed,
            source: LeaseExpired,
        };
        let record = DeadLetter::new(
            claim.id().as_str(),
            DeadKind::Exhausted,
            claim.attempt(),
            self.queue.now_ms(),
            &error,
            Some(claim.payload().to_owned()),
        );
        self.bury(claim.id().as_str(), claim.token(), &record)
            .await?;
        Ok(None)
    }

    /// Move every scheduled job whose time has come (up to
    /// [`PROMOTE_BATCH`]) back to `pending`; returns their ids. Run it on a
    /// timer, next to the reaper.
    pub async fn promote(&self) -> Result<Vec<String>, RedisError> {
        PROMOTE
            .key(self.keys.scheduled())
            .key(self.keys.queue().pending())
            .arg(self.queue.now_ms())
            .arg(PROMOTE_BATCH)
            .invoke_async(&mut self.connection())
            .await
    }

    /// When the retry after claim number `attempt` is due: now plus the
    /// policy's jittered backoff for retry `attempt - 1`.
    fn due_ms(&self, attempt: u32) -> u64 {
        let policy = &self.policy;
        // A fresh `Delays` per call, advanced to this retry: the queue
        // stores no per-job jitter state, so decorrelated jitter restarts
        // from the base each time (full and equal jitter do not care).
        let nth = usize::try_from(attempt.saturating_sub(1)).unwrap_or(usize::MAX);
        let delay = {
            let mut rng = self.rng.lock().unwrap_or_else(|poison| poison.into_inner());
            policy
                .backoff()
                .delays(policy.jitter(), &mut *rng)
                .nth(nth)
                .expect("the delay iterator never ends")
        };
        let delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX);
        self.queue.now_ms().saturating_add(delay_ms)
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
        let keys = &self.keys;
        let moved: i64 = BURY
            .key(keys.queue().processing())
            .key(keys.queue().leases())
            .key(keys.queue().claims())
            .key(keys.queue().attempts())
            .key(keys.dead())
            .arg(id)
            .arg(token.0)
            .arg(record.to_json())
            .invoke_async(&mut self.connection())
            .await?;
        if moved == 0 {
            return Err(lease_lost(id, token));
        }
        Ok(())
    }
}

fn lease_lost(id: &str, token: ClaimToken) -> AckError {
    AckError::LeaseLost {
        id: id.to_owned(),
        token,
    }
}

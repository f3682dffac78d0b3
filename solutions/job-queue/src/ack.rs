//! Step 3: ack exactly the claimed job, and only while the claim holds.
//!
//! The naive ack is `LREM processing 0 <id>` plus deleting the payload. It
//! has two faults. `LREM` with count 0 removes every copy, where an ack must
//! remove one. And it trusts the caller: a worker that stalled past its
//! lease, whose job the reaper re-queued and another worker claimed, would
//! delete the job out from under its new owner, who then acks nothing, and
//! if the new owner crashes, nobody redoes it. The ack script compares the
//! claim token first, and does nothing unless it still matches.

use std::sync::LazyLock;

use redis::{RedisError, Script};

use crate::dequeue::{Claim, ClaimToken, MalformedJob};
use crate::enqueue::Queue;

/// Why an ack, extend or discard did nothing.
#[derive(Debug, thiserror::Error)]
pub enum AckError {
    /// The claim is no longer this worker's: its lease expired and the
    /// reaper re-queued the job (and maybe another worker claimed it), or
    /// it was already acked. The job is not touched.
    #[error("the lease on job {id} was lost (token {token} no longer holds it)")]
    LeaseLost {
        /// The job's id.
        id: String,
        /// The token that was refused.
        token: ClaimToken,
    },
    /// Redis failed or could not be reached. The ack may have happened if
    /// the failure came after the command was sent; acking again is safe
    /// (it reports `LeaseLost`).
    #[error("redis failed while acking")]
    Redis(#[from] RedisError),
}

/// KEYS: processing, leases, claims, jobs, attempts. ARGV: id, token.
/// Returns 1 if the job was removed, 0 if the token did not match.
///
/// `LREM ... 1`: one copy of the id, the one this claim moved. `HGET`
/// returns false for a missing field, which never equals the token.
static ACK: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r"
        if redis.call('HGET', KEYS[3], ARGV[1]) ~= ARGV[2] then
            return 0
        end
        redis.call('LREM', KEYS[1], 1, ARGV[1])
        redis.call('ZREM', KEYS[2], ARGV[1])
        redis.call('HDEL', KEYS[3], ARGV[1])
        redis.call('HDEL', KEYS[4], ARGV[1])
        redis.call('HDEL', KEYS[5], ARGV[1])
        return 1
        ",
    )
});

/// KEYS: leases, claims. ARGV: id, token, new deadline (ms).
/// Returns 1 if the lease was extended, 0 if the token did not match.
static EXTEND: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r"
        if redis.call('HGET', KEYS[2], ARGV[1]) ~= ARGV[2] then
            return 0
        end
        redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
        return 1
        ",
    )
});

impl Queue {
    /// The job is done: remove it (id, lease, claim, payload, attempts) if
    /// `claim` still holds it, or return [`AckError::LeaseLost`].
    pub async fn ack(&self, claim: &Claim) -> Result<(), AckError> {
        self.finish(claim.id().as_str(), claim.token()).await
    }

    /// Remove a job that could not be read, under its claim, like an ack.
    pub async fn discard(&self, job: &MalformedJob) -> Result<(), AckError> {
        self.finish(job.id(), job.token()).await
    }

    /// Push the lease deadline to now + lease (a heartbeat for long jobs),
    /// if `claim` still holds the job; updates `claim`'s deadline.
    pub async fn extend(&self, claim: &mut Claim) -> Result<(), AckError> {
        let deadline_ms = self.now_ms() + self.lease_ms();
        let extended: i64 = EXTEND
            .key(self.keys.leases())
            .key(self.keys.claims())
            .arg(claim.id().as_str())
            .arg(claim.token().0)
            .arg(deadline_ms)
            .invoke_async(&mut self.commands.clone())
            .await?;
        if extended == 0 {
            return Err(lease_lost(claim.id().as_str(), claim.token()));
        }
        claim.deadline_ms = deadline_ms;
        Ok(())
    }

    async fn finish(&self, id: &str, token: ClaimToken) -> Result<(), AckError> {
        let removed: i64 = ACK
            .key(self.keys.processing())
            .key(self.keys.leases())
            .key(self.keys.claims())
            .key(self.keys.jobs())
            .key(self.keys.attempts())
            .arg(id)
            .arg(token.0)
            .invoke_async(&mut self.commands.clone())
            .await?;
        if removed == 0 {
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

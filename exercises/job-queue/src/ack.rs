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
        -- TODO: write the ack script (the comment above says what it
        -- receives and returns).
        return redis.error_reply('the ack script is not written yet')
        ",
    )
});

/// KEYS: leases, claims. ARGV: id, token, new deadline (ms).
/// Returns 1 if the lease was extended, 0 if the token did not match.
static EXTEND: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r"
        -- TODO: write the extend script (the comment above says what it
        -- receives and returns).
        return redis.error_reply('the extend script is not written yet')
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
        // TODO: the new deadline is `self.now_ms() + self.lease_ms()`. Run the
        // EXTEND script with the leases and claims keys, the id, the token
        // (`claim.token().0`) and the deadline. 0 means the lease was lost
        // (`lease_lost`); 1 means update `claim.deadline_ms`.
        todo!("Queue::extend: move the lease, if the token still holds")
    }

    async fn finish(&self, id: &str, token: ClaimToken) -> Result<(), AckError> {
        // TODO: run the ACK script with the processing, leases, claims, jobs and
        // attempts keys, the id and `token.0`. It returns 1 when it removed the
        // job, 0 when the token no longer matched (`lease_lost`).
        todo!("Queue::finish: the ack script, guarded by the claim token")
    }
}

fn lease_lost(id: &str, token: ClaimToken) -> AckError {
    AckError::LeaseLost {
        id: id.to_owned(),
        token,
    }
}

//! Step 4: the reaper puts jobs whose lease expired back on `pending`.
//!
//! `processing` alone cannot tell a job a live worker is busy with from one
//! whose worker died: the list holds ids, not times. The `leases` sorted
//! set, scored by deadline, answers "which claims have expired?" with one
//! range query. One script does the whole pass, so a worker's ack cannot
//! slip between the reaper's read of a lease and its re-queue.
//!
//! Ids in `processing` with no lease at all come from a `BLMOVE` whose
//! client gave up (a cancelled future, a timeout, a crash between the move
//! and the claim). The reaper cannot tell those from a worker between its
//! `BLMOVE` and its claim script, so it does not re-queue them at once: it
//! stamps a lease, and re-queues them one lease later if nobody claimed
//! them meanwhile (a claim overwrites the stamp).

use std::sync::LazyLock;

use redis::{RedisError, Script};

use crate::enqueue::Queue;

/// What one [`Queue::reap`] did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Reaped {
    /// Ids whose lease had expired, now back on `pending`.
    pub requeued: Vec<String>,
    /// Ids found in `processing` with no lease, now given one.
    pub stamped: Vec<String>,
}

/// KEYS: pending, processing, leases, claims.
/// ARGV: now (ms), now + lease (ms), batch.
/// Returns {requeued ids, stamped ids}.
///
/// Expired means deadline <= now. The claim is deleted with the lease, so
/// the old worker's ack fails at once, even before anyone re-claims the
/// job. Re-queued ids go on the left of `pending`, behind the jobs already
/// waiting: a job whose worker died may be what killed it, and should not
/// block the head of the queue (Day 139 caps how often it may come back).
static REAP: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r"
        -- TODO: write the reap script (the comment above says what it
        -- receives and returns).
        return redis.error_reply('the reap script is not written yet')
        ",
    )
});

impl Queue {
    /// One reaper pass: re-queue up to the reap batch of expired leases,
    /// and stamp a lease on every unleased id in `processing`.
    ///
    /// Run it on a timer (every lease / 2, say) from one or more processes:
    /// the script is atomic, so two reapers never re-queue a job twice.
    /// `LRANGE` over all of `processing` is O(n) in the jobs in flight,
    /// which is fine for thousands; beyond that, keep a set of unleased
    /// ids instead.
    pub async fn reap(&self) -> Result<Reaped, RedisError> {
        // TODO: read the clock once (`self.now_ms()`), then run the REAP script
        // with the pending, processing, leases and claims keys, and the
        // arguments now, now + `self.lease_ms()` and `self.config.reap_batch`.
        // It returns `(Vec<String>, Vec<String>)`: requeued, then stamped.
        todo!("Queue::reap: one script re-queues expired leases, stamps the rest")
    }
}

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
        local requeued = {}
        local expired = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', ARGV[1],
                                   'LIMIT', 0, ARGV[3])
        for _, id in ipairs(expired) do
            redis.call('ZREM', KEYS[3], id)
            redis.call('HDEL', KEYS[4], id)
            if redis.call('LREM', KEYS[2], 1, id) > 0 then
                redis.call('LPUSH', KEYS[1], id)
                table.insert(requeued, id)
            end
        end
        local stamped = {}
        for _, id in ipairs(redis.call('LRANGE', KEYS[2], 0, -1)) do
            if not redis.call('ZSCORE', KEYS[3], id) then
                redis.call('ZADD', KEYS[3], ARGV[2], id)
                table.insert(stamped, id)
            end
        end
        return {requeued, stamped}
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
        let now_ms = self.now_ms();
        let (requeued, stamped) = REAP
            .key(self.keys.pending())
            .key(self.keys.processing())
            .key(self.keys.leases())
            .key(self.keys.claims())
            .arg(now_ms)
            .arg(now_ms + self.lease_ms())
            .arg(self.config.reap_batch)
            .invoke_async(&mut self.commands.clone())
            .await?;
        Ok(Reaped { requeued, stamped })
    }
}

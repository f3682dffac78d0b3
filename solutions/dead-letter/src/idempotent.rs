//! Step 4: idempotent handlers: one effect per job id, however many
//! deliveries.
//!
//! The queue delivers at least once: a worker that stalls past its lease
//! gets its job handed to another worker while it is still running, a
//! worker that dies after the effect and before the ack leaves the job to
//! the reaper, and a re-drive sends a job through again. Exactly-once
//! delivery is not on offer from any queue; what a system can have is
//! effectively-once *processing*: at-least-once delivery plus handlers
//! whose effect happens once per job id.
//!
//! The naive handler checks a "done" marker, applies the effect, then sets
//! the marker. Two deliveries running at once both see "not done" and both
//! apply it; a crash between the effect and the marker applies it again on
//! the next delivery. The fix, where the effect lives in the same store as
//! the marker: check, apply and mark in one atomic step, one Lua script
//! crediting a balance. Nothing runs between the script's check and its
//! writes, so two deliveries cannot both pass; and the marker is written
//! last, so a credit that fails leaves none.
//!
//! An effect outside the store (an email, a payment API) cannot share a
//! transaction with the marker, so a marker alone leaves the crash window
//! open; there, pass the job id to the other side as its idempotency key
//! and let it refuse the duplicate.

use std::collections::{HashMap, HashSet};
use std::error::Error;
use std::fmt;
use std::sync::{LazyLock, Mutex};
use std::time::Duration;

use job_queue::{Claim, JobId, Queue};
use redis::aio::MultiplexedConnection;
use redis::{RedisError, Script};

/// Whether a delivery applied its effect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applied {
    /// This delivery applied it.
    Now,
    /// An earlier delivery of the same job id already had; nothing changed.
    Already,
}

/// The port: a store that applies an effect and marks the job done, both or
/// neither, once per job id.
pub trait EffectStore: Send + Sync {
    /// The change a job makes.
    type Effect: Send + Sync;
    /// Why the store failed (then neither the effect nor the marker exist).
    type Error: Error + Send + Sync + 'static;

    /// Apply `effect` and mark `job` done in one atomic step, unless `job`
    /// is marked already.
    fn apply_once(
        &self,
        job: &JobId,
        effect: &Self::Effect,
    ) -> impl Future<Output = Result<Applied, Self::Error>> + Send;
}

/// The effect of the lesson's jobs: add `cents` to an account's balance.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
pub struct Credit {
    /// The account.
    pub account: String,
    /// The amount, in cents (negative for a debit).
    pub cents: i64,
}

/// Why an [`Idempotent`] handling failed. Either way the job is not marked
/// done, so the next delivery tries again.
#[derive(Debug, thiserror::Error)]
pub enum HandleError<E, S> {
    /// The handler could not decide the effect (a bad payload, a lookup
    /// that failed).
    #[error("the handler failed")]
    Handler(#[source] E),
    /// The store failed to apply it.
    #[error("the effect store failed")]
    Store(#[source] S),
}

/// Runs a handler so that its effect happens once per job id.
///
/// The handler is split in two: `decide` reads the job and returns the
/// effect, with no side effect of its own, so running it twice is harmless;
/// the store then applies the effect and the marker together.
#[derive(Debug, Clone)]
pub struct Idempotent<S> {
    store: S,
}

impl<S: EffectStore> Idempotent<S> {
    /// A wrapper applying effects through `store`.
    pub fn new(store: S) -> Self {
        Self { store }
    }

    /// The store.
    pub fn store(&self) -> &S {
        &self.store
    }

    /// Handle one delivery of `claim`: decide its effect, then apply it
    /// unless an earlier delivery of the same job id did.
    ///
    /// # Errors
    ///
    /// [`HandleError::Handler`] if `decide` failed, [`HandleError::Store`]
    /// if the store did; in both cases the job is not marked done.
    pub async fn handle<E, F>(
        &self,
        claim: &Claim,
        decide: F,
    ) -> Result<Applied, HandleError<E, S::Error>>
    where
        F: FnOnce(&Claim) -> Result<S::Effect, E>,
    {
        let effect = decide(claim).map_err(HandleError::Handler)?;
        self.store
            .apply_once(claim.id(), &effect)
            .await
            .map_err(HandleError::Store)
    }
}

/// KEYS: the job's done marker, the balances hash.
/// ARGV: marker TTL (ms), account, cents.
/// Returns 1 if the credit was applied, 0 if the job was done already.
///
/// The effect first, the marker last. Inside a script, checking the marker
/// and then acting on the answer is safe: nothing else runs in between. But
/// a script is not a transaction that rolls back: if a command fails (here
/// `HINCRBY` refuses a balance that would overflow, or a field that is not
/// a number), the script stops with an error and the writes before it
/// stay. The rejected order, `SET marker NX` and then `HINCRBY`, would
/// leave a marker for a credit that never happened, and every later
/// delivery would skip the job. A script, not `MULTI`: a transaction cannot
/// branch on the `EXISTS` answer, which is only known at `EXEC`.
static CREDIT_ONCE: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r"
        if redis.call('EXISTS', KEYS[1]) == 1 then
            return 0
        end
        redis.call('HINCRBY', KEYS[2], ARGV[2], ARGV[3])
        redis.call('SET', KEYS[1], '1', 'PX', ARGV[1])
        return 1
        ",
    )
});

/// The longest done-marker TTL [`RedisLedger::new`] keeps.
const MAX_MARKER_TTL: Duration = Duration::from_secs(u32::MAX as u64);

/// Account balances in Redis, credited once per job id.
///
/// Keys, under the queue's prefix: `P:balances` (HASH account -> cents) and
/// one `P:done:<id>` marker per job, which expires after the marker TTL.
/// The TTL must outlast every way the job can come back: the retries, the
/// time it may sit dead, and a re-drive. A marker that expires first lets a
/// late duplicate through; one that never expires grows the database by
/// one key per job forever.
#[derive(Clone)]
pub struct RedisLedger {
    connection: MultiplexedConnection,
    prefix: String,
    balances: String,
    marker_ttl: Duration,
}

impl fmt::Debug for RedisLedger {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisLedger")
            .field("balances", &self.balances)
            .field("marker_ttl", &self.marker_ttl)
            .finish_non_exhaustive()
    }
}

impl RedisLedger {
    /// A ledger next to `queue` (same server, same prefix), keeping done
    /// markers for `marker_ttl` (whole milliseconds, from 1 ms to
    /// [`u32::MAX`] seconds, about 136 years).
    pub fn new(queue: &Queue, marker_ttl: Duration) -> Self {
        let prefix = queue.keys().prefix().to_owned();
        Self {
            connection: queue.connection(),
            balances: format!("{prefix}balances"),
            prefix,
            // Capped because Redis refuses a `PX` whose deadline overflows
            // its clock, and that `SET` runs after the credit: a refused
            // marker would leave a credit that a duplicate repeats.
            marker_ttl: marker_ttl.clamp(Duration::from_millis(1), MAX_MARKER_TTL),
        }
    }

    /// The done marker's key for `job`.
    pub fn marker_key(&self, job: &JobId) -> String {
        format!("{}done:{job}", self.prefix)
    }

    /// The balance of `account`, in cents (0 if it was never credited).
    pub async fn balance(&self, account: &str) -> Result<i64, RedisError> {
        let cents: Option<i64> = redis::cmd("HGET")
            .arg(&self.balances)
            .arg(account)
            .query_async(&mut self.connection.clone())
            .await?;
        Ok(cents.unwrap_or(0))
    }
}

impl EffectStore for RedisLedger {
    type Effect = Credit;
    type Error = RedisError;

    async fn apply_once(
        &self,
        job: &JobId,
        effect: &Credit,
    ) -> Result<Applied, RedisError> {
        let ttl_ms = u64::try_from(self.marker_ttl.as_millis()).unwrap_or(u64::MAX);
        let applied: i64 = CREDIT_ONCE
            .key(self.marker_key(job))
            .key(&self.balances)
            .arg(ttl_ms)
            .arg(&effect.account)
            .arg(effect.cents)
            .invoke_async(&mut self.connection.clone())
            .await?;
        Ok(if applied == 1 {
            Applied::Now
        } else {
            Applied::Already
        })
    }
}

/// The same port in memory, for handler tests that need no Redis: one
/// mutex over the markers and the balances makes the pair atomic, as the
/// script does in Redis.
#[derive(Debug, Default)]
pub struct MemoryLedger {
    state: Mutex<MemoryState>,
}

#[derive(Debug, Default)]
struct MemoryState {
    done: HashSet<JobId>,
    balances: HashMap<String, i64>,
}

/// [`MemoryLedger`] never fails.
#[derive(Debug, thiserror::Error)]
#[error("the memory ledger cannot fail")]
pub enum Never {}

impl MemoryLedger {
    /// An empty ledger.
    pub fn new() -> Self {
        Self::default()
    }

    /// The balance of `account`, in cents.
    pub fn balance(&self, account: &str) -> i64 {
        let state = self
            .state
            .lock()
            .unwrap_or_else(|poison| poison.into_inner());
        state.balances.get(account).copied().unwrap_or(0)
    }
}

impl EffectStore for MemoryLedger {
    type Effect = Credit;
    type Error = Never;

    async fn apply_once(&self, job: &JobId, effect: &Credit) -> Result<Applied, Never> {
        let mut state = self
            .state
            .lock()
            .unwrap_or_else(|poison| poison.into_inner());
        if !state.done.insert(job.clone()) {
            return Ok(Applied::Already);
        }
        *state.balances.entry(effect.account.clone()).or_default() += effect.cents;
        Ok(Applied::Now)
    }
}

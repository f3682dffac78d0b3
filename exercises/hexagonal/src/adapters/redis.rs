//! Step 4: the outbound adapter: [`JobQueue`] on a Redis list.
//!
//! Keys, all under the configured prefix `P`:
//!
//! | Key | Type | Holds |
//! |---|---|---|
//! | `P:jobs` | LIST | one JSON record per job, newest at the head (LPUSH) |
//! | `P:dedupe:<key>` | STRING | the id of the job first queued with `<key>`, expiring after the dedupe window |
//!
//! The adapter owns this format: the domain has no serde derive and no
//! key name. Its other job is translation. Every `RedisError` becomes a
//! [`QueueError`] before it leaves this file, so the core decides "retry
//! or not" without knowing Redis exists, and the `RedisError` survives as
//! the `source` for the log.

use std::fmt;
use std::sync::LazyLock;
use std::time::Duration;

use redis::aio::MultiplexedConnection;
use redis::{AsyncConnectionConfig, Client, RedisError, RetryMethod, Script};

use crate::domain::model::{Job, JobId};
use crate::domain::ports::{Enqueued, JobQueue, QueueError, implements_job_queue};

/// Where the Redis queue lives and how patient it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RedisConfig {
    /// `redis://127.0.0.1:6379/`.
    pub url: String,
    /// Put in front of every key (`jobs` gives `jobs:jobs`); a `:` is added
    /// unless the prefix ends with one.
    pub prefix: String,
    /// How long a repeated idempotency key is recognised (default 24 h).
    pub dedupe_window: Duration,
    /// The connect timeout and the response timeout of every command
    /// (default 2 s).
    pub timeout: Duration,
}

impl RedisConfig {
    /// The defaults for the queue at `url` under `prefix`.
    pub fn new(url: impl Into<String>, prefix: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            prefix: prefix.into(),
            dedupe_window: Duration::from_secs(24 * 60 * 60),
            timeout: Duration::from_secs(2),
        }
    }
}

/// [`JobQueue`] on a Redis list.
///
/// One multiplexed connection, which clones share. It does not reconnect:
/// after Redis restarts every call answers [`QueueError::Unavailable`] and
/// the process must build a new adapter (Day 136's queue makes the same
/// choice, for the same reason: a silent reconnect would hide that a
/// restart without persistence lost every job).
#[derive(Clone)]
pub struct RedisQueue {
    connection: MultiplexedConnection,
    jobs_key: String,
    dedupe_prefix: String,
    dedupe_window_ms: u64,
}

impl fmt::Debug for RedisQueue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisQueue")
            .field("jobs_key", &self.jobs_key)
            .field("dedupe_prefix", &self.dedupe_prefix)
            .field("dedupe_window_ms", &self.dedupe_window_ms)
            .finish_non_exhaustive()
    }
}

/// KEYS: the jobs list, then the dedupe key when the job has one. ARGV:
/// id, record (JSON), dedupe window (ms). Returns the earlier job's id for
/// a duplicate, or nil.
///
/// Reads first, writes last: a Lua script is atomic (no other command runs
/// in between) but not transactional (an error half-way keeps the writes
/// already made). The GET and the LPUSH are the calls that can fail with
/// WRONGTYPE, so they come before the SET: a failed LPUSH leaves no dedupe
/// key pointing at a job that was never queued.
static ENQUEUE: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r"
        if #KEYS == 2 then
            local earlier = redis.call('GET', KEYS[2])
            if earlier then
                return earlier
            end
        end
        redis.call('LPUSH', KEYS[1], ARGV[2])
        if #KEYS == 2 then
            redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[3])
        end
        return false
        ",
    )
});

impl RedisQueue {
    /// Connect to the Redis of `config`.
    ///
    /// # Errors
    ///
    /// [`QueueError::Unavailable`] when Redis cannot be reached in time,
    /// [`QueueError::Corrupt`] for a URL that can never work.
    pub async fn connect(config: &RedisConfig) -> Result<Self, QueueError> {
        // TODO: `Client::open(url)`, then
        // `get_multiplexed_async_connection_with_config` with
        // `AsyncConnectionConfig::new()` setting the connection and response
        // timeouts to `config.timeout`; every RedisError goes through `translate`.
        // Keys: the prefix (add a ':' unless it is empty or ends with one), then
        // `jobs` and `dedupe:`. The window in whole milliseconds.
        todo!("RedisQueue::connect: connect with timeouts and build the keys")
    }

    /// The list the jobs are pushed on (`P:jobs`).
    pub fn jobs_key(&self) -> &str {
        &self.jobs_key
    }

    /// The key that remembers `key` (`P:dedupe:<key>`).
    pub fn dedupe_key(&self, key: &str) -> String {
        format!("{}{key}", self.dedupe_prefix)
    }
}

impl JobQueue for RedisQueue {
    async fn enqueue(&self, job: &Job) -> Result<Enqueued, QueueError> {
        // TODO: build the JSON record (id, kind, payload, idempotency_key,
        // submitted_at_ms) with `serde_json::json!`; invoke ENQUEUE with the jobs
        // list as the first key, the dedupe key as the second only when the job
        // has a key, and the id, record and window as args; `invoke_async` on a
        // clone of the connection. nil -> Accepted; an id -> Duplicate, or
        // Corrupt if it does not parse as a JobId.
        todo!("RedisQueue::enqueue: run the script and read its answer")
    }
}

/// Turn a `RedisError` into the domain's [`QueueError`], by redis-rs's
/// own judgement of it, [`RedisError::retry_method`]:
///
/// - `NoRetry`: the server answered and refused the command (WRONGTYPE, a
///   script error, an unexpected reply type). The same call fails the same
///   way again, so [`QueueError::Corrupt`].
/// - anything else: a refused or dropped connection, a timeout, a server
///   still loading its data. A later call may succeed, so
///   [`QueueError::Unavailable`].
///
/// The rejected alternative, matching on the error's text ("connection
/// refused"), breaks when redis-rs rewords a message. Checking
/// `is_io_error()` and `is_timeout()` alone would work for the network
/// cases, but would call BUSYLOADING (a server reading its data after a
/// restart, a clear "retry later") corrupt.
fn translate(error: RedisError) -> QueueError {
    // TODO: `error.retry_method()`: NoRetry is Corrupt, anything else is
    // Unavailable; the RedisError becomes the source.
    todo!("translate: RedisError to the domain's QueueError")
}

// The build fails here, next to the adapter, if `RedisQueue` stops
// implementing its port: see `implements_job_queue`.
const _: () = implements_job_queue::<RedisQueue>();

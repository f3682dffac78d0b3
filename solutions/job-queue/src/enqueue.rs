//! Step 1: connect, and enqueue a job atomically.
//!
//! A job is an id ([`JobId`], parsed once at the edge) and a JSON payload.
//! The id goes on the `pending` list and the payload into the `jobs` hash;
//! both writes happen in one Lua script, so no reader ever sees an id
//! without its payload, and a second job with the same id is refused rather
//! than silently overwriting the first one's payload.
//!
//! [`Queue::connect`] opens two connections: one for short commands, and a
//! dedicated one for the blocking `BLMOVE` of step 2, whose response timeout
//! must outlast the block.

use std::sync::{Arc, LazyLock};
use std::time::Duration;
use std::{fmt, str::FromStr};

use redis::aio::MultiplexedConnection;
use redis::{AsyncConnectionConfig, Client, RedisError, Script};

use crate::clock::{Clock, SystemClock};
use crate::keys::Keys;

/// The longest id accepted, in bytes.
pub const MAX_ID_LEN: usize = 128;

/// A job's id: 1 to [`MAX_ID_LEN`] ASCII letters, digits, `-`, `_`, `.`
/// or `:`.
///
/// The id is a list element and a hash field, and it shows up in logs and
/// in `redis-cli` output, so it is kept to characters that need no quoting
/// anywhere. Parsing once here means every other function takes a `JobId`
/// and never checks again.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct JobId(String);

/// Why a string is not a [`JobId`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JobIdError {
    /// The id was empty.
    #[error("a job id cannot be empty")]
    Empty,
    /// The id was longer than [`MAX_ID_LEN`] bytes.
    #[error("a job id is at most {max} bytes, this one is {len}")]
    TooLong {
        /// Its length in bytes.
        len: usize,
        /// The limit, [`MAX_ID_LEN`].
        max: usize,
    },
    /// The id held a character outside the allowed set.
    #[error(
        "a job id may hold only ASCII letters, digits, '-', '_', '.' and ':', not {ch:?} (at byte {at})"
    )]
    BadChar {
        /// The first character refused.
        ch: char,
        /// Its byte offset.
        at: usize,
    },
}

impl JobId {
    /// Parse `text` as an id.
    pub fn parse(text: &str) -> Result<Self, JobIdError> {
        if text.is_empty() {
            return Err(JobIdError::Empty);
        }
        if text.len() > MAX_ID_LEN {
            return Err(JobIdError::TooLong {
                len: text.len(),
                max: MAX_ID_LEN,
            });
        }
        // `char_indices`, not bytes: a multi-byte character is reported as
        // itself ('é'), not as its first byte.
        if let Some((at, ch)) = text
            .char_indices()
            .find(|&(_, ch)| !(ch.is_ascii_alphanumeric() || "-_.:".contains(ch)))
        {
            return Err(JobIdError::BadChar { ch, at });
        }
        Ok(Self(text.to_owned()))
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for JobId {
    type Err = JobIdError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::parse(text)
    }
}

impl fmt::Display for JobId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// How a [`Queue`] behaves; [`QueueConfig::new`] gives the defaults.
#[derive(Debug, Clone)]
pub struct QueueConfig {
    pub(crate) prefix: String,
    pub(crate) lease: Duration,
    pub(crate) block: Duration,
    pub(crate) command_timeout: Duration,
    pub(crate) reap_batch: usize,
    pub(crate) clock: Arc<dyn Clock>,
}

impl QueueConfig {
    /// The defaults for the queue under `prefix` (see [`Keys`]): a 30 s
    /// lease, a 5 s block per dequeue, a 2 s timeout for every other
    /// command, at most 100 expired leases per reap, and the system clock.
    pub fn new(prefix: impl Into<String>) -> Self {
        Self {
            prefix: prefix.into(),
            lease: Duration::from_secs(30),
            block: Duration::from_secs(5),
            command_timeout: Duration::from_secs(2),
            reap_batch: 100,
            clock: Arc::new(SystemClock),
        }
    }

    /// How long a claimed job belongs to its worker before the reaper may
    /// hand it to another (whole milliseconds).
    pub fn lease(mut self, lease: Duration) -> Self {
        self.lease = lease;
        self
    }

    /// How long one dequeue waits on an empty queue before it returns
    /// `None` (whole milliseconds; `BLMOVE`'s timeout).
    pub fn block(mut self, block: Duration) -> Self {
        self.block = block;
        self
    }

    /// The response timeout of the connection for short commands.
    pub fn command_timeout(mut self, timeout: Duration) -> Self {
        self.command_timeout = timeout;
        self
    }

    /// At most this many expired leases are re-queued by one reap.
    pub fn reap_batch(mut self, batch: usize) -> Self {
        self.reap_batch = batch;
        self
    }

    /// The clock leases are stamped and checked with.
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// The prefix given to [`QueueConfig::new`].
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// The lease length.
    pub fn lease_duration(&self) -> Duration {
        self.lease
    }

    /// The dequeue block time.
    pub fn block_duration(&self) -> Duration {
        self.block
    }

    /// The response timeout of the dedicated dequeue connection: the block
    /// time plus one second.
    ///
    /// redis-rs 1.x gives every async connection a 500 ms response timeout
    /// by default. On a connection like that, `BLMOVE ... 5` fails with
    /// "timed out" after half a second while the server goes on waiting,
    /// and may still move a job nobody is listening for. The margin covers
    /// the round trip and the server's timer resolution.
    pub fn blocking_response_timeout(&self) -> Duration {
        self.block + Duration::from_secs(1)
    }

    fn check(&self) -> Result<(), ConfigError> {
        if self.prefix.is_empty() {
            return Err(ConfigError::EmptyPrefix);
        }
        if self.lease.as_millis() == 0 {
            return Err(ConfigError::ZeroLease);
        }
        // BLMOVE's 0 means "block forever": a worker that can never come
        // back to check for shutdown. Refuse it rather than pass it on.
        if self.block.as_millis() == 0 {
            return Err(ConfigError::ZeroBlock);
        }
        if self.reap_batch == 0 {
            return Err(ConfigError::ZeroReapBatch);
        }
        Ok(())
    }
}

/// A [`QueueConfig`] that [`Queue::connect`] refuses.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    /// The prefix was empty: the keys would collide with anyone's.
    #[error("the queue's key prefix cannot be empty")]
    EmptyPrefix,
    /// The lease was shorter than a millisecond.
    #[error("the lease must be at least 1 ms")]
    ZeroLease,
    /// The block time was shorter than a millisecond (0 blocks forever).
    #[error("the dequeue block time must be at least 1 ms (0 would block forever)")]
    ZeroBlock,
    /// The reap batch was zero: the reaper would never re-queue anything.
    #[error("the reap batch must be at least 1")]
    ZeroReapBatch,
}

/// Why [`Queue::connect`] failed.
#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    /// The configuration was refused.
    #[error("invalid queue configuration")]
    Config(#[from] ConfigError),
    /// The URL was bad or the server could not be reached.
    #[error("could not connect to redis")]
    Redis(#[from] RedisError),
}

/// Why [`Queue::enqueue`] refused a job. Nothing was written in any case.
#[derive(Debug, thiserror::Error)]
pub enum EnqueueError {
    /// The payload is not JSON.
    #[error("the payload of job {id} is not valid JSON")]
    InvalidPayload {
        /// The job.
        id: JobId,
        /// Where the JSON parser stopped.
        #[source]
        source: serde_json::Error,
    },
    /// A job with this id is already queued, claimed or unacked.
    #[error("job {0} is already in the queue")]
    Duplicate(JobId),
    /// Redis failed or could not be reached; the job may or may not have
    /// been written if the failure came after the command was sent.
    #[error("redis failed while enqueueing")]
    Redis(#[from] RedisError),
}

/// How many ids sit in each part of the queue, from [`Queue::counts`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counts {
    /// Ids waiting in `pending`.
    pub pending: usize,
    /// Ids in `processing` (claimed, or moved and not yet claimed).
    pub processing: usize,
    /// Ids with a lease.
    pub leased: usize,
    /// Payloads stored in `jobs` (every job not yet acked).
    pub stored: usize,
}

/// A Redis job queue: enqueue, dequeue with a lease, ack, reap.
///
/// Give each worker its own `Queue` (connect one per worker): `dequeue`
/// takes `&mut self` because it blocks the queue's dedicated connection,
/// and two `BLMOVE`s on one connection would wait in line behind each other
/// (the server handles a blocked connection's next command only after the
/// block ends). Every other method takes `&self`.
///
/// The queue does not reconnect by itself. After a connection error (Redis
/// restarted, network cut), every call on this `Queue` fails; connect a new
/// one. A hidden reconnect would hide that a restart without persistence
/// lost every job, which the caller must hear about.
pub struct Queue {
    pub(crate) keys: Keys,
    pub(crate) config: QueueConfig,
    /// Short commands: scripts, counts. Multiplexed, so `&self` methods can
    /// share it (a clone is a handle to the same socket).
    pub(crate) commands: MultiplexedConnection,
    /// BLMOVE only. Opened by `connect` rather than by the first dequeue:
    /// a lazy open would let a dequeue after a Redis restart succeed on a
    /// fresh socket while every other call fails, and a queue that fails
    /// half-way is harder to reason about than one that fails whole.
    pub(crate) blocking: MultiplexedConnection,
}

impl fmt::Debug for Queue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Queue")
            .field("keys", &self.keys)
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

/// KEYS: jobs, pending. ARGV: id, payload. Returns 1, or 0 for a duplicate.
///
/// HSETNX first: if the id already has a payload, nothing is written. A
/// MULTI/EXEC transaction could not do this, because inside MULTI the
/// HSETNX's answer is not known until EXEC, when the LPUSH has already
/// been queued.
static ENQUEUE: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r"
        if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 0 then
            return 0
        end
        redis.call('LPUSH', KEYS[2], ARGV[1])
        return 1
        ",
    )
});

impl Queue {
    /// Check `config`, then connect to the Redis at `url`
    /// (`redis://127.0.0.1:6379/`).
    pub async fn connect(url: &str, config: QueueConfig) -> Result<Self, ConnectError> {
        config.check()?;
        let client = Client::open(url)?;
        let commands = client
            .get_multiplexed_async_connection_with_config(
                &AsyncConnectionConfig::new()
                    .set_connection_timeout(Some(config.command_timeout))
                    .set_response_timeout(Some(config.command_timeout)),
            )
            .await?;
        // Its own socket: while BLMOVE blocks, the server answers nothing
        // else on that connection, so sharing it with `commands` would
        // stall every ack behind an empty queue. And its own response
        // timeout: redis-rs's 500 ms default would fail any block longer
        // than that.
        let blocking = client
            .get_multiplexed_async_connection_with_config(
                &AsyncConnectionConfig::new()
                    .set_connection_timeout(Some(config.command_timeout))
                    .set_response_timeout(Some(config.blocking_response_timeout())),
            )
            .await?;
        Ok(Self {
            keys: Keys::new(&config.prefix),
            config,
            commands,
            blocking,
        })
    }

    /// The queue's key names.
    pub fn keys(&self) -> &Keys {
        &self.keys
    }

    /// The configuration it was connected with.
    pub fn config(&self) -> &QueueConfig {
        &self.config
    }

    /// A handle to the connection for short commands (a clone shares the
    /// socket), for callers that run their own scripts against
    /// [`Queue::keys`], as the dead-letter queue does.
    pub fn connection(&self) -> MultiplexedConnection {
        self.commands.clone()
    }

    /// Now, by the queue's clock, in milliseconds since the epoch.
    pub fn now_ms(&self) -> u64 {
        self.config.clock.now_ms()
    }

    /// Add a job: check that `payload` is JSON, then write the payload and
    /// push the id on `pending` in one atomic script.
    pub async fn enqueue(&self, id: &JobId, payload: &str) -> Result<(), EnqueueError> {
        // Parse before any write: a payload that cannot be read at dequeue
        // time would otherwise be found only by a worker, maybe days later.
        if let Err(source) = serde_json::from_str::<serde_json::Value>(payload) {
            return Err(EnqueueError::InvalidPayload {
                id: id.clone(),
                source,
            });
        }
        let added: i64 = ENQUEUE
            .key(self.keys.jobs())
            .key(self.keys.pending())
            .arg(id.as_str())
            .arg(payload)
            .invoke_async(&mut self.commands.clone())
            .await?;
        if added == 0 {
            return Err(EnqueueError::Duplicate(id.clone()));
        }
        Ok(())
    }

    /// How many ids sit in each part of the queue (one pipelined round
    /// trip; the four numbers are read together, not one by one).
    pub async fn counts(&self) -> Result<Counts, RedisError> {
        let (pending, processing, leased, stored) = redis::pipe()
            .atomic()
            .llen(self.keys.pending())
            .llen(self.keys.processing())
            .zcard(self.keys.leases())
            .hlen(self.keys.jobs())
            .query_async(&mut self.commands.clone())
            .await?;
        Ok(Counts {
            pending,
            processing,
            leased,
            stored,
        })
    }
}

//! The dead-letter queue's handle, its two new keys, and a census of where
//! every job is. Not a step: the steps add methods to this type.
//!
//! Day 136's queue knows four places a job can be: `pending`,
//! `processing`, and (as side data) its lease and claim. This lesson adds
//! two more, under the same prefix so the scripts can touch all of them
//! atomically:
//!
//! | Key | Type | Holds |
//! |---|---|---|
//! | `P:scheduled` | ZSET | id -> when to retry (ms since the epoch) |
//! | `P:dead` | LIST | dead-letter records, JSON, oldest first |
//!
//! A job that is scheduled or dead keeps its payload in `P:jobs`, so the
//! queue still refuses a second job with the same id (Day 136's enqueue
//! checks `P:jobs`), and a re-drive only has to move the id.

use std::fmt;
use std::sync::Mutex;

use backoff::RetryPolicy;
use job_queue::{ConnectError, Keys, Queue, QueueConfig};
use redis::RedisError;
use redis::aio::MultiplexedConnection;

use crate::record::DeadLetter;

/// The queue's keys plus the two this lesson adds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeadKeys {
    queue: Keys,
    scheduled: String,
    dead: String,
}

impl DeadKeys {
    /// The keys under `prefix` (the same rule as [`Keys::new`]).
    pub fn new(prefix: &str) -> Self {
        let queue = Keys::new(prefix);
        Self {
            scheduled: format!("{}scheduled", queue.prefix()),
            dead: format!("{}dead", queue.prefix()),
            queue,
        }
    }

    /// Day 136's keys.
    pub fn queue(&self) -> &Keys {
        &self.queue
    }

    /// `P:scheduled`: the ZSET of id -> retry time (ms since the epoch).
    pub fn scheduled(&self) -> &str {
        &self.scheduled
    }

    /// `P:dead`: the LIST of dead-letter records (JSON), oldest first.
    pub fn dead(&self) -> &str {
        &self.dead
    }
}

/// Where every job is, read in one atomic round trip.
///
/// The ids are as stored; the lists are in Redis order. A dead record that
/// does not parse is counted in `unreadable`, not dropped.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Census {
    /// Ids in `P:pending`.
    pub pending: Vec<String>,
    /// Ids in `P:processing`.
    pub processing: Vec<String>,
    /// Ids in `P:scheduled`, earliest first.
    pub scheduled: Vec<String>,
    /// Ids of the records in `P:dead`, oldest first.
    pub dead: Vec<String>,
    /// Records in `P:dead` that are not valid records.
    pub unreadable: usize,
    /// Ids with a payload in `P:jobs`, sorted.
    pub stored: Vec<String>,
}

impl Census {
    /// Every id in one of the four places, sorted, repeats kept: for a
    /// healthy queue this equals [`Census::stored`].
    pub fn placed(&self) -> Vec<String> {
        let mut all: Vec<String> =
            [&self.pending, &self.processing, &self.scheduled, &self.dead]
                .into_iter()
                .flatten()
                .cloned()
                .collect();
        all.sort();
        all
    }
}

/// Settles failed jobs, keeps the dead ones, and re-drives them.
///
/// It holds its own [`Queue`] (connected with the same configuration as
/// the workers', so the same prefix and clock) for enqueue, counts and the
/// time, and never dequeues on it (its blocking connection stays idle: one
/// socket is the price). The rejected alternative, borrowing a worker's
/// `Queue`, would clash with `dequeue(&mut self)`.
pub struct DeadLetterQueue {
    pub(crate) queue: Queue,
    pub(crate) keys: DeadKeys,
    pub(crate) policy: RetryPolicy,
    /// Jitter needs random numbers, and `settle` takes `&self`, so the
    /// generator sits behind a lock (held for one draw, never across an
    /// `.await`).
    pub(crate) rng: Mutex<fastrand::Rng>,
}

impl fmt::Debug for DeadLetterQueue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DeadLetterQueue")
            .field("keys", &self.keys)
            .field("policy", &self.policy)
            .finish_non_exhaustive()
    }
}

impl DeadLetterQueue {
    /// Connect to the queue at `url` configured by `config` (the workers'
    /// configuration), retrying failed jobs as `policy` says.
    pub async fn connect(
        url: &str,
        config: QueueConfig,
        policy: RetryPolicy,
    ) -> Result<Self, ConnectError> {
        let keys = DeadKeys::new(config.prefix());
        let queue = Queue::connect(url, config).await?;
        Ok(Self {
            queue,
            keys,
            policy,
            rng: Mutex::new(fastrand::Rng::new()),
        })
    }

    /// The same queue with its jitter drawn from a generator seeded with
    /// `seed`, for tests and demonstrations that print delays.
    #[must_use]
    pub fn with_seed(self, seed: u64) -> Self {
        Self {
            rng: Mutex::new(fastrand::Rng::with_seed(seed)),
            ..self
        }
    }

    /// The queue this one settles jobs of (enqueue, counts, time).
    pub fn queue(&self) -> &Queue {
        &self.queue
    }

    /// Its keys.
    pub fn keys(&self) -> &DeadKeys {
        &self.keys
    }

    /// The retry policy.
    pub fn policy(&self) -> &RetryPolicy {
        &self.policy
    }

    pub(crate) fn connection(&self) -> MultiplexedConnection {
        self.queue.connection()
    }

    /// Every record in `P:dead`, oldest first; one that does not parse is
    /// returned as the text and the parse error, never skipped.
    pub async fn dead_letters(
        &self,
    ) -> Result<Vec<Result<DeadLetter, UnreadableRecord>>, RedisError> {
        let raw: Vec<String> = redis::cmd("LRANGE")
            .arg(self.keys.dead())
            .arg(0)
            .arg(-1)
            .query_async(&mut self.connection())
            .await?;
        Ok(raw.into_iter().map(parse_record).collect())
    }

    /// Where every job is, read in one `MULTI`/`EXEC`, so that no job is
    /// seen twice or missed while it moves.
    pub async fn census(&self) -> Result<Census, RedisError> {
        let keys = &self.keys;
        let (pending, processing, scheduled, dead, mut stored): FiveLists = redis::pipe()
            .atomic()
            .lrange(keys.queue().pending(), 0, -1)
            .lrange(keys.queue().processing(), 0, -1)
            .zrange(keys.scheduled(), 0, -1)
            .lrange(keys.dead(), 0, -1)
            .hkeys(keys.queue().jobs())
            .query_async(&mut self.connection())
            .await?;
        stored.sort();
        let mut census = Census {
            pending,
            processing,
            scheduled,
            stored,
            ..Census::default()
        };
        for record in dead.into_iter().map(parse_record) {
            match record {
                Ok(record) => census.dead.push(record.id),
                Err(_) => census.unreadable += 1,
            }
        }
        Ok(census)
    }
}

/// The census's five replies, in pipeline order.
type FiveLists = (
    Vec<String>,
    Vec<String>,
    Vec<String>,
    Vec<String>,
    Vec<String>,
);

/// A `P:dead` entry that is not a [`DeadLetter`] (pushed by hand, or by a
/// newer version with another format).
#[derive(Debug, thiserror::Error)]
#[error("a dead-letter entry is not a valid record")]
pub struct UnreadableRecord {
    /// The entry as stored.
    pub raw: String,
    /// Why it did not parse.
    #[source]
    pub source: serde_json::Error,
}

pub(crate) fn parse_record(raw: String) -> Result<DeadLetter, UnreadableRecord> {
    match DeadLetter::from_json(&raw) {
        Ok(record) => Ok(record),
        Err(source) => Err(UnreadableRecord { raw, source }),
    }
}

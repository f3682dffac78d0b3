//! Tests for the `job-queue` exercise, one module per step of the lesson.
//!
//! Run them with `cargo test -p job-queue`; they fail until you implement
//! the step they test. The modules are numbered in the lesson's order
//! (enqueue, dequeue, ack, reaper), then the fault tests that need all four:
//! to run one step only, `cargo test -p job-queue step2`.
//!
//! Every test starts its own `redis-server` (through `redis_harness`, about
//! 25 ms each) and puts the test's prefix in front of every key, so tests
//! never see each other's jobs, also when `REDIS_URL` makes them share one
//! server. Leases are measured on a [`ManualClock`] that the tests move by
//! hand: no test sleeps for a lease. The only real waits are a dequeue's
//! block time where the block itself is the subject (tens of ms; one test
//! blocks 600 ms to step over redis-rs's 500 ms default timeout).

mod step1_enqueue;
mod step2_dequeue;
mod step3_ack;
mod step4_reaper;
mod step5_faults;

use std::sync::Arc;
use std::time::{Duration, Instant};

use job_queue::{JobId, Keys, ManualClock, Queue, QueueConfig};
use proptest::test_runner::Config;
use redis::AsyncCommands;
use redis::aio::MultiplexedConnection;
use redis_harness::TestRedis;

/// The lease every test queue uses.
const LEASE: Duration = Duration::from_secs(30);

/// Where the manual clock starts (2023-11-14, in ms since the epoch).
const START_MS: u64 = 1_700_000_000_000;

/// How long a test queue's dequeue blocks on an empty queue.
const BLOCK: Duration = Duration::from_millis(100);

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

fn id(text: &str) -> JobId {
    JobId::parse(text).expect("the test's ids are valid")
}

/// A private Redis, the test's prefix, and a clock the test moves.
struct Setup {
    redis: TestRedis,
    clock: ManualClock,
}

impl Setup {
    fn start(test: &str) -> Self {
        Self {
            redis: TestRedis::start(test),
            clock: ManualClock::new(START_MS),
        }
    }

    /// A server of the test's own even when `REDIS_URL` is set, for tests
    /// that read server-wide figures (how many clients are blocked).
    fn private(test: &str) -> Self {
        let redis = TestRedis::start_with(test, None)
            .unwrap_or_else(|error| panic!("{}", redis_harness::report(&error)));
        Self {
            redis,
            clock: ManualClock::new(START_MS),
        }
    }

    /// The configuration every test queue starts from.
    fn config(&self) -> QueueConfig {
        QueueConfig::new(self.redis.prefix())
            .lease(LEASE)
            .block(BLOCK)
            .clock(Arc::new(self.clock.clone()))
    }

    /// A queue (one per worker, as in production).
    async fn queue(&self) -> Queue {
        Queue::connect(self.redis.url(), self.config())
            .await
            .expect("the queue connects to the test's redis-server")
    }

    fn keys(&self) -> Keys {
        Keys::new(self.redis.prefix())
    }

    /// A plain connection, to look at the keys behind the queue's back.
    async fn raw(&self) -> MultiplexedConnection {
        redis::Client::open(self.redis.url())
            .expect("a valid URL")
            .get_multiplexed_async_connection()
            .await
            .expect("a plain connection to the test's redis-server")
    }
}

/// The ids in a list, left (newest) to right (oldest).
async fn list(raw: &mut MultiplexedConnection, key: &str) -> Vec<String> {
    raw.lrange(key, 0, -1).await.expect("LRANGE")
}

/// The lease deadline of `id`, if it has one.
async fn lease_of(raw: &mut MultiplexedConnection, keys: &Keys, id: &str) -> Option<u64> {
    raw.zscore(keys.leases(), id).await.expect("ZSCORE")
}

/// Wait (polling, up to 5 s) until the server has `n` clients blocked in a
/// command such as BLMOVE. The count is server-wide, so the tests that call
/// this use [`Setup::private`].
async fn wait_until_blocked(raw: &mut MultiplexedConnection, n: usize) {
    let start = Instant::now();
    loop {
        let info: String = redis::cmd("INFO")
            .arg("clients")
            .query_async(raw)
            .await
            .expect("INFO clients");
        let blocked = info
            .lines()
            .find_map(|line| line.strip_prefix("blocked_clients:"))
            .and_then(|count| count.trim().parse::<usize>().ok())
            .unwrap_or(0);
        if blocked == n {
            return;
        }
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "expected {n} client(s) blocked in BLMOVE within 5 s, saw {blocked}"
        );
        tokio::time::sleep(ms(2)).await;
    }
}

/// Wait (polling, up to 5 s) until the list `key` holds `n` ids.
async fn wait_until_len(raw: &mut MultiplexedConnection, key: &str, n: usize) {
    let start = Instant::now();
    loop {
        let len: usize = raw.llen(key).await.expect("LLEN");
        if len == n {
            return;
        }
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "expected {key} to hold {n} id(s) within 5 s, it holds {len}"
        );
        tokio::time::sleep(ms(2)).await;
    }
}

/// Property tests run 256 random cases each and write no regression files
/// into your exercise folder.
fn properties() -> Config {
    Config {
        failure_persistence: None,
        ..Config::default()
    }
}

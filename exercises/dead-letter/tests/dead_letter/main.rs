//! Tests for the `dead-letter` exercise, one module per step of the lesson.
//!
//! Run them with `cargo test -p dead-letter`; they fail until you implement
//! the step they test. Every test that needs Redis starts its own
//! `redis-server` (about 25 ms) through `redis_harness`, or uses `REDIS_URL`
//! when it is set, and puts its own prefix in front of every key. Time is a
//! `ManualClock` moved by hand: no test sleeps for a lease or a backoff.
//!
//! They are one test binary (`tests/dead_letter/main.rs` declares the
//! modules) rather than one file per step, so that the project links once,
//! not four times, after every edit.

mod step1_record;
mod step2_settle;
mod step3_redrive;
mod step4_idempotent;

use std::error::Error;
use std::io;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use backoff::{Backoff, Jitter, RetryPolicy};
use dead_letter::{Census, DeadLetterQueue};
use job_queue::{Claim, JobId, ManualClock, Queue, QueueConfig};
use redis_harness::TestRedis;

/// The manual clock's start: 2023-11-14, in ms since the epoch.
const START_MS: u64 = 1_700_000_000_000;

/// The lease every test queue uses.
const LEASE: Duration = Duration::from_secs(30);

/// A test's Redis, clock, one worker's queue and the dead-letter queue.
struct Harness {
    redis: TestRedis,
    clock: ManualClock,
    config: QueueConfig,
    worker: Queue,
    dlq: DeadLetterQueue,
}

/// Retry after 1 s, 2 s, 4 s... (no jitter, so due times are exact), at
/// most `max_attempts` attempts.
fn policy(max_attempts: u32) -> RetryPolicy {
    let backoff = Backoff::new(Duration::from_secs(1), Duration::from_secs(60))
        .expect("1 s to 60 s is a valid curve");
    RetryPolicy::new(backoff)
        .with_jitter(Jitter::None)
        .with_max_attempts(NonZeroU32::new(max_attempts).expect("at least one attempt"))
}

async fn harness(test: &str, max_attempts: u32) -> Harness {
    let redis = TestRedis::start(test);
    let clock = ManualClock::new(START_MS);
    let config = QueueConfig::new(redis.prefix())
        .lease(LEASE)
        .block(Duration::from_millis(100))
        .clock(Arc::new(clock.clone()));
    let worker = Queue::connect(redis.url(), config.clone())
        .await
        .expect("the worker's queue connects");
    let dlq = DeadLetterQueue::connect(redis.url(), config.clone(), policy(max_attempts))
        .await
        .expect("the dead-letter queue connects");
    Harness {
        redis,
        clock,
        config,
        worker,
        dlq,
    }
}

impl Harness {
    /// Enqueue `id` with a small JSON payload.
    async fn enqueue(&self, id: &str) -> JobId {
        let id = JobId::parse(id).expect("a valid test id");
        let payload = format!(r#"{{"account":"acct-{id}","cents":100}}"#);
        self.worker
            .enqueue(&id, &payload)
            .await
            .expect("a JSON payload is enqueued");
        id
    }

    /// Dequeue the next job, which must exist and be readable.
    async fn claim(&mut self) -> Claim {
        self.worker
            .dequeue()
            .await
            .expect("dequeue works")
            .expect("a job is waiting")
    }

    /// Let the lease of every claimed job expire and reap it back to
    /// `pending`: what happens when a worker dies or stalls.
    async fn expire_leases(&self) {
        self.clock.advance(LEASE + Duration::from_secs(1));
        self.worker.reap().await.expect("the reaper runs");
    }

    /// A second worker on the same queue.
    async fn another_worker(&self) -> Queue {
        Queue::connect(self.redis.url(), self.config.clone())
            .await
            .expect("a second worker connects")
    }

    /// Where every job is, checking that each stored job is in exactly one
    /// place.
    async fn census(&self) -> Census {
        let census = self.dlq.census().await.expect("the census is read");
        assert_eq!(
            census.placed(),
            census.stored,
            "every stored job should be in exactly one of pending, processing, \
             scheduled and dead: {census:?}"
        );
        census
    }
}

/// A timeout, which Day 137's `classify` calls transient.
fn timeout() -> io::Error {
    io::Error::new(io::ErrorKind::TimedOut, "no reply in 2s")
}

/// An error of a type nobody classifies, so permanent.
#[derive(Debug, thiserror::Error)]
#[error("the SMTP server refused the recipient")]
struct Refused {
    #[source]
    source: io::Error,
}

/// The top of a wrapped chain.
#[derive(Debug, thiserror::Error)]
#[error("sending the receipt failed")]
struct SendFailed {
    #[source]
    source: Box<dyn Error + Send + Sync>,
}

/// Three errors, each wrapping the next: send failed <- refused <- 550.
fn refused_chain() -> SendFailed {
    SendFailed {
        source: Box::new(Refused {
            source: io::Error::other("550 no such user"),
        }),
    }
}

/// A transient failure wrapped once: send failed <- timed out.
fn timed_out_send() -> SendFailed {
    SendFailed {
        source: Box::new(timeout()),
    }
}

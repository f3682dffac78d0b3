//! Tests for the `job-pool` exercise, one module per step: `step1_fetcher`
//! (`fetcher`, src/fetcher.rs), `step2_workers` (`run_job` and `worker`,
//! src/workers.rs) and `step3_drain` (`PoolConfig` and `run`,
//! src/drain.rs). Run them with `cargo test -p job-pool`; one step only
//! with `cargo test -p job-pool step1`.
//!
//! Nearly every test runs on tokio's paused clock (`start_paused = true`):
//! when every task waits on a timer, time jumps to the next one, so a test
//! can assert that a drain took *exactly* its deadline, in no real time.
//! [`within`] adds a (virtual) hour's limit around a run, so a deadlock
//! fails the test instead of hanging it.
//!
//! The doubles: [`Script`] is an in-memory [`JobSource`] that hands out a
//! list of deliveries, then ends, waits for ever or fails; [`Ledger`] is an
//! [`Acker`] that writes down every ack, nack and release with its time;
//! [`Leases`] counts the deliveries taken from the source and not yet
//! settled, and remembers the most there ever were.

mod step1_fetcher;
mod step2_workers;
mod step3_drain;

use std::collections::VecDeque;
use std::error::Error;
use std::io;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use job_pool::{Acker, Delivery, JobError, JobId, JobSource, NackReason, SourceError};
use proptest::test_runner::Config;
use tokio::time::{Instant, sleep};

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// The id of test job `n`: `job-01`, `job-02`, ... (two digits, so that
/// sorted ids are in number order).
fn id(n: u32) -> JobId {
    JobId::new(format!("job-{n:02}"))
}

fn ids(numbers: impl IntoIterator<Item = u32>) -> Vec<JobId> {
    numbers.into_iter().map(id).collect()
}

/// What a test job does when it runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Work {
    /// Succeeds after this long.
    Succeed(Duration),
    /// Fails with "card declined" after this long.
    Fail(Duration),
    /// Panics with "boom" as soon as it runs.
    Panic,
}

/// Job `n`'s first delivery.
fn delivery(n: u32, work: Work) -> Delivery<Work> {
    Delivery {
        id: id(n),
        payload: work,
        attempt: 1,
    }
}

/// Jobs `first..=last`, each doing `work`.
fn jobs(first: u32, last: u32, work: Work) -> Vec<Delivery<Work>> {
    (first..=last).map(|n| delivery(n, work)).collect()
}

/// The handler of most tests: does what the payload says.
async fn perform(delivery: Delivery<Work>) -> Result<(), JobError> {
    match delivery.payload {
        Work::Succeed(cost) => {
            sleep(cost).await;
            Ok(())
        }
        Work::Fail(cost) => {
            sleep(cost).await;
            Err(JobError::new("card declined"))
        }
        Work::Panic => panic!("boom"),
    }
}

/// Awaits `future`, failing the test if it takes more than a (virtual)
/// hour: on a paused clock, that is what a deadlock looks like.
async fn within<T>(future: impl Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(3600), future)
        .await
        .expect("still running after an hour of virtual time: a deadlock?")
}

/// How many spawned tasks are alive in the test's runtime: spawned, and
/// their future not yet dropped (a stable tokio metric). The paused-clock
/// runtime has one thread, so once the code under test returns, the count
/// is exact.
fn alive_tasks() -> usize {
    tokio::runtime::Handle::current()
        .metrics()
        .num_alive_tasks()
}

/// Property tests run 64 random cases each (every case builds a runtime)
/// and write no regression files into your exercise folder.
fn properties() -> Config {
    Config {
        cases: 64,
        failure_persistence: None,
        ..Config::default()
    }
}

/// Counts the leases a source handed out and that nobody has ended yet.
#[derive(Debug, Clone, Default)]
struct Leases(Arc<LeaseCounts>);

#[derive(Debug, Default)]
struct LeaseCounts {
    taken: AtomicUsize,
    held: AtomicUsize,
    high: AtomicUsize,
}

impl Leases {
    /// A delivery was handed out.
    fn take(&self) {
        self.0.taken.fetch_add(1, Ordering::SeqCst);
        let held = self.0.held.fetch_add(1, Ordering::SeqCst) + 1;
        self.0.high.fetch_max(held, Ordering::SeqCst);
    }

    /// A delivery was acked, nacked or released.
    fn end(&self) {
        self.0.held.fetch_sub(1, Ordering::SeqCst);
    }

    /// How many deliveries were ever handed out.
    fn taken(&self) -> usize {
        self.0.taken.load(Ordering::SeqCst)
    }

    /// How many are handed out and not settled now.
    fn held(&self) -> usize {
        self.0.held.load(Ordering::SeqCst)
    }

    /// The most that were ever held at once.
    fn high(&self) -> usize {
        self.0.high.load(Ordering::SeqCst)
    }
}

/// What a [`Script`] does once its deliveries are gone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Then {
    /// `fetch` returns `Ok(None)`: the source is exhausted.
    Exhausted,
    /// `fetch` waits for ever, like an open queue with nothing in it.
    Wait,
    /// `fetch` fails with a "connection reset" cause.
    Fail,
}

/// An in-memory source: the given deliveries in order, then [`Then`].
#[derive(Debug)]
struct Script {
    queue: VecDeque<Delivery<Work>>,
    then: Then,
    leases: Leases,
}

impl Script {
    fn new(deliveries: Vec<Delivery<Work>>, then: Then) -> Self {
        Self {
            queue: deliveries.into(),
            then,
            leases: Leases::default(),
        }
    }

    /// The lease counter this source reports to (share it with a Ledger).
    fn leases(&self) -> Leases {
        self.leases.clone()
    }
}

impl JobSource for Script {
    type Payload = Work;

    async fn fetch(&mut self) -> Result<Option<Delivery<Work>>, SourceError> {
        if let Some(delivery) = self.queue.pop_front() {
            self.leases.take();
            return Ok(Some(delivery));
        }
        match self.then {
            Then::Exhausted => Ok(None),
            Then::Wait => std::future::pending().await,
            Then::Fail => Err(SourceError::new(io::Error::new(
                io::ErrorKind::ConnectionReset,
                "connection reset",
            ))),
        }
    }
}

/// How a delivery was settled.
#[derive(Debug, Clone, PartialEq, Eq)]
enum How {
    Acked,
    /// With the reason's whole cause chain, joined by ": ".
    Nacked(String),
    Released,
}

/// One settlement, at a time counted from the Ledger's creation.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Settled {
    at: Duration,
    id: JobId,
    how: How,
}

/// An acker that writes everything down, and ends the leases it settles.
#[derive(Debug, Clone)]
struct Ledger {
    start: Instant,
    entries: Arc<Mutex<Vec<Settled>>>,
    leases: Leases,
}

impl Ledger {
    /// A ledger starting its clock now, ending leases counted by `leases`.
    fn new(leases: &Leases) -> Self {
        Self {
            start: Instant::now(),
            entries: Arc::default(),
            leases: leases.clone(),
        }
    }

    fn record(&self, id: JobId, how: How) {
        self.leases.end();
        let at = self.start.elapsed();
        self.entries
            .lock()
            .expect("no test panics while holding the ledger")
            .push(Settled { at, id, how });
    }

    /// Everything settled so far, in order.
    fn entries(&self) -> Vec<Settled> {
        self.entries
            .lock()
            .expect("no test panics while holding the ledger")
            .clone()
    }

    /// The ids settled so far, sorted.
    fn settled_ids(&self) -> Vec<JobId> {
        let mut ids: Vec<JobId> = self.entries().into_iter().map(|e| e.id).collect();
        ids.sort();
        ids
    }
}

impl Acker for Ledger {
    async fn ack(&self, id: JobId) {
        self.record(id, How::Acked);
    }

    async fn nack(&self, id: JobId, reason: NackReason) {
        let mut chain = Vec::new();
        let mut current: Option<&(dyn Error + 'static)> = Some(&reason);
        while let Some(error) = current {
            chain.push(error.to_string());
            current = error.source();
        }
        self.record(id, How::Nacked(chain.join(": ")));
    }

    async fn release(&self, id: JobId) {
        self.record(id, How::Released);
    }
}

/// A settlement at `at_ms`, for comparing with [`Ledger::entries`].
fn settled(at_ms: u64, n: u32, how: How) -> Settled {
    Settled {
        at: ms(at_ms),
        id: id(n),
        how,
    }
}

fn nacked(reason: &str) -> How {
    How::Nacked(reason.to_owned())
}

/// Hands out [`Connection`]s and counts those still open: a job that holds
/// one has really ended once the count says so, because the connection
/// closes only when the job's future is dropped.
#[derive(Debug, Clone, Default)]
struct Pool {
    open: Arc<AtomicUsize>,
}

impl Pool {
    fn connect(&self) -> Connection {
        self.open.fetch_add(1, Ordering::SeqCst);
        Connection(Arc::clone(&self.open))
    }

    fn open(&self) -> usize {
        self.open.load(Ordering::SeqCst)
    }
}

/// A resource a job holds; dropping it closes it.
#[derive(Debug)]
struct Connection(Arc<AtomicUsize>);

impl Drop for Connection {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

//! # Day 133 example: a dozen jobs through a worker pool
//!
//! `cargo run -p consume` feeds twelve jobs from an in-memory queue to the
//! `job-pool` crate (the reference solution): two workers, room for three
//! deliveries in the channel, a 2 s job timeout. Among the jobs, one fails,
//! one panics and one would run for 5 s. It runs them twice:
//!
//! 1. to the end: every job is acked or nacked, and the most leases the
//!    pool ever held is capacity + workers;
//! 2. with a shutdown asked for at 1.5 s and a 1 s drain deadline: the
//!    deliveries waiting in the channel are released, the jobs in flight
//!    finish or are abandoned at 2.5 s, and the queue says where every job
//!    ended up.
//!
//! The panicking job prints the panic through the default hook, on stderr:
//! the pool catches the panic, but the hook still runs, and that line is the
//! trace you would want in a log.
//!
//! # Layout
//!
//! `main` only wires the runtime; each scenario is one function, and
//! [`MemoryQueue`] is both the source and the acker. The clock is tokio's
//! *paused* clock, so the times printed are exact and the same on every run
//! (real sleeps would make you wait 6 s and print different numbers each
//! time), and the settlements are sorted by time, then id, before printing.

use std::collections::VecDeque;
use std::error::Error;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use job_pool::{
    Acker, Delivery, DrainReport, JobError, JobId, JobSource, NackReason, PoolConfig,
    SourceError, StopReason, run,
};
use tokio::time::{Instant, sleep};

fn main() -> Result<(), Box<dyn Error>> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()?;
    runtime.block_on(async {
        let config = PoolConfig::new(2, 3)?
            .with_job_timeout(Duration::from_secs(2))
            .with_drain_deadline(Duration::from_secs(1));
        run_to_the_end(config).await;
        drain_midway(config).await;
        Ok(())
    })
}

/// What a job's handler does.
#[derive(Debug, Clone, Copy)]
enum End {
    Succeed,
    Fail(&'static str),
    Panic(&'static str),
}

/// A job's payload: its kind, how long it takes and how it ends.
#[derive(Debug, Clone, Copy)]
struct Task {
    kind: &'static str,
    cost: Duration,
    end: End,
}

/// The twelve jobs, as the producer enqueued them.
fn batch() -> Vec<Delivery<Task>> {
    let ms = Duration::from_millis;
    let tasks = [
        ("send-email", 200, End::Succeed),
        ("resize-image", 600, End::Succeed),
        ("charge-card", 300, End::Fail("card declined")),
        ("send-email", 200, End::Succeed),
        ("render-pdf", 5000, End::Succeed),
        ("send-email", 200, End::Succeed),
        (
            "sync-crm",
            100,
            End::Panic("crm record has no `email` field"),
        ),
        ("resize-image", 700, End::Succeed),
        ("send-email", 200, End::Succeed),
        ("render-pdf", 900, End::Succeed),
        ("send-email", 200, End::Succeed),
        ("resize-image", 600, End::Succeed),
    ];
    (1..)
        .zip(tasks)
        .map(|(n, (kind, cost, end))| Delivery {
            id: JobId::new(format!("job-{n:02}")),
            payload: Task {
                kind,
                cost: ms(cost),
                end,
            },
            attempt: 1,
        })
        .collect()
}

/// The handler: works for the task's cost, then ends as the task says. A
/// panicking task panics before doing any work, as a bad payload would.
async fn handle(delivery: Delivery<Task>) -> Result<(), JobError> {
    let task = delivery.payload;
    if let End::Panic(message) = task.end {
        panic!("{message}");
    }
    sleep(task.cost).await;
    match task.end {
        End::Fail(message) => Err(JobError::new(message)),
        End::Succeed | End::Panic(_) => Ok(()),
    }
}

async fn run_to_the_end(config: PoolConfig) {
    println!(
        "== 1. twelve jobs, {} workers, room for {}, job timeout {:?}: run to the end",
        config.workers(),
        config.capacity(),
        config.job_timeout()
    );
    let queue = MemoryQueue::new(batch());
    let start = Instant::now();
    let report = run(
        queue.source(),
        handle,
        queue.clone(),
        config,
        std::future::pending::<()>(),
    )
    .await;
    let took = start.elapsed();
    queue.print_log();
    print_report(&report);
    println!("run returned at t={}ms", took.as_millis());
    println!(
        "leases held at most: {} (capacity {} + {} workers)",
        queue.state().high,
        config.capacity(),
        config.workers()
    );
}

async fn drain_midway(config: PoolConfig) {
    let shutdown_at = Duration::from_millis(1500);
    println!(
        "\n== 2. the same jobs, shutdown asked at t={}ms, drain deadline {:?}",
        shutdown_at.as_millis(),
        config.drain_deadline()
    );
    let queue = MemoryQueue::new(batch());
    let start = Instant::now();
    let report = run(
        queue.source(),
        handle,
        queue.clone(),
        config,
        sleep(shutdown_at),
    )
    .await;
    let took = start.elapsed();
    queue.print_log();
    for id in &report.abandoned {
        println!(
            "t={:>4}ms  {id}  {:<12}  abandoned: its lease is left to expire",
            took.as_millis(),
            queue.kind_of(id)
        );
    }
    print_report(&report);
    println!(
        "run returned at t={}ms: the shutdown at {}ms plus the {}ms deadline",
        took.as_millis(),
        shutdown_at.as_millis(),
        config.drain_deadline().as_millis()
    );
    let state = queue.state();
    println!(
        "never fetched, still queued: {}",
        list(state.pending.iter().map(|d| &d.id))
    );
    println!(
        "released, queued again:      {}",
        list(state.returned.iter())
    );
    println!(
        "leased until the lease ends: {}",
        list(report.abandoned.iter())
    );
}

fn print_report(report: &DrainReport) {
    let stopped = match &report.stopped {
        StopReason::Exhausted => "the source was exhausted".to_owned(),
        StopReason::Shutdown => "a shutdown was asked for".to_owned(),
        StopReason::SourceFailed(error) => format!("the source failed: {error}"),
    };
    println!("fetcher stopped: {stopped}");
    println!(
        "report: fetched {}; {} succeeded, {} failed, {} timed out, {} panicked; \
         abandoned {}; released {}",
        report.fetched,
        report.succeeded,
        report.failed,
        report.timed_out,
        report.panicked,
        list(report.abandoned.iter()),
        list(report.released.iter())
    );
}

fn list<'a>(ids: impl Iterator<Item = &'a JobId>) -> String {
    let ids: Vec<&str> = ids.map(JobId::as_str).collect();
    format!("[{}]", ids.join(", "))
}

/// An in-memory queue with leases: the source hands out its deliveries,
/// the acker ends their leases and writes down how.
#[derive(Debug, Clone)]
struct MemoryQueue {
    start: Instant,
    state: Arc<Mutex<QueueState>>,
}

#[derive(Debug, Default)]
struct QueueState {
    /// Not yet handed out.
    pending: VecDeque<Delivery<Task>>,
    /// Every job's kind, by id, for printing.
    kinds: Vec<(JobId, &'static str)>,
    /// Handed out and not settled.
    held: usize,
    /// The most ever held at once.
    high: usize,
    /// Released: back in the queue.
    returned: Vec<JobId>,
    /// (when, id, what happened), in the order it happened.
    log: Vec<(Duration, JobId, String)>,
}

impl MemoryQueue {
    fn new(deliveries: Vec<Delivery<Task>>) -> Self {
        let kinds = deliveries
            .iter()
            .map(|d| (d.id.clone(), d.payload.kind))
            .collect();
        Self {
            start: Instant::now(),
            state: Arc::new(Mutex::new(QueueState {
                pending: deliveries.into(),
                kinds,
                ..QueueState::default()
            })),
        }
    }

    fn source(&self) -> QueueSource {
        QueueSource(self.clone())
    }

    fn state(&self) -> MutexGuard<'_, QueueState> {
        // A std Mutex: it is never held across an `.await`.
        self.state
            .lock()
            .expect("no thread panics holding the queue")
    }

    fn kind_of(&self, id: &JobId) -> &'static str {
        let state = self.state();
        state
            .kinds
            .iter()
            .find(|(known, _)| known == id)
            .map_or("?", |(_, kind)| kind)
    }

    fn settle(&self, id: JobId, what: String) {
        let at = self.start.elapsed();
        let mut state = self.state();
        state.held -= 1;
        state.log.push((at, id, what));
    }

    /// Prints every settlement, sorted by time, then id.
    fn print_log(&self) {
        let mut log = self.state().log.clone();
        log.sort();
        for (at, id, what) in log {
            let kind = self.kind_of(&id);
            println!("t={:>4}ms  {id}  {kind:<12}  {what}", at.as_millis());
        }
    }
}

impl Acker for MemoryQueue {
    async fn ack(&self, id: JobId) {
        self.settle(id, "acked".to_owned());
    }

    async fn nack(&self, id: JobId, reason: NackReason) {
        // The reason and its causes: "handler failed: card declined".
        let mut text = reason.to_string();
        let mut cause = reason.source();
        while let Some(error) = cause {
            text.push_str(&format!(": {error}"));
            cause = error.source();
        }
        self.settle(id, format!("nacked: {text}"));
    }

    async fn release(&self, id: JobId) {
        self.state().returned.push(id.clone());
        self.settle(id, "released: never started".to_owned());
    }
}

/// The queue's consumer end, handed to the pool.
#[derive(Debug)]
struct QueueSource(MemoryQueue);

impl JobSource for QueueSource {
    type Payload = Task;

    async fn fetch(&mut self) -> Result<Option<Delivery<Task>>, SourceError> {
        let mut state = self.0.state();
        let next = state.pending.pop_front();
        if next.is_some() {
            state.held += 1;
            state.high = state.high.max(state.held);
        }
        Ok(next)
    }
}

//! # Day 78 example: every schedule, a queue under load, a paused clock
//!
//! `cargo run -p interleavings` shows the lesson's three ideas:
//!
//! 1. What loom does, in miniature: a hand-written checker enumerates every
//!    schedule of two consumers waiting on an empty queue while a third
//!    thread closes it, once with `notify_one` and once with `notify_all`,
//!    and counts the schedules that leave a consumer asleep forever.
//! 2. The real `BlockingQueue` under load: three producers and two
//!    consumers through a queue of four slots, with the invariants that must
//!    hold whatever the scheduler did (nothing lost, nothing twice, per-producer
//!    order kept), and a push after close handing its item back.
//! 3. The `Watchdog` on tokio's paused clock: a worker beats every 40 ms,
//!    then stalls, and the watchdog fires exactly 100 ms after the last beat;
//!    then `advance` to 99 ms and to 100 ms, the boundary the tests check.
//!
//! # Layout
//!
//! `main` runs the three parts, one function each; `Model` and `explore`
//! are the tiny checker of part 1. Every line printed is the same on every
//! run and every machine: part 1 is exhaustive, part 2 prints only what
//! holds under any interleaving, and part 3 runs on a paused clock.

use std::collections::HashSet;
use std::num::NonZeroUsize;
use std::sync::Arc;
use std::thread;
use std::time::Duration;

use blocking_queue::{BlockingQueue, watchdog};
use tokio::time::{Instant, advance, sleep};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    every_schedule_of_a_close();
    queue_under_load()?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()?;
    runtime.block_on(watchdog_on_a_paused_clock());
    Ok(())
}

/// How `close` wakes the threads waiting on the condition variable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Wake {
    One,
    All,
}

impl Wake {
    /// The `Condvar` method this stands for.
    fn call(self) -> &'static str {
        match self {
            Wake::One => "notify_one",
            Wake::All => "notify_all",
        }
    }
}

/// Where one consumer is in `pop` on an empty queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Consumer {
    /// About to take the lock and look.
    Start,
    /// Asleep in `wait`: cannot run until notified.
    Waiting,
    /// Notified: will take the lock and look again.
    Woken,
    /// Returned `None`.
    Done,
}

/// Where the closing thread is in `close`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Closer {
    Start,
    FlagSet,
    Done,
}

/// The whole state of the toy program: what the lock protects, the
/// condition variable's list of sleepers, and where each thread is. Each
/// step below happens under the lock, so it is atomic, like a step loom
/// schedules.
#[derive(Debug, Clone)]
struct Model {
    wake: Wake,
    closed: bool,
    sleepers: Vec<usize>,
    consumers: [Consumer; 2],
    closer: Closer,
}

/// A thread of the toy program: consumer 0, consumer 1, or the closer.
#[derive(Debug, Clone, Copy)]
enum Actor {
    Consumer(usize),
    Closer,
}

impl Model {
    fn new(wake: Wake) -> Self {
        Self {
            wake,
            closed: false,
            sleepers: Vec::new(),
            consumers: [Consumer::Start; 2],
            closer: Closer::Start,
        }
    }

    /// The threads that can take a step now. A sleeping consumer cannot.
    fn runnable(&self) -> Vec<Actor> {
        let mut actors: Vec<Actor> = (0..2)
            .filter(|&i| matches!(self.consumers[i], Consumer::Start | Consumer::Woken))
            .map(Actor::Consumer)
            .collect();
        if self.closer != Closer::Done {
            actors.push(Actor::Closer);
        }
        actors
    }

    /// Runs one step of `actor` and says what it did.
    fn step(&mut self, actor: Actor) -> String {
        match actor {
            Actor::Consumer(i) => {
                if self.closed {
                    self.consumers[i] = Consumer::Done;
                    format!("c{i} sees closed, returns None")
                } else {
                    // `while !closed && empty { wait }`: sleep, lock released.
                    self.consumers[i] = Consumer::Waiting;
                    self.sleepers.push(i);
                    format!("c{i} finds it empty, waits")
                }
            }
            Actor::Closer if self.closer == Closer::Start => {
                self.closed = true;
                self.closer = Closer::FlagSet;
                "closer sets the flag".to_owned()
            }
            Actor::Closer => {
                self.closer = Closer::Done;
                let woken: Vec<usize> = match self.wake {
                    Wake::One if self.sleepers.is_empty() => Vec::new(),
                    Wake::One => vec![self.sleepers.remove(0)],
                    Wake::All => std::mem::take(&mut self.sleepers),
                };
                for &i in &woken {
                    self.consumers[i] = Consumer::Woken;
                }
                format!("closer calls {}, waking {woken:?}", self.wake.call())
            }
        }
    }
}

/// What exhaustive exploration found.
#[derive(Debug, Default)]
struct Findings {
    schedules: usize,
    stuck: usize,
    first_stuck: Option<Vec<String>>,
}

/// Depth-first over every choice of which runnable thread goes next: the
/// same search loom does over real lock, wait and notify calls (loom adds a
/// bound on preemptions and much cleverness to prune equivalent orders).
fn explore(model: &Model, trace: &mut Vec<String>, findings: &mut Findings) {
    let runnable = model.runnable();
    if runnable.is_empty() {
        findings.schedules += 1;
        // Nobody can move. If a consumer is still asleep, nobody ever will
        // wake it: loom's "deadlock; threads = [...]".
        if model.consumers.contains(&Consumer::Waiting) {
            findings.stuck += 1;
            findings.first_stuck.get_or_insert_with(|| trace.clone());
        }
        return;
    }
    for actor in runnable {
        let mut next = model.clone();
        trace.push(next.step(actor));
        explore(&next, trace, findings);
        trace.pop();
    }
}

fn every_schedule_of_a_close() {
    println!("== 1. every schedule of two consumers and a close");
    for wake in [Wake::One, Wake::All] {
        let mut findings = Findings::default();
        explore(&Model::new(wake), &mut Vec::new(), &mut findings);
        println!(
            "close with {}: {} schedules, {} leave a consumer asleep forever",
            wake.call(),
            findings.schedules,
            findings.stuck
        );
        if let Some(trace) = findings.first_stuck {
            println!("  the first one found:");
            for (n, step) in trace.iter().enumerate() {
                println!("  {}. {step}", n + 1);
            }
        }
    }
}

fn queue_under_load() -> Result<(), Box<dyn std::error::Error>> {
    const PRODUCERS: u32 = 3;
    const PER_PRODUCER: u32 = 1_000;
    println!("\n== 2. three producers, two consumers, four slots");
    let queue = Arc::new(BlockingQueue::new(
        NonZeroUsize::new(4).ok_or("capacity 0")?,
    ));
    let producers: Vec<_> = (0..PRODUCERS)
        .map(|p| {
            let queue = Arc::clone(&queue);
            thread::spawn(move || {
                for i in 0..PER_PRODUCER {
                    // Open until every producer has joined, so this cannot fail.
                    queue.push((p, i)).expect("the queue is still open");
                }
            })
        })
        .collect();
    let consumers: Vec<_> = (0..2)
        .map(|_| {
            let queue = Arc::clone(&queue);
            thread::spawn(move || {
                let mut got = Vec::new();
                while let Some(item) = queue.pop() {
                    got.push(item);
                }
                got
            })
        })
        .collect();
    for producer in producers {
        producer.join().map_err(|_| "a producer panicked")?;
    }
    queue.close();
    let mut per_consumer = Vec::new();
    for consumer in consumers {
        per_consumer.push(consumer.join().map_err(|_| "a consumer panicked")?);
    }
    // How the items split between the consumers changes from run to run, so
    // it is not printed; these facts do not.
    let in_order = per_consumer.iter().all(|got| {
        (0..PRODUCERS).all(|p| {
            got.iter()
                .filter(|item| item.0 == p)
                .map(|item| item.1)
                .is_sorted()
        })
    });
    let all: Vec<(u32, u32)> = per_consumer.into_iter().flatten().collect();
    let distinct: HashSet<_> = all.iter().collect();
    println!("pushed {}, popped {}", PRODUCERS * PER_PRODUCER, all.len());
    println!("popped exactly once each: {}", distinct.len() == all.len());
    println!("each producer's items in order at every consumer: {in_order}");
    let refused = queue.push((9, 9)).expect_err("the queue is closed");
    println!(
        "a push after close: {refused}, item {:?} handed back",
        refused.0
    );
    Ok(())
}

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

async fn watchdog_on_a_paused_clock() {
    println!("\n== 3. a watchdog on a paused clock (timeout 100 ms)");
    let real = std::time::Instant::now();
    let start = Instant::now();
    let t = move || start.elapsed().as_millis();
    let (heart, dog) = watchdog(ms(100));
    let worker = tokio::spawn(async move {
        for _ in 0..5 {
            sleep(ms(40)).await;
            heart.beat();
            println!("t={:>4} ms  worker: beat", t());
        }
        println!("t={:>4} ms  worker: stuck on a lock", t());
        sleep(ms(10_000)).await;
    });
    let fired = dog.expired().await;
    println!(
        "t={:>4} ms  watchdog: expired, silent for {} ms since t={} ms",
        t(),
        fired.silent_for.as_millis(),
        (fired.last_beat - start).as_millis()
    );
    worker.abort();
    let (_heart, dog) = watchdog(ms(100));
    let created = Instant::now();
    for step in [99, 1] {
        advance(ms(step)).await;
        println!(
            "advance({step:>2} ms): {:>3} ms after creation, expired: {}",
            (Instant::now() - created).as_millis(),
            dog.is_expired()
        );
    }
    println!(
        "{} ms on the paused clock, under 1 s of real time: {}",
        t(),
        real.elapsed() < ms(1_000)
    );
}

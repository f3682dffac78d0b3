//! How close the crawler comes to its concurrency bound.
//!
//! With C fetches in flight and each taking L on average, no crawler can
//! fetch more than C / L pages a second (Little's law). This benchmark
//! crawls a generated web of 10,000 pages (plus 500 links to missing pages,
//! which are fetched too) where a fetch takes 1 ms, at C = 8, 32 and 128,
//! on a real clock, and compares the pages per second with that bound. It
//! does so twice: with every fetch taking exactly 1 ms, and with fetches
//! spread evenly between 0.9 and 1.1 ms (still 1 ms on average), because
//! the two behave differently (see the page, "Measuring it").
//!
//! The pitfall is the 1 ms. Tokio's timer is a wheel that ticks in whole
//! milliseconds and rounds a deadline up to the next tick, so on a real
//! clock a `sleep(1 ms)` waits between 1 and 2 ms, and measured 2.5 to
//! 2.7 ms per fetch on a loaded machine. Against C / 1 ms, any crawler
//! would then look three times too slow, for the timer's reasons and not
//! its own. So the latency here comes from [`PreciseTimer`], one thread
//! that sleeps until the earliest deadline on the operating system's timer
//! (a few tens of microseconds late on Linux, not a millisecond), and
//! [`TimedFetcher`], a [`Fetcher`] over the generated [`Web`] that waits on
//! it. The crawler is unchanged: it only sees the port.
//!
//! Each `crawl:` line gives the pages per second and two ratios: against
//! C / 1 ms, the nominal bound, and against C / (the mean latency the timer
//! really delivered), which leaves the timer's lateness out of the
//! crawler's account. Then where the rest went: the shape bound (the same
//! crawl on a paused clock, where the crawler's work takes no time), how
//! full the pool's slots really were, how long a response waited for the
//! runtime's one thread, and how busy that thread was.
//!
//! Run with `cargo bench -p crawler-solution --bench throughput`; criterion
//! prints the time per crawl, and the lines starting `crawl:` the rest.

use std::cmp::{Ordering, Reverse};
use std::collections::{BinaryHeap, HashMap};
use std::num::NonZeroUsize;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crawler::memory::{MemoryFetcher, Web};
use crawler::{Config, FetchError, Fetcher, Page, Url, crawl};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use tokio::sync::oneshot;
use tokio_util::sync::CancellationToken;

const LATENCY: Duration = Duration::from_millis(1);

/// A timer precise to tens of microseconds, for any number of waiters.
///
/// One std thread holds the deadlines in a min-heap and sleeps on a
/// `Condvar` until the earliest one (`wait_timeout` is a futex wait with a
/// timeout on Linux, see [`no_timer_slack`] for how late it wakes). It then
/// completes every waiter that is due, each through a tokio `oneshot`, so
/// the fetch awaiting it is an ordinary async task that holds no thread
/// while it waits.
///
/// Rejected alternatives:
/// - `tokio::time::sleep`: the timer wheel's 1 ms granularity, above.
/// - `spawn_blocking` + `std::thread::sleep` per fetch: precise, but each
///   fetch in flight holds a blocking thread, so C = 128 needs 128 threads
///   (and the blocking pool's thread churn) on a 2-core machine.
/// - Busy-waiting (`while Instant::now() < deadline { yield }`): precise,
///   but it burns the cores the crawler needs, and it is measuring them.
#[derive(Debug)]
struct PreciseTimer {
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
}

#[derive(Debug, Default)]
struct Shared {
    state: Mutex<State>,
    /// Signalled when a deadline earlier than every other one arrives, or
    /// at shutdown: the timer thread may be asleep until a later one.
    wakeup: Condvar,
}

#[derive(Debug, Default)]
struct State {
    /// `Reverse` makes std's max-heap a min-heap: the top is due first.
    due: BinaryHeap<Reverse<Waiter>>,
    shutdown: bool,
}

/// One pending deadline, and where to say it has passed (with the instant
/// the timer thread saw it pass).
#[derive(Debug)]
struct Waiter {
    deadline: Instant,
    done: oneshot::Sender<Instant>,
}

// Ordered by deadline alone: the heap needs an order, not identity.
impl PartialEq for Waiter {
    fn eq(&self, other: &Self) -> bool {
        self.deadline == other.deadline
    }
}

impl Eq for Waiter {}

impl PartialOrd for Waiter {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Waiter {
    fn cmp(&self, other: &Self) -> Ordering {
        self.deadline.cmp(&other.deadline)
    }
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl PreciseTimer {
    fn start() -> Self {
        let shared = Arc::new(Shared::default());
        let thread = std::thread::Builder::new()
            .name("precise-timer".to_owned())
            .spawn({
                let shared = Arc::clone(&shared);
                move || {
                    if let Err(error) = no_timer_slack() {
                        eprintln!("precise-timer: timer slack left as is: {error}");
                    }
                    run_timer(&shared)
                }
            })
            .expect("a timer thread");
        Self {
            shared,
            thread: Some(thread),
        }
    }

    /// Completes at `deadline` (a few tens of microseconds after it), with
    /// the instant the timer thread saw it pass. Dropping the future early
    /// is fine: the timer's send then fails, and it ignores that.
    fn at(&self, deadline: Instant) -> impl Future<Output = Instant> + Send + 'static {
        let (done, fired) = oneshot::channel();
        let mut state = self.shared.lock();
        // Deadlines are about 1 ms away, so a new one is nearly always later
        // than the one the thread already sleeps towards: no wake-up (no
        // syscall) is needed then, only when it becomes the earliest.
        let earliest = state
            .due
            .peek()
            .is_none_or(|Reverse(top)| deadline < top.deadline);
        state.due.push(Reverse(Waiter { deadline, done }));
        drop(state);
        if earliest {
            self.shared.wakeup.notify_one();
        }
        async move { fired.await.expect("the timer outlives every fetch") }
    }
}

impl Drop for PreciseTimer {
    fn drop(&mut self) {
        self.shared.lock().shutdown = true;
        self.shared.wakeup.notify_one();
        if let Some(thread) = self.thread.take() {
            thread.join().expect("the timer thread does not panic");
        }
    }
}

/// Asks Linux to wake this thread on time. A thread's "timer slack" (50 µs
/// by default) lets the kernel delay its timed wake-ups by that much, to
/// merge them with others and save power; measured on the machine that
/// built this workbook, a 1 ms `wait_timeout` overshot by 80 µs with it and
/// by 26 µs without.
///
/// The usual way is `prctl(PR_SET_TIMERSLACK)`, rejected: it needs the
/// `libc` crate and an `unsafe` block, which the workspace forbids. Writing
/// `/proc/<tid>/timerslack_ns` does the same for the calling thread, and
/// `/proc/thread-self` (a link to `<pid>/task/<tid>`) names it. Off Linux,
/// or without `/proc`, it fails and the timer is only less precise.
fn no_timer_slack() -> std::io::Result<()> {
    let this_thread = std::fs::read_link("/proc/thread-self")?;
    let tid = this_thread
        .file_name()
        .ok_or(std::io::ErrorKind::NotFound)?;
    std::fs::write(Path::new("/proc").join(tid).join("timerslack_ns"), "1")
}

/// The timer thread: fire what is due, then sleep until the next deadline
/// (or until a nearer one is added).
fn run_timer(shared: &Shared) {
    let mut fired = Vec::new();
    let mut state = shared.lock();
    while !state.shutdown {
        let now = Instant::now();
        while state
            .due
            .peek()
            .is_some_and(|Reverse(top)| top.deadline <= now)
        {
            let Some(Reverse(waiter)) = state.due.pop() else {
                break;
            };
            fired.push(waiter.done);
        }
        if !fired.is_empty() {
            // Wake the fetches without holding the lock, so that the
            // runtime's thread, starting new fetches, is not kept waiting.
            drop(state);
            for done in fired.drain(..) {
                // A fetch dropped early (a cancelled crawl) no longer listens.
                let _ = done.send(now);
            }
            state = shared.lock();
            continue;
        }
        let next = state.due.peek().map(|Reverse(top)| top.deadline - now);
        state = match next {
            Some(timeout) => {
                shared
                    .wakeup
                    .wait_timeout(state, timeout)
                    .unwrap_or_else(PoisonError::into_inner)
                    .0
            }
            None => shared
                .wakeup
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner),
        };
    }
}

/// A [`Fetcher`] over a generated [`Web`] whose fetches wait on the
/// [`PreciseTimer`], and which measures what the timer delivered.
#[derive(Debug)]
struct TimedFetcher {
    pages: HashMap<Url, Page>,
    timer: PreciseTimer,
    latency: Duration,
    /// Each fetch takes `latency` plus or minus up to this, fixed per page.
    spread: Duration,
    fetches: AtomicU64,
    /// Sum of (timer fired - fetch started): the latency really simulated.
    latency_nanos: AtomicU64,
    /// Sum of (fetch resumed - timer fired): how long a response waited
    /// for the runtime's thread, busy with the crawler's other work.
    queued_nanos: AtomicU64,
    /// Sum of (fetch resumed - fetch started): the time a pool slot held a
    /// running fetch.
    held_nanos: AtomicU64,
}

/// What the fetches of one crawl measured, as means per fetch.
#[derive(Debug, Clone, Copy, Default)]
struct Means {
    latency: Duration,
    queued: Duration,
    held: Duration,
}

impl TimedFetcher {
    fn new(web: &Web, latency: Duration, spread: Duration) -> Self {
        assert!(spread <= latency, "a fetch cannot take less than no time");
        let pages = web
            .pages()
            .map(|url| {
                let page = Page {
                    title: Some(format!("page {}", url.path())),
                    links: web.links(url).to_vec(),
                };
                (url.clone(), page)
            })
            .collect();
        Self {
            pages,
            timer: PreciseTimer::start(),
            latency,
            spread,
            fetches: AtomicU64::new(0),
            latency_nanos: AtomicU64::new(0),
            queued_nanos: AtomicU64::new(0),
            held_nanos: AtomicU64::new(0),
        }
    }

    /// How long fetching `url` takes: `latency - spread` plus a hash of the
    /// address modulo `2 * spread`, the same per-page delays as a
    /// `MemoryFetcher` (FNV-1a) with that latency and jitter, so the shape
    /// bound below crawls with exactly these delays.
    fn delay(&self, url: &Url) -> Duration {
        let hash = url
            .as_str()
            .bytes()
            .fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
                (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
            });
        let width = nanos(2 * self.spread);
        self.latency - self.spread + Duration::from_nanos(hash % (width + 1))
    }

    /// The means since the last call, resetting the sums (the fetcher is
    /// built once and reused across crawls).
    fn take_means(&self) -> Means {
        let count = self.fetches.swap(0, Relaxed).max(1);
        let mean = |sum: &AtomicU64| Duration::from_nanos(sum.swap(0, Relaxed) / count);
        Means {
            latency: mean(&self.latency_nanos),
            queued: mean(&self.queued_nanos),
            held: mean(&self.held_nanos),
        }
    }
}

fn nanos(duration: Duration) -> u64 {
    u64::try_from(duration.as_nanos()).unwrap_or(u64::MAX)
}

impl Fetcher for TimedFetcher {
    async fn fetch(&self, url: &Url) -> Result<Page, FetchError> {
        let started = Instant::now();
        let fired = self.timer.at(started + self.delay(url)).await;
        let resumed = Instant::now();
        self.fetches.fetch_add(1, Relaxed);
        self.latency_nanos
            .fetch_add(nanos(fired - started), Relaxed);
        let queued = resumed.saturating_duration_since(fired);
        self.queued_nanos.fetch_add(nanos(queued), Relaxed);
        self.held_nanos.fetch_add(nanos(resumed - started), Relaxed);
        // The clone is the fetch's share of the work a real adapter does
        // when it parses a page into owned links.
        self.pages.get(url).cloned().ok_or(FetchError::NotFound)
    }
}

/// This thread's total time on a CPU, and its time spent ready to run while
/// other threads had the CPUs, from the kernel's scheduler statistics
/// (Linux only; zero elsewhere). The second is what other work on the
/// machine cost the crawl.
fn thread_times() -> (Duration, Duration) {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").unwrap_or_default();
    let mut fields = text
        .split_whitespace()
        .map(|field| field.parse().unwrap_or(0));
    let mut next = || Duration::from_nanos(fields.next().unwrap_or(0));
    (next(), next())
}

/// One crawl on the real clock.
#[derive(Debug, Clone, Copy)]
struct Run {
    took: Duration,
    means: Means,
    /// The runtime thread's time on a CPU during the crawl.
    busy: Duration,
    /// The runtime thread's time runnable but waiting for a CPU.
    waited: Duration,
}

/// The most this crawl can reach for its shape alone, in pages per second:
/// the same crawl, with the same per-page delays, on tokio's paused clock,
/// where the crawler's own work takes no time. What it loses to C / 1 ms is
/// ramp-up (the crawl starts from one page, and the pool fills only once
/// two or three levels of links are known) and tail (the last pages
/// trickle out with the pool part empty). No crawler does better on this
/// graph; the rest of any gap is overhead.
///
/// The paused clock is exact, but it is still tokio's timer: it rounds
/// deadlines up to whole milliseconds, so 0.95 ms would become 1 ms. The
/// delays are therefore scaled up a thousandfold (1 ms becomes 1 s, where
/// rounding to a millisecond is 0.1% at most), and the time scaled back.
fn shape_bound(web: &Web, pages: usize, config: &Config, fetcher: &TimedFetcher) -> f64 {
    const SCALE: u32 = 1000;
    let paused = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .expect("a runtime");
    let memory = MemoryFetcher::new(web.clone())
        .with_latency((fetcher.latency - fetcher.spread) * SCALE)
        .with_jitter(2 * fetcher.spread * SCALE);
    let took = paused.block_on(async {
        let start = tokio::time::Instant::now();
        let cancel = CancellationToken::new();
        let report = crawl(Arc::new(memory), Web::seed(), config, &cancel).await;
        assert_eq!(report.visits.len(), pages, "every page fetched");
        start.elapsed() / SCALE
    });
    pages as f64 / took.as_secs_f64()
}

fn throughput(c: &mut Criterion) {
    // Many links per page, so the frontier is wide after two or three
    // levels and never starves the workers.
    let web = Web::generate(10_000, 16, 8, 82);
    let pages = web.reachable(&Web::seed(), u32::MAX).len();
    // One thread runs the coordinator and every fetch task, so that all of
    // the crawler's work shows in one thread's figures. A two-worker runtime
    // measured mixed on two shared cores: better with a constant latency at
    // C = 128, worse with a spread one. The time driver stays on: the
    // coordinator's rate-limit branch builds a `sleep_until` (never polled
    // here, as no rate limit is set).
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("a runtime");
    for (name, spread) in [
        ("1 ms", Duration::ZERO),
        ("0.9-1.1 ms", Duration::from_micros(100)),
    ] {
        let fetcher = Arc::new(TimedFetcher::new(&web, LATENCY, spread));
        let mut group =
            c.benchmark_group(format!("crawl 10,000 pages, {name} per fetch"));
        group.throughput(Throughput::Elements(pages as u64));
        group.sample_size(10);
        for concurrency in [8, 32, 128] {
            let config = Config::new(NonZeroUsize::new(concurrency).expect("positive"));
            let mut runs = Vec::new();
            group.bench_function(format!("concurrency {concurrency}"), |b| {
                b.iter_custom(|iterations| {
                    let mut total = Duration::ZERO;
                    for _ in 0..iterations {
                        let run = crawl_once(&runtime, &fetcher, &config, pages);
                        total += run.took;
                        runs.push(run);
                    }
                    total
                });
            });
            if !runs.is_empty() {
                // Not when filtered out on the command line.
                let shape = shape_bound(&web, pages, &config, &fetcher);
                report(name, concurrency, pages, shape, &runs);
            }
        }
        group.finish();
    }
}

fn crawl_once(
    runtime: &tokio::runtime::Runtime,
    fetcher: &Arc<TimedFetcher>,
    config: &Config,
    pages: usize,
) -> Run {
    fetcher.take_means();
    let (busy_before, waited_before) = thread_times();
    let start = Instant::now();
    let report = runtime.block_on(crawl(
        Arc::clone(fetcher),
        Web::seed(),
        config,
        &CancellationToken::new(),
    ));
    let took = start.elapsed();
    let (busy_after, waited_after) = thread_times();
    assert_eq!(report.visits.len(), pages, "every page fetched");
    Run {
        took,
        means: fetcher.take_means(),
        busy: busy_after.saturating_sub(busy_before),
        waited: waited_after.saturating_sub(waited_before),
    }
}

/// Prints the throughput against the two bounds, and where the rest went,
/// averaged over every crawl criterion ran (warm-up included).
fn report(name: &str, concurrency: usize, pages: usize, shape: f64, runs: &[Run]) {
    let count = runs.len() as f64;
    let mean = |f: &dyn Fn(&Run) -> Duration| {
        runs.iter().map(|run| f(run).as_secs_f64()).sum::<f64>() / count
    };
    let seconds = mean(&|run| run.took);
    let latency = mean(&|run| run.means.latency);
    let queued = mean(&|run| run.means.queued);
    let held = mean(&|run| run.means.held);
    let busy = mean(&|run| run.busy);
    let waited = mean(&|run| run.waited);
    let rate = pages as f64 / seconds;
    let nominal = concurrency as f64 / LATENCY.as_secs_f64();
    let honest = concurrency as f64 / latency;
    let percent = |part: f64, whole: f64| 100.0 * part / whole;
    println!(
        "crawl: {name}, C={concurrency}: {pages} pages in {:.1} ms = {rate:.0} pages/s",
        seconds * 1e3
    );
    println!(
        "crawl:   {:.1}% of C/1ms = {nominal:.0}/s; {:.1}% of C/latency = {honest:.0}/s \
         (timer latency {:.4} ms)",
        percent(rate, nominal),
        percent(rate, honest),
        latency * 1e3,
    );
    println!(
        "crawl:   shape bound {shape:.0}/s ({:.1}% of C/1ms); slots held a fetch \
         {:.1}% of the time; responses waited {:.1} us for the runtime thread",
        percent(shape, nominal),
        percent(held * pages as f64, seconds * concurrency as f64),
        queued * 1e6,
    );
    println!(
        "crawl:   runtime thread on a CPU {:.0}% of the crawl, ready but waiting \
         for one {:.1}%",
        percent(busy, seconds),
        percent(waited, seconds),
    );
}

criterion_group!(benches, throughput);
criterion_main!(benches);

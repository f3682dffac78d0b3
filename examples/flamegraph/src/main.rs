//! # Day 80 example: a flamegraph of threads fighting over one counter
//!
//! `cargo run --release -p flamegraph -- /tmp/mutex.svg` starts pprof's
//! sampling profiler, runs four threads that add to one `Mutex<u64>` for a
//! second, and writes what the profiler saw as a flamegraph: an SVG to open
//! in a browser, where the width of a box is the share of CPU samples taken
//! in that function or in what it called.
//!
//! Options: the output path (default: `flamegraph.svg` in the system's
//! temporary folder), `--millis N` for the length of the run, and
//! `--strategy atomic` or `--strategy sharded` to profile the other
//! counters of the lesson instead.
//!
//! Build with line tables for readable frames inside inlined code:
//! `CARGO_PROFILE_RELEASE_DEBUG=line-tables-only cargo run --release -p
//! flamegraph`.
//!
//! # Layout
//!
//! `main` parses the arguments and calls `profile` (start the profiler, run
//! the workload, write the SVG), which calls `hammer` (the threads). The
//! summary on stdout holds only what is true on every run, so the smoke
//! test can compare two runs; the sample count and the share spent in the
//! lock change from run to run and go to stderr.

use std::fs::File;
use std::io::BufWriter;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use anyhow::{Context, bail};
use clap::Parser;
use pprof::flamegraph::Options;
use pprof::{Frames, ProfilerGuardBuilder, Report};
use sharded_counter::{Counter, Strategy};

/// Threads that add at once: twice the cores of the workbook's test
/// machine, so the lock is always wanted by someone.
const THREADS: usize = 4;

/// Samples per second of CPU time. 99 rather than 100, the usual advice, so
/// the sampling does not march in step with work that runs every 10 ms.
/// The kernel delivers the signal on its own timer tick, so asking for more
/// than its tick rate (often 100 or 250 Hz) gives no more samples.
const FREQUENCY: i32 = 99;

/// Profile threads contending on one counter and write a flamegraph.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Args {
    /// Where to write the SVG [default: flamegraph.svg in the temp folder]
    out: Option<PathBuf>,
    /// How long the threads add for, in milliseconds
    #[arg(long, default_value_t = 1_000)]
    millis: u64,
    /// Which counter: mutex, atomic or sharded
    #[arg(long, default_value = "mutex", value_parser = strategy)]
    strategy: Strategy,
}

fn strategy(name: &str) -> Result<Strategy, String> {
    Strategy::ALL
        .into_iter()
        .find(|s| s.name() == name)
        .ok_or_else(|| format!("unknown strategy {name:?}: mutex, atomic or sharded"))
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let out = args
        .out
        .unwrap_or_else(|| std::env::temp_dir().join("flamegraph.svg"));
    profile(args.strategy, Duration::from_millis(args.millis), &out)
}

fn profile(strategy: Strategy, run_for: Duration, out: &PathBuf) -> anyhow::Result<()> {
    println!(
        "== {THREADS} threads adding to one {} counter for {} ms",
        strategy,
        run_for.as_millis()
    );
    println!("sampling CPU time at {FREQUENCY} Hz (SIGPROF)");
    // The blocklist, as pprof's README recommends: a sample whose
    // interrupted instruction lies in one of these libraries is dropped
    // rather than unwound. libgcc's unwinder is not safe to call from a
    // signal handler that interrupted libgcc or the dynamic loader (it can
    // deadlock), and the vDSO's unwind tables are wrong on some systems.
    // The price: time inside libc, such as the futex system call of a lock
    // that sleeps, is not in the graph.
    let guard = ProfilerGuardBuilder::default()
        .frequency(FREQUENCY)
        .blocklist(&["libc", "libgcc", "pthread", "vdso"])
        .build()
        .context("starting the profiler")?;
    let counter = strategy.counter();
    let added = hammer(counter.as_ref(), run_for);
    let report = guard
        .report()
        .frames_post_processor(tidy)
        .build()
        .context("building the profile")?;
    drop(guard);
    println!("every add was counted: {}", added == counter.total());

    let samples: isize = report.data.values().sum();
    if samples == 0 {
        bail!("the profiler took no sample: run for longer (--millis)");
    }
    eprintln!(
        "({samples} samples; {:.0}% of them inside the lock or unlock)",
        100.0 * in_lock(&report) as f64 / samples as f64
    );
    write_svg(&report, strategy, out)?;
    println!("flamegraph written: open it in a browser");
    Ok(())
}

/// Runs [`THREADS`] threads that add 1 to `counter` until `run_for` has
/// passed, and returns how many adds they made in all.
fn hammer(counter: &dyn Counter, run_for: Duration) -> u64 {
    let stop = AtomicBool::new(false);
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..THREADS)
            .map(|_| {
                // One name for all four, so the flamegraph merges them into
                // one tower (pprof puts the thread name at the bottom).
                std::thread::Builder::new()
                    .name("hammer".into())
                    .spawn_scoped(scope, || add_until_stopped(counter, &stop))
                    .expect("spawning a thread")
            })
            .collect();
        std::thread::sleep(run_for);
        stop.store(true, Ordering::Relaxed);
        workers
            .into_iter()
            .map(|worker| worker.join().expect("a worker panicked"))
            .sum()
    })
}

/// The hot loop. `inline(never)` keeps it a frame of its own in the graph.
#[inline(never)]
fn add_until_stopped(counter: &dyn Counter, stop: &AtomicBool) -> u64 {
    let mut added = 0;
    // Checking the flag once per thousand adds keeps it out of the profile;
    // reading a clock instead would put `clock_gettime` in every sample.
    while !stop.load(Ordering::Relaxed) {
        for _ in 0..1_000 {
            counter.add(1);
        }
        added += 1_000;
    }
    added
}

/// Tidies one sampled stack before it is counted: drops the profiler's own
/// frames (the signal handler walking the stack, which sits on top of
/// every sample in a debug build), and everything below
/// `add_until_stopped` (a dozen frames of std's thread start-up, the same
/// under every sample, that would fill the bottom of the graph).
fn tidy(frames: &mut Frames) {
    frames.frames.retain(|frame| {
        !frame.iter().any(|symbol| {
            let name = symbol.name();
            name.starts_with("backtrace::") || name.contains("pprof::")
        })
    });
    // frames[0] is the innermost call; within a frame, inlined functions
    // come innermost first too.
    let is_loop = |symbol: &pprof::Symbol| symbol.name().contains("add_until_stopped");
    if let Some(i) = frames.frames.iter().position(|f| f.iter().any(is_loop)) {
        frames.frames.truncate(i + 1);
        let outermost = &mut frames.frames[i];
        if let Some(j) = outermost.iter().position(is_loop) {
            outermost.truncate(j + 1);
        }
    }
}

/// Samples whose stack passes through a lock or unlock function.
fn in_lock(report: &Report) -> isize {
    report
        .data
        .iter()
        .filter(|(frames, _)| {
            frames
                .frames
                .iter()
                .flatten()
                .any(|symbol| symbol.name().contains("lock"))
        })
        .map(|(_, count)| count)
        .sum()
}

fn write_svg(report: &Report, strategy: Strategy, out: &PathBuf) -> anyhow::Result<()> {
    let file =
        File::create(out).with_context(|| format!("creating {}", out.display()))?;
    let mut options = Options::default();
    options.title =
        format!("{THREADS} threads adding to one {strategy} counter (CPU samples)");
    // Colours from a hash of each function's name, so the same function
    // has the same colour in every graph instead of a random one.
    options.hash = true;
    options.deterministic = true;
    report
        .flamegraph_with_options(BufWriter::new(file), &mut options)
        .context("writing the flamegraph")?;
    Ok(())
}

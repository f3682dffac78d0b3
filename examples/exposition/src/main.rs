//! # Day 138 example: a job processor's metrics, by hand
//!
//! `cargo run -p exposition` runs a simulated job processor that records
//! its work in the `metrics_registry` crate (the reference solution) and
//! prints:
//!
//! 1. what it processed: jobs per queue and outcome;
//! 2. a producer that puts a user id where a queue name belongs, and the
//!    cardinality limit refusing the new series;
//! 3. the scrape: the registry in the Prometheus text format 0.0.4, as a
//!    `/metrics` endpoint would serve it.
//!
//! # Layout
//!
//! `main` registers the families and calls one function per scenario. The
//! "work" is simulated: durations and outcomes come from a seeded random
//! generator, not from a clock, so every run prints the same numbers (the
//! rejected alternative, timing real work, would print different ones each
//! time and make the smoke test impossible).

use std::error::Error;

use metrics_registry::{Buckets, Counter, Family, Gauge, Histogram, Opts, Registry};

const QUEUES: [&str; 3] = ["email", "report", "thumbnail"];
const STATUSES: [&str; 3] = ["ok", "retry", "failed"];

/// The processor's three families.
struct JobMetrics {
    processed: Family<Counter>,
    duration: Family<Histogram>,
    in_flight: Family<Gauge>,
}

fn main() -> Result<(), Box<dyn Error>> {
    let mut registry = Registry::new();
    let metrics = JobMetrics {
        // 3 queues x 3 outcomes: 9 series is all this family should ever
        // hold, so the limit is 9 and a tenth series is a bug upstream.
        processed: registry.counter(
            Opts::new(
                "jobs_processed_total",
                "Jobs processed, by queue and outcome.",
            )
            .labels(&["queue", "status"])
            .max_series(9),
        )?,
        // Emails take tens of milliseconds, thumbnails about a second,
        // reports several seconds: the bounds cover 20 ms to 10 s, closer
        // together where most jobs fall.
        duration: registry.histogram(
            Opts::new("job_duration_seconds", "How long a job took, in seconds.")
                .labels(&["queue"])
                .max_series(3),
            Buckets::new(&[0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0])?,
        )?,
        in_flight: registry.gauge(Opts::new("jobs_in_flight", "Jobs running now."))?,
    };
    process_jobs(&metrics, 90)?;
    misplaced_user_id(&metrics)?;
    scrape(&registry);
    Ok(())
}

/// Simulates `count` jobs, round-robin over the queues, and records each.
/// The last two are still running when the scrape comes.
fn process_jobs(metrics: &JobMetrics, count: usize) -> Result<(), Box<dyn Error>> {
    println!("== 1. {count} jobs through three queues (seed 42)");
    // Create every known series up front, at zero. A series that appears
    // only with its first event makes `rate()` and alerts blind until then;
    // this way "no thumbnail has failed" is a 0 in the scrape, not a gap.
    for queue in QUEUES {
        metrics.duration.with(&[("queue", queue)])?;
        for status in STATUSES {
            metrics
                .processed
                .with(&[("queue", queue), ("status", status)])?;
        }
    }
    let mut rng = fastrand::Rng::with_seed(42);
    let in_flight = metrics.in_flight.with(&[])?;
    for job in 0..count {
        let queue = QUEUES[job % QUEUES.len()];
        in_flight.inc();
        if job + 2 >= count {
            continue; // still running
        }
        let millis = match queue {
            "email" => rng.u32(20..120),
            "thumbnail" => rng.u32(300..1_800),
            _ => rng.u32(1_500..9_000),
        };
        let status = match rng.u32(0..100) {
            0..80 => "ok",
            80..95 => "retry",
            _ => "failed",
        };
        metrics
            .duration
            .with(&[("queue", queue)])?
            .observe(f64::from(millis) / 1000.0);
        metrics
            .processed
            .with(&[("queue", queue), ("status", status)])?
            .inc();
        in_flight.dec();
    }
    for queue in QUEUES {
        let counts: Vec<String> = STATUSES
            .iter()
            .map(|&status| {
                let n = metrics
                    .processed
                    .with(&[("queue", queue), ("status", status)])
                    .map_or(0, |series| series.value());
                format!("{status} {n:>2}")
            })
            .collect();
        println!("   {queue:<9}  {}", counts.join("  "));
    }
    println!("   in flight: {}", in_flight.value());
    Ok(())
}

/// A producer labels a job with the user it belongs to instead of a queue:
/// one new series per user, without end. The limit stops it at the first.
fn misplaced_user_id(metrics: &JobMetrics) -> Result<(), Box<dyn Error>> {
    println!("\n== 2. a producer puts a user id in the queue label");
    println!("   series before: {} of 9 allowed", metrics.processed.len());
    match metrics
        .processed
        .with(&[("queue", "user-4711"), ("status", "ok")])
    {
        Ok(_) => println!("   accepted (the limit did not hold)"),
        Err(error) => println!("   refused: {error}"),
    }
    println!("   series after: {}", metrics.processed.len());
    Ok(())
}

/// What `GET /metrics` would return.
fn scrape(registry: &Registry) {
    println!("\n== 3. the scrape ({})", metrics_registry::CONTENT_TYPE);
    print!("{}", metrics_registry::encode(&registry.snapshot()));
}

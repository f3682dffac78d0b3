//! Throughput of the job queue, next to what Redis itself can do.
//!
//! `cargo bench -p job-queue-solution --bench throughput` starts a private
//! `redis-server` (no persistence) and prints three things:
//!
//! 1. `redis-benchmark`'s raw LPUSH and LMOVE rates on the same server (50
//!    clients), the ceiling of a list-based queue: one command per request,
//!    nothing else;
//! 2. the queue end to end with 1, 4 and 16 workers: enqueue N jobs, then
//!    each worker (one `Queue`, so one dedicated BLMOVE connection, each)
//!    loops dequeue + ack until N jobs are done;
//! 3. the round trips per job, counted on the server (`INFO commandstats`:
//!    EVALSHA, EVAL and BLMOVE calls) rather than assumed. The design says
//!    4: the enqueue script, BLMOVE, the claim script, the ack script (plus,
//!    once per script and server, the EVALSHA that gets NOSCRIPT, counted,
//!    and the SCRIPT LOAD redis-rs sends before it retries, not counted);
//! 4. "of LMOVE": jobs per second as a fraction of the raw LMOVE rate, the
//!    share of a bare list's ceiling that the queue's guarantees leave.
//!
//! `cargo test --benches` runs it with a small N, as a smoke test: it checks
//! that every job was completed exactly once and that the round trips per
//! job are 4, not the speed. The machine is shared and the figures move by
//! 10-20% between runs; read the ratios, not the third digit.
//!
//! Why not criterion? Its statistics answer "is this function 3% slower than
//! yesterday", for code that takes microseconds and runs in-process. Here
//! each sample is a whole queue run against a server process, and what the
//! lesson wants is a table to compare with redis-benchmark's.

use std::error::Error;
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use job_queue::{JobId, ManualClock, Queue, QueueConfig};
use redis_harness::RedisServer;

/// The numbers of jobs and of raw requests: full under `cargo bench`, small
/// under `cargo test --benches`.
struct Sizes {
    jobs: usize,
    requests: usize,
}

fn main() -> Result<(), Box<dyn Error>> {
    // `cargo bench` passes `--bench`; `cargo test --benches` does not.
    let full = std::env::args().any(|arg| arg == "--bench");
    let sizes = if full {
        Sizes {
            jobs: 20_000,
            requests: 200_000,
        }
    } else {
        Sizes {
            jobs: 300,
            requests: 2_000,
        }
    };
    let server = RedisServer::start()?;
    println!(
        "job-queue throughput: {} jobs per run, {} raw requests ({})",
        sizes.jobs,
        sizes.requests,
        if full { "cargo bench" } else { "smoke run" }
    );

    let lmove = match raw_rates(server.port(), sizes.requests) {
        Ok((lpush, lmove)) => {
            println!("redis-benchmark, 50 clients: LPUSH {lpush:>9.0} ops/s");
            println!("redis-benchmark, 50 clients: LMOVE {lmove:>9.0} ops/s");
            Some(lmove)
        }
        Err(why) => {
            println!("redis-benchmark unavailable ({why}): only the queue's own figures");
            None
        }
    };

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    println!(
        "\n{:>7}  {:>10}  {:>10}  {:>9}  {:>9}  {:>8}",
        "workers", "enqueue/s", "jobs/s", "trips/job", "trips/s", "of LMOVE"
    );
    for workers in [1, 4, 16] {
        let run = runtime.block_on(queue_run(&server.url(), workers, sizes.jobs))?;
        let ceiling = lmove.map_or("-".to_owned(), |lmove| {
            format!("{:.1}%", 100.0 * run.jobs_per_sec / lmove)
        });
        println!(
            "{workers:>7}  {:>10.0}  {:>10.0}  {:>9.2}  {:>9.0}  {ceiling:>8}",
            run.enqueue_per_sec,
            run.jobs_per_sec,
            run.trips_per_job,
            run.jobs_per_sec * run.trips_per_job
        );
        assert!(
            (run.trips_per_job - 4.0).abs() < 0.05,
            "the design makes 4 round trips per job, measured {:.2}",
            run.trips_per_job
        );
    }
    Ok(())
}

/// LPUSH then LMOVE rates from `redis-benchmark` (the LPUSH run fills the
/// list the LMOVE run rotates, so LMOVE never meets an empty list).
fn raw_rates(port: u16, requests: usize) -> Result<(f64, f64), Box<dyn Error>> {
    let rate = |command: &[&str]| -> Result<f64, Box<dyn Error>> {
        let output = Command::new("redis-benchmark")
            .args([
                "-p",
                &port.to_string(),
                "-n",
                &requests.to_string(),
                "--csv",
            ])
            .args(command)
            .output()?;
        let text = String::from_utf8(output.stdout)?;
        // "test","rps",...  then  "lpush rb:list x","99009.90",...
        let line = text
            .lines()
            .nth(1)
            .ok_or("no CSV line from redis-benchmark")?;
        let rps = line.split(',').nth(1).ok_or("no rps column")?;
        Ok(rps.trim_matches('"').parse()?)
    };
    let lpush = rate(&["lpush", "rb:list", "x"])?;
    let lmove = rate(&["lmove", "rb:list", "rb:list", "RIGHT", "LEFT"])?;
    Ok((lpush, lmove))
}

struct Run {
    enqueue_per_sec: f64,
    jobs_per_sec: f64,
    trips_per_job: f64,
}

async fn queue_run(
    url: &str,
    workers: usize,
    jobs: usize,
) -> Result<Run, Box<dyn Error>> {
    let config = QueueConfig::new(format!("bench:{workers}:"))
        .block(Duration::from_millis(50))
        .clock(Arc::new(ManualClock::new(1_700_000_000_000)));
    let producer = Arc::new(Queue::connect(url, config.clone()).await?);
    let before = client_round_trips(&producer).await?;

    // Enqueue from `workers` tasks sharing one multiplexed connection, so
    // requests are pipelined on it the way concurrent producers would be.
    let start = Instant::now();
    let mut tasks = Vec::new();
    for task in 0..workers {
        let producer = Arc::clone(&producer);
        tasks.push(tokio::spawn(async move {
            for n in (task..jobs).step_by(workers) {
                let id = JobId::parse(&format!("job-{n}")).expect("a valid id");
                producer.enqueue(&id, r#"{"n":1}"#).await.expect("enqueue");
            }
        }));
    }
    for task in tasks {
        task.await?;
    }
    let enqueue_per_sec = jobs as f64 / start.elapsed().as_secs_f64();

    // The clock starts when the first worker starts and stops when the
    // last job is acked (not when the last worker's final BLMOVE times out
    // on the empty queue).
    let done = Arc::new(AtomicUsize::new(0));
    let start = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..workers {
        let mut worker = Queue::connect(url, config.clone()).await?;
        let done = Arc::clone(&done);
        tasks.push(tokio::spawn(async move {
            let mut finished_at = None;
            while let Some(claim) = worker.dequeue().await.expect("dequeue") {
                worker.ack(&claim).await.expect("ack");
                if done.fetch_add(1, Ordering::Relaxed) + 1 == jobs {
                    finished_at = Some(Instant::now());
                }
            }
            finished_at
        }));
    }
    let mut finished = None;
    for task in tasks {
        finished = finished.or(task.await?);
    }
    let finished = finished.ok_or("no worker acked the last job")?;
    let jobs_per_sec = jobs as f64 / (finished - start).as_secs_f64();
    assert_eq!(
        done.load(Ordering::Relaxed),
        jobs,
        "every job is done exactly once"
    );

    // Each worker's last BLMOVE found the queue empty: one round trip that
    // carried no job, subtracted here.
    let trips = client_round_trips(&producer).await? - before - workers as u64;
    Ok(Run {
        enqueue_per_sec,
        jobs_per_sec,
        trips_per_job: trips as f64 / jobs as f64,
    })
}

/// The commands clients sent that the queue uses: scripts and BLMOVE.
/// Commands a script runs inside Redis are counted under their own names,
/// not these, so this is the number of client round trips.
async fn client_round_trips(queue: &Queue) -> Result<u64, Box<dyn Error>> {
    let info: String = redis::cmd("INFO")
        .arg("commandstats")
        .query_async(&mut queue.connection())
        .await?;
    let calls = |name: &str| -> u64 {
        info.lines()
            .find_map(|line| line.strip_prefix(&format!("cmdstat_{name}:calls=")))
            .and_then(|rest| rest.split(',').next())
            .and_then(|calls| calls.parse().ok())
            .unwrap_or(0)
    };
    Ok(calls("evalsha") + calls("eval") + calls("blmove"))
}

//! # Day 139 example: dead letters, a re-drive, and a duplicate absorbed
//!
//! `cargo run -p redrive` starts its own `redis-server` (or uses
//! `REDIS_URL`) and runs a payments worker on the `dead-letter` crate (the
//! reference solution) over Day 136's queue:
//!
//! 1. six payment jobs: one succeeds, one is refused at enqueue, one fails
//!    permanently, one keeps timing out until its attempts run out, one has
//!    a payload corrupted in Redis, one has JSON of the wrong shape;
//! 2. the dead-letter list, each record with its whole cause chain;
//! 3. a dry-run re-drive of the exhausted jobs, then (the ledger is back)
//!    the real one, and the worker finishing the job;
//! 4. one job delivered twice (its first worker stalls past the lease):
//!    the idempotent handler credits it once.
//!
//! The same binary is the re-drive command for a real queue:
//!
//! ```text
//! cargo run -p redrive -- list    --url redis://127.0.0.1/ --prefix payments
//! cargo run -p redrive -- redrive --url redis://127.0.0.1/ --prefix payments \
//!     --kind exhausted --dry-run
//! ```
//!
//! # Layout
//!
//! `main` parses the command line and wires the runtime; each scenario and
//! each command is one function. The demo's clock is a `ManualClock`
//! moved by hand (leases and backoff delays take no real time), there is
//! no randomness (no jitter), and the single worker handles jobs in queue
//! order, so every run prints the same lines.

use std::error::Error;
use std::io;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use backoff::{Backoff, Jitter, RetryPolicy, Transient};
use clap::{Parser, Subcommand};
use dead_letter::{
    Applied, Credit, DeadKind, DeadLetterQueue, Filter, HandleError, Idempotent, Mode,
    RedisLedger, Report, Settled, Skipped,
};
use job_queue::{Claim, DequeueError, JobId, ManualClock, Queue, QueueConfig};

type BoxError = Box<dyn Error + Send + Sync>;

/// The dead-letter demo, or the list and re-drive commands for a queue.
#[derive(Debug, Parser)]
#[command(name = "redrive", about)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Print the dead-letter list of a queue, oldest first.
    List {
        #[command(flatten)]
        target: Target,
    },
    /// Move dead jobs back to pending: all, some ids, or one kind.
    Redrive {
        #[command(flatten)]
        target: Target,
        /// Only the jobs that died this way (permanent, exhausted, malformed).
        #[arg(long, conflicts_with_all = ["ids", "all"])]
        kind: Option<DeadKind>,
        /// Only these job ids (repeat the flag for more).
        #[arg(long = "id", conflicts_with = "all")]
        ids: Vec<JobId>,
        /// Every dead job.
        #[arg(long)]
        all: bool,
        /// Say what would move, and move nothing.
        #[arg(long)]
        dry_run: bool,
    },
}

/// Which queue a command works on.
#[derive(Debug, clap::Args)]
struct Target {
    /// The Redis server.
    #[arg(long, env = "REDIS_URL", default_value = "redis://127.0.0.1:6379/")]
    url: String,
    /// The queue's key prefix.
    #[arg(long)]
    prefix: String,
}

fn main() -> Result<(), BoxError> {
    let cli = Cli::parse();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        match cli.command {
            None => demo().await,
            Some(Command::List { target }) => list(&target).await,
            Some(Command::Redrive {
                target,
                kind,
                ids,
                all,
                dry_run,
            }) => {
                let filter = match (kind, ids.is_empty(), all) {
                    (Some(kind), _, _) => Filter::Kind(kind),
                    (None, false, _) => Filter::Ids(ids),
                    (None, true, true) => Filter::All,
                    (None, true, false) => {
                        return Err(
                            "say which jobs: --all, --kind <kind> or --id <id>".into()
                        );
                    }
                };
                let mode = if dry_run { Mode::DryRun } else { Mode::Apply };
                redrive(&target, &filter, mode).await
            }
        }
    })
}

// ---------------------------------------------------------------------------
// The commands.

async fn connect(target: &Target) -> Result<DeadLetterQueue, BoxError> {
    let backoff = Backoff::new(Duration::from_secs(1), Duration::from_secs(60))?;
    let config = QueueConfig::new(target.prefix.as_str());
    Ok(DeadLetterQueue::connect(&target.url, config, RetryPolicy::new(backoff)).await?)
}

async fn list(target: &Target) -> Result<(), BoxError> {
    let dlq = connect(target).await?;
    let records = dlq.dead_letters().await?;
    println!("{} dead job(s) in {}", records.len(), dlq.keys().dead());
    for record in records {
        match record {
            Ok(record) => println!("{record}"),
            Err(unreadable) => println!("unreadable entry: {}", unreadable.raw),
        }
    }
    Ok(())
}

async fn redrive(target: &Target, filter: &Filter, mode: Mode) -> Result<(), BoxError> {
    let dlq = connect(target).await?;
    let report = dlq.redrive(filter, mode).await?;
    print_report(&report);
    Ok(())
}

fn print_report(report: &Report) {
    let verb = match report.mode {
        Mode::DryRun => "would move",
        Mode::Apply => "moved",
    };
    match report.moved.as_slice() {
        [] => println!("{verb} no job"),
        moved => println!("{verb} {} job(s): {}", moved.len(), moved.join(", ")),
    }
    for skipped in &report.skipped {
        match skipped {
            Skipped::NotDead(id) => println!("skipped {id}: not in the dead-letter list"),
            Skipped::Gone(id) => println!("skipped {id}: another re-drive took it"),
            Skipped::Unreadable(raw) => println!("skipped an unreadable entry: {raw}"),
        }
    }
}

// ---------------------------------------------------------------------------
// The demo.

/// The demo's clock starts here: 2023-11-14T22:13:20Z.
const START_MS: u64 = 1_700_000_000_000;

/// The account whose credits always fail: a permanent error.
#[derive(Debug, thiserror::Error)]
#[error("account {0} is closed")]
struct AccountClosed(String);

/// Why a payment failed, wrapping the cause.
#[derive(Debug, thiserror::Error)]
enum PaymentFailed {
    #[error("reading the payment failed")]
    Decode(#[source] serde_json::Error),
    #[error("crediting {account} failed")]
    Credit {
        account: String,
        #[source]
        source: BoxError,
    },
}

/// Everything one demo run shares.
struct Demo {
    url: String,
    clock: ManualClock,
    worker: Queue,
    dlq: DeadLetterQueue,
    payments: Idempotent<RedisLedger>,
    /// While true, the fraud check that `acct-3` needs times out.
    fraud_check_down: bool,
}

async fn demo() -> Result<(), BoxError> {
    // A private redis-server, or `REDIS_URL` when set, with a key prefix of
    // this run's own: the same choice the tests make. Keep it alive until the
    // demo ends: dropping it stops the server.
    let redis = redis_harness::TestRedis::try_start("redrive-demo")?;
    let url = redis.url().to_owned();
    let clock = ManualClock::new(START_MS);
    let prefix = redis.prefix().to_owned();
    let config = QueueConfig::new(prefix)
        .lease(Duration::from_secs(30))
        .block(Duration::from_millis(50))
        .clock(Arc::new(clock.clone()));
    let backoff = Backoff::new(Duration::from_secs(1), Duration::from_secs(60))?;
    let policy = RetryPolicy::new(backoff)
        .with_jitter(Jitter::None)
        .with_max_attempts(NonZeroU32::new(3).expect("3 is not zero"));
    let worker = Queue::connect(&url, config.clone()).await?;
    let dlq = DeadLetterQueue::connect(&url, config, policy).await?;
    let payments =
        Idempotent::new(RedisLedger::new(&worker, Duration::from_secs(86_400)));
    let mut demo = Demo {
        url,
        clock,
        worker,
        dlq,
        payments,
        fraud_check_down: true,
    };
    failing_jobs(&mut demo).await?;
    dead_letter_list(&demo).await?;
    redrive_by_kind(&mut demo).await?;
    duplicate_delivery(&mut demo).await?;
    Ok(())
}

async fn failing_jobs(demo: &mut Demo) -> Result<(), BoxError> {
    println!("== 1. six payments, at most 3 attempts each, backoff 1s, 2s");
    let jobs = [
        ("pay-1", r#"{"account":"acct-1","cents":500}"#),
        ("pay-2", r#"{"account":"acct-closed","cents":700}"#),
        ("pay-3", r#"{"account":"acct-3","cents":900}"#),
        ("pay-4", r#"{"account":"acct-4","cents":100}"#),
        ("pay-5", r#"{"acount":"acct-5","cents":300}"#),
        ("pay-6", "{cents: 100}"),
    ];
    for (id, payload) in jobs {
        match demo.worker.enqueue(&JobId::parse(id)?, payload).await {
            Ok(()) => {}
            Err(error) => print_chain(&format!("enqueue {id} refused"), &error),
        }
    }
    // A payload that got in behind the queue's back: another producer
    // writing to Redis directly, say.
    let _: () = redis::cmd("HSET")
        .arg(demo.worker.keys().jobs())
        .arg("pay-4")
        .arg("{\"account\":")
        .query_async(&mut demo.worker.connection())
        .await?;
    println!("(pay-4's payload is truncated in Redis by hand)");
    drain(demo).await
}

/// Work until nothing is pending or scheduled: handle what is pending, then
/// move the clock to the next retry and promote it.
async fn drain(demo: &mut Demo) -> Result<(), BoxError> {
    loop {
        while work_one(demo).await? {}
        let census = demo.dlq.census().await?;
        if census.scheduled.is_empty() {
            return Ok(());
        }
        let next: Option<f64> = redis::cmd("ZSCORE")
            .arg(demo.dlq.keys().scheduled())
            .arg(&census.scheduled[0])
            .query_async(&mut demo.worker.connection())
            .await?;
        let due = next.ok_or("a scheduled job has a time")? as u64;
        demo.clock.set(due.max(demo.worker.now_ms()));
        demo.dlq.promote().await?;
    }
}

/// Dequeue and handle one job; false when the queue is empty.
async fn work_one(demo: &mut Demo) -> Result<bool, BoxError> {
    let claim = match demo.worker.dequeue().await {
        Ok(Some(claim)) => claim,
        Ok(None) => return Ok(false),
        Err(DequeueError::Malformed(job)) => {
            println!(
                "{}  {} attempt {}: malformed, dead-lettered",
                t(demo),
                job.id(),
                job.attempt()
            );
            demo.dlq.bury_malformed(&job).await?;
            return Ok(true);
        }
        Err(error) => return Err(error.into()),
    };
    let Some(claim) = demo.dlq.admit(claim).await? else {
        return Ok(true);
    };
    let outcome = demo
        .payments
        .handle(&claim, |claim| decide(demo, claim))
        .await;
    let line = format!("{}  {} attempt {}", t(demo), claim.id(), claim.attempt());
    match outcome {
        Ok(applied) => {
            demo.worker.ack(&claim).await?;
            println!("{line}: {}, acked", said(applied));
        }
        Err(error) => {
            let settled = demo.dlq.settle(&claim, &error).await?;
            let what = match settled {
                Settled::Retry { due_ms } => {
                    format!("retry at t=+{}s", (due_ms - START_MS) / 1000)
                }
                Settled::Dead(kind) => format!("dead-lettered ({kind})"),
            };
            println!("{line}: failed ({}), {what}", last_cause(&error));
        }
    }
    Ok(true)
}

/// The handler's decision: which credit the job asks for, or why not.
fn decide(demo: &Demo, claim: &Claim) -> Result<Credit, PaymentFailed> {
    let credit: Credit = claim.decode().map_err(PaymentFailed::Decode)?;
    let fail = |source: BoxError| PaymentFailed::Credit {
        account: credit.account.clone(),
        source,
    };
    if credit.account == "acct-closed" {
        return Err(fail(Box::new(AccountClosed(credit.account.clone()))));
    }
    if credit.account == "acct-3" && demo.fraud_check_down {
        let timeout =
            io::Error::new(io::ErrorKind::TimedOut, "fraud check: no reply in 2s");
        return Err(fail(Box::new(Transient(Box::new(timeout)))));
    }
    Ok(credit)
}

async fn dead_letter_list(demo: &Demo) -> Result<(), BoxError> {
    println!();
    println!("== 2. the dead-letter list (LRANGE {{prefix}}dead 0 -1), oldest first");
    for record in demo.dlq.dead_letters().await? {
        println!("{}", record?);
    }
    Ok(())
}

async fn redrive_by_kind(demo: &mut Demo) -> Result<(), BoxError> {
    println!();
    println!("== 3. re-drive the exhausted jobs: a dry run, then for real");
    let filter = Filter::Kind(DeadKind::Exhausted);
    print_report(&demo.dlq.redrive(&filter, Mode::DryRun).await?);
    println!("(the fraud check is back up)");
    demo.fraud_check_down = false;
    print_report(&demo.dlq.redrive(&filter, Mode::Apply).await?);
    drain(demo).await?;
    print!("again: ");
    print_report(&demo.dlq.redrive(&filter, Mode::Apply).await?);
    let census = demo.dlq.census().await?;
    println!("still dead: {}", census.dead.join(", "));
    Ok(())
}

async fn duplicate_delivery(demo: &mut Demo) -> Result<(), BoxError> {
    println!();
    println!("== 4. one job, two deliveries");
    let id = JobId::parse("pay-7")?;
    demo.worker
        .enqueue(&id, r#"{"account":"acct-7","cents":250}"#)
        .await?;
    let first = demo.worker.dequeue().await?.ok_or("pay-7 is waiting")?;
    let applied = demo
        .payments
        .handle(&first, |claim| decide(demo, claim))
        .await?;
    println!(
        "worker A, attempt {}: {}, then stalls before its ack",
        first.attempt(),
        said(applied)
    );
    demo.clock.advance(Duration::from_secs(31));
    let reaped = demo.worker.reap().await?;
    println!(
        "the lease expires; the reaper re-queues {}",
        reaped.requeued.join(", ")
    );
    let mut other = Queue::connect(&demo.url, demo.worker.config().clone()).await?;
    let second = other.dequeue().await?.ok_or("pay-7 is back")?;
    let applied = demo
        .payments
        .handle(&second, |claim| decide(demo, claim))
        .await?;
    other.ack(&second).await?;
    println!(
        "worker B, attempt {}: {}, acked",
        second.attempt(),
        said(applied)
    );
    if let Err(error) = demo.worker.ack(&first).await {
        println!("worker A wakes up and acks: {error}");
    }
    let balance = demo.payments.store().balance("acct-7").await?;
    println!("acct-7 balance: {balance} cents (credited once)");
    Ok(())
}

/// What the idempotent handler did, in words.
fn said(applied: Applied) -> &'static str {
    match applied {
        Applied::Now => "credited",
        Applied::Already => "already credited, nothing changed",
    }
}

/// The time on the demo's clock, as seconds since the start.
fn t(demo: &Demo) -> String {
    format!("t=+{}s", (demo.worker.now_ms() - START_MS) / 1000)
}

/// The deepest cause of `error`: what actually went wrong.
fn last_cause(error: &HandleError<PaymentFailed, redis::RedisError>) -> String {
    dead_letter::causes(error).pop().unwrap_or_default()
}

fn print_chain(top: &str, error: &(dyn Error + 'static)) {
    println!("{top}: {error}");
    let mut source = error.source();
    while let Some(cause) = source {
        println!("  caused by: {cause}");
        source = cause.source();
    }
}

//! # Day 136 example: a Redis job queue, its leases and its reaper
//!
//! `cargo run -p queue` starts its own `redis-server` (or uses `REDIS_URL`,
//! under a prefix of its own that it deletes at the end), and runs the
//! `job_queue` crate (the reference solution) through five scenarios:
//!
//! 1. enqueue six jobs; a duplicate id and a payload that is not JSON are
//!    refused;
//! 2. a worker claims a job and crashes (its task is aborted) while two
//!    other workers drain the rest of the queue;
//! 3. the reaper, on a manual clock: nothing to do before the lease ends,
//!    the crashed worker's job re-queued after it, and completed by another
//!    worker as attempt 2;
//! 4. a dequeue cancelled while the server is blocked in `BLMOVE`: the
//!    server still moves the next job, for nobody, and the reaper recovers
//!    it one lease later;
//! 5. a slow worker whose lease was taken away tries to ack and is refused.
//!
//! # Layout
//!
//! `main` only starts Redis and the runtime; each scenario is one function.
//! The clock is a `ManualClock`, so a 30-second lease expires the moment
//! the example says so. The output is identical on every run: no timings,
//! no ports, no tokens (they come from a counter that another program on a
//! shared server could move), and what concurrent workers did is sorted
//! before it is printed.

use std::error::Error;
use std::sync::Arc;
use std::time::Duration;

use job_queue::{AckError, Counts, JobId, ManualClock, Queue, QueueConfig};
use redis::AsyncCommands;
use redis_harness::TestRedis;
use tokio::sync::oneshot;

const LEASE: Duration = Duration::from_secs(30);

fn main() -> Result<(), Box<dyn Error>> {
    // A private redis-server, or `REDIS_URL` when set, with a key prefix of
    // this run's own: the same choice the tests make. Kept alive (and the
    // server with it) until `main` returns.
    let redis = TestRedis::try_start("queue-example")?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let clock = ManualClock::new(1_700_000_000_000);
        let config = QueueConfig::new(redis.prefix())
            .lease(LEASE)
            .block(Duration::from_millis(100))
            .clock(Arc::new(clock.clone()));
        let connect = || Queue::connect(redis.url(), config.clone());
        let producer = connect().await?;

        enqueue(&producer).await?;
        crash(
            &producer,
            connect().await?,
            [connect().await?, connect().await?],
        )
        .await?;
        reap(&producer, &clock, connect().await?).await?;
        cancelled(
            &producer,
            &clock,
            redis.url(),
            config.clone(),
            connect().await?,
        )
        .await?;
        stale(&producer, &clock, connect().await?, connect().await?).await?;

        let mut raw = producer.connection();
        let _: () = raw.del(&producer.keys().all()[..]).await?;
        Ok(())
    })
}

fn id(text: &str) -> JobId {
    JobId::parse(text).expect("the example's ids are valid")
}

/// An error and its causes, on one line.
fn chain(error: &dyn Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(&format!(": {cause}"));
        source = cause.source();
    }
    text
}

fn counts(counts: Counts) -> String {
    format!(
        "pending {}, processing {}, leased {}, stored {}",
        counts.pending, counts.processing, counts.leased, counts.stored
    )
}

/// Scenario 1: six jobs in, two refused.
async fn enqueue(producer: &Queue) -> Result<(), Box<dyn Error>> {
    println!("== 1. enqueue");
    for n in 1..=6 {
        producer
            .enqueue(
                &id(&format!("email-{n}")),
                &format!(r#"{{"to":"user{n}@example.com"}}"#),
            )
            .await?;
    }
    println!("enqueued email-1 .. email-6");
    if let Err(error) = producer.enqueue(&id("email-3"), "{}").await {
        println!("refused: {}", chain(&error));
    }
    if let Err(error) = producer.enqueue(&id("email-7"), "{to: nobody}").await {
        println!("refused: {}", chain(&error));
    }
    println!("{}", counts(producer.counts().await?));
    Ok(())
}

/// Scenario 2: one worker dies holding a job, two others drain the queue.
async fn crash(
    producer: &Queue,
    mut doomed: Queue,
    workers: [Queue; 2],
) -> Result<(), Box<dyn Error>> {
    println!("\n== 2. a worker crashes mid-job");
    let (claimed, got) = oneshot::channel();
    let crashing = tokio::spawn(async move {
        let claim = doomed
            .dequeue()
            .await
            .ok()
            .flatten()
            .expect("a job is waiting");
        let _ = claimed.send(claim.id().to_string());
        // Working... until the task is aborted: no ack ever comes.
        std::future::pending::<()>().await;
    });
    println!("crasher claimed {}", got.await?);
    crashing.abort();
    let _ = crashing.await;
    println!("crasher aborted before its ack");

    let mut handles = Vec::new();
    for mut worker in workers {
        handles.push(tokio::spawn(async move {
            let mut done = Vec::new();
            while let Ok(Some(claim)) = worker.dequeue().await {
                worker.ack(&claim).await.expect("a fresh claim acks");
                done.push(claim.id().to_string());
            }
            done
        }));
    }
    let mut done = Vec::new();
    for handle in handles {
        done.extend(handle.await?);
    }
    done.sort();
    println!(
        "the two other workers completed {}: {}",
        done.len(),
        done.join(" ")
    );
    println!("{}", counts(producer.counts().await?));
    Ok(())
}

/// Scenario 3: the reaper re-queues the crashed worker's job once its
/// lease has expired, and another worker completes it.
async fn reap(
    producer: &Queue,
    clock: &ManualClock,
    mut rescuer: Queue,
) -> Result<(), Box<dyn Error>> {
    println!(
        "\n== 3. the reaper, on a manual clock (lease {}s)",
        LEASE.as_secs()
    );
    clock.advance(LEASE - Duration::from_millis(1));
    let early = producer.reap().await?;
    println!(
        "t=+29.999s reap: requeued {:?}, stamped {:?}",
        early.requeued, early.stamped
    );
    clock.advance(Duration::from_millis(1));
    let due = producer.reap().await?;
    println!(
        "t=+30.000s reap: requeued {:?}, stamped {:?}",
        due.requeued, due.stamped
    );
    let claim = rescuer
        .dequeue()
        .await?
        .ok_or("the re-queued job is waiting")?;
    rescuer.ack(&claim).await?;
    println!(
        "rescuer completed {} (attempt {}, payload {})",
        claim.id(),
        claim.attempt(),
        claim.payload()
    );
    println!("{}", counts(producer.counts().await?));
    Ok(())
}

/// Scenario 4: a dequeue dropped while `BLMOVE` blocks on the server.
async fn cancelled(
    producer: &Queue,
    clock: &ManualClock,
    url: &str,
    config: QueueConfig,
    mut worker: Queue,
) -> Result<(), Box<dyn Error>> {
    println!("\n== 4. a dequeue cancelled while BLMOVE blocks");
    let mut impatient =
        Queue::connect(url, config.block(Duration::from_secs(10))).await?;
    let mut raw = producer.connection();
    // Give up once the server is blocked, as a timeout firing then would.
    tokio::select! {
        _ = impatient.dequeue() => return Err("the queue was empty: dequeue should block".into()),
        blocked = until_blocked(&mut raw) => blocked?,
    }
    println!("impatient worker gave up; its connection stays open");
    producer
        .enqueue(&id("report-1"), r#"{"month":"2024-05"}"#)
        .await?;
    while producer.counts().await?.processing == 0 {
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    println!(
        "server moved report-1 anyway: {}",
        counts(producer.counts().await?)
    );
    let first = producer.reap().await?;
    println!(
        "reap: requeued {:?}, stamped {:?}",
        first.requeued, first.stamped
    );
    clock.advance(LEASE);
    let second = producer.reap().await?;
    println!(
        "reap +30s: requeued {:?}, stamped {:?}",
        second.requeued, second.stamped
    );
    let claim = worker
        .dequeue()
        .await?
        .ok_or("the recovered job is waiting")?;
    worker.ack(&claim).await?;
    println!(
        "worker completed {} (attempt {})",
        claim.id(),
        claim.attempt()
    );
    drop(impatient);
    Ok(())
}

/// Wait until some client is blocked in BLMOVE (`INFO clients`).
async fn until_blocked(
    raw: &mut redis::aio::MultiplexedConnection,
) -> Result<(), redis::RedisError> {
    loop {
        let info: String = redis::cmd("INFO").arg("clients").query_async(raw).await?;
        if info.lines().any(|line| {
            line.strip_prefix("blocked_clients:")
                .is_some_and(|count| count.trim() != "0")
        }) {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
}

/// Scenario 5: a worker that outlived its lease cannot ack.
async fn stale(
    producer: &Queue,
    clock: &ManualClock,
    mut slow: Queue,
    mut fast: Queue,
) -> Result<(), Box<dyn Error>> {
    println!("\n== 5. a slow worker loses its lease");
    producer.enqueue(&id("resize-9"), r#"{"w":640}"#).await?;
    let old = slow.dequeue().await?.ok_or("a job is waiting")?;
    println!("slow claimed {} (attempt {})", old.id(), old.attempt());
    clock.advance(LEASE);
    let reaped = producer.reap().await?;
    println!("reap +30s: requeued {:?}", reaped.requeued);
    let new = fast
        .dequeue()
        .await?
        .ok_or("the re-queued job is waiting")?;
    println!("fast claimed {} (attempt {})", new.id(), new.attempt());
    match slow.ack(&old).await {
        Err(AckError::LeaseLost { id, .. }) => {
            println!("slow's ack refused: lease on {id} lost")
        }
        other => return Err(format!("expected LeaseLost, got {other:?}").into()),
    }
    fast.ack(&new).await?;
    println!("fast's ack accepted");
    println!("{}", counts(producer.counts().await?));
    Ok(())
}

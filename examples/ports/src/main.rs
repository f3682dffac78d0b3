//! # Day 130 example: one API, two queues, one composition root
//!
//! `cargo run -p ports` builds the job-submission service of the
//! `hexagonal` crate (the reference solution) through its composition
//! root, `compose::build_with`, and talks to it over gRPC on an in-memory
//! transport:
//!
//! 1. with the in-memory queue: five submissions (two jobs, a duplicate,
//!    two invalid requests) and their answers;
//! 2. with Redis (a private `redis-server` it starts, or `REDIS_URL`): the
//!    same five, the same answers, and what Redis now holds;
//! 3. Redis killed under a running service: the client gets
//!    `UNAVAILABLE`, a domain decision, and no Redis error text;
//! 4. the root asked to start with no Redis at all: it refuses.
//!
//! Only the settings differ between 1 and 2: the core and the gRPC adapter
//! are the same code, which is the point of ports and adapters.
//!
//! # Layout
//!
//! `main` wires the runtime and runs one function per scenario. Ids come
//! from `SequentialIds` and time from a `ManualClock`, and nothing is
//! concurrent, so every run prints the same lines (Redis's key prefix,
//! which holds the process id, is never printed).

use std::error::Error;

use hexagonal::adapters::grpc::pb::SubmitRequest;
use hexagonal::adapters::grpc::pb::jobs_client::JobsClient;
use hexagonal::adapters::memory::{ManualClock, SequentialIds};
use hexagonal::adapters::redis::RedisConfig;
use hexagonal::compose::{self, QueueSettings, Settings};
use hexagonal::in_memory;
use redis_harness::{RedisServer, TestRedis};
use tokio::net::TcpSocket;
use tonic::transport::Channel;

type BoxError = Box<dyn Error + Send + Sync>;

/// 2023-11-14 in ms since the epoch: the demo's clock never moves.
const START_MS: u64 = 1_700_000_000_000;

/// The five submissions both queues get: (kind, payload, idempotency key).
const SCRIPT: [(&str, &str, &str); 5] = [
    ("email.send", "to ada", "order-1"),
    ("email.send", "to ada", "order-1"),
    ("report.build", "q3", ""),
    ("Email", "to ada", ""),
    ("email.send", "", "order-2"),
];

fn main() -> Result<(), BoxError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let memory = memory_queue().await?;
        let redis = redis_queue().await?;
        println!(
            "\nsame answers from both queues: {}",
            if memory == redis { "yes" } else { "NO" }
        );
        redis_goes_away().await?;
        no_redis_at_start().await
    })
}

/// Scenario 1: the service over the in-memory queue.
async fn memory_queue() -> Result<Vec<String>, BoxError> {
    println!("== 1. the in-memory queue ==");
    let settings = Settings {
        queue: QueueSettings::Memory,
    };
    let mut client = connect(&settings).await?;
    run_script(&mut client).await
}

/// Scenario 2: the same service over Redis, and what Redis holds after.
async fn redis_queue() -> Result<Vec<String>, BoxError> {
    println!("\n== 2. the Redis queue ==");
    let redis = TestRedis::try_start("ports")?;
    let settings = Settings {
        queue: QueueSettings::Redis(RedisConfig::new(redis.url(), redis.prefix())),
    };
    let mut client = connect(&settings).await?;
    let answers = run_script(&mut client).await?;

    let mut connection = redis::Client::open(redis.url())?
        .get_multiplexed_async_connection()
        .await?;
    let records: Vec<String> = redis::cmd("LRANGE")
        .arg(format!("{}jobs", redis.prefix()))
        .arg(0)
        .arg(-1)
        .query_async(&mut connection)
        .await?;
    println!("Redis list <prefix>jobs, newest first:");
    for record in records {
        println!("  {record}");
    }
    Ok(answers)
}

/// Scenario 3: Redis dies under a running service.
async fn redis_goes_away() -> Result<(), BoxError> {
    println!("\n== 3. Redis killed under a running service ==");
    // A private server even when REDIS_URL is set: this scenario kills it.
    let server = RedisServer::start()?;
    let settings = Settings {
        queue: QueueSettings::Redis(RedisConfig::new(server.url(), "ports-outage")),
    };
    let mut client = connect(&settings).await?;
    submit(&mut client, ("email.send", "to bob", "order-3")).await?;
    drop(server);
    println!("(redis-server killed)");
    submit(&mut client, ("email.send", "to cy", "order-4")).await?;
    Ok(())
}

/// Scenario 4: the root refuses to start without its queue.
async fn no_redis_at_start() -> Result<(), BoxError> {
    println!("\n== 4. starting with no Redis ==");
    // A port that is bound but never listens: connections to it are
    // refused, and no other process can take it while `reserved` lives.
    // Stopping a server and reusing its port would not do: the smoke test
    // runs this example twice at once, and either run (or any other
    // program) could be given the freed port for a new server.
    let reserved = TcpSocket::new_v4()?;
    reserved.bind(([127, 0, 0, 1], 0).into())?;
    let url = format!("redis://127.0.0.1:{}/", reserved.local_addr()?.port());
    let settings = Settings {
        queue: QueueSettings::Redis(RedisConfig::new(url, "ports-down")),
    };
    match compose::build_with(&settings, SequentialIds::new(), ManualClock::new(START_MS))
        .await
    {
        Ok(_) => println!("build: started (unexpected)"),
        // Two levels of the chain: the third is the operating system's
        // wording of "connection refused", which varies.
        Err(error) => {
            let cause = error.source().map(ToString::to_string).unwrap_or_default();
            println!("build refused: {error}: {cause}");
        }
    }
    Ok(())
}

/// The composition root, then a client over the in-memory transport.
async fn connect(settings: &Settings) -> Result<JobsClient<Channel>, BoxError> {
    let server =
        compose::build_with(settings, SequentialIds::new(), ManualClock::new(START_MS))
            .await?;
    Ok(in_memory::connect(server).await?)
}

/// Send every submission of [`SCRIPT`]; return the answers as printed.
async fn run_script(client: &mut JobsClient<Channel>) -> Result<Vec<String>, BoxError> {
    let mut answers = Vec::new();
    for step in SCRIPT {
        answers.push(submit(client, step).await?);
    }
    Ok(answers)
}

/// Send one submission and print the answer, or the status code and
/// message: the client's whole view of the service.
async fn submit(
    client: &mut JobsClient<Channel>,
    (kind, payload, key): (&str, &str, &str),
) -> Result<String, BoxError> {
    let request = SubmitRequest {
        kind: kind.to_owned(),
        payload: payload.to_owned(),
        idempotency_key: key.to_owned(),
    };
    let answer = match client.submit(request).await {
        Ok(response) => {
            let response = response.into_inner();
            let how = if response.duplicate {
                "duplicate of an earlier submit"
            } else {
                "queued"
            };
            format!("{} {how}", response.job_id)
        }
        Err(status) => format!("{:?}: {}", status.code(), status.message()),
    };
    let key = if key.is_empty() { "-" } else { key };
    println!("submit kind={kind:<12} key={key:<8} -> {answer}");
    Ok(answer)
}

//! Step 4: the Redis adapter, against a real `redis-server`.
//!
//! Each test starts its own server through `redis_harness` (or shares
//! `REDIS_URL`, kept apart by its prefix). The tests that kill or pause
//! Redis always start a private `RedisServer`: doing that to a shared
//! server would break every other test. "No Redis at all" is a port that
//! nothing listens on and nothing can take (`refused_url`), not a stopped
//! server whose port another test may be given.

use std::error::Error;
use std::time::Duration;

use hexagonal::adapters::redis::{RedisConfig, RedisQueue};
use hexagonal::domain::{Enqueued, Job, JobId, JobQueue, QueueError};
use redis::aio::MultiplexedConnection;
use redis_harness::{RedisServer, TestRedis};

use crate::{START_MS, job, refused_url};

fn keyed(n: u32, key: &str) -> Job {
    let id = JobId::parse(&format!("job-{n}")).expect("a valid id");
    Job::new(
        id,
        job("email.send", "to ada", key),
        START_MS + u64::from(n),
    )
}

fn config(url: &str, prefix: &str) -> RedisConfig {
    RedisConfig {
        timeout: Duration::from_secs(1),
        ..RedisConfig::new(url, prefix)
    }
}

async fn queue(redis: &TestRedis) -> RedisQueue {
    RedisQueue::connect(&config(redis.url(), redis.prefix()))
        .await
        .expect("the adapter connects to the test's Redis")
}

/// A plain connection, to look at (or damage) what the adapter stored.
async fn raw(url: &str) -> MultiplexedConnection {
    redis::Client::open(url)
        .expect("a valid url")
        .get_multiplexed_async_connection()
        .await
        .expect("the test connects")
}

async fn records(url: &str, list: &str) -> Vec<serde_json::Value> {
    let texts: Vec<String> = redis::cmd("LRANGE")
        .arg(list)
        .arg(0)
        .arg(-1)
        .query_async(&mut raw(url).await)
        .await
        .expect("LRANGE works");
    texts
        .iter()
        .map(|t| serde_json::from_str(t).expect("every record is JSON"))
        .collect()
}

/// The error's whole chain, as a log line would show it.
fn chain(error: &QueueError) -> String {
    std::iter::successors(Some(error as &dyn Error), |&e| e.source())
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(" <- ")
}

#[tokio::test]
async fn a_job_is_pushed_on_the_prefixed_list_as_a_json_record() {
    let redis = TestRedis::start("hexagonal_push");
    let queue = queue(&redis).await;
    assert!(
        queue.jobs_key().starts_with(redis.prefix())
            && queue.jobs_key().ends_with("jobs"),
        "the list key should be the prefix, then `jobs`, got {}",
        queue.jobs_key()
    );
    // A prefix without its ':' gets one: `billing` gives `billing:jobs`.
    let bare = redis.prefix().trim_end_matches(':');
    let colonless = RedisQueue::connect(&config(redis.url(), bare))
        .await
        .expect("connects");
    assert_eq!(
        (colonless.jobs_key(), colonless.dedupe_key("k")),
        (format!("{bare}:jobs").as_str(), format!("{bare}:dedupe:k")),
        "a ':' is added after a prefix that does not end with one"
    );
    let answer = queue.enqueue(&keyed(1, "order-1")).await;
    assert_eq!(
        answer.expect("Redis is up"),
        Enqueued::Accepted,
        "a new job"
    );
    let stored = records(redis.url(), queue.jobs_key()).await;
    assert_eq!(
        stored,
        [serde_json::json!({
            "id": "job-1",
            "kind": "email.send",
            "payload": "to ada",
            "idempotency_key": "order-1",
            "submitted_at_ms": START_MS + 1,
        })],
        "one record with the job's five fields"
    );
}

#[tokio::test]
async fn newer_jobs_are_pushed_at_the_head_of_the_list() {
    let redis = TestRedis::start("hexagonal_order");
    let queue = queue(&redis).await;
    for n in 1..=3 {
        queue.enqueue(&keyed(n, "")).await.expect("Redis is up");
    }
    let ids: Vec<_> = records(redis.url(), queue.jobs_key())
        .await
        .iter()
        .map(|r| r["id"].as_str().expect("an id").to_owned())
        .collect();
    assert_eq!(
        ids,
        ["job-3", "job-2", "job-1"],
        "LPUSH puts the newest first"
    );
}

#[tokio::test]
async fn a_repeated_key_returns_the_first_id_and_pushes_nothing() {
    let redis = TestRedis::start("hexagonal_dedupe");
    let queue = queue(&redis).await;
    queue.enqueue(&keyed(1, "order-1")).await.expect("first");
    let again = queue.enqueue(&keyed(2, "order-1")).await.expect("no error");
    assert_eq!(
        again,
        Enqueued::Duplicate(JobId::parse("job-1").expect("valid")),
        "the second job with the key gets the first job's id"
    );
    assert_eq!(
        records(redis.url(), queue.jobs_key()).await.len(),
        1,
        "the duplicate was not pushed"
    );
    let unkeyed = queue.enqueue(&keyed(3, "")).await.expect("no error");
    assert_eq!(
        unkeyed,
        Enqueued::Accepted,
        "a job without a key is always new"
    );
}

#[tokio::test]
async fn the_dedupe_key_expires_after_the_window() {
    let redis = TestRedis::start("hexagonal_window");
    let mut settings = config(redis.url(), redis.prefix());
    settings.dedupe_window = Duration::from_secs(60);
    let queue = RedisQueue::connect(&settings).await.expect("connects");
    queue.enqueue(&keyed(1, "order-1")).await.expect("first");
    let ttl_ms: i64 = redis::cmd("PTTL")
        .arg(queue.dedupe_key("order-1"))
        .query_async(&mut raw(redis.url()).await)
        .await
        .expect("PTTL works");
    // 50 s, not 59 s, as the floor: a loaded CI machine may pause between
    // the two commands, and what matters is the window, not the default
    // 24 h and not "no expiry" (-1).
    assert!(
        (50_000..=60_000).contains(&ttl_ms),
        "the dedupe key should expire after the 60 s window, its PTTL is {ttl_ms} ms"
    );
}

#[tokio::test]
async fn a_list_key_of_the_wrong_type_is_corrupt_not_unavailable() {
    let redis = TestRedis::start("hexagonal_wrongtype");
    let queue = queue(&redis).await;
    let _: () = redis::cmd("SET")
        .arg(queue.jobs_key())
        .arg("not a list")
        .query_async(&mut raw(redis.url()).await)
        .await
        .expect("SET works");
    let error = queue
        .enqueue(&keyed(1, "order-1"))
        .await
        .expect_err("LPUSH on a string fails");
    assert!(
        matches!(error, QueueError::Corrupt { .. }),
        "WRONGTYPE will fail the same way every time: Corrupt, got {}",
        chain(&error)
    );
    assert!(
        chain(&error).contains("WRONGTYPE"),
        "the Redis error is kept as the source, for the log: {}",
        chain(&error)
    );
    let dedupe: Option<String> = redis::cmd("GET")
        .arg(queue.dedupe_key("order-1"))
        .query_async(&mut raw(redis.url()).await)
        .await
        .expect("GET works");
    assert_eq!(
        dedupe, None,
        "a failed push must not leave a dedupe key behind (SET after LPUSH)"
    );
}

#[tokio::test]
async fn a_dedupe_entry_that_is_not_a_job_id_is_corrupt() {
    let redis = TestRedis::start("hexagonal_bad_id");
    let queue = queue(&redis).await;
    let _: () = redis::cmd("SET")
        .arg(queue.dedupe_key("order-1"))
        .arg("not an id!")
        .query_async(&mut raw(redis.url()).await)
        .await
        .expect("SET works");
    let error = queue
        .enqueue(&keyed(1, "order-1"))
        .await
        .expect_err("the stored id does not parse");
    assert!(
        matches!(error, QueueError::Corrupt { .. }),
        "an id this adapter did not write is corrupt data, got {}",
        chain(&error)
    );
}

#[tokio::test]
async fn a_killed_redis_makes_enqueue_unavailable() {
    let server = RedisServer::start().expect("a private redis-server starts");
    let queue = RedisQueue::connect(&config(&server.url(), "killed"))
        .await
        .expect("connects while Redis runs");
    queue
        .enqueue(&keyed(1, ""))
        .await
        .expect("works while Redis runs");
    drop(server); // SIGKILL
    let error = queue
        .enqueue(&keyed(2, ""))
        .await
        .expect_err("nothing answers any more");
    assert!(
        matches!(error, QueueError::Unavailable { .. }) && error.is_retryable(),
        "a dead server is the domain's Unavailable, not a Redis type: {}",
        chain(&error)
    );
}

#[tokio::test]
async fn a_redis_that_does_not_answer_in_time_is_unavailable() {
    let server = RedisServer::start().expect("a private redis-server starts");
    let mut settings = config(&server.url(), "paused");
    settings.timeout = Duration::from_millis(100);
    let queue = RedisQueue::connect(&settings).await.expect("connects");
    // The server stops answering every client for 2 s; the adapter's
    // 100 ms response timeout fires first.
    let _: () = redis::cmd("CLIENT")
        .arg("PAUSE")
        .arg(2000)
        .arg("ALL")
        .query_async(&mut raw(&server.url()).await)
        .await
        .expect("CLIENT PAUSE works");
    let error = queue
        .enqueue(&keyed(1, ""))
        .await
        .expect_err("the paused server does not answer in 100 ms");
    assert!(
        matches!(error, QueueError::Unavailable { .. }),
        "a timeout is worth retrying: Unavailable, got {}",
        chain(&error)
    );
}

#[tokio::test]
async fn connecting_where_no_redis_listens_is_unavailable() {
    let (_reserved, url) = refused_url();
    let error = RedisQueue::connect(&config(&url, "gone"))
        .await
        .expect_err("nothing listens on the port");
    assert!(
        matches!(error, QueueError::Unavailable { .. }),
        "a refused connection is Unavailable, got {}",
        chain(&error)
    );
}

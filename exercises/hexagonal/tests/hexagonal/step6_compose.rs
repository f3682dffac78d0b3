//! Step 6: the composition root: settings, and the whole service wired
//! end to end (gRPC in memory -> the core -> a real Redis).

use std::collections::HashMap;

use hexagonal::adapters::grpc::pb::SubmitRequest;
use hexagonal::adapters::memory::{ManualClock, SequentialIds};
use hexagonal::adapters::redis::RedisConfig;
use hexagonal::compose::{self, ComposeError, QueueSettings, Settings};
use hexagonal::domain::QueueError;
use hexagonal::in_memory;
use redis_harness::TestRedis;

use crate::{START_MS, refused_url};

fn vars(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
    let map: HashMap<String, String> = pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    move |name| map.get(name).cloned()
}

fn request(kind: &str, key: &str) -> SubmitRequest {
    SubmitRequest {
        kind: kind.to_owned(),
        payload: "to ada".to_owned(),
        idempotency_key: key.to_owned(),
    }
}

#[test]
fn settings_default_to_the_memory_queue() {
    let settings = Settings::from_vars(vars(&[])).expect("no variable is fine");
    assert_eq!(settings.queue, QueueSettings::Memory, "memory by default");
    let explicit = Settings::from_vars(vars(&[("JOBS_QUEUE", "memory")])).expect("valid");
    assert_eq!(explicit.queue, QueueSettings::Memory, "JOBS_QUEUE=memory");
}

#[test]
fn settings_for_redis_read_the_url_and_the_prefix() {
    let settings = Settings::from_vars(vars(&[
        ("JOBS_QUEUE", "redis"),
        ("REDIS_URL", "redis://10.0.0.7/"),
    ]))
    .expect("valid");
    assert_eq!(
        settings.queue,
        QueueSettings::Redis(RedisConfig::new("redis://10.0.0.7/", "jobs")),
        "the prefix defaults to `jobs`"
    );
    let prefixed = Settings::from_vars(vars(&[
        ("JOBS_QUEUE", "redis"),
        ("REDIS_URL", "redis://10.0.0.7/"),
        ("JOBS_PREFIX", "billing"),
    ]))
    .expect("valid");
    assert_eq!(
        prefixed.queue,
        QueueSettings::Redis(RedisConfig::new("redis://10.0.0.7/", "billing")),
        "JOBS_PREFIX sets the prefix"
    );
}

#[test]
fn bad_settings_are_refused_before_anything_starts() {
    let missing = Settings::from_vars(vars(&[("JOBS_QUEUE", "redis")]));
    assert!(
        matches!(missing, Err(ComposeError::MissingRedisUrl)),
        "redis without REDIS_URL should be MissingRedisUrl, got {missing:?}"
    );
    let unknown = Settings::from_vars(vars(&[("JOBS_QUEUE", "kafka")]));
    assert!(
        matches!(&unknown, Err(ComposeError::UnknownQueue(name)) if name == "kafka"),
        "an unknown queue should be UnknownQueue(\"kafka\"), got {unknown:?}"
    );
}

#[tokio::test]
async fn the_root_wires_the_memory_queue_behind_the_grpc_api() {
    let settings = Settings {
        queue: QueueSettings::Memory,
    };
    let server =
        compose::build_with(&settings, SequentialIds::new(), ManualClock::new(START_MS))
            .await
            .expect("the memory queue needs nothing to start");
    let mut client = in_memory::connect(server).await.expect("connects");
    let response = client
        .submit(request("email.send", ""))
        .await
        .expect("accepted")
        .into_inner();
    assert_eq!(
        response.job_id, "job-1",
        "the ids the root was given are used"
    );
}

#[tokio::test]
async fn a_job_submitted_over_grpc_lands_in_redis() {
    let redis = TestRedis::start("hexagonal_end_to_end");
    let settings = Settings {
        queue: QueueSettings::Redis(RedisConfig::new(redis.url(), redis.prefix())),
    };
    let server =
        compose::build_with(&settings, SequentialIds::new(), ManualClock::new(START_MS))
            .await
            .expect("the root connects to Redis");
    let mut client = in_memory::connect(server).await.expect("connects");

    let first = client
        .submit(request("email.send", "order-1"))
        .await
        .expect("accepted")
        .into_inner();
    let again = client
        .submit(request("email.send", "order-1"))
        .await
        .expect("a duplicate is not an error")
        .into_inner();
    assert_eq!(
        (first.job_id.as_str(), first.duplicate),
        ("job-1", false),
        "the first submit is queued as job-1"
    );
    assert_eq!(
        (again.job_id.as_str(), again.duplicate),
        ("job-1", true),
        "Redis recognises the repeated key"
    );

    let list = format!("{}jobs", redis.prefix());
    let stored: Vec<String> = redis::cmd("LRANGE")
        .arg(&list)
        .arg(0)
        .arg(-1)
        .query_async(
            &mut redis::Client::open(redis.url())
                .expect("a valid url")
                .get_multiplexed_async_connection()
                .await
                .expect("the test connects"),
        )
        .await
        .expect("LRANGE works");
    assert_eq!(
        stored.len(),
        1,
        "one job in {list}, the duplicate was not pushed"
    );
    let record: serde_json::Value = serde_json::from_str(&stored[0]).expect("JSON");
    assert_eq!(record["id"], "job-1", "the record is the job's");
    assert_eq!(
        record["submitted_at_ms"], START_MS,
        "stamped by the clock the root was given"
    );
}

#[tokio::test]
async fn the_root_refuses_to_start_when_redis_is_down() {
    let (_reserved, url) = refused_url();
    let settings = Settings {
        queue: QueueSettings::Redis(RedisConfig::new(url, "down")),
    };
    let result =
        compose::build_with(&settings, SequentialIds::new(), ManualClock::new(START_MS))
            .await;
    assert!(
        matches!(
            result,
            Err(ComposeError::Queue(QueueError::Unavailable { .. }))
        ),
        "no Redis at start should be ComposeError::Queue(Unavailable), got {:?}",
        result.err()
    );
}

#[tokio::test]
async fn the_production_root_uses_random_ids() {
    let settings = Settings {
        queue: QueueSettings::Memory,
    };
    let server = compose::build(&settings).await.expect("builds");
    let mut client = in_memory::connect(server).await.expect("connects");
    let id = client
        .submit(request("email.send", ""))
        .await
        .expect("accepted")
        .into_inner()
        .job_id;
    let hex = id.strip_prefix("job-").expect("ids start with job-");
    assert!(
        hex.len() == 16 && hex.chars().all(|c| c.is_ascii_hexdigit()),
        "a production id is job- and 16 hex digits, got {id}"
    );
}

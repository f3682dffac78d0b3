//! Step 1: `JobId`, `Queue::connect` and `Queue::enqueue` (src/enqueue.rs).

use std::time::Duration;

use job_queue::{
    ConfigError, ConnectError, Counts, EnqueueError, JobId, JobIdError, MAX_ID_LEN,
    Queue, QueueConfig,
};
use proptest::prelude::*;
use redis::AsyncCommands;

use crate::{Setup, id, list};

#[test]
fn ids_of_letters_digits_and_separators_parse() {
    for text in ["a", "job-1", "email_42", "v1.2", "tenant:7:job", "A9"] {
        let parsed = JobId::parse(text).expect("letters, digits, - _ . : are allowed");
        assert_eq!(parsed.as_str(), text, "an id keeps its text unchanged");
        assert_eq!(parsed.to_string(), text, "Display prints the id as given");
    }
}

#[test]
fn an_empty_id_is_refused() {
    assert_eq!(
        JobId::parse(""),
        Err(JobIdError::Empty),
        "an empty id should be JobIdError::Empty"
    );
}

#[test]
fn an_id_longer_than_the_limit_is_refused() {
    let longest = "x".repeat(MAX_ID_LEN);
    assert!(
        JobId::parse(&longest).is_ok(),
        "an id of exactly MAX_ID_LEN bytes is allowed"
    );
    let too_long = "x".repeat(MAX_ID_LEN + 1);
    assert_eq!(
        JobId::parse(&too_long),
        Err(JobIdError::TooLong {
            len: MAX_ID_LEN + 1,
            max: MAX_ID_LEN
        }),
        "one byte over the limit should be TooLong with both lengths"
    );
}

#[test]
fn an_id_with_a_space_or_a_non_ascii_letter_is_refused_at_that_character() {
    assert_eq!(
        JobId::parse("job 1"),
        Err(JobIdError::BadChar { ch: ' ', at: 3 }),
        "a space is refused, and the error says where"
    );
    assert_eq!(
        JobId::parse("café"),
        Err(JobIdError::BadChar { ch: 'é', at: 3 }),
        "a non-ASCII letter is reported as the character itself, at its byte offset"
    );
    assert!(
        "a\nb".parse::<JobId>().is_err(),
        "FromStr refuses what parse refuses (a newline here)"
    );
}

proptest! {
    #![proptest_config(crate::properties())]

    #[test]
    fn every_id_of_the_allowed_characters_parses_back_to_itself(
        text in "[A-Za-z0-9._:-]{1,128}"
    ) {
        let parsed = JobId::parse(&text);
        prop_assert_eq!(parsed.as_ref().map(JobId::as_str), Ok(text.as_str()));
    }

    #[test]
    fn any_other_character_is_refused(
        head in "[a-z]{0,8}",
        bad in "[^A-Za-z0-9._:-]",
        tail in "[a-z]{0,8}",
    ) {
        let text = format!("{head}{bad}{tail}");
        let ch = bad.chars().next().expect("one character");
        prop_assert_eq!(
            JobId::parse(&text),
            Err(JobIdError::BadChar { ch, at: head.len() })
        );
    }
}

/// Connecting to port 1 would fail, so these pass only if the
/// configuration is checked before any connection is attempted.
#[tokio::test]
async fn connect_checks_the_configuration_before_connecting() {
    let url = "redis://127.0.0.1:1/";
    let cases = [
        (QueueConfig::new(""), ConfigError::EmptyPrefix),
        (
            QueueConfig::new("q:").lease(Duration::ZERO),
            ConfigError::ZeroLease,
        ),
        (
            QueueConfig::new("q:").lease(Duration::from_micros(999)),
            ConfigError::ZeroLease,
        ),
        (
            QueueConfig::new("q:").block(Duration::ZERO),
            ConfigError::ZeroBlock,
        ),
        (
            QueueConfig::new("q:").reap_batch(0),
            ConfigError::ZeroReapBatch,
        ),
    ];
    for (config, expected) in cases {
        let error = Queue::connect(url, config)
            .await
            .expect_err("a bad config is refused");
        assert!(
            matches!(&error, ConnectError::Config(found) if *found == expected),
            "expected ConnectError::Config({expected:?}), got {error:?}"
        );
    }
}

#[tokio::test]
async fn an_enqueued_job_waits_in_pending_with_its_payload() {
    let setup = Setup::start("an_enqueued_job_waits_in_pending_with_its_payload");
    let (queue, keys, mut raw) = (setup.queue().await, setup.keys(), setup.raw().await);

    queue
        .enqueue(&id("email-1"), r#"{"to":"ada@example.com"}"#)
        .await
        .expect("a JSON payload is accepted");

    assert_eq!(
        list(&mut raw, keys.pending()).await,
        ["email-1"],
        "the id should be on the pending list"
    );
    let payload: Option<String> = raw.hget(keys.jobs(), "email-1").await.expect("HGET");
    assert_eq!(
        payload.as_deref(),
        Some(r#"{"to":"ada@example.com"}"#),
        "the payload should be stored, unchanged, in the jobs hash"
    );
    assert_eq!(
        queue.counts().await.expect("counts"),
        Counts {
            pending: 1,
            stored: 1,
            ..Counts::default()
        },
        "one job pending, nothing claimed yet"
    );
}

#[tokio::test]
async fn the_queue_uses_the_keys_under_its_prefix() {
    let setup = Setup::start("the_queue_uses_the_keys_under_its_prefix");
    let queue = setup.queue().await;
    queue.enqueue(&id("a"), "1").await.expect("enqueue");
    assert_eq!(
        queue.keys(),
        &setup.keys(),
        "Queue::keys is Keys::new(prefix)"
    );
    let mut raw = setup.raw().await;
    assert_eq!(
        list(&mut raw, setup.keys().pending()).await,
        ["a"],
        "the job is under the configured prefix"
    );
}

#[tokio::test]
async fn a_payload_that_is_not_json_is_refused_and_nothing_is_written() {
    let setup =
        Setup::start("a_payload_that_is_not_json_is_refused_and_nothing_is_written");
    let queue = setup.queue().await;

    let error = queue
        .enqueue(&id("bad"), "{not json")
        .await
        .expect_err("a payload that is not JSON should be refused");
    assert!(
        matches!(&error, EnqueueError::InvalidPayload { id, .. } if id.as_str() == "bad"),
        "expected EnqueueError::InvalidPayload for job bad, got {error:?}"
    );
    assert_eq!(
        queue.counts().await.expect("counts"),
        Counts::default(),
        "a refused job leaves nothing behind: no id, no payload"
    );
}

#[tokio::test]
async fn a_duplicate_id_is_refused_and_the_first_payload_is_kept() {
    let setup = Setup::start("a_duplicate_id_is_refused_and_the_first_payload_is_kept");
    let (queue, keys, mut raw) = (setup.queue().await, setup.keys(), setup.raw().await);

    queue
        .enqueue(&id("job"), r#""first""#)
        .await
        .expect("the first enqueue");
    let error = queue
        .enqueue(&id("job"), r#""second""#)
        .await
        .expect_err("the same id twice should be refused");
    assert!(
        matches!(&error, EnqueueError::Duplicate(dup) if dup.as_str() == "job"),
        "expected EnqueueError::Duplicate(job), got {error:?}"
    );
    assert_eq!(
        list(&mut raw, keys.pending()).await,
        ["job"],
        "the id is pending once, not twice"
    );
    let payload: String = raw.hget(keys.jobs(), "job").await.expect("HGET");
    assert_eq!(
        payload, r#""first""#,
        "the first payload is not overwritten"
    );
}

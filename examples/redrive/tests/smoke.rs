//! Runs the example and checks what it prints: the example is documentation,
//! and documentation that drifts from the code is worse than none. Then runs
//! its `list` and `redrive` commands against a queue seeded here.

use std::num::NonZeroU32;
use std::process::Command;
use std::time::Duration;

use backoff::{Backoff, RetryPolicy};
use dead_letter::DeadLetterQueue;
use job_queue::{JobId, Queue, QueueConfig};
use redis_harness::TestRedis;

fn run(args: &[&str]) -> String {
    example_smoke::stdout(Command::new(env!("CARGO_BIN_EXE_redrive")).args(args))
}

#[test]
fn the_demo_dead_letters_redrives_and_absorbs_a_duplicate() {
    let out = run(&[]);
    for expected in [
        "enqueue pay-6 refused: the payload of job pay-6 is not valid JSON",
        "t=+0s  pay-2 attempt 1: failed (account acct-closed is closed), dead-lettered (permanent)",
        "t=+1s  pay-3 attempt 2: failed (fraud check: no reply in 2s), retry at t=+3s",
        "t=+0s  pay-4 attempt 1: malformed, dead-lettered",
        "job pay-3: exhausted after 3 attempts",
        "  caused by: fraud check: no reply in 2s",
        "  caused by: EOF while parsing a value at line 1 column 11",
        "would move 1 job(s): pay-3",
        "again: moved no job",
        "still dead: pay-2, pay-4, pay-5",
        "worker B, attempt 2: already credited, nothing changed, acked",
        "acct-7 balance: 250 cents (credited once)",
    ] {
        assert!(
            out.contains(expected),
            "expected the example to print {expected:?}, got:\n{out}"
        );
    }
}

#[test]
fn the_demo_prints_the_same_thing_every_time() {
    assert_eq!(
        run(&[]),
        run(&[]),
        "a manual clock, no jitter and one worker make runs identical"
    );
}

#[test]
fn the_redrive_command_lists_and_moves_dead_jobs_by_kind() {
    let redis = TestRedis::start("redrive_command");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let config = QueueConfig::new(redis.prefix()).block(Duration::from_millis(100));
        let backoff = Backoff::new(Duration::from_secs(1), Duration::from_secs(1))
            .expect("a valid curve");
        let policy = RetryPolicy::new(backoff)
            .with_max_attempts(NonZeroU32::new(1).expect("not zero"));
        let mut worker = Queue::connect(redis.url(), config.clone())
            .await
            .expect("connect");
        let dlq = DeadLetterQueue::connect(redis.url(), config, policy)
            .await
            .expect("connect");
        let id = JobId::parse("job-1").expect("valid id");
        worker.enqueue(&id, "{}").await.expect("enqueue");
        let claim = worker.dequeue().await.expect("dequeue").expect("job-1");
        let error = std::io::Error::other("bad input");
        dlq.settle(&claim, &error).await.expect("settle");
    });
    let target = ["--url", redis.url(), "--prefix", redis.prefix()];

    let listed = run(&[&["list"], &target[..]].concat());
    assert!(
        listed.contains("job job-1: permanent after 1 attempt\n  error: bad input"),
        "list prints the record, got:\n{listed}"
    );
    let dry = run(&[
        &["redrive", "--kind", "permanent", "--dry-run"],
        &target[..],
    ]
    .concat());
    assert_eq!(dry, "would move 1 job(s): job-1\n", "the dry run");
    let wrong_kind = run(&[&["redrive", "--kind", "malformed"], &target[..]].concat());
    assert_eq!(wrong_kind, "moved no job\n", "no malformed job to move");
    let moved = run(&[&["redrive", "--id", "job-1"], &target[..]].concat());
    assert_eq!(moved, "moved 1 job(s): job-1\n", "the re-drive by id");
    let again = run(&[&["redrive", "--all"], &target[..]].concat());
    assert_eq!(again, "moved no job\n", "nothing is left to move");
}

//! Step 3: re-drive moves dead jobs back, by filter, with a dry run.

use dead_letter::{DeadKind, DeadLetterQueue, Filter, Mode, Skipped};
use job_queue::{DequeueError, JobId};

use crate::{Harness, harness, policy, refused_chain, timed_out_send};

/// A harness with three dead jobs, one of each kind: `job-p` (permanent),
/// `job-e` (exhausted: one attempt allowed) and `job-m` (malformed).
async fn three_dead(test: &str) -> Harness {
    let mut h = harness(test, 1).await;
    h.enqueue("job-p").await;
    let claim = h.claim().await;
    h.dlq
        .settle(&claim, &refused_chain())
        .await
        .expect("settle job-p");
    h.enqueue("job-e").await;
    let claim = h.claim().await;
    h.dlq
        .settle(&claim, &timed_out_send())
        .await
        .expect("settle job-e");
    h.enqueue("job-m").await;
    let _: () = redis::cmd("HSET")
        .arg(h.worker.keys().jobs())
        .arg("job-m")
        .arg("not json")
        .query_async(&mut h.worker.connection())
        .await
        .expect("corrupt job-m's payload");
    let Err(DequeueError::Malformed(job)) = h.worker.dequeue().await else {
        panic!("job-m should be malformed");
    };
    h.dlq.bury_malformed(&job).await.expect("bury job-m");
    assert_eq!(
        h.census().await.dead,
        ["job-p", "job-e", "job-m"],
        "setup: three dead jobs, oldest first"
    );
    h
}

#[tokio::test]
async fn a_dry_run_reports_what_would_move_and_moves_nothing() {
    let h = three_dead("dry_run").await;

    let report = h
        .dlq
        .redrive(&Filter::All, Mode::DryRun)
        .await
        .expect("dry run");

    assert_eq!(
        report.mode,
        Mode::DryRun,
        "the report says it was a dry run"
    );
    assert_eq!(
        report.moved,
        ["job-p", "job-e", "job-m"],
        "a dry run lists every job that would move"
    );
    let census = h.census().await;
    assert_eq!(census.dead.len(), 3, "but every job is still dead");
    assert!(census.pending.is_empty(), "and nothing is pending");
}

#[tokio::test]
async fn redriving_by_kind_moves_only_that_kind_with_its_attempts_reset() {
    let mut h = three_dead("by_kind").await;

    let report = h
        .dlq
        .redrive(&Filter::Kind(DeadKind::Exhausted), Mode::Apply)
        .await
        .expect("re-drive");

    assert_eq!(report.moved, ["job-e"], "only the exhausted job moves");
    assert!(report.skipped.is_empty(), "nothing was skipped");
    let census = h.census().await;
    assert_eq!(census.pending, ["job-e"], "it is pending again");
    assert_eq!(census.dead, ["job-p", "job-m"], "the others stay dead");
    assert_eq!(
        h.claim().await.attempt(),
        1,
        "a re-driven job starts again at attempt 1"
    );
}

#[tokio::test]
async fn redriving_by_id_moves_those_ids_and_reports_the_ones_not_dead() {
    let h = three_dead("by_id").await;
    let ids = ["job-m", "job-zz"].map(|id| JobId::parse(id).expect("valid id"));

    let report = h
        .dlq
        .redrive(&Filter::Ids(ids.to_vec()), Mode::Apply)
        .await
        .expect("re-drive");

    assert_eq!(report.moved, ["job-m"], "job-m moves");
    assert_eq!(
        report.skipped,
        [Skipped::NotDead("job-zz".to_owned())],
        "an id with no record is reported, not ignored"
    );
    assert_eq!(h.census().await.pending, ["job-m"], "job-m is pending");
}

#[tokio::test]
async fn redriving_twice_moves_nothing_the_second_time() {
    let h = three_dead("twice").await;
    let first = h
        .dlq
        .redrive(&Filter::All, Mode::Apply)
        .await
        .expect("first");
    assert_eq!(first.moved.len(), 3, "the first re-drive moves all three");

    let second = h
        .dlq
        .redrive(&Filter::All, Mode::Apply)
        .await
        .expect("second");

    assert!(
        second.moved.is_empty() && second.skipped.is_empty(),
        "the second re-drive finds nothing to move, got {second:?}"
    );
    let census = h.census().await;
    assert_eq!(census.pending.len(), 3, "each job is pending once");
    assert!(census.dead.is_empty(), "and none is dead");
}

#[tokio::test]
async fn an_unreadable_entry_is_reported_and_left_in_place() {
    let h = three_dead("unreadable").await;
    let _: () = redis::cmd("RPUSH")
        .arg(h.dlq.keys().dead())
        .arg("junk")
        .query_async(&mut h.worker.connection())
        .await
        .expect("push junk onto the dead list");

    let report = h
        .dlq
        .redrive(&Filter::All, Mode::Apply)
        .await
        .expect("re-drive");

    assert_eq!(report.moved.len(), 3, "the three records move");
    assert_eq!(
        report.skipped,
        [Skipped::Unreadable("junk".to_owned())],
        "the junk entry is reported"
    );
    let census = h.census().await;
    assert_eq!(census.unreadable, 1, "and left for a person to look at");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_redrives_at_once_move_each_job_once() {
    let h = three_dead("racing_redrives").await;
    let mut tasks = Vec::new();
    for _ in 0..2 {
        let dlq = DeadLetterQueue::connect(h.redis.url(), h.config.clone(), policy(1))
            .await
            .expect("connect");
        tasks.push(tokio::spawn(async move {
            dlq.redrive(&Filter::All, Mode::Apply)
                .await
                .expect("re-drive")
        }));
    }
    let mut moved = Vec::new();
    for task in tasks {
        let report = task.await.expect("the task finishes");
        for skipped in &report.skipped {
            assert!(
                matches!(skipped, Skipped::Gone(_)),
                "a job the other re-drive took is reported gone, got {skipped:?}"
            );
        }
        moved.extend(report.moved);
    }

    moved.sort();
    assert_eq!(
        moved,
        ["job-e", "job-m", "job-p"],
        "between them, the two re-drives move each job exactly once"
    );
    let mut pending = h.census().await.pending;
    pending.sort();
    assert_eq!(pending, ["job-e", "job-m", "job-p"], "each is pending once");
}

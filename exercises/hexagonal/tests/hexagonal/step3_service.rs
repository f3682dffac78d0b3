//! Step 3: the use case, tested only through the fakes: no Redis, no
//! network, and every id and timestamp exact.

use std::error::Error;
use std::path::Path;
use std::time::Duration;

use hexagonal::adapters::memory::{Failure, Injected};
use hexagonal::domain::{JobId, QueueError, SubmitError, Submitted};

use crate::{START_MS, fake_service, job};

fn submitted(id: &str, duplicate: bool) -> Submitted {
    Submitted {
        id: JobId::parse(id).expect("a valid id"),
        duplicate,
    }
}

#[tokio::test]
async fn a_submitted_job_gets_the_next_id_and_the_clock_time() {
    let (service, queue, clock) = fake_service();
    let first = service.submit(job("email.send", "to ada", "")).await;
    assert_eq!(
        first.expect("the fake queue works"),
        submitted("job-1", false),
        "the first job gets the generator's first id"
    );
    clock.advance(Duration::from_secs(2));
    let second = service.submit(job("report.build", "q3", "")).await;
    assert_eq!(
        second.expect("works"),
        submitted("job-2", false),
        "the next job gets the next id"
    );
    let jobs = queue.jobs();
    assert_eq!(jobs.len(), 2, "both jobs were queued");
    assert_eq!(
        jobs[0].submitted_at_ms(),
        START_MS,
        "stamped with the clock"
    );
    assert_eq!(
        jobs[1].submitted_at_ms(),
        START_MS + 2000,
        "the second is stamped 2 s later, as the clock says"
    );
    assert_eq!(
        jobs[1].kind().as_str(),
        "report.build",
        "the job is queued as parsed"
    );
}

#[tokio::test]
async fn a_repeated_key_is_answered_with_the_first_id_and_queues_nothing() {
    let (service, queue, _) = fake_service();
    service
        .submit(job("email.send", "to ada", "order-1"))
        .await
        .expect("the first submit works");
    let again = service.submit(job("email.send", "to ada", "order-1")).await;
    assert_eq!(
        again.expect("a duplicate is not an error"),
        submitted("job-1", true),
        "the same key answers with the first job's id, marked duplicate"
    );
    assert_eq!(queue.jobs().len(), 1, "the duplicate queued nothing");
}

#[tokio::test]
async fn an_unavailable_queue_is_a_retryable_submit_error_with_its_cause() {
    let (service, queue, _) = fake_service();
    queue.fail_next(Failure::Unavailable);
    let error = service
        .submit(job("email.send", "to ada", "order-1"))
        .await
        .expect_err("the injected failure reaches the caller");
    assert!(
        matches!(
            error,
            SubmitError::Unavailable(QueueError::Unavailable { .. })
        ),
        "an unavailable queue should be SubmitError::Unavailable, got {error:?}"
    );
    assert!(
        error.is_retryable(),
        "the client may retry an unavailable queue"
    );
    let chain: Vec<String> =
        std::iter::successors(Some(&error as &dyn Error), |&e| e.source())
            .map(ToString::to_string)
            .collect();
    assert_eq!(
        chain.len(),
        3,
        "the chain should be submit error <- queue error <- injected cause, got {chain:?}"
    );
    let root = std::iter::successors(Some(&error as &dyn Error), |&e| e.source())
        .last()
        .expect("a chain has a last element");
    assert!(
        root.is::<Injected>(),
        "the adapter's cause is kept for the log"
    );
}

#[tokio::test]
async fn a_corrupt_queue_is_an_internal_error_that_is_not_retryable() {
    let (service, queue, _) = fake_service();
    queue.fail_next(Failure::Corrupt);
    let error = service
        .submit(job("email.send", "to ada", ""))
        .await
        .expect_err("the injected failure reaches the caller");
    assert!(
        matches!(error, SubmitError::Internal(QueueError::Corrupt { .. })),
        "a corrupt queue should be SubmitError::Internal, got {error:?}"
    );
    assert!(
        !error.is_retryable(),
        "retrying a corrupt queue cannot help"
    );
}

#[tokio::test]
async fn a_retry_with_the_same_key_after_an_outage_queues_the_job_once() {
    let (service, queue, _) = fake_service();
    queue.fail_next(Failure::Unavailable);
    let keyed = || job("email.send", "to ada", "order-9");
    assert!(
        service.submit(keyed()).await.is_err(),
        "the outage fails it"
    );
    let retried = service.submit(keyed()).await.expect("the queue is back");
    assert_eq!(
        retried,
        submitted("job-2", false),
        "the retry is queued, under the id generated for it"
    );
    let once_more = service.submit(keyed()).await.expect("works");
    assert_eq!(
        once_more,
        submitted("job-2", true),
        "a third send finds the retry's job"
    );
    assert_eq!(queue.jobs().len(), 1, "one job in the end");
}

/// The dependency rule, checked twice. First by running the core with
/// nothing but the fakes plugged in: a submit and a duplicate, end to end,
/// with no Redis, no tonic and no network, which only works if the core
/// needs nothing but its ports. Then by reading the sources, as ArchUnit
/// does for Java or `go list -deps` for Go: cheap, and it fails the day
/// someone writes `redis::RedisError` into a domain error because it was
/// quicker. Comment lines are skipped (the docs may talk about Redis).
#[tokio::test]
async fn the_core_runs_on_fakes_alone_and_its_source_names_no_infrastructure() {
    let (service, queue, _) = fake_service();
    let first = service.submit(job("email.send", "to ada", "order-1")).await;
    let again = service.submit(job("email.send", "to ada", "order-1")).await;
    assert_eq!(
        first.expect("the core runs on the fakes alone"),
        submitted("job-1", false),
        "the first submit is queued as job-1"
    );
    assert_eq!(
        again.expect("a duplicate is not an error"),
        submitted("job-1", true),
        "the repeated key is answered with job-1"
    );
    assert_eq!(queue.jobs().len(), 1, "one job in the fake queue");

    let domain = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/domain");
    let files = std::fs::read_dir(&domain).expect("src/domain/ is a folder");
    let forbidden = [
        "tonic",
        "redis",
        "prost",
        "crate::adapters",
        "crate::compose",
    ];
    let mut checked = 0;
    for entry in files {
        let path = entry.expect("a readable entry").path();
        let text = std::fs::read_to_string(&path).expect("a readable source file");
        checked += 1;
        for (n, line) in text.lines().enumerate() {
            if line.trim_start().starts_with("//") {
                continue;
            }
            for name in forbidden {
                assert!(
                    !line.contains(name),
                    "{}:{}: the domain must not name `{name}` (dependencies point \
                     inward: define a port in the domain, implement it in an adapter): {line}",
                    path.display(),
                    n + 1
                );
            }
        }
    }
    assert!(
        checked >= 3,
        "model.rs, ports.rs and service.rs were all read"
    );
}

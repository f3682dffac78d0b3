//! Runs the example and checks what it prints: the example is documentation,
//! and documentation that drifts from the code is worse than none.

fn run_example() -> String {
    example_smoke::run(env!("CARGO_BIN_EXE_consume"))
}

#[test]
fn the_example_runs_the_batch_to_the_end_then_drains_it_midway() {
    let out = run_example();
    for expected in [
        // Scenario 1: every outcome, settled with the queue.
        "t= 500ms  job-03  charge-card   nacked: handler failed: card declined",
        "t= 900ms  job-07  sync-crm      nacked: handler panicked: \
         crm record has no `email` field",
        "t=2600ms  job-05  render-pdf    nacked: timed out after 2s",
        "report: fetched 12; 9 succeeded, 1 failed, 1 timed out, 1 panicked; \
         abandoned []; released []",
        "run returned at t=3300ms",
        "leases held at most: 5 (capacity 3 + 2 workers)",
        // Scenario 2: the drain.
        "t=1500ms  job-09  send-email    released: never started",
        "t=1600ms  job-08  resize-image  acked",
        "t=2500ms  job-05  render-pdf    abandoned: its lease is left to expire",
        "report: fetched 11; 5 succeeded, 1 failed, 0 timed out, 1 panicked; \
         abandoned [job-05]; released [job-09, job-10, job-11]",
        "run returned at t=2500ms: the shutdown at 1500ms plus the 1000ms deadline",
        "never fetched, still queued: [job-12]",
    ] {
        assert!(
            out.contains(expected),
            "expected the example to print {expected:?}, got:\n{out}"
        );
    }
}

#[test]
fn the_example_prints_the_same_thing_every_time() {
    assert_eq!(
        run_example(),
        run_example(),
        "a paused clock and sorted output make runs identical"
    );
}

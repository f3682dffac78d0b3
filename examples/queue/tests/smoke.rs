//! Runs the example and checks what it prints: the example is documentation,
//! and documentation that drifts from the code is worse than none.

fn run_example() -> String {
    example_smoke::run(env!("CARGO_BIN_EXE_queue"))
}

#[test]
fn the_example_loses_no_job_and_completes_each_once() {
    let out = run_example();
    for expected in [
        "refused: job email-3 is already in the queue",
        "refused: the payload of job email-7 is not valid JSON: key must be a string",
        "crasher claimed email-1",
        "the two other workers completed 5: email-2 email-3 email-4 email-5 email-6",
        "t=+29.999s reap: requeued [], stamped []",
        "t=+30.000s reap: requeued [\"email-1\"], stamped []",
        "rescuer completed email-1 (attempt 2, payload {\"to\":\"user1@example.com\"})",
        "server moved report-1 anyway: pending 0, processing 1, leased 0, stored 1",
        "reap: requeued [], stamped [\"report-1\"]",
        "reap +30s: requeued [\"report-1\"], stamped []",
        "worker completed report-1 (attempt 1)",
        "slow's ack refused: lease on resize-9 lost",
    ] {
        assert!(
            out.contains(expected),
            "expected the example to print {expected:?}, got:\n{out}"
        );
    }
    assert!(
        out.trim_end()
            .ends_with("pending 0, processing 0, leased 0, stored 0"),
        "the queue should end empty, got:\n{out}"
    );
}

#[test]
fn the_example_prints_the_same_thing_every_time() {
    assert_eq!(
        run_example(),
        run_example(),
        "a manual clock and sorted results make runs identical"
    );
}

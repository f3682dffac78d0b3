//! Runs the example and checks what it prints: the example is
//! documentation, and documentation that drifts from the code is worse
//! than none.

fn run() -> String {
    example_smoke::run(env!("CARGO_BIN_EXE_ports"))
}

#[test]
fn both_queues_answer_alike_and_an_outage_is_unavailable() {
    let out = run();
    for expected in [
        "submit kind=email.send   key=order-1  -> job-1 queued",
        "submit kind=email.send   key=order-1  -> job-1 duplicate of an earlier submit",
        "submit kind=report.build key=-        -> job-3 queued",
        "submit kind=Email        key=-        -> InvalidArgument: kind: a lowercase letter",
        "submit kind=email.send   key=order-2  -> InvalidArgument: payload: must not be empty",
        r#"{"id":"job-1","idempotency_key":"order-1","kind":"email.send","payload":"to ada","submitted_at_ms":1700000000000}"#,
        "same answers from both queues: yes",
        "(redis-server killed)",
        "-> Unavailable: the job could not be queued now; retry later: resend with the same idempotency key",
        "build refused: could not connect the job queue: the job queue is unavailable",
    ] {
        assert!(
            out.contains(expected),
            "expected the example to print {expected:?}, got:\n{out}"
        );
    }
    assert!(
        !out.contains("Connection refused") && !out.contains("broken pipe"),
        "no Redis error text reaches the client:\n{out}"
    );
}

#[test]
fn the_example_prints_the_same_thing_every_time() {
    assert_eq!(
        run(),
        run(),
        "sequential ids, a manual clock and no concurrency make runs identical"
    );
}

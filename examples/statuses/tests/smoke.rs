//! Runs the example and checks what it prints: the example is documentation,
//! and documentation that drifts from the code is worse than none.

fn run_example() -> String {
    example_smoke::run(env!("CARGO_BIN_EXE_statuses"))
}

#[test]
fn the_example_prints_the_tables_and_the_refusals() {
    let out = run_example();
    for expected in [
        " 1  Cancelled            499  Unknown           Never",
        " 5  NotFound             404  Unimplemented     Never",
        " 9  FailedPrecondition   400  Internal          Never",
        "14  Unavailable          503  Unavailable       Backoff",
        "HTTP 200 -> Unknown",
        "HTTP 429 -> Unavailable",
        "submit job-1 to emails: accepted as job-1",
        "  BadRequest          payload: must not be empty",
        "  code     FailedPrecondition (9), retry: Never",
        "  RetryInfo           retry after Some(30s)",
        "  ErrorInfo           QUOTA_EXCEEDED in jobs.workbook.example \
         {\"limit\": \"1\", \"tenant\": \"acme\"}",
        "  message  internal error",
    ] {
        assert!(
            out.contains(expected),
            "expected the example to print {expected:?}, got:\n{out}"
        );
    }
    assert!(
        !out.contains("board.rs"),
        "the bug's cause must stay on the server, got:\n{out}"
    );
}

#[test]
fn the_example_prints_the_same_thing_every_time() {
    assert_eq!(
        run_example(),
        run_example(),
        "sorted metadata and no clock make runs identical"
    );
}

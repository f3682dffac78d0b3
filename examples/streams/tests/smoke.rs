//! Runs the example and checks what it prints: the example is documentation,
//! and documentation that drifts from the code is worse than none.

fn run_example() -> String {
    example_smoke::run(env!("CARGO_BIN_EXE_streams"))
}

#[test]
fn the_example_prints_every_scenario_in_paused_time() {
    let out = run_example();
    for expected in [
        "  tick 4 ACME 10004\n  end of stream (OK trailers)",
        "waits in send()",
        "t=2000ms  tick 2 10002",
        "t=2000ms  client dropped its stream; live producers: 0",
        "t= 200ms  tick 2 502\n  t= 300ms  error in the trailers: Unavailable: trading in HALT",
        "summary trades=3 quantity=135 symbols=2",
        "refused: InvalidArgument: trade 1: quantity must be positive",
        "  sent     GLOBEX x7\n  received GLOBEX trades=1 quantity=7\n  sent     ACME x5",
        "half-closed; the answers end: None",
        "t= 250ms  DeadlineExceeded",
        "t= 250ms  live producers: 0",
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
        "a paused clock and one thread make runs identical"
    );
}

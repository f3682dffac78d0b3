//! Runs the example and checks what it prints: the example is documentation,
//! and documentation that drifts from the code is worse than none.

fn run_example() -> String {
    example_smoke::run(env!("CARGO_BIN_EXE_retry"))
}

#[test]
fn the_example_prints_every_scenario_in_paused_time() {
    let out = run_example();
    for expected in [
        "      0      100ms",
        "      6     5000ms",
        "t= 100ms  attempt 2: timed out",
        "t= 300ms  attempt 3: 42 in stock",
        "error: permanent error on attempt 1",
        "  caused by: entity not found",
        "without a budget: the server received 100 attempts",
        "with a 10-token budget: the server received  24 attempts",
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
        "seeded randomness and paused time make runs identical"
    );
}

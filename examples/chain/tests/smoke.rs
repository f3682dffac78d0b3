//! Runs the example and checks what it prints: the example is documentation,
//! and documentation that drifts from the code is worse than none.

fn run_example() -> String {
    example_smoke::run(env!("CARGO_BIN_EXE_chain"))
}

#[test]
fn the_example_prints_every_scenario() {
    let out = run_example();
    for expected in [
        "Get bolt as alice: bolt x40 for alice (req-1)",
        "Get bolt with no token: Unauthenticated \"missing credentials\" (req-2)",
        "Get bolt with a wrong token: Unauthenticated \"invalid credentials\" (req-3)",
        "/workbook.interceptors.v1.Stock/Get Ok 20ms id=req-1",
        "/workbook.interceptors.v1.Stock/Get Unauthenticated 0ns id=req-2",
        "/workbook.interceptors.v1.Stock/List Unavailable 200ms id=req-4",
        "/workbook.interceptors.v1.Stock/List Cancelled 100ms id=req-5",
        "/workbook.interceptors.v1.Stock/List Ok 0ns id=-",
        "/workbook.interceptors.v1.Stock/List Unavailable 300ms id=-",
        "1. A: request",
        "3. interceptor",
        "4. handler: Get",
        "6. A: response",
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
        "a paused clock and sequential ids make runs identical"
    );
}

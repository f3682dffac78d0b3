//! Runs the example twice: it must print the lines that hold on every run,
//! and the same output both times (thread timing must not leak into it).

fn run() -> String {
    example_smoke::run(env!("CARGO_BIN_EXE_toolbox"))
}

#[test]
fn the_example_shows_each_tool_doing_its_job() {
    let out = run();
    for expected in [
        "wait returned; pending now 0",
        "finished: [(1, 1), (2, 4), (4, 16)]",
        "panicked: 1 (its guard still counted it out)",
        "queries served: 300 of 300",
        "connections opened at most 2: true",
        "never more than 2 checked out at once: true",
        "try_get: pool exhausted: all 2 items are checked out",
        "get_timeout: no item came back within 20ms",
        "created: 2, after a discard 1, after the next try_get 2",
        "the replacement is connection 3, served 0",
        "init ran 1 time(s)",
        "the update panicked: true",
        "acme after recovery: Limits { soft: 10, hard: 20 }, soft <= hard: true",
        "std Mutex, no await while held: hits [(\"/a\", 3), (\"/b\", 1), (\"/c\", 1)]",
        "tokio Mutex across an await: 1 refresh, 3 tasks got Some(\"token-1\") at t=100 ms",
    ] {
        assert!(out.contains(expected), "expected {expected:?} in:\n{out}");
    }
}

#[test]
fn two_runs_print_the_same() {
    assert_eq!(run(), run(), "the output must not depend on thread timing");
}

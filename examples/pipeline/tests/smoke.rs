//! Runs the example and checks its key lines, and that two runs print the
//! same thing (the clock is paused, so every figure is exact).

fn run() -> String {
    example_smoke::run(env!("CARGO_BIN_EXE_pipeline"))
}

#[test]
fn more_workers_than_the_bottleneck_do_not_help() {
    let out = run();
    for expected in [
        "      1   10000 ms      20.0/s       50.0 ms        1.0",
        "      4    2500 ms      80.0/s       50.0 ms        4.0",
        "      8    2500 ms      80.0/s       99.0 ms        7.9",
        "     16    2500 ms      80.0/s      194.0 ms       15.5",
        "wrote 12 records worth 1000 cents in 310 ms (one after another: 420 ms)",
        "stopped: line 6: bad quantity \"two\"; 5 records written before it",
        "200 calls in 2500 ms, at most 4 in flight, mean latency 50.0 ms",
    ] {
        assert!(out.contains(expected), "expected {expected:?} in:\n{out}");
    }
    assert_eq!(out, run(), "two runs should print the same thing");
}

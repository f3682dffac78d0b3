//! Runs the example and checks what it prints: the example is documentation,
//! and documentation that drifts from the code is worse than none.

fn run_example() -> String {
    example_smoke::run(env!("CARGO_BIN_EXE_red"))
}

#[test]
fn the_example_prints_every_scenario_and_the_exposition() {
    let out = run_example();
    for expected in [
        "bounds: 12.5ms 25ms 50ms 75ms 90ms 100ms 110ms 125ms 150ms 200ms 300ms (+Inf)",
        "metrics outside the timeout: caller gets Err(\"request timed out\"); \
         recorded {method=\"/jobs.Jobs/Submit\",code=\"error\"} 1",
        "timeout outside the metrics: caller gets Err(\"request timed out\"); \
         recorded {method=\"/jobs.Jobs/Submit\",code=\"cancelled\"} 1",
        "client 4: 51 ok,  8 failed or timed out, 1 hung up",
        "in flight: peak 4 (sampled every 10ms), now 0",
        "/jobs.Jobs/Submit   p50   41.7ms  p99  190.5ms",
        "# TYPE requests counter",
        "requests_total{method=\"/jobs.Jobs/Submit\",code=\"ok\"} 119",
        "requests_total{method=\"/jobs.Jobs/Submit\",code=\"cancelled\"} 1",
        "requests_total{method=\"other\",code=\"unimplemented\"} 26",
        "request_duration_seconds_sum{method=\"/jobs.Jobs/Submit\",code=\"cancelled\"} 0.12",
        "request_duration_seconds_bucket{le=\"0.3\",method=\"/jobs.Jobs/Submit\",code=\"error\"} 5",
        "requests_in_flight 0",
        "# EOF",
    ] {
        assert!(
            out.contains(expected),
            "expected the example to print {expected:?}, got:\n{out}"
        );
    }
    assert!(
        !out.contains("/probe/"),
        "the scanner's random paths must not become labels:\n{out}"
    );
}

#[test]
fn the_example_prints_the_same_thing_every_time() {
    assert_eq!(
        run_example(),
        run_example(),
        "seeded traffic, a paused clock and sorted series make runs identical"
    );
}

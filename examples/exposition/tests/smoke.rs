//! Runs the example and checks what it prints: the example is documentation,
//! and documentation that drifts from the code is worse than none.

fn run_example() -> String {
    example_smoke::run(env!("CARGO_BIN_EXE_exposition"))
}

#[test]
fn the_example_prints_every_scenario() {
    let out = run_example();
    for expected in [
        "   email      ok 22  retry  6  failed  2",
        "   in flight: 2",
        "   series before: 9 of 9 allowed",
        "   refused: family jobs_processed_total refused the new series \
         {queue=\"user-4711\",status=\"ok\"}: it already has 9 series, its limit",
        "   series after: 9",
        "== 3. the scrape (text/plain; version=0.0.4; charset=utf-8)",
        "# TYPE job_duration_seconds histogram\n",
        "job_duration_seconds_bucket{queue=\"report\",le=\"+Inf\"} 29\n\
         job_duration_seconds_sum{queue=\"report\"} 138.85299999999998\n\
         job_duration_seconds_count{queue=\"report\"} 29\n",
        "# HELP jobs_in_flight Jobs running now.\n# TYPE jobs_in_flight gauge\njobs_in_flight 2\n",
        "jobs_processed_total{queue=\"thumbnail\",status=\"failed\"} 0\n",
    ] {
        assert!(
            out.contains(expected),
            "expected the example to print {expected:?}, got:\n{out}"
        );
    }
    assert!(
        !out.contains("user-4711\",status=\"ok\"} "),
        "the refused series must not reach the scrape"
    );
}

#[test]
fn the_example_prints_the_same_thing_every_time() {
    assert_eq!(
        run_example(),
        run_example(),
        "a seeded generator instead of a clock makes runs identical"
    );
}

//! Runs the example and checks the lines that must hold on every run, and
//! that two runs print the same thing.

fn run() -> String {
    example_smoke::run(env!("CARGO_BIN_EXE_crawl"))
}

#[test]
fn the_example_crawls_a_real_site_and_a_generated_web() {
    let out = run();
    for expected in [
        "depth 0  /                        \"Home\", links: 4",
        "depth 2  /blog/2026/second.html   \"Second post\", links: 2",
        "depth 3  /missing.html            not found",
        "pages visited: 10",
        "outcome: Finished",
        "off-site links not followed: 2",
        "most requests the server saw for one page: 1",
        "requests for the page nothing links to: 0",
        "every reachable page exactly once: true",
        "unreachable pages fetched: 0",
        "most fetches in flight: 32",
        "h0.test: 100 fetches, closest two 10 ms apart",
        "stopped after 50 ms",
        "fetches aborted: 8",
        "fetches still running: 0",
    ] {
        assert!(out.contains(expected), "expected {expected:?} in:\n{out}");
    }
}

#[test]
fn two_runs_print_the_same() {
    assert_eq!(run(), run(), "the output must not depend on the run");
}

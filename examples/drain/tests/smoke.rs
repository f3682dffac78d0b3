//! Runs the example (the paused-clock demo, not the Ctrl-C mode) and checks
//! the lines that show each lesson, then that a second run prints the same.

fn run() -> String {
    example_smoke::run(env!("CARGO_BIN_EXE_drain"))
}

#[test]
fn the_example_cancels_a_worker_and_drains_a_server_deterministically() {
    let out = run();
    for expected in [
        // 1. the worker finishes job 3, and jobs 4 and 5 stay queued
        "t= 300 ms  the worker stopped (Cancelled): done [1, 2, 3]",
        "still queued, not lost: [4, 5]",
        // 2. the naive worker drops job 3
        "t= 250 ms  the naive worker stopped: done [1, 2]",
        "lost, neither done nor queued: [3]",
        // 3. the server drains
        "t= 200 ms  shutdown: stop accepting, cancel the handlers, drain",
        "t= 210 ms  request 3 (stream) closed after the cancel",
        "t= 225 ms  request 6 refused: the server is closed",
        "t= 445 ms  request 2 done",
        "t= 500 ms  request 4 dropped mid-flight (aborted)",
        "  finished: [1, 2, 3, 5]",
        "  aborted:  [4]",
        "  the drain took 300 ms",
        "t= 500 ms  the server is down",
    ] {
        assert!(out.contains(expected), "expected {expected:?} in:\n{out}");
    }
    assert_eq!(run(), out, "two runs must print exactly the same thing");
}

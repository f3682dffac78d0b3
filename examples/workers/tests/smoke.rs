//! Runs the example and checks the lines that hold on every machine.

#[test]
fn the_example_fans_out_over_threads_and_tasks() {
    let out = example_smoke::run(env!("CARGO_BIN_EXE_workers"));
    for expected in [
        "primes found: 17984",
        "same as one thread: true",
        "took 242 ms: the slowest call was 242 ms",
        "succeeded: 19 of 20",
        "failed: task 4 panicked: the call that took 198 ms came back corrupted",
    ] {
        assert!(out.contains(expected), "expected {expected:?} in:\n{out}");
    }
}

//! Runs the example and checks the lines that hold on every machine.

use std::process::Command;

#[test]
fn the_example_fans_out_over_threads_and_tasks() {
    let output = Command::new(env!("CARGO_BIN_EXE_workers"))
        .output()
        .expect("the example runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let out = String::from_utf8(output.stdout).expect("UTF-8");
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

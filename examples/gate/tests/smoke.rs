//! Runs the example and checks the lines that must hold on every run.

use std::process::Command;

#[test]
fn the_example_shows_the_limit_held_and_a_graceful_close() {
    let output = Command::new(env!("CARGO_BIN_EXE_gate"))
        .output()
        .expect("the example runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let out = String::from_utf8(output.stdout).expect("UTF-8");
    for expected in [
        "every try was answered: true",
        "most passes held at once was within the limit: true",
        "passes still out after the threads joined: 0",
        "a newcomer is refused: gate is closed",
        "in flight while the holder finishes: 1",
        "in flight after the holder leaves: 0",
    ] {
        assert!(out.contains(expected), "expected {expected:?} in:\n{out}");
    }
}

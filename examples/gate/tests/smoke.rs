//! Runs the example and checks the lines that must hold on every run.

#[test]
fn the_example_shows_the_limit_held_and_a_graceful_close() {
    let out = example_smoke::run(env!("CARGO_BIN_EXE_gate"));
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

//! Runs the example, checks the lines that must hold on every run, and
//! checks that two runs print exactly the same thing.

fn run() -> String {
    example_smoke::run(env!("CARGO_BIN_EXE_interleavings"))
}

#[test]
fn the_example_shows_schedules_a_queue_and_a_paused_clock() {
    let out = run();
    for expected in [
        "close with notify_one: 14 schedules, 2 leave a consumer asleep forever",
        "  4. closer calls notify_one, waking [0]",
        "close with notify_all: 16 schedules, 0 leave a consumer asleep forever",
        "pushed 3000, popped 3000",
        "popped exactly once each: true",
        "each producer's items in order at every consumer: true",
        "a push after close: queue is closed, item (9, 9) handed back",
        "t= 200 ms  worker: stuck on a lock",
        "t= 300 ms  watchdog: expired, silent for 100 ms since t=200 ms",
        "advance(99 ms):  99 ms after creation, expired: false",
        "advance( 1 ms): 100 ms after creation, expired: true",
        "400 ms on the paused clock, under 1 s of real time: true",
    ] {
        assert!(out.contains(expected), "expected {expected:?} in:\n{out}");
    }
}

#[test]
fn two_runs_print_the_same() {
    assert_eq!(
        run(),
        run(),
        "the example's output must not depend on the run"
    );
}

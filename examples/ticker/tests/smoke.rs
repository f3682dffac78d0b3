//! Runs the example twice: the key lines must be there, and the paused
//! clock must make both runs print the same thing.

fn run() -> String {
    example_smoke::run(env!("CARGO_BIN_EXE_ticker"))
}

#[test]
fn the_example_shows_the_bucket_the_missed_ticks_and_the_two_dials() {
    let out = run();
    for expected in [
        "t=    0ms  granted, 2 left",
        "t=  500ms  refused: rate limited: retry after 100ms",
        "granted at 0ms, 0ms, 0ms, 200ms, 400ms, 600ms",
        "Burst  ticks (scheduled@fired, ms): 100@350 200@350 300@350 400@400 500@500",
        "Delay  ticks (scheduled@fired, ms): 100@350 450@450 550@550 650@650 750@750",
        "Skip   ticks (scheduled@fired, ms): 100@350 400@400 500@500 600@600 700@700",
        "interval(100ms), Burst: 10 ticks at once",
        "bucket(100ms, burst 3): 3 tokens at once, of 20 asked for",
        "semaphore alone                      40                        4",
        "bucket alone                         10                       30",
        "both (Throttle)                      10                        4",
    ] {
        assert!(out.contains(expected), "expected {expected:?} in:\n{out}");
    }
    assert_eq!(out, run(), "two runs must print the same thing");
}

//! Runs the example twice, checks its key lines and that both runs print the
//! same: every timed scene runs on tokio's paused clock.

fn run() -> String {
    example_smoke::run(env!("CARGO_BIN_EXE_channels"))
}

#[test]
fn the_example_tours_fan_in_backpressure_and_batching() {
    let out = run();
    for expected in [
        "received 15 jobs, 5 from each producer, each in order: true",
        "recv after the last producer ended: Err(RecvError)",
        "orders placed: 9, cancelled: [4], both channels ended",
        "t=  0 ms  send(2) returned",
        "t=100 ms  send(3) returned",
        "t=300 ms  send(5) returned",
        "after close: send(6) is Err(\"channel closed\")",
        "after close: drained 5",
        "after close: recv is None",
        "t=  0 ms  batch [0, 1, 2, 3]",
        "t= 30 ms  batch [4, 5, 6, 7]",
        "t=140 ms  batch [8]",
        "t=230 ms  flush answered 2",
        "t=250 ms  batch [99]",
        "t=250 ms  output ended: the batcher is done",
        "send: the batcher has stopped; the item was not sent: got back \"late order\"",
        "flush: the batcher has stopped",
    ] {
        assert!(out.contains(expected), "expected {expected:?} in:\n{out}");
    }
    assert_eq!(out, run(), "two runs must print the same");
}

//! Step 2: the service, and a stream that ends itself when the server drains.

use std::time::Duration;

use service_skeleton::Beacon;
use service_skeleton::pb::beacon_client::BeaconClient;
use service_skeleton::pb::beacon_server::BeaconServer;
use service_skeleton::pb::{EchoRequest, TicksRequest};
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;
use tonic::transport::Channel;
use tonic::{Code, service::Routes};

/// A client of a `Beacon` served alone in memory, draining on `draining`.
async fn beacon(draining: &CancellationToken) -> BeaconClient<Channel> {
    let routes = Routes::new(BeaconServer::new(Beacon::new(draining.clone())));
    BeaconClient::new(crate::serve_routes(routes).await)
}

fn echo(message: &str, delay_ms: u32) -> EchoRequest {
    EchoRequest {
        message: message.to_owned(),
        delay_ms,
    }
}

#[tokio::test(start_paused = true)]
async fn echo_answers_with_the_message_after_its_delay() {
    let mut client = beacon(&CancellationToken::new()).await;
    let start = Instant::now();
    let reply = client
        .echo(echo("hello", 250))
        .await
        .expect("echo succeeds");
    assert_eq!(
        reply.into_inner().message,
        "hello",
        "echo sends the message back"
    );
    assert_eq!(
        start.elapsed(),
        Duration::from_millis(250),
        "echo waits delay_ms before answering (tokio::time::sleep)"
    );
}

#[tokio::test(start_paused = true)]
async fn an_empty_echo_is_an_invalid_argument() {
    let mut client = beacon(&CancellationToken::new()).await;
    let status = client
        .echo(echo("", 0))
        .await
        .expect_err("empty messages are refused");
    assert_eq!(
        status.code(),
        Code::InvalidArgument,
        "an empty message is INVALID_ARGUMENT"
    );
}

#[tokio::test(start_paused = true)]
async fn ticks_arrive_at_the_requested_interval() {
    let mut client = beacon(&CancellationToken::new()).await;
    let start = Instant::now();
    let mut ticks = client
        .ticks(TicksRequest { interval_ms: 100 })
        .await
        .expect("the stream opens")
        .into_inner();
    for (seq, at) in [(0, 0), (1, 100), (2, 200)] {
        let tick = ticks
            .message()
            .await
            .expect("a tick, not an error")
            .expect("a tick, not the end");
        assert_eq!(tick.seq, seq, "ticks are numbered 0, 1, 2, ...");
        assert_eq!(
            start.elapsed(),
            Duration::from_millis(at),
            "tick {seq} should arrive at {at} ms (the first one at once)"
        );
    }
}

/// The tasks alive on this test's runtime, once every one of them is idle:
/// a 1 ms sleep under the paused clock returns only when nothing else can
/// run, so a client's hang-up has reached the server by then.
async fn alive_tasks_when_idle() -> usize {
    tokio::time::sleep(Duration::from_millis(1)).await;
    tokio::runtime::Handle::current()
        .metrics()
        .num_alive_tasks()
}

#[tokio::test(start_paused = true)]
async fn a_client_that_hangs_up_stops_the_producer_task() {
    let mut client = beacon(&CancellationToken::new()).await;
    let before = alive_tasks_when_idle().await;
    let mut ticks = client
        .ticks(TicksRequest {
            interval_ms: 60_000,
        })
        .await
        .expect("the stream opens")
        .into_inner();
    ticks
        .message()
        .await
        .expect("first tick")
        .expect("the first tick comes at once");
    assert!(
        alive_tasks_when_idle().await > before,
        "an open stream has a producer task"
    );

    drop(ticks); // the client hangs up
    assert_eq!(
        alive_tasks_when_idle().await,
        before,
        "once the client hangs up, the producer ends at once (select on \
         `tx.closed()`), not at its next tick 60 s later: a task per abandoned \
         stream would leak"
    );
}

#[tokio::test(start_paused = true)]
async fn a_zero_interval_is_an_invalid_argument() {
    let mut client = beacon(&CancellationToken::new()).await;
    let status = client
        .ticks(TicksRequest { interval_ms: 0 })
        .await
        .expect_err("a zero interval is refused before the stream starts");
    assert_eq!(
        status.code(),
        Code::InvalidArgument,
        "interval_ms 0 is INVALID_ARGUMENT"
    );
}

#[tokio::test(start_paused = true)]
async fn draining_ends_an_open_stream_with_unavailable_at_once() {
    let draining = CancellationToken::new();
    let mut client = beacon(&draining).await;
    let mut ticks = client
        .ticks(TicksRequest {
            interval_ms: 60_000,
        })
        .await
        .expect("the stream opens")
        .into_inner();
    ticks
        .message()
        .await
        .expect("first tick")
        .expect("the first tick comes at once");

    let start = Instant::now();
    draining.cancel();
    let status =
        crate::within_an_hour(ticks.message(), "the stream to end after draining")
            .await
            .expect_err("a draining server ends the stream with a status");
    assert_eq!(
        status.code(),
        Code::Unavailable,
        "the final status is UNAVAILABLE, so the client reconnects elsewhere"
    );
    assert_eq!(
        start.elapsed(),
        Duration::ZERO,
        "the stream ends at once, not at its next tick (60 s away)"
    );
}

#[tokio::test(start_paused = true)]
async fn a_stream_asked_for_while_draining_is_refused() {
    let draining = CancellationToken::new();
    let mut client = beacon(&draining).await;
    draining.cancel();
    let status = client
        .ticks(TicksRequest { interval_ms: 100 })
        .await
        .expect_err("no new stream once the server drains");
    assert_eq!(
        status.code(),
        Code::Unavailable,
        "a draining server refuses with UNAVAILABLE"
    );
}

#[tokio::test(start_paused = true)]
async fn a_unary_call_is_not_cut_short_by_draining() {
    let draining = CancellationToken::new();
    let mut client = beacon(&draining).await;
    let call = tokio::spawn(async move { client.echo(echo("still here", 300)).await });
    tokio::time::sleep(Duration::from_millis(100)).await;
    draining.cancel();
    let reply = call
        .await
        .expect("the call task")
        .expect("a unary call in flight completes");
    assert_eq!(
        reply.into_inner().message,
        "still here",
        "the reply is the full answer"
    );
}

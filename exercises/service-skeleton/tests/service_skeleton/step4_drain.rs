//! Step 4: `run`, health, reflection, and the drain with its deadline.

use std::time::Duration;

use service_skeleton::pb::beacon_client::BeaconClient;
use service_skeleton::pb::{EchoRequest, TicksRequest};
use service_skeleton::{BEACON, Drain, GracePeriod, run_on};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::time::Instant;
use tokio_stream::StreamExt as _;
use tonic::Code;
use tonic::transport::{Channel, Endpoint};
use tonic_health::pb::HealthCheckRequest;
use tonic_health::pb::health_check_response::ServingStatus;
use tonic_health::pb::health_client::HealthClient;
use tonic_reflection::pb::v1::ServerReflectionRequest;
use tonic_reflection::pb::v1::server_reflection_client::ServerReflectionClient;
use tonic_reflection::pb::v1::server_reflection_request::MessageRequest;
use tonic_reflection::pb::v1::server_reflection_response::MessageResponse;

use crate::{TestServer, within_an_hour};

fn echo(message: &str, delay_ms: u32) -> EchoRequest {
    EchoRequest {
        message: message.to_owned(),
        delay_ms,
    }
}

fn whole_server() -> HealthCheckRequest {
    HealthCheckRequest {
        service: String::new(),
    }
}

async fn check(channel: &Channel, service: &str) -> ServingStatus {
    let request = HealthCheckRequest {
        service: service.to_owned(),
    };
    let reply = HealthClient::new(channel.clone()).check(request).await;
    reply.expect("health check succeeds").into_inner().status()
}

#[tokio::test(start_paused = true)]
async fn a_call_and_a_health_check_round_trip_in_memory() {
    let server = TestServer::start(1_000);
    let channel = server.connect().await;
    let reply = BeaconClient::new(channel.clone())
        .echo(echo("ping", 0))
        .await;
    assert_eq!(
        reply.expect("echo succeeds").into_inner().message,
        "ping",
        "Beacon is served"
    );
    for service in ["", BEACON] {
        assert_eq!(
            check(&channel, service).await,
            ServingStatus::Serving,
            "{service:?} is SERVING while run serves"
        );
    }
}

/// The same round trip over a real socket. The port is 0, so the kernel
/// picks a free one and tests never collide; the clock is real, because
/// real I/O and an auto-advancing paused clock do not mix (timeouts would
/// fire at once). No test here measures time.
#[tokio::test]
async fn a_call_round_trips_over_a_real_socket_on_port_0() {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind port 0");
    let addr = listener.local_addr().expect("the bound address");
    let (shutdown, asked) = oneshot::channel::<()>();
    let grace = GracePeriod::new(Duration::from_secs(5)).expect("grace > 0");
    let server = tokio::spawn(run_on(listener, grace, async move {
        let _ = asked.await;
    }));

    let channel = Endpoint::from_shared(format!("http://{addr}"))
        .expect("a valid URI")
        .connect()
        .await
        .expect("connect over TCP");
    let reply = BeaconClient::new(channel.clone())
        .echo(echo("over tcp", 0))
        .await;
    assert_eq!(
        reply.expect("echo succeeds").into_inner().message,
        "over tcp",
        "Beacon answers over TCP"
    );
    assert_eq!(
        check(&channel, "").await,
        ServingStatus::Serving,
        "health answers over TCP"
    );

    shutdown
        .send(())
        .expect("run is still waiting for its shutdown");
    let drain = tokio::time::timeout(Duration::from_secs(10), server)
        .await
        .expect("an idle server shuts down well within 10 s")
        .expect("run did not panic")
        .expect("run succeeds");
    assert_eq!(
        drain,
        Drain::Clean,
        "nothing was open, so the drain is clean"
    );
}

#[tokio::test(start_paused = true)]
async fn reflection_lists_the_three_services() {
    let server = TestServer::start(1_000);
    let mut client = ServerReflectionClient::new(server.connect().await);
    let request = ServerReflectionRequest {
        host: String::new(),
        message_request: Some(MessageRequest::ListServices(String::new())),
    };
    let mut replies = client
        .server_reflection_info(tokio_stream::once(request))
        .await
        .expect("reflection v1 is served")
        .into_inner();
    let reply = replies
        .next()
        .await
        .expect("one reply")
        .expect("not an error");
    let Some(MessageResponse::ListServicesResponse(list)) = reply.message_response else {
        panic!(
            "expected a list of services, got {:?}",
            reply.message_response
        );
    };
    let mut names: Vec<String> = list.service.into_iter().map(|s| s.name).collect();
    names.sort();
    assert_eq!(
        names,
        [
            "grpc.health.v1.Health",
            "grpc.reflection.v1.ServerReflection",
            "workbook.service_skeleton.v1.Beacon",
        ],
        "reflection lists health, itself and Beacon (register both descriptor sets)"
    );
}

#[tokio::test(start_paused = true)]
async fn a_shutdown_with_nothing_open_returns_at_once_and_clean() {
    let mut server = TestServer::start(5_000);
    let channel = server.connect().await;
    BeaconClient::new(channel)
        .echo(echo("done", 0))
        .await
        .expect("echo succeeds");

    let start = Instant::now();
    server.shut_down();
    let drain = server.finished().await.expect("run succeeds");
    assert_eq!(drain, Drain::Clean, "nothing was in flight: a clean drain");
    assert_eq!(
        start.elapsed(),
        Duration::ZERO,
        "an idle server does not wait for its grace"
    );
}

#[tokio::test(start_paused = true)]
async fn health_turns_not_serving_when_the_shutdown_starts() {
    let mut server = TestServer::start(1_000);
    let channel = server.connect().await;
    let mut watch = HealthClient::new(channel)
        .watch(whole_server())
        .await
        .expect("watch opens")
        .into_inner();
    let first = watch
        .message()
        .await
        .expect("an update")
        .expect("the stream goes on");
    assert_eq!(
        first.status(),
        ServingStatus::Serving,
        "the server is SERVING before shutdown"
    );

    server.shut_down();
    let next = within_an_hour(watch.message(), "a health update after the shutdown")
        .await
        .expect("an update")
        .expect("the stream goes on");
    assert_eq!(
        next.status(),
        ServingStatus::NotServing,
        "the first thing a shutdown does is turn health NOT_SERVING"
    );
}

#[tokio::test(start_paused = true)]
async fn an_open_tick_stream_ends_with_unavailable_and_the_drain_is_clean() {
    let mut server = TestServer::start(5_000);
    let mut ticks = BeaconClient::new(server.connect().await)
        .ticks(TicksRequest { interval_ms: 1_000 })
        .await
        .expect("the stream opens")
        .into_inner();
    ticks
        .message()
        .await
        .expect("a tick")
        .expect("the first tick comes at once");

    let start = Instant::now();
    server.shut_down();
    let status = ticks
        .message()
        .await
        .expect_err("the drain ends the stream");
    assert_eq!(
        status.code(),
        Code::Unavailable,
        "the stream ends with UNAVAILABLE"
    );
    let drain = server.finished().await.expect("run succeeds");
    assert_eq!(
        drain,
        Drain::Clean,
        "the stream ended itself, so the drain is clean"
    );
    assert_eq!(
        start.elapsed(),
        Duration::ZERO,
        "run passes its draining token to Beacon: the stream ends at once"
    );
}

/// The "done when": a stream the server does not control (here a
/// health Watch, which tonic-health never ends) holds its connection open.
/// tonic alone would wait for ever; `run` must return at the deadline.
#[tokio::test(start_paused = true)]
async fn a_stream_that_never_ends_is_cut_exactly_at_the_deadline() {
    let mut server = TestServer::start(2_000);
    let mut watch = HealthClient::new(server.connect().await)
        .watch(whole_server())
        .await
        .expect("watch opens")
        .into_inner();
    watch
        .message()
        .await
        .expect("an update")
        .expect("the current status");

    let start = Instant::now();
    server.shut_down();
    let drain = server.finished().await.expect("run succeeds");
    assert_eq!(
        start.elapsed(),
        Duration::from_millis(2_000),
        "run returns at the deadline: grace after the shutdown, not before, not after"
    );
    assert_eq!(
        drain,
        Drain::Cut { severed: 1 },
        "one connection was still open"
    );

    // Drain what the watcher had buffered (the NOT_SERVING update), then
    // the stream must fail: its connection is gone.
    let mut ended = false;
    for _ in 0..3 {
        let update = within_an_hour(
            watch.message(),
            "the Watch is still open after run returned: the deadline must close the \
             connections themselves (dropping the server future leaves tonic's \
             connection tasks serving)",
        );
        if update.await.is_err() {
            ended = true;
            break;
        }
    }
    assert!(
        ended,
        "the severed connection ends the client's stream with an error"
    );
}

#[tokio::test(start_paused = true)]
async fn a_unary_call_in_flight_when_the_shutdown_starts_completes() {
    let mut server = TestServer::start(1_000);
    let mut client = BeaconClient::new(server.connect().await);
    let call = tokio::spawn(async move { client.echo(echo("finish me", 300)).await });
    tokio::time::sleep(Duration::from_millis(100)).await;

    let start = Instant::now();
    server.shut_down();
    let reply = call
        .await
        .expect("the call task")
        .expect("the call in flight completes");
    assert_eq!(
        reply.into_inner().message,
        "finish me",
        "the reply is complete"
    );
    let drain = server.finished().await.expect("run succeeds");
    assert_eq!(
        drain,
        Drain::Clean,
        "the call finished inside the grace period"
    );
    assert_eq!(
        start.elapsed(),
        Duration::from_millis(200),
        "the drain lasts as long as the call had left to run, no longer"
    );
}

#[tokio::test(start_paused = true)]
async fn a_unary_call_longer_than_the_grace_is_cut() {
    let mut server = TestServer::start(1_000);
    let mut client = BeaconClient::new(server.connect().await);
    let call = tokio::spawn(async move { client.echo(echo("too slow", 60_000)).await });
    tokio::time::sleep(Duration::from_millis(100)).await;

    let start = Instant::now();
    server.shut_down();
    let drain = server.finished().await.expect("run succeeds");
    assert_eq!(
        drain,
        Drain::Cut { severed: 1 },
        "the call's connection was cut"
    );
    assert_eq!(
        start.elapsed(),
        Duration::from_millis(1_000),
        "at the deadline"
    );
    // tonic's client reports a connection lost mid-call as UNKNOWN
    // ("transport error"), where grpc-go says UNAVAILABLE (open issue
    // grpc/grpc-rust#628). A retry policy keyed on UNAVAILABLE will not
    // retry it, which is right here: the server may have acted already.
    let status = call
        .await
        .expect("the call task")
        .expect_err("the cut call fails");
    assert_eq!(
        status.code(),
        Code::Unknown,
        "tonic reports a connection cut mid-call as UNKNOWN, got {status:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn calls_after_the_shutdown_are_refused() {
    let mut server = TestServer::start(1_000);
    let channel = server.connect().await;
    BeaconClient::new(channel.clone())
        .echo(echo("before", 0))
        .await
        .expect("served");

    server.shut_down();
    server.finished().await.expect("run succeeds");
    let status = BeaconClient::new(channel)
        .echo(echo("after", 0))
        .await
        .expect_err("the server is gone");
    assert_eq!(
        status.code(),
        Code::Unavailable,
        "a call after shutdown is UNAVAILABLE"
    );
    assert!(
        server.transport.connect().await.is_err(),
        "a new connection is refused: run stopped accepting"
    );
}

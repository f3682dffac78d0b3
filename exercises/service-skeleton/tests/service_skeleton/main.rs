//! Tests for the `service-skeleton` exercise, one module per step of the
//! lesson.
//!
//! Run them with `cargo test -p service-skeleton`; they fail until you
//! implement the step they test. The modules are numbered in the lesson's
//! order (config, beacon, health, drain, signals). To run one step only:
//! `cargo test -p service-skeleton step4`.
//!
//! Most tests talk gRPC over an in-memory transport (Go's `bufconn`): each
//! connection is a `tokio::io::duplex` pipe, so no port is opened and
//! tokio's paused clock can measure a drain exactly. One test per round
//! trip uses a real socket on `127.0.0.1:0`.

mod step1_config;
mod step2_beacon;
mod step3_health;
mod step4_drain;
mod step5_signals;

use std::future::Future;
use std::io;
use std::time::Duration;

use service_skeleton::{Drain, GracePeriod, ServeError, run};
use tokio::io::DuplexStream;
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;
use tokio_stream::Stream;
use tokio_stream::StreamExt as _;
use tokio_stream::wrappers::UnboundedReceiverStream;
use tonic::service::Routes;
use tonic::transport::{Channel, Endpoint, Server, Uri};

/// The client side of the in-memory transport: every `connect` makes a
/// new duplex pipe and hands the server its end through a channel. The
/// server's `incoming` is that channel's receiver, so it stays open (and
/// can take more connections) until the server drops it on shutdown; after
/// that, `connect` fails like a refused TCP connection.
///
/// (A `tokio_stream::once(pipe)` incoming, as in tonic's mock example,
/// allows one connection only, and ends at once: tonic then starts its
/// graceful shutdown as soon as it has accepted it.)
#[derive(Debug, Clone)]
struct InMemory {
    pipes: mpsc::UnboundedSender<DuplexStream>,
}

fn in_memory() -> (InMemory, impl Stream<Item = io::Result<DuplexStream>>) {
    let (pipes, accepted) = mpsc::unbounded_channel();
    let incoming = UnboundedReceiverStream::new(accepted).map(Ok);
    (InMemory { pipes }, incoming)
}

impl InMemory {
    /// A channel over a new in-memory connection.
    async fn connect(&self) -> Result<Channel, tonic::transport::Error> {
        let pipes = self.pipes.clone();
        // The URI is never dialled: the connector below is the network.
        Endpoint::from_static("http://in-memory.test")
            .connect_with_connector(tower::service_fn(move |_: Uri| {
                let pipes = pipes.clone();
                async move {
                    let (client, server) = tokio::io::duplex(64 * 1024);
                    pipes.send(server).map_err(|_| {
                        io::Error::new(io::ErrorKind::ConnectionRefused, "server gone")
                    })?;
                    Ok::<_, io::Error>(hyper_util::rt::TokioIo::new(client))
                }
            }))
            .await
    }
}

/// Awaits `future`, or fails the test, saying what it waited for, if it
/// takes more than an hour. Under the paused clock that hour costs no real
/// time: when every task is idle and nothing else is due, tokio jumps
/// straight to it. So a step that waits for ever (no deadline, a stream
/// that never ends, a status never set) fails at once with a message
/// instead of hanging `cargo test`; and since the hour is the last timer
/// due, it never shortens the durations the tests measure.
async fn within_an_hour<F: Future>(future: F, what: &str) -> F::Output {
    tokio::time::timeout(Duration::from_secs(3_600), future)
        .await
        .unwrap_or_else(|_| panic!("still waiting after an hour (paused clock): {what}"))
}

/// Serves just `routes` in memory, with no shutdown: the server task ends
/// with the test's runtime. For the steps that come before `run`.
async fn serve_routes(routes: Routes) -> Channel {
    let (transport, incoming) = in_memory();
    tokio::spawn(
        Server::builder()
            .add_routes(routes)
            .serve_with_incoming(incoming),
    );
    transport
        .connect()
        .await
        .expect("connect to the in-memory server")
}

/// A [`run`] in a task of its own, over the in-memory transport, with a
/// shutdown the test fires. Dropping it fires the shutdown too, so no
/// server outlives its test.
struct TestServer {
    transport: InMemory,
    shutdown: Option<oneshot::Sender<()>>,
    task: JoinHandle<Result<Drain, ServeError>>,
}

impl TestServer {
    /// Starts `run` with a grace period of `grace_ms`.
    fn start(grace_ms: u64) -> Self {
        let (transport, incoming) = in_memory();
        let (shutdown, asked) = oneshot::channel::<()>();
        let grace = GracePeriod::new(Duration::from_millis(grace_ms)).expect("grace > 0");
        let task = tokio::spawn(run(incoming, grace, async move {
            let _ = asked.await;
        }));
        Self {
            transport,
            shutdown: Some(shutdown),
            task,
        }
    }

    /// A new connection to the server.
    async fn connect(&self) -> Channel {
        self.transport
            .connect()
            .await
            .expect("connect to the in-memory server")
    }

    /// Starts the shutdown, as a signal would.
    fn shut_down(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
    }

    /// Waits for `run` to return, and gives its result. A `run` that never
    /// returns fails the test (after an hour of paused time) instead of
    /// hanging it.
    async fn finished(&mut self) -> Result<Drain, ServeError> {
        within_an_hour(
            &mut self.task,
            "run did not return after the shutdown (is the drain bounded by its grace?)",
        )
        .await
        .expect("run panicked")
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.shut_down();
    }
}

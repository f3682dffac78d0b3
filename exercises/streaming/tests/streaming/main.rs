//! Tests for the `streaming` exercise, one module per step of the lesson.
//!
//! Run them with `cargo test -p streaming`; they fail until you implement
//! the step they test. The modules are numbered in the lesson's order
//! (replay, watch, upload, track, deadline), so failures are listed step by
//! step. To run one step only: `cargo test -p streaming step1`.
//!
//! Every test talks to the service through real gRPC over an in-memory
//! HTTP/2 connection (`streaming::connect_in_memory`): flow control,
//! trailers and stream resets are the real ones. Most run on tokio's paused
//! clock, so a 60-second tick interval takes no real time and every
//! `elapsed()` is exact.

mod step1_replay;
mod step2_watch;
mod step3_upload;
mod step4_track;
mod step5_deadline;

use std::time::Duration;

use streaming::pb::ticker_client::TickerClient;
use streaming::pb::{Tick, Trade};
use streaming::{Config, Market, TickerService, connect_in_memory};
use tonic::transport::Channel;
use tonic::{Status, Streaming};

/// ACME and GLOBEX trade normally; HALT halts after 3 ticks.
fn market() -> Market {
    Market::new()
        .list("ACME", 10_000)
        .list("GLOBEX", 2_500)
        .list_halting("HALT", 500, 3)
}

/// The default config, with `tick_interval` between two live ticks.
fn ticking_every(tick_interval: Duration) -> Config {
    Config {
        tick_interval,
        ..Config::default()
    }
}

/// A service over the test market, and a client connected to it through
/// memory. The service handle shares the market and the producer count
/// with the one the server runs.
async fn start(config: Config) -> (TickerClient<Channel>, TickerService) {
    let service = TickerService::new(market(), config);
    let client = connect_in_memory(service.clone())
        .await
        .expect("the in-memory connection opens");
    (client, service)
}

fn trade(symbol: &str, price_cents: i64, quantity: u32) -> Trade {
    Trade {
        symbol: symbol.to_owned(),
        price_cents,
        quantity,
    }
}

/// The sequence numbers of some ticks.
fn seqs(ticks: &[Tick]) -> Vec<u64> {
    ticks.iter().map(|t| t.seq).collect()
}

/// Far longer than any test needs, in paused time: if it passes, something
/// hangs.
const HANG: Duration = Duration::from_secs(3600);

/// Awaits `future`, but fails the test instead of hanging if it has not
/// finished after [`HANG`] of (paused) time. `what` names what the test was
/// waiting for.
async fn within<F: Future>(future: F, what: &str) -> F::Output {
    match tokio::time::timeout(HANG, future).await {
        Ok(output) => output,
        Err(_) => panic!("waited an hour of paused time for {what}: something hangs"),
    }
}

/// Reads ticks until the stream fails, and returns them with the error. It
/// fails the test if the stream ends with OK, or if no error comes within a
/// minute of (paused) time, however many ticks arrive meanwhile.
async fn ticks_until_error(
    ticks: &mut Streaming<Tick>,
    what: &str,
) -> (Vec<Tick>, Status) {
    let mut received = Vec::new();
    let read = async {
        loop {
            match ticks.message().await {
                Ok(Some(tick)) => received.push(tick),
                Ok(None) => {
                    panic!("the stream ended with OK; {what} should end it with an error")
                }
                Err(status) => return status,
            }
        }
    };
    match tokio::time::timeout(Duration::from_secs(60), read).await {
        Ok(status) => (received, status),
        Err(_) => panic!("the stream went on for a minute; {what} should have ended it"),
    }
}

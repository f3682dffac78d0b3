//! Step 1: server streaming with backpressure (`replay.rs`).

use std::time::Duration;

use streaming::pb::ReplayRequest;
use streaming::{Config, STREAM_WINDOW};
use tonic::Code;

use crate::{HANG, seqs, start, within};

fn replay(symbol: &str, count: u64) -> ReplayRequest {
    ReplayRequest {
        symbol: symbol.to_owned(),
        count,
    }
}

#[tokio::test(start_paused = true)]
async fn a_replay_sends_the_requested_ticks_in_order_then_ends() {
    let (mut client, _service) = start(Config::default()).await;
    let mut ticks = client
        .replay(replay("ACME", 5))
        .await
        .expect("ACME is listed, so the replay starts")
        .into_inner();
    let read = async {
        let mut received = Vec::new();
        while let Some(tick) =
            ticks.message().await.expect("a replay of ACME never fails")
        {
            received.push(tick);
            assert!(
                received.len() <= 5,
                "a replay of 5 ticks should end after 5, but it sent {:?}",
                seqs(&received)
            );
        }
        received
    };
    let received = within(
        read,
        "the end of a replay of 5 ticks (it ends when its last Sender is dropped)",
    )
    .await;
    assert_eq!(
        seqs(&received),
        [0, 1, 2, 3, 4],
        "a replay of 5 ticks should send ticks 0 to 4, in order, then end"
    );
    let prices: Vec<i64> = received.iter().map(|t| t.price_cents).collect();
    assert_eq!(
        prices,
        [10_000, 10_001, 10_002, 10_003, 10_004],
        "each tick should carry the market's price for its sequence number"
    );
    assert!(
        received.iter().all(|t| t.symbol == "ACME"),
        "every tick should name the symbol asked for"
    );
}

#[tokio::test(start_paused = true)]
async fn a_replay_of_zero_ticks_is_an_empty_stream() {
    let (mut client, _service) = start(Config::default()).await;
    let mut ticks = client
        .replay(replay("ACME", 0))
        .await
        .expect("ACME is listed, so the replay starts")
        .into_inner();
    let first = within(
        ticks.message(),
        "the end of a replay of 0 ticks (it ends when its last Sender is dropped)",
    )
    .await;
    assert!(
        matches!(first, Ok(None)),
        "a replay of 0 ticks should end at once with OK, got {first:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn an_unknown_symbol_is_refused_before_the_stream_starts() {
    let (mut client, _service) = start(Config::default()).await;
    let status = client
        .replay(replay("NOPE", 5))
        .await
        .expect_err("a replay of an unlisted symbol should be refused, not streamed");
    assert_eq!(
        status.code(),
        Code::NotFound,
        "an unknown symbol is NotFound: {status:?}"
    );
}

/// The heart of step 1. A client asks for 100,000 ticks and reads none. The
/// producer may only run as far ahead as the buffers between it and the
/// client hold:
///
/// - the channel: `channel_capacity` ticks (8), plus the one in `send`;
/// - tonic's encoder, which pulls ready messages into one chunk of at most
///   32 KiB (plus the message that crossed the mark);
/// - HTTP/2: the client's stream window (`STREAM_WINDOW`, 16 KiB) of data
///   sent but not read; hyper hands h2 the next chunk only once the window
///   has room, so at most one chunk waits in h2's send buffer.
///
/// A tick takes at least 14 bytes on the wire (5 bytes of gRPC framing and
/// 9 of protobuf for tick 0, whose zero `seq` proto3 leaves out; later ticks
/// take 16 to 18), so that is at most 9 + 1 + (32 KiB + 16 KiB) / 14 = 3,520
/// ticks. (The reference solution stops at 993.) An unbounded channel would
/// let it generate all 100,000.
#[tokio::test(start_paused = true)]
async fn a_client_that_reads_nothing_holds_the_producer_back() {
    const ASKED: u64 = 100_000;
    let bound = 9 + 1 + (32 * 1024 + u64::from(STREAM_WINDOW)) / 14;
    let (mut client, service) = start(Config::default()).await;
    let mut ticks = client
        .replay(replay("ACME", ASKED))
        .await
        .expect("ACME is listed, so the replay starts")
        .into_inner();

    // A paused clock only moves when every task waits: after this sleep,
    // the producer, tonic and h2 have done all they could.
    tokio::time::sleep(Duration::from_secs(1)).await;
    let ahead = service.market().generated();
    assert!(
        ahead <= bound,
        "a client that reads nothing should hold the producer within {bound} ticks \
         (channel + tonic's buffer + the HTTP/2 window), but it generated {ahead} of \
         {ASKED}: is the channel bounded, and does the producer await `send`?"
    );

    // Reading frees room all along the pipeline, and the producer resumes.
    for expected in 0..1_000 {
        let tick = tokio::time::timeout(HANG, ticks.message())
            .await
            .expect("the replay should not stall while the client reads")
            .expect("a replay of ACME never fails")
            .expect("the replay has 100,000 ticks");
        assert_eq!(tick.seq, expected, "ticks should arrive in order");
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    let resumed = service.market().generated();
    assert!(
        resumed > ahead && resumed <= 1_000 + bound,
        "after the client read 1,000 ticks the producer should have moved on from \
         {ahead}, but stay within {bound} of the reader: it generated {resumed}"
    );
}

//! Step 4: bidirectional streaming (`track.rs`).

use std::time::Duration;

use streaming::Config;
use streaming::pb::{Position, Trade};
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;
use tonic::{Code, Streaming};

use crate::{HANG, start, trade};

fn position(symbol: &str, trades: u64, quantity: u64) -> Position {
    Position {
        symbol: symbol.to_owned(),
        trades,
        quantity,
    }
}

/// The next answer, failing the test instead of hanging if none comes.
async fn next(answers: &mut Streaming<Position>) -> Option<Position> {
    tokio::time::timeout(HANG, answers.message())
        .await
        .expect("an answer (or the end of the stream) should come, not a hang")
        .expect("the answers should not fail here")
}

#[tokio::test(start_paused = true)]
async fn each_trade_is_answered_with_its_position_in_order() {
    let (mut client, _service) = start(Config::default()).await;
    let trades = vec![
        trade("ACME", 10_000, 10),
        trade("GLOBEX", 2_500, 7),
        trade("ACME", 10_001, 5),
    ];
    let mut answers = client
        .track(tokio_stream::iter(trades))
        .await
        .expect("the track call starts")
        .into_inner();
    let mut received = Vec::new();
    while let Some(position) = next(&mut answers).await {
        received.push(position);
        assert!(
            received.len() <= 3,
            "3 trades should get 3 answers, then the end of the stream: {received:?}"
        );
    }
    assert_eq!(
        received,
        [
            position("ACME", 1, 10),
            position("GLOBEX", 1, 7),
            position("ACME", 2, 15),
        ],
        "one answer per trade, in order, each the running position of its symbol"
    );
}

/// The client waits for each answer before sending the next trade. A server
/// that collects the whole stream before answering never answers, and this
/// test fails instead of hanging.
#[tokio::test(start_paused = true)]
async fn each_answer_arrives_before_the_next_trade_is_sent() {
    let (mut client, _service) = start(Config::default()).await;
    let (tx, rx) = mpsc::channel(1);
    let mut answers = client
        .track(ReceiverStream::new(rx))
        .await
        .expect("the track call starts")
        .into_inner();
    for (n, quantity) in [(1, 10), (2, 30), (3, 60)] {
        tx.send(trade("ACME", 10_000, 10 * n))
            .await
            .expect("the request stream is open");
        let answer = next(&mut answers).await;
        assert_eq!(
            answer,
            Some(position("ACME", u64::from(n), quantity)),
            "trade {n} should be answered while the client is still sending"
        );
    }
    // Half-close: the client has no more trades. The answers end with OK.
    drop(tx);
    assert_eq!(
        next(&mut answers).await,
        None,
        "after the client half-closes, the answer stream should end cleanly"
    );
}

#[tokio::test(start_paused = true)]
async fn an_empty_request_stream_ends_the_answers_at_once() {
    let (mut client, service) = start(Config::default()).await;
    let mut answers = client
        .track(tokio_stream::iter(Vec::<Trade>::new()))
        .await
        .expect("the track call starts")
        .into_inner();
    assert_eq!(
        next(&mut answers).await,
        None,
        "no trades: the answers should end with OK and nothing in them"
    );
    tokio::time::timeout(HANG, service.producers().all_stopped())
        .await
        .expect("the task should stop once the client half-closed");
}

#[tokio::test(start_paused = true)]
async fn an_invalid_trade_ends_the_answers_with_its_index() {
    let (mut client, _service) = start(Config::default()).await;
    let trades = vec![
        trade("ACME", 10_000, 1),
        trade("NOPE", 1, 1),
        trade("ACME", 1, 1),
    ];
    let mut answers = client
        .track(tokio_stream::iter(trades))
        .await
        .expect("the track call starts")
        .into_inner();
    assert_eq!(
        next(&mut answers).await,
        Some(position("ACME", 1, 1)),
        "the valid trade before the invalid one should be answered"
    );
    let status = tokio::time::timeout(HANG, answers.message())
        .await
        .expect("an answer should come")
        .expect_err("trade 1 names an unlisted symbol");
    assert_eq!(
        status.code(),
        Code::InvalidArgument,
        "an unlisted symbol is InvalidArgument: {status:?}"
    );
    assert!(
        status.message().starts_with("trade 1:"),
        "the message should name trade 1: {status:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn the_task_stops_when_the_client_goes_away_mid_stream() {
    let (mut client, service) = start(Config::default()).await;
    let (tx, rx) = mpsc::channel(1);
    let mut request = tonic::Request::new(ReceiverStream::new(rx));
    // Go's `cancel()`: resets the HTTP/2 stream, both directions.
    let cancel = request.cancellation_handle();
    let mut answers = client
        .track(request)
        .await
        .expect("the track call starts")
        .into_inner();
    tx.send(trade("ACME", 10_000, 1))
        .await
        .expect("the request stream is open");
    assert_eq!(
        next(&mut answers).await,
        Some(position("ACME", 1, 1)),
        "the first trade should be answered"
    );
    assert_eq!(
        service.producers().live(),
        1,
        "the task answering the trades should hold a ProducerGuard while it runs"
    );
    cancel.cancel();
    let started = tokio::time::Instant::now();
    tokio::time::timeout(HANG, service.producers().all_stopped())
        .await
        .expect("the task should stop once the client cancelled");
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "the task should stop at once"
    );
    drop(tx);
}

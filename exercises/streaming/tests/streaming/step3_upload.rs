//! Step 3: client streaming (`upload.rs`).

use streaming::Config;
use streaming::pb::{Trade, UploadSummary};
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;
use tonic::Code;

use crate::{HANG, start, trade, within};

#[tokio::test(start_paused = true)]
async fn an_upload_is_summed_up() {
    let (mut client, _service) = start(Config::default()).await;
    let trades = vec![
        trade("ACME", 10_010, 100),
        trade("GLOBEX", 2_490, 30),
        trade("ACME", 10_020, 5),
    ];
    let summary = within(
        client.upload(tokio_stream::iter(trades)),
        "the summary of an upload",
    )
    .await
    .expect("three valid trades should be accepted")
    .into_inner();
    assert_eq!(
        summary,
        UploadSummary {
            trades: 3,
            quantity: 135,
            symbols: 2,
        },
        "3 trades, 100 + 30 + 5 shares, in 2 distinct symbols"
    );
}

#[tokio::test(start_paused = true)]
async fn an_empty_upload_is_valid() {
    let (mut client, _service) = start(Config::default()).await;
    let summary = within(
        client.upload(tokio_stream::iter(Vec::<Trade>::new())),
        "the summary of an empty upload",
    )
    .await
    .expect("an upload of no trades is valid")
    .into_inner();
    assert_eq!(
        summary,
        UploadSummary::default(),
        "no trades sum up to zeros"
    );
}

#[tokio::test(start_paused = true)]
async fn the_first_invalid_trade_is_named_by_its_index() {
    let (mut client, _service) = start(Config::default()).await;
    let cases = [
        (
            vec![trade("NOPE", 100, 1)],
            "trade 0:",
            "an unlisted symbol",
        ),
        (
            vec![trade("ACME", 100, 1), trade("ACME", 0, 1)],
            "trade 1:",
            "a price of zero",
        ),
        (
            vec![
                trade("ACME", 100, 1),
                trade("ACME", 100, 1),
                trade("ACME", 100, 0),
            ],
            "trade 2:",
            "a quantity of zero",
        ),
        (
            vec![trade("ACME", -5, 1), trade("NOPE", 100, 0)],
            "trade 0:",
            "a negative price, before a worse trade",
        ),
    ];
    for (trades, prefix, what) in cases {
        let status = within(
            client.upload(tokio_stream::iter(trades)),
            "the answer to an invalid upload",
        )
        .await
        .expect_err(&format!("an upload with {what} should be refused"));
        assert_eq!(
            status.code(),
            Code::InvalidArgument,
            "{what} is InvalidArgument: {status:?}"
        );
        assert!(
            status.message().starts_with(prefix),
            "the message for {what} should start with {prefix:?}: {status:?}"
        );
    }
}

/// The server answers at the first invalid trade, while the client has not
/// finished (or even closed) its stream: it does not collect first.
#[tokio::test(start_paused = true)]
async fn an_upload_stops_at_the_first_invalid_trade_without_waiting_for_the_rest() {
    let (mut client, _service) = start(Config::default()).await;
    let (tx, rx) = mpsc::channel(4);
    tx.send(trade("ACME", 10_000, 1))
        .await
        .expect("the stream is open");
    tx.send(trade("ACME", 10_000, 0))
        .await
        .expect("the stream is open");
    // `tx` stays alive: the client has more to send, as far as the server
    // knows.
    let answer = tokio::time::timeout(HANG, client.upload(ReceiverStream::new(rx)))
        .await
        .expect("the server should answer at the invalid trade, not wait for the end");
    let status = answer.expect_err("the second trade has a quantity of zero");
    assert_eq!(
        status.code(),
        Code::InvalidArgument,
        "a zero quantity is InvalidArgument: {status:?}"
    );
    assert!(
        status.message().starts_with("trade 1:"),
        "the message should name trade 1: {status:?}"
    );
    drop(tx);
}

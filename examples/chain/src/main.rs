//! # Day 120 example: calls through an interceptor chain, in order
//!
//! `cargo run -p chain` serves the lesson's stock service behind the chain
//! of the `interceptors` crate (the reference solution): request ids
//! outermost, then timing, then the auth interceptor on the service. It
//! prints:
//!
//! 1. calls through the chain: one allowed, two refused (no token, a wrong
//!    token), a stream that fails after two items, and a stream the client
//!    leaves early; then the timing records, in the order they were made;
//! 2. the naive timing layer beside the real one on the same stream: time
//!    to first byte and `Ok`, against time to the end and the trailers'
//!    status;
//! 3. the order probes write down for `.layer(A).layer(B)` with an
//!    interceptor on the service.
//!
//! # Layout
//!
//! `main` only wires the runtime; each scenario is one function. The clock
//! is tokio's *paused* clock, so every duration printed is exact and the
//! output is the same on every run; ids come from a `Sequential` source
//! (`req-1`, `req-2`...) rather than random ones.

use std::error::Error;
use std::time::Duration;

use interceptors::pb::stock_client::StockClient;
use interceptors::pb::stock_server::StockServer;
use interceptors::pb::{GetRequest, ListRequest};
use interceptors::{
    CallRecord, Chain, FirstByteTimingLayer, Journal, ProbeLayer, Sequential, Shop,
    TimingLayer, Tokens, X_REQUEST_ID, in_memory,
};
use tokio::sync::mpsc::{UnboundedReceiver, unbounded_channel};
use tokio::time::Instant;
use tonic::transport::{Channel, Server};

/// Alice's token, the only one the server accepts.
const ALICE: &str = "alice-3f9c2e7d";

fn main() -> Result<(), Box<dyn Error>> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .start_paused(true)
        .build()?;
    runtime.block_on(async {
        through_the_chain().await?;
        first_byte_or_end().await?;
        the_order().await?;
        Ok(())
    })
}

/// `message` with Alice's bearer token, or with `token` if given.
fn signed<T>(
    message: T,
    token: Option<&str>,
) -> Result<tonic::Request<T>, Box<dyn Error>> {
    let mut request = tonic::Request::new(message);
    if let Some(token) = token {
        let value = format!("Bearer {token}").parse()?;
        request.metadata_mut().insert("authorization", value);
    }
    Ok(request)
}

/// The request id in `metadata`, or `-`.
fn id(metadata: &tonic::metadata::MetadataMap) -> &str {
    metadata
        .get(X_REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-")
}

/// Prints every record the layers have sent so far, in order.
fn print_records(title: &str, rx: &mut UnboundedReceiver<CallRecord>) {
    println!("  {title}:");
    while let Ok(record) = rx.try_recv() {
        println!("    {record}");
    }
}

/// Scenario 1: five calls through the lesson's chain.
async fn through_the_chain() -> Result<(), Box<dyn Error>> {
    println!("1. calls through the chain (request id > timing > auth > handler)");
    let mut tokens = Tokens::new();
    tokens.insert(ALICE, "alice")?;
    let (tx, mut rx) = unbounded_channel();
    let chain = Chain::new(tokens, Sequential::new("req")?, tx);
    let mut stock = StockClient::new(in_memory(|incoming| chain.serve(incoming)).await?);
    let start = Instant::now();

    let get = |name: &str| GetRequest {
        name: name.to_owned(),
        work_ms: 20,
    };
    let response = stock.get(signed(get("bolt"), Some(ALICE))?).await?;
    let item = response.get_ref();
    println!(
        "  Get bolt as alice: {} x{} for {} ({})",
        item.name,
        item.quantity,
        item.served_to,
        id(response.metadata())
    );
    for (label, token) in [("no token", None), ("a wrong token", Some("guessed"))] {
        let status = stock
            .get(signed(get("bolt"), token)?)
            .await
            .expect_err("refused");
        println!(
            "  Get bolt with {label}: {:?} {:?} ({})",
            status.code(),
            status.message(),
            id(status.metadata())
        );
    }

    let list = ListRequest {
        count: 2,
        interval_ms: 100,
        fail: true,
    };
    let response = stock.list(signed(list, Some(ALICE))?).await?;
    println!(
        "  List (2 items, then a failure): head at t={:?} ({})",
        start.elapsed(),
        id(response.metadata())
    );
    let mut stream = response.into_inner();
    loop {
        match stream.message().await {
            Ok(Some(item)) => println!("    t={:?} item {}", start.elapsed(), item.name),
            Ok(None) => break,
            Err(status) => {
                println!("    t={:?} ends with {:?}", start.elapsed(), status.code());
                break;
            }
        }
    }

    let list = ListRequest {
        count: 3,
        interval_ms: 100,
        fail: false,
    };
    let mut stream = stock.list(signed(list, Some(ALICE))?).await?.into_inner();
    if let Some(item) = stream.message().await? {
        println!(
            "  List (3 items): t={:?} item {}, then the client leaves",
            start.elapsed(),
            item.name
        );
    }
    drop(stream);
    // Let the server see the reset and drop the body: the record comes from
    // the timing guard's `Drop`, on the server's task.
    tokio::time::sleep(Duration::from_millis(1)).await;
    print_records("timing records, in order", &mut rx);
    Ok(())
}

/// Scenario 2: the naive layer and the real one on the same stream.
async fn first_byte_or_end() -> Result<(), Box<dyn Error>> {
    println!("2. one stream (3 items, 100 ms apart, then UNAVAILABLE), timed twice");
    let (real, mut real_rx) = unbounded_channel();
    let (naive, mut naive_rx) = unbounded_channel();
    let channel: Channel = in_memory(|incoming| {
        Server::builder()
            .layer(TimingLayer::new(real))
            .layer(FirstByteTimingLayer::new(naive))
            .add_service(StockServer::new(Shop::new()))
            .serve_with_incoming(incoming)
    })
    .await?;
    let list = ListRequest {
        count: 3,
        interval_ms: 100,
        fail: true,
    };
    let mut stream = StockClient::new(channel).list(list).await?.into_inner();
    while let Ok(Some(_)) = stream.message().await {}
    print_records("naive (stops at the head)", &mut naive_rx);
    print_records("real (stops at the trailers)", &mut real_rx);
    Ok(())
}

/// Scenario 3: what probes see for `.layer(A).layer(B)`.
async fn the_order() -> Result<(), Box<dyn Error>> {
    println!("3. Server::builder().layer(A).layer(B), interceptor on the service");
    let journal = Journal::new();
    let (a, b, seen) = (journal.clone(), journal.clone(), journal.clone());
    let shop = Shop::with_journal(journal.clone());
    let channel = in_memory(move |incoming| {
        Server::builder()
            .layer(ProbeLayer::new("A", a))
            .layer(ProbeLayer::new("B", b))
            .add_service(StockServer::with_interceptor(
                shop,
                move |request: tonic::Request<()>| {
                    seen.push("interceptor");
                    Ok(request)
                },
            ))
            .serve_with_incoming(incoming)
    })
    .await?;
    let request = GetRequest {
        name: "nut".to_owned(),
        work_ms: 0,
    };
    StockClient::new(channel).get(request).await?;
    for (step, entry) in journal.entries().iter().enumerate() {
        println!("  {}. {entry}", step + 1);
    }
    Ok(())
}

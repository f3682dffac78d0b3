//! # Day 126 example: streaming RPCs, end to end
//!
//! `cargo run -p streams` starts the ticker service of the `streaming` crate
//! (the reference solution) on an in-memory HTTP/2 connection and calls it:
//!
//! 1. server streaming: a replay of five ticks;
//! 2. backpressure: a client asks for 100,000 ticks and reads none, and the
//!    producer stops a bounded distance ahead;
//! 3. a client that goes away: its producer stops at once, not at its next
//!    tick;
//! 4. a failure half-way: the ticks before a halt, then the error, which
//!    travels in the trailers;
//! 5. client streaming: an upload summed up, and one refused at its first
//!    invalid trade;
//! 6. bidirectional streaming: each trade answered before the next is sent;
//! 7. a deadline that ends a stream, and its producer with it.
//!
//! # Layout
//!
//! `main` only wires the runtime; each scenario is one function. The clock
//! is tokio's *paused* clock: a one-second tick interval takes no real time,
//! and every printed time is exact, so the output is the same on every run.
//! The rejected alternative, a real clock, would make you wait and print
//! different times on every run.

use std::error::Error;
use std::time::Duration;

use streaming::pb::ticker_client::TickerClient;
use streaming::pb::{ReplayRequest, Trade, WatchRequest};
use streaming::{Config, Market, TickerService, connect_in_memory};
use tokio::sync::mpsc;
use tokio::time::Instant;
use tokio_stream::wrappers::ReceiverStream;
use tonic::transport::Channel;

type Result<T, E = Box<dyn Error>> = std::result::Result<T, E>;

fn main() -> Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .start_paused(true)
        .build()?;
    runtime.block_on(async {
        replay().await?;
        backpressure().await?;
        client_goes_away().await?;
        halt().await?;
        upload().await?;
        track().await?;
        deadline().await?;
        Ok(())
    })
}

fn market() -> Market {
    Market::new()
        .list("ACME", 10_000)
        .list("GLOBEX", 2_500)
        .list_halting("HALT", 500, 3)
}

/// A fresh service with `tick_interval`, and a client connected to it.
async fn start(
    tick_interval: Duration,
) -> Result<(TickerClient<Channel>, TickerService)> {
    let config = Config {
        tick_interval,
        ..Config::default()
    };
    let service = TickerService::new(market(), config);
    let client = connect_in_memory(service.clone()).await?;
    Ok((client, service))
}

fn millis(since: Instant) -> u128 {
    since.elapsed().as_millis()
}

fn trade(symbol: &str, price_cents: i64, quantity: u32) -> Trade {
    Trade {
        symbol: symbol.to_owned(),
        price_cents,
        quantity,
    }
}

async fn replay() -> Result<()> {
    println!("== 1. server streaming: Replay ACME, 5 ticks");
    let (mut client, _service) = start(Duration::from_millis(100)).await?;
    let request = ReplayRequest {
        symbol: "ACME".to_owned(),
        count: 5,
    };
    let mut ticks = client.replay(request).await?.into_inner();
    while let Some(tick) = ticks.message().await? {
        println!("  tick {} {} {}", tick.seq, tick.symbol, tick.price_cents);
    }
    println!("  end of stream (OK trailers)");
    Ok(())
}

async fn backpressure() -> Result<()> {
    println!("== 2. backpressure: Replay 100000 ticks, read none, then 1000");
    let (mut client, service) = start(Duration::from_millis(100)).await?;
    let request = ReplayRequest {
        symbol: "ACME".to_owned(),
        count: 100_000,
    };
    let mut ticks = client.replay(request).await?.into_inner();
    // With the clock paused, the sleep ends only once every task waits: the
    // producer, tonic and h2 have gone as far as the buffers let them.
    tokio::time::sleep(Duration::from_secs(1)).await;
    let ahead = service.market().generated();
    println!("  read 0: the producer generated {ahead} ticks and waits in send()");
    for _ in 0..1_000 {
        ticks.message().await?;
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    let resumed = service.market().generated();
    println!("  read 1000: the producer generated {resumed} ticks");
    drop(ticks);
    service.producers().all_stopped().await;
    Ok(())
}

async fn client_goes_away() -> Result<()> {
    println!("== 3. the client goes away: Watch ACME, one tick a second, leave after 3");
    let (mut client, service) = start(Duration::from_secs(1)).await?;
    let start = Instant::now();
    let request = WatchRequest {
        symbol: "ACME".to_owned(),
    };
    let mut ticks = client.watch(request).await?.into_inner();
    for _ in 0..3 {
        if let Some(tick) = ticks.message().await? {
            println!(
                "  t={:>4}ms  tick {} {}",
                millis(start),
                tick.seq,
                tick.price_cents
            );
        }
    }
    println!(
        "  live producers while watching: {}",
        service.producers().live()
    );
    drop(ticks);
    service.producers().all_stopped().await;
    println!(
        "  t={:>4}ms  client dropped its stream; live producers: {}",
        millis(start),
        service.producers().live()
    );
    Ok(())
}

async fn halt() -> Result<()> {
    println!("== 4. a failure half-way: Watch HALT, which halts after 3 ticks");
    let (mut client, _service) = start(Duration::from_millis(100)).await?;
    let start = Instant::now();
    let request = WatchRequest {
        symbol: "HALT".to_owned(),
    };
    let mut ticks = client.watch(request).await?.into_inner();
    loop {
        match ticks.message().await {
            Ok(Some(tick)) => {
                println!(
                    "  t={:>4}ms  tick {} {}",
                    millis(start),
                    tick.seq,
                    tick.price_cents
                );
            }
            Ok(None) => break println!("  end of stream (OK trailers)"),
            Err(status) => {
                break println!(
                    "  t={:>4}ms  error in the trailers: {:?}: {}",
                    millis(start),
                    status.code(),
                    status.message()
                );
            }
        }
    }
    Ok(())
}

async fn upload() -> Result<()> {
    println!("== 5. client streaming: Upload");
    let (mut client, _service) = start(Duration::from_millis(100)).await?;
    let trades = vec![
        trade("ACME", 10_010, 100),
        trade("GLOBEX", 2_490, 30),
        trade("ACME", 10_020, 5),
    ];
    let summary = client
        .upload(tokio_stream::iter(trades))
        .await?
        .into_inner();
    println!(
        "  3 trades sent: summary trades={} quantity={} symbols={}",
        summary.trades, summary.quantity, summary.symbols
    );
    let trades = vec![
        trade("ACME", 10_010, 100),
        trade("ACME", 10_020, 0),
        trade("GLOBEX", 2_490, 30),
    ];
    match client.upload(tokio_stream::iter(trades)).await {
        Ok(summary) => println!("  accepted: {:?}", summary.into_inner()),
        Err(status) => println!("  refused: {:?}: {}", status.code(), status.message()),
    }
    Ok(())
}

async fn track() -> Result<()> {
    println!("== 6. bidirectional: Track, each answer before the next trade");
    let (mut client, service) = start(Duration::from_millis(100)).await?;
    let (tx, rx) = mpsc::channel(1);
    let mut answers = client.track(ReceiverStream::new(rx)).await?.into_inner();
    for (symbol, quantity) in [("ACME", 10), ("GLOBEX", 7), ("ACME", 5)] {
        tx.send(trade(symbol, 10_000, quantity)).await?;
        println!("  sent     {symbol} x{quantity}");
        if let Some(position) = answers.message().await? {
            println!(
                "  received {} trades={} quantity={}",
                position.symbol, position.trades, position.quantity
            );
        }
    }
    // Half-close: no more trades. The answers end with OK.
    drop(tx);
    let end = answers.message().await?;
    println!("  half-closed; the answers end: {end:?}");
    service.producers().all_stopped().await;
    println!("  live producers: {}", service.producers().live());
    Ok(())
}

async fn deadline() -> Result<()> {
    println!("== 7. a deadline: Watch ACME with a 250ms timeout, a tick every 100ms");
    let (mut client, service) = start(Duration::from_millis(100)).await?;
    let start = Instant::now();
    let mut request = tonic::Request::new(WatchRequest {
        symbol: "ACME".to_owned(),
    });
    request.set_timeout(Duration::from_millis(250));
    let mut ticks = client.watch(request).await?.into_inner();
    loop {
        match ticks.message().await {
            Ok(Some(tick)) => println!("  t={:>4}ms  tick {}", millis(start), tick.seq),
            Ok(None) => break println!("  end of stream (OK trailers)"),
            Err(status) => {
                break println!(
                    "  t={:>4}ms  {:?}: {}",
                    millis(start),
                    status.code(),
                    status.message()
                );
            }
        }
    }
    service.producers().all_stopped().await;
    println!(
        "  t={:>4}ms  live producers: {}",
        millis(start),
        service.producers().live()
    );
    Ok(())
}

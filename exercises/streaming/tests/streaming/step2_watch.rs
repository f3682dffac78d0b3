//! Step 2: the client goes away (`watch.rs`).

use std::time::Duration;

use streaming::pb::WatchRequest;
use streaming::{Config, Market, TickerService, connect_in_memory};
use tokio::time::Instant;
use tonic::Code;

use crate::{HANG, market, seqs, start, ticking_every, ticks_until_error, within};

fn watch(symbol: &str) -> WatchRequest {
    WatchRequest {
        symbol: symbol.to_owned(),
    }
}

#[tokio::test(start_paused = true)]
async fn a_watch_sends_one_tick_per_interval() {
    let (mut client, _service) = start(ticking_every(Duration::from_millis(100))).await;
    let start = Instant::now();
    let mut ticks = client
        .watch(watch("GLOBEX"))
        .await
        .expect("GLOBEX is listed, so the watch starts")
        .into_inner();
    let mut arrivals = Vec::new();
    for _ in 0..3 {
        let tick = within(ticks.message(), "the next tick of a watch")
            .await
            .expect("a watch of GLOBEX never fails")
            .expect("a watch does not end while the client listens");
        arrivals.push((tick.seq, start.elapsed()));
    }
    let ms = Duration::from_millis;
    assert_eq!(
        arrivals,
        [(0, ms(0)), (1, ms(100)), (2, ms(200))],
        "the first tick should come at once and the next one every 100ms"
    );
}

#[tokio::test(start_paused = true)]
async fn an_unknown_symbol_is_refused_before_the_watch_starts() {
    let (mut client, _service) = start(Config::default()).await;
    let status = client
        .watch(watch("NOPE"))
        .await
        .expect_err("a watch of an unlisted symbol should be refused, not streamed");
    assert_eq!(
        status.code(),
        Code::NotFound,
        "an unknown symbol is NotFound: {status:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn one_producer_runs_while_a_watch_is_open() {
    let (mut client, service) = start(ticking_every(Duration::from_millis(100))).await;
    let mut ticks = client
        .watch(watch("ACME"))
        .await
        .expect("ACME is listed, so the watch starts")
        .into_inner();
    within(ticks.message(), "the first tick of a watch")
        .await
        .expect("a watch of ACME never fails")
        .expect("the first tick comes at once");
    assert_eq!(
        service.producers().live(),
        1,
        "the producer task should hold a ProducerGuard (Producers::enter) while it runs"
    );
}

#[tokio::test(start_paused = true)]
async fn the_producer_stops_before_its_next_tick_when_the_client_leaves() {
    // One tick a minute: a producer that only notices the client in `send`
    // would live on for a minute.
    let (mut client, service) = start(ticking_every(Duration::from_secs(60))).await;
    let mut ticks = client
        .watch(watch("ACME"))
        .await
        .expect("ACME is listed, so the watch starts")
        .into_inner();
    within(ticks.message(), "the first tick of a watch")
        .await
        .expect("a watch of ACME never fails")
        .expect("the first tick comes at once");
    let left = Instant::now();
    // The client goes away: dropping the response stream resets the HTTP/2
    // stream, and tonic drops the server's end of it.
    drop(ticks);
    tokio::time::timeout(HANG, service.producers().all_stopped())
        .await
        .expect("the producer should stop once its client is gone");
    assert!(
        left.elapsed() < Duration::from_secs(60),
        "the producer should stop as soon as the client leaves, not at its next \
         tick (it took {:?}): wait for `tx.closed()` as well as the interval",
        left.elapsed()
    );
}

/// Sixteen clients watch at once on a two-thread runtime (so that the
/// producers, tonic and the test really run in parallel, which
/// ThreadSanitizer checks), read one tick each and leave. Real time here: a
/// paused clock needs a single-threaded runtime.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_producer_outlives_its_client() {
    let service = TickerService::new(market(), ticking_every(Duration::from_secs(60)));
    let client = connect_in_memory(service.clone())
        .await
        .expect("the in-memory connection opens");
    let mut watchers = tokio::task::JoinSet::new();
    for _ in 0..16 {
        let mut client = client.clone();
        watchers.spawn(async move {
            let mut ticks = client
                .watch(watch("ACME"))
                .await
                .expect("ACME is listed, so the watch starts")
                .into_inner();
            ticks
                .message()
                .await
                .expect("a watch of ACME never fails")
                .expect("the first tick comes at once");
        });
    }
    // Real time, so a real-time limit: each watcher gets its first tick at
    // once, and a producer that waits an interval before its first tick
    // would make this test take a minute.
    let joined = tokio::time::timeout(Duration::from_secs(30), async {
        while let Some(joined) = watchers.join_next().await {
            joined.expect("a watcher panicked");
        }
    })
    .await;
    assert!(
        joined.is_ok(),
        "16 watchers should each get their first tick at once, not within 30 seconds"
    );
    // A real-time guard against a hang, not the thing measured: the ticks
    // are a minute apart, so only `tx.closed()` stops the producers in time.
    tokio::time::timeout(Duration::from_secs(30), service.producers().all_stopped())
        .await
        .expect("all 16 producers should stop once their clients are gone");
    assert_eq!(service.producers().live(), 0, "no producer should be left");
}

#[tokio::test(start_paused = true)]
async fn a_halt_reaches_the_client_after_the_ticks_sent_before_it() {
    let (mut client, service) = start(ticking_every(Duration::from_millis(10))).await;
    let mut ticks = client
        .watch(watch("HALT"))
        .await
        .expect("HALT is listed, so the watch starts")
        .into_inner();
    let (received, status) = ticks_until_error(&mut ticks, "a halt").await;
    assert_eq!(
        seqs(&received),
        [0, 1, 2],
        "the three ticks before the halt should all arrive, before the error"
    );
    assert_eq!(
        status.code(),
        Code::Unavailable,
        "a halt ends the stream with Unavailable in the trailers: {status:?}"
    );
    assert!(
        status.message().contains("halted"),
        "the status should say that trading halted: {status:?}"
    );
    tokio::time::timeout(HANG, service.producers().all_stopped())
        .await
        .expect("the producer should stop after sending the halt");
}

#[tokio::test(start_paused = true)]
async fn a_market_with_no_watch_has_no_producer() {
    // The count starts at zero: a guard is taken per watch, not per service.
    let service = TickerService::new(Market::new(), Config::default());
    let mut client = connect_in_memory(service.clone())
        .await
        .expect("the in-memory connection opens");
    let status = client
        .watch(watch("ACME"))
        .await
        .expect_err("nothing is listed in an empty market");
    assert_eq!(
        status.code(),
        Code::NotFound,
        "an unknown symbol is NotFound"
    );
    assert_eq!(
        service.producers().live(),
        0,
        "a refused watch should not start (or count) a producer"
    );
}

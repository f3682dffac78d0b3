//! Step 3: `serve` stops accepting on its shutdown future, refuses what is
//! queued and drains what is in flight (src/serve.rs).

use shutdown::{Request, StopReason, serve};
use tokio::sync::mpsc;
use tokio::time::{Instant, sleep};
use tokio_util::sync::CancellationToken;

use crate::{Pool, alive_tasks, ms};

fn request(id: u32, cost_ms: u64) -> Request {
    Request {
        id,
        cost: ms(cost_ms),
    }
}

/// An incoming queue already holding `requests`. Keep the sender alive while
/// the queue should stay open.
fn incoming(requests: &[Request]) -> (mpsc::Sender<Request>, mpsc::Receiver<Request>) {
    let (sender, receiver) = mpsc::channel(16);
    for request in requests {
        sender.try_send(*request).expect("the queue has room");
    }
    (sender, receiver)
}

/// A handler that serves a request in `cost` and ignores its token: an
/// ordinary request is finished, not interrupted, when the server drains.
async fn plain(request: Request, _token: CancellationToken) {
    sleep(request.cost).await;
}

#[tokio::test(start_paused = true)]
async fn the_server_stops_accepting_when_the_shutdown_future_completes() {
    let (_sender, requests) = incoming(&[]);
    let start = Instant::now();
    let report = serve(requests, plain, sleep(ms(100)), ms(500)).await;
    assert_eq!(
        start.elapsed(),
        ms(100),
        "with nothing in flight, serve returns as soon as the shutdown future completes"
    );
    assert_eq!(report.stopped, StopReason::Cancelled);
    assert!(report.accepted.is_empty(), "no request arrived");
}

#[tokio::test(start_paused = true)]
async fn in_flight_requests_are_drained_before_serve_returns() {
    let (_sender, requests) = incoming(&[request(1, 30), request(2, 80)]);
    let start = Instant::now();
    let report = serve(requests, plain, sleep(ms(50)), ms(500)).await;
    assert_eq!(
        report.accepted,
        [1, 2],
        "both requests were accepted at 0 ms"
    );
    assert_eq!(
        report.drained.finished,
        [1, 2],
        "request 1 ended before the shutdown, request 2 within the grace period"
    );
    assert_eq!(
        start.elapsed(),
        ms(80),
        "the requests run side by side (spawn each, do not await it in the loop), \
         and serve returns when the last one ends"
    );
    assert_eq!(
        report.drained.elapsed,
        ms(30),
        "the drain started at 50 ms and ended at 80 ms"
    );
}

#[tokio::test(start_paused = true)]
async fn a_request_slower_than_the_grace_period_is_aborted_at_the_deadline() {
    let (_sender, requests) = incoming(&[request(1, 30), request(2, 10_000)]);
    let start = Instant::now();
    let report = serve(requests, plain, sleep(ms(50)), ms(200)).await;
    assert_eq!(
        start.elapsed(),
        ms(250),
        "shutdown at 50 ms plus a 200 ms grace period: serve returns at 250 ms exactly"
    );
    assert_eq!(report.drained.finished, [1]);
    assert_eq!(
        report.drained.aborted,
        [2],
        "request 2 needed 10 s: it is aborted"
    );
    assert_eq!(alive_tasks(), 0, "no handler is left running");
}

#[tokio::test(start_paused = true)]
async fn handlers_are_told_to_stop_through_their_token() {
    let (_sender, requests) = incoming(&[request(1, 3_600_000)]);
    // A long-lived stream: it runs until told to stop, then takes 5 ms to
    // say goodbye to its client.
    let streaming = |request: Request, token: CancellationToken| async move {
        tokio::select! {
            () = token.cancelled() => sleep(ms(5)).await,
            () = sleep(request.cost) => {}
        }
    };
    let start = Instant::now();
    let report = serve(requests, streaming, sleep(ms(100)), ms(1_000)).await;
    assert_eq!(
        start.elapsed(),
        ms(105),
        "the stream's token is cancelled at 100 ms and it ends 5 ms later"
    );
    assert_eq!(report.drained.finished, [1], "and it finished, not aborted");
}

#[tokio::test(start_paused = true)]
async fn requests_still_queued_at_shutdown_are_refused_not_lost() {
    // The shutdown future is ready from the start. Sixteen rounds, because
    // without `biased;` `select!` would pick at random between it and a
    // waiting request, and one round could pass by luck.
    for round in 0..16 {
        let (_sender, requests) =
            incoming(&[request(1, 10), request(2, 10), request(3, 10)]);
        let report = serve(requests, plain, std::future::ready(()), ms(100)).await;
        assert!(
            report.accepted.is_empty(),
            "round {round}: once the shutdown future is ready, no request is accepted \
             (poll it first)"
        );
        assert_eq!(
            report.refused,
            [1, 2, 3],
            "round {round}: queued requests are reported as refused, not dropped \
             silently (close the queue, then drain it with try_recv)"
        );
        assert_eq!(report.stopped, StopReason::Cancelled);
    }
}

#[tokio::test(start_paused = true)]
async fn serve_drains_and_returns_when_the_queue_closes() {
    let (sender, requests) = incoming(&[request(1, 40), request(2, 70)]);
    drop(sender);
    let start = Instant::now();
    let report = serve(requests, plain, std::future::pending::<()>(), ms(500)).await;
    assert_eq!(report.stopped, StopReason::SourceClosed);
    assert_eq!(report.drained.finished, [1, 2]);
    assert_eq!(
        start.elapsed(),
        ms(70),
        "the queue closed at once; serve still waits for both requests"
    );
}

#[tokio::test(start_paused = true)]
async fn no_handler_outlives_serve() {
    let pool = Pool::default();
    let (sender, requests) = mpsc::channel(16);
    // Requests arrive every 20 ms: 0, 20, 40, 60, 80 ms. Even ids never end.
    let arrivals = async {
        for id in 1..=5_u32 {
            let cost = if id % 2 == 0 { 3_600_000 } else { 15 };
            if sender.send(request(id, cost)).await.is_err() {
                break;
            }
            sleep(ms(20)).await;
        }
    };
    let handler = |request: Request, _token: CancellationToken| {
        let connection = pool.connect();
        async move {
            let _held = connection;
            sleep(request.cost).await;
        }
    };
    let (report, ()) =
        tokio::join!(serve(requests, handler, sleep(ms(90)), ms(50)), arrivals);
    assert_eq!(report.accepted, [1, 2, 3, 4, 5]);
    assert_eq!(report.drained.finished, [1, 3, 5]);
    assert_eq!(report.drained.aborted, [2, 4]);
    assert_eq!(
        alive_tasks(),
        0,
        "no handler task is alive after serve returns"
    );
    assert_eq!(
        pool.open(),
        0,
        "every connection a handler held is closed by the time serve returns"
    );
}

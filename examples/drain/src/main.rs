//! # Day 73 example: cancelling a worker, then draining a server
//!
//! `cargo run -p drain` runs three scenes on tokio's paused clock, so every
//! time printed is exact and the same on every run:
//!
//! 1. A worker (`run_worker`) is cancelled halfway through a job: it
//!    finishes that job, takes no other, and the jobs it never took are
//!    still in the queue.
//! 2. The rejected alternative: a worker that does the receiving *and* the
//!    processing inside one `select!` branch. The same cancel drops the job
//!    it holds: that job is neither done nor queued.
//! 3. A server (`serve`) takes requests as they arrive; 200 ms in, the
//!    shutdown fires. It refuses newcomers, tells a long-lived stream to
//!    close, lets ordinary requests finish within a 300 ms grace period, and
//!    aborts the one that would take too long. It prints when each thing
//!    happens and the exact time the shutdown ended.
//!
//! `cargo run -p drain -- --until-ctrl-c` runs the server on the real clock
//! instead, with a request every 250 ms, until you press Ctrl-C (or send
//! SIGTERM); then it drains with a 1 s grace period and prints the report.
//! This is the only place the workbook listens for a real signal: the
//! library takes the shutdown as a future, so the tests pass a timer.
//!
//! # Layout
//!
//! `main` picks the mode and builds the runtime; each scene is one function.
//! `InFlight` is a guard a handler holds: if the handler's future is dropped
//! before it finishes (an abort), its destructor says so, which is how
//! cancellation by dropping becomes visible.

use std::error::Error;
use std::time::Duration;

use shutdown::{Job, Request, ServeReport, StopReason, run_worker, serve};
use tokio::sync::mpsc;
use tokio::time::{Instant, sleep};
use tokio_util::sync::CancellationToken;

fn main() -> Result<(), Box<dyn Error>> {
    if std::env::args().any(|arg| arg == "--until-ctrl-c") {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()?;
        return Ok(runtime.block_on(until_ctrl_c())?);
    }
    // The paused clock: sleeps end at once and `Instant::now()` jumps by
    // exactly the delay, so the demo ends by itself, in milliseconds, and
    // prints the same times on every run.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()?;
    runtime.block_on(async {
        worker_cancelled_mid_job().await;
        naive_worker_loses_a_job().await;
        server_drains_on_shutdown().await;
    });
    Ok(())
}

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// `t= 250 ms`: the time since `start`, aligned.
fn at(start: Instant) -> String {
    format!("t={:>4} ms", start.elapsed().as_millis())
}

fn five_jobs() -> (mpsc::Sender<Job>, mpsc::Receiver<Job>) {
    let (sender, receiver) = mpsc::channel(8);
    for id in 1..=5 {
        let job = Job { id, cost: ms(100) };
        sender
            .try_send(job)
            .expect("the queue has room for five jobs");
    }
    (sender, receiver)
}

fn queued_ids(jobs: &mut mpsc::Receiver<Job>) -> Vec<u32> {
    std::iter::from_fn(|| jobs.try_recv().ok())
        .map(|job| job.id)
        .collect()
}

async fn worker_cancelled_mid_job() {
    println!("== 1. a worker cancelled in the middle of a job");
    let start = Instant::now();
    let (_sender, mut jobs) = five_jobs();
    let token = CancellationToken::new();
    println!("{}  five jobs queued, 100 ms each", at(start));
    let cancel = async {
        sleep(ms(250)).await;
        println!("{}  cancel (job 3 is half done)", at(start));
        token.cancel();
    };
    let (report, ()) = tokio::join!(run_worker(&mut jobs, &token), cancel);
    println!(
        "{}  the worker stopped ({:?}): done {:?}",
        at(start),
        report.stopped,
        report.done
    );
    println!(
        "           still queued, not lost: {:?}",
        queued_ids(&mut jobs)
    );
}

/// The rejected alternative: receiving and processing in one `select!`
/// branch. When the cancel wins, the whole `async` block is dropped, with
/// the job it had already taken off the queue.
async fn naive_worker(
    jobs: &mut mpsc::Receiver<Job>,
    token: &CancellationToken,
) -> Vec<u32> {
    let mut done = Vec::new();
    loop {
        tokio::select! {
            biased;
            () = token.cancelled() => return done,
            finished = async {
                let job = jobs.recv().await?;
                sleep(job.cost).await; // a cancel here drops `job`
                Some(job.id)
            } => match finished {
                Some(id) => done.push(id),
                None => return done,
            },
        }
    }
}

async fn naive_worker_loses_a_job() {
    println!("\n== 2. the same cancel, with the processing inside the select!");
    let start = Instant::now();
    let (_sender, mut jobs) = five_jobs();
    let token = CancellationToken::new();
    let cancel = async {
        sleep(ms(250)).await;
        token.cancel();
    };
    let (done, ()) = tokio::join!(naive_worker(&mut jobs, &token), cancel);
    let queued = queued_ids(&mut jobs);
    println!("{}  the naive worker stopped: done {done:?}", at(start));
    println!("           still queued: {queued:?}");
    let lost: Vec<u32> = (1..=5)
        .filter(|id| !done.contains(id) && !queued.contains(id))
        .collect();
    println!("           lost, neither done nor queued: {lost:?}");
}

/// Held by a handler while it works. Dropped without `finish`, it means the
/// handler's future was dropped mid-flight: the handler was aborted.
struct InFlight {
    id: u32,
    start: Instant,
    finished: bool,
}

impl InFlight {
    fn finish(mut self, what: &str) {
        self.finished = true;
        println!("{}  request {} {what}", at(self.start), self.id);
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        if !self.finished {
            println!(
                "{}  request {} dropped mid-flight (aborted)",
                at(self.start),
                self.id
            );
        }
    }
}

/// Request 3 is a long-lived stream: it runs until its token is cancelled,
/// then takes 10 ms to close. The others are ordinary requests, which
/// ignore the token: a drain lets them finish, up to the deadline.
const STREAM: u32 = 3;

async fn server_drains_on_shutdown() {
    println!("\n== 3. a server that drains on shutdown (grace period 300 ms)");
    let start = Instant::now();
    let (sender, incoming) = mpsc::channel(8);
    // (arrives at, cost): none arrives at 200 ms, the moment of the shutdown.
    let arrivals = [
        (0, 120),
        (45, 400),
        (90, 3_600_000),
        (135, 1_000),
        (180, 60),
    ]
    .into_iter()
    .chain([(225, 50), (270, 50)]);
    let clients = async move {
        for (id, (arrives, cost)) in (1..).zip(arrivals) {
            tokio::time::sleep_until(start + ms(arrives)).await;
            let request = Request { id, cost: ms(cost) };
            if sender.send(request).await.is_err() {
                println!("{}  request {id} refused: the server is closed", at(start));
            }
        }
    };
    let handler = move |request: Request, token: CancellationToken| async move {
        let guard = InFlight {
            id: request.id,
            start,
            finished: false,
        };
        println!("{}  request {} started", at(start), request.id);
        if request.id == STREAM {
            tokio::select! {
                () = token.cancelled() => sleep(ms(10)).await,
                () = sleep(request.cost) => {}
            }
            guard.finish("(stream) closed after the cancel");
        } else {
            sleep(request.cost).await;
            guard.finish("done");
        }
    };
    let trigger = async {
        sleep(ms(200)).await;
        println!(
            "{}  shutdown: stop accepting, cancel the handlers, drain",
            at(start)
        );
    };
    let (report, ()) = tokio::join!(serve(incoming, handler, trigger, ms(300)), clients);
    print_report(&report);
    // `join!` also waited for the clients, who were done at 270 ms: serve
    // returning is what ended it.
    println!("{}  the server is down", at(start));
}

fn print_report(report: &ServeReport) {
    let why = match report.stopped {
        StopReason::Cancelled => "the shutdown fired",
        StopReason::SourceClosed => "the queue closed",
    };
    println!("report ({why}):");
    println!("  accepted: {:?}", report.accepted);
    println!("  refused from the queue: {:?}", report.refused);
    println!("  finished: {:?}", report.drained.finished);
    println!("  aborted:  {:?}", report.drained.aborted);
    println!("  panicked: {:?}", report.drained.panicked);
    println!("  the drain took {} ms", report.drained.elapsed.as_millis());
    println!("  clean shutdown: {}", report.drained.is_clean());
}

/// The real thing: a request every 250 ms until Ctrl-C or SIGTERM.
async fn until_ctrl_c() -> std::io::Result<()> {
    // Install the SIGTERM handler before serving: a SIGTERM that arrived
    // before it existed would still kill the process the default way.
    #[cfg(unix)]
    let mut terminate =
        tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
    // SIGTERM is what an orchestrator (Kubernetes, systemd) sends before it
    // kills; Ctrl-C sends SIGINT. Either starts the drain.
    let shutdown = async move {
        #[cfg(unix)]
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = terminate.recv() => {}
        }
        #[cfg(not(unix))]
        let _ = tokio::signal::ctrl_c().await;
        println!("signal received: draining for up to 1 s");
    };
    let start = Instant::now();
    let (sender, incoming) = mpsc::channel(8);
    let clients = tokio::spawn(async move {
        let costs = [300, 900, 3_000, 60_000];
        for (id, cost) in (1..).zip(costs.into_iter().cycle()) {
            let request = Request { id, cost: ms(cost) };
            if sender.send(request).await.is_err() {
                break;
            }
            sleep(ms(250)).await;
        }
    });
    let handler = move |request: Request, _token: CancellationToken| async move {
        let guard = InFlight {
            id: request.id,
            start,
            finished: false,
        };
        sleep(request.cost).await;
        guard.finish("done");
    };
    println!("serving a request every 250 ms; press Ctrl-C (or send SIGTERM) to stop");
    let report = serve(incoming, handler, shutdown, ms(1_000)).await;
    // Counts rather than lists: after a few minutes the lists run long.
    let drained = &report.drained;
    println!(
        "accepted {}, refused {}, finished {}, panicked {}, aborted {:?}",
        report.accepted.len(),
        report.refused.len(),
        drained.finished.len(),
        drained.panicked.len(),
        drained.aborted
    );
    println!("the drain took {} ms", drained.elapsed.as_millis());
    // The clients stop at their next send, which fails now that the queue
    // is closed; wait for that so nothing is left running.
    clients.await?;
    println!("{}  the server is down", at(start));
    Ok(())
}

//! Step 3: a server loop that stops accepting when its shutdown future
//! completes, then drains the requests in flight.

use std::pin::pin;
use std::time::Duration;

use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use crate::supervisor::{ShutdownReport, Supervisor};
use crate::worker::StopReason;

/// One incoming request, standing in for an accepted connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Request {
    /// Which request this is, for the report.
    pub id: u32,
    /// How long the handler should take to serve it.
    pub cost: Duration,
}

/// What [`serve`] did, from the first request to the last task gone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServeReport {
    /// Why it stopped accepting: `Cancelled` if the shutdown future
    /// completed, `SourceClosed` if the incoming queue did.
    pub stopped: StopReason,
    /// The ids of the requests it accepted and handed to a handler, in order.
    pub accepted: Vec<u32>,
    /// The ids of requests that were still queued when it stopped
    /// accepting. They were never started, and are reported rather than
    /// silently dropped, so the caller can tell their clients to retry.
    pub refused: Vec<u32>,
    /// How each accepted request's handler ended, keyed by request id.
    pub drained: ShutdownReport<u32>,
}

/// Accepts requests from `incoming` and runs `handler(request, token)` for
/// each in its own task, until `shutdown` completes or `incoming` closes.
/// Then it stops accepting, cancels every handler's token, gives the
/// handlers up to `grace` to return, aborts the rest, and returns once no
/// handler is left running.
///
/// The caller chooses the shutdown: `tokio::signal::ctrl_c()` in a binary,
/// a timer or a `oneshot` in a test. That is what makes the shutdown path
/// testable at all (mini-redis's `server::run(listener, shutdown)` has the
/// same shape). The output of `shutdown` is ignored.
///
/// # Panics
///
/// Outside a tokio runtime.
pub async fn serve<H, Fut>(
    mut incoming: mpsc::Receiver<Request>,
    handler: H,
    shutdown: impl Future,
    grace: Duration,
) -> ServeReport
where
    H: Fn(Request, CancellationToken) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let mut handlers = Supervisor::new();
    let mut accepted = Vec::new();
    // `select!` polls the future through `&mut`, on every turn of the loop,
    // so it must be pinned once out here. Writing `shutdown` itself in the
    // branch would move it into the first `select!` and drop it there.
    let mut shutdown = pin!(shutdown);
    let stopped = loop {
        tokio::select! {
            // The shutdown first: when it has fired, no request waiting in
            // the queue is accepted any more.
            biased;
            _ = &mut shutdown => break StopReason::Cancelled,
            next = incoming.recv() => match next {
                Some(request) => {
                    accepted.push(request.id);
                    // Spawned, not awaited here: awaiting would serve one
                    // request at a time and leave the shutdown future
                    // unpolled meanwhile.
                    handlers.spawn(request.id, |token| handler(request, token));
                }
                None => break StopReason::SourceClosed,
            },
        }
    };
    // Stop accepting. `close` makes every later `send` fail at once, as a
    // closed listening socket refuses connections, while what is already
    // queued can still be received: so report it instead of dropping it.
    incoming.close();
    let mut refused = Vec::new();
    while let Ok(request) = incoming.try_recv() {
        refused.push(request.id);
    }
    let drained = handlers.shutdown(grace).await;
    ServeReport {
        stopped,
        accepted,
        refused,
        drained,
    }
}

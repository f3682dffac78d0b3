//! Step 3: the drop guard that records a call however it ends.
//!
//! A future that is dropped stops where it is: a timeout around it, a
//! client that hangs up (hyper drops the call's future) or a `select!` that
//! picks another branch never lets the code after its `.await` run. A value
//! it owns is dropped, though, and `Drop` runs. So the recording goes in
//! `Drop`, and a call that nobody finished is counted as `cancelled`.

use std::sync::Arc;

use tokio::time::Instant;

use crate::{Code, RedMetrics, RequestLabels};

/// One call being measured: `requests_in_flight` goes up when the guard is
/// made and down when it is dropped, and the drop records the call's code
/// and duration. [`CallGuard::finish`] sets the code; a guard dropped
/// without it records [`Code::CANCELLED`].
#[derive(Debug)]
#[must_use = "a guard dropped at once records a cancelled call of zero duration"]
pub struct CallGuard {
    metrics: RedMetrics,
    method: Arc<str>,
    // `tokio::time::Instant`, not `std::time::Instant`: it follows tokio's
    // paused clock, so a test (or the example) measures exact durations
    // without waiting. In a normal runtime the two read the same clock.
    start: Instant,
    code: Option<Code>,
}

impl CallGuard {
    /// Starts measuring a call to `path`: one more call in flight, and the
    /// clock starts now.
    pub fn start(metrics: &RedMetrics, path: &str) -> Self {
        metrics.in_flight().inc();
        Self {
            metrics: metrics.clone(),
            method: metrics.method(path),
            start: Instant::now(),
            code: None,
        }
    }

    /// Ends the call with `code`, recording it now.
    pub fn finish(mut self, code: Code) {
        // Only set the code: `self` is dropped at the end of this function,
        // and `Drop` records. Recording here as well would count the call
        // twice; one place records, whichever way the call ends.
        self.code = Some(code);
    }
}

impl Drop for CallGuard {
    fn drop(&mut self) {
        // `take`: a code left unset means nobody called `finish`, so the
        // future was dropped before its inner call completed.
        let code = self.code.take().unwrap_or(Code::CANCELLED);
        let labels = RequestLabels::new(self.method.clone(), code);
        self.metrics.record(&labels, self.start.elapsed());
        // Last, so that a scrape that sees the gauge back at zero also sees
        // the call counted.
        self.metrics.in_flight().dec();
    }
}

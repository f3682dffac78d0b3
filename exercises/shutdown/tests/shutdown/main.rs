//! Tests for the `shutdown` exercise, one module per step: `step1_worker`
//! (`run_worker`, src/worker.rs), `step2_supervisor` (`Supervisor`,
//! src/supervisor.rs) and `step3_serve` (`serve`, src/serve.rs). Run them
//! with `cargo test -p shutdown`; one step only with
//! `cargo test -p shutdown step1`.
//!
//! Every test runs on tokio's paused clock (`start_paused = true`): when all
//! tasks wait on timers, time jumps straight to the next one, so a test can
//! assert that a shutdown took *exactly* its grace period, in no real time.

mod step1_worker;
mod step2_supervisor;
mod step3_serve;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// How many spawned tasks are alive in the test's runtime: spawned, and
/// their future not yet dropped. `num_alive_tasks` is a stable tokio metric.
/// The paused-clock test runtime has a single thread, so once the code under
/// test returns, the count is exact.
fn alive_tasks() -> usize {
    tokio::runtime::Handle::current()
        .metrics()
        .num_alive_tasks()
}

/// Hands out [`Connection`]s and counts those still open: a task that holds
/// one has really ended once the count says so, because the connection is
/// closed only when the task's future is dropped.
#[derive(Debug, Clone, Default)]
struct Pool {
    open: Arc<AtomicUsize>,
}

impl Pool {
    fn connect(&self) -> Connection {
        self.open.fetch_add(1, Ordering::SeqCst);
        Connection(Arc::clone(&self.open))
    }

    fn open(&self) -> usize {
        self.open.load(Ordering::SeqCst)
    }
}

/// A resource held by a task; dropping it closes it.
#[derive(Debug)]
struct Connection(Arc<AtomicUsize>);

impl Drop for Connection {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

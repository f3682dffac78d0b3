//! Tests for the `worker-pool` exercise, one module per step:
//! `step1_pool` (`WorkerPool`, src/pool.rs), `step2_pipeline`
//! (`run_pipeline`, src/pipeline.rs) and `step3_bounded` (`bounded_map`,
//! src/bounded.rs). Run them with `cargo test -p worker-pool`; one step only
//! with `cargo test -p worker-pool step1`.
//!
//! The timed tests run on tokio's paused clock: when every task is waiting
//! on a timer, time jumps to the next deadline, so a run's length is exact
//! and costs no real time. A deadlock would leave every task waiting with
//! no timer at all; [`within`] adds one, so a deadlock fails the test after
//! a virtual minute instead of hanging it.

mod step1_pool;
mod step2_pipeline;
mod step3_bounded;

use std::num::NonZeroUsize;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

fn nz(n: usize) -> NonZeroUsize {
    NonZeroUsize::new(n).expect("not zero")
}

/// Awaits `future`, failing the test if it takes more than a (virtual)
/// minute: on a paused clock, that is what a deadlock looks like.
async fn within<T>(future: impl Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(60), future)
        .await
        .expect("still waiting after a minute of virtual time: a deadlock?")
}

/// Counts the jobs in flight and remembers the most there ever were.
#[derive(Debug, Clone, Default)]
struct Gauge {
    now: Arc<AtomicUsize>,
    high: Arc<AtomicUsize>,
}

impl Gauge {
    /// One more in flight until the returned guard is dropped.
    fn enter(&self) -> GaugeGuard {
        let now = self.now.fetch_add(1, Ordering::SeqCst) + 1;
        self.high.fetch_max(now, Ordering::SeqCst);
        GaugeGuard(Arc::clone(&self.now))
    }

    /// The high-water mark.
    fn high(&self) -> usize {
        self.high.load(Ordering::SeqCst)
    }
}

struct GaugeGuard(Arc<AtomicUsize>);

impl Drop for GaugeGuard {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

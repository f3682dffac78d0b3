//! A count of the producer tasks alive. Given, not a step: it is the
//! instrument steps 2, 4 and 5 are measured with.
//!
//! A producer task takes a [`ProducerGuard`] when it starts and keeps it
//! until it ends. The guard gives its place back in `Drop`, so the count is
//! right however the task ends: it returned, it panicked, or it was aborted.
//! (Rejected: a `decrement()` call at the end of the task body, which a
//! panic or an `abort()` skips, so the count only ever grows.)

use tokio::sync::watch;

/// How many producer tasks are running. Clones share the count.
#[derive(Debug, Clone)]
pub struct Producers {
    // A watch channel, not a bare atomic: `all_stopped` can then wait for
    // the count to reach 0 instead of polling it.
    live: watch::Sender<usize>,
}

impl Default for Producers {
    fn default() -> Self {
        Self {
            live: watch::Sender::new(0),
        }
    }
}

impl Producers {
    /// A count at zero.
    pub fn new() -> Self {
        Self::default()
    }

    /// Counts one more producer until the guard is dropped.
    pub fn enter(&self) -> ProducerGuard {
        self.live.send_modify(|n| *n += 1);
        ProducerGuard {
            live: self.live.clone(),
        }
    }

    /// The producers alive now.
    pub fn live(&self) -> usize {
        *self.live.borrow()
    }

    /// Waits until no producer is alive.
    pub async fn all_stopped(&self) {
        let mut rx = self.live.subscribe();
        // The sender lives in `self`, so the channel cannot close.
        let _ = rx.wait_for(|n| *n == 0).await;
    }
}

/// One live producer: hold it for as long as the task runs.
#[derive(Debug)]
pub struct ProducerGuard {
    live: watch::Sender<usize>,
}

impl Drop for ProducerGuard {
    fn drop(&mut self) {
        self.live.send_modify(|n| *n -= 1);
    }
}

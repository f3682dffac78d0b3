//! Tests for the `sync-toolbox` exercise, one module per step:
//! `step1_wait_group` (src/wait_group.rs), `step2_pool` (src/pool.rs) and
//! `step3_registry` (src/registry.rs). Run them with
//! `cargo test -p sync-toolbox`; one step only with
//! `cargo test -p sync-toolbox step1`.
//!
//! They use real threads and never sleep to arrange an order: a thread
//! that must wait for another waits on something (a join, a `Barrier`, the
//! code under test). The only timeouts that expire are the few
//! milliseconds the timeout tests ask for.

mod step1_wait_group;
mod step2_pool;
mod step3_registry;

use std::time::Duration;

/// Long enough never to expire in a passing run; only a wrong solution
/// (a lost wakeup) waits this long, and then fails instead of hanging.
const GENEROUS: Duration = Duration::from_secs(10);

/// A thread woken by a notification returns within microseconds; one that
/// took this long was not woken at all, but gave up at its `GENEROUS`
/// timeout, and only then found the work done. Tests that wait for a
/// wakeup check that it came sooner than this.
const PROMPTLY: Duration = Duration::from_secs(5);

/// Runs `f` on a thread of its own and says whether it panicked. Some tests
/// make a thread panic on purpose: the "thread panicked" lines they print
/// are expected.
fn panics_on_a_thread(f: impl FnOnce() + Send) -> bool {
    std::thread::scope(|scope| scope.spawn(f).join().is_err())
}

//! Step 3: a semaphore caps the work in flight.

use std::num::NonZeroUsize;
use std::sync::Arc;

use tokio::sync::Semaphore;
use tokio::task::JoinSet;

/// Runs `f(input)` for every input, each in its own task, never more than
/// `limit` at once, and returns the results in input order.
///
/// `f` is called only once a slot is free, so at most `limit` of its
/// futures exist at any moment, not just `limit` running.
///
/// # Panics
///
/// If a job panics, the panic is raised again here once every input has
/// been started; the jobs still running are then aborted.
pub async fn bounded_map<I, T, R, F, Fut>(
    inputs: I,
    limit: NonZeroUsize,
    mut f: F,
) -> Vec<R>
where
    I: IntoIterator<Item = T>,
    F: FnMut(T) -> Fut,
    Fut: Future<Output = R> + Send + 'static,
    R: Send + 'static,
{
    // TODO: an `Arc<Semaphore>` with `limit` permits. For each input, FIRST
    // `Arc::clone(&slots).acquire_owned().await` (this is what makes the
    // loop wait), THEN call `f(input)` and spawn a task into a `JoinSet` that
    // owns the permit, awaits the job and returns `(index, result)`. Then
    // `join_next` until the set is empty, putting each result in its slot;
    // a panic (`Err`) is raised again with `std::panic::resume_unwind`.
    todo!("bounded_map: acquire a permit, then spawn; results in input order")
}

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
    let slots = Arc::new(Semaphore::new(limit.get()));
    let mut tasks = JoinSet::new();
    let mut count = 0;
    for (index, input) in inputs.into_iter().enumerate() {
        // Acquire before spawning, and before calling `f`: the loop itself
        // waits for a free slot, so no more than `limit` tasks (and their
        // inputs and futures) ever exist. The rejected version spawns every
        // task at once and acquires inside the task: the work in flight is
        // still capped, but a million inputs are a million tasks parked on
        // the semaphore, all in memory. Unbounded spawning is a queue too.
        //
        // `acquire_owned` on an `Arc<Semaphore>` gives an `OwnedSemaphorePermit`
        // with no borrow of the semaphore, so it can move into a `'static`
        // task; `acquire` gives a permit borrowing `slots`, which cannot.
        let permit = Arc::clone(&slots)
            .acquire_owned()
            .await
            .expect("the semaphore is never closed");
        let job = f(input);
        tasks.spawn(async move {
            let result = job.await;
            // Dropping the permit frees the slot. It is dropped on a panic
            // too (unwinding drops the task's future), so a panicking job
            // cannot leak a slot.
            drop(permit);
            (index, result)
        });
        count = index + 1;
    }
    // Fan-in: results arrive in completion order; each goes to its slot.
    let mut results: Vec<Option<R>> = (0..count).map(|_| None).collect();
    while let Some(joined) = tasks.join_next().await {
        match joined {
            Ok((index, result)) => results[index] = Some(result),
            // Returning here drops `tasks`, which aborts the jobs left.
            Err(error) => std::panic::resume_unwind(error.into_panic()),
        }
    }
    results
        .into_iter()
        .map(|result| result.expect("every task was joined"))
        .collect()
}

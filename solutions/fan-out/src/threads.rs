//! Step 1: fan-out over scoped threads.

use std::num::NonZeroUsize;

/// `f` applied to every item, on at most `workers` threads, results in the
/// items' order.
///
/// The slice is cut into `workers` contiguous chunks, one thread each
/// (fewer if there are fewer items). Contiguous chunks, not "every
/// `workers`-th item", so each thread's results are already in order and
/// fan-in is a concatenation.
///
/// # Panics
///
/// If `f` panics, the panic is re-raised here once every thread has
/// finished (that is what `std::thread::scope` does).
pub fn parallel_map<T, R>(
    items: &[T],
    workers: NonZeroUsize,
    f: impl Fn(&T) -> R + Sync,
) -> Vec<R>
where
    T: Sync,
    R: Send,
{
    if items.is_empty() {
        return Vec::new();
    }
    // Ceiling division: 10 items on 4 workers is chunks of 3, 3, 3, 1.
    let chunk = items.len().div_ceil(workers.get());
    // `std::thread::scope` rather than `std::thread::spawn`: spawned
    // threads must be `'static`, so they could not borrow `items` or `f`,
    // and we would be cloning the data into an `Arc`. The scope guarantees
    // every thread is joined before `items` can go away.
    std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|part| scope.spawn(|| part.iter().map(&f).collect::<Vec<R>>()))
            .collect();
        // Fan-in: join in spawn order, so the output keeps the input order
        // whatever order the threads finish in.
        handles
            .into_iter()
            .flat_map(|handle| match handle.join() {
                Ok(results) => results,
                Err(panic) => std::panic::resume_unwind(panic),
            })
            .collect()
    })
}

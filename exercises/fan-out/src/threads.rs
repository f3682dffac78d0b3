//! Step 1: fan-out over scoped threads.

use std::num::NonZeroUsize;

/// `f` applied to every item, on at most `workers` threads, results in the
/// items' order.
///
/// # Panics
///
/// If `f` panics, the panic is re-raised here once every thread has
/// finished.
pub fn parallel_map<T, R>(
    items: &[T],
    workers: NonZeroUsize,
    f: impl Fn(&T) -> R + Sync,
) -> Vec<R>
where
    T: Sync,
    R: Send,
{
    // TODO: cut `items` into at most `workers` contiguous chunks, map each
    // chunk on its own thread inside `std::thread::scope` (scoped threads may
    // borrow `items` and `f`; `std::thread::spawn` would demand 'static),
    // then join the threads in spawn order and concatenate their results.
    todo!("parallel_map: scoped threads, results in input order")
}

//! Step 2: fan-out over tokio tasks, with a `JoinSet`.

use std::collections::HashMap;

use tokio::task::JoinSet;

/// Why one input of [`run_all`] has no result.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TaskError {
    /// Its task panicked; the message is the panic's, if it was a string.
    #[error("task {index} panicked: {message}")]
    Panicked {
        /// The input's position.
        index: usize,
        /// The panic message.
        message: String,
    },
    /// Its task was cancelled before it finished.
    #[error("task {index} was cancelled")]
    Cancelled {
        /// The input's position.
        index: usize,
    },
}

/// Runs `task(input)` for every input, each in its own tokio task, all at
/// once, and returns their results in input order. A task that panics
/// becomes `Err(TaskError::Panicked)` for its input; the others still
/// finish.
///
/// Must be called inside a tokio runtime.
pub async fn run_all<T, R, F, Fut>(inputs: Vec<T>, task: F) -> Vec<Result<R, TaskError>>
where
    F: Fn(T) -> Fut,
    Fut: Future<Output = R> + Send + 'static,
    R: Send + 'static,
{
    // TODO: spawn `task(input)` for each input into a JoinSet, remembering
    // which task id ran which index (a panicking task has no return value to
    // carry its index). Then `join_next_with_id()` until the set is empty,
    // putting each result, or its TaskError, into the input's slot.
    todo!("run_all: a JoinSet, results in input order, panics as errors")
}

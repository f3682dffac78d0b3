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
    let count = inputs.len();
    let mut set = JoinSet::new();
    // A panicking task's JoinError carries its task id, not our index, so
    // remember which id ran which input. (The rejected alternative, having
    // each task return `(index, result)`, loses the index exactly when the
    // task panics: there is no return value then.)
    let mut index_of = HashMap::with_capacity(count);
    for (index, input) in inputs.into_iter().enumerate() {
        // `spawn` requires `'static + Send`: the task may outlive this
        // function's stack frame and run on another worker thread, so it must
        // own everything it uses. Here it owns the future `task` returned.
        let handle = set.spawn(task(input));
        index_of.insert(handle.id(), index);
    }
    let mut results: Vec<Option<Result<R, TaskError>>> =
        (0..count).map(|_| None).collect();
    // Fan-in in completion order; each result goes to its input's slot.
    while let Some(joined) = set.join_next_with_id().await {
        let (id, result) = match joined {
            Ok((id, value)) => (id, Ok(value)),
            Err(error) => {
                let id = error.id();
                let index = index_of[&id];
                let result = if error.is_panic() {
                    Err(TaskError::Panicked {
                        index,
                        message: panic_message(error.into_panic()),
                    })
                } else {
                    Err(TaskError::Cancelled { index })
                };
                (id, result)
            }
        };
        results[index_of[&id]] = Some(result);
    }
    results
        .into_iter()
        .enumerate()
        .map(|(index, result)| result.unwrap_or(Err(TaskError::Cancelled { index })))
        .collect()
}

/// A panic payload as text: `panic!("...")` carries a `&str` or a `String`.
fn panic_message(payload: Box<dyn std::any::Any + Send>) -> String {
    match payload.downcast::<String>() {
        Ok(text) => *text,
        Err(payload) => payload.downcast_ref::<&str>().map_or_else(
            || "a non-string panic".to_owned(),
            |text| (*text).to_owned(),
        ),
    }
}

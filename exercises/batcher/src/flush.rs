//! Step 4: request and response over a `oneshot` channel.

use tokio::sync::oneshot;

use crate::batcher::{Actor, Batcher, Message};

/// The batcher has stopped: its consumer has gone, or its task has ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the batcher has stopped")]
pub struct Stopped;

impl<T> Batcher<T> {
    /// Asks the batcher to send its partial batch now, and returns how many
    /// items that batch held (0 if it was empty: no batch is sent then).
    ///
    /// Every item sent through any handle before this call is in that batch
    /// or an earlier one, because items and flushes share one channel.
    ///
    /// # Errors
    ///
    /// [`Stopped`] if the batcher has stopped, whether before taking the
    /// request or before answering it.
    pub async fn flush(&self) -> Result<usize, Stopped> {
        // TODO: make a `oneshot::channel()`, send `Message::Flush(reply)` on
        // `self.sender`, then await the answer. Either step can fail because
        // the actor has stopped: both are `Err(Stopped)`.
        todo!("Batcher::flush: a request carrying its oneshot reply channel")
    }
}

impl<T> Actor<T> {
    /// The actor's side of a flush: deliver the batch in hand, then answer.
    ///
    /// # Errors
    ///
    /// [`Stopped`] if `output`'s receiver has gone; `reply` is dropped
    /// unanswered, which the caller sees as `Stopped` too.
    pub(crate) async fn answer_flush(
        &mut self,
        reply: oneshot::Sender<usize>,
    ) -> Result<(), Stopped> {
        // TODO: deliver the batch in hand (`self.deliver()`), then send its
        // size on `reply`. That send fails if the caller stopped waiting:
        // ignore the failure, the actor has other callers to serve.
        todo!("Actor::answer_flush: deliver, then answer on the oneshot")
    }
}

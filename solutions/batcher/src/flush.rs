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
        // The request carries its own reply channel: a `oneshot` holds one
        // value, and its sender is consumed by `send`, so the actor cannot
        // answer twice. The rejected alternative, one shared reply channel
        // for all handles, would need to match answers to questions.
        let (reply, answer) = oneshot::channel();
        // Err: the actor's receiver is gone, the request was not taken.
        self.sender
            .send(Message::Flush(reply))
            .await
            .map_err(|_| Stopped)?;
        // Err(RecvError): the actor dropped `reply` without answering. It
        // stopped while the request sat in its channel, or while it was
        // sending the batch. Either way, a typed error, not a panic and not
        // a wait forever.
        answer.await.map_err(|_| Stopped)
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
        let count = self.deliver().await?;
        // `send` fails if the caller stopped waiting (its `flush` future was
        // dropped, by a timeout say). That is the caller's business: the
        // actor serves everyone else, so it must not `unwrap` here.
        let _ = reply.send(count);
        Ok(())
    }
}

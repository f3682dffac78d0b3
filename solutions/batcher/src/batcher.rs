//! Step 3: a batching actor on a bounded tokio channel.

use std::num::NonZeroUsize;
use std::time::Duration;

use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;
use tokio::time::{Instant, sleep_until};

/// How the batcher groups items.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BatchConfig {
    /// A batch is sent as soon as it holds this many items.
    pub max_items: NonZeroUsize,
    /// A batch that is not full is sent this long after its first item
    /// arrived, so no item waits longer than this.
    pub max_wait: Duration,
    /// Messages the input channel holds before `send` makes callers wait.
    pub capacity: NonZeroUsize,
}

/// The batcher has stopped, so it did not take the item: here it is back.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the batcher has stopped; the item was not sent")]
pub struct SendError<T>(pub T);

/// What travels on the batcher's input channel.
///
/// Items and requests share one channel, so a flush is handled after every
/// item sent before it. Two channels, one for items and one for commands,
/// would let a flush overtake items still waiting in the other.
#[derive(Debug)]
pub(crate) enum Message<T> {
    /// An item to batch.
    Item(T),
    /// Send the partial batch now, and answer with its size.
    Flush(oneshot::Sender<usize>),
}

/// A handle to a batching actor started by [`spawn`]. Clone it for each
/// producer; the actor flushes its last batch and stops once every clone is
/// dropped.
#[derive(Debug)]
pub struct Batcher<T> {
    pub(crate) sender: mpsc::Sender<Message<T>>,
}

// By hand, not `#[derive(Clone)]`: the derive would demand `T: Clone`, and a
// handle can be cloned whatever the items are.
impl<T> Clone for Batcher<T> {
    fn clone(&self) -> Self {
        Self {
            sender: self.sender.clone(),
        }
    }
}

/// Starts the batching actor as a tokio task and returns a handle to it and
/// the task's `JoinHandle`. Batches go to `output`.
///
/// The actor stops, and the `JoinHandle` completes, when every [`Batcher`]
/// handle has been dropped (after sending the last partial batch) or when
/// `output`'s receiver has gone (the batch in hand is lost).
///
/// Must be called inside a tokio runtime.
pub fn spawn<T: Send + 'static>(
    config: BatchConfig,
    output: mpsc::Sender<Vec<T>>,
) -> (Batcher<T>, JoinHandle<()>) {
    // Bounded: when the actor falls behind (it waits on a full `output`),
    // the channel fills up and `send` makes producers wait. An unbounded
    // channel would grow instead, until the process runs out of memory.
    let (sender, input) = mpsc::channel(config.capacity.get());
    let actor = Actor {
        input,
        output,
        max_items: config.max_items.get(),
        max_wait: config.max_wait,
        batch: Vec::with_capacity(config.max_items.get()),
        deadline: Instant::now(),
    };
    let task = tokio::spawn(actor.run());
    (Batcher { sender }, task)
}

impl<T> Batcher<T> {
    /// Hands `item` to the batcher, waiting while its input channel is full.
    ///
    /// # Errors
    ///
    /// [`SendError`], holding the item, if the batcher has stopped.
    pub async fn send(&self, item: T) -> Result<(), SendError<T>> {
        // `reserve` first, then send on the permit: the wait for room
        // happens before the item is wrapped in a `Message`, so a closed
        // channel hands the item straight back. (`sender.send(message)`
        // would return the whole `Message` in its error, to unwrap again.)
        match self.sender.reserve().await {
            Ok(permit) => {
                permit.send(Message::Item(item));
                Ok(())
            }
            Err(_closed) => Err(SendError(item)),
        }
    }
}

/// The actor's state: owned by its task alone, so it needs no lock.
pub(crate) struct Actor<T> {
    input: mpsc::Receiver<Message<T>>,
    output: mpsc::Sender<Vec<T>>,
    max_items: usize,
    max_wait: Duration,
    batch: Vec<T>,
    /// When the batch in hand must go: `max_wait` after its first item.
    /// Meaningless while the batch is empty.
    deadline: Instant,
}

impl<T> Actor<T> {
    /// The actor's loop: one message or one deadline per turn.
    async fn run(mut self) {
        loop {
            // `biased;` polls the branches in order, so a turn where several
            // are ready is decided the same way every time (tests can state
            // exact outcomes), instead of at random.
            tokio::select! {
                biased;
                // The consumer has gone: no batch can be delivered, so stop
                // now rather than at the next batch.
                () = self.output.closed() => return,
                // The deadline branch is off while the batch is empty (Go
                // would set the timer channel to nil). Left on, an empty
                // batcher would wake at a stale deadline, send nothing and
                // loop at once: a spin. `sleep_until` is still built when the
                // branch is off, just never polled.
                () = sleep_until(self.deadline), if !self.batch.is_empty() => {
                    if self.deliver().await.is_err() {
                        return;
                    }
                }
                message = self.input.recv() => match message {
                    Some(Message::Item(item)) => {
                        if self.batch.is_empty() {
                            // The clock starts at a batch's first item, not
                            // at its latest: a deadline pushed back on every
                            // item would let a steady trickle wait forever.
                            self.deadline = Instant::now() + self.max_wait;
                        }
                        self.batch.push(item);
                        let full = self.batch.len() >= self.max_items;
                        if full && self.deliver().await.is_err() {
                            return;
                        }
                    }
                    Some(Message::Flush(reply)) => {
                        if self.answer_flush(reply).await.is_err() {
                            return;
                        }
                    }
                    // `None`: every `Batcher` has been dropped and the
                    // channel is drained. Only the producers' side can end
                    // the stream; send what is left and stop. (If the
                    // consumer has gone too, there is nobody left to tell.)
                    None => {
                        let _ = self.deliver().await;
                        return;
                    }
                },
            }
        }
    }

    /// Sends the batch in hand, if any, and returns how many items it held.
    /// Waits while `output` is full: the actor reads no input meanwhile, and
    /// that is how a slow consumer slows the producers down.
    ///
    /// # Errors
    ///
    /// [`Stopped`](crate::Stopped) if `output`'s receiver has gone.
    pub(crate) async fn deliver(&mut self) -> Result<usize, crate::Stopped> {
        if self.batch.is_empty() {
            // Never send an empty batch: the consumer would do a round of
            // work for nothing.
            return Ok(0);
        }
        let batch =
            std::mem::replace(&mut self.batch, Vec::with_capacity(self.max_items));
        let count = batch.len();
        self.output.send(batch).await.map_err(|_| crate::Stopped)?;
        Ok(count)
    }
}

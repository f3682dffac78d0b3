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
    // TODO: make the bounded input channel (`mpsc::channel` with
    // `config.capacity`), build the `Actor` around its receiver (an empty
    // batch; any deadline will do while the batch is empty), start
    // `actor.run()` with `tokio::spawn`, and return a `Batcher` holding the
    // sender with the task's handle.
    todo!("spawn: a bounded channel, and the actor's loop as a task")
}

impl<T> Batcher<T> {
    /// Hands `item` to the batcher, waiting while its input channel is full.
    ///
    /// # Errors
    ///
    /// [`SendError`], holding the item, if the batcher has stopped.
    pub async fn send(&self, item: T) -> Result<(), SendError<T>> {
        // TODO: wait for room with `self.sender.reserve().await`, then send
        // `Message::Item(item)` on the permit. If `reserve` fails, the actor
        // has stopped: hand the item back in a `SendError`.
        todo!("Batcher::send: reserve a slot, send the item on the permit")
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
        // TODO: loop over a `tokio::select!` (with `biased;`, so that a turn
        // where several branches are ready always goes the same way):
        // - `self.output.closed()`: the consumer has gone, return;
        // - `sleep_until(self.deadline)`, only `if !self.batch.is_empty()`:
        //   deliver the batch;
        // - `self.input.recv()`: an item joins the batch (the first item of
        //   a batch sets the deadline to now + max_wait), and a full batch
        //   is delivered; a `Message::Flush(reply)` goes to
        //   `self.answer_flush(reply)` (step 4); `None` means every handle
        //   is gone: deliver what is left and return.
        // Return too whenever a delivery fails.
        todo!("Actor::run: select! over the output, the deadline and the input")
    }

    /// Sends the batch in hand, if any, and returns how many items it held.
    /// Waits while `output` is full: the actor reads no input meanwhile, and
    /// that is how a slow consumer slows the producers down.
    ///
    /// # Errors
    ///
    /// [`Stopped`](crate::Stopped) if `output`'s receiver has gone.
    pub(crate) async fn deliver(&mut self) -> Result<usize, crate::Stopped> {
        // TODO: an empty batch is not sent (return 0). Otherwise take the
        // batch out (`std::mem::replace` with a new empty Vec), send it on
        // `self.output` (this waits while the output is full), and return
        // its length; a failed send is `Err(Stopped)`.
        todo!("Actor::deliver: send the batch in hand, unless it is empty")
    }
}

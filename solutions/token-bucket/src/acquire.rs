//! Step 3: waiting for a token, on tokio's clock.

use crate::bucket::TokenBucket;
use crate::clock::TokioClock;
use crate::quota::Quota;

impl TokenBucket<TokioClock> {
    /// A full bucket on tokio's clock, the clock [`TokenBucket::acquire`]
    /// sleeps on.
    pub fn new(quota: Quota) -> Self {
        Self::with_clock(quota, TokioClock::new())
    }

    /// Takes one token, sleeping until one is due if the bucket is empty.
    ///
    /// Cancel-safe: dropping the future while it sleeps takes no token.
    ///
    /// Only on [`TokioClock`]: the bucket must read the clock that
    /// `tokio::time::sleep` moves. With a [`ManualClock`](crate::ManualClock)
    /// nothing would ever move the time, and the loop would sleep forever.
    pub async fn acquire(&self) {
        // Try, sleep for exactly the wait the refusal names, try again. The
        // retry is needed: another task may take the token we slept for, and
        // then we sleep again for the next one.
        //
        // The rejected alternative reserves instead: move `full_at` forward
        // even past the capacity, then sleep until the reserved slot. It
        // wakes each waiter once, in order, but a caller that gives up while
        // asleep (a `select!` or a timeout drops the future) has already
        // spent a token nobody will use. Here a dropped future has taken
        // nothing.
        while let Err(limited) = self.try_acquire() {
            // tokio's sleep, never `std::thread::sleep`: the std one blocks
            // the worker thread, and every task on it, for the whole wait.
            // tokio's timers round up to the millisecond, so we may wake up
            // to a millisecond late, never early.
            tokio::time::sleep(limited.retry_after).await;
        }
    }
}

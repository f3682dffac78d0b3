//! Step 3: waiting for a token, on tokio's clock.

use crate::bucket::TokenBucket;
use crate::clock::TokioClock;
use crate::quota::Quota;

impl TokenBucket<TokioClock> {
    /// A full bucket on tokio's clock, the clock [`TokenBucket::acquire`]
    /// sleeps on.
    pub fn new(quota: Quota) -> Self {
        todo!("TokenBucket::new: with_clock and a new TokioClock")
    }

    /// Takes one token, sleeping until one is due if the bucket is empty.
    ///
    /// Cancel-safe: dropping the future while it sleeps takes no token.
    ///
    /// Only on [`TokioClock`]: the bucket must read the clock that
    /// `tokio::time::sleep` moves. With a [`ManualClock`](crate::ManualClock)
    /// nothing would ever move the time, and the loop would sleep forever.
    pub async fn acquire(&self) {
        // TODO: try_acquire; while it refuses, sleep for the `retry_after` it
        // names (tokio::time::sleep, never std::thread::sleep) and try again.
        // Another task may take the token you slept for. Take nothing you
        // might not use: a caller may give up while you sleep.
        todo!("TokenBucket::acquire: try, sleep retry_after, try again")
    }
}

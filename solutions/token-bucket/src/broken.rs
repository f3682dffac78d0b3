//! The rejected alternative, kept so that the loom model can be shown
//! failing on it: load, compute, store. Compiled only with
//! `--features broken`, and in a file of its own so coverage and mutation
//! tools can leave it out.

use std::time::Duration;

use crate::bucket::TokenBucket;
use crate::clock::Clock;
use crate::quota::{RateLimited, nanos};
use crate::sync::Ordering;

/// Looks right, and passes single-threaded tests: between the `load` and
/// the `store` another caller can do the same. Both see the last token, both
/// take it, and the second store overwrites the first, so the bucket also
/// forgets one of the two.
pub(crate) fn try_acquire<C: Clock>(bucket: &TokenBucket<C>) -> Result<(), RateLimited> {
    let now = bucket.clock().now();
    let current = bucket.full_at.load(Ordering::Acquire);
    let next = bucket.quota().take(Duration::from_nanos(current), now)?;
    bucket.full_at.store(nanos(next), Ordering::Release);
    Ok(())
}

//! Step 5: where the layer sits in the stack, relative to the timeout.
//!
//! `ServiceBuilder` layers wrap in the order they are added: the first is
//! the outermost, sees the request first and the response last. Put
//! metrics *outside* the timeout and a timeout is an `Err` the layer sees
//! and counts as `error`, with the timeout as its duration, while a client
//! that hangs up still drops the whole stack and is counted as `cancelled`.
//! Put them inside and the timeout drops the metrics future too: timed-out
//! calls and hang-ups both become `cancelled`, and the dashboard cannot tell
//! "we were too slow" from "they left".

use std::time::Duration;

use tower::ServiceBuilder;
use tower::timeout::Timeout;

use crate::{Red, RedLayer, RedMetrics};

/// Wraps `inner` in a timeout of `timeout`, and that in the RED layer:
/// metrics outside, timeout inside.
pub fn metered<S>(inner: S, metrics: RedMetrics, timeout: Duration) -> Red<Timeout<S>> {
    // TODO: `ServiceBuilder::new()`, then the layers from the outermost in
    // (`.layer(RedLayer::new(..))`, `.timeout(..)`), then `.service(inner)`.
    todo!("metered: the RED layer outside a timeout")
}

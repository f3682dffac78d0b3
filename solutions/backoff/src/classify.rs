//! Step 4: telling transient errors from permanent ones, through the cause
//! chain.

use std::error::Error;
use std::io;

/// Whether retrying an error can help.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorClass {
    /// The same request may well succeed later: a timeout, a reset
    /// connection, an overloaded server.
    Transient,
    /// The same request will fail the same way: bad input, a missing record,
    /// a refused permission. Retrying only adds load.
    Permanent,
}

/// Marks an error as transient, whatever its cause says: for a caller that
/// knows better than the error's type (an HTTP 503, a gRPC `UNAVAILABLE`).
#[derive(Debug, thiserror::Error)]
#[error("transient failure")]
pub struct Transient(#[source] pub Box<dyn Error + Send + Sync>);

/// Marks an error as permanent, whatever its cause says.
#[derive(Debug, thiserror::Error)]
#[error("permanent failure")]
pub struct Permanent(#[source] pub Box<dyn Error + Send + Sync>);

/// Classifies `error` by walking its cause chain (`error`, then
/// `error.source()`, and so on): the first error in the chain that knows its
/// class decides.
///
/// Known here: the [`Transient`] and [`Permanent`] markers; [`io::Error`]s,
/// by kind (timeouts, resets, refused and aborted connections, broken pipes
/// and interruptions are transient, every other kind permanent); and
/// [`tokio::time::error::Elapsed`] (a timeout, so transient). An error whose
/// chain holds none of these is permanent.
///
/// Why walk the chain? Errors get wrapped on their way up (`#[source]`
/// fields, `anyhow::Context`), so the type at the top is rarely the one that
/// says what went wrong. The rejected alternative, matching on the
/// `Display` text ("contains 'timed out'"), breaks the day a message is
/// reworded, and Rust's typed errors make it unnecessary.
///
/// Why permanent by default? Retrying an error nobody understood repeats its
/// side effects and multiplies load during an outage; an unknown error that
/// should be retried is a bug to fix once, by marking it [`Transient`].
pub fn classify(error: &(dyn Error + 'static)) -> ErrorClass {
    let mut current = Some(error);
    while let Some(error) = current {
        if let Some(class) = known_class(error) {
            return class;
        }
        current = error.source();
    }
    ErrorClass::Permanent
}

fn known_class(error: &(dyn Error + 'static)) -> Option<ErrorClass> {
    if error.is::<Transient>() || error.is::<tokio::time::error::Elapsed>() {
        return Some(ErrorClass::Transient);
    }
    if error.is::<Permanent>() {
        return Some(ErrorClass::Permanent);
    }
    let io = error.downcast_ref::<io::Error>()?;
    Some(match io.kind() {
        io::ErrorKind::TimedOut
        | io::ErrorKind::ConnectionRefused
        | io::ErrorKind::ConnectionReset
        | io::ErrorKind::ConnectionAborted
        | io::ErrorKind::BrokenPipe
        | io::ErrorKind::Interrupted => ErrorClass::Transient,
        // Not `WouldBlock`: it asks a non-blocking caller to wait for
        // readiness (what an async runtime does for you), not to back off
        // and send the request again.
        _ => ErrorClass::Permanent,
    })
}

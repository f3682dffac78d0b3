//! Step 4: `classify` (src/classify.rs).

use std::io;
use std::time::Duration;

use backoff::{ErrorClass, Permanent, Transient, classify};

/// An error as an application wraps it: its own message, the cause kept.
#[derive(Debug, thiserror::Error)]
#[error("fetching the user profile failed")]
struct FetchError(#[source] io::Error);

/// A second layer of wrapping, as errors get on their way up.
#[derive(Debug, thiserror::Error)]
#[error("rendering the dashboard failed")]
struct RenderError(#[source] FetchError);

/// An error type the classifier knows nothing about.
#[derive(Debug, thiserror::Error)]
#[error("invalid email address")]
struct ValidationError;

#[test]
fn timeouts_and_dropped_connections_are_transient() {
    for kind in [
        io::ErrorKind::TimedOut,
        io::ErrorKind::ConnectionReset,
        io::ErrorKind::ConnectionRefused,
        io::ErrorKind::ConnectionAborted,
        io::ErrorKind::BrokenPipe,
        io::ErrorKind::Interrupted,
    ] {
        assert_eq!(
            classify(&io::Error::from(kind)),
            ErrorClass::Transient,
            "an io::Error of kind {kind:?} may succeed on retry"
        );
    }
}

#[test]
fn other_io_errors_are_permanent() {
    for kind in [
        io::ErrorKind::NotFound,
        io::ErrorKind::PermissionDenied,
        io::ErrorKind::InvalidData,
    ] {
        assert_eq!(
            classify(&io::Error::from(kind)),
            ErrorClass::Permanent,
            "an io::Error of kind {kind:?} will fail the same way again"
        );
    }
}

#[test]
fn classification_looks_through_wrapping_errors() {
    let wrapped = RenderError(FetchError(io::Error::from(io::ErrorKind::TimedOut)));
    assert_eq!(
        classify(&wrapped),
        ErrorClass::Transient,
        "the timeout is two `source()` calls down the chain: walk it"
    );
}

#[test]
fn errors_nobody_knows_are_permanent() {
    assert_eq!(
        classify(&ValidationError),
        ErrorClass::Permanent,
        "retrying an error nobody understood only repeats it: unknown means permanent"
    );
}

#[test]
fn a_marker_decides_over_the_cause_below_it() {
    let forced_permanent = Permanent(Box::new(io::Error::from(io::ErrorKind::TimedOut)));
    assert_eq!(
        classify(&forced_permanent),
        ErrorClass::Permanent,
        "the outermost known error decides"
    );
    let forced_transient = Transient(Box::new(ValidationError));
    assert_eq!(
        classify(&forced_transient),
        ErrorClass::Transient,
        "the outermost known error decides"
    );
}

/// Wraps any error as its `#[source]`, as application errors do.
#[derive(Debug, thiserror::Error)]
#[error("loading the report failed")]
struct Wrapper(#[source] Box<dyn std::error::Error + Send + Sync>);

#[test]
fn a_marker_below_a_wrapper_is_found() {
    let transient = Wrapper(Box::new(Transient(Box::new(ValidationError))));
    assert_eq!(
        classify(&transient),
        ErrorClass::Transient,
        "the Transient marker is one `source()` down: walk the chain for markers too"
    );
    let permanent = Wrapper(Box::new(Permanent(Box::new(io::Error::from(
        io::ErrorKind::TimedOut,
    )))));
    assert_eq!(
        classify(&permanent),
        ErrorClass::Permanent,
        "the Permanent marker, one level down, decides before the timeout below it"
    );
}

#[test]
fn an_io_error_hides_what_it_wraps() {
    // `io::Error::other(inner)` has kind Other, and its `source()` skips
    // `inner`: the walk meets a known io::Error (permanent) and stops there.
    let wrapped = FetchError(io::Error::other(Transient(Box::new(ValidationError))));
    assert_eq!(
        classify(&wrapped),
        ErrorClass::Permanent,
        "io::Error of kind Other is known, and permanent, before the marker inside it"
    );
}

#[test]
fn would_block_is_not_a_reason_to_retry() {
    assert_eq!(
        classify(&io::Error::from(io::ErrorKind::WouldBlock)),
        ErrorClass::Permanent,
        "WouldBlock means a non-blocking call should wait for readiness, not back off and retry"
    );
}

#[tokio::test(start_paused = true)]
async fn tokio_timeouts_are_transient() {
    let elapsed =
        tokio::time::timeout(Duration::from_secs(1), std::future::pending::<()>())
            .await
            .expect_err("a pending future always times out");
    assert_eq!(
        classify(&elapsed),
        ErrorClass::Transient,
        "tokio's Elapsed is a timeout"
    );
    let wrapped = Wrapper(Box::new(elapsed));
    assert_eq!(
        classify(&wrapped),
        ErrorClass::Transient,
        "and still one when wrapped"
    );
}

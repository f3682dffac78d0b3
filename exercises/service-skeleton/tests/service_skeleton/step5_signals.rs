//! Step 5: SIGINT and SIGTERM as one shutdown future.

use nix::sys::signal::{Signal, raise};
use service_skeleton::{ShutdownSignal, Signals};
use tokio::signal::unix::{SignalKind, signal};

/// One test for both signals, on purpose: signals go to the whole process,
/// so two tests raising them in parallel would each see the other's.
#[tokio::test]
async fn sigterm_and_sigint_both_ask_for_a_shutdown() {
    // A safety net, registered before anything is raised: without a handler
    // SIGTERM kills the test binary, and a bug in `Signals::new` would show
    // up as every test dying instead of as this one failing.
    let _net = (
        signal(SignalKind::terminate()).expect("register SIGTERM"),
        signal(SignalKind::interrupt()).expect("register SIGINT"),
    );
    let mut signals = Signals::new().expect("register the shutdown signals");

    raise(Signal::SIGTERM).expect("raise SIGTERM");
    assert_eq!(
        signals.recv().await,
        ShutdownSignal::Terminate,
        "SIGTERM is Terminate"
    );
    raise(Signal::SIGINT).expect("raise SIGINT");
    assert_eq!(
        signals.recv().await,
        ShutdownSignal::Interrupt,
        "SIGINT is Interrupt"
    );

    assert_eq!(
        (
            ShutdownSignal::Terminate.to_string(),
            ShutdownSignal::Interrupt.to_string()
        ),
        ("SIGTERM".to_owned(), "SIGINT".to_owned()),
        "the signals display as their names, for the log line"
    );
}

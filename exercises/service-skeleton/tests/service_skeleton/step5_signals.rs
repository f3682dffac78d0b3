//! Step 5: SIGINT and SIGTERM as one shutdown future.

use std::time::Duration;

use nix::sys::signal::{Signal, raise};
use service_skeleton::{ShutdownSignal, Signals};
use tokio::signal::unix::{SignalKind, signal};

/// The next signal `Signals` reports, or a failed test after 5 s (real time:
/// a raised signal arrives in microseconds, so 5 s only guards against a
/// `recv` that misses it and would otherwise hang the test).
async fn next(signals: &mut Signals, raised: &str) -> ShutdownSignal {
    tokio::time::timeout(Duration::from_secs(5), signals.recv())
        .await
        .unwrap_or_else(|_| {
            panic!("Signals::recv did not report the {raised} raised 5 s ago")
        })
}

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
        next(&mut signals, "SIGTERM").await,
        ShutdownSignal::Terminate,
        "SIGTERM is Terminate"
    );
    raise(Signal::SIGINT).expect("raise SIGINT");
    assert_eq!(
        next(&mut signals, "SIGINT").await,
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

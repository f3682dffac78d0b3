//! Step 5: SIGINT and SIGTERM, one shutdown future.

use std::fmt;
use std::io;

use tokio::signal::unix::{Signal, SignalKind, signal};

/// Which signal asked for the shutdown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShutdownSignal {
    /// SIGINT: Ctrl-C in a terminal.
    Interrupt,
    /// SIGTERM: what `kill`, systemd and Kubernetes send first.
    Terminate,
}

impl fmt::Display for ShutdownSignal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Interrupt => "SIGINT",
            Self::Terminate => "SIGTERM",
        })
    }
}

/// Listens for SIGINT and SIGTERM from the moment it is created.
///
/// Two listeners, because `tokio::signal::ctrl_c()` alone is SIGINT only:
/// a service under Kubernetes or systemd gets SIGTERM, ignores it, and is
/// killed with SIGKILL when the grace period runs out, with no drain at
/// all.
#[derive(Debug)]
pub struct Signals {
    interrupt: Signal,
    terminate: Signal,
}

impl Signals {
    /// Registers both handlers now. From here on, SIGINT and SIGTERM no
    /// longer kill the process (not even after this value is dropped:
    /// tokio keeps its handler for the rest of the process).
    ///
    /// Register early, in `main` before serving, not inside the shutdown
    /// future: a signal that arrives before the registration still kills
    /// the process at once.
    ///
    /// # Errors
    ///
    /// The I/O error of a failed registration (outside a tokio runtime
    /// with I/O enabled).
    pub fn new() -> io::Result<Self> {
        // TODO: `signal(SignalKind::interrupt())?` and
        // `signal(SignalKind::terminate())?`, here and now.
        todo!("Signals::new: register SIGINT and SIGTERM")
    }

    /// Waits for the next SIGINT or SIGTERM and says which it was.
    pub async fn recv(&mut self) -> ShutdownSignal {
        // TODO: `tokio::select!` over `self.interrupt.recv()` and
        // `self.terminate.recv()` (each gives `Option<()>`; None only when
        // the runtime shuts down: then wait for ever).
        todo!("Signals::recv: the first of SIGINT and SIGTERM")
    }
}

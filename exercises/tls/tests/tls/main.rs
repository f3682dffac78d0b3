//! Tests for the `tls` exercise, one module per step of the lesson.
//!
//! Run them with `cargo test -p tls`; they fail until you implement the step
//! they test. The modules are numbered in the lesson's order (pki, config,
//! refusal, mtls), so failures are listed step by step. To run one step
//! only: `cargo test -p tls step1`.
//!
//! Steps 2 to 4 run real TLS over real TCP sockets on `127.0.0.1`, on ports
//! the OS picks. The clock is not paused (real I/O with tokio's auto-advancing
//! clock would fire timeouts at once); the timeouts below are only guards
//! against a hang, never what a test asserts.

mod step1_pki;
mod step2_config;
mod step3_refusal;
mod step4_mtls;

use std::error::Error;
use std::future::Future;
use std::io;
use std::net::{IpAddr, Ipv4Addr};
use std::time::Duration;

use tls::{IssuedCert, Pki, Validity};

/// The loopback address every server listens on.
const LOOPBACK: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);

/// Installs the crypto provider (once per test binary; later calls do
/// nothing) and makes a fresh CA named `name`.
fn pki(name: &str) -> Pki {
    tls::install_crypto_provider();
    Pki::new(name).expect("a new CA can be made")
}

/// A server certificate for `localhost` and `127.0.0.1`, valid for 30 days.
fn localhost_cert(pki: &Pki) -> IssuedCert {
    pki.issue_server(&["localhost"], &[LOOPBACK], Validity::days_from_now(30))
        .expect("a server certificate for localhost and 127.0.0.1 can be issued")
}

/// Runs `future` with a hang guard: a handshake on loopback takes
/// milliseconds, so 20 seconds means something is stuck.
async fn guard<F: Future>(future: F) -> F::Output {
    tokio::time::timeout(Duration::from_secs(20), future)
        .await
        .expect("hang guard: the TLS exchange should finish within 20 seconds")
}

/// The `rustls::Error` somewhere in `error`'s chain. tokio-rustls wraps it
/// in an `io::Error`, whose `source()` skips it, so each `io::Error` is
/// opened with `get_ref()`.
fn rustls_error_in<'a>(error: &'a (dyn Error + 'static)) -> Option<&'a rustls::Error> {
    std::iter::successors(Some(error), |&e| e.source()).find_map(|layer| {
        layer.downcast_ref::<rustls::Error>().or_else(|| {
            layer
                .downcast_ref::<io::Error>()
                .and_then(io::Error::get_ref)
                .and_then(|inner| inner.downcast_ref::<rustls::Error>())
        })
    })
}

/// The whole chain, one layer per line, for assertion messages.
fn chain(error: &(dyn Error + 'static)) -> String {
    std::iter::successors(Some(error), |&e| e.source())
        .map(|e| format!("  {e}"))
        .collect::<Vec<_>>()
        .join("\n")
}

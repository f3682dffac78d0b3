//! Step 3: why a handshake was refused, in words a user can act on.
//!
//! tonic reports a refused handshake as `transport error` (from `connect()`)
//! or as an `Unavailable` status (from a call on a lazy channel); the reason
//! sits several layers down the `source()` chain, as a `rustls::Error`
//! inside an `io::Error`. `classify` digs it out.

use std::error::Error;
use std::io;

use rustls::CertificateError;

/// Why a TLS handshake failed, as seen by the client, with what to do
/// about it. None of the remedies is "turn verification off".
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// The server's certificate chains to no CA in the client's trust store.
    #[error(
        "the server's certificate is signed by a CA this client does not trust: \
         add that CA to the client's trust store"
    )]
    UnknownIssuer,
    /// The certificate is not issued for the name the client checked.
    #[error(
        "the server's certificate is not valid for {expected:?} (it names {}): \
         connect with one of its names, or reissue it with {expected:?} as a SAN",
        presented.join(", ")
    )]
    WrongName {
        /// The name the client checked: the URL's host or `domain_name`.
        expected: String,
        /// The certificate's subject alternative names, as webpki prints
        /// them: `DnsName("localhost")`, `IpAddress(127.0.0.1)`.
        presented: Vec<String>,
    },
    /// The certificate's `not_after` is in the past.
    #[error(
        "the server's certificate has expired: renew it (and if it should still \
         be valid, check this machine's clock)"
    )]
    Expired,
    /// The certificate's `not_before` is in the future.
    #[error("the server's certificate is not valid yet: check this machine's clock")]
    NotYetValid,
    /// The server asked for a client certificate and the client sent none.
    #[error("the server requires a client certificate: configure the client's identity")]
    CertificateRequired,
    /// The server refused the client's certificate (mutual TLS); `alert` is
    /// the TLS alert it sent, such as `UnknownCA`.
    #[error(
        "the server refused this client's certificate ({alert}): use one issued \
         by the CA the server trusts for clients"
    )]
    ClientCertificateRefused {
        /// The alert, in rustls's `Debug` spelling.
        alert: String,
    },
    /// Some other TLS error (protocol, algorithms, a malformed certificate,
    /// an alert that says nothing about certificates).
    #[error("TLS failed: {0}")]
    OtherTls(String),
    /// No TLS error in the chain: the connection failed for another reason
    /// (refused, timed out...), or the call failed after the handshake.
    #[error("not a TLS refusal: {0}")]
    NotTls(String),
}

/// Classifies any error from a TLS client: a `tonic::transport::Error` from
/// `connect()`, a `tonic::Status` from a call, or a bare `rustls::Error`.
///
/// It walks the `source()` chain and stops at the first `rustls::Error`.
/// Matching on the text instead (`to_string().contains("UnknownIssuer")`)
/// was rejected: the top of the chain says only "transport error", and
/// rustls's wording is not part of its API.
pub fn classify(error: &(dyn Error + 'static)) -> Refusal {
    // TODO: walk the chain from `error` with `source()`. At each layer, if
    // rustls_error finds a rustls::Error, return from_rustls(it); else if
    // alert_text finds an alert, return from_alert(&it). Nothing found:
    // NotTls(chain(error)).
    todo!("classify: walk the source() chain")
}

use Refusal::*;

/// The `rustls::Error` this layer is, or wraps inside an `io::Error`.
///
/// tokio-rustls reports a handshake failure as
/// `io::Error::new(ErrorKind::InvalidData, rustls_error)`, and an `io::Error`
/// made that way does not return the error it wraps from `source()`: it
/// returns *that error's* source, one layer further down. Only
/// `io::Error::get_ref` reaches the `rustls::Error`, so a plain walk of
/// `source()` would step right over it.
fn rustls_error<'a>(layer: &'a (dyn Error + 'static)) -> Option<&'a rustls::Error> {
    // TODO: downcast_ref::<rustls::Error>() on the layer; failing that,
    // downcast_ref::<io::Error>(), then io::Error::get_ref, then downcast the
    // inner error to rustls::Error.
    todo!("rustls_error: this layer, or inside an io::Error")
}

fn from_rustls(error: &rustls::Error) -> Refusal {
    // TODO: match rustls::Error::InvalidCertificate(..) on its CertificateError:
    // UnknownIssuer; NotValidForNameContext { expected, presented } (use
    // expected.to_str()); Expired and ExpiredContext; NotValidYet and
    // NotValidYetContext; anything else is OtherTls(to_string()).
    // rustls::Error::AlertReceived(alert) goes to from_alert(&format!("{alert:?}")).
    todo!("from_rustls: map the rustls error to a Refusal")
}

/// The alert in an `io::Error` that carries only rustls's text.
///
/// When the server refuses a client certificate, the client learns it from
/// an alert that arrives after its side of the handshake is over (in TLS 1.3
/// the client's `Finished` comes before the server checks the client's
/// certificate). By then the connection belongs to h2, which keeps only the
/// *text* of a connection error, so that it can hand a copy to every open
/// stream: the `rustls::Error` is gone, and "received fatal alert: UnknownCA"
/// is all that is left. So this one case reads the text, and only rustls's
/// exact `AlertReceived` wording; the tests pin it.
fn alert_text(layer: &(dyn Error + 'static)) -> Option<String> {
    let io = layer.downcast_ref::<io::Error>()?;
    if io.kind() != io::ErrorKind::InvalidData {
        return None;
    }
    let text = io.get_ref()?.to_string();
    text.strip_prefix("received fatal alert: ")
        .map(str::to_owned)
}

/// What an alert from the server means, by its name in rustls's spelling.
fn from_alert(alert: &str) -> Refusal {
    match alert {
        "CertificateRequired" => CertificateRequired,
        // The alerts a server sends when the client certificate it checked
        // is bad: untrusted CA, expired, wrong purpose, unparsable.
        "UnknownCA"
        | "BadCertificate"
        | "CertificateExpired"
        | "CertificateUnknown"
        | "UnsupportedCertificate"
        | "AccessDenied" => ClientCertificateRefused {
            alert: alert.to_owned(),
        },
        other => OtherTls(format!("received fatal alert: {other}")),
    }
}

/// The whole chain as one line, for errors nobody recognised.
fn chain(error: &(dyn Error + 'static)) -> String {
    std::iter::successors(Some(error), |&e| e.source())
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(": ")
}

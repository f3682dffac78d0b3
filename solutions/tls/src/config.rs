//! Step 2: the TLS configurations tonic needs on each side. The server
//! presents a certificate and proves it holds the key; the client trusts one
//! CA and checks the server's certificate against a name.

use tonic::transport::{Certificate, ClientTlsConfig, Identity, ServerTlsConfig};

use crate::pki::{IssuedCert, PkiError, trust_store};

/// The server side: present `cert` (and sign the handshake with its key).
pub fn server_tls(cert: &IssuedCert) -> ServerTlsConfig {
    ServerTlsConfig::new().identity(Identity::from_pem(cert.cert_pem(), cert.key_pem()))
}

/// The client side: trust the CA in `ca_pem` (and nothing else), and check
/// the server's certificate against `name`, or against the URL's host when
/// `name` is `None`.
///
/// The name is separate from the address on purpose: connect to
/// `https://127.0.0.1:50051` with `Some("localhost")` and the TCP connection
/// goes to the IP while the certificate must be valid for `localhost`. With
/// `None`, the IP itself is the name, and the certificate needs an IP SAN.
pub fn client_tls(ca_pem: &str, name: Option<&str>) -> Result<ClientTlsConfig, PkiError> {
    // Parse the CA here, though tonic parses it again: tonic skips an
    // unparsable file silently, and the error would surface only as
    // "unknown issuer" on the first handshake.
    trust_store(ca_pem)?;
    let config = ClientTlsConfig::new().ca_certificate(Certificate::from_pem(ca_pem));
    Ok(match name {
        Some(name) => config.domain_name(name),
        None => config,
    })
}

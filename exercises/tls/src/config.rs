//! Step 2: the TLS configurations tonic needs on each side. The server
//! presents a certificate and proves it holds the key; the client trusts one
//! CA and checks the server's certificate against a name.

use tonic::transport::{Certificate, ClientTlsConfig, Identity, ServerTlsConfig};

use crate::pki::{IssuedCert, PkiError, trust_store};

/// The server side: present `cert` (and sign the handshake with its key).
pub fn server_tls(cert: &IssuedCert) -> ServerTlsConfig {
    // TODO: ServerTlsConfig::new() with an identity made by
    // Identity::from_pem(certificate PEM, key PEM).
    todo!("server_tls: present the certificate")
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
    // TODO: check the PEM with trust_store(ca_pem)? (tonic would skip a bad
    // file silently), then ClientTlsConfig::new().ca_certificate(
    // Certificate::from_pem(ca_pem)), plus .domain_name(name) when there is one.
    todo!("client_tls: trust the CA, check the name")
}

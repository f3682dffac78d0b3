//! Step 4: mutual TLS. The server also asks the client for a certificate,
//! checks it against the CA it trusts for clients, and the handler turns the
//! verified certificate into a caller it can authorize.

use std::sync::Arc;
use std::time::SystemTime;

use rustls::RootCertStore;
use rustls::client::verify_server_name;
use rustls::pki_types::{CertificateDer, DnsName, ServerName};
use rustls::server::{ParsedCertificate, WebPkiClientVerifier};
use tonic::transport::{Certificate, ClientTlsConfig, Identity, ServerTlsConfig};
use tonic::{Request, Status};

use crate::config::{client_tls, server_tls};
use crate::pki::{IssuedCert, PkiError, trust_store, unix_time};

/// The server side of mutual TLS: present `server`, and require every
/// client to present a certificate signed by the CA in `client_ca_pem`.
pub fn mtls_server_tls(
    server: &IssuedCert,
    client_ca_pem: &str,
) -> Result<ServerTlsConfig, PkiError> {
    // Checked for the same reason as the client's CA: tonic would skip a bad
    // file, and then no client could ever connect.
    trust_store(client_ca_pem)?;
    // `client_auth_optional` stays false: a client without a certificate is
    // refused by the handshake, before any handler runs. Optional client
    // auth would move that check into every handler, where one forgotten
    // `if` lets anonymous callers in.
    Ok(server_tls(server).client_ca_root(Certificate::from_pem(client_ca_pem)))
}

/// The client side of mutual TLS: [`client_tls`] plus the client's own
/// certificate and key.
pub fn mtls_client_tls(
    ca_pem: &str,
    name: Option<&str>,
    client: &IssuedCert,
) -> Result<ClientTlsConfig, PkiError> {
    Ok(client_tls(ca_pem, name)?
        .identity(Identity::from_pem(client.cert_pem(), client.key_pem())))
}

/// Runs the check a mutual-TLS server runs on a client's certificate,
/// offline: signed by a CA in `roots`, valid at `at`, purpose `clientAuth`.
/// It is the verifier tonic builds from `client_ca_root`, so its errors are
/// what the server sees (and logs) when it refuses a client.
pub fn verify_client(
    roots: &RootCertStore,
    cert: &CertificateDer<'_>,
    at: SystemTime,
) -> Result<(), rustls::Error> {
    let verifier = WebPkiClientVerifier::builder(Arc::new(roots.clone()))
        .build()
        .map_err(|e| rustls::Error::General(e.to_string()))?;
    verifier.verify_client_cert(cert, &[], unix_time(at))?;
    Ok(())
}

/// The callers a service accepts, by the name in their client certificate.
#[derive(Debug, Clone)]
pub struct AllowList {
    names: Vec<DnsName<'static>>,
}

impl AllowList {
    /// An allow list of DNS-style caller names.
    pub fn new(names: &[&str]) -> Result<Self, PkiError> {
        let names = names
            .iter()
            .map(|name| {
                DnsName::try_from(*name)
                    .map(|n| n.to_owned())
                    .map_err(|_| PkiError::InvalidDnsName(name.to_string()))
            })
            .collect::<Result<_, _>>()?;
        Ok(Self { names })
    }

    /// Who is calling: the allowed name the request's client certificate is
    /// valid for.
    ///
    /// - no client certificate: `Unauthenticated` (the server was not set up
    ///   for mutual TLS, or made it optional);
    /// - a certificate valid for none of the names: `PermissionDenied`.
    ///
    /// The handshake has already checked the chain, the dates and the
    /// purpose; what is left is the name, and it is checked the way a client
    /// checks a server's: "is this certificate valid for this name?", asked
    /// of webpki for each allowed name. Extracting the common name with a
    /// parser and comparing strings was rejected: verifiers ignore the CN,
    /// so it is the one field nobody else has checked.
    ///
    /// Asking the server-name question brings the server-name rules along,
    /// wildcards included: a client certificate for `*.clients.internal`
    /// would pass as every allowed name under it. `Pki::issue_client` cannot
    /// make one (`DnsName` refuses `*`), but a CA trusted for clients must
    /// never issue wildcard client certificates.
    pub fn authorize<T>(&self, request: &Request<T>) -> Result<String, Status> {
        let certs = request
            .peer_certs()
            .ok_or_else(|| Status::unauthenticated("a client certificate is required"))?;
        let leaf = certs
            .first()
            .ok_or_else(|| Status::unauthenticated("a client certificate is required"))?;
        let parsed = ParsedCertificate::try_from(leaf).map_err(|_| {
            Status::unauthenticated("the client certificate cannot be parsed")
        })?;
        self.names
            .iter()
            .find(|name| {
                verify_server_name(&parsed, &ServerName::DnsName((*name).clone())).is_ok()
            })
            .map(|name| name.as_ref().to_owned())
            .ok_or_else(|| {
                Status::permission_denied(
                    "the client certificate names no allowed caller",
                )
            })
    }
}

//! Step 1: a private PKI. A certificate authority made on the spot, the
//! server and client certificates it signs, and the check a client runs on
//! them, done offline so that each rule can be seen on its own.

use std::fmt;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DistinguishedName, DnType,
    ExtendedKeyUsagePurpose, IsCa, KeyPair, KeyUsagePurpose, SanType,
};
use rustls::RootCertStore;
use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::ServerCertVerifier;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, DnsName, ServerName, UnixTime};

/// Why a certificate could not be made, or a PEM file could not be trusted.
#[derive(Debug, thiserror::Error)]
pub enum PkiError {
    /// `not_after` is not later than `not_before`.
    #[error("a certificate's validity must end after it starts")]
    EmptyValidity,
    /// A date before 1970-01-01, which the conversion to rcgen's dates
    /// does not support.
    #[error("validity dates before 1970 are not supported")]
    BeforeEpoch,
    /// A server certificate with neither a DNS name nor an IP address: no
    /// client could ever match it.
    #[error("a certificate needs at least one DNS name or IP address")]
    NoNames,
    /// A string that is not a DNS name (spaces, a trailing dot...).
    #[error("{0:?} is not a valid DNS name")]
    InvalidDnsName(String),
    /// The PEM text holds no certificate at all: an empty file, the key file
    /// passed by mistake, a truncated download.
    #[error("the CA file holds no certificate (is it the key, or empty?)")]
    NoCertificateInPem,
    /// A `-----BEGIN CERTIFICATE-----` section that does not decode.
    #[error("the CA file is not valid PEM")]
    BadPem(#[source] rustls::pki_types::pem::Error),
    /// A certificate that decodes but cannot be a trust anchor.
    #[error("the CA file holds a certificate that cannot be a trust anchor")]
    BadCaCertificate(#[source] rustls::Error),
    /// rcgen refused the parameters or could not make a key.
    #[error("rcgen could not make the certificate")]
    Rcgen(#[from] rcgen::Error),
}

/// When a certificate is valid: from `not_before` to `not_after`.
///
/// Stored as durations since the Unix epoch, checked once in [`Validity::new`],
/// so that a `Validity` that ends before it starts cannot exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Validity {
    not_before: Duration,
    not_after: Duration,
}

impl Validity {
    /// A validity period; refuses one that ends before (or when) it starts.
    pub fn new(not_before: SystemTime, not_after: SystemTime) -> Result<Self, PkiError> {
        // TODO: turn both times into durations since UNIX_EPOCH (an error there is
        // PkiError::BeforeEpoch), refuse not_after <= not_before
        // (PkiError::EmptyValidity), and keep the two durations.
        todo!("Validity::new: check the period and store it")
    }

    /// Valid for `days` days from now, and since one hour ago: a peer whose
    /// clock runs a few minutes behind would otherwise see a brand-new
    /// certificate as "not valid yet".
    pub fn days_from_now(days: u64) -> Self {
        let now = SystemTime::now();
        Self::new(
            now - Duration::from_secs(3600),
            now + Duration::from_secs(days * 86_400),
        )
        .expect("one hour ago is before any number of days from now")
    }

    /// The first instant the certificate is valid.
    pub fn not_before(&self) -> SystemTime {
        UNIX_EPOCH + self.not_before
    }

    /// The last instant the certificate is valid.
    pub fn not_after(&self) -> SystemTime {
        UNIX_EPOCH + self.not_after
    }

    /// Writes the period into rcgen's parameters. rcgen's dates are the
    /// `time` crate's `OffsetDateTime`; rather than depend on `time` for one
    /// conversion, this adds the duration to rcgen's own epoch.
    fn apply_to(self, params: &mut CertificateParams) {
        params.not_before = rcgen::date_time_ymd(1970, 1, 1) + self.not_before;
        params.not_after = rcgen::date_time_ymd(1970, 1, 1) + self.not_after;
    }
}

/// A certificate and its private key, both PEM, as a server or client
/// loads them (`Identity::from_pem(cert, key)` in tonic).
#[derive(Clone)]
pub struct IssuedCert {
    cert_pem: String,
    key_pem: String,
    cert_der: CertificateDer<'static>,
}

impl IssuedCert {
    /// The certificate, PEM.
    pub fn cert_pem(&self) -> &str {
        &self.cert_pem
    }

    /// The private key, PEM (PKCS#8). Keep it out of logs.
    pub fn key_pem(&self) -> &str {
        &self.key_pem
    }

    /// The certificate, DER: what travels in the handshake.
    pub fn cert_der(&self) -> &CertificateDer<'static> {
        &self.cert_der
    }
}

// By hand, not derived: a derived `Debug` would print the private key into
// any log line that formats the struct with `{:?}`.
impl fmt::Debug for IssuedCert {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IssuedCert")
            .field("cert_pem", &format_args!("{} bytes", self.cert_pem.len()))
            .field("key_pem", &"[redacted]")
            .finish()
    }
}

/// A private certificate authority: one CA key, and the certificates it
/// signs. Made in memory for tests and development; nothing touches disk.
pub struct Pki {
    name: String,
    ca: CertifiedIssuer<'static, KeyPair>,
}

impl fmt::Debug for Pki {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pki").field("name", &self.name).finish()
    }
}

impl Pki {
    /// A new CA whose certificate's common name is `name`, valid for ten
    /// years, with a fresh ECDSA P-256 key.
    pub fn new(name: &str) -> Result<Self, PkiError> {
        // TODO: start from CertificateParams::default(); replace its distinguished
        // name with one whose CommonName is `name`; set is_ca to
        // IsCa::Ca(BasicConstraints::Unconstrained) and key_usages to KeyCertSign,
        // CrlSign and DigitalSignature; apply Validity::days_from_now(3650); then
        // CertifiedIssuer::self_signed(params, KeyPair::generate()?).
        todo!("Pki::new: make a self-signed CA")
    }

    /// The CA's common name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The CA certificate, PEM: the file clients (and, for mutual TLS,
    /// servers) put in their trust store. Public; share it freely.
    pub fn ca_pem(&self) -> String {
        self.ca.pem()
    }

    /// The CA certificate, DER.
    pub fn ca_der(&self) -> &CertificateDer<'static> {
        self.ca.der()
    }

    /// A server certificate for the given DNS names and IP addresses (its
    /// subject alternative names, the only names a client checks), with the
    /// `serverAuth` purpose, signed by this CA.
    pub fn issue_server(
        &self,
        dns_names: &[&str],
        ips: &[IpAddr],
        validity: Validity,
    ) -> Result<IssuedCert, PkiError> {
        // TODO: refuse an empty list of names (PkiError::NoNames); push a
        // dns_san(name)? per DNS name and a SanType::IpAddress per IP into
        // params.subject_alt_names; then self.sign(...) with the first name (or IP)
        // as common name and ExtendedKeyUsagePurpose::ServerAuth.
        todo!("Pki::issue_server: SANs, then sign")
    }

    /// A client certificate naming the caller `name` (a DNS-style name such
    /// as `billing.clients.internal`, in its subject alternative names),
    /// with the `clientAuth` purpose, signed by this CA.
    pub fn issue_client(
        &self,
        name: &str,
        validity: Validity,
    ) -> Result<IssuedCert, PkiError> {
        // TODO: one DNS SAN, dns_san(name)?, and self.sign(...) with
        // ExtendedKeyUsagePurpose::ClientAuth.
        todo!("Pki::issue_client: one SAN, then sign")
    }

    /// What both kinds of end-entity certificate share: a fresh key, a
    /// common name (for humans reading the certificate; verifiers ignore it),
    /// one purpose, the validity, and the CA's signature.
    fn sign(
        &self,
        mut params: CertificateParams,
        common_name: &str,
        purpose: ExtendedKeyUsagePurpose,
        validity: Validity,
    ) -> Result<IssuedCert, PkiError> {
        // TODO: set the distinguished name (CommonName = common_name), is_ca =
        // IsCa::ExplicitNoCa, key_usages = [DigitalSignature], extended_key_usages =
        // [purpose], use_authority_key_identifier_extension = true, and the validity
        // (validity.apply_to). Make a key with KeyPair::generate(), sign with
        // params.signed_by(&key, &self.ca), and keep cert.pem(), key.serialize_pem()
        // and cert.der().clone().
        todo!("Pki::sign: fill in the parameters, make a key, sign")
    }
}

/// A DNS subject alternative name, checked with the same parser rustls uses
/// for the name a client asks for: rcgen accepts any ASCII string, and a
/// SAN no client can ask for is a certificate that can never match.
fn dns_san(name: &str) -> Result<SanType, PkiError> {
    DnsName::try_from(name).map_err(|_| PkiError::InvalidDnsName(name.to_owned()))?;
    Ok(SanType::DnsName(name.try_into()?))
}

/// The trust store a CA PEM file makes: every certificate in it, and an
/// error if there is none.
///
/// tonic's `ca_certificate` goes through rustls's `add_parsable_certificates`,
/// which skips what it cannot parse without a word: a wrong file gives an
/// empty trust store, and the mistake shows up later as "unknown issuer" on
/// every handshake. Checking here turns it into an error at start-up that
/// names the file's problem.
pub fn trust_store(ca_pem: &str) -> Result<RootCertStore, PkiError> {
    // TODO: start from RootCertStore::empty(); for each item of
    // CertificateDer::pem_slice_iter(ca_pem.as_bytes()), map a PEM error to
    // PkiError::BadPem and roots.add(cert) errors to PkiError::BadCaCertificate.
    // An empty store at the end is PkiError::NoCertificateInPem.
    todo!("trust_store: parse every certificate, refuse none")
}

/// Runs the check a TLS client runs on a server's certificate, offline: is
/// `cert` signed by a CA in `roots`, valid at `at`, for the purpose
/// `serverAuth`, and issued for `name`?
///
/// This is rustls's own `WebPkiServerVerifier`, the one a handshake uses, so
/// the errors are the ones a connection would fail with.
pub fn verify_server(
    roots: &RootCertStore,
    cert: &CertificateDer<'_>,
    name: &ServerName<'_>,
    at: SystemTime,
) -> Result<(), rustls::Error> {
    // TODO: WebPkiServerVerifier::builder(Arc::new(roots.clone())).build()
    // (map its error to rustls::Error::General), then verify_server_cert(cert,
    // &[], name, &[], unix_time(at)) from the ServerCertVerifier trait.
    todo!("verify_server: run rustls's server verifier")
}

/// A `SystemTime` as rustls's `UnixTime` (a time before 1970 becomes 1970).
pub(crate) fn unix_time(at: SystemTime) -> UnixTime {
    UnixTime::since_unix_epoch(at.duration_since(UNIX_EPOCH).unwrap_or_default())
}

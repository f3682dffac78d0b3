//! Step 1: a private PKI, checked offline with the verifier a client runs.

use std::time::{Duration, SystemTime};

use rustls::CertificateError;
use rustls::pki_types::ServerName;
use tls::{PkiError, Validity, trust_store, verify_server};

use crate::{LOOPBACK, localhost_cert, pki};

const DAY: Duration = Duration::from_secs(86_400);

fn name(name: &'static str) -> ServerName<'static> {
    ServerName::try_from(name).expect("a valid server name")
}

#[test]
fn a_validity_that_ends_before_it_starts_is_refused() {
    let now = SystemTime::now();
    let err = Validity::new(now, now - DAY).expect_err("not_after before not_before");
    assert!(
        matches!(err, PkiError::EmptyValidity),
        "expected EmptyValidity, got {err:?}"
    );
    let err = Validity::new(now, now).expect_err("an empty period");
    assert!(
        matches!(err, PkiError::EmptyValidity),
        "a period that ends when it starts is empty too; got {err:?}"
    );
    let ok = Validity::new(now - DAY, now + DAY).expect("yesterday to tomorrow is fine");
    assert_eq!(ok.not_after(), now + DAY, "the validity keeps its end date");
}

#[test]
fn the_server_certificate_is_valid_for_its_dns_name_and_its_ip_address() {
    let pki = pki("step1 CA");
    let cert = localhost_cert(&pki);
    let roots = trust_store(&pki.ca_pem()).expect("the CA's own PEM is a trust store");
    let now = SystemTime::now();
    verify_server(&roots, cert.cert_der(), &name("localhost"), now)
        .expect("the certificate should be valid for its DNS SAN, localhost");
    verify_server(&roots, cert.cert_der(), &ServerName::from(LOOPBACK), now)
        .expect("the certificate should be valid for its IP SAN, 127.0.0.1");
}

#[test]
fn a_name_missing_from_the_sans_is_refused_and_the_error_lists_the_sans() {
    let pki = pki("step1 CA");
    let cert = localhost_cert(&pki);
    let roots = trust_store(&pki.ca_pem()).unwrap();
    let err = verify_server(
        &roots,
        cert.cert_der(),
        &name("api.example.com"),
        SystemTime::now(),
    )
    .expect_err("api.example.com is not in the certificate");
    match err {
        rustls::Error::InvalidCertificate(CertificateError::NotValidForNameContext {
            presented,
            ..
        }) => assert_eq!(
            presented,
            ["DnsName(\"localhost\")", "IpAddress(127.0.0.1)"],
            "the error should list the certificate's SANs, in order"
        ),
        other => panic!("expected NotValidForNameContext, got {other:?}"),
    }
}

#[test]
fn a_certificate_from_another_ca_has_an_unknown_issuer() {
    let ours = pki("our CA");
    let theirs = pki("their CA");
    let cert = localhost_cert(&theirs);
    let roots = trust_store(&ours.ca_pem()).unwrap();
    let err = verify_server(
        &roots,
        cert.cert_der(),
        &name("localhost"),
        SystemTime::now(),
    )
    .expect_err("a certificate signed by a CA we do not trust");
    assert!(
        matches!(
            err,
            rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer)
        ),
        "expected UnknownIssuer, got {err:?}"
    );
}

#[test]
fn a_certificate_whose_not_after_has_passed_is_expired() {
    let pki = pki("step1 CA");
    let now = SystemTime::now();
    let last_month = Validity::new(now - 30 * DAY, now - DAY).unwrap();
    let cert = pki
        .issue_server(&["localhost"], &[], last_month)
        .expect("an expired certificate can still be issued");
    let roots = trust_store(&pki.ca_pem()).unwrap();
    let err = verify_server(&roots, cert.cert_der(), &name("localhost"), now)
        .expect_err("the certificate ended yesterday");
    assert!(
        matches!(
            err,
            rustls::Error::InvalidCertificate(
                CertificateError::Expired | CertificateError::ExpiredContext { .. }
            )
        ),
        "expected Expired, got {err:?}"
    );
}

#[test]
fn a_clock_running_behind_sees_a_new_certificate_as_not_valid_yet() {
    let pki = pki("step1 CA");
    let cert = localhost_cert(&pki);
    let roots = trust_store(&pki.ca_pem()).unwrap();
    let two_days_ago = SystemTime::now() - 2 * DAY;
    let err = verify_server(&roots, cert.cert_der(), &name("localhost"), two_days_ago)
        .expect_err("the certificate starts one hour ago, not two days ago");
    assert!(
        matches!(
            err,
            rustls::Error::InvalidCertificate(
                CertificateError::NotValidYet
                    | CertificateError::NotValidYetContext { .. }
            )
        ),
        "expected NotValidYet, got {err:?}"
    );
}

#[test]
fn the_ca_certificate_is_marked_as_a_ca() {
    let pki = pki("step1 CA");
    let roots = trust_store(&pki.ca_pem()).unwrap();
    // A certificate with CA:TRUE may not serve as a server's own certificate:
    // webpki refuses it with CaUsedAsEndEntity, which rustls reports as
    // CertificateError::Other. So this refusal proves the flag is set.
    // The name is matched in the Debug text because it is the only way in:
    // `Other` holds webpki's error as an `Arc<dyn Error>`, and downcasting it
    // would need rustls-webpki as a direct dependency just for this test.
    let err = verify_server(&roots, pki.ca_der(), &name("localhost"), SystemTime::now())
        .expect_err("a CA certificate is not a server certificate");
    assert!(
        matches!(
            &err,
            rustls::Error::InvalidCertificate(CertificateError::Other(_))
        ) && format!("{err:?}").contains("CaUsedAsEndEntity"),
        "expected CaUsedAsEndEntity (is_ca should be IsCa::Ca), got {err:?}"
    );
}

#[test]
fn a_pem_without_a_certificate_is_an_error_not_an_empty_trust_store() {
    let pki = pki("step1 CA");
    let cert = localhost_cert(&pki);
    for (what, pem) in [
        ("the key file", cert.key_pem()),
        ("an empty file", ""),
        ("a file of garbage", "not a certificate"),
    ] {
        let err = trust_store(pem).expect_err(what);
        assert!(
            matches!(err, PkiError::NoCertificateInPem),
            "{what} should give NoCertificateInPem, got {err:?}"
        );
    }
}

#[test]
fn a_server_certificate_needs_a_valid_name() {
    let pki = pki("step1 CA");
    let validity = Validity::days_from_now(30);
    let err = pki
        .issue_server(&[], &[], validity)
        .expect_err("no SAN at all");
    assert!(
        matches!(err, PkiError::NoNames),
        "expected NoNames, got {err:?}"
    );
    let err = pki
        .issue_server(&["not a host name"], &[], validity)
        .expect_err("spaces are not allowed in a DNS name");
    assert!(
        matches!(&err, PkiError::InvalidDnsName(name) if name == "not a host name"),
        "expected InvalidDnsName(\"not a host name\"), got {err:?}"
    );
    let ip_only = pki
        .issue_server(&[], &[LOOPBACK], validity)
        .expect("an IP SAN alone is a valid certificate");
    let roots = trust_store(&pki.ca_pem()).unwrap();
    verify_server(
        &roots,
        ip_only.cert_der(),
        &ServerName::from(LOOPBACK),
        SystemTime::now(),
    )
    .expect("an IP-only certificate is valid for its IP");
}

#[test]
fn the_debug_output_of_a_certificate_hides_its_key() {
    let pki = pki("step1 CA");
    let cert = localhost_cert(&pki);
    let printed = format!("{cert:?}");
    assert!(
        !printed.contains("PRIVATE KEY") && printed.contains("redacted"),
        "Debug should print [redacted] instead of the key, got {printed}"
    );
    assert!(
        cert.key_pem().starts_with("-----BEGIN PRIVATE KEY-----"),
        "key_pem should be a PKCS#8 PEM"
    );
}

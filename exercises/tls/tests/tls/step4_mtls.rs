//! Step 4: mutual TLS. The server checks the client's certificate in the
//! handshake; the handler authorizes the name it carries.

use std::time::SystemTime;

use rustls::CertificateError;
use rustls::pki_types::ServerName;
use tls::pb::WhoamiRequest;
use tls::{
    AllowList, Pki, Refusal, RunningServer, Validity, WhoamiService, classify,
    client_tls, connect, mtls_client_tls, mtls_server_tls, serve, server_tls,
    trust_store, verify_client, verify_server,
};
use tonic::transport::ClientTlsConfig;

use crate::{chain, guard, localhost_cert, pki};

const BILLING: &str = "billing.clients.internal";

/// A mutual-TLS server trusting `pki` for clients and allowing `billing`.
async fn mtls_server(pki: &Pki) -> (RunningServer, WhoamiService) {
    let service = WhoamiService::with_allow_list(AllowList::new(&[BILLING]).unwrap());
    let tls = mtls_server_tls(&localhost_cert(pki), &pki.ca_pem())
        .expect("the server's mutual-TLS config");
    let server = serve(tls, service.clone())
        .await
        .expect("the server starts");
    (server, service)
}

#[test]
fn the_server_verifier_accepts_a_client_certificate_from_its_ca_only() {
    let ours = pki("clients CA");
    let theirs = pki("another CA");
    let roots = trust_store(&ours.ca_pem()).unwrap();
    let now = SystemTime::now();
    let billing = ours
        .issue_client(BILLING, Validity::days_from_now(30))
        .unwrap();
    verify_client(&roots, billing.cert_der(), now)
        .expect("a client certificate from the trusted CA should verify");

    let stranger = theirs
        .issue_client(BILLING, Validity::days_from_now(30))
        .unwrap();
    let err = verify_client(&roots, stranger.cert_der(), now)
        .expect_err("a client certificate from another CA");
    assert!(
        matches!(
            err,
            rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer)
        ),
        "expected UnknownIssuer, got {err:?}"
    );

    // A server certificate is signed by the right CA but has the wrong
    // purpose: serverAuth, not clientAuth.
    let err = verify_client(&roots, localhost_cert(&ours).cert_der(), now)
        .expect_err("a server certificate used as a client certificate");
    assert!(
        matches!(
            err,
            rustls::Error::InvalidCertificate(
                CertificateError::InvalidPurpose
                    | CertificateError::InvalidPurposeContext { .. }
            )
        ),
        "expected InvalidPurpose, got {err:?}"
    );
}

#[test]
fn a_client_certificate_cannot_serve_as_a_server_certificate() {
    let pki = pki("clients CA");
    let roots = trust_store(&pki.ca_pem()).unwrap();
    let billing = pki
        .issue_client(BILLING, Validity::days_from_now(30))
        .unwrap();
    let name = ServerName::try_from(BILLING).unwrap();
    // Right CA, right name, wrong purpose: a client certificate must carry
    // clientAuth only. One without any extended key usage would pass here,
    // since webpki accepts a certificate that states no purpose.
    let err = verify_server(&roots, billing.cert_der(), &name, SystemTime::now())
        .expect_err("a client certificate presented by a server");
    assert!(
        matches!(
            err,
            rustls::Error::InvalidCertificate(
                CertificateError::InvalidPurpose
                    | CertificateError::InvalidPurposeContext { .. }
            )
        ),
        "expected InvalidPurpose (issue_client should set only ClientAuth), got {err:?}"
    );
}

#[tokio::test]
async fn a_client_with_a_certificate_from_the_ca_is_identified_by_its_name() {
    let pki = pki("mtls CA");
    let (server, service) = mtls_server(&pki).await;
    let billing = pki
        .issue_client(BILLING, Validity::days_from_now(30))
        .unwrap();
    let tls = mtls_client_tls(&pki.ca_pem(), Some("localhost"), &billing).unwrap();
    let mut client = guard(connect(&server.url(), tls))
        .await
        .expect("the mutual handshake should succeed");
    let reply = guard(client.whoami(WhoamiRequest {}))
        .await
        .expect("billing is on the allow list");
    assert_eq!(
        reply.into_inner().caller,
        BILLING,
        "the handler should name the caller from its certificate"
    );
    assert_eq!(service.calls(), 1, "the handler ran once");
    server.shutdown().await;
}

#[tokio::test]
async fn without_mutual_tls_the_allow_list_finds_no_caller_and_says_unauthenticated() {
    let pki = pki("mtls CA");
    // Plain server TLS: the handshake asks the client for nothing, so the
    // handler gets no certificate and cannot tell who calls.
    let service = WhoamiService::with_allow_list(AllowList::new(&[BILLING]).unwrap());
    let server = serve(server_tls(&localhost_cert(&pki)), service.clone())
        .await
        .expect("the server starts");
    let tls = client_tls(&pki.ca_pem(), Some("localhost")).unwrap();
    let mut client = guard(connect(&server.url(), tls))
        .await
        .expect("the handshake succeeds: the server does not ask for a certificate");
    let status = guard(client.whoami(WhoamiRequest {}))
        .await
        .expect_err("no client certificate, so no caller to allow");
    assert_eq!(
        status.code(),
        tonic::Code::Unauthenticated,
        "no certificate is Unauthenticated (unknown caller), not PermissionDenied: \
         {status:?}"
    );
    assert_eq!(
        service.calls(),
        1,
        "the handler ran and found no certificate"
    );
    server.shutdown().await;
}

/// Connects (which succeeds: see below) and makes one call, which the
/// server's alert fails.
async fn refused_call(server: &RunningServer, tls: ClientTlsConfig) -> tonic::Status {
    // In TLS 1.3 the client's last handshake message comes before the server
    // checks the client's certificate, so the client's connect() completes;
    // the server's refusal arrives as an alert on the first call.
    let mut client = guard(connect(&server.url(), tls))
        .await
        .expect("connect() succeeds: the client's side of the handshake is done");
    guard(client.whoami(WhoamiRequest {}))
        .await
        .expect_err("the first call should fail with the server's alert")
}

#[tokio::test]
async fn a_client_without_a_certificate_is_refused_before_the_handler() {
    let pki = pki("mtls CA");
    let (server, service) = mtls_server(&pki).await;
    let tls = client_tls(&pki.ca_pem(), Some("localhost")).unwrap();
    let status = refused_call(&server, tls).await;
    assert_eq!(
        status.code(),
        tonic::Code::Unknown,
        "the connection broke under an open HTTP/2 connection: {status:?}"
    );
    assert_eq!(
        classify(&status),
        Refusal::CertificateRequired,
        "the server's alert is CertificateRequired; chain:\n{}",
        chain(&status)
    );
    assert_eq!(service.calls(), 0, "the handler never ran");
    server.shutdown().await;
}

#[tokio::test]
async fn a_client_with_a_certificate_from_another_ca_is_refused_before_the_handler() {
    let pki = pki("mtls CA");
    let other = crate::pki("another CA");
    let (server, service) = mtls_server(&pki).await;
    let stranger = other
        .issue_client(BILLING, Validity::days_from_now(30))
        .unwrap();
    let tls = mtls_client_tls(&pki.ca_pem(), Some("localhost"), &stranger).unwrap();
    let status = refused_call(&server, tls).await;
    assert_eq!(
        classify(&status),
        Refusal::ClientCertificateRefused {
            alert: "UnknownCA".into()
        },
        "the server's alert is UnknownCA; chain:\n{}",
        chain(&status)
    );
    assert_eq!(service.calls(), 0, "the handler never ran");
    server.shutdown().await;
}

#[tokio::test]
async fn a_client_from_the_ca_but_not_on_the_allow_list_is_denied_by_the_handler() {
    let pki = pki("mtls CA");
    let (server, service) = mtls_server(&pki).await;
    let reports = pki
        .issue_client("reports.clients.internal", Validity::days_from_now(30))
        .unwrap();
    let tls = mtls_client_tls(&pki.ca_pem(), Some("localhost"), &reports).unwrap();
    let mut client = guard(connect(&server.url(), tls))
        .await
        .expect("the handshake succeeds: the certificate is from the trusted CA");
    let status = guard(client.whoami(WhoamiRequest {}))
        .await
        .expect_err("reports is not on the allow list");
    assert_eq!(
        status.code(),
        tonic::Code::PermissionDenied,
        "authenticated but not allowed is PermissionDenied: {status:?}"
    );
    assert!(
        matches!(classify(&status), Refusal::NotTls(_)),
        "the handshake succeeded, so this is no TLS refusal"
    );
    assert_eq!(service.calls(), 1, "the handler ran and said no");
    server.shutdown().await;
}

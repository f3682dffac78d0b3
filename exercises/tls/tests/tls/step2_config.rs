//! Step 2: a gRPC call over TLS, on a real socket, by DNS name and by IP.

use tls::pb::WhoamiRequest;
use tls::{PkiError, WhoamiService, client_tls, connect, serve, server_tls};

use crate::{guard, localhost_cert, pki};

#[tokio::test]
async fn a_call_over_tls_succeeds_when_the_client_checks_the_dns_name() {
    let pki = pki("step2 CA");
    let server = serve(
        server_tls(&localhost_cert(&pki)),
        WhoamiService::anonymous(),
    )
    .await
    .expect("the server starts");
    // The TCP connection goes to 127.0.0.1; the certificate is checked
    // against the name "localhost".
    let tls = client_tls(&pki.ca_pem(), Some("localhost")).expect("the CA PEM is valid");
    let mut client = guard(connect(&server.url(), tls))
        .await
        .expect("the handshake should succeed: the CA is trusted, the name matches");
    let reply = guard(client.whoami(WhoamiRequest {}))
        .await
        .expect("the call should succeed");
    assert_eq!(
        reply.into_inner().caller,
        "anonymous",
        "without mutual TLS the server does not know who calls"
    );
    server.shutdown().await;
}

#[tokio::test]
async fn a_call_over_tls_succeeds_when_the_client_checks_the_ip_address() {
    let pki = pki("step2 CA");
    let server = serve(
        server_tls(&localhost_cert(&pki)),
        WhoamiService::anonymous(),
    )
    .await
    .expect("the server starts");
    // No name: the URL's host, 127.0.0.1, is the name, matched by the IP SAN.
    let tls = client_tls(&pki.ca_pem(), None).expect("the CA PEM is valid");
    let mut client = guard(connect(&server.url(), tls))
        .await
        .expect("the handshake should succeed: the certificate has the IP SAN 127.0.0.1");
    let reply = guard(client.whoami(WhoamiRequest {}))
        .await
        .expect("the call should succeed");
    assert_eq!(
        reply.into_inner().caller,
        "anonymous",
        "the call over TLS by IP address should reach the handler"
    );
    server.shutdown().await;
}

#[tokio::test]
async fn a_made_up_name_works_when_it_is_in_the_certificate() {
    let pki = pki("step2 CA");
    let cert = pki
        .issue_server(&["orders.internal"], &[], tls::Validity::days_from_now(30))
        .expect("a certificate for a name no DNS server knows");
    let server = serve(server_tls(&cert), WhoamiService::anonymous())
        .await
        .expect("the server starts");
    // The name need not resolve: the client connects to the address and
    // only checks the name against the certificate.
    let tls = client_tls(&pki.ca_pem(), Some("orders.internal")).unwrap();
    let mut client = guard(connect(&server.url(), tls))
        .await
        .expect("the handshake should succeed for orders.internal");
    guard(client.whoami(WhoamiRequest {}))
        .await
        .expect("the call should succeed");
    server.shutdown().await;
}

#[test]
fn a_client_config_with_a_bad_ca_file_fails_at_setup_not_at_the_handshake() {
    let pki = pki("step2 CA");
    let err = client_tls(localhost_cert(&pki).key_pem(), Some("localhost"))
        .expect_err("the key file is not a CA certificate");
    assert!(
        matches!(err, PkiError::NoCertificateInPem),
        "expected NoCertificateInPem, got {err:?}"
    );
}

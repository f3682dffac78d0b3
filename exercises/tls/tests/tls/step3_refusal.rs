//! Step 3: each refusal, over a real handshake, with the rustls error found
//! in the chain and the classification a user reads.

use std::time::{Duration, SystemTime};

use rustls::CertificateError;
use tls::pb::WhoamiRequest;
use tls::{
    Refusal, Validity, WhoamiService, classify, client_tls, connect, connect_lazy, serve,
    server_tls,
};

use crate::{LOOPBACK, chain, guard, localhost_cert, pki, rustls_error_in};

#[tokio::test]
async fn a_client_trusting_another_ca_refuses_the_server_as_unknown_issuer() {
    let ours = pki("our CA");
    let theirs = pki("their CA");
    let server = serve(
        server_tls(&localhost_cert(&theirs)),
        WhoamiService::anonymous(),
    )
    .await
    .expect("the server starts");
    let tls = client_tls(&ours.ca_pem(), Some("localhost")).unwrap();
    let err = guard(connect(&server.url(), tls))
        .await
        .expect_err("the server's certificate comes from a CA the client does not trust");
    // connect() says only this at the top; the reason is further down.
    assert_eq!(
        err.to_string(),
        "transport error",
        "tonic's top-level message"
    );
    assert!(
        matches!(
            rustls_error_in(&err),
            Some(rustls::Error::InvalidCertificate(
                CertificateError::UnknownIssuer
            ))
        ),
        "expected UnknownIssuer in the chain:\n{}",
        chain(&err)
    );
    assert_eq!(
        classify(&err),
        Refusal::UnknownIssuer,
        "classify should say so"
    );
}

#[tokio::test]
async fn a_name_that_is_not_in_the_sans_is_refused_with_the_names_it_has() {
    let pki = pki("step3 CA");
    let server = serve(
        server_tls(&localhost_cert(&pki)),
        WhoamiService::anonymous(),
    )
    .await
    .expect("the server starts");
    let tls = client_tls(&pki.ca_pem(), Some("api.example.com")).unwrap();
    let err = guard(connect(&server.url(), tls))
        .await
        .expect_err("the certificate is for localhost, not api.example.com");
    assert!(
        matches!(
            rustls_error_in(&err),
            Some(rustls::Error::InvalidCertificate(
                CertificateError::NotValidForName
                    | CertificateError::NotValidForNameContext { .. }
            ))
        ),
        "expected NotValidForName in the chain:\n{}",
        chain(&err)
    );
    assert_eq!(
        classify(&err),
        Refusal::WrongName {
            expected: "api.example.com".into(),
            presented: vec![
                "DnsName(\"localhost\")".into(),
                "IpAddress(127.0.0.1)".into()
            ],
        },
        "classify should name the expected name and the certificate's names"
    );
}

#[tokio::test]
async fn connecting_by_ip_to_a_certificate_without_an_ip_san_is_refused() {
    let pki = pki("step3 CA");
    let dns_only = pki
        .issue_server(&["localhost"], &[], Validity::days_from_now(30))
        .unwrap();
    let server = serve(server_tls(&dns_only), WhoamiService::anonymous())
        .await
        .expect("the server starts");
    let tls = client_tls(&pki.ca_pem(), None).unwrap();
    let err = guard(connect(&server.url(), tls))
        .await
        .expect_err("127.0.0.1 is not in the certificate, only localhost is");
    assert_eq!(
        classify(&err),
        Refusal::WrongName {
            expected: LOOPBACK.to_string(),
            presented: vec!["DnsName(\"localhost\")".into()],
        },
        "an IP address is matched only by an IP SAN; chain:\n{}",
        chain(&err)
    );
}

#[tokio::test]
async fn an_expired_server_certificate_is_refused_as_expired() {
    let pki = pki("step3 CA");
    let now = SystemTime::now();
    let day = Duration::from_secs(86_400);
    let expired = pki
        .issue_server(
            &["localhost"],
            &[LOOPBACK],
            Validity::new(now - 90 * day, now - day).unwrap(),
        )
        .unwrap();
    let server = serve(server_tls(&expired), WhoamiService::anonymous())
        .await
        .expect("the server starts: nothing checks its own certificate's dates");
    let tls = client_tls(&pki.ca_pem(), Some("localhost")).unwrap();
    let err = guard(connect(&server.url(), tls))
        .await
        .expect_err("the certificate expired yesterday");
    assert!(
        matches!(
            rustls_error_in(&err),
            Some(rustls::Error::InvalidCertificate(
                CertificateError::Expired | CertificateError::ExpiredContext { .. }
            ))
        ),
        "expected Expired in the chain:\n{}",
        chain(&err)
    );
    assert_eq!(classify(&err), Refusal::Expired, "classify should say so");
}

#[tokio::test]
async fn a_lazy_channel_reports_the_refusal_on_the_first_call_as_unavailable() {
    let ours = pki("our CA");
    let theirs = pki("their CA");
    let server = serve(
        server_tls(&localhost_cert(&theirs)),
        WhoamiService::anonymous(),
    )
    .await
    .expect("the server starts");
    let tls = client_tls(&ours.ca_pem(), Some("localhost")).unwrap();
    let mut client =
        connect_lazy(&server.url(), tls).expect("a lazy channel does not connect");
    let status = guard(client.whoami(WhoamiRequest {}))
        .await
        .expect_err("the first call runs the handshake, which is refused");
    assert_eq!(
        status.code(),
        tonic::Code::Unavailable,
        "a failed connection is Unavailable: {status:?}"
    );
    assert_eq!(
        classify(&status),
        Refusal::UnknownIssuer,
        "the Status keeps the transport error as its source:\n{}",
        chain(&status)
    );
}

#[tokio::test]
async fn an_error_that_is_not_tls_is_not_classified_as_a_refusal() {
    let pki = pki("step3 CA");
    // A port nobody listens on: bind one, note it, close it.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let tls = client_tls(&pki.ca_pem(), Some("localhost")).unwrap();
    let err = guard(connect(&format!("https://{addr}"), tls))
        .await
        .expect_err("nothing listens there");
    assert!(
        matches!(classify(&err), Refusal::NotTls(_)),
        "a refused TCP connection is not a TLS refusal, got {:?}",
        classify(&err)
    );
}

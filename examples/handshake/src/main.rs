//! # Day 122 example: a private CA, a call over TLS, and every refusal
//!
//! `cargo run -p handshake` makes a certificate authority in memory, starts
//! gRPC servers on `127.0.0.1` behind TLS, and prints one line per case with
//! what the client sees, classified by the `tls` crate (the reference
//! solution):
//!
//! 1. calls that succeed: by DNS name, by IP address;
//! 2. the server's certificate refused: an untrusted CA, a name not in the
//!    certificate, an IP without an IP SAN, an expired certificate;
//! 3. mutual TLS: a trusted client, a client without a certificate, a client
//!    from another CA, a trusted client the handler does not allow;
//! 4. a wrong CA file, caught before any connection.
//!
//! # Layout
//!
//! `main` only wires the runtime; each group of cases is one function. The
//! output holds no dates, keys or ports, so it is the same on every run
//! (certificates and keys are fresh each time, but nothing printed depends
//! on them). The runtime uses real time: TLS runs over real sockets, where a
//! paused clock would fire the connect timeouts at once.

use std::error::Error;
use std::net::{IpAddr, Ipv4Addr};
use std::time::{Duration, SystemTime};

use tls::pb::WhoamiRequest;
use tls::{
    AllowList, IssuedCert, Pki, Validity, WhoamiService, classify, client_tls, connect,
    mtls_client_tls, mtls_server_tls, serve, server_tls,
};
use tonic::transport::{ClientTlsConfig, ServerTlsConfig};

type BoxError = Box<dyn Error + Send + Sync>;

const LOOPBACK: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);
const BILLING: &str = "billing.clients.internal";

fn main() -> Result<(), BoxError> {
    tls::install_crypto_provider();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let pki = Pki::new("workbook dev CA")?;
        let other = Pki::new("someone else's CA")?;
        let server =
            pki.issue_server(&["localhost"], &[LOOPBACK], Validity::days_from_now(30))?;
        successes(&pki, &server).await?;
        refusals(&pki, &other, &server).await?;
        mutual(&pki, &other, &server).await?;
        wrong_ca_file(&server);
        Ok(())
    })
}

async fn successes(pki: &Pki, server: &IssuedCert) -> Result<(), BoxError> {
    println!("== 1. calls over TLS (server certificate: localhost, 127.0.0.1)");
    let tls = server_tls(server);
    case(
        "by DNS name localhost",
        tls.clone(),
        anon(),
        client_tls(&pki.ca_pem(), Some("localhost"))?,
    )
    .await?;
    case(
        "by IP address 127.0.0.1",
        tls,
        anon(),
        client_tls(&pki.ca_pem(), None)?,
    )
    .await
}

async fn refusals(pki: &Pki, other: &Pki, server: &IssuedCert) -> Result<(), BoxError> {
    println!("== 2. the client refuses the server's certificate");
    let trusted = client_tls(&pki.ca_pem(), Some("localhost"))?;
    let foreign =
        other.issue_server(&["localhost"], &[LOOPBACK], Validity::days_from_now(30))?;
    case(
        "signed by an untrusted CA",
        server_tls(&foreign),
        anon(),
        trusted.clone(),
    )
    .await?;

    let wrong_name = client_tls(&pki.ca_pem(), Some("api.example.com"))?;
    case(
        "checked for api.example.com",
        server_tls(server),
        anon(),
        wrong_name,
    )
    .await?;

    let dns_only = pki.issue_server(&["localhost"], &[], Validity::days_from_now(30))?;
    let by_ip = client_tls(&pki.ca_pem(), None)?;
    case("by IP, no IP SAN", server_tls(&dns_only), anon(), by_ip).await?;

    let now = SystemTime::now();
    let day = Duration::from_secs(86_400);
    let last_quarter = Validity::new(now - 90 * day, now - day)?;
    let expired = pki.issue_server(&["localhost"], &[LOOPBACK], last_quarter)?;
    case("expired yesterday", server_tls(&expired), anon(), trusted).await
}

async fn mutual(pki: &Pki, other: &Pki, server: &IssuedCert) -> Result<(), BoxError> {
    println!("== 3. mutual TLS (clients from the dev CA; allowed: {BILLING})");
    let mtls = mtls_server_tls(server, &pki.ca_pem())?;
    let ca = pki.ca_pem();
    let billing = pki.issue_client(BILLING, Validity::days_from_now(30))?;
    let reports =
        pki.issue_client("reports.clients.internal", Validity::days_from_now(30))?;
    let stranger = other.issue_client(BILLING, Validity::days_from_now(30))?;

    let with = |cert: &IssuedCert| mtls_client_tls(&ca, Some("localhost"), cert);
    let allow = || AllowList::new(&[BILLING]).map(WhoamiService::with_allow_list);
    case("client billing", mtls.clone(), allow()?, with(&billing)?).await?;
    case(
        "client without a certificate",
        mtls.clone(),
        allow()?,
        client_tls(&ca, Some("localhost"))?,
    )
    .await?;
    case(
        "client from another CA",
        mtls.clone(),
        allow()?,
        with(&stranger)?,
    )
    .await?;
    case(
        "client reports (not allowed)",
        mtls,
        allow()?,
        with(&reports)?,
    )
    .await
}

/// A server that does not ask who calls.
fn anon() -> WhoamiService {
    WhoamiService::anonymous()
}

fn wrong_ca_file(server: &IssuedCert) {
    println!("== 4. a wrong CA file, caught at start-up");
    match client_tls(server.key_pem(), Some("localhost")) {
        Ok(_) => println!("{:<32} accepted (unexpected)", "the key file as CA"),
        Err(e) => println!("{:<32} error: {e}", "the key file as CA"),
    }
}

/// Starts `service` behind `server_tls`, connects with `client_tls`, makes
/// one call, and prints one line: the caller, what the handler said, or why
/// the handshake was refused.
async fn case(
    label: &str,
    server_tls: ServerTlsConfig,
    service: WhoamiService,
    client_tls: ClientTlsConfig,
) -> Result<(), BoxError> {
    let server = serve(server_tls, service.clone()).await?;
    let outcome = async {
        let mut client = connect(&server.url(), client_tls).await?;
        let reply = client.whoami(WhoamiRequest {}).await?;
        Ok::<_, BoxError>(reply.into_inner().caller)
    };
    let line = match tokio::time::timeout(Duration::from_secs(20), outcome).await {
        Err(_) => "hung (the 20 s guard fired)".to_owned(),
        Ok(Ok(caller)) => format!("ok, caller {caller}"),
        Ok(Err(e)) => match e.downcast_ref::<tonic::Status>() {
            // The handler ran: the handshake succeeded and the call was refused.
            Some(status) if service.calls() > 0 => {
                format!("handler said {:?}: {}", status.code(), status.message())
            }
            _ => format!("refused: {}", classify(&*e)),
        },
    };
    println!("{label:<32} {line}");
    server.shutdown().await;
    Ok(())
}

//! The plumbing, complete in the exercise too: the `Whoami` service, a
//! server on a real socket at `127.0.0.1:0` that stops when dropped, and a
//! client connection with a hang guard.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tonic::transport::server::TcpIncoming;
use tonic::transport::{Channel, ClientTlsConfig, Endpoint, Server, ServerTlsConfig};
use tonic::{Request, Response, Status};

use crate::mtls::AllowList;
use crate::pb::whoami_client::WhoamiClient;
use crate::pb::whoami_server::{Whoami, WhoamiServer};
use crate::pb::{WhoamiReply, WhoamiRequest};

/// A guard on the TCP connect, and on `shutdown` waiting for the server.
/// `Endpoint::connect_timeout` bounds the TCP connect only (tonic hands it
/// to hyper's `HttpConnector`); the TLS handshake has its own, unset here
/// (`ClientTlsConfig::timeout`, and `ServerTlsConfig::timeout` on the
/// server, where a production server should set it so that a peer that
/// never finishes its handshake does not hold a connection forever). The
/// tests and the example wrap each whole exchange in their own guard.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Installs ring as the process's rustls crypto provider, once; later calls
/// do nothing. Call it at the top of `main` (and of each test): it makes the
/// choice explicit instead of leaving it to whichever crate asks first.
pub fn install_crypto_provider() {
    // `Err` means a provider is already installed: by an earlier call, or by
    // another test in the same binary. Both are fine.
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// The `Whoami` service: answers `anonymous`, or, with an allow list, the
/// caller named by its client certificate. Counts the calls its handler
/// ran, so tests can tell a refused handshake (0) from a refused call (1).
#[derive(Debug, Clone, Default)]
pub struct WhoamiService {
    allow: Option<AllowList>,
    calls: Arc<AtomicUsize>,
}

impl WhoamiService {
    /// Answers every caller with `anonymous`: the server authenticates
    /// itself to clients, not clients to itself.
    pub fn anonymous() -> Self {
        Self::default()
    }

    /// Answers only callers whose client certificate `allow` accepts.
    pub fn with_allow_list(allow: AllowList) -> Self {
        Self {
            allow: Some(allow),
            calls: Arc::default(),
        }
    }

    /// How many requests reached the handler.
    pub fn calls(&self) -> usize {
        self.calls.load(Ordering::Relaxed)
    }
}

#[tonic::async_trait]
impl Whoami for WhoamiService {
    async fn whoami(
        &self,
        request: Request<WhoamiRequest>,
    ) -> Result<Response<WhoamiReply>, Status> {
        self.calls.fetch_add(1, Ordering::Relaxed);
        let caller = match &self.allow {
            None => "anonymous".to_owned(),
            Some(allow) => allow.authorize(&request)?,
        };
        Ok(Response::new(WhoamiReply { caller }))
    }
}

/// A server running on `127.0.0.1` on a port the OS picked; it shuts down
/// when dropped, so no test leaves one behind.
#[derive(Debug)]
pub struct RunningServer {
    addr: SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
    task: JoinHandle<Result<(), tonic::transport::Error>>,
}

/// Starts `service` behind `tls` on `127.0.0.1:0`.
pub async fn serve(
    tls: ServerTlsConfig,
    service: WhoamiService,
) -> Result<RunningServer, Box<dyn std::error::Error + Send + Sync>> {
    // Port 0: the OS picks a free port, so tests run in parallel and never
    // collide with a fixed one.
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let (shutdown, stop) = oneshot::channel::<()>();
    let router = Server::builder()
        .tls_config(tls)?
        .add_service(WhoamiServer::new(service));
    let task = tokio::spawn(router.serve_with_incoming_shutdown(
        TcpIncoming::from(listener),
        async {
            // A send or a dropped sender both stop the server.
            let _ = stop.await;
        },
    ));
    Ok(RunningServer {
        addr,
        shutdown: Some(shutdown),
        task,
    })
}

impl RunningServer {
    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `https://127.0.0.1:<port>`: the URL a client connects to.
    pub fn url(&self) -> String {
        format!("https://{}", self.addr)
    }

    /// Stops accepting, drains open connections, and waits for the server.
    pub async fn shutdown(mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        let _ = tokio::time::timeout(CONNECT_TIMEOUT, &mut self.task).await;
    }
}

impl Drop for RunningServer {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
    }
}

/// Connects to `url` with `tls`, handshake included: a refused handshake is
/// this function's error.
pub async fn connect(
    url: &str,
    tls: ClientTlsConfig,
) -> Result<WhoamiClient<Channel>, tonic::transport::Error> {
    let channel = Endpoint::from_shared(url.to_owned())?
        .tls_config(tls)?
        .connect_timeout(CONNECT_TIMEOUT)
        .connect()
        .await?;
    Ok(WhoamiClient::new(channel))
}

/// A channel that connects on its first call: a refused handshake is that
/// call's `Status` (code `Unavailable`).
pub fn connect_lazy(
    url: &str,
    tls: ClientTlsConfig,
) -> Result<WhoamiClient<Channel>, tonic::transport::Error> {
    let channel = Endpoint::from_shared(url.to_owned())?
        .tls_config(tls)?
        .connect_timeout(CONNECT_TIMEOUT)
        .connect_lazy();
    Ok(WhoamiClient::new(channel))
}

//! Step 4: the order of a chain, and the chain this lesson argues for.
//!
//! `Server::builder().layer(a).layer(b)` and
//! `ServiceBuilder::new().layer(a).layer(b)` both make `a` the outermost
//! layer: `a` sees the request first and the response last. A [`Probe`]
//! writes down when it sees each, so a test can check the order instead of
//! trusting a sentence in the docs.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite};
use tokio_stream::Stream;
use tonic::transport::Server;
use tonic::transport::server::Connected;
use tower::{Layer, Service};

use crate::pb::stock_server::StockServer;
use crate::{AuthInterceptor, IdSource, RequestIdLayer, Shop, Sink, TimingLayer, Tokens};

/// A shared, ordered list of what happened, written by probes (and by the
/// shop's handlers when it has one).
#[derive(Debug, Clone, Default)]
pub struct Journal(Arc<Mutex<Vec<String>>>);

impl Journal {
    /// An empty journal.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends `entry`.
    pub fn push(&self, entry: impl Into<String>) {
        // A poisoned lock only means another writer panicked mid-push; the
        // list is still a list, so keep writing rather than panic again.
        let mut entries = self.0.lock().unwrap_or_else(|e| e.into_inner());
        entries.push(entry.into());
    }

    /// Everything written so far, in order.
    pub fn entries(&self) -> Vec<String> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

/// A [`Layer`] that writes `"<name>: request"` into a [`Journal`] when a
/// request reaches it, and `"<name>: response"` when the response head
/// passes back through it.
#[derive(Debug, Clone)]
pub struct ProbeLayer {
    name: &'static str,
    journal: Journal,
}

impl ProbeLayer {
    /// A probe called `name`, writing into `journal`.
    pub fn new(name: &'static str, journal: Journal) -> Self {
        Self { name, journal }
    }
}

impl<S> Layer<S> for ProbeLayer {
    type Service = Probe<S>;

    fn layer(&self, inner: S) -> Probe<S> {
        Probe {
            inner,
            name: self.name,
            journal: self.journal.clone(),
        }
    }
}

/// The service of [`ProbeLayer`]. Generic over the request type, so it
/// wraps a tonic server and a plain `tower::service_fn` alike.
#[derive(Debug, Clone)]
pub struct Probe<S> {
    inner: S,
    name: &'static str,
    journal: Journal,
}

impl<S, R> Service<R> for Probe<S>
where
    S: Service<R>,
    S::Future: Send + 'static,
{
    type Response = S::Response;
    type Error = S::Error;
    // A boxed `async` block: one allocation per call, and `Send + 'static`
    // demanded of the inner future, which the layers of steps 2 and 3 avoid
    // with hand-written futures. For a probe that exists to be read, the
    // short version wins.
    type Future = Pin<Box<dyn Future<Output = Result<S::Response, S::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: R) -> Self::Future {
        // Written in `call`, before the inner service is called: the inner
        // service's own `call` may run code (an interceptor does all its
        // work there), and it must come after this line.
        self.journal.push(format!("{}: request", self.name));
        let future = self.inner.call(request);
        let journal = self.journal.clone();
        let name = self.name;
        Box::pin(async move {
            let response = future.await;
            journal.push(format!("{name}: response"));
            response
        })
    }
}

/// The server of this lesson: what it accepts, where ids come from, where
/// timings go, and the service itself.
#[derive(Debug, Clone)]
pub struct Chain {
    tokens: Tokens,
    ids: Arc<dyn IdSource>,
    sink: Arc<dyn Sink>,
    shop: Shop,
}

impl Chain {
    /// A chain accepting `tokens`, making ids with `ids` and recording
    /// timings into `sink`, in front of a plain [`Shop`].
    pub fn new(tokens: Tokens, ids: impl IdSource, sink: impl Sink) -> Self {
        Self {
            tokens,
            ids: Arc::new(ids),
            sink: Arc::new(sink),
            shop: Shop::new(),
        }
    }

    /// The same chain in front of `shop`.
    pub fn with_shop(mut self, shop: Shop) -> Self {
        self.shop = shop;
        self
    }

    /// Serves the chain on `incoming` until the connections are gone.
    ///
    /// # Errors
    ///
    /// The transport error that stopped the server.
    pub async fn serve<I, IO, IE>(
        self,
        incoming: I,
    ) -> Result<(), tonic::transport::Error>
    where
        I: Stream<Item = Result<IO, IE>>,
        IO: AsyncRead + AsyncWrite + Connected + Unpin + Send + 'static,
        IE: Into<Box<dyn std::error::Error + Send + Sync>>,
    {
        Server::builder()
            // Outermost: every response gets its id, the interceptor's
            // refusals included, and the timing layer below can read it
            // from the extensions.
            .layer(RequestIdLayer::from_arc(self.ids))
            // Outside auth: a refused call is timed, as UNAUTHENTICATED. A
            // flood of bad tokens is something to see on a dashboard.
            .layer(TimingLayer::from_arc(self.sink))
            // Auth last, and on the Stock service only, not server-wide: a
            // health service added beside it must answer without a token.
            .add_service(StockServer::with_interceptor(
                self.shop,
                AuthInterceptor::new(self.tokens),
            ))
            .serve_with_incoming(incoming)
            .await
    }
}

impl fmt::Display for Journal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.entries().join(", "))
    }
}

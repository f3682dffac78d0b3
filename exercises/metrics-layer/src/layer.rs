//! Step 4: the tower `Layer`, its `Service` and the response future that
//! owns the call's guard.
//!
//! The layer wraps any service from `http::Request<B>` to
//! `http::Response<RB>`: an axum router, a tonic server (gRPC is HTTP/2), or
//! a `tower::service_fn` in a test. No handler writes a line of metrics code.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use pin_project_lite::pin_project;
use tower::{Layer, Service};

use crate::{CallGuard, Code, RedMetrics};

/// A [`Layer`] that wraps a service in [`Red`], recording the RED metrics of
/// every call into its [`RedMetrics`].
#[derive(Debug, Clone)]
pub struct RedLayer {
    metrics: RedMetrics,
}

impl RedLayer {
    /// A layer that records into `metrics`.
    pub fn new(metrics: RedMetrics) -> Self {
        todo!("RedLayer::new")
    }
}

impl<S> Layer<S> for RedLayer {
    type Service = Red<S>;

    fn layer(&self, inner: S) -> Red<S> {
        todo!("RedLayer::layer: wrap `inner` with a clone of the metrics")
    }
}

/// A service that records the RED metrics of every call to `S`.
#[derive(Debug, Clone)]
pub struct Red<S> {
    inner: S,
    metrics: RedMetrics,
}

impl<S, B, RB> Service<http::Request<B>> for Red<S>
where
    S: Service<http::Request<B>, Response = http::Response<RB>>,
{
    type Response = http::Response<RB>;
    // The inner error, unchanged: the layer observes, it does not decide
    // what a caller sees.
    type Error = S::Error;
    type Future = ResponseFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        // TODO: the layer adds no back-pressure of its own: ask the inner
        // service.
        todo!("Red::poll_ready: forward to the inner service")
    }

    fn call(&mut self, request: http::Request<B>) -> Self::Future {
        // TODO: start a CallGuard for `request.uri().path()` here, in `call`
        // and before the inner call (a future dropped before its first poll
        // must still count), then return a ResponseFuture holding the inner
        // service's future and `Some(guard)`.
        todo!("Red::call: start the guard, call the inner service")
    }
}

pin_project! {
    /// The future of one call through [`Red`]: the inner service's future,
    /// and the guard that records the call when the inner future completes,
    /// or when this future is dropped first.
    ///
    /// A named type, as tower-http's middleware write theirs, rather than a
    /// `Pin<Box<dyn Future + Send>>` from an `async move` block: no heap
    /// allocation per call, no `Send` or `'static` demanded of the inner
    /// future, and a type the next layer can name.
    #[derive(Debug)]
    pub struct ResponseFuture<F> {
        #[pin]
        inner: F,
        // An `Option` so that `poll` can take the guard out and finish it,
        // exactly once, when the inner future completes.
        guard: Option<CallGuard>,
    }
}

impl<F, RB, E> Future for ResponseFuture<F>
where
    F: Future<Output = Result<http::Response<RB>, E>>,
{
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        // TODO: `self.project()` gives `inner` pinned and `guard` as
        // `&mut Option<CallGuard>`. Poll `inner` (`ready!` returns Pending for
        // you); when it is done, the code is `Code::of_response` for an Ok
        // and Code::ERROR for an Err: `take()` the guard and `finish` it with
        // that code, then return the result unchanged.
        todo!("ResponseFuture::poll: finish the guard when the inner future is done")
    }
}

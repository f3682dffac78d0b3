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
        Self { metrics }
    }
}

impl<S> Layer<S> for RedLayer {
    type Service = Red<S>;

    fn layer(&self, inner: S) -> Red<S> {
        Red {
            inner,
            metrics: self.metrics.clone(),
        }
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
        // Readiness is the inner service's: a call is measured from `call`,
        // not from the wait for capacity (that wait is the caller's, and a
        // concurrency limit outside the layer measures it).
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: http::Request<B>) -> Self::Future {
        // The guard is made here, in `call`, not in the future's first poll:
        // a future dropped before it was ever polled (a deadline already
        // past, a client gone) still counts, as `cancelled`.
        let guard = CallGuard::start(&self.metrics, request.uri().path());
        ResponseFuture {
            inner: self.inner.call(request),
            guard: Some(guard),
        }
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
        let this = self.project();
        // `ready!` returns `Poll::Pending` from this function if the inner
        // future is not done: nothing is recorded until it is.
        let result = ready!(this.inner.poll(cx));
        let code = match &result {
            Ok(response) => Code::of_response(response),
            Err(_) => Code::ERROR,
        };
        if let Some(guard) = this.guard.take() {
            guard.finish(code);
        }
        Poll::Ready(result)
    }
}

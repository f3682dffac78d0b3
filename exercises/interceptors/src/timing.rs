//! Step 3: a timing layer that times a call to its real end.
//!
//! The response future of a gRPC call is ready when the response *head* is:
//! for a stream, that is before the first message. A layer that stops the
//! clock there records time to first byte and reads `OK` from a head that
//! says nothing yet. This layer moves its drop guard into the response body
//! and stops the clock when the body ends, reading the status from the
//! trailers, where a stream's status (and its errors) arrive.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, ready};
use std::time::Duration;

use http::HeaderMap;
use http_body::{Body, Frame, SizeHint};
use pin_project_lite::pin_project;
use tokio::time::Instant;
use tonic::Code;
use tower::{Layer, Service};

use crate::RequestId;

/// One finished call, as the timing layer saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallRecord {
    /// The request path: `/workbook.interceptors.v1.Stock/Get`.
    pub method: String,
    /// The call's gRPC status; [`Code::Cancelled`] if it never finished.
    pub code: Code,
    /// From the call reaching the layer to its end.
    pub elapsed: Duration,
    /// The call's request id, if a [`RequestIdLayer`](crate::RequestIdLayer)
    /// outside this one gave it one.
    pub request_id: Option<RequestId>,
}

impl fmt::Display for CallRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {:?} {:?}", self.method, self.code, self.elapsed)?;
        match &self.request_id {
            Some(id) => write!(f, " id={id}"),
            None => f.write_str(" id=-"),
        }
    }
}

/// Where the records go: a log line, a metrics registry, a test's channel.
///
/// `record` is called from `Drop`, on whichever thread drops the call, so
/// it must be quick, must not block and must not panic.
pub trait Sink: fmt::Debug + Send + Sync + 'static {
    /// Takes one finished call.
    fn record(&self, call: CallRecord);
}

/// A channel is a sink: tests `recv().await` the records, in order.
impl Sink for tokio::sync::mpsc::UnboundedSender<CallRecord> {
    fn record(&self, call: CallRecord) {
        // A receiver that is gone means nobody reads the records any more;
        // that must not fail the call, so the error is dropped.
        let _ = self.send(call);
    }
}

/// The code in a `grpc-status` entry of `headers`, if it has one.
fn grpc_status(headers: &HeaderMap) -> Option<Code> {
    headers
        .get("grpc-status")
        .map(|value| Code::from_bytes(value.as_bytes()))
}

/// One call being timed. Dropping it records the call, with the code set by
/// [`CallGuard::set_code`], or [`Code::Cancelled`] if nothing set one.
#[derive(Debug)]
#[must_use = "a guard dropped at once records a cancelled call of zero duration"]
pub struct CallGuard {
    sink: Arc<dyn Sink>,
    method: String,
    request_id: Option<RequestId>,
    // tokio's `Instant`: it follows the paused clock, so a test records
    // exact durations without waiting. In a normal runtime it is the
    // monotonic clock, as `std::time::Instant` is.
    start: Instant,
    code: Option<Code>,
}

impl CallGuard {
    /// Starts timing a call to `method` now.
    pub fn start(
        sink: Arc<dyn Sink>,
        method: &str,
        request_id: Option<RequestId>,
    ) -> Self {
        // TODO: keep everything, start the clock (`Instant::now()`, tokio's),
        // and leave the code unset.
        todo!("CallGuard::start: start the clock")
    }

    /// The status the call ended with (or, from a head, will end with).
    pub fn set_code(&mut self, code: Code) {
        todo!("CallGuard::set_code")
    }
}

impl Drop for CallGuard {
    fn drop(&mut self) {
        // TODO: record a CallRecord into the sink: the method, the code set so
        // far or Code::Cancelled, the elapsed time and the request id
        // (`std::mem::take` / `Option::take` move them out of `&mut self`).
        // Left empty rather than `todo!()`: a panic in `drop` during a panic
        // aborts the whole test binary.
    }
}

/// A [`Layer`] that times every call, to the end of its response body.
#[derive(Debug, Clone)]
pub struct TimingLayer {
    sink: Arc<dyn Sink>,
}

impl TimingLayer {
    /// A layer recording into `sink`.
    pub fn new(sink: impl Sink) -> Self {
        Self {
            sink: Arc::new(sink),
        }
    }

    /// A layer sharing a sink already behind an `Arc`.
    pub fn from_arc(sink: Arc<dyn Sink>) -> Self {
        Self { sink }
    }
}

impl<S> Layer<S> for TimingLayer {
    type Service = Timing<S>;

    fn layer(&self, inner: S) -> Timing<S> {
        Timing {
            inner,
            sink: self.sink.clone(),
        }
    }
}

/// A service that times every call to `S`.
#[derive(Debug, Clone)]
pub struct Timing<S> {
    inner: S,
    sink: Arc<dyn Sink>,
}

impl<S, B, RB> Service<http::Request<B>> for Timing<S>
where
    S: Service<http::Request<B>, Response = http::Response<RB>>,
{
    type Response = http::Response<TimedBody<RB>>;
    type Error = S::Error;
    type Future = ResponseFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: http::Request<B>) -> Self::Future {
        // TODO: make the CallGuard HERE (the path, and the RequestId from the
        // request's extensions if any), then call the inner service and return
        // a ResponseFuture holding both.
        todo!("Timing::call: start a guard, call the inner service")
    }
}

pin_project! {
    /// The future of one call through [`Timing`]: when the head is ready it
    /// hands the guard on to the body.
    #[derive(Debug)]
    pub struct ResponseFuture<F> {
        #[pin]
        inner: F,
        guard: Option<CallGuard>,
    }
}

impl<F, RB, E> Future for ResponseFuture<F>
where
    F: Future<Output = Result<http::Response<RB>, E>>,
{
    type Output = Result<http::Response<TimedBody<RB>>, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        // TODO: wait for the inner future (`ready!`). On `Ok(response)`: if the
        // head has a `grpc-status` (`grpc_status(response.headers())`), set it
        // on the guard; then `response.map(|inner| TimedBody { inner, guard })`.
        // On `Err`, set Code::Unknown on the guard and return the error.
        todo!("timing::ResponseFuture::poll: hand the guard to the body")
    }
}

pin_project! {
    /// A response body that records its call when it ends: at the trailers,
    /// at the end of the data, or when it is dropped unfinished.
    #[derive(Debug)]
    pub struct TimedBody<B> {
        #[pin]
        inner: B,
        guard: Option<CallGuard>,
    }
}

impl<B: Body> Body for TimedBody<B> {
    type Data = B::Data;
    type Error = B::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Self::Data>, Self::Error>>> {
        // TODO: `let mut this = self.project();` and
        // `ready!(this.inner.as_mut().poll_frame(cx))` (`as_mut` keeps the pinned
        // body usable below), then look at the frame:
        // - data: nothing to do, unless the inner body now says it is at its end
        //   (`this.inner.is_end_stream()`): hyper then drops it without polling
        //   for `None`, so finish here as for `None`;
        // - trailers (`frame.trailers_ref()`): take the guard, set the code from
        //   `grpc_status(trailers)` (Code::Unknown if absent), and drop it;
        // - an error: take the guard, set Code::Unknown;
        // - `None` (the end): take the guard; if no code was set, Code::Unknown.
        // Return the frame unchanged.
        todo!("TimedBody::poll_frame: record the call at the trailers or the end")
    }

    fn is_end_stream(&self) -> bool {
        // TODO: forward to the inner body. Why does it matter for a
        // trailers-only response?
        todo!("TimedBody::is_end_stream")
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

/// The naive version, for comparison: it stops the clock when the response
/// head is ready and reads the code from the head alone. On a stream, it
/// records time to first byte and `OK` whatever the trailers say.
#[derive(Debug, Clone)]
pub struct FirstByteTimingLayer {
    sink: Arc<dyn Sink>,
}

impl FirstByteTimingLayer {
    /// A naive layer recording into `sink`.
    pub fn new(sink: impl Sink) -> Self {
        Self {
            sink: Arc::new(sink),
        }
    }
}

impl<S> Layer<S> for FirstByteTimingLayer {
    type Service = FirstByteTiming<S>;

    fn layer(&self, inner: S) -> FirstByteTiming<S> {
        FirstByteTiming {
            inner,
            sink: self.sink.clone(),
        }
    }
}

/// The service of [`FirstByteTimingLayer`].
#[derive(Debug, Clone)]
pub struct FirstByteTiming<S> {
    inner: S,
    sink: Arc<dyn Sink>,
}

impl<S, B, RB> Service<http::Request<B>> for FirstByteTiming<S>
where
    S: Service<http::Request<B>, Response = http::Response<RB>>,
    S::Future: Send + 'static,
{
    type Response = http::Response<RB>;
    type Error = S::Error;
    type Future = Pin<
        Box<dyn Future<Output = Result<http::Response<RB>, S::Error>> + Send + 'static>,
    >;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: http::Request<B>) -> Self::Future {
        let method = request.uri().path().to_owned();
        let request_id = request.extensions().get::<RequestId>().cloned();
        let sink = self.sink.clone();
        let start = Instant::now();
        let future = self.inner.call(request);
        Box::pin(async move {
            let response = future.await?;
            // Two mistakes on a stream: the clock stops at the head, and a
            // head without `grpc-status` is read as OK. (A third: a call
            // dropped before its head is never recorded at all.)
            sink.record(CallRecord {
                method,
                code: grpc_status(response.headers()).unwrap_or(Code::Ok),
                elapsed: start.elapsed(),
                request_id,
            });
            Ok(response)
        })
    }
}

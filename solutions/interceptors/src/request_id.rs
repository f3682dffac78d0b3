//! Step 2: a request id on every call, kept from the caller or made here,
//! handed to the handler and stamped on every response.
//!
//! An interceptor could read or set the id on the request, but it never
//! sees the response, so it cannot put the id back on it. A tower layer
//! sees both, and it sees the responses nobody's handler produced: the
//! auth interceptor's refusals, tonic's `UNIMPLEMENTED` for an unknown
//! method.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll, ready};

use http::HeaderValue;
use pin_project_lite::pin_project;
use tower::{Layer, Service};

/// The header the id travels in, on the request and on the response.
pub const X_REQUEST_ID: &str = "x-request-id";

/// The longest id accepted from a caller.
const MAX_LEN: usize = 64;

/// One call's id: 1 to 64 characters from `A-Z a-z 0-9 - _ . :`.
///
/// A caller's id is written into every log line and echoed in a response
/// header, so the set is closed and the length bounded: a client cannot
/// fill the logs with a 4 KiB id or with characters a log parser trips on.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RequestId(Arc<str>);

/// Why a string is not a [`RequestId`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RequestIdError {
    /// The id is empty.
    #[error("a request id must not be empty")]
    Empty,
    /// The id is longer than 64 characters.
    #[error("a request id has at most 64 characters, this one has {len}")]
    TooLong {
        /// The length of the id that was refused.
        len: usize,
    },
    /// The id holds a character outside `A-Z a-z 0-9 - _ . :`.
    #[error("a request id cannot contain {found:?}")]
    BadChar {
        /// The first character that is not allowed.
        found: char,
    },
}

impl RequestId {
    /// Checks `id` and wraps it.
    ///
    /// # Errors
    ///
    /// [`RequestIdError::Empty`], [`RequestIdError::TooLong`] or
    /// [`RequestIdError::BadChar`].
    pub fn parse(id: &str) -> Result<Self, RequestIdError> {
        if id.is_empty() {
            return Err(RequestIdError::Empty);
        }
        // `len()` counts bytes; once every character is ASCII (checked
        // below, but a non-ASCII one is refused either way) bytes and
        // characters are the same count.
        if id.len() > MAX_LEN {
            return Err(RequestIdError::TooLong { len: id.len() });
        }
        let allowed = |c: char| c.is_ascii_alphanumeric() || "-_.:".contains(c);
        if let Some(found) = id.chars().find(|&c| !allowed(c)) {
            return Err(RequestIdError::BadChar { found });
        }
        Ok(Self(Arc::from(id)))
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The id as a header value. Cannot fail: `parse` admits only visible
    /// ASCII, which is always a valid header value.
    fn header_value(&self) -> HeaderValue {
        HeaderValue::from_str(&self.0).expect("a parsed request id is visible ASCII")
    }

    /// Copies this id into the metadata of an outgoing call, so that the
    /// next service logs the same id: a handler calling another service
    /// passes its request's id along this way.
    pub fn propagate<T>(&self, outgoing: &mut tonic::Request<T>) {
        let value = tonic::metadata::AsciiMetadataValue::try_from(self.as_str())
            .expect("a parsed request id is visible ASCII");
        outgoing.metadata_mut().insert(X_REQUEST_ID, value);
    }
}

impl fmt::Display for RequestId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Where new ids come from. Injected, so that tests and the example get
/// `req-1`, `req-2`... and production gets random ones.
pub trait IdSource: fmt::Debug + Send + Sync + 'static {
    /// A fresh id, different from every other one this source made.
    fn next_id(&self) -> RequestId;
}

/// `<prefix>-1`, `<prefix>-2`...: deterministic ids, for tests and examples.
#[derive(Debug)]
pub struct Sequential {
    prefix: String,
    next: AtomicU64,
}

impl Sequential {
    /// Ids `<prefix>-1`, `<prefix>-2`... The prefix must be a valid id
    /// itself, 40 characters at most, so that every id made is valid.
    ///
    /// # Errors
    ///
    /// The [`RequestIdError`] of a prefix that is not a valid id, or
    /// [`RequestIdError::TooLong`] above 40 characters.
    pub fn new(prefix: &str) -> Result<Self, RequestIdError> {
        RequestId::parse(prefix)?;
        // 40 + '-' + the 20 digits of u64::MAX fits in 64.
        if prefix.len() > 40 {
            return Err(RequestIdError::TooLong { len: prefix.len() });
        }
        Ok(Self {
            prefix: prefix.to_owned(),
            next: AtomicU64::new(1),
        })
    }
}

impl IdSource for Sequential {
    fn next_id(&self) -> RequestId {
        // `Relaxed` is enough: the counter only has to hand out distinct
        // numbers, and `fetch_add` does that at any ordering; no other
        // memory is published through it.
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        RequestId(Arc::from(format!("{}-{n}", self.prefix)))
    }
}

/// 16 random hex digits (64 bits): what a production server would use.
#[derive(Debug, Default)]
pub struct RandomIds;

impl IdSource for RandomIds {
    fn next_id(&self) -> RequestId {
        RequestId(Arc::from(format!("{:016x}", fastrand::u64(..))))
    }
}

/// A [`Layer`] giving every call a [`RequestId`].
#[derive(Debug, Clone)]
pub struct RequestIdLayer {
    ids: Arc<dyn IdSource>,
}

impl RequestIdLayer {
    /// A layer that makes missing ids with `ids`.
    pub fn new(ids: impl IdSource) -> Self {
        Self { ids: Arc::new(ids) }
    }

    /// A layer sharing an id source already behind an `Arc`.
    pub fn from_arc(ids: Arc<dyn IdSource>) -> Self {
        Self { ids }
    }
}

impl<S> Layer<S> for RequestIdLayer {
    type Service = RequestIds<S>;

    fn layer(&self, inner: S) -> RequestIds<S> {
        RequestIds {
            inner,
            ids: self.ids.clone(),
        }
    }
}

/// A service that gives every call to `S` a [`RequestId`].
#[derive(Debug, Clone)]
pub struct RequestIds<S> {
    inner: S,
    ids: Arc<dyn IdSource>,
}

impl<S, B, RB> Service<http::Request<B>> for RequestIds<S>
where
    S: Service<http::Request<B>, Response = http::Response<RB>>,
{
    type Response = http::Response<RB>;
    type Error = S::Error;
    type Future = ResponseFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: http::Request<B>) -> Self::Future {
        // A caller's id is kept when it is valid, so one id follows a
        // request through every service it crosses. An invalid one is
        // replaced, not refused: the id is for finding log lines, and
        // failing a call over it would turn a tracing aid into an outage.
        let id = request
            .headers()
            .get(X_REQUEST_ID)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| RequestId::parse(value).ok())
            .unwrap_or_else(|| self.ids.next_id());
        // Both places: the extension is the typed value for code inside the
        // server (the handler, the timing layer), and the header, rewritten
        // with the id actually used, is what `request.metadata()` shows.
        request
            .headers_mut()
            .insert(X_REQUEST_ID, id.header_value());
        request.extensions_mut().insert(id.clone());
        ResponseFuture {
            inner: self.inner.call(request),
            id: Some(id),
        }
    }
}

pin_project! {
    /// The future of one call through [`RequestIds`]: it stamps the id on
    /// the response head when the inner future is ready.
    #[derive(Debug)]
    pub struct ResponseFuture<F> {
        #[pin]
        inner: F,
        id: Option<RequestId>,
    }
}

impl<F, RB, E> Future for ResponseFuture<F>
where
    F: Future<Output = Result<http::Response<RB>, E>>,
{
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let mut result = ready!(this.inner.poll(cx));
        // The response head, whatever the handler did (an `Err` from the
        // inner service has no head to stamp; tonic's router never returns
        // one, but a layer inside this one might): tonic sends a handler's
        // `Err(Status)` and the interceptor's refusal as trailers-only
        // responses, whose `grpc-status` is in these very headers, and a
        // stream's head goes out before its first message. One place covers
        // all three. (Trailers would not do: a trailers-only response has
        // none, and a client reads `response.metadata()` from the head.)
        if let (Ok(response), Some(id)) = (&mut result, this.id.take()) {
            response
                .headers_mut()
                .insert(X_REQUEST_ID, id.header_value());
        }
        Poll::Ready(result)
    }
}

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
        // TODO: RequestIdError::Empty for "", TooLong { len } above MAX_LEN
        // bytes, BadChar { found } for the first character that is not ASCII
        // alphanumeric or one of `-_.:`; otherwise wrap it: Self(Arc::from(id)).
        todo!("RequestId::parse: check length and characters")
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
        // TODO: insert the id under X_REQUEST_ID into `outgoing.metadata_mut()`
        // (`tonic::metadata::AsciiMetadataValue::try_from(self.as_str())`).
        todo!("RequestId::propagate: copy the id into the outgoing metadata")
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
        // TODO: `fetch_add(1, ..)` on the counter gives each caller its own
        // number; format `<prefix>-<n>`. Which ordering is enough, and why?
        todo!("Sequential::next_id: the next number, formatted")
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
        // TODO: take the X_REQUEST_ID header if it is valid UTF-8 and parses as
        // a RequestId, or make one with `self.ids.next_id()`. Write it back into
        // the request's headers (`id.header_value()`) and into its extensions,
        // call the inner service, and return a ResponseFuture holding the id.
        todo!("RequestIds::call: keep or make the id, give it to the request")
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
        // TODO: `let this = self.project();`, `ready!(this.inner.poll(cx))`,
        // then on an `Ok(response)` insert the id (`this.id.take()`) into
        // `response.headers_mut()` under X_REQUEST_ID. Return the result.
        todo!("request_id::ResponseFuture::poll: stamp the id on the response head")
    }
}

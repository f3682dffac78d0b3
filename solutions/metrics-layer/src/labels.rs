//! Step 1: the labels every call is counted under, `method` and `code`.
//!
//! Every distinct label set is a time series that Prometheus stores and
//! queries for as long as it lives, so both labels take their values from a
//! closed set: `method` from an allow-list of known paths (anything else is
//! `other`), `code` from the 17 gRPC status names, five HTTP status classes
//! and the two outcomes that have no response at all (`error`, `cancelled`).

use std::collections::HashSet;
use std::fmt::Write as _;
use std::sync::Arc;

use http::header::CONTENT_TYPE;
use prometheus_client::encoding::{EncodeLabelSet, EncodeLabelValue, LabelValueEncoder};

/// The outcome of one call, as the `code` label spells it.
///
/// A `Code` can only come from the constants and constructors below, so the
/// label has a fixed set of values, whatever the responses contain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Code(&'static str);

/// The gRPC status names, indexed by their number (0 is `OK`), in the
/// lowercase form this crate uses for every label value.
const GRPC_NAMES: [&str; 17] = [
    "ok",
    "cancelled",
    "unknown",
    "invalid_argument",
    "deadline_exceeded",
    "not_found",
    "already_exists",
    "permission_denied",
    "resource_exhausted",
    "failed_precondition",
    "aborted",
    "out_of_range",
    "unimplemented",
    "internal",
    "unavailable",
    "data_loss",
    "unauthenticated",
];

impl Code {
    /// The call finished with a gRPC `OK`.
    pub const OK: Code = Code("ok");
    /// The future was dropped before it finished: a timeout outside the
    /// layer fired, or the client hung up. It shares gRPC's `CANCELLED`
    /// label, which is what a client hang-up is in gRPC's own terms.
    pub const CANCELLED: Code = Code("cancelled");
    /// A gRPC status outside 0..=16, or a header that is not a number (as
    /// tonic maps unknown numbers to `Code::Unknown`), or an HTTP status
    /// above 599.
    pub const UNKNOWN: Code = Code("unknown");
    /// The inner service returned an `Err` instead of a response (a
    /// `tower::timeout::Timeout` inside the layer, a broken connection).
    pub const ERROR: Code = Code("error");

    /// The code of the gRPC status numbered `status` (`grpc-status: 5` is
    /// `not_found`); a number outside 0..=16 is [`Code::UNKNOWN`].
    pub fn grpc(status: u32) -> Code {
        // `get`, not indexing: the number comes from a peer, and a peer's
        // `grpc-status: 99` must not panic the server.
        usize::try_from(status)
            .ok()
            .and_then(|index| GRPC_NAMES.get(index))
            .map_or(Code::UNKNOWN, |name| Code(name))
    }

    /// The code of a response, read from its head only:
    ///
    /// 1. a `grpc-status` header (a gRPC error sent "trailers-only", as tonic
    ///    sends a handler's `Err(Status)`) gives the gRPC status name;
    /// 2. otherwise a gRPC response (`content-type: application/grpc...`)
    ///    with HTTP 200 is `ok`: its real status comes in the trailers, after
    ///    the body, which this layer does not wait for (the page explains);
    /// 3. otherwise the HTTP status class, `1xx` to `5xx`.
    pub fn of_response<B>(response: &http::Response<B>) -> Code {
        let headers = response.headers();
        if let Some(value) = headers.get("grpc-status") {
            // Not a number (or not text at all): unknown, never a panic.
            return value
                .to_str()
                .ok()
                .and_then(|text| text.parse::<u32>().ok())
                .map_or(Code::UNKNOWN, Code::grpc);
        }
        let is_grpc = headers
            .get(CONTENT_TYPE)
            .is_some_and(|value| value.as_bytes().starts_with(b"application/grpc"));
        if is_grpc && response.status() == http::StatusCode::OK {
            return Code::OK;
        }
        // The class, not the exact status: 5 values instead of about 60, and
        // the class is what an error-rate query asks for.
        match response.status().as_u16() / 100 {
            1 => Code("1xx"),
            2 => Code("2xx"),
            3 => Code("3xx"),
            4 => Code("4xx"),
            5 => Code("5xx"),
            // `http` accepts 600 to 999, which no standard defines.
            _ => Code::UNKNOWN,
        }
    }

    /// The label value, e.g. `"not_found"` or `"2xx"`.
    pub fn as_str(&self) -> &'static str {
        self.0
    }
}

impl EncodeLabelValue for Code {
    fn encode(&self, encoder: &mut LabelValueEncoder) -> Result<(), std::fmt::Error> {
        encoder.write_str(self.0)
    }
}

/// Why an allow-list of methods was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LabelError {
    /// A method must be a request path, starting with `/`
    /// (`/jobs.Jobs/Submit` for gRPC).
    #[error("method {0:?} is not a path starting with '/'")]
    NotAPath(String),
}

/// The request paths that get a `method` label of their own; every other
/// path is counted as `other`.
///
/// A path comes from the client, so a scanner that tries a million random
/// paths would otherwise create a million time series (and a million
/// histograms of a dozen buckets each) in the server's memory and in
/// Prometheus. gRPC methods are known when the server is built (tonic names
/// them `/<package>.<Service>/<Method>`), so an allow-list costs nothing.
/// The rejected alternative, a cap (the first N distinct paths get a label),
/// needs a lock on every request and gives the slots to whoever comes
/// first, the scanner included.
#[derive(Debug, Clone)]
pub struct Methods {
    // `Arc<str>`: the label is a clone of the shared string (a counter
    // increment), not a new `String` allocated for every request.
    known: HashSet<Arc<str>>,
    other: Arc<str>,
}

impl Methods {
    /// The label shared by every path that is not in the list.
    pub const OTHER: &'static str = "other";

    /// An allow-list of request paths.
    ///
    /// # Errors
    ///
    /// [`LabelError::NotAPath`] if a path does not start with `/`: it could
    /// never match a request, so it is a configuration mistake.
    pub fn new<I, S>(paths: I) -> Result<Self, LabelError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut known = HashSet::new();
        for path in paths {
            let path = path.as_ref();
            if !path.starts_with('/') {
                return Err(LabelError::NotAPath(path.to_owned()));
            }
            known.insert(Arc::from(path));
        }
        Ok(Self {
            known,
            other: Arc::from(Self::OTHER),
        })
    }

    /// The `method` label for a request path: the path itself if it is in
    /// the list, else `other`. Never allocates.
    pub fn label(&self, path: &str) -> Arc<str> {
        // `HashSet<Arc<str>>::get(&str)` works because `Arc<str>: Borrow<str>`:
        // the lookup needs no `Arc` built from the request's path.
        self.known.get(path).unwrap_or(&self.other).clone()
    }

    /// How many distinct `method` values there can be: the list plus `other`.
    pub fn cardinality(&self) -> usize {
        self.known.len() + 1
    }
}

/// The label set of `requests_total` and `request_duration_seconds`.
/// The fields are encoded in this order: `{method="...",code="..."}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, EncodeLabelSet)]
pub struct RequestLabels {
    method: Arc<str>,
    code: Code,
}

impl RequestLabels {
    /// The labels of one finished call.
    pub fn new(method: Arc<str>, code: Code) -> Self {
        Self { method, code }
    }

    /// The `method` label.
    pub fn method(&self) -> &str {
        &self.method
    }

    /// The `code` label.
    pub fn code(&self) -> Code {
        self.code
    }
}

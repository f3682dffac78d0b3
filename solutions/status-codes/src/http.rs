//! Step 3: the two HTTP mappings. They are two tables, not one table read
//! both ways: `from_http(to_http(code))` is often another code.

use http::StatusCode;
use tonic::Code;

/// The HTTP status a REST gateway answers with when the gRPC call behind it
/// fails with `code`: grpc-gateway's `HTTPStatusFromCode`
/// (`runtime/errors.go`), which follows the HTTP mappings documented in
/// `google/rpc/code.proto`.
///
/// For a server that speaks HTTP/JSON in front of gRPC (Day 124). A gRPC
/// server itself answers every call, failed or not, with HTTP 200 and puts
/// the code in `grpc-status`.
pub fn to_http(code: Code) -> StatusCode {
    match code {
        Code::Ok => StatusCode::OK,
        // 499 is nginx's "Client Closed Request": not in any RFC, so `http`
        // has no constant for it, but it says what happened (the client
        // left) where grpc-gateway's old 408 said the server was too slow.
        Code::Cancelled => client_closed_request(),
        Code::Unknown => StatusCode::INTERNAL_SERVER_ERROR,
        Code::InvalidArgument => StatusCode::BAD_REQUEST,
        Code::DeadlineExceeded => StatusCode::GATEWAY_TIMEOUT,
        Code::NotFound => StatusCode::NOT_FOUND,
        Code::AlreadyExists => StatusCode::CONFLICT,
        Code::PermissionDenied => StatusCode::FORBIDDEN,
        Code::ResourceExhausted => StatusCode::TOO_MANY_REQUESTS,
        // Deliberately not 412 Precondition Failed: in HTTP, 412 means a
        // conditional header (If-Match, If-Unmodified-Since) was false, a
        // statement about the request's headers, not the system's state.
        Code::FailedPrecondition => StatusCode::BAD_REQUEST,
        Code::Aborted => StatusCode::CONFLICT,
        Code::OutOfRange => StatusCode::BAD_REQUEST,
        Code::Unimplemented => StatusCode::NOT_IMPLEMENTED,
        Code::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        Code::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        Code::DataLoss => StatusCode::INTERNAL_SERVER_ERROR,
        Code::Unauthenticated => StatusCode::UNAUTHORIZED,
    }
}

fn client_closed_request() -> StatusCode {
    // A `const` would be nicer, but `StatusCode::from_u16` is not a const
    // fn; 499 is in 100..=999, so this cannot fail.
    StatusCode::from_u16(499).expect("499 is a valid status code")
}

/// The code a gRPC client reports when a response carries HTTP `status` and
/// no `grpc-status`: an answer from a proxy, a load balancer or a web
/// server, not from a gRPC server.
///
/// The table is grpc/grpc's `doc/http-grpc-status-mapping.md`, as tonic
/// 0.14.9's client applies it (`infer_grpc_status` in `src/status.rs`):
/// 400 is `Internal` (the proxy found the gRPC request malformed: a bug in
/// the client library, not bad arguments), 401 `Unauthenticated`, 403
/// `PermissionDenied`, 404 `Unimplemented` (no such method on this host),
/// 429, 502, 503 and 504 `Unavailable` (try again: this is what makes a
/// proxy's overload retryable), and everything else `Unknown`, 200
/// included: a real success always has a `grpc-status` of 0.
///
/// The grpc document also lists 431 Request Header Fields Too Large as
/// `Internal`; tonic 0.14.9 does not, and reports `Unknown`. This function
/// follows the client you run, and the tests check it against that client.
pub fn from_http(status: StatusCode) -> Code {
    match status {
        StatusCode::BAD_REQUEST => Code::Internal,
        StatusCode::UNAUTHORIZED => Code::Unauthenticated,
        StatusCode::FORBIDDEN => Code::PermissionDenied,
        StatusCode::NOT_FOUND => Code::Unimplemented,
        StatusCode::TOO_MANY_REQUESTS
        | StatusCode::BAD_GATEWAY
        | StatusCode::SERVICE_UNAVAILABLE
        | StatusCode::GATEWAY_TIMEOUT => Code::Unavailable,
        // `_` is right here, unlike in `to_http`: HTTP has hundreds of
        // statuses and tonic's table names eight.
        _ => Code::Unknown,
    }
}

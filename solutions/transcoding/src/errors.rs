//! Step 3: gRPC errors as HTTP responses.
//!
//! Every failure the gateway answers with, the backend's or its own, is a
//! `tonic::Status` first and becomes one HTTP shape: the status from the
//! gRPC-to-HTTP table, and a JSON body shaped like `google.rpc.Status`,
//! `{"code": 5, "message": "...", "details": []}`, as grpc-gateway's
//! `DefaultHTTPErrorHandler` writes it. One shape means one error parser in
//! every client, and the gRPC code survives the trip for clients that want
//! more than the HTTP status says (400 covers three gRPC codes).

use axum::Json;
use axum::response::{IntoResponse, Response};
use http::header::WWW_AUTHENTICATE;
use http::{HeaderValue, StatusCode};
use serde::{Deserialize, Serialize};
use tonic::{Code, Status};

use crate::status_table;

/// The JSON body of every error response: `google.rpc.Status` in JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// The gRPC code as its number (`5` for `NotFound`), as grpc-gateway
    /// writes it.
    pub code: i32,
    /// The status message, for humans.
    pub message: String,
    /// `google.rpc` error details. Always empty here: turning tonic's
    /// binary details into JSON `Any`s is left out of the lesson.
    pub details: Vec<serde_json::Value>,
}

/// A failed request, as the gateway answers it: a gRPC status, and an HTTP
/// status that overrides the table's when set (grpc-gateway's
/// `HTTPStatusError`).
#[derive(Debug)]
pub struct ApiError {
    status: Status,
    http_status: Option<StatusCode>,
}

impl ApiError {
    /// The same error, answered with `http_status` instead of the table's.
    #[must_use]
    pub fn with_http_status(self, http_status: StatusCode) -> Self {
        Self {
            http_status: Some(http_status),
            ..self
        }
    }

    /// The gRPC status.
    pub fn status(&self) -> &Status {
        &self.status
    }
}

impl From<Status> for ApiError {
    fn from(status: Status) -> Self {
        Self {
            status,
            http_status: None,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let code = self.status.code();
        // Always through the table module, which holds Day 118's table: the
        // mapping lives in one place for the whole workbook.
        let http_status = self
            .http_status
            .unwrap_or_else(|| status_table::to_http(code));
        let body = ErrorBody {
            code: code as i32,
            message: self.status.message().to_owned(),
            details: Vec::new(),
        };
        // `Json` sets `content-type: application/json`; a hand-built
        // `Response::builder()` would have to remember to.
        let mut response = (http_status, Json(body)).into_response();
        if code == Code::Unauthenticated {
            // RFC 9110: a 401 MUST carry a challenge. grpc-gateway copies
            // the status message into this header, which is not a valid
            // challenge; the scheme the backend checks is.
            response
                .headers_mut()
                .insert(WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}

/// The router's answer for a path no route matches: 404, `NotFound`, as
/// grpc-gateway's `DefaultRoutingErrorHandler`. Without it axum answers an
/// empty 404 that a JSON client cannot parse.
pub async fn not_found() -> ApiError {
    Status::not_found("Not Found").into()
}

/// The router's answer for a known path with a method it does not route:
/// `Unimplemented`, as grpc-gateway's `DefaultRoutingErrorHandler`, but kept
/// at HTTP 405 where the table would say 501. 501 tells a client that the
/// server supports the method nowhere, which is false; grpc-gateway's own
/// docs show the same override. axum still adds the `Allow` header.
pub async fn method_not_allowed() -> ApiError {
    ApiError::from(Status::unimplemented("Method Not Allowed"))
        .with_http_status(StatusCode::METHOD_NOT_ALLOWED)
}

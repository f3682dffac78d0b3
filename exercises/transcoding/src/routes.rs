//! Step 2: the HTTP routes, each one gRPC call.
//!
//! | HTTP | gRPC |
//! |---|---|
//! | `GET /v1/notes/{id}` | `GetNote { id }` |
//! | `POST /v1/notes`, body: the note | `CreateNote { note }` |
//! | `GET /v1/notes?page_size=&page_token=` | `ListNotes` |
//! | `GET /v1/notes:search?query=` | `SearchNotes` |
//!
//! The table is what `google.api.http` annotations say to grpc-gateway;
//! here it is a `Router`. Every handler calls the service through a tonic
//! client over a `Channel`, never the service struct: the gateway is a
//! separate process in production, and a test that skips the wire would
//! skip the encoding, the metadata, the deadline and the status codes,
//! which are the lesson.

use std::future::Future;

use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::routing::get;
use http::HeaderMap;
use http::header::AUTHORIZATION;
use serde::Deserialize;
use tonic::transport::Channel;
use tonic::{Response, Status};

use crate::deadline::{DeadlinePolicy, with_deadline};
use crate::errors::{self, ApiError};
use crate::json::{self, ListNotesJson, NoteJson};
use crate::pb::notes_client::NotesClient;
use crate::pb::{
    CreateNoteRequest, GetNoteRequest, ListNotesRequest, SearchNotesRequest,
};

/// The JSON/HTTP front: a gRPC client and the deadline policy. Cheap to
/// clone (a tonic `Channel` is a handle), which is what axum's `State`
/// needs: one clone per request.
#[derive(Debug, Clone)]
pub struct Gateway {
    client: NotesClient<Channel>,
    deadlines: DeadlinePolicy,
}

/// The query string of `GET /v1/notes`. grpc-gateway reads query parameters
/// by proto field name or JSON name, so both spellings work. Unknown
/// parameters are ignored, unlike unknown body fields: a URL picks up
/// parameters from proxies, caches and analytics (`?utm_source=`), and a
/// 400 for those would punish the client for its surroundings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct ListParams {
    /// `page_size` (or `pageSize`).
    #[serde(alias = "pageSize")]
    pub page_size: Option<i32>,
    /// `page_token` (or `pageToken`).
    #[serde(alias = "pageToken")]
    pub page_token: Option<String>,
}

/// The query string of `GET /v1/notes:search`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct SearchParams {
    /// `query`.
    pub query: Option<String>,
}

impl Gateway {
    /// A gateway calling the notes service over `channel`.
    pub fn new(channel: Channel, deadlines: DeadlinePolicy) -> Self {
        Self {
            client: NotesClient::new(channel),
            deadlines,
        }
    }

    /// The routes, and the two routing-error handlers of step 3.
    pub fn router(self) -> Router {
        // TODO: `Router::new()` with `.route(path, get(handler).post(..))` for
        // "/v1/notes" (GET list_notes, POST create_note), "/v1/notes/{id}" (GET
        // get_note) and "/v1/notes:search" (GET search_notes); then
        // `.fallback(errors::not_found)`, `.method_not_allowed_fallback(
        // errors::method_not_allowed)` (after the routes: it applies to the routes
        // already registered) and `.with_state(self)`.
        todo!("Gateway::router: the four routes and two fallbacks")
    }

    /// One unary gRPC call for one HTTP request: builds the tonic request,
    /// forwards the caller's `Authorization` header as metadata, attaches
    /// the deadline and returns the response message.
    async fn unary<Req, Resp, F, Fut>(
        &self,
        headers: &HeaderMap,
        message: Req,
        call: F,
    ) -> Result<Resp, ApiError>
    where
        F: FnOnce(NotesClient<Channel>, tonic::Request<Req>) -> Fut,
        Fut: Future<Output = Result<Response<Resp>, Status>>,
    {
        // TODO (step 2): `tonic::Request::new(message)`; if the headers carry
        // `AUTHORIZATION`, parse its `to_str()` into a metadata value and insert it
        // as "authorization" (a bad value is `Status::invalid_argument`); call
        // `call(self.client.clone(), request).await` and return `into_inner()`.
        // `?` turns a `Status` into an `ApiError`.
        // TODO (step 4): first `self.deadlines.timeout_for(headers)?`; then
        // `request.set_timeout(timeout)` (propagate) and run the call inside
        // `with_deadline(timeout, ..)` (enforce).
        todo!("Gateway::unary: one HTTP request, one gRPC call")
    }
}

async fn get_note(
    State(gateway): State<Gateway>,
    headers: HeaderMap,
    id: Result<Path<i64>, PathRejection>,
) -> Result<Json<NoteJson>, ApiError> {
    // TODO: a rejected id is `Status::invalid_argument` with
    // `rejection.body_text()`; then `gateway.unary(&headers, GetNoteRequest { id },
    // |mut client, request| async move { client.get_note(request).await })`
    // and `Json(note.into())`.
    todo!("get_note: GET /v1/notes/{{id}}, one GetNote call")
}

async fn create_note(
    State(gateway): State<Gateway>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<NoteJson>, ApiError> {
    // TODO: `json::decode::<NoteJson>(&body)?`, a `CreateNoteRequest` with the
    // note converted, `unary` with `client.create_note`, `Json(created.into())`.
    todo!("create_note: POST /v1/notes")
}

async fn list_notes(
    State(gateway): State<Gateway>,
    headers: HeaderMap,
    params: Result<Query<ListParams>, QueryRejection>,
) -> Result<Json<ListNotesJson>, ApiError> {
    // TODO: a rejected query is `Status::invalid_argument`; missing parameters
    // are the defaults (0 and ""); `unary` with `client.list_notes`.
    todo!("list_notes: GET /v1/notes")
}

async fn search_notes(
    State(gateway): State<Gateway>,
    headers: HeaderMap,
    params: Result<Query<SearchParams>, QueryRejection>,
) -> Result<Json<ListNotesJson>, ApiError> {
    // TODO: as list_notes, with `SearchNotesRequest` and `client.search_notes`.
    todo!("search_notes: GET /v1/notes:search")
}

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
        Router::new()
            .route("/v1/notes", get(list_notes).post(create_note))
            // `{id}`: axum 0.8's syntax (0.7 wrote `:id`, and 0.8 panics on
            // it at start-up so the change cannot go unnoticed).
            .route("/v1/notes/{id}", get(get_note))
            // AIP-136's custom-method form, `collection:verb`.
            .route("/v1/notes:search", get(search_notes))
            .fallback(errors::not_found)
            // After the routes: it applies to those already registered.
            .method_not_allowed_fallback(errors::method_not_allowed)
            .with_state(self)
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
        let timeout = self.deadlines.timeout_for(headers)?;
        let mut request = tonic::Request::new(message);
        // Only the headers the backend needs, by name. Forwarding every
        // HTTP header would hand the backend hop-by-hop and proxy headers
        // (and `grpc-*` names it treats as its own); grpc-gateway forwards
        // `Authorization` and `Grpc-Metadata-*` by default for this reason.
        if let Some(value) = headers.get(AUTHORIZATION) {
            let value = value
                .to_str()
                .ok()
                .and_then(|v| v.parse().ok())
                .ok_or_else(|| {
                    Status::invalid_argument("invalid Authorization header")
                })?;
            request.metadata_mut().insert("authorization", value);
        }
        // Propagated: sent as `grpc-timeout`, so the backend gives up too.
        request.set_timeout(timeout);
        // A clone per call: tonic's generated methods take `&mut self`.
        let client = self.client.clone();
        let response = with_deadline(timeout, call(client, request)).await?;
        Ok(response.into_inner())
    }
}

async fn get_note(
    State(gateway): State<Gateway>,
    headers: HeaderMap,
    id: Result<Path<i64>, PathRejection>,
) -> Result<Json<NoteJson>, ApiError> {
    // `Result<Path<_>, _>`: the rejection comes to the handler instead of
    // becoming axum's plain-text 400, so it gets the JSON error shape.
    let Path(id) = id.map_err(|e| {
        Status::invalid_argument(format!("invalid id: {}", e.body_text()))
    })?;
    let note = gateway
        .unary(
            &headers,
            GetNoteRequest { id },
            |mut client, request| async move { client.get_note(request).await },
        )
        .await?;
    Ok(Json(note.into()))
}

async fn create_note(
    State(gateway): State<Gateway>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<NoteJson>, ApiError> {
    // `Bytes` and our own `decode`, not axum's `Json` extractor: its
    // rejections are plain text, 415 without a JSON content type and 422
    // for a wrong field, where the gateway promises 400 and a JSON body.
    let note: NoteJson = json::decode(&body)?;
    let request = CreateNoteRequest {
        note: Some(note.into()),
    };
    // 200, not 201: grpc-gateway answers every OK with 200 (a 201 needs a
    // forward-response hook), and this front keeps the same contract.
    let created = gateway
        .unary(&headers, request, |mut client, request| async move {
            client.create_note(request).await
        })
        .await?;
    Ok(Json(created.into()))
}

async fn list_notes(
    State(gateway): State<Gateway>,
    headers: HeaderMap,
    params: Result<Query<ListParams>, QueryRejection>,
) -> Result<Json<ListNotesJson>, ApiError> {
    let Query(params) = params.map_err(|e| {
        Status::invalid_argument(format!("invalid query: {}", e.body_text()))
    })?;
    let request = ListNotesRequest {
        page_size: params.page_size.unwrap_or_default(),
        page_token: params.page_token.unwrap_or_default(),
    };
    let page = gateway
        .unary(&headers, request, |mut client, request| async move {
            client.list_notes(request).await
        })
        .await?;
    Ok(Json(page.into()))
}

async fn search_notes(
    State(gateway): State<Gateway>,
    headers: HeaderMap,
    params: Result<Query<SearchParams>, QueryRejection>,
) -> Result<Json<ListNotesJson>, ApiError> {
    let Query(params) = params.map_err(|e| {
        Status::invalid_argument(format!("invalid query: {}", e.body_text()))
    })?;
    let request = SearchNotesRequest {
        query: params.query.unwrap_or_default(),
    };
    let found = gateway
        .unary(&headers, request, |mut client, request| async move {
            client.search_notes(request).await
        })
        .await?;
    Ok(Json(found.into()))
}

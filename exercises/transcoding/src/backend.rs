//! The gRPC notes service the gateway fronts, and the in-memory transport
//! that connects a client to it. Given: the lesson is the front, not this.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use hyper_util::rt::TokioIo;
use tonic::transport::{Channel, Endpoint, Server, Uri};
use tonic::{Request, Response, Status};

use crate::pb::notes_server::{Notes, NotesServer};
use crate::pb::{
    CreateNoteRequest, GetNoteRequest, ListNotesRequest, ListNotesResponse, Note,
    SearchNotesRequest,
};

/// Page size when the request says 0, and the most a page may hold.
const DEFAULT_PAGE_SIZE: usize = 10;
const MAX_PAGE_SIZE: usize = 100;

/// An in-memory notes service. Cloning it shares the notes, so a test can
/// keep a clone to seed notes and to look at what the service saw.
#[derive(Debug, Clone, Default)]
pub struct NoteStore {
    state: Arc<Mutex<State>>,
    search_delay: Duration,
    token: Option<String>,
}

#[derive(Debug, Default)]
struct State {
    notes: BTreeMap<i64, Note>,
    last_id: i64,
    last_grpc_timeout: Option<String>,
    searches_finished: usize,
}

impl NoteStore {
    /// An empty store: no delay, no authentication.
    pub fn new() -> Self {
        Self::default()
    }

    /// Every `SearchNotes` call sleeps `delay` before it answers: the slow
    /// backend of the deadline step.
    #[must_use]
    pub fn with_search_delay(self, delay: Duration) -> Self {
        Self {
            search_delay: delay,
            ..self
        }
    }

    /// Every call must carry the metadata `authorization: Bearer <token>`,
    /// or it fails with `Unauthenticated`.
    #[must_use]
    pub fn requiring_token(self, token: &str) -> Self {
        Self {
            token: Some(token.to_owned()),
            ..self
        }
    }

    /// Stores `note` under the next id (its own id is ignored) and returns
    /// the stored note: how tests and the example seed the store.
    pub fn insert(&self, mut note: Note) -> Note {
        let mut state = self.lock();
        state.last_id += 1;
        note.id = state.last_id;
        state.notes.insert(note.id, note.clone());
        note
    }

    /// The `grpc-timeout` metadata of the last call, as it arrived: the
    /// deadline the caller propagated, if any.
    pub fn last_grpc_timeout(&self) -> Option<String> {
        self.lock().last_grpc_timeout.clone()
    }

    /// How many `SearchNotes` calls ran to the end (a call whose deadline
    /// passed is dropped by the server before it ends).
    pub fn searches_finished(&self) -> usize {
        self.lock().searches_finished
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // A panic while holding the lock leaves the map consistent (every
        // update is one insert), so a poisoned lock is safe to use.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Checks the token and records the deadline: what every method does
    /// first.
    fn admit<T>(&self, request: &Request<T>) -> Result<(), Status> {
        let metadata = request.metadata();
        self.lock().last_grpc_timeout = metadata
            .get("grpc-timeout")
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned);
        let Some(token) = &self.token else {
            return Ok(());
        };
        let presented = metadata
            .get("authorization")
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.strip_prefix("Bearer "));
        match presented {
            Some(presented) if presented == token => Ok(()),
            Some(_) => Err(Status::unauthenticated("invalid bearer token")),
            None => Err(Status::unauthenticated("missing bearer token")),
        }
    }
}

#[tonic::async_trait]
impl Notes for NoteStore {
    async fn get_note(
        &self,
        request: Request<GetNoteRequest>,
    ) -> Result<Response<Note>, Status> {
        self.admit(&request)?;
        let id = request.into_inner().id;
        if id <= 0 {
            return Err(Status::invalid_argument("id must be positive"));
        }
        self.lock()
            .notes
            .get(&id)
            .cloned()
            .map(Response::new)
            .ok_or_else(|| Status::not_found(format!("note {id} not found")))
    }

    async fn create_note(
        &self,
        request: Request<CreateNoteRequest>,
    ) -> Result<Response<Note>, Status> {
        self.admit(&request)?;
        let note = request
            .into_inner()
            .note
            .ok_or_else(|| Status::invalid_argument("note is required"))?;
        if note.title.trim().is_empty() {
            return Err(Status::invalid_argument("a note needs a title"));
        }
        if self.lock().notes.values().any(|n| n.title == note.title) {
            return Err(Status::already_exists(format!(
                "a note titled {:?} already exists",
                note.title
            )));
        }
        Ok(Response::new(self.insert(note)))
    }

    async fn list_notes(
        &self,
        request: Request<ListNotesRequest>,
    ) -> Result<Response<ListNotesResponse>, Status> {
        self.admit(&request)?;
        let ListNotesRequest {
            page_size,
            page_token,
        } = request.into_inner();
        let page_size = match usize::try_from(page_size) {
            Err(_) => {
                return Err(Status::invalid_argument("page_size must not be negative"));
            }
            Ok(0) => DEFAULT_PAGE_SIZE,
            Ok(n) => n.min(MAX_PAGE_SIZE),
        };
        // The page token is the last id of the previous page. Real services
        // make it opaque (base64 of something signed); a number keeps the
        // example readable.
        let after: i64 = if page_token.is_empty() {
            0
        } else {
            page_token
                .parse()
                .map_err(|_| Status::invalid_argument("invalid page_token"))?
        };
        let state = self.lock();
        let mut rest = state.notes.range(after + 1..).map(|(_, note)| note.clone());
        let notes: Vec<Note> = rest.by_ref().take(page_size).collect();
        let next_page_token = match (rest.next(), notes.last()) {
            (Some(_), Some(last)) => last.id.to_string(),
            _ => String::new(),
        };
        Ok(Response::new(ListNotesResponse {
            notes,
            next_page_token,
        }))
    }

    async fn search_notes(
        &self,
        request: Request<SearchNotesRequest>,
    ) -> Result<Response<ListNotesResponse>, Status> {
        self.admit(&request)?;
        let query = request.into_inner().query.to_lowercase();
        // The slow part. If the caller's deadline passes first, tonic's
        // server drops this future here, and the count below never moves.
        tokio::time::sleep(self.search_delay).await;
        let mut state = self.lock();
        state.searches_finished += 1;
        let notes = state
            .notes
            .values()
            .filter(|note| {
                note.title.to_lowercase().contains(&query)
                    || note.body.to_lowercase().contains(&query)
            })
            .cloned()
            .collect();
        Ok(Response::new(ListNotesResponse {
            notes,
            next_page_token: String::new(),
        }))
    }
}

/// Serves `store` over an in-memory duplex pipe and returns a channel
/// connected to it: Go's `bufconn`. Everything is in-process, so tests can
/// pause tokio's clock, and nothing listens on a port.
///
/// The server task ends with the runtime (each test's runtime is dropped at
/// the end of the test). The pipe carries one connection: the channel
/// cannot reconnect, which in-process tests never need.
///
/// # Errors
///
/// The HTTP/2 handshake over the pipe failed (it does not, in practice).
pub async fn connect_in_memory(
    store: NoteStore,
) -> Result<Channel, tonic::transport::Error> {
    let (client_io, server_io) = tokio::io::duplex(64 * 1024);
    tokio::spawn(
        Server::builder()
            .add_service(NotesServer::new(store))
            .serve_with_incoming(tokio_stream::once(Ok::<_, std::io::Error>(server_io))),
    );
    let mut client_io = Some(client_io);
    // The URI is never dialled: the connector hands over the pipe instead.
    Endpoint::from_static("http://notes.in-memory")
        .connect_with_connector(tower::service_fn(move |_: Uri| {
            let io = client_io.take();
            async move {
                io.map(TokioIo::new).ok_or_else(|| {
                    std::io::Error::other("the in-memory connection was already used")
                })
            }
        }))
        .await
}

//! # Day 124 example: a JSON/HTTP front for a gRPC notes service
//!
//! Starts the gRPC notes service and the gateway in one process, the
//! service behind an in-memory transport, and sends the gateway HTTP
//! requests one by one, printing each as `METHOD path -> status body`:
//!
//! 1. reads and writes: a note in the proto3 JSON mapping (the id and the
//!    timestamp as strings, the enum by name, the bytes in base64), a
//!    create, and two pages of a list;
//! 2. errors: a missing note, a misspelt field, a wrong method, an unknown
//!    path, a missing token, each as an HTTP status plus
//!    `{"code", "message", "details"}`;
//! 3. deadlines: a slow search inside and outside the caller's
//!    `grpc-timeout`, and what the backend was told.
//!
//! The requests go through the axum router with `tower::ServiceExt::oneshot`
//! rather than a socket: the gateway's behaviour is the same, and the
//! runtime's clock can be paused, so the printed times are exact and the
//! output is identical on every run.
//!
//! # Layout
//!
//! `main` builds a paused runtime; `run` starts the backend and the front;
//! one function per scenario; `exchange` sends a request and formats its
//! line.

use std::error::Error;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use http::Request;
use tokio::time::Instant;
use tower::ServiceExt as _;
use transcoding::{DeadlinePolicy, Gateway, NoteStore, connect_in_memory, pb};

type Result<T> = std::result::Result<T, Box<dyn Error>>;

fn main() -> Result<()> {
    // A paused clock: the slow backend's seconds pass instantly, and the
    // times printed are exact.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .start_paused(true)
        .build()?;
    runtime.block_on(run())
}

async fn run() -> Result<()> {
    let store = NoteStore::new().with_search_delay(Duration::from_millis(300));
    seed(&store);
    let policy = DeadlinePolicy::new(Duration::from_secs(10), Duration::from_secs(60))?;
    let channel = connect_in_memory(store.clone()).await?;
    let router = Gateway::new(channel, policy).router();

    println!("== reads and writes");
    reads_and_writes(&router).await?;
    println!();
    println!("== errors");
    errors(&router).await?;
    println!();
    println!("== deadlines (the backend's search takes 300ms)");
    deadlines(&router, &store).await?;

    // A second gateway, in front of a backend that wants a token.
    println!();
    println!("== authentication");
    let locked = NoteStore::new().requiring_token("s3cret");
    seed(&locked);
    let channel = connect_in_memory(locked).await?;
    let router = Gateway::new(channel, policy).router();
    authentication(&router).await
}

fn seed(store: &NoteStore) {
    store.insert(pb::Note {
        id: 0, // the store gives the id
        title: "Groceries".into(),
        body: "milk, eggs".into(),
        priority: pb::Priority::Low as i32,
        tags: vec!["home".into()],
        author: Some(pb::Author {
            display_name: "Ada Lovelace".into(),
            email: "ada@example.com".into(),
        }),
        attachment: b"hi".to_vec(),
        created_at_ms: 1_700_000_000_000,
    });
    store.insert(pb::Note {
        title: "Deploy checklist".into(),
        priority: pb::Priority::High as i32,
        ..Default::default()
    });
}

async fn reads_and_writes(router: &Router) -> Result<()> {
    exchange(router, get("/v1/notes/1")?).await?;
    let body = r#"{"title": "Read", "priority": "PRIORITY_HIGH", "tags": ["books"]}"#;
    exchange(router, post("/v1/notes", body)?).await?;
    exchange(router, get("/v1/notes?page_size=2")?).await?;
    exchange(router, get("/v1/notes?page_size=2&page_token=2")?).await?;
    Ok(())
}

async fn errors(router: &Router) -> Result<()> {
    exchange(router, get("/v1/notes/99")?).await?;
    exchange(router, post("/v1/notes", r#"{"titel": "Typo"}"#)?).await?;
    exchange(router, get("/v1/notes/abc")?).await?;
    let delete = Request::delete("/v1/notes/1").body(Body::empty())?;
    exchange(router, delete).await?;
    exchange(router, get("/v2/notes")?).await?;
    Ok(())
}

async fn deadlines(router: &Router, store: &NoteStore) -> Result<()> {
    for timeout in ["500m", "100m"] {
        let mut request = get("/v1/notes:search?query=deploy")?;
        request
            .headers_mut()
            .insert("grpc-timeout", timeout.parse()?);
        exchange(router, request).await?;
        println!(
            "   the backend was sent grpc-timeout: {}",
            store.last_grpc_timeout().unwrap_or_default()
        );
    }
    exchange(router, get("/v1/notes:search?query=deploy")?).await?;
    println!("   (no header: the gateway's 10s default applies)");
    Ok(())
}

async fn authentication(router: &Router) -> Result<()> {
    exchange(router, get("/v1/notes/2")?).await?;
    let mut request = get("/v1/notes/2")?;
    request
        .headers_mut()
        .insert("authorization", "Bearer s3cret".parse()?);
    exchange(router, request).await
}

/// Sends one request and prints it, then its status (with the
/// `www-authenticate` and `allow` headers when present, and the time it took
/// when it took any), then its body.
async fn exchange(router: &Router, request: Request<Body>) -> Result<()> {
    let mut line = format!("{} {}", request.method(), request.uri());
    for name in ["grpc-timeout", "authorization"] {
        if let Some(value) = request.headers().get(name) {
            line.push_str(&format!(" [{name}: {}]", value.to_str()?));
        }
    }
    let start = Instant::now();
    let response = router.clone().oneshot(request).await?;
    let elapsed = start.elapsed();
    let status = response.status();
    let mut extra = String::new();
    for name in ["www-authenticate", "allow"] {
        if let Some(value) = response.headers().get(name) {
            extra.push_str(&format!(" [{name}: {}]", value.to_str()?));
        }
    }
    let body = axum::body::to_bytes(response.into_body(), usize::MAX).await?;
    println!("{line}");
    // Only the deadline scenarios take time; the clock is paused, so
    // everything else takes exactly zero.
    let after = if elapsed.is_zero() {
        String::new()
    } else {
        format!(" after {elapsed:?}")
    };
    println!("   -> {}{extra}{after}", status.as_u16());
    println!("   {}", String::from_utf8_lossy(&body));
    Ok(())
}

fn get(uri: &str) -> Result<Request<Body>> {
    Ok(Request::get(uri).body(Body::empty())?)
}

fn post(uri: &str, json: &str) -> Result<Request<Body>> {
    Ok(Request::post(uri)
        .header(http::header::CONTENT_TYPE, "application/json")
        .body(Body::from(json.to_owned()))?)
}

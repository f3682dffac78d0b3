//! Serving the built book on 127.0.0.1.
//!
//! A small blocking server (`tiny_http`) on its own thread: the book is a
//! folder of static files read by one person, so an async stack would only
//! add build time. It binds 127.0.0.1 only: the book is for this machine.

use std::fs;
use std::io::Read as _;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::thread::JoinHandle;

use anyhow::anyhow;
use tiny_http::{Header, Response, Server};

/// A running server; dropping it does not stop it, [`BookServer::stop`] does.
pub struct BookServer {
    server: Arc<Server>,
    thread: Option<JoinHandle<()>>,
    port: u16,
}

impl std::fmt::Debug for BookServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BookServer")
            .field("port", &self.port)
            .finish_non_exhaustive()
    }
}

impl BookServer {
    /// Serves `root` on `127.0.0.1:port` (0 picks a free port).
    ///
    /// # Errors
    ///
    /// If the port is taken or cannot be bound; the message says how to pick
    /// another.
    pub fn start(root: PathBuf, port: u16) -> anyhow::Result<Self> {
        Self::start_with_reviews(root, port, None)
    }

    /// Like [`BookServer::start`], and also takes the book's quiz grades:
    /// `POST /api/reviews` with `{"card": ID, "grade": GRADE}` calls
    /// `reviews(card, grade)`, whose error (an unknown card, a bad grade) is
    /// sent back as a 400.
    ///
    /// Only `application/json` is accepted: a web page on another site can
    /// send a cross-origin form POST to 127.0.0.1 without asking, but not a
    /// JSON one (that needs a CORS preflight, which this server never
    /// grants), so other sites cannot write into the learner's log.
    ///
    /// # Errors
    ///
    /// As [`BookServer::start`].
    pub fn start_with_reviews(
        root: PathBuf,
        port: u16,
        reviews: Option<ReviewSink>,
    ) -> anyhow::Result<Self> {
        let server = Server::http(("127.0.0.1", port)).map_err(|error| {
            anyhow!(
                "cannot serve the book on http://127.0.0.1:{port}: {error}. \
                 Is another `cargo workbook` running? Pick another port with \
                 `cargo workbook --port 3001` or WORKBOOK_PORT=3001"
            )
        })?;
        let port = server.server_addr().to_ip().map_or(port, |a| a.port());
        let server = Arc::new(server);
        let serving = Arc::clone(&server);
        let thread = std::thread::spawn(move || {
            for mut request in serving.incoming_requests() {
                let response = if request.url() == "/api/reviews" {
                    review(&mut request, reviews.as_ref())
                } else {
                    respond(&root, request.url())
                };
                let _ = request.respond(response);
            }
        });
        Ok(Self {
            server,
            thread: Some(thread),
            port,
        })
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Stops accepting requests and waits for the server thread.
    pub fn stop(mut self) {
        self.server.unblock();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Where the server sends a grade from the book: `(card id, grade)`.
pub type ReviewSink = Arc<dyn Fn(&str, &str) -> Result<(), String> + Send + Sync>;

fn review(
    request: &mut tiny_http::Request,
    reviews: Option<&ReviewSink>,
) -> Response<std::io::Cursor<Vec<u8>>> {
    let json = |status: u16, body: serde_json::Value| {
        let header =
            Header::from_bytes("Content-Type", "application/json").expect("valid header");
        Response::from_string(body.to_string())
            .with_status_code(status)
            .with_header(header)
    };
    let Some(reviews) = reviews else {
        return json(
            404,
            serde_json::json!({ "error": "this server does not record reviews" }),
        );
    };
    if request.method() != &tiny_http::Method::Post {
        return json(405, serde_json::json!({ "error": "use POST" }));
    }
    let is_json = request.headers().iter().any(|h| {
        h.field.equiv("Content-Type") && h.value.as_str().starts_with("application/json")
    });
    if !is_json {
        return json(415, serde_json::json!({ "error": "send application/json" }));
    }
    let mut body = String::new();
    if std::io::Read::take(request.as_reader(), 4096)
        .read_to_string(&mut body)
        .is_err()
    {
        return json(400, serde_json::json!({ "error": "unreadable body" }));
    }
    #[derive(serde::Deserialize)]
    struct Grade {
        card: String,
        grade: String,
    }
    let grade: Grade = match serde_json::from_str(&body) {
        Ok(grade) => grade,
        Err(error) => {
            return json(
                400,
                serde_json::json!({ "error": format!("expected {{\"card\", \"grade\"}}: {error}") }),
            );
        }
    };
    match reviews(&grade.card, &grade.grade) {
        Ok(()) => json(201, serde_json::json!({ "saved": true })),
        Err(error) => json(400, serde_json::json!({ "error": error })),
    }
}

fn respond(root: &Path, url: &str) -> Response<std::io::Cursor<Vec<u8>>> {
    let path = url.split(['?', '#']).next().unwrap_or("/");
    let Some(mut file) = resolve(root, path) else {
        return Response::from_string("bad path").with_status_code(400);
    };
    if file.is_dir() {
        file = file.join("index.html");
    }
    match fs::read(&file) {
        Ok(bytes) => {
            let header = Header::from_bytes("Content-Type", content_type(&file))
                .expect("valid header");
            Response::from_data(bytes).with_header(header)
        }
        Err(_) => {
            let page =
                fs::read(root.join("404.html")).unwrap_or_else(|_| b"not found".to_vec());
            let header = Header::from_bytes("Content-Type", "text/html; charset=utf-8")
                .expect("valid header");
            Response::from_data(page)
                .with_status_code(404)
                .with_header(header)
        }
    }
}

/// `url_path` inside `root`, refusing `..` so no file outside the book can
/// be read.
fn resolve(root: &Path, url_path: &str) -> Option<PathBuf> {
    let decoded = url_path.replace("%20", " ");
    let relative = Path::new(decoded.trim_start_matches('/'));
    if relative
        .components()
        .any(|c| !matches!(c, Component::Normal(_)))
    {
        return None;
    }
    Some(root.join(relative))
}

fn content_type(path: &Path) -> &'static str {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
    {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "txt" | "toml" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};

    #[test]
    fn it_serves_files_and_refuses_to_leave_the_book() {
        let root =
            std::env::temp_dir().join(format!("workbook-serve-{}", std::process::id()));
        fs::create_dir_all(root.join("month")).unwrap();
        fs::write(root.join("index.html"), "<h1>home</h1>").unwrap();
        fs::write(root.join("month/index.html"), "<h1>month</h1>").unwrap();
        let server = BookServer::start(root, 0).expect("port 0 is always free");
        let get = |path: &str| {
            let mut stream =
                std::net::TcpStream::connect(("127.0.0.1", server.port())).unwrap();
            write!(
                stream,
                "GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
            )
            .unwrap();
            let mut text = String::new();
            stream.read_to_string(&mut text).unwrap();
            text
        };
        assert!(get("/").contains("<h1>home</h1>"));
        assert!(get("/month/").contains("<h1>month</h1>"));
        assert!(get("/nope.html").starts_with("HTTP/1.1 404"));
        assert!(get("/../etc/passwd").starts_with("HTTP/1.1 400"));
        server.stop();
    }

    #[test]
    fn a_taken_port_gives_a_clear_error() {
        let holder = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = holder.local_addr().unwrap().port();
        let error = BookServer::start(std::env::temp_dir(), port)
            .unwrap_err()
            .to_string();
        assert!(
            error.contains(&format!("cannot serve the book on http://127.0.0.1:{port}")),
            "{error}"
        );
        assert!(error.contains("--port"), "{error}");
    }
}

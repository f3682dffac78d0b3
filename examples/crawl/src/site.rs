//! The small site of scenario 1, served on 127.0.0.1 by `tiny_http` on a
//! thread of its own, with a log of how often each path was requested.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use tiny_http::{Response, Server};

/// The pages, by path. The links are written the ways real pages write
/// them: relative (`intro.html`), host-relative (`/about.html`), with a
/// fragment, to another site, to an e-mail address, and to pages that do
/// not exist.
const PAGES: [(&str, &str, &str); 9] = [
    (
        "/",
        "Home",
        r##"<a href="/docs/">Docs</a> <a href="/blog/">Blog</a>
            <a href="/about.html">About</a> <a href="#top">Top</a>
            <a href="mailto:team@example.test">Mail us</a>
            <a href="https://elsewhere.example/">A friend</a>"##,
    ),
    (
        "/docs/",
        "Docs",
        r#"<a href="intro.html">Intro</a> <a href="advanced.html">Advanced</a>
            <a href="/">Home</a>"#,
    ),
    (
        "/docs/intro.html",
        "Introduction",
        r##"<a href="advanced.html">Next</a> <a href="intro.html#step-2">Step 2</a>
            <a href="/missing.html">An old link</a>"##,
    ),
    (
        "/docs/advanced.html",
        "Advanced",
        r#"<a href="/docs/">Back to the docs</a> <a href="/about.html">About</a>"#,
    ),
    (
        "/blog/",
        "Blog",
        r#"<a href="/blog/2026/first.html">First</a>
            <a href="/blog/2026/second.html">Second</a>"#,
    ),
    (
        "/blog/2026/first.html",
        "First post",
        r#"<a href="second.html">Next post</a> <a href="/blog/">All posts</a>"#,
    ),
    (
        "/blog/2026/second.html",
        "Second post",
        r#"<a href="first.html">Previous post</a> <a href="/old-post.html">Gone</a>
            <a href="https://elsewhere.example/reply">A reply</a>"#,
    ),
    ("/about.html", "About", r#"<a href="/">Home</a>"#),
    (
        "/orphan.html",
        "Nobody links here",
        r#"<a href="/">Home</a>"#,
    ),
];

/// A running server. (No `Debug`: `tiny_http::Server` has none.)
pub(crate) struct Site {
    server: Arc<Server>,
    addr: SocketAddr,
    requests: Arc<Mutex<BTreeMap<String, usize>>>,
    thread: JoinHandle<()>,
}

impl Site {
    /// Binds 127.0.0.1 on a port the system picks, and serves on a thread.
    pub(crate) fn serve() -> Result<Self, crate::Error> {
        let server = Arc::new(Server::http("127.0.0.1:0")?);
        let addr = server
            .server_addr()
            .to_ip()
            .ok_or("the server is not on an IP address")?;
        let requests = Arc::new(Mutex::new(BTreeMap::new()));
        let thread = {
            let server = Arc::clone(&server);
            let requests = Arc::clone(&requests);
            std::thread::spawn(move || {
                // `incoming_requests` ends when `unblock` is called.
                for request in server.incoming_requests() {
                    let path = request.url().to_owned();
                    if let Ok(mut log) = requests.lock() {
                        *log.entry(path.clone()).or_insert(0) += 1;
                    }
                    let response = match PAGES.iter().find(|(p, ..)| *p == path) {
                        Some((_, title, body)) => Response::from_string(format!(
                            "<!doctype html><html><head><title>{title}</title></head>\
                             <body>{body}</body></html>"
                        )),
                        None => Response::from_string("not found").with_status_code(404),
                    };
                    // A client that hung up is not the server's problem.
                    let _ = request.respond(response);
                }
            })
        };
        Ok(Self {
            server,
            addr,
            requests,
            thread,
        })
    }

    /// Where it listens.
    pub(crate) fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Stops the server and returns how often each path was requested.
    pub(crate) fn stop(self) -> BTreeMap<String, usize> {
        self.server.unblock();
        // The thread only ends; a panic in it would already have been
        // printed.
        let _ = self.thread.join();
        self.requests
            .lock()
            .map(|log| log.clone())
            .unwrap_or_default()
    }
}

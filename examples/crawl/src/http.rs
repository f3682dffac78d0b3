//! The HTTP adapter of the crawler's `Fetcher` port: a GET over a tokio
//! `TcpStream`, and the page parsed with `scraper`.
//!
//! The request is written by hand, in HTTP/1.0 with `Connection: close`,
//! and that is a choice, not an oversight. The lesson is about the crawler,
//! not HTTP, and the only server this adapter talks to is the example's
//! own. With HTTP/1.0 and a closed connection, the response is simply
//! everything up to the end of the stream: no chunked encoding, no
//! keep-alive, no redirects to follow. The workspace has no HTTP client,
//! and `reqwest` (hyper, a TLS stack) or even `ureq` (blocking, so it would
//! need `spawn_blocking`) would each bring dozens of crates for twenty
//! lines. For a crawler of the real web, use `reqwest`: it is one more
//! adapter, and the crawler does not change.

use std::sync::atomic::{AtomicUsize, Ordering};

use crawler::{FetchError, Fetcher, Page, Url};
use scraper::{Html, Selector};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Fetches pages over HTTP, following only links to `host`.
#[derive(Debug)]
pub(crate) struct HttpFetcher {
    host: String,
    off_site: AtomicUsize,
}

impl HttpFetcher {
    /// A fetcher that keeps the crawl on `host` (`127.0.0.1:port`).
    pub(crate) fn new(host: &str) -> Self {
        Self {
            host: host.to_owned(),
            off_site: AtomicUsize::new(0),
        }
    }

    /// Links to other hosts found (and dropped) so far.
    pub(crate) fn off_site(&self) -> usize {
        self.off_site.load(Ordering::Relaxed)
    }

    /// The page's title and its links to this host. A plain function, not
    /// async: `scraper::Html` is not `Send`, so it must not live across an
    /// `.await` in a future that a task may move between threads.
    fn parse(&self, url: &Url, body: &str) -> Page {
        let document = Html::parse_document(body);
        let title = Selector::parse("title").ok().and_then(|selector| {
            document
                .select(&selector)
                .next()
                .map(|title| title.text().collect::<String>().trim().to_owned())
        });
        let mut links = Vec::new();
        if let Ok(anchors) = Selector::parse("a[href]") {
            for href in document
                .select(&anchors)
                .filter_map(|a| a.value().attr("href"))
            {
                // `mailto:` and the like are not pages: skip them.
                let Ok(link) = url.join(href) else { continue };
                if link.host() == self.host {
                    links.push(link);
                } else {
                    self.off_site.fetch_add(1, Ordering::Relaxed);
                }
            }
        }
        Page { title, links }
    }
}

/// GETs `url` and returns the status code and the body.
async fn get(url: &Url) -> std::io::Result<(u16, String)> {
    let mut stream = TcpStream::connect(url.host()).await?;
    let request = format!(
        "GET {} HTTP/1.0\r\nHost: {}\r\nConnection: close\r\n\r\n",
        url.path(),
        url.host()
    );
    stream.write_all(request.as_bytes()).await?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await?;
    let response = String::from_utf8_lossy(&response);
    let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
    // "HTTP/1.0 200 OK": the code is the second word of the first line.
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| std::io::Error::other("no status line"))?;
    Ok((status, body.to_owned()))
}

impl Fetcher for HttpFetcher {
    async fn fetch(&self, url: &Url) -> Result<Page, FetchError> {
        match get(url).await {
            Ok((200, body)) => Ok(self.parse(url, &body)),
            Ok((404, _)) => Err(FetchError::NotFound),
            Ok((status, _)) => Err(FetchError::Failed(format!("status {status}"))),
            Err(error) => Err(FetchError::Failed(error.to_string())),
        }
    }
}

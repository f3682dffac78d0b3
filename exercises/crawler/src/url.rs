//! Page addresses: a small `http://` / `https://` URL type that parses.
//!
//! Not a step of the lesson: the crawler needs an address it can hash,
//! compare and ask for its host, and nothing more. A real crawler would use
//! the `url` crate (full WHATWG parsing, dot segments, percent-encoding);
//! this one keeps to what the lesson's graphs and the example's small site
//! use, so that the crawler itself stays the subject.

use std::fmt;

/// Why a string is not a [`Url`] the crawler can fetch.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UrlError {
    /// Only `http://` and `https://` addresses can be crawled.
    #[error("not an http(s) url: {0:?}")]
    Scheme(String),
    /// `http:///path` and the like: there is no host to fetch from.
    #[error("no host in url: {0:?}")]
    NoHost(String),
}

/// An absolute `http` or `https` address, normalised so that two spellings
/// of the same page compare equal: the scheme and host are lowercased, an
/// empty path becomes `/`, and the `#fragment` is dropped (it names a place
/// inside a page, not another page).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Url {
    text: String,
    /// Byte offset where the path starts; the host sits between the `://`
    /// and here.
    path_start: usize,
}

impl Url {
    /// Parses an absolute address.
    ///
    /// # Errors
    ///
    /// [`UrlError::Scheme`] if it does not start with `http://` or
    /// `https://`, [`UrlError::NoHost`] if the host is empty.
    pub fn parse(input: &str) -> Result<Self, UrlError> {
        let input = input.trim();
        let without_fragment = input.split('#').next().unwrap_or_default();
        let lower = without_fragment.to_ascii_lowercase();
        let scheme = if lower.starts_with("http://") {
            "http://"
        } else if lower.starts_with("https://") {
            "https://"
        } else {
            return Err(UrlError::Scheme(input.to_owned()));
        };
        let rest = &without_fragment[scheme.len()..];
        let host_len = rest.find(['/', '?']).unwrap_or(rest.len());
        let host = rest[..host_len].to_ascii_lowercase();
        if host.is_empty() {
            return Err(UrlError::NoHost(input.to_owned()));
        }
        let path = match &rest[host_len..] {
            "" => "/".to_owned(),
            query if query.starts_with('?') => format!("/{query}"),
            path => path.to_owned(),
        };
        let path_start = scheme.len() + host.len();
        Ok(Self {
            text: format!("{scheme}{host}{path}"),
            path_start,
        })
    }

    /// The host, with its port if the address has one: `127.0.0.1:8080`.
    /// This is what the per-host rate limit counts against.
    pub fn host(&self) -> &str {
        let after_scheme = self.text.find("://").map_or(0, |i| i + 3);
        &self.text[after_scheme..self.path_start]
    }

    /// The path and query: `/docs/a.html?x=1`.
    pub fn path(&self) -> &str {
        &self.text[self.path_start..]
    }

    /// The whole address.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Resolves a link found on this page: absolute (`https://x/y`),
    /// scheme-relative (`//x/y`), host-relative (`/y`), or relative to this
    /// page's folder (`y`, `../y` is kept as written: no dot-segment
    /// removal, which the lesson's sites never need).
    ///
    /// # Errors
    ///
    /// A [`UrlError`] for links that are not http(s) pages, such as
    /// `mailto:` or `javascript:` links.
    pub fn join(&self, href: &str) -> Result<Self, UrlError> {
        let href = href.trim();
        let scheme_end = self.text.find("://").map_or(0, |i| i + 3);
        let origin = &self.text[..self.path_start];
        if href.contains("://") {
            Self::parse(href)
        } else if let Some(rest) = href.strip_prefix("//") {
            Self::parse(&format!("{}{rest}", &self.text[..scheme_end]))
        } else if href.starts_with('/') {
            Self::parse(&format!("{origin}{href}"))
        } else if href.is_empty() || href.starts_with('#') {
            Ok(self.clone())
        } else if href.contains(':') {
            // `mailto:x`, `javascript:...`: a scheme we do not crawl.
            Err(UrlError::Scheme(href.to_owned()))
        } else {
            let path = self.path().split('?').next().unwrap_or("/");
            let folder = &path[..=path.rfind('/').unwrap_or(0)];
            Self::parse(&format!("{origin}{folder}{href}"))
        }
    }
}

impl fmt::Display for Url {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl std::str::FromStr for Url {
    type Err = UrlError;

    fn from_str(input: &str) -> Result<Self, Self::Err> {
        Self::parse(input)
    }
}

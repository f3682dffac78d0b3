//! Step 1: an auth interceptor on the request's metadata.
//!
//! A tonic `Interceptor` is a synchronous function from a `Request<()>` to
//! `Result<Request<()>, Status>`: it sees the metadata and the extensions,
//! never the message and never the response. That is all a bearer-token
//! check needs, so it is the right tool here, and the smallest one.

use std::fmt;
use std::sync::Arc;

use subtle::ConstantTimeEq;
use tonic::{Request, Status};

/// Who made a call, as the auth interceptor identified them. The handler
/// reads it from the request's extensions:
/// `request.extensions().get::<Caller>()`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Caller(Arc<str>);

impl Caller {
    /// The caller's name, as given to [`Tokens::insert`].
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Caller {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Why a token could not be added to [`Tokens`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    /// An empty token would match an `authorization: Bearer ` header.
    #[error("a token must not be empty")]
    Empty,
    /// Metadata values are visible ASCII, so no client could ever send this
    /// token: the configuration has a mistake in it.
    #[error("a token must be visible ASCII without spaces, found {found:?}")]
    NotVisibleAscii {
        /// The first character that cannot appear in a bearer token.
        found: char,
    },
}

/// The bearer tokens the server accepts, each naming a [`Caller`].
///
/// The `Debug` output shows the callers, never the tokens: a configuration
/// printed into a log must not leak the secrets it holds.
#[derive(Clone, Default)]
pub struct Tokens {
    // A list, not a `HashMap<token, Caller>`: a lookup must compare the
    // presented token with every known one, in constant time, and a map
    // lookup would branch on the token's bytes (and its hash) instead.
    entries: Vec<(Box<[u8]>, Caller)>,
}

impl fmt::Debug for Tokens {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Tokens")
            .field(
                "callers",
                &self.entries.iter().map(|(_, c)| c).collect::<Vec<_>>(),
            )
            .finish()
    }
}

impl Tokens {
    /// No tokens: every call is refused.
    pub fn new() -> Self {
        Self::default()
    }

    /// Accepts `token` as the credentials of `caller`.
    ///
    /// # Errors
    ///
    /// [`TokenError::Empty`] for an empty token, and
    /// [`TokenError::NotVisibleAscii`] for a token no client could send.
    pub fn insert(&mut self, token: &str, caller: &str) -> Result<(), TokenError> {
        if token.is_empty() {
            return Err(TokenError::Empty);
        }
        if let Some(found) = token.chars().find(|c| !c.is_ascii_graphic()) {
            return Err(TokenError::NotVisibleAscii { found });
        }
        self.entries
            .push((token.as_bytes().into(), Caller(Arc::from(caller))));
        Ok(())
    }

    /// The caller whose token is `presented`, if any.
    ///
    /// Every known token is compared, in constant time, whatever matches:
    /// how long the check takes says nothing about how many leading bytes
    /// of a guess were right.
    pub fn caller(&self, presented: &[u8]) -> Option<&Caller> {
        let mut found = None;
        for (token, caller) in &self.entries {
            // `ct_eq` looks at every byte even after a difference (slices
            // of different lengths are unequal at once: the length of a
            // token is not the secret). `==` on slices stops at the first
            // different byte, and the time that takes can be measured over
            // the network, one byte of a guess at a time. No `break` on a
            // match either, for the same reason one level up.
            if bool::from(token.ct_eq(presented)) {
                found = Some(caller);
            }
        }
        found
    }
}

/// The interceptor: `authorization: Bearer <token>` must name a known
/// token, or the call ends `UNAUTHENTICATED` before the handler runs.
#[derive(Debug, Clone)]
pub struct AuthInterceptor {
    // An `Arc` because tonic clones the interceptor into every connection's
    // service: a clone must not copy the token list.
    tokens: Arc<Tokens>,
}

impl AuthInterceptor {
    /// An interceptor accepting `tokens`.
    pub fn new(tokens: Tokens) -> Self {
        Self {
            tokens: Arc::new(tokens),
        }
    }
}

impl tonic::service::Interceptor for AuthInterceptor {
    fn call(&mut self, mut request: Request<()>) -> Result<Request<()>, Status> {
        let Some(value) = request.metadata().get("authorization") else {
            // The one case that gets its own message: it tells a caller who
            // forgot the header what to do, and reveals nothing about any
            // token.
            return Err(Status::unauthenticated("missing credentials"));
        };
        // Every other failure (not ASCII, not "Bearer", the wrong token)
        // gets the same status and message. "Wrong scheme" versus "wrong
        // token" would tell a prober which half of a guess to change.
        let caller = value
            .to_str()
            .ok()
            .and_then(|value| value.split_once(' '))
            // The scheme is case-insensitive (RFC 9110, section 11.1).
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
            .and_then(|(_, token)| self.tokens.caller(token.as_bytes()))
            .cloned()
            .ok_or_else(|| Status::unauthenticated("invalid credentials"))?;
        // Extensions, not a new metadata entry: metadata is text that any
        // client can send, so a handler reading `x-caller` from it would
        // trust whatever the caller wrote. An extension can only be put
        // there by code inside the server, and it is typed.
        request.extensions_mut().insert(caller);
        Ok(request)
    }
}

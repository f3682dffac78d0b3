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
        // TODO: refuse an empty token (TokenError::Empty) and a token with a
        // character that is not visible ASCII (`char::is_ascii_graphic`), naming
        // the first such character; then push the token's bytes and its Caller.
        todo!("Tokens::insert: validate the token, then store it with its caller")
    }

    /// The caller whose token is `presented`, if any.
    ///
    /// Every known token is compared, in constant time, whatever matches:
    /// how long the check takes says nothing about how many leading bytes
    /// of a guess were right.
    pub fn caller(&self, presented: &[u8]) -> Option<&Caller> {
        // TODO: compare `presented` with EVERY token using
        // `subtle::ConstantTimeEq::ct_eq` (`bool::from(a.ct_eq(b))`), remember
        // the caller of a match, and do not `break`: the time taken must not
        // depend on which token matched or how much of a guess was right.
        todo!("Tokens::caller: a constant-time search of every token")
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
        // TODO: no `authorization` entry in `request.metadata()`:
        // Status::unauthenticated("missing credentials"). Otherwise `to_str()`,
        // `split_once(' ')`, a scheme equal to "bearer" ignoring ASCII case, and a
        // token `self.tokens.caller(..)` knows. Any failure on the way gets ONE
        // answer: Status::unauthenticated("invalid credentials"). On success,
        // insert the Caller into `request.extensions_mut()` and return the request.
        todo!("AuthInterceptor::call: check the bearer token, record the caller")
    }
}

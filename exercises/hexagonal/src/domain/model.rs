//! Step 1: the job model, as newtypes that parse.
//!
//! Each type has one constructor, `parse`, which checks the rules and
//! returns a typed error; the field is private, so a `JobKind` that exists
//! is a valid kind, and no function further in ever checks again ("parse,
//! don't validate"). The rejected alternative, `kind: String` with a
//! `validate()` to remember to call, leaves every function guessing
//! whether someone did.

use std::fmt;

/// The longest kind accepted, in bytes.
pub const MAX_KIND_LEN: usize = 64;
/// The largest payload accepted, in bytes.
pub const MAX_PAYLOAD_LEN: usize = 64 * 1024;
/// The longest idempotency key accepted, in bytes.
pub const MAX_KEY_LEN: usize = 128;
/// The longest job id accepted, in bytes.
pub const MAX_ID_LEN: usize = 64;

/// Why a job, or one of its parts, was refused. Each message says which
/// field and which rule, so the inbound adapter can pass it to the client.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InvalidJob {
    /// The kind was empty.
    #[error("kind: must not be empty")]
    EmptyKind,
    /// The kind was longer than [`MAX_KIND_LEN`].
    #[error("kind: at most {max} bytes, got {len}")]
    KindTooLong {
        /// Its length in bytes.
        len: usize,
        /// [`MAX_KIND_LEN`].
        max: usize,
    },
    /// The kind broke the character rule.
    #[error(
        "kind: a lowercase letter, then lowercase letters, digits, '.', '_' or '-'; \
         {ch:?} at byte {at} is not allowed"
    )]
    BadKindChar {
        /// The first character refused.
        ch: char,
        /// Its byte offset.
        at: usize,
    },
    /// The payload was empty.
    #[error("payload: must not be empty")]
    EmptyPayload,
    /// The payload was larger than [`MAX_PAYLOAD_LEN`].
    #[error("payload: at most {max} bytes, got {len}")]
    PayloadTooLarge {
        /// Its length in bytes.
        len: usize,
        /// [`MAX_PAYLOAD_LEN`].
        max: usize,
    },
    /// An idempotency key was empty (only [`IdempotencyKey::parse`] says
    /// so: in a request, an empty key means "no key").
    #[error("idempotency_key: must not be empty")]
    EmptyKey,
    /// The idempotency key was longer than [`MAX_KEY_LEN`].
    #[error("idempotency_key: at most {max} bytes, got {len}")]
    KeyTooLong {
        /// Its length in bytes.
        len: usize,
        /// [`MAX_KEY_LEN`].
        max: usize,
    },
    /// The idempotency key held a character that is not printable ASCII.
    #[error("idempotency_key: printable ASCII only; {ch:?} at byte {at} is not allowed")]
    BadKeyChar {
        /// The first character refused.
        ch: char,
        /// Its byte offset.
        at: usize,
    },
    /// A job id was empty, too long, or held a character other than ASCII
    /// letters, digits and '-'.
    #[error("job id: 1 to {MAX_ID_LEN} ASCII letters, digits or '-', got {0:?}")]
    BadJobId(String),
}

impl InvalidJob {
    /// The request field at fault: `"kind"`, `"payload"`,
    /// `"idempotency_key"` or `"job_id"`.
    pub fn field(&self) -> &'static str {
        match self {
            Self::EmptyKind | Self::KindTooLong { .. } | Self::BadKindChar { .. } => {
                "kind"
            }
            Self::EmptyPayload | Self::PayloadTooLarge { .. } => "payload",
            Self::EmptyKey | Self::KeyTooLong { .. } | Self::BadKeyChar { .. } => {
                "idempotency_key"
            }
            Self::BadJobId(_) => "job_id",
        }
    }
}

/// What a job does, e.g. `email.send`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct JobKind(String);

impl JobKind {
    /// Parse a kind. The rules, checked in this order: not empty, at most
    /// [`MAX_KIND_LEN`] bytes, a lowercase ASCII letter first, then only
    /// lowercase ASCII letters, digits, `.`, `_` and `-`.
    pub fn parse(text: &str) -> Result<Self, InvalidJob> {
        // TODO: check the rules in the order the doc gives them: empty
        // (EmptyKind), too long (KindTooLong), then walk `text.char_indices()`
        // and refuse the first character that is not allowed at its position
        // (BadKindChar, with the char and its byte offset).
        todo!("JobKind::parse: check the kind's rules")
    }

    /// The kind as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A job's input: 1 byte to [`MAX_PAYLOAD_LEN`] of UTF-8.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payload(String);

impl Payload {
    /// Parse a payload: not empty, at most [`MAX_PAYLOAD_LEN`] bytes.
    pub fn parse(text: &str) -> Result<Self, InvalidJob> {
        // TODO: EmptyPayload for "", PayloadTooLarge above MAX_PAYLOAD_LEN bytes.
        todo!("Payload::parse: check the payload's size")
    }

    /// The payload as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The client's name for one logical submission: the same key twice means
/// "the same job, sent again", not a second job.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct IdempotencyKey(String);

impl IdempotencyKey {
    /// Parse a key: not empty, at most [`MAX_KEY_LEN`] bytes, printable
    /// ASCII only (`'!'..='~'`: no space, no control character).
    pub fn parse(text: &str) -> Result<Self, InvalidJob> {
        // TODO: EmptyKey, KeyTooLong, then BadKeyChar for the first character
        // that is not `is_ascii_graphic()`.
        todo!("IdempotencyKey::parse: check the key's rules")
    }

    /// The key as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A job's id, as an [`IdGenerator`](crate::domain::IdGenerator) makes it:
/// 1 to [`MAX_ID_LEN`] ASCII letters, digits or `-`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct JobId(String);

impl JobId {
    /// Parse an id. Adapters parse the ids they read back from storage
    /// too: an id that does not parse there means corrupt data.
    pub fn parse(text: &str) -> Result<Self, InvalidJob> {
        // TODO: 1 to MAX_ID_LEN bytes, each an ASCII letter, digit or '-';
        // anything else is BadJobId(text).
        todo!("JobId::parse: check the id's rules")
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for JobId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A job as the client described it, parsed: no id and no time yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewJob {
    kind: JobKind,
    payload: Payload,
    key: Option<IdempotencyKey>,
}

impl NewJob {
    /// Parse the three fields of a request, kind first: the first rule
    /// broken is the error. An empty `key` means "no key" (proto3 cannot
    /// tell an unset string from an empty one).
    pub fn parse(kind: &str, payload: &str, key: &str) -> Result<Self, InvalidJob> {
        // TODO: parse the kind, then the payload, then the key (an empty key
        // is None), returning the first error with `?`.
        todo!("NewJob::parse: parse the three fields")
    }

    /// What the job does.
    pub fn kind(&self) -> &JobKind {
        &self.kind
    }

    /// Its input.
    pub fn payload(&self) -> &Payload {
        &self.payload
    }

    /// Its idempotency key, if the client gave one.
    pub fn idempotency_key(&self) -> Option<&IdempotencyKey> {
        self.key.as_ref()
    }
}

/// A job the service accepted: a [`NewJob`] with an id and the time it was
/// submitted. What a [`JobQueue`](crate::domain::JobQueue) stores.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    id: JobId,
    new: NewJob,
    submitted_at_ms: u64,
}

impl Job {
    /// Give `new` its id and submission time (ms since the Unix epoch).
    pub fn new(id: JobId, new: NewJob, submitted_at_ms: u64) -> Self {
        todo!("Job::new: build the job")
    }

    /// Its id.
    pub fn id(&self) -> &JobId {
        &self.id
    }

    /// What it does.
    pub fn kind(&self) -> &JobKind {
        self.new.kind()
    }

    /// Its input.
    pub fn payload(&self) -> &Payload {
        self.new.payload()
    }

    /// Its idempotency key, if any.
    pub fn idempotency_key(&self) -> Option<&IdempotencyKey> {
        self.new.idempotency_key()
    }

    /// When it was submitted, in ms since the Unix epoch.
    pub fn submitted_at_ms(&self) -> u64 {
        self.submitted_at_ms
    }
}

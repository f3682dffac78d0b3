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
        if text.is_empty() {
            return Err(InvalidJob::EmptyKind);
        }
        if text.len() > MAX_KIND_LEN {
            return Err(InvalidJob::KindTooLong {
                len: text.len(),
                max: MAX_KIND_LEN,
            });
        }
        // `char_indices`, not bytes: a multi-byte character is reported as
        // itself ('é'), not as its first byte.
        let bad = text.char_indices().find(|&(at, ch)| {
            let allowed = ch.is_ascii_lowercase()
                || (at > 0 && (ch.is_ascii_digit() || ".-_".contains(ch)));
            !allowed
        });
        if let Some((at, ch)) = bad {
            return Err(InvalidJob::BadKindChar { ch, at });
        }
        Ok(Self(text.to_owned()))
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
        if text.is_empty() {
            return Err(InvalidJob::EmptyPayload);
        }
        if text.len() > MAX_PAYLOAD_LEN {
            return Err(InvalidJob::PayloadTooLarge {
                len: text.len(),
                max: MAX_PAYLOAD_LEN,
            });
        }
        Ok(Self(text.to_owned()))
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
        if text.is_empty() {
            return Err(InvalidJob::EmptyKey);
        }
        if text.len() > MAX_KEY_LEN {
            return Err(InvalidJob::KeyTooLong {
                len: text.len(),
                max: MAX_KEY_LEN,
            });
        }
        if let Some((at, ch)) =
            text.char_indices().find(|&(_, ch)| !ch.is_ascii_graphic())
        {
            return Err(InvalidJob::BadKeyChar { ch, at });
        }
        Ok(Self(text.to_owned()))
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
        let valid = !text.is_empty()
            && text.len() <= MAX_ID_LEN
            && text
                .chars()
                .all(|ch| ch.is_ascii_alphanumeric() || ch == '-');
        if valid {
            Ok(Self(text.to_owned()))
        } else {
            Err(InvalidJob::BadJobId(text.to_owned()))
        }
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
        let kind = JobKind::parse(kind)?;
        let payload = Payload::parse(payload)?;
        let key = if key.is_empty() {
            None
        } else {
            Some(IdempotencyKey::parse(key)?)
        };
        Ok(Self { kind, payload, key })
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
        Self {
            id,
            new,
            submitted_at_ms,
        }
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

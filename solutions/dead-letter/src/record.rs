//! Step 1: the dead-letter record, readable by a person at 3 a.m.
//!
//! A job goes to the dead-letter list because retrying stopped: its error
//! was permanent, its attempts ran out, or it could not even be read. The
//! person who opens that list later (`redis-cli LRANGE emails:dead 0 -1`)
//! needs the job, how many times it ran, when it died and, above all, why:
//! the whole cause chain, not just the top error. "sending the receipt
//! failed" says nothing; "sending the receipt failed: the SMTP server
//! refused the recipient: 550 no such user" says what to fix.
//!
//! The chain is stored as a list of messages, walked through
//! [`Error::source`] when the job dies. The rejected alternative, keeping
//! only `error.to_string()`, loses every layer below the top one, and so
//! does Go's `err.Error()` unless every wrap used `%w` with a `: %v`-style
//! message. The error values themselves cannot be stored: a `dyn Error` is
//! not serialisable, and the process that reads the record may be another
//! program, a week later.

use std::error::Error;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// Why a job was dead-lettered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeadKind {
    /// The handler failed with an error that retrying cannot fix (Day 137's
    /// `classify` said permanent).
    Permanent,
    /// Every attempt the policy allows failed with a transient error, or the
    /// job kept losing its lease (a poison message that kills its worker).
    Exhausted,
    /// The job could not be read at dequeue: a bad id, no payload, or a
    /// payload that is not JSON.
    Malformed,
}

impl DeadKind {
    /// Every kind, in declaration order.
    pub const ALL: [DeadKind; 3] = [Self::Permanent, Self::Exhausted, Self::Malformed];

    /// The name used in the JSON record and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Permanent => "permanent",
            Self::Exhausted => "exhausted",
            Self::Malformed => "malformed",
        }
    }
}

impl fmt::Display for DeadKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A name that is not a [`DeadKind`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown dead-letter kind {0:?} (expected permanent, exhausted or malformed)")]
pub struct UnknownKind(pub String);

impl FromStr for DeadKind {
    type Err = UnknownKind;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|kind| kind.as_str() == text)
            .ok_or_else(|| UnknownKind(text.to_owned()))
    }
}

/// The messages of `error` and of every error below it, top first: the
/// error's `Display`, then its `source()`'s, and so on.
pub fn causes(error: &(dyn Error + 'static)) -> Vec<String> {
    // `successors` walks the chain; `|&e|` because the closure gets a
    // reference to the previous item and must return the next borrow of the
    // error, not of the closure's argument.
    std::iter::successors(Some(error), |&e| e.source())
        .map(ToString::to_string)
        .collect()
}

/// One dead job, as stored (JSON) in the `P:dead` list.
///
/// The payload is kept as the text that was stored, even when it is not
/// JSON (a malformed job), so that nothing is lost and the record can be
/// re-driven as it was.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeadLetter {
    /// The job's id as stored (a malformed job's id may not be a valid
    /// `JobId`, so this is text).
    pub id: String,
    /// Why it died.
    pub kind: DeadKind,
    /// How many times it had been claimed when it died.
    pub attempts: u32,
    /// When it died, in ms since the Unix epoch by the queue's clock.
    pub failed_at_ms: u64,
    /// The error's message and those of its causes, top first.
    pub causes: Vec<String>,
    /// The payload, if one was stored.
    pub payload: Option<String>,
}

impl DeadLetter {
    /// A record of the job `id` that died of `error`.
    pub fn new(
        id: impl Into<String>,
        kind: DeadKind,
        attempts: u32,
        failed_at_ms: u64,
        error: &(dyn Error + 'static),
        payload: Option<String>,
    ) -> Self {
        Self {
            id: id.into(),
            kind,
            attempts,
            failed_at_ms,
            causes: causes(error),
            payload,
        }
    }

    /// The record as one line of JSON, the form `P:dead` holds.
    pub fn to_json(&self) -> String {
        // A struct of strings and integers always serialises; the only
        // failures serde_json can report here are a map with non-string keys
        // or a failing `Serialize` impl, and this type has neither.
        serde_json::to_string(self).expect("a DeadLetter always serialises")
    }

    /// Parse a record written by [`DeadLetter::to_json`].
    pub fn from_json(text: &str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(text)
    }
}

/// Two or more lines: the job, then its error and each cause.
///
/// ```text
/// job mail-7: permanent after 1 attempt
///   error: sending the receipt failed
///   caused by: the SMTP server refused the recipient
/// ```
impl fmt::Display for DeadLetter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let plural = if self.attempts == 1 { "" } else { "s" };
        write!(
            f,
            "job {}: {} after {} attempt{plural}",
            self.id, self.kind, self.attempts
        )?;
        for (depth, cause) in self.causes.iter().enumerate() {
            let label = if depth == 0 { "error" } else { "caused by" };
            write!(f, "\n  {label}: {cause}")?;
        }
        Ok(())
    }
}

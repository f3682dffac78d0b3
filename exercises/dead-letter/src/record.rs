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
        // TODO: find the kind in `Self::ALL` whose `as_str()` is `text`, or
        // return `UnknownKind` holding the text.
        todo!("DeadKind::from_str: parse a kind's name")
    }
}

/// The messages of `error` and of every error below it, top first: the
/// error's `Display`, then its `source()`'s, and so on.
pub fn causes(error: &(dyn Error + 'static)) -> Vec<String> {
    // TODO: start at `error`, then follow `source()` until it returns None,
    // collecting each error's `to_string()`. `std::iter::successors` does
    // the walk in one expression (a `while let` loop is fine too).
    todo!("causes: walk the source() chain")
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
        // TODO: fill in the fields; the messages come from `causes(error)`.
        todo!("DeadLetter::new: build the record")
    }

    /// The record as one line of JSON, the form `P:dead` holds.
    pub fn to_json(&self) -> String {
        // TODO: `serde_json::to_string` (one line, no newlines). It cannot
        // fail for this struct of strings and integers: say so in the
        // `expect` message.
        todo!("DeadLetter::to_json: serialise the record")
    }

    /// Parse a record written by [`DeadLetter::to_json`].
    pub fn from_json(text: &str) -> Result<Self, serde_json::Error> {
        // TODO: `serde_json::from_str`.
        todo!("DeadLetter::from_json: parse a record")
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
        // TODO: "job <id>: <kind> after <n> attempt(s)", then for each cause
        // a new line: "  error: <first>" and "  caused by: <next>" for the
        // rest. "attempt" is singular for 1.
        todo!("DeadLetter as Display: the job, then one line per cause")
    }
}

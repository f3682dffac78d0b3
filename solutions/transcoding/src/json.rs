//! Step 1: the proto3 JSON mapping of the notes messages.
//!
//! The mapping is hand-written: one `...Json` type per message, with serde
//! attributes for the names and a newtype per scalar whose JSON form is not
//! serde's default (64-bit integers, enums, bytes), plus `From` conversions
//! to and from the generated prost types. The rejected alternatives:
//! `#[derive(Serialize)]` on the prost types through
//! `Protos::configure(|b| b.type_attribute(..).field_attribute(..))`, which
//! spreads the JSON rules over strings in `build.rs` matched to field paths
//! and ties the wire types to one JSON shape; and `pbjson-build`, which
//! generates a complete, spec-following mapping from the descriptor set but
//! adds a code generator and its runtime crate to learn and to build.

use std::fmt;

use base64::Engine as _;
use base64::alphabet;
use base64::engine::DecodePaddingMode;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, STANDARD};
use serde::de::{self, DeserializeOwned, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use tonic::Status;

use crate::pb::{Author, ListNotesResponse, Note, Priority};

/// An `int64` field: a JSON *string* of decimal digits on the way out, a
/// string or a number on the way in (the spec accepts both).
///
/// Why a string: JavaScript's numbers are `f64`, exact only up to 2^53, so
/// `JSON.parse` turns the id 9007199254740993 into ...992, silently. A
/// string survives every JSON parser.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Int64(pub i64);

impl Serialize for Int64 {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // `collect_str` formats with Display straight into the output: no
        // intermediate String.
        serializer.collect_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Int64 {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // A Visitor, not `#[serde(untagged)] enum { Number(i64), Text(String) }`:
        // untagged buffers the value and, on failure, can only say "data did
        // not match any variant"; the visitor names the bad value.
        struct Int64Visitor;

        impl Visitor<'_> for Int64Visitor {
            type Value = Int64;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an int64 as a JSON number or a decimal string")
            }

            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Int64, E> {
                Ok(Int64(v))
            }

            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Int64, E> {
                i64::try_from(v)
                    .map(Int64)
                    .map_err(|_| E::custom(format!("{v} does not fit an int64")))
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Int64, E> {
                v.parse()
                    .map(Int64)
                    .map_err(|_| E::custom(format!("invalid int64 {v:?}")))
            }
        }

        deserializer.deserialize_any(Int64Visitor)
    }
}

/// A `bytes` field: standard base64 with padding on the way out; standard
/// or URL-safe, padded or not, on the way in (the spec accepts all four).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Base64(pub Vec<u8>);

/// The standard alphabet, with or without padding: the decoder `Base64`
/// reads with, once the URL-safe `-` and `_` are mapped to `+` and `/`.
const LENIENT: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

impl Serialize for Base64 {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&STANDARD.encode(&self.0))
    }
}

impl<'de> Deserialize<'de> for Base64 {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Base64Visitor;

        impl Visitor<'_> for Base64Visitor {
            type Value = Base64;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("bytes as a base64 string")
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Base64, E> {
                // The URL-safe alphabet differs in two characters only.
                let standard: String = v
                    .chars()
                    .map(|c| match c {
                        '-' => '+',
                        '_' => '/',
                        c => c,
                    })
                    .collect();
                LENIENT
                    .decode(standard)
                    .map(Base64)
                    .map_err(|e| E::custom(format!("invalid base64: {e}")))
            }
        }

        deserializer.deserialize_str(Base64Visitor)
    }
}

/// The `Priority` enum field, kept as the `i32` prost stores: its *name*
/// (`"PRIORITY_HIGH"`) on the way out, a name or a number on the way in.
/// A number with no name (from a newer server) is written as a number, as
/// the spec says, rather than lost.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PriorityJson(pub i32);

impl Serialize for PriorityJson {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match Priority::try_from(self.0) {
            Ok(priority) => serializer.serialize_str(priority.as_str_name()),
            Err(_) => serializer.serialize_i32(self.0),
        }
    }
}

impl<'de> Deserialize<'de> for PriorityJson {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct PriorityVisitor;

        impl Visitor<'_> for PriorityVisitor {
            type Value = PriorityJson;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a Priority name such as \"PRIORITY_HIGH\", or its number")
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<PriorityJson, E> {
                // A name nobody defined is a typo, not a value from the
                // future: refuse it rather than store 0.
                Priority::from_str_name(v)
                    .map(|p| PriorityJson(p as i32))
                    .ok_or_else(|| E::custom(format!("unknown Priority {v:?}")))
            }

            fn visit_i64<E: de::Error>(self, v: i64) -> Result<PriorityJson, E> {
                i32::try_from(v)
                    .map(PriorityJson)
                    .map_err(|_| E::custom(format!("{v} does not fit an enum")))
            }

            fn visit_u64<E: de::Error>(self, v: u64) -> Result<PriorityJson, E> {
                i32::try_from(v)
                    .map(PriorityJson)
                    .map_err(|_| E::custom(format!("{v} does not fit an enum")))
            }
        }

        deserializer.deserialize_any(PriorityVisitor)
    }
}

/// `Author` in JSON. Every field is an `Option`: `None` is written as no
/// key at all, and both a missing key and `null` read as `None`, which the
/// conversion turns into the proto default. `alias` accepts the proto
/// field name too, as the spec asks of parsers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AuthorJson {
    /// `display_name`, written `displayName`.
    #[serde(alias = "display_name", skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// `email`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

/// `Note` in JSON.
///
/// `deny_unknown_fields`: a misspelt key (`"titel"`) is a 400, not a note
/// saved without its title. The spec makes rejection the default for this
/// reason; grpc-gateway v2 instead discards unknown fields by default, which
/// lets an old server accept a newer client's request, at the price of
/// silently dropping what the client meant.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NoteJson {
    /// `id`, an int64: a string in JSON.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<Int64>,
    /// `title`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// `body`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// `priority`, by name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub priority: Option<PriorityJson>,
    /// `tags`, a repeated field: a JSON array, left out when empty.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<String>>,
    /// `author`, a nested message: a JSON object.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author: Option<AuthorJson>,
    /// `attachment`, bytes: base64 in JSON.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attachment: Option<Base64>,
    /// `created_at_ms`, written `createdAtMs`; an int64.
    #[serde(alias = "created_at_ms", skip_serializing_if = "Option::is_none")]
    pub created_at_ms: Option<Int64>,
}

/// `ListNotesResponse` in JSON.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ListNotesJson {
    /// `notes`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<Vec<NoteJson>>,
    /// `next_page_token`, written `nextPageToken`; absent on the last page.
    #[serde(alias = "next_page_token", skip_serializing_if = "Option::is_none")]
    pub next_page_token: Option<String>,
}

/// `Some(value)` unless it is the type's default: proto3 does not tell an
/// unset field from a default one, and the JSON mapping leaves both out.
fn non_default<T: Default + PartialEq>(value: T) -> Option<T> {
    (value != T::default()).then_some(value)
}

impl From<Author> for AuthorJson {
    fn from(author: Author) -> Self {
        Self {
            display_name: non_default(author.display_name),
            email: non_default(author.email),
        }
    }
}

impl From<AuthorJson> for Author {
    fn from(json: AuthorJson) -> Self {
        Self {
            display_name: json.display_name.unwrap_or_default(),
            email: json.email.unwrap_or_default(),
        }
    }
}

impl From<Note> for NoteJson {
    fn from(note: Note) -> Self {
        Self {
            id: non_default(note.id).map(Int64),
            title: non_default(note.title),
            body: non_default(note.body),
            priority: non_default(note.priority).map(PriorityJson),
            tags: non_default(note.tags),
            // A nested message is present or not: an empty `Author {}` is
            // still written, as `{}`, because the sender set it.
            author: note.author.map(AuthorJson::from),
            attachment: non_default(note.attachment).map(Base64),
            created_at_ms: non_default(note.created_at_ms).map(Int64),
        }
    }
}

impl From<NoteJson> for Note {
    fn from(json: NoteJson) -> Self {
        Self {
            id: json.id.unwrap_or_default().0,
            title: json.title.unwrap_or_default(),
            body: json.body.unwrap_or_default(),
            priority: json.priority.unwrap_or_default().0,
            tags: json.tags.unwrap_or_default(),
            author: json.author.map(Author::from),
            attachment: json.attachment.unwrap_or_default().0,
            created_at_ms: json.created_at_ms.unwrap_or_default().0,
        }
    }
}

impl From<ListNotesResponse> for ListNotesJson {
    fn from(response: ListNotesResponse) -> Self {
        let notes: Vec<NoteJson> =
            response.notes.into_iter().map(NoteJson::from).collect();
        Self {
            notes: non_default(notes),
            next_page_token: non_default(response.next_page_token),
        }
    }
}

/// Parses a request body. An empty body is an empty message, as in
/// grpc-gateway, where the decoder's end-of-file is not an error. Any parse
/// error is `InvalidArgument` (HTTP 400) with serde's message, which names
/// the field and the position.
///
/// # Errors
///
/// `Status::invalid_argument` when the body is not valid JSON for `T`.
pub fn decode<T: DeserializeOwned>(body: &[u8]) -> Result<T, Status> {
    let body = if body.is_empty() {
        b"{}".as_slice()
    } else {
        body
    };
    serde_json::from_slice(body)
        .map_err(|e| Status::invalid_argument(format!("invalid JSON body: {e}")))
}

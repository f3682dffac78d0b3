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
        // TODO: write the number as a string of decimal digits.
        // `serializer.collect_str(&self.0)` formats it without a String.
        todo!("Int64::serialize: a JSON string of digits")
    }
}

impl<'de> Deserialize<'de> for Int64 {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // TODO: a `Visitor` (a unit struct declared here, with
        // `type Value = Int64`) and `deserializer.deserialize_any(it)`.
        // Implement `expecting`, `visit_i64`, `visit_u64` (refuse values
        // above i64::MAX) and `visit_str` (`str::parse`); report failures
        // with `E::custom(..)` naming the value. Anything else (floats,
        // booleans, arrays) is refused by the trait's default methods.
        todo!("Int64::deserialize: a JSON number or a decimal string")
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
        // TODO: `STANDARD.encode(&self.0)`, written as a string.
        todo!("Base64::serialize: standard base64 with padding")
    }
}

impl<'de> Deserialize<'de> for Base64 {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // TODO: a `Visitor` with `visit_str`: map '-' to '+' and '_' to
        // '/', then decode with `LENIENT`; `deserializer.deserialize_str`.
        todo!("Base64::deserialize: standard or URL-safe, padded or not")
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
        // TODO: `Priority::try_from(self.0)`: a known value is written as
        // `as_str_name()`, an unknown one as the number (`serialize_i32`).
        todo!("PriorityJson::serialize: the name, or the number without one")
    }
}

impl<'de> Deserialize<'de> for PriorityJson {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // TODO: a `Visitor` and `deserialize_any`: `visit_str` looks the
        // name up with `Priority::from_str_name` (an unknown name is an
        // error: it is a typo), `visit_i64` and `visit_u64` take any number
        // that fits an i32.
        todo!("PriorityJson::deserialize: a name or a number")
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
    // TODO: `None` when `value == T::default()`, else `Some(value)`.
    todo!("non_default: None for the default value")
}

impl From<Author> for AuthorJson {
    fn from(author: Author) -> Self {
        // TODO: each field through `non_default`.
        todo!("AuthorJson::from: non_default for each field")
    }
}

impl From<AuthorJson> for Author {
    fn from(json: AuthorJson) -> Self {
        // TODO: each field `unwrap_or_default()`.
        todo!("Author::from: unwrap_or_default for each field")
    }
}

impl From<Note> for NoteJson {
    fn from(note: Note) -> Self {
        // TODO: every field through `non_default`, then `.map(Int64)`,
        // `.map(PriorityJson)`, `.map(Base64)` where the JSON form differs. The
        // nested `author` is an Option already: a set message stays, even empty.
        todo!("NoteJson::from: non_default, then the newtypes")
    }
}

impl From<NoteJson> for Note {
    fn from(json: NoteJson) -> Self {
        // TODO: every field `unwrap_or_default()` (and `.0` for the newtypes);
        // `author` maps with `Author::from`.
        todo!("Note::from: unwrap_or_default, then unwrap the newtypes")
    }
}

impl From<ListNotesResponse> for ListNotesJson {
    fn from(response: ListNotesResponse) -> Self {
        // TODO: convert each note, then `non_default` both fields.
        todo!("ListNotesJson::from: the notes, and the token unless empty")
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
    // TODO: treat an empty body as `{}`, then `serde_json::from_slice`;
    // turn its error into `Status::invalid_argument` with the error's text.
    todo!("decode: JSON body to T, errors as InvalidArgument")
}

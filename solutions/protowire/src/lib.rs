//! # Day 113: the protobuf wire format by hand (reference solution)
//!
//! A protobuf message is a sequence of fields, and each field is a key (a
//! field number and a wire type) followed by a value whose length the wire
//! type tells. Nothing else is on the wire: no field names, no types, no
//! schema. This crate reads and writes those bytes with no code generator,
//! and is checked against prost byte for byte:
//!
//! - varints: encode, decode and length, with the 10-byte limit and
//!   truncation as errors (`varint.rs`);
//! - zigzag for `sint32`/`sint64`, and the sign extension that makes a
//!   negative `int32` ten bytes long (`zigzag.rs`);
//! - keys: the `WireType` enum, the `Tag` newtype, and their errors
//!   (`key.rs`);
//! - fixed32/fixed64 and length-delimited values (`fixed.rs`);
//! - a `Reader` that yields `Field { tag, value }` and skips groups
//!   (`reader.rs`);
//! - a `Writer` that builds a message field by field (`writer.rs`);
//! - a message encoded and decoded by hand, unknown fields skipped
//!   (`message.rs`).
//!
//! # Layout
//!
//! One module per step, in the order the lesson takes them; `lib.rs` only
//! re-exports, so every item is used as `protowire::Item`. The tests are the
//! exercise's own (`exercises/protowire/tests/`, the property tests in
//! `properties.rs`), `benches/varint.rs` races the varint codec against
//! prost's, and `fuzz/` holds a cargo-fuzz target for every decoder.

mod error;
mod fixed;
mod key;
mod message;
mod reader;
mod varint;
mod writer;
mod zigzag;

pub use error::{DecodeError, WireError};
pub use fixed::{
    decode_fixed32, decode_fixed64, decode_len_delimited, encode_fixed32, encode_fixed64,
    encode_len_delimited,
};
pub use key::{Key, Tag, WireType, decode_key, encode_key};
pub use message::{Customer, Order};
pub use reader::{Field, MAX_GROUP_DEPTH, Reader, Value};
pub use varint::{MAX_VARINT_LEN, decode_varint, encode_varint, encoded_len_varint};
pub use writer::Writer;
pub use zigzag::{
    decode_int32, decode_zigzag32, decode_zigzag64, encode_int32, encode_zigzag32,
    encode_zigzag64,
};

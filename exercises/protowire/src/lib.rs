//! # Day 113: the protobuf wire format by hand (exercise)
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
//! re-exports, so every item is used as `protowire::Item`. `error.rs` holds
//! the two error types, complete. The tests are in `tests/protowire/`, one
//! file per step, plus `properties.rs`, which compares everything with prost
//! on random values and random bytes.
//!
//! Every `todo!()` is yours to replace; the `// TODO` above it says what to
//! do. `cargo test -p protowire` tells you which step is next, and
//! `cargo workbook hint protowire` gives a hint.

// The stub's fields and arguments are unused until you write the bodies;
// delete this line when you are done, so the compiler can help again.
#![allow(dead_code, unused_variables, unused_imports, unused_mut)]
// The encoders' `out: &mut Vec<u8>` is unused until you write them, and
// clippy would ask for a `&mut [u8]`, which cannot grow.
#![allow(clippy::ptr_arg)]

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

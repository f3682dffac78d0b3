//! Step 7: one message, encoded and decoded by hand.
//!
//! The schema this module implements, field numbers and all:
//!
//! ```proto
//! syntax = "proto3";
//!
//! message Customer {
//!   uint64 id = 1;
//!   string email = 2;
//! }
//!
//! message Order {
//!   int32 id = 1;
//!   sint64 balance_delta = 2;
//!   string note = 3;
//!   bytes payload = 4;
//!   double price = 5;
//!   fixed64 checksum = 6;
//!   repeated int32 quantities = 7;  // packed: the proto3 default
//!   Customer customer = 16;         // a two-byte key
//! }
//! ```
//!
//! The tests hold the same schema as `#[derive(prost::Message)]` structs
//! and check that both sides write the same bytes and read the same values.

use crate::error::{DecodeError, WireError};
use crate::key::{Tag, WireType};
use crate::reader::{Reader, Value};
use crate::varint::decode_varint;
use crate::writer::Writer;
use crate::zigzag::{decode_int32, decode_zigzag64, encode_int32};

/// A field number checked at compile time: `Tag::new` is a `const fn`, so a
/// 0 here fails the build instead of a test.
const fn tag(number: u32) -> Tag {
    match Tag::new(number) {
        Ok(tag) => tag,
        Err(_) => panic!("a field number is 1..=2^29-1"),
    }
}

const CUSTOMER_ID: Tag = tag(1);
const CUSTOMER_EMAIL: Tag = tag(2);

const ORDER_ID: Tag = tag(1);
const ORDER_BALANCE_DELTA: Tag = tag(2);
const ORDER_NOTE: Tag = tag(3);
const ORDER_PAYLOAD: Tag = tag(4);
const ORDER_PRICE: Tag = tag(5);
const ORDER_CHECKSUM: Tag = tag(6);
const ORDER_QUANTITIES: Tag = tag(7);
const ORDER_CUSTOMER: Tag = tag(16);

/// The customer of an [`Order`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Customer {
    /// Field 1, `uint64`.
    pub id: u64,
    /// Field 2, `string`.
    pub email: String,
}

/// An order: one field of each kind the lesson covers.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Order {
    /// Field 1, `int32`: a negative id takes ten bytes.
    pub id: i32,
    /// Field 2, `sint64`: zigzag.
    pub balance_delta: i64,
    /// Field 3, `string`.
    pub note: String,
    /// Field 4, `bytes`.
    pub payload: Vec<u8>,
    /// Field 5, `double`.
    pub price: f64,
    /// Field 6, `fixed64`.
    pub checksum: u64,
    /// Field 7, `repeated int32`, packed.
    pub quantities: Vec<i32>,
    /// Field 16, a nested `Customer`; `None` when absent.
    pub customer: Option<Customer>,
}

impl Customer {
    /// The proto3 encoding of this customer, byte for byte what prost
    /// writes.
    pub fn encode(&self) -> Vec<u8> {
        // TODO: a Writer; write each field that is not its default (0, ""), in field
        // number order, with the constants above as tags.
        todo!("Customer::encode: the non-default fields")
    }

    /// Decodes a customer, skipping fields it does not know.
    ///
    /// # Errors
    ///
    /// A [`DecodeError`] for malformed bytes, a known field with the wrong
    /// wire type, or an email that is not UTF-8.
    pub fn decode(input: &[u8]) -> Result<Self, DecodeError> {
        todo!("Customer::decode: merge into a default")
    }

    /// Reads `input` into `self`: what protobuf does when a message field
    /// appears twice (the second merges into the first, it does not replace
    /// it).
    fn merge(&mut self, input: &[u8]) -> Result<(), DecodeError> {
        // TODO: a Reader; loop on read_field (note reader.position() first: the offset
        // for errors). Match (field.tag, field.value): the known tag with its wire
        // type sets the field (utf8() for the email); the known tag with another
        // wire type is wrong_type(); any other tag is skipped.
        todo!("Customer::merge: read the fields, skip the unknown")
    }
}

impl Order {
    /// The proto3 encoding of this order, byte for byte what prost writes:
    /// fields in number order, and no field at all for a default value.
    pub fn encode(&self) -> Vec<u8> {
        // TODO: one `if` per field (!= 0, !is_empty(), != 0.0 for the price, Some for
        // the customer), then the Writer method of its type. The quantities go
        // through packed_varint with encode_int32 on each.
        todo!("Order::encode: fields in number order, defaults left out")
    }

    /// Decodes an order, skipping fields it does not know.
    ///
    /// For a scalar that appears twice the last value wins; the repeated
    /// field accepts packed and unpacked elements alike (a parser must:
    /// a schema may switch between the two), and a second `customer` merges
    /// into the first, as in every protobuf implementation.
    ///
    /// # Errors
    ///
    /// A [`DecodeError`] for malformed bytes, a known field with the wrong
    /// wire type, or a note that is not UTF-8. Offsets are from the start
    /// of `input`, inside nested messages too: the key of the field in
    /// error, or the bad bytes inside a packed field or a nested message.
    pub fn decode(input: &[u8]) -> Result<Self, DecodeError> {
        // TODO: as Customer::merge, with int32 (decode_int32), sint64 (decode_zigzag64),
        // double (f64::from_bits) and fixed64. The quantities accept a VARINT
        // (one element) and a LEN (packed: decode varints until the slice is
        // empty). The customer merges: `get_or_insert_default().merge(bytes)`,
        // with shift() moving its error offsets by where the bytes start
        // (`reader.position() - bytes.len()`). declared_wire_type() tells a known
        // field with the wrong wire type from an unknown one.
        todo!("Order::decode: one match arm per field and wire type")
    }
}

/// The wire type a known `Order` field is declared with, `None` for an
/// unknown field. Only called for a wire type the match did not accept.
fn declared_wire_type(tag: Tag) -> Option<WireType> {
    match tag {
        ORDER_ID | ORDER_BALANCE_DELTA => Some(WireType::Varint),
        ORDER_NOTE | ORDER_PAYLOAD | ORDER_CUSTOMER => Some(WireType::Len),
        // Varint and Len are both accepted for the repeated field; the
        // expected type reported is the packed one.
        ORDER_QUANTITIES => Some(WireType::Len),
        ORDER_PRICE | ORDER_CHECKSUM => Some(WireType::I64),
        _ => None,
    }
}

fn utf8(tag: Tag, bytes: &[u8], start: usize) -> Result<String, DecodeError> {
    // `String::from_utf8`, not `from_utf8_lossy`: a string field that is not
    // UTF-8 is a corrupt message (prost refuses it too), and replacing the
    // bad bytes would hide that.
    String::from_utf8(bytes.to_vec())
        .map_err(|_| DecodeError::new(start, WireError::InvalidUtf8 { tag: tag.get() }))
}

fn wrong_type(
    tag: Tag,
    expected: WireType,
    value: Value<'_>,
    start: usize,
) -> DecodeError {
    let error = WireError::UnexpectedWireType {
        tag: tag.get(),
        expected,
        actual: value.wire_type(),
    };
    DecodeError::new(start, error)
}

/// An error found inside a nested message, moved to the outer message's
/// offsets.
fn shift(error: DecodeError, by: usize) -> DecodeError {
    DecodeError::new(error.offset() + by, error.error().clone())
}

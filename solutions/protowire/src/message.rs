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
        let mut writer = Writer::new();
        if self.id != 0 {
            writer.varint(CUSTOMER_ID, self.id);
        }
        if !self.email.is_empty() {
            writer.string(CUSTOMER_EMAIL, &self.email);
        }
        writer.into_bytes()
    }

    /// Decodes a customer, skipping fields it does not know.
    ///
    /// # Errors
    ///
    /// A [`DecodeError`] for malformed bytes, a known field with the wrong
    /// wire type, or an email that is not UTF-8.
    pub fn decode(input: &[u8]) -> Result<Self, DecodeError> {
        let mut customer = Customer::default();
        customer.merge(input)?;
        Ok(customer)
    }

    /// Reads `input` into `self`: what protobuf does when a message field
    /// appears twice (the second merges into the first, it does not replace
    /// it).
    ///
    /// One known difference from prost: a fresh `Reader` allows groups 100
    /// deep here, while prost counts the customer itself against its
    /// recursion limit of 100, so an unknown field inside 99 nested groups
    /// of a customer passes here and fails there. Passing the depth down
    /// would close the gap at the cost of a wider `Reader` API.
    fn merge(&mut self, input: &[u8]) -> Result<(), DecodeError> {
        let mut reader = Reader::new(input);
        loop {
            let start = reader.position();
            let Some(field) = reader.read_field()? else {
                return Ok(());
            };
            match (field.tag, field.value) {
                (CUSTOMER_ID, Value::Varint(value)) => self.id = value,
                (CUSTOMER_EMAIL, Value::Len(bytes)) => {
                    self.email = utf8(CUSTOMER_EMAIL, bytes, start)?;
                }
                (CUSTOMER_ID, value) => {
                    return Err(wrong_type(CUSTOMER_ID, WireType::Varint, value, start));
                }
                (CUSTOMER_EMAIL, value) => {
                    return Err(wrong_type(CUSTOMER_EMAIL, WireType::Len, value, start));
                }
                // Unknown field: the reader has already stepped over it.
                _ => {}
            }
        }
    }
}

impl Order {
    /// The proto3 encoding of this order, byte for byte what prost writes:
    /// fields in number order, and no field at all for a default value.
    pub fn encode(&self) -> Vec<u8> {
        let mut writer = Writer::new();
        // proto3 writes nothing for a default (0, "", empty): the reader
        // gets the same default by finding nothing, so the bytes are saved.
        // The price: the bytes cannot say "set to 0" apart from "not set".
        if self.id != 0 {
            writer.int32(ORDER_ID, self.id);
        }
        if self.balance_delta != 0 {
            writer.sint64(ORDER_BALANCE_DELTA, self.balance_delta);
        }
        if !self.note.is_empty() {
            writer.string(ORDER_NOTE, &self.note);
        }
        if !self.payload.is_empty() {
            writer.bytes(ORDER_PAYLOAD, &self.payload);
        }
        // `!= 0.0` exactly as prost's generated code tests it: -0.0 == 0.0,
        // so a negative zero is not written either and comes back as +0.0.
        // That is prost's choice, not the spec's: the proto3 guide calls -0
        // distinct from the default, and C++, Java and Go compare the bits
        // and write it (tokio-rs/prost#1177). This lesson's contract is
        // prost's bytes, so it follows prost; `self.price.to_bits() != 0`
        // would follow the spec.
        if self.price != 0.0 {
            writer.double(ORDER_PRICE, self.price);
        }
        if self.checksum != 0 {
            writer.fixed64(ORDER_CHECKSUM, self.checksum);
        }
        writer.packed_varint(
            ORDER_QUANTITIES,
            self.quantities.iter().map(|&q| encode_int32(q)),
        );
        if let Some(customer) = &self.customer {
            // A present but empty customer is written as a zero-length
            // field: `Some(default)` and `None` must stay different.
            writer.message(ORDER_CUSTOMER, &customer.encode());
        }
        writer.into_bytes()
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
        let mut order = Order::default();
        let mut reader = Reader::new(input);
        loop {
            // Where this field's key starts, for the errors below.
            let start = reader.position();
            let Some(field) = reader.read_field()? else {
                return Ok(order);
            };
            match (field.tag, field.value) {
                (ORDER_ID, Value::Varint(value)) => order.id = decode_int32(value),
                (ORDER_BALANCE_DELTA, Value::Varint(value)) => {
                    order.balance_delta = decode_zigzag64(value);
                }
                (ORDER_NOTE, Value::Len(bytes)) => {
                    order.note = utf8(ORDER_NOTE, bytes, start)?;
                }
                (ORDER_PAYLOAD, Value::Len(bytes)) => order.payload = bytes.to_vec(),
                (ORDER_PRICE, Value::I64(bits)) => order.price = f64::from_bits(bits),
                (ORDER_CHECKSUM, Value::I64(value)) => order.checksum = value,
                (ORDER_QUANTITIES, Value::Varint(value)) => {
                    order.quantities.push(decode_int32(value));
                }
                (ORDER_QUANTITIES, Value::Len(mut packed)) => {
                    // A `Len` value ends where the reader now stands.
                    let end = reader.position();
                    while !packed.is_empty() {
                        let at = end - packed.len();
                        let (value, len) = decode_varint(packed)
                            .map_err(|error| DecodeError::new(at, error))?;
                        order.quantities.push(decode_int32(value));
                        packed = &packed[len..];
                    }
                }
                (ORDER_CUSTOMER, Value::Len(bytes)) => {
                    let at = reader.position() - bytes.len();
                    order
                        .customer
                        .get_or_insert_default()
                        .merge(bytes)
                        .map_err(|error| shift(error, at))?;
                }
                (tag, value) => {
                    if let Some(expected) = declared_wire_type(tag) {
                        return Err(wrong_type(tag, expected, value, start));
                    }
                    // Unknown field: skipped. This arm is why adding a
                    // field to a message never breaks an old reader.
                }
            }
        }
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

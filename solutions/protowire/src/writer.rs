//! Step 6: a writer that builds a message field by field.
//!
//! The writer knows the wire format and nothing about any schema: it writes
//! every field it is given. Leaving out proto3 default values (0, "",
//! empty) is the message encoder's choice, made in step 7.

use crate::fixed::{encode_fixed32, encode_fixed64, encode_len_delimited};
use crate::key::{Tag, WireType, encode_key};
use crate::varint::{encode_varint, encoded_len_varint};
use crate::zigzag::{encode_int32, encode_zigzag32, encode_zigzag64};

/// An encoded message under construction.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Writer {
    bytes: Vec<u8>,
}

impl Writer {
    /// An empty message.
    pub const fn new() -> Self {
        Self { bytes: Vec::new() }
    }

    /// The bytes written so far.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The finished message.
    pub fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }

    /// A varint field (uint32, uint64, bool, enum): key, then the varint.
    pub fn varint(&mut self, tag: Tag, value: u64) -> &mut Self {
        encode_key(tag, WireType::Varint, &mut self.bytes);
        encode_varint(value, &mut self.bytes);
        self
    }

    /// An `int32` field: sign-extended, so a negative value takes 10 bytes.
    pub fn int32(&mut self, tag: Tag, value: i32) -> &mut Self {
        self.varint(tag, encode_int32(value))
    }

    /// A `sint32` field: zigzag, so a small negative value stays small.
    pub fn sint32(&mut self, tag: Tag, value: i32) -> &mut Self {
        self.varint(tag, u64::from(encode_zigzag32(value)))
    }

    /// A `sint64` field.
    pub fn sint64(&mut self, tag: Tag, value: i64) -> &mut Self {
        self.varint(tag, encode_zigzag64(value))
    }

    /// A `fixed32` field (also sfixed32 and float, through their bits).
    pub fn fixed32(&mut self, tag: Tag, value: u32) -> &mut Self {
        encode_key(tag, WireType::I32, &mut self.bytes);
        encode_fixed32(value, &mut self.bytes);
        self
    }

    /// A `fixed64` field (also sfixed64).
    pub fn fixed64(&mut self, tag: Tag, value: u64) -> &mut Self {
        encode_key(tag, WireType::I64, &mut self.bytes);
        encode_fixed64(value, &mut self.bytes);
        self
    }

    /// A `double` field: the IEEE 754 bits as a fixed64.
    pub fn double(&mut self, tag: Tag, value: f64) -> &mut Self {
        self.fixed64(tag, value.to_bits())
    }

    /// A `bytes` field.
    pub fn bytes(&mut self, tag: Tag, value: &[u8]) -> &mut Self {
        encode_key(tag, WireType::Len, &mut self.bytes);
        encode_len_delimited(value, &mut self.bytes);
        self
    }

    /// A `string` field: on the wire, the same as `bytes`.
    pub fn string(&mut self, tag: Tag, value: &str) -> &mut Self {
        self.bytes(tag, value.as_bytes())
    }

    /// A nested message field, given its encoding: also the same as `bytes`,
    /// which is why a reader cannot tell the three apart without the schema.
    pub fn message(&mut self, tag: Tag, encoded: &[u8]) -> &mut Self {
        self.bytes(tag, encoded)
    }

    /// A packed repeated varint field: one key, one length, then the
    /// varints back to back. Writes nothing for no values, as prost does.
    ///
    /// The iterator is walked twice, once to add up the length and once to
    /// write, so that the varints go straight into the message. The
    /// alternative, encoding them into a scratch `Vec` and copying it after
    /// the length, allocates once per field.
    pub fn packed_varint<I>(&mut self, tag: Tag, values: I) -> &mut Self
    where
        I: IntoIterator<Item = u64>,
        I::IntoIter: Clone,
    {
        let values = values.into_iter();
        let length: usize = values.clone().map(encoded_len_varint).sum();
        if length == 0 {
            return self;
        }
        encode_key(tag, WireType::Len, &mut self.bytes);
        encode_varint(length as u64, &mut self.bytes);
        for value in values {
            encode_varint(value, &mut self.bytes);
        }
        self
    }
}

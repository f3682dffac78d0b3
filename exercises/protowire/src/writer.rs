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
        // TODO: encode_key with WireType::Varint, then encode_varint, then return self.
        todo!("Writer::varint: key, then varint")
    }

    /// An `int32` field: sign-extended, so a negative value takes 10 bytes.
    pub fn int32(&mut self, tag: Tag, value: i32) -> &mut Self {
        todo!("Writer::int32: sign-extended varint")
    }

    /// A `sint32` field: zigzag, so a small negative value stays small.
    pub fn sint32(&mut self, tag: Tag, value: i32) -> &mut Self {
        todo!("Writer::sint32: zigzag varint")
    }

    /// A `sint64` field.
    pub fn sint64(&mut self, tag: Tag, value: i64) -> &mut Self {
        todo!("Writer::sint64: zigzag varint")
    }

    /// A `fixed32` field (also sfixed32 and float, through their bits).
    pub fn fixed32(&mut self, tag: Tag, value: u32) -> &mut Self {
        todo!("Writer::fixed32: key (I32), then four bytes")
    }

    /// A `fixed64` field (also sfixed64).
    pub fn fixed64(&mut self, tag: Tag, value: u64) -> &mut Self {
        todo!("Writer::fixed64: key (I64), then eight bytes")
    }

    /// A `double` field: the IEEE 754 bits as a fixed64.
    pub fn double(&mut self, tag: Tag, value: f64) -> &mut Self {
        todo!("Writer::double: the bits as a fixed64")
    }

    /// A `bytes` field.
    pub fn bytes(&mut self, tag: Tag, value: &[u8]) -> &mut Self {
        todo!("Writer::bytes: key (LEN), then length-delimited bytes")
    }

    /// A `string` field: on the wire, the same as `bytes`.
    pub fn string(&mut self, tag: Tag, value: &str) -> &mut Self {
        todo!("Writer::string: the UTF-8 bytes")
    }

    /// A nested message field, given its encoding: also the same as `bytes`,
    /// which is why a reader cannot tell the three apart without the schema.
    pub fn message(&mut self, tag: Tag, encoded: &[u8]) -> &mut Self {
        todo!("Writer::message: the encoding as bytes")
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
        // TODO: add up encoded_len_varint over a clone of the iterator; write nothing
        // if that is 0; else the key (LEN), the length, then each varint.
        todo!("Writer::packed_varint: key, total length, varints")
    }
}

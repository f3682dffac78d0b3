//! Step 5: a reader that walks a message field by field.
//!
//! Everything a reader needs to delimit a field is in the key's wire type,
//! so it can step over fields it has never heard of. That is the whole of
//! protobuf's forward compatibility: an old binary reading a message from a
//! new one sees an unknown field number, skips its value, and goes on.

use crate::error::{DecodeError, WireError};
use crate::fixed::{decode_fixed32, decode_fixed64, decode_len_delimited};
use crate::key::{Key, Tag, WireType, decode_key};
use crate::varint::decode_varint;

/// The deepest nesting of groups the reader accepts: prost's recursion
/// limit, so that both accept and refuse the same messages.
pub const MAX_GROUP_DEPTH: usize = 100;

/// One field's value, as the wire type lays it out. What it *means* (an
/// `int32` or a `sint64`, a string or a nested message) is written in the
/// `.proto` file, not in the bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Value<'a> {
    /// Wire type 0: the varint's value.
    Varint(u64),
    /// Wire type 1: eight bytes, little-endian.
    I64(u64),
    /// Wire type 2: the bytes after the length prefix, borrowed.
    Len(&'a [u8]),
    /// Wire types 3..4: the bytes between the start-group key and the
    /// matching end-group key, borrowed.
    Group(&'a [u8]),
    /// Wire type 5: four bytes, little-endian.
    I32(u32),
}

impl Value<'_> {
    /// The wire type this value was read with.
    pub fn wire_type(&self) -> WireType {
        // TODO: a group value reports WireType::SGroup.
        todo!("Value::wire_type: one arm per variant")
    }
}

/// One field of a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field<'a> {
    /// The field number.
    pub tag: Tag,
    /// The value.
    pub value: Value<'a>,
}

/// An iterator over the fields of an encoded message, in wire order.
///
/// It borrows the input and never copies a value. After the first error it
/// yields nothing more: a field's length is only known once it is read, so
/// after a bad one there is no next field to find.
#[derive(Debug, Clone)]
pub struct Reader<'a> {
    input: &'a [u8],
    position: usize,
    failed: bool,
}

impl<'a> Reader<'a> {
    /// A reader at the start of `input`.
    pub const fn new(input: &'a [u8]) -> Self {
        Self {
            input,
            position: 0,
            failed: false,
        }
    }

    /// How many bytes have been read: the offset of the next field's key.
    pub const fn position(&self) -> usize {
        self.position
    }

    /// Reads the next field: `Ok(None)` at the end of the input.
    ///
    /// # Errors
    ///
    /// A [`DecodeError`] whose offset is where the bad key or value starts.
    /// An end-group key outside a group is an error, as in prost.
    pub fn read_field(&mut self) -> Result<Option<Field<'a>>, DecodeError> {
        // TODO: Ok(None) at the end of the input. Otherwise read a key (self.key()), then
        // dispatch on its wire type: EGROUP here is UnexpectedEndGroup at the key
        // offset; SGROUP is skip_group(tag, 1), and the group's body runs from
        // after the key to where skip_group says the end key starts; anything else
        // is self.value(wire_type).
        todo!("Reader::read_field: a key, then a value")
    }

    /// Reads a key at the current position.
    fn key(&mut self) -> Result<Key, DecodeError> {
        // TODO: decode from `&self.input[self.position..]`, wrap an error in a
        // DecodeError at the current position, and move the position on.
        todo!("Reader::key: decode_key at the current position")
    }

    /// Reads a value of any wire type but the two group ones.
    fn value(&mut self, wire_type: WireType) -> Result<Value<'a>, DecodeError> {
        // TODO: call the step 1 and step 4 decoder the wire type names, wrap an error
        // in a DecodeError at the value's offset, and move the position on.
        todo!("Reader::value: one value of a non-group wire type")
    }

    /// Skips the fields of group `tag` up to its end-group key, and returns
    /// where that key starts (the end of the group's body). `depth` counts
    /// the groups open, this one included.
    ///
    /// Recursive, like prost's `skip_field`, but bounded: at most
    /// [`MAX_GROUP_DEPTH`] frames, so hostile input of a million start-group
    /// keys is an error, not a stack overflow.
    fn skip_group(&mut self, tag: Tag, depth: usize) -> Result<usize, DecodeError> {
        // TODO: loop: at the end of the input, UnterminatedGroup. Read a key. An EGROUP
        // with this tag ends the group (return where that key started); with
        // another tag it is GroupMismatch. Any other field: first, if depth >=
        // MAX_GROUP_DEPTH, GroupTooDeep (prost's limit); then recurse for an SGROUP
        // (depth + 1), or read and drop the value.
        todo!("Reader::skip_group: up to the matching end-group key")
    }
}

impl<'a> Iterator for Reader<'a> {
    type Item = Result<Field<'a>, DecodeError>;

    fn next(&mut self) -> Option<Self::Item> {
        // TODO: return None once `failed` is set; otherwise call read_field, remember
        // whether it failed, and turn Result<Option<_>> into Option<Result<_>>
        // (`transpose`).
        todo!("Reader::next: read_field, and stop after an error")
    }
}

impl std::iter::FusedIterator for Reader<'_> {}

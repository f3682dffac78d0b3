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
        match self {
            Value::Varint(_) => WireType::Varint,
            Value::I64(_) => WireType::I64,
            Value::Len(_) => WireType::Len,
            Value::Group(_) => WireType::SGroup,
            Value::I32(_) => WireType::I32,
        }
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
        if self.position == self.input.len() {
            return Ok(None);
        }
        let start = self.position;
        let key = self.key()?;
        let value = match key.wire_type {
            WireType::EGroup => {
                return Err(DecodeError::new(
                    start,
                    WireError::UnexpectedEndGroup { tag: key.tag.get() },
                ));
            }
            // Groups are skipped as prost and protobuf-go skip them, rather
            // than refused: they are deprecated, but proto2 schemas still
            // have them, and a reader that refuses them would reject any
            // message carrying one even in a field it does not know, which
            // breaks the very rule this reader exists for.
            WireType::SGroup => {
                let body_start = self.position;
                let body_end = self.skip_group(key.tag, 1)?;
                Value::Group(&self.input[body_start..body_end])
            }
            wire_type => self.value(wire_type)?,
        };
        Ok(Some(Field {
            tag: key.tag,
            value,
        }))
    }

    /// Reads a key at the current position.
    fn key(&mut self) -> Result<Key, DecodeError> {
        let start = self.position;
        let (key, len) = decode_key(&self.input[start..])
            .map_err(|error| DecodeError::new(start, error))?;
        self.position += len;
        Ok(key)
    }

    /// Reads a value of any wire type but the two group ones.
    fn value(&mut self, wire_type: WireType) -> Result<Value<'a>, DecodeError> {
        let start = self.position;
        let rest = &self.input[start..];
        let (value, len) = match wire_type {
            WireType::Varint => decode_varint(rest).map(|(v, n)| (Value::Varint(v), n)),
            WireType::I64 => decode_fixed64(rest).map(|(v, n)| (Value::I64(v), n)),
            WireType::Len => decode_len_delimited(rest).map(|(v, n)| (Value::Len(v), n)),
            WireType::I32 => decode_fixed32(rest).map(|(v, n)| (Value::I32(v), n)),
            WireType::SGroup | WireType::EGroup => {
                unreachable!("groups are delimited by skip_group, not by a length")
            }
        }
        .map_err(|error| DecodeError::new(start, error))?;
        self.position += len;
        Ok(value)
    }

    /// Skips the fields of group `tag` up to its end-group key, and returns
    /// where that key starts (the end of the group's body). `depth` counts
    /// the groups open, this one included.
    ///
    /// Recursive, like prost's `skip_field`, but bounded: at most
    /// [`MAX_GROUP_DEPTH`] frames, so hostile input of a million start-group
    /// keys is an error, not a stack overflow.
    fn skip_group(&mut self, tag: Tag, depth: usize) -> Result<usize, DecodeError> {
        loop {
            let start = self.position;
            if start == self.input.len() {
                // prost reports this as a bad varint (the key it tried to
                // read is empty); a typed error says what actually happened.
                return Err(DecodeError::new(
                    start,
                    WireError::UnterminatedGroup { tag: tag.get() },
                ));
            }
            let key = self.key()?;
            match key.wire_type {
                WireType::EGroup if key.tag == tag => return Ok(start),
                WireType::EGroup => {
                    return Err(DecodeError::new(
                        start,
                        WireError::GroupMismatch {
                            start: tag.get(),
                            end: key.tag.get(),
                        },
                    ));
                }
                _ if depth >= MAX_GROUP_DEPTH => {
                    // Checked on every field inside the group, not on the
                    // start-group key alone: prost's limit counts fields at
                    // depth 100, and matching it keeps the two readers'
                    // verdicts identical on every input.
                    return Err(DecodeError::new(
                        start,
                        WireError::GroupTooDeep {
                            limit: MAX_GROUP_DEPTH,
                        },
                    ));
                }
                WireType::SGroup => {
                    self.skip_group(key.tag, depth + 1)?;
                }
                wire_type => {
                    self.value(wire_type)?;
                }
            }
        }
    }
}

impl<'a> Iterator for Reader<'a> {
    type Item = Result<Field<'a>, DecodeError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        let field = self.read_field();
        self.failed = field.is_err();
        field.transpose()
    }
}

impl std::iter::FusedIterator for Reader<'_> {}

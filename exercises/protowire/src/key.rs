//! Step 3: keys, wire types and field numbers.
//!
//! Every field starts with a key: the varint `(field_number << 3) |
//! wire_type`. The wire type says how long the value is, which is all a
//! reader needs to skip a field it does not know. The field number says
//! which field it is, and is the only name the bytes carry.

use std::fmt;

use crate::WireError;
use crate::varint::{decode_varint, encode_varint};

/// How a field's value is laid out, the low three bits of its key.
///
/// The names are protobuf.dev's; prost calls them `Varint`, `SixtyFourBit`,
/// `LengthDelimited`, `StartGroup`, `EndGroup` and `ThirtyTwoBit`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum WireType {
    /// A varint: int32, int64, uint32, uint64, sint32, sint64, bool, enum.
    Varint = 0,
    /// Eight bytes, little-endian: fixed64, sfixed64, double.
    I64 = 1,
    /// A varint length, then that many bytes: string, bytes, messages,
    /// packed repeated fields.
    Len = 2,
    /// The start of a group (deprecated proto2 feature).
    SGroup = 3,
    /// The end of a group.
    EGroup = 4,
    /// Four bytes, little-endian: fixed32, sfixed32, float.
    I32 = 5,
}

impl TryFrom<u8> for WireType {
    type Error = WireError;

    /// Parses the three low bits of a key. 6 and 7 fit in three bits but
    /// are not wire types: a reader cannot know how long such a value is,
    /// so it cannot even skip it.
    fn try_from(value: u8) -> Result<Self, WireError> {
        // TODO: one match arm per wire type (the discriminants are written on the enum);
        // anything else is WireError::InvalidWireType { value }.
        todo!("WireType::try_from: 0..=5, or InvalidWireType")
    }
}

impl fmt::Display for WireType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Varint => "VARINT",
            Self::I64 => "I64",
            Self::Len => "LEN",
            Self::SGroup => "SGROUP",
            Self::EGroup => "EGROUP",
            Self::I32 => "I32",
        })
    }
}

/// A field number: 1 to 2^29 - 1, the range a key's 29 upper bits hold.
///
/// A newtype that can only be built valid, so the encoder never has to
/// check a tag and never panics on one (prost's `encode_key` takes a `u32`
/// and only `debug_assert!`s the range).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Tag(u32);

impl Tag {
    /// The smallest field number.
    pub const MIN: Tag = Tag(1);
    /// The largest field number, 2^29 - 1 = 536,870,911.
    pub const MAX: Tag = Tag((1 << 29) - 1);

    /// Checks that `number` is a valid field number.
    ///
    /// `const`, so a message can declare its fields as constants that are
    /// checked at compile time.
    ///
    /// # Errors
    ///
    /// [`WireError::TagOutOfRange`] for 0 and for anything above
    /// [`Tag::MAX`].
    pub const fn new(number: u32) -> Result<Tag, WireError> {
        // Complete in the exercise too: message.rs calls it in `const`
        // items, which the compiler evaluates before any test can run.
        if number >= Self::MIN.0 && number <= Self::MAX.0 {
            Ok(Tag(number))
        } else {
            Err(WireError::TagOutOfRange { tag: number })
        }
    }

    /// The field number.
    pub const fn get(self) -> u32 {
        self.0
    }
}

impl fmt::Display for Tag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// A decoded key: which field, and how its value is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    /// The field number.
    pub tag: Tag,
    /// The layout of the value that follows.
    pub wire_type: WireType,
}

/// Appends the key of field `tag` with wire type `wire_type` to `out`.
pub fn encode_key(tag: Tag, wire_type: WireType, out: &mut Vec<u8>) {
    // TODO: the key is `(tag.get() << 3) | wire_type as u32`, written with
    // encode_varint.
    todo!("encode_key: (tag << 3) | wire_type as a varint")
}

/// Reads one key from the start of `input`; returns it and its length.
///
/// # Errors
///
/// The varint's errors, then, in prost's order:
/// [`WireError::KeyTooLarge`] for a key above `u32::MAX`,
/// [`WireError::InvalidWireType`] for wire types 6 and 7, and
/// [`WireError::TagOutOfRange`] for field number 0.
pub fn decode_key(input: &[u8]) -> Result<(Key, usize), WireError> {
    // TODO: in prost's order: decode_varint; refuse a key above u32::MAX (KeyTooLarge);
    // the wire type is the low three bits (`WireType::try_from`); the tag is
    // the rest, `Tag::new(key >> 3)`, which refuses 0. `?` converts nothing:
    // every function here already returns WireError.
    todo!("decode_key: varint, then the 32-bit check, wire type and tag")
}

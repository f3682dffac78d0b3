//! The decoding errors, shared by every step.
//!
//! Two types, because the low-level functions of steps 1-4 read from the
//! start of the slice they are given and do not know where that slice sits
//! in a message, while the [`Reader`](crate::Reader) does.

use crate::key::WireType;

/// What is wrong with the bytes. Returned as is by the functions of steps
/// 1-4, which read from the start of their input; wrapped in a
/// [`DecodeError`] with the offset by the reader and the message decoder.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WireError {
    /// The input ended while a varint's continuation bit was still set.
    #[error("truncated varint: the input ends inside it")]
    VarintTruncated,
    /// The varint does not fit in 64 bits (a tenth byte above 1).
    #[error("varint overflows 64 bits")]
    VarintOverflow,
    /// A key's varint is above `u32::MAX`.
    #[error("key {key} does not fit in 32 bits")]
    KeyTooLarge {
        /// The decoded key.
        key: u64,
    },
    /// Wire types 6 and 7 do not exist.
    #[error("invalid wire type {value}")]
    InvalidWireType {
        /// The low three bits of the key.
        value: u8,
    },
    /// Field number 0, or one above 2^29 - 1.
    #[error("field number {tag} is outside 1..=536870911")]
    TagOutOfRange {
        /// The field number.
        tag: u32,
    },
    /// A fixed-width value needs more bytes than are left.
    #[error("truncated value: {needed} bytes needed, {available} left")]
    Truncated {
        /// The width of the value.
        needed: usize,
        /// The bytes left in the input.
        available: usize,
    },
    /// A length prefix claims more bytes than are left.
    #[error("length {length} exceeds the {available} bytes left")]
    LengthOverrun {
        /// The length the prefix claims.
        length: u64,
        /// The bytes left after the prefix.
        available: usize,
    },
    /// An end-group key with no group open.
    #[error("end of group {tag} without a start")]
    UnexpectedEndGroup {
        /// The field number in the end-group key.
        tag: u32,
    },
    /// A group closed by the end-group key of another field.
    #[error("group {start} closed by the end of group {end}")]
    GroupMismatch {
        /// The field number of the open group.
        start: u32,
        /// The field number in the end-group key.
        end: u32,
    },
    /// The input ended inside a group.
    #[error("group {tag} is never closed")]
    UnterminatedGroup {
        /// The field number of the innermost open group.
        tag: u32,
    },
    /// Groups nested deeper than the limit (prost's recursion limit).
    #[error("groups nested deeper than {limit}")]
    GroupTooDeep {
        /// The deepest nesting accepted.
        limit: usize,
    },
    /// A known field arrived with a wire type its declared type never uses.
    #[error("field {tag} has wire type {actual}, expected {expected}")]
    UnexpectedWireType {
        /// The field number.
        tag: u32,
        /// The wire type of the declared type.
        expected: WireType,
        /// The wire type on the wire.
        actual: WireType,
    },
    /// A string field that is not UTF-8.
    #[error("field {tag} is not valid utf-8")]
    InvalidUtf8 {
        /// The field number.
        tag: u32,
    },
}

/// A [`WireError`] and the byte offset, from the start of the message, of
/// the key or value it was found in.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("at byte {offset}: {error}")]
pub struct DecodeError {
    offset: usize,
    // Not `#[source]`: the message above already prints it, and a reporter
    // walking `source()` would print it twice.
    error: WireError,
}

impl DecodeError {
    /// `error`, found at byte `offset`.
    pub const fn new(offset: usize, error: WireError) -> Self {
        Self { offset, error }
    }

    /// Where the bad key or value starts, in bytes from the start of the
    /// message.
    pub const fn offset(&self) -> usize {
        self.offset
    }

    /// What is wrong there.
    pub const fn error(&self) -> &WireError {
        &self.error
    }
}

//! Step 4: fixed-width and length-delimited values.
//!
//! The other two ways a value can know its own length: a fixed size (four
//! or eight little-endian bytes), or a varint length in front of the bytes.

use crate::WireError;
use crate::varint::{decode_varint, encode_varint};

/// Appends `value` as four little-endian bytes (fixed32, sfixed32, float).
pub fn encode_fixed32(value: u32, out: &mut Vec<u8>) {
    // TODO: `to_le_bytes`, then `extend_from_slice`.
    todo!("encode_fixed32: four little-endian bytes")
}

/// Appends `value` as eight little-endian bytes (fixed64, sfixed64, double).
pub fn encode_fixed64(value: u64, out: &mut Vec<u8>) {
    todo!("encode_fixed64: eight little-endian bytes")
}

/// Reads four little-endian bytes from the start of `input`.
///
/// # Errors
///
/// [`WireError::Truncated`] if fewer than four bytes are left.
pub fn decode_fixed32(input: &[u8]) -> Result<(u32, usize), WireError> {
    // TODO: `input.first_chunk::<4>()` gives `Option<&[u8; 4]>`: None is
    // WireError::Truncated { needed: 4, available: input.len() }.
    todo!("decode_fixed32: four bytes or Truncated")
}

/// Reads eight little-endian bytes from the start of `input`.
///
/// # Errors
///
/// [`WireError::Truncated`] if fewer than eight bytes are left.
pub fn decode_fixed64(input: &[u8]) -> Result<(u64, usize), WireError> {
    todo!("decode_fixed64: eight bytes or Truncated")
}

/// Appends `bytes` with its length in front (string, bytes, a nested
/// message, a packed repeated field).
pub fn encode_len_delimited(bytes: &[u8], out: &mut Vec<u8>) {
    todo!("encode_len_delimited: the length, then the bytes")
}

/// Reads a length-prefixed value from the start of `input`: returns the
/// value's bytes (borrowed, not copied) and the total length read, prefix
/// included.
///
/// # Errors
///
/// The length varint's errors, and [`WireError::LengthOverrun`] if the
/// length is more than the bytes left after it.
pub fn decode_len_delimited(input: &[u8]) -> Result<(&[u8], usize), WireError> {
    // TODO: decode the length varint, then compare it with the bytes left *as u64*
    // (LengthOverrun if it is more), and only then slice. Return the value and
    // the prefix length plus the value length.
    todo!("decode_len_delimited: a length prefix, checked")
}

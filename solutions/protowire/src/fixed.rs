//! Step 4: fixed-width and length-delimited values.
//!
//! The other two ways a value can know its own length: a fixed size (four
//! or eight little-endian bytes), or a varint length in front of the bytes.

use crate::WireError;
use crate::varint::{decode_varint, encode_varint};

/// Appends `value` as four little-endian bytes (fixed32, sfixed32, float).
pub fn encode_fixed32(value: u32, out: &mut Vec<u8>) {
    out.extend_from_slice(&value.to_le_bytes());
}

/// Appends `value` as eight little-endian bytes (fixed64, sfixed64, double).
pub fn encode_fixed64(value: u64, out: &mut Vec<u8>) {
    out.extend_from_slice(&value.to_le_bytes());
}

/// Reads four little-endian bytes from the start of `input`.
///
/// # Errors
///
/// [`WireError::Truncated`] if fewer than four bytes are left.
pub fn decode_fixed32(input: &[u8]) -> Result<(u32, usize), WireError> {
    // `first_chunk` checks the length and gives a `&[u8; 4]` in one step;
    // `input[..4]` would panic on a short input, which is exactly the bug a
    // decoder of untrusted bytes must not have.
    let bytes = input.first_chunk::<4>().ok_or(WireError::Truncated {
        needed: 4,
        available: input.len(),
    })?;
    Ok((u32::from_le_bytes(*bytes), 4))
}

/// Reads eight little-endian bytes from the start of `input`.
///
/// # Errors
///
/// [`WireError::Truncated`] if fewer than eight bytes are left.
pub fn decode_fixed64(input: &[u8]) -> Result<(u64, usize), WireError> {
    let bytes = input.first_chunk::<8>().ok_or(WireError::Truncated {
        needed: 8,
        available: input.len(),
    })?;
    Ok((u64::from_le_bytes(*bytes), 8))
}

/// Appends `bytes` with its length in front (string, bytes, a nested
/// message, a packed repeated field).
pub fn encode_len_delimited(bytes: &[u8], out: &mut Vec<u8>) {
    encode_varint(bytes.len() as u64, out);
    out.extend_from_slice(bytes);
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
    let (length, prefix) = decode_varint(input)?;
    let rest = &input[prefix..];
    // Compare as u64 *before* converting: `length as usize` would truncate
    // on a 32-bit target, and a length of 2^40 would pass as something small.
    // Never allocate `length` bytes up front either: the length is the
    // sender's claim, and a 5-byte message can claim four gigabytes.
    if length > rest.len() as u64 {
        return Err(WireError::LengthOverrun {
            length,
            available: rest.len(),
        });
    }
    let length = length as usize;
    Ok((&rest[..length], prefix + length))
}

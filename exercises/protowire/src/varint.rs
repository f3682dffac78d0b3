//! Step 1: varints, the integer encoding every other part of the format uses.
//!
//! A varint is LEB128: the value is cut into 7-bit groups, lowest group
//! first, and every byte but the last has its high bit (0x80) set to say
//! "more follows". 1 is `01`, 300 is `AC 02`, `u64::MAX` is nine `FF` and a
//! final `01`: ten bytes, the most a 64-bit value can need.

use crate::WireError;

/// The longest varint: 64 bits in 7-bit groups is 9 groups and 1 bit.
pub const MAX_VARINT_LEN: usize = 10;

/// Appends the varint encoding of `value` to `out` (1 to 10 bytes).
///
/// Always the shortest encoding: the loop stops at the first group below
/// 0x80, so no encoder following this one ever writes a trailing `80 00`.
pub fn encode_varint(mut value: u64, out: &mut Vec<u8>) {
    // TODO: push the low 7 bits with the continuation bit (0x80) while the value is
    // >= 0x80, shifting it right by 7 each time; then push the last byte as is.
    todo!("encode_varint: 7 bits per byte, low group first")
}

/// The number of bytes [`encode_varint`] writes for `value`: 1 to 10.
pub fn encoded_len_varint(value: u64) -> usize {
    // TODO: count the significant bits (64 - leading_zeros, at least 1 so that 0
    // takes a byte) and round up to groups of 7: `bits.div_ceil(7)`.
    todo!("encoded_len_varint: the number of 7-bit groups")
}

/// Reads one varint from the start of `input` and returns its value and
/// how many bytes it took.
///
/// Like prost (and protobuf-go's `ConsumeVarint`), this accepts an overlong
/// encoding such as `80 00` for 0: the format allows it, and rejecting it
/// would refuse messages other encoders may legally produce.
///
/// # Errors
///
/// [`WireError::VarintTruncated`] if `input` ends while the continuation
/// bit is still set (including an empty input), and
/// [`WireError::VarintOverflow`] if the value does not fit in 64 bits: a
/// tenth byte above 1, or a tenth byte that still says "more follows".
pub fn decode_varint(input: &[u8]) -> Result<(u64, usize), WireError> {
    // TODO: loop over `input.iter().take(MAX_VARINT_LEN).enumerate()`: OR each low 7
    // bits in at `7 * index`, and return `(value, index + 1)` at the first byte
    // below 0x80. The tenth byte (index 9) may only be 0 or 1, anything else is
    // VarintOverflow. Running out of bytes is VarintTruncated. Never index
    // past the end: `input[i]` on a short input is a panic, not an error.
    todo!("decode_varint: LEB128 with a 10-byte limit")
}

//! Step 2: zigzag, so that small negative numbers stay small on the wire.
//!
//! A varint encodes an unsigned number, so a signed one must be mapped to
//! unsigned first. `int32` and `int64` use two's complement: -1 becomes
//! `u64::MAX`, ten bytes. `sint32` and `sint64` use zigzag instead, which
//! interleaves the signs: 0, -1, 1, -2, 2... become 0, 1, 2, 3, 4..., so -1
//! takes one byte.

/// The zigzag mapping of a `sint32`: 0 → 0, -1 → 1, 1 → 2, -2 → 3...
pub fn encode_zigzag32(value: i32) -> u32 {
    // TODO: prost's expression: `((value << 1) ^ (value >> 31)) as u32`. On an i32,
    // `>>` copies the sign bit (an arithmetic shift).
    todo!("encode_zigzag32: (v << 1) ^ (v >> 31)")
}

/// The inverse of [`encode_zigzag32`].
pub fn decode_zigzag32(value: u32) -> i32 {
    // TODO: `((value >> 1) as i32) ^ -((value & 1) as i32)`: shift while unsigned,
    // then flip every bit if the low bit says "negative".
    todo!("decode_zigzag32: the inverse mapping")
}

/// The zigzag mapping of a `sint64`.
pub fn encode_zigzag64(value: i64) -> u64 {
    // TODO: as encode_zigzag32, with 64 bits.
    todo!("encode_zigzag64: (v << 1) ^ (v >> 63)")
}

/// The inverse of [`encode_zigzag64`].
pub fn decode_zigzag64(value: u64) -> i64 {
    // TODO: as decode_zigzag32, with 64 bits.
    todo!("decode_zigzag64: the inverse mapping")
}

/// The varint value of an `int32`: the number **sign-extended** to 64 bits.
///
/// This is why a negative `int32` always takes ten bytes: -1 becomes
/// `0xFFFF_FFFF_FFFF_FFFF`. Protobuf sign-extends (rather than writing the 32
/// bits, which would take five bytes) so that an `int32` field can later be
/// changed to `int64` and old data still reads as the same number.
pub fn encode_int32(value: i32) -> u64 {
    // TODO: two casts: first to i64 (sign extension), then to u64.
    todo!("encode_int32: sign-extend to 64 bits")
}

/// The `int32` an old or new writer meant by the varint `value`: its low 32
/// bits, as prost and protobuf-go read it (`value as i32`, which truncates).
pub fn decode_int32(value: u64) -> i32 {
    // TODO: one cast, which truncates.
    todo!("decode_int32: the low 32 bits")
}

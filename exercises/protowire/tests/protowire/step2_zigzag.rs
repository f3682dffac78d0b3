//! Step 2: zigzag and `int32` sign extension (src/zigzag.rs).

use protowire::{
    decode_int32, decode_zigzag32, decode_zigzag64, encode_int32, encode_zigzag32,
    encode_zigzag64, encoded_len_varint,
};

#[test]
fn zigzag_interleaves_negative_and_positive_numbers() {
    let mapped: Vec<u32> = [0, -1, 1, -2, 2, -3].map(encode_zigzag32).to_vec();
    assert_eq!(
        mapped,
        [0, 1, 2, 3, 4, 5],
        "0, -1, 1, -2, 2, -3 should map to 0, 1, 2, 3, 4, 5"
    );
    assert_eq!(encode_zigzag64(-1), 1, "sint64 -1 maps to 1");
    assert_eq!(encode_zigzag64(1), 2, "sint64 1 maps to 2");
}

#[test]
fn zigzag_reaches_both_ends_of_the_range() {
    assert_eq!(
        encode_zigzag32(i32::MAX),
        u32::MAX - 1,
        "i32::MAX maps to 2^32 - 2"
    );
    assert_eq!(
        encode_zigzag32(i32::MIN),
        u32::MAX,
        "i32::MIN maps to 2^32 - 1"
    );
    assert_eq!(
        encode_zigzag64(i64::MIN),
        u64::MAX,
        "i64::MIN maps to u64::MAX"
    );
    assert_eq!(decode_zigzag32(u32::MAX), i32::MIN, "and back to i32::MIN");
    assert_eq!(
        decode_zigzag64(u64::MAX - 1),
        i64::MAX,
        "u64::MAX - 1 is i64::MAX"
    );
}

#[test]
fn zigzag_decoding_undoes_encoding() {
    for value in [0, 1, -1, 63, -64, 64, -65, i32::MAX, i32::MIN] {
        assert_eq!(
            decode_zigzag32(encode_zigzag32(value)),
            value,
            "sint32 {value} should survive a round trip"
        );
        let wide = i64::from(value) * 1_000_000_007;
        assert_eq!(
            decode_zigzag64(encode_zigzag64(wide)),
            wide,
            "sint64 {wide} should survive a round trip"
        );
    }
}

#[test]
fn a_negative_int32_takes_ten_bytes_and_a_negative_sint32_one() {
    // int32 sign-extends to 64 bits: -1 is 0xFFFF_FFFF_FFFF_FFFF on the wire.
    assert_eq!(
        encode_int32(-1),
        u64::MAX,
        "int32 -1 sign-extends to u64::MAX"
    );
    assert_eq!(
        encoded_len_varint(encode_int32(-1)),
        10,
        "so a negative int32 takes the full ten bytes"
    );
    assert_eq!(
        encoded_len_varint(u64::from(encode_zigzag32(-1))),
        1,
        "while a sint32 -1 takes one byte"
    );
}

#[test]
fn int32_reads_the_low_32_bits_of_the_varint() {
    assert_eq!(
        decode_int32(u64::MAX),
        -1,
        "ten bytes of -1 read back as -1"
    );
    assert_eq!(decode_int32(300), 300, "a positive value is unchanged");
    assert_eq!(
        decode_int32(0xFFFF_FFFF),
        -1,
        "a writer that sent only 32 bits still means -1"
    );
    assert_eq!(
        encode_int32(i32::MIN),
        0xFFFF_FFFF_8000_0000,
        "i32::MIN sign-extends"
    );
}

//! Step 1: `encode_varint`, `encoded_len_varint`, `decode_varint`
//! (src/varint.rs).

use protowire::{
    MAX_VARINT_LEN, WireError, decode_varint, encode_varint, encoded_len_varint,
};

use crate::{prost_decode_varint, prost_varint};

fn encode(value: u64) -> Vec<u8> {
    let mut out = Vec::new();
    encode_varint(value, &mut out);
    out
}

#[test]
fn small_values_take_one_byte() {
    assert_eq!(encode(0), [0x00], "0 is the single byte 00");
    assert_eq!(encode(1), [0x01], "1 is the single byte 01");
    assert_eq!(encode(127), [0x7F], "127 is the largest value of one byte");
}

#[test]
fn three_hundred_is_ac_02() {
    // 300 = 0b10_0101100: the low 7 bits 0101100 (0x2C) go first, with the
    // continuation bit (0x80) set, then the rest, 0b10.
    assert_eq!(encode(300), [0xAC, 0x02], "300 should encode as AC 02");
    assert_eq!(
        decode_varint(&[0xAC, 0x02]),
        Ok((300, 2)),
        "AC 02 should decode to 300, two bytes read"
    );
}

#[test]
fn the_largest_values_take_ten_bytes() {
    let mut max = vec![0xFF; 9];
    max.push(0x01);
    assert_eq!(encode(u64::MAX), max, "u64::MAX is nine FF then 01");
    let mut top_bit = vec![0x80; 9];
    top_bit.push(0x01);
    assert_eq!(encode(1 << 63), top_bit, "2^63 is nine 80 then 01");
    assert_eq!(
        decode_varint(&max),
        Ok((u64::MAX, 10)),
        "u64::MAX should decode"
    );
    assert_eq!(
        decode_varint(&top_bit),
        Ok((1 << 63, 10)),
        "2^63 should decode"
    );
}

#[test]
fn every_seven_bit_boundary_matches_prost() {
    // prost's own unit test checks 2^(7k) - 1 (the largest value of k bytes)
    // and 2^(7k) (the smallest of k + 1 bytes) for every k.
    for k in 1..=9u32 {
        for value in [(1u64 << (7 * k)) - 1, 1u64 << (7 * k)] {
            let expected = prost_varint(value);
            assert_eq!(
                encode(value),
                expected,
                "{value} should encode as prost does"
            );
            assert_eq!(
                encoded_len_varint(value),
                expected.len(),
                "the encoded length of {value} should be {}",
                expected.len()
            );
            assert_eq!(
                decode_varint(&expected),
                Ok((value, expected.len())),
                "{value} should decode back from {expected:02X?}"
            );
        }
    }
}

#[test]
fn the_encoded_length_runs_from_one_to_ten() {
    assert_eq!(encoded_len_varint(0), 1, "0 still takes one byte");
    assert_eq!(encoded_len_varint(127), 1, "127 takes one byte");
    assert_eq!(encoded_len_varint(128), 2, "128 takes two bytes");
    assert_eq!(
        encoded_len_varint(u64::MAX),
        MAX_VARINT_LEN,
        "u64::MAX takes ten"
    );
}

#[test]
fn decoding_stops_after_the_last_byte_of_the_varint() {
    assert_eq!(
        decode_varint(&[0x96, 0x01, 0xFF, 0xFF]),
        Ok((150, 2)),
        "the varint 96 01 ends at its second byte; what follows is not read"
    );
}

#[test]
fn an_overlong_zero_decodes_like_prost() {
    // 80 00 is zero written in two bytes. Not canonical, but legal: prost
    // and protobuf-go accept it, so a hand-written reader must too.
    assert_eq!(
        prost_decode_varint(&[0x80, 0x00]),
        Some((0, 2)),
        "prost's verdict"
    );
    assert_eq!(
        decode_varint(&[0x80, 0x00]),
        Ok((0, 2)),
        "80 00 should decode to 0, two bytes read"
    );
}

#[test]
fn empty_input_is_a_truncated_varint() {
    assert_eq!(
        decode_varint(&[]),
        Err(WireError::VarintTruncated),
        "no bytes at all is a truncated varint, not a panic"
    );
}

#[test]
fn input_ending_on_a_continuation_bit_is_truncated() {
    for input in [&[0x80][..], &[0xAC], &[0xFF, 0xFF, 0xFF], &[0xFF; 9]] {
        assert_eq!(
            decode_varint(input),
            Err(WireError::VarintTruncated),
            "{input:02X?} ends while the high bit says more follows"
        );
    }
}

#[test]
fn a_tenth_byte_above_one_overflows() {
    let mut input = vec![0xFF; 9];
    input.push(0x02);
    assert_eq!(
        prost_decode_varint(&input),
        None,
        "prost refuses a tenth byte of 02"
    );
    assert_eq!(
        decode_varint(&input),
        Err(WireError::VarintOverflow),
        "a tenth byte of 02 would be bit 64: the value does not fit a u64"
    );
}

#[test]
fn a_varint_may_not_go_past_ten_bytes() {
    let input = [0xFF; 11];
    assert_eq!(
        decode_varint(&input),
        Err(WireError::VarintOverflow),
        "eleven bytes with the continuation bit are refused at the tenth"
    );
    let mut zeros = vec![0x80; 10];
    zeros.push(0x00);
    assert_eq!(
        decode_varint(&zeros),
        Err(WireError::VarintOverflow),
        "even an overlong zero stops at ten bytes"
    );
}

//! Step 4: fixed32, fixed64 and length-delimited values (src/fixed.rs).

use protowire::{
    WireError, decode_fixed32, decode_fixed64, decode_len_delimited, encode_fixed32,
    encode_fixed64, encode_len_delimited,
};

#[test]
fn fixed_values_are_little_endian() {
    let mut out = Vec::new();
    encode_fixed32(0x0102_0304, &mut out);
    assert_eq!(
        out,
        [0x04, 0x03, 0x02, 0x01],
        "fixed32 writes the low byte first"
    );
    out.clear();
    encode_fixed64(1, &mut out);
    assert_eq!(
        out,
        [1, 0, 0, 0, 0, 0, 0, 0],
        "fixed64 is always eight bytes"
    );
}

#[test]
fn fixed_values_decode_and_report_their_width() {
    assert_eq!(
        decode_fixed32(&[0x04, 0x03, 0x02, 0x01, 0xFF]),
        Ok((0x0102_0304, 4)),
        "fixed32 reads exactly four bytes"
    );
    let pi = std::f64::consts::PI.to_bits().to_le_bytes();
    assert_eq!(
        decode_fixed64(&pi).map(|(bits, n)| (f64::from_bits(bits), n)),
        Ok((std::f64::consts::PI, 8)),
        "a double is its IEEE 754 bits as a fixed64"
    );
}

#[test]
fn a_short_fixed_value_is_truncated_not_a_panic() {
    assert_eq!(
        decode_fixed32(&[1, 2, 3]),
        Err(WireError::Truncated {
            needed: 4,
            available: 3
        }),
        "three bytes cannot hold a fixed32"
    );
    assert_eq!(
        decode_fixed64(&[]),
        Err(WireError::Truncated {
            needed: 8,
            available: 0
        }),
        "no bytes cannot hold a fixed64"
    );
}

#[test]
fn a_length_delimited_value_is_its_length_then_its_bytes() {
    let mut out = Vec::new();
    encode_len_delimited(b"testing", &mut out);
    assert_eq!(out, b"\x07testing", "the length 7, then the seven bytes");
    assert_eq!(
        decode_len_delimited(b"\x07testing and more"),
        Ok((&b"testing"[..], 8)),
        "the value's bytes, and 8 bytes read: one of length, seven of value"
    );
}

#[test]
fn an_empty_value_is_a_zero_length() {
    assert_eq!(
        decode_len_delimited(&[0x00]),
        Ok((&[][..], 1)),
        "length 0: an empty string, one byte read"
    );
}

#[test]
fn a_length_past_the_end_of_the_input_is_an_error() {
    assert_eq!(
        decode_len_delimited(b"\x05abc"),
        Err(WireError::LengthOverrun {
            length: 5,
            available: 3
        }),
        "the prefix claims five bytes, three are left"
    );
}

#[test]
fn a_huge_length_is_refused_without_allocating_it() {
    let mut input = Vec::new();
    protowire::encode_varint(u64::MAX, &mut input);
    input.push(b'x');
    assert_eq!(
        decode_len_delimited(&input),
        Err(WireError::LengthOverrun {
            length: u64::MAX,
            available: 1
        }),
        "a length of u64::MAX is compared with what is left, not trusted"
    );
}

#[test]
fn a_bad_length_prefix_is_a_varint_error() {
    assert_eq!(
        decode_len_delimited(&[0x80]),
        Err(WireError::VarintTruncated),
        "the length prefix itself is truncated"
    );
}

//! Step 3: `WireType`, `Tag`, `encode_key`, `decode_key` (src/key.rs).

use protowire::{Key, Tag, WireError, WireType, decode_key, encode_key};

fn tag(number: u32) -> Tag {
    Tag::new(number).expect("a valid field number")
}

fn key_bytes(number: u32, wire_type: WireType) -> Vec<u8> {
    let mut out = Vec::new();
    encode_key(tag(number), wire_type, &mut out);
    out
}

#[test]
fn the_six_wire_types_parse_from_their_numbers() {
    let parsed: Vec<WireType> = (0..=5)
        .map(|n| WireType::try_from(n).expect("0..=5 are wire types"))
        .collect();
    assert_eq!(
        parsed,
        [
            WireType::Varint,
            WireType::I64,
            WireType::Len,
            WireType::SGroup,
            WireType::EGroup,
            WireType::I32,
        ],
        "0..=5 are VARINT, I64, LEN, SGROUP, EGROUP, I32 in that order"
    );
}

#[test]
fn wire_types_six_and_seven_are_refused() {
    for value in [6, 7] {
        assert_eq!(
            WireType::try_from(value),
            Err(WireError::InvalidWireType { value }),
            "wire type {value} does not exist: nobody could skip its value"
        );
    }
}

#[test]
fn field_numbers_run_from_one_to_two_to_the_29_minus_one() {
    assert_eq!(
        Tag::new(1).map(Tag::get),
        Ok(1),
        "1 is the smallest field number"
    );
    assert_eq!(
        Tag::new((1 << 29) - 1).map(Tag::get),
        Ok(536_870_911),
        "2^29 - 1 is the largest"
    );
    assert_eq!(Tag::MIN.get(), 1, "Tag::MIN is 1");
    assert_eq!(Tag::MAX.get(), (1 << 29) - 1, "Tag::MAX is 2^29 - 1");
    for number in [0, 1 << 29, u32::MAX] {
        assert_eq!(
            Tag::new(number),
            Err(WireError::TagOutOfRange { tag: number }),
            "{number} is not a field number"
        );
    }
    assert_eq!(
        decode_key(&[0xF8, 0xFF, 0xFF, 0xFF, 0x0F]).map(|(key, _)| key.tag),
        Ok(Tag::MAX),
        "the key F8 FF FF FF 0F holds the largest field number"
    );
}

#[test]
fn a_key_is_the_field_number_shifted_left_three_plus_the_wire_type() {
    assert_eq!(
        key_bytes(1, WireType::Varint),
        [0x08],
        "field 1, VARINT: 1 << 3 | 0"
    );
    assert_eq!(
        key_bytes(2, WireType::Len),
        [0x12],
        "field 2, LEN: 2 << 3 | 2"
    );
    assert_eq!(
        key_bytes(15, WireType::I32),
        [0x7D],
        "field 15 is the last one-byte key"
    );
    assert_eq!(
        key_bytes(16, WireType::Len),
        [0x82, 0x01],
        "field 16 needs a two-byte key"
    );
}

#[test]
fn keys_match_prost_byte_for_byte() {
    use prost::encoding::WireType as P;
    let pairs = [
        (WireType::Varint, P::Varint),
        (WireType::I64, P::SixtyFourBit),
        (WireType::Len, P::LengthDelimited),
        (WireType::SGroup, P::StartGroup),
        (WireType::EGroup, P::EndGroup),
        (WireType::I32, P::ThirtyTwoBit),
    ];
    for number in [1, 15, 16, 2047, 2048, (1 << 29) - 1] {
        for (ours, theirs) in pairs {
            let mut expected = Vec::new();
            prost::encoding::encode_key(number, theirs, &mut expected);
            assert_eq!(
                key_bytes(number, ours),
                expected,
                "the key of field {number}, {ours:?} should be prost's"
            );
        }
    }
}

#[test]
fn decoding_a_key_gives_the_tag_the_wire_type_and_the_length() {
    assert_eq!(
        decode_key(&[0x82, 0x01, 0x00]),
        Ok((
            Key {
                tag: tag(16),
                wire_type: WireType::Len
            },
            2
        )),
        "82 01 is field 16, LEN, two bytes"
    );
    assert_eq!(
        decode_key(&[0xF8, 0xFF, 0xFF, 0xFF, 0x0F]),
        Ok((
            Key {
                tag: Tag::MAX,
                wire_type: WireType::Varint
            },
            5
        )),
        "the largest field number takes a five-byte key"
    );
}

#[test]
fn field_number_zero_is_refused() {
    assert_eq!(
        decode_key(&[0x00]),
        Err(WireError::TagOutOfRange { tag: 0 }),
        "key 00 is field 0, which no schema can declare"
    );
    assert_eq!(
        decode_key(&[0x02]),
        Err(WireError::TagOutOfRange { tag: 0 }),
        "field 0 with wire type LEN is refused too"
    );
}

#[test]
fn a_key_with_wire_type_seven_is_refused() {
    assert_eq!(
        decode_key(&[0x0F]),
        Err(WireError::InvalidWireType { value: 7 }),
        "0F is field 1 with wire type 7"
    );
}

#[test]
fn a_key_above_u32_max_is_refused() {
    // 2^32 as a varint: five bytes, the last one 0x10.
    assert_eq!(
        decode_key(&[0x80, 0x80, 0x80, 0x80, 0x10]),
        Err(WireError::KeyTooLarge { key: 1 << 32 }),
        "a key is a 32-bit number; 2^32 is one too many"
    );
}

#[test]
fn a_truncated_key_is_a_varint_error() {
    assert_eq!(
        decode_key(&[0x82]),
        Err(WireError::VarintTruncated),
        "82 alone is the first byte of a two-byte key"
    );
    assert_eq!(
        decode_key(&[]),
        Err(WireError::VarintTruncated),
        "no key at all"
    );
}

//! Step 6: the `Writer` (src/writer.rs).

use prost::encoding as pe;
use protowire::{Field, Reader, Tag, Value, Writer};

fn tag(number: u32) -> Tag {
    Tag::new(number).expect("a valid field number")
}

/// What `encode` writes into a fresh buffer: a prost field encoder.
fn prost(encode: impl FnOnce(&mut Vec<u8>)) -> Vec<u8> {
    let mut out = Vec::new();
    encode(&mut out);
    out
}

#[test]
fn an_int32_field_matches_prost_and_a_negative_one_takes_eleven_bytes() {
    let mut writer = Writer::new();
    writer.int32(tag(1), -5);
    let expected = prost(|b| pe::int32::encode(1, &-5, b));
    assert_eq!(
        writer.as_bytes(),
        expected,
        "int32 -5 should be written as prost does"
    );
    assert_eq!(
        writer.as_bytes().len(),
        11,
        "one byte of key and ten of sign-extended varint"
    );
}

#[test]
fn sint_fields_match_prost() {
    let mut writer = Writer::new();
    writer.sint32(tag(2), -1).sint64(tag(3), i64::MIN);
    let mut expected = prost(|b| pe::sint32::encode(2, &-1, b));
    expected.extend(prost(|b| pe::sint64::encode(3, &i64::MIN, b)));
    assert_eq!(
        writer.into_bytes(),
        expected,
        "zigzag fields should be prost's bytes"
    );
}

#[test]
fn fixed_and_double_fields_match_prost() {
    let mut writer = Writer::new();
    writer
        .fixed32(tag(1), 7)
        .fixed64(tag(2), u64::MAX)
        .double(tag(3), -0.5);
    let mut expected = prost(|b| pe::fixed32::encode(1, &7, b));
    expected.extend(prost(|b| pe::fixed64::encode(2, &u64::MAX, b)));
    expected.extend(prost(|b| pe::double::encode(3, &-0.5, b)));
    assert_eq!(
        writer.into_bytes(),
        expected,
        "I32 and I64 fields should be prost's"
    );
}

#[test]
fn string_bytes_and_varint_fields_match_prost() {
    let mut writer = Writer::new();
    writer
        .varint(tag(1), 300)
        .string(tag(2), "héllo")
        .bytes(tag(3), &[0, 1, 2]);
    let mut expected = prost(|b| pe::uint64::encode(1, &300, b));
    expected.extend(prost(|b| pe::string::encode(2, &"héllo".to_string(), b)));
    expected.extend(prost(|b| pe::bytes::encode(3, &vec![0u8, 1, 2], b)));
    assert_eq!(
        writer.into_bytes(),
        expected,
        "LEN fields should be prost's"
    );
}

#[test]
fn a_packed_field_is_one_key_one_length_and_the_varints() {
    let values = [1i32, 300, -1];
    let mut writer = Writer::new();
    writer.packed_varint(tag(7), values.map(|v| v as i64 as u64));
    let expected = prost(|b| pe::int32::encode_packed(7, &values, b));
    assert_eq!(
        writer.as_bytes(),
        expected,
        "packed int32 should be prost's bytes"
    );
    assert_eq!(
        writer.as_bytes()[..2],
        [0x3A, 13],
        "key 3A (field 7, LEN), then 13 bytes: 1 + 2 + 10"
    );
}

#[test]
fn an_empty_packed_field_writes_nothing() {
    let mut writer = Writer::new();
    writer.packed_varint(tag(7), []);
    assert_eq!(
        writer.as_bytes(),
        [] as [u8; 0],
        "no values, no key, no length"
    );
}

#[test]
fn a_nested_message_is_a_length_delimited_field() {
    let mut inner = Writer::new();
    inner.varint(tag(1), 150);
    let mut outer = Writer::new();
    outer.message(tag(3), inner.as_bytes());
    assert_eq!(
        outer.as_bytes(),
        [0x1A, 0x03, 0x08, 0x96, 0x01],
        "field 3, LEN 3, then the inner message 08 96 01"
    );
}

#[test]
fn what_the_writer_writes_the_reader_reads() {
    let mut writer = Writer::new();
    writer
        .varint(tag(1), 1)
        .string(tag(2), "x")
        .fixed32(tag(3), 3)
        .fixed64(tag(536_870_911), 4);
    let bytes = writer.into_bytes();
    let fields: Vec<Field<'_>> = Reader::new(&bytes)
        .collect::<Result<_, _>>()
        .expect("the writer's output is a valid message");
    let values: Vec<(u32, Value<'_>)> =
        fields.iter().map(|f| (f.tag.get(), f.value)).collect();
    assert_eq!(
        values,
        [
            (1, Value::Varint(1)),
            (2, Value::Len(b"x")),
            (3, Value::I32(3)),
            (536_870_911, Value::I64(4)),
        ],
        "the four fields should read back in order"
    );
}

//! Step 5: the `Reader` (src/reader.rs).

use protowire::{
    DecodeError, Field, MAX_GROUP_DEPTH, Reader, Tag, Value, WireError, WireType,
};

use crate::pb;

fn tag(number: u32) -> Tag {
    Tag::new(number).expect("a valid field number")
}

/// All the fields of `input`, or the first error.
fn read_all(input: &[u8]) -> Result<Vec<Field<'_>>, DecodeError> {
    Reader::new(input).collect()
}

/// prost's verdict on `input` as a message: a message with no fields skips
/// every field as unknown, so it accepts exactly the well-formed ones.
fn prost_accepts(input: &[u8]) -> bool {
    <pb::Empty as prost::Message>::decode(input).is_ok()
}

#[test]
fn the_reader_yields_each_field_with_its_tag_and_value() {
    let input = [
        0x08, 0x96, 0x01, // field 1, VARINT 150
        0x12, 0x02, b'h', b'i', // field 2, LEN "hi"
        0x1D, 0x01, 0x00, 0x00, 0x00, // field 3, I32 1
        0x21, 0x02, 0, 0, 0, 0, 0, 0, 0, // field 4, I64 2
    ];
    assert_eq!(
        read_all(&input),
        Ok(vec![
            Field {
                tag: tag(1),
                value: Value::Varint(150)
            },
            Field {
                tag: tag(2),
                value: Value::Len(b"hi")
            },
            Field {
                tag: tag(3),
                value: Value::I32(1)
            },
            Field {
                tag: tag(4),
                value: Value::I64(2)
            },
        ]),
        "four fields, one of each wire type, in wire order"
    );
}

#[test]
fn an_empty_message_has_no_fields() {
    assert_eq!(
        read_all(&[]),
        Ok(vec![]),
        "zero bytes is a valid, empty message"
    );
}

#[test]
fn the_position_moves_to_the_next_key() {
    let input = [0x08, 0x96, 0x01, 0x10, 0x01];
    let mut reader = Reader::new(&input);
    assert_eq!(reader.position(), 0, "a new reader starts at byte 0");
    let first = reader.read_field().expect("a valid field");
    assert!(first.is_some(), "the first field is there");
    assert_eq!(reader.position(), 3, "field 1 took three bytes");
    reader.read_field().expect("a valid field");
    assert_eq!(reader.position(), 5, "and field 2 two more");
    assert_eq!(reader.read_field(), Ok(None), "then the message ends");
}

#[test]
fn a_group_is_skipped_to_its_end_group_key() {
    let input = [
        0x1B, // field 3, SGROUP
        0x08, 0x01, // field 1, VARINT 1, inside the group
        0x1C, // field 3, EGROUP
        0x20, 0x05, // field 4, VARINT 5
    ];
    assert_eq!(
        read_all(&input),
        Ok(vec![
            Field {
                tag: tag(3),
                value: Value::Group(&[0x08, 0x01])
            },
            Field {
                tag: tag(4),
                value: Value::Varint(5)
            },
        ]),
        "the group's body is borrowed whole, and the next field is read after it"
    );
    assert!(prost_accepts(&input), "prost skips this group too");
}

#[test]
fn nested_groups_are_skipped_whole() {
    // field 3 { field 5 { field 1 = 1 } field 2 = 2 }, then field 4 = 5.
    let input = [0x1B, 0x2B, 0x08, 0x01, 0x2C, 0x10, 0x02, 0x1C, 0x20, 0x05];
    let fields = read_all(&input).expect("a valid message");
    assert_eq!(fields.len(), 2, "one group and one varint at the top level");
    assert_eq!(
        fields[0].value,
        Value::Group(&input[1..7]),
        "the outer group's body holds the inner group"
    );
}

#[test]
fn an_end_group_without_a_start_is_refused() {
    assert_eq!(
        read_all(&[0x08, 0x01, 0x1C]),
        Err(DecodeError::new(
            2,
            WireError::UnexpectedEndGroup { tag: 3 }
        )),
        "an EGROUP key at byte 2 closes nothing"
    );
}

#[test]
fn a_group_closed_by_another_field_is_refused() {
    assert_eq!(
        read_all(&[0x1B, 0x24]),
        Err(DecodeError::new(
            1,
            WireError::GroupMismatch { start: 3, end: 4 }
        )),
        "group 3 cannot be closed by the end of group 4"
    );
}

#[test]
fn a_group_that_never_ends_is_refused() {
    assert_eq!(
        read_all(&[0x1B, 0x08, 0x01]),
        Err(DecodeError::new(3, WireError::UnterminatedGroup { tag: 3 })),
        "the input ends at byte 3 with group 3 still open"
    );
}

#[test]
fn the_group_depth_limit_is_prosts() {
    let nested = |depth: usize| {
        let mut input = vec![0x0B; depth]; // field 1, SGROUP, `depth` times
        input.extend([0x10, 0x01]); // field 2 = 1, at the innermost level
        input.extend(vec![0x0C; depth]); // field 1, EGROUP, `depth` times
        input
    };
    let deepest = nested(MAX_GROUP_DEPTH - 1);
    assert!(
        prost_accepts(&deepest),
        "prost accepts a field inside 99 groups"
    );
    assert!(read_all(&deepest).is_ok(), "so should the reader");
    let too_deep = nested(MAX_GROUP_DEPTH);
    assert!(
        !prost_accepts(&too_deep),
        "prost refuses a field inside 100 groups"
    );
    assert_eq!(
        read_all(&too_deep),
        Err(DecodeError::new(
            MAX_GROUP_DEPTH,
            WireError::GroupTooDeep {
                limit: MAX_GROUP_DEPTH
            }
        )),
        "and so should the reader, at the key of that field"
    );
}

#[test]
fn errors_name_the_offset_of_the_bad_value() {
    assert_eq!(
        read_all(&[0x08, 0x96, 0x01, 0x12, 0x05, b'a', b'b']),
        Err(DecodeError::new(
            4,
            WireError::LengthOverrun {
                length: 5,
                available: 2
            }
        )),
        "field 2's value starts at byte 4 and claims 5 bytes where 2 are left"
    );
    assert_eq!(
        read_all(&[0x08, 0x01, 0x0D, 0x01]),
        Err(DecodeError::new(
            3,
            WireError::Truncated {
                needed: 4,
                available: 1
            }
        )),
        "the fixed32 at byte 3 is cut short"
    );
}

#[test]
fn errors_name_the_offset_of_the_bad_key() {
    assert_eq!(
        read_all(&[0x08, 0x01, 0x00]),
        Err(DecodeError::new(2, WireError::TagOutOfRange { tag: 0 })),
        "the key at byte 2 is field 0"
    );
    let error = read_all(&[0x08, 0x01, 0x0E]).expect_err("wire type 6 is refused");
    assert_eq!(error.offset(), 2, "the bad key starts at byte 2");
    assert_eq!(
        error.error(),
        &WireError::InvalidWireType { value: 6 },
        "0E is field 1 with wire type 6"
    );
    assert_eq!(
        error.to_string(),
        "at byte 2: invalid wire type 6",
        "the message says where and what, in lowercase"
    );
}

#[test]
fn the_reader_stops_after_an_error() {
    let mut reader = Reader::new(&[0x08]);
    assert_eq!(
        reader.next(),
        Some(Err(DecodeError::new(1, WireError::VarintTruncated))),
        "field 1's varint is missing"
    );
    assert_eq!(reader.next(), None, "after an error there is no next field");
}

#[test]
fn a_value_knows_its_wire_type() {
    assert_eq!(Value::Varint(1).wire_type(), WireType::Varint, "VARINT");
    assert_eq!(Value::Len(b"").wire_type(), WireType::Len, "LEN");
    assert_eq!(
        Value::Group(b"").wire_type(),
        WireType::SGroup,
        "a group starts SGROUP"
    );
    assert!(
        read_all(&[0x08, 0x01]).is_ok(),
        "and the reader reads a varint field"
    );
}

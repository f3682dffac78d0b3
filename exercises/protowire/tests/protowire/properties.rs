//! Every property test of the lesson, all compared with prost: random
//! values must give prost's bytes, and random bytes must get prost's
//! verdict, with no panic on any input.
//!
//! Run them alone with `cargo test -p protowire properties::`; set
//! `PROPTEST_CASES=100000` for a long run (CI does, in release mode).

use proptest::prelude::*;
use proptest::sample::Index;
use prost::Message as _;
use prost::encoding as pe;
use protowire::{
    Customer, Order, Reader, Tag, Value, Writer, decode_int32, decode_key, decode_varint,
    decode_zigzag32, decode_zigzag64, encode_int32, encode_varint, encode_zigzag32,
    encode_zigzag64, encoded_len_varint,
};

use crate::{assert_same_order, pb, prost_decode_varint, prost_varint, sample_order};

/// A u64 of any encoded length: a random value shifted right by 0..64
/// bits, so that each of the ten lengths is about as likely as the others
/// (`any::<u64>()` alone gives a ten-byte varint half of the time).
fn spread_u64() -> impl Strategy<Value = u64> {
    (any::<u64>(), 0..64u32).prop_map(|(value, shift)| value >> shift)
}

/// Short byte strings biased towards varint-like bytes (high bit set).
fn varint_like_bytes() -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(prop_oneof![any::<u8>(), 0x80..=0xFFu8, Just(0x01)], 0..13)
}

fn short_string() -> impl Strategy<Value = String> {
    proptest::collection::vec(any::<char>(), 0..6).prop_map(String::from_iter)
}

fn order() -> impl Strategy<Value = Order> {
    let customer =
        (spread_u64(), short_string()).prop_map(|(id, email)| Customer { id, email });
    (
        (any::<i32>(), any::<i64>(), short_string()),
        (
            proptest::collection::vec(any::<u8>(), 0..6),
            any::<f64>(),
            any::<u64>(),
        ),
        (
            proptest::collection::vec(any::<i32>(), 0..5),
            proptest::option::of(customer),
        ),
    )
        .prop_map(
            |(
                (id, balance_delta, note),
                (payload, price, checksum),
                (quantities, customer),
            )| {
                Order {
                    id,
                    balance_delta,
                    note,
                    payload,
                    price,
                    checksum,
                    quantities,
                    customer,
                }
            },
        )
}

/// A field number, a kind of value (varint, fixed64, fixed32, bytes) and
/// the raw value.
fn field() -> impl Strategy<Value = (u32, u8, u64)> {
    (1u32..(1 << 29), 0u8..4, any::<u64>())
}

/// One field of a random but well-formed message: a field number of
/// `Order` (or 17 and 1000, which it does not know), a wire type (0
/// VARINT, 1 I64, 2 LEN, 3 a group, 4 I32), and the raw value.
fn raw_field() -> impl Strategy<Value = (u32, u8, u64, Vec<u8>)> {
    (
        prop_oneof![1u32..=8, Just(16), Just(17), Just(1000)],
        0u8..=4,
        spread_u64(),
        // Small bytes are keys and short lengths: a LEN value is then often
        // a plausible customer or packed run, sometimes a broken one.
        proptest::collection::vec(prop_oneof![any::<u8>(), 0x00..0x20u8], 0..8),
    )
}

/// `fields` written with prost's functions, not ours: any wire type for
/// any field, so known fields arrive with the wrong type too.
fn prost_message(fields: &[(u32, u8, u64, Vec<u8>)]) -> Vec<u8> {
    use pe::WireType as W;
    let mut out = Vec::new();
    for (number, kind, raw, bytes) in fields {
        match kind {
            0 => {
                pe::encode_key(*number, W::Varint, &mut out);
                pe::encode_varint(*raw, &mut out);
            }
            1 => {
                pe::encode_key(*number, W::SixtyFourBit, &mut out);
                out.extend_from_slice(&raw.to_le_bytes());
            }
            2 => {
                pe::encode_key(*number, W::LengthDelimited, &mut out);
                pe::encode_varint(bytes.len() as u64, &mut out);
                out.extend_from_slice(bytes);
            }
            3 => {
                pe::encode_key(*number, W::StartGroup, &mut out);
                pe::encode_key(1, W::Varint, &mut out);
                pe::encode_varint(*raw, &mut out);
                pe::encode_key(*number, W::EndGroup, &mut out);
            }
            _ => {
                pe::encode_key(*number, W::ThirtyTwoBit, &mut out);
                out.extend_from_slice(&(*raw as u32).to_le_bytes());
            }
        }
    }
    out
}

fn encode(value: u64) -> Vec<u8> {
    let mut out = Vec::new();
    encode_varint(value, &mut out);
    out
}

/// Walks the whole input with the reader: true if every field is valid.
fn reader_accepts(input: &[u8]) -> bool {
    Reader::new(input).all(|field| field.is_ok())
}

fn prost_accepts(input: &[u8]) -> bool {
    pb::Empty::decode(input).is_ok()
}

/// Our decoder and prost's must agree on `input`: both refuse it, or both
/// accept it with the same values.
fn assert_same_verdict(input: &[u8]) {
    match (Order::decode(input), pb::Order::decode(input)) {
        (Ok(ours), Ok(theirs)) => assert_same_order(&ours, &theirs, "both accept"),
        (Err(_), Err(_)) => {}
        (ours, theirs) => panic!(
            "on {input:02X?} our decoder says {:?} and prost says {:?}",
            ours.map(|_| "ok"),
            theirs.map(|_| "ok")
        ),
    }
}

proptest! {
    #![proptest_config(crate::properties())]

    #[test]
    fn varints_encode_to_prosts_bytes(value in spread_u64()) {
        let expected = prost_varint(value);
        prop_assert_eq!(encode(value), expected.clone(), "the bytes of {}", value);
        prop_assert_eq!(
            encoded_len_varint(value),
            expected.len(),
            "the length of {}", value
        );
        prop_assert_eq!(
            encoded_len_varint(value),
            pe::encoded_len_varint(value),
            "prost's encoded_len_varint of {}", value
        );
    }

    #[test]
    fn varints_decode_back_to_their_value(value in spread_u64(), tail in any::<u8>()) {
        let mut bytes = encode(value);
        let len = bytes.len();
        bytes.push(tail);
        prop_assert_eq!(
            decode_varint(&bytes),
            Ok((value, len)),
            "{} should decode from its encoding, stopping before the next byte", value
        );
    }

    #[test]
    fn varint_decoding_agrees_with_prost_on_any_bytes(input in varint_like_bytes()) {
        let ours = decode_varint(&input).ok();
        prop_assert_eq!(
            ours,
            prost_decode_varint(&input),
            "on {:02X?}: same value and length, or both refuse", input
        );
    }

    #[test]
    fn a_decoded_varint_re_encodes_to_its_canonical_form(input in varint_like_bytes()) {
        if let Ok((value, len)) = decode_varint(&input) {
            let canonical = encode(value);
            prop_assert!(canonical.len() <= len, "the shortest form is never longer");
            if canonical.len() == len {
                prop_assert_eq!(
                    &input[..len],
                    &canonical[..],
                    "canonical input is re-encoded as is"
                );
            }
        }
    }

    #[test]
    fn key_decoding_agrees_with_prost_on_any_bytes(input in varint_like_bytes()) {
        let ours = decode_key(&input).ok().map(|(key, len)| {
            (key.tag.get(), key.wire_type as u8, len)
        });
        let mut buf = &input[..];
        let theirs = pe::decode_key(&mut buf)
            .ok()
            .map(|(tag, wire_type)| (tag, wire_type as u8, input.len() - buf.len()));
        prop_assert_eq!(ours, theirs, "on {:02X?}: same key, or both refuse", input);
    }

    #[test]
    fn keys_encode_to_prosts_bytes(number in 1u32..(1 << 29), wire_type in 0u8..=5) {
        let ours_type = protowire::WireType::try_from(wire_type).expect("0..=5");
        let theirs_type = pe::WireType::try_from(u64::from(wire_type)).expect("0..=5");
        let tag = Tag::new(number).expect("a valid tag");
        let mut ours = Vec::new();
        protowire::encode_key(tag, ours_type, &mut ours);
        let mut theirs = Vec::new();
        pe::encode_key(number, theirs_type, &mut theirs);
        prop_assert_eq!(ours, theirs, "the key of field {}, type {}", number, wire_type);
    }

    #[test]
    fn zigzag_matches_prosts_sint_encoders(small in any::<i32>(), large in any::<i64>()) {
        let mut ours = vec![0x08];
        encode_varint(u64::from(encode_zigzag32(small)), &mut ours);
        let mut theirs = Vec::new();
        pe::sint32::encode(1, &small, &mut theirs);
        prop_assert_eq!(&ours, &theirs, "sint32 {}", small);

        let mut ours = vec![0x08];
        encode_varint(encode_zigzag64(large), &mut ours);
        let mut theirs = Vec::new();
        pe::sint64::encode(1, &large, &mut theirs);
        prop_assert_eq!(&ours, &theirs, "sint64 {}", large);

        prop_assert_eq!(decode_zigzag32(encode_zigzag32(small)), small, "sint32 back");
        prop_assert_eq!(decode_zigzag64(encode_zigzag64(large)), large, "sint64 back");
    }

    #[test]
    fn int32_matches_prost_and_negatives_take_ten_bytes(value in any::<i32>()) {
        let mut ours = vec![0x08];
        encode_varint(encode_int32(value), &mut ours);
        let mut theirs = Vec::new();
        pe::int32::encode(1, &value, &mut theirs);
        prop_assert_eq!(&ours, &theirs, "int32 {}", value);
        if value < 0 {
            prop_assert_eq!(ours.len(), 11, "a negative int32 is a key and ten bytes");
        }
        prop_assert_eq!(decode_int32(encode_int32(value)), value, "int32 round trip");
    }

    #[test]
    fn the_reader_accepts_exactly_what_prost_skips(input in varint_like_bytes()) {
        prop_assert_eq!(
            reader_accepts(&input),
            prost_accepts(&input),
            "on {:02X?}: a message with no known field, same verdict", input
        );
    }

    #[test]
    fn the_reader_never_panics_on_random_bytes(
        input in proptest::collection::vec(any::<u8>(), 0..64),
    ) {
        let same = reader_accepts(&input) == prost_accepts(&input);
        prop_assert!(same, "on {:02X?}: the reader and prost disagree", input);
        assert_same_verdict(&input);
    }

    #[test]
    fn what_the_writer_writes_the_reader_reads_back(
        fields in proptest::collection::vec(field(), 0..6),
    ) {
        let mut writer = Writer::new();
        // The LEN values' bytes, kept alive for the `Value::Len` borrows.
        let payloads: Vec<[u8; 8]> = fields.iter().map(|f| f.2.to_le_bytes()).collect();
        let mut expected = Vec::new();
        for (&(number, kind, raw), payload) in fields.iter().zip(&payloads) {
            let tag = Tag::new(number).expect("a valid tag");
            let value = match kind {
                0 => { writer.varint(tag, raw); Value::Varint(raw) }
                1 => { writer.fixed64(tag, raw); Value::I64(raw) }
                2 => { writer.fixed32(tag, raw as u32); Value::I32(raw as u32) }
                _ => { writer.bytes(tag, payload); Value::Len(&payload[..]) }
            };
            expected.push((number, value));
        }
        let bytes = writer.into_bytes();
        let read: Vec<_> = Reader::new(&bytes)
            .map(|field| field.map(|f| (f.tag.get(), f.value)))
            .collect::<Result<_, _>>()
            .expect("the writer's output is valid");
        prop_assert_eq!(read.len(), expected.len(), "as many fields as written");
        let pairs = read.iter().zip(&expected).enumerate();
        for (index, ((got_tag, got), (tag, want))) in pairs {
            prop_assert_eq!(got_tag, tag, "field {} has its tag", index);
            prop_assert_eq!(got, want, "field {} has its value", index);
        }
        prop_assert!(prost_accepts(&bytes), "prost reads the writer's output too");
    }

    #[test]
    fn orders_encode_to_prosts_bytes(order in order()) {
        let expected = pb::Order::from(&order).encode_to_vec();
        prop_assert_eq!(order.encode(), expected, "{:?}", order);
    }

    #[test]
    fn orders_prost_writes_decode_to_prosts_values(order in order()) {
        let bytes = pb::Order::from(&order).encode_to_vec();
        let theirs = pb::Order::decode(bytes.as_slice()).expect("prost reads its bytes");
        let ours = Order::decode(&bytes).expect("prost's bytes are valid");
        assert_same_order(&ours, &theirs, "decoding prost's bytes");
    }

    #[test]
    fn a_random_well_formed_message_gets_prosts_verdict(
        fields in proptest::collection::vec(raw_field(), 0..6),
    ) {
        let bytes = prost_message(&fields);
        prop_assert!(prost_accepts(&bytes), "prost skips every field of {:02X?}", bytes);
        prop_assert!(
            reader_accepts(&bytes),
            "on {:02X?}: every field is well formed, the reader should read them all",
            bytes
        );
        // Known fields with the wrong wire type, strings that are not UTF-8,
        // customers and packed runs made of random bytes, unknown fields and
        // groups: both decoders must accept or refuse, and agree on values.
        assert_same_verdict(&bytes);
    }

    #[test]
    fn a_truncated_order_gets_prosts_verdict(
        order in order(),
        cut in any::<Index>(),
    ) {
        // prost's bytes, not ours: the input must not depend on the code
        // under test (a wrong encoder would only feed the decoder its own
        // mistakes).
        let bytes = pb::Order::from(&order).encode_to_vec();
        let cut = cut.index(bytes.len() + 1);
        assert_same_verdict(&bytes[..cut]);
    }

    #[test]
    fn a_corrupted_order_gets_prosts_verdict(
        order in order(),
        flips in proptest::collection::vec((any::<Index>(), any::<u8>()), 1..4)
    ) {
        let mut bytes = pb::Order::from(&order).encode_to_vec();
        if !bytes.is_empty() {
            for (at, byte) in flips {
                let at = at.index(bytes.len());
                bytes[at] = byte;
            }
        }
        let same = reader_accepts(&bytes) == prost_accepts(&bytes);
        prop_assert!(same, "on {:02X?}: the reader and prost disagree", bytes);
        assert_same_verdict(&bytes);
    }
}

/// Not random, but about robustness too: every prefix of two valid
/// messages, one of them with a group, a big tag and unknown fields.
#[test]
fn every_truncation_of_a_valid_message_gets_prosts_verdict() {
    let v2 = pb::OrderV2 {
        id: -3,
        coupon: "c".to_string(),
        region: 1,
        legacy: Some(pb::Legacy {
            code: 2,
            label: "l".to_string(),
        }),
        created_at: u64::MAX,
        quantities: vec![-1, 1],
        customer: Some(pb::Customer {
            id: 1,
            email: "e".to_string(),
        }),
        ..pb::OrderV2::default()
    }
    .encode_to_vec();
    let v1 = pb::Order::from(&sample_order()).encode_to_vec();
    for bytes in [v1, v2] {
        for cut in 0..=bytes.len() {
            let prefix = &bytes[..cut];
            assert_eq!(
                reader_accepts(prefix),
                prost_accepts(prefix),
                "the first {cut} bytes of {bytes:02X?}: same verdict as prost"
            );
            assert_same_verdict(prefix);
        }
    }
}

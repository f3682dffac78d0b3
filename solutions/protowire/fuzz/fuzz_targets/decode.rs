//! Fuzz target: every decoder of the protowire solution on arbitrary bytes.
//!
//! libFuzzer calls the closure with millions of inputs, mutating the ones
//! that reach new code. A panic, an overflow or an out-of-bounds read is a
//! crash it reports with the input; so is a failed `assert!`, which is how
//! the invariants below are checked:
//!
//! - `decode_varint` and `decode_key` accept exactly what prost accepts,
//!   with the same value and length;
//! - a decoded varint re-encodes to its canonical form, which is never
//!   longer than what was read, and equal to it when that was canonical;
//! - the `Reader` accepts exactly the messages prost skips, and every field
//!   it yields lies inside the input;
//! - a decoded `Order` re-encodes to bytes that decode to the same order.
//!
//! It runs on nightly only (`--cfg fuzzing` and the sanitizer flags); see
//! the lesson page for the command.

#![no_main]

use prost::Message as _;
use protowire::{Order, Reader, Value, decode_key, decode_varint, encode_varint};

/// A message with no fields: prost skips every field as unknown.
#[derive(Clone, PartialEq, prost::Message)]
struct Empty {}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    varint(data);
    key(data);
    reader(data);
    order(data);
});

fn varint(data: &[u8]) {
    let mut buf = data;
    let theirs = prost::encoding::decode_varint(&mut buf)
        .ok()
        .map(|value| (value, data.len() - buf.len()));
    let ours = decode_varint(data).ok();
    assert_eq!(ours, theirs, "varint verdicts differ on {data:02X?}");
    if let Some((value, len)) = ours {
        let mut canonical = Vec::new();
        encode_varint(value, &mut canonical);
        assert!(canonical.len() <= len, "the canonical form is never longer");
        if canonical.len() == len {
            assert_eq!(canonical, data[..len], "canonical input re-encodes as is");
        }
    }
}

fn key(data: &[u8]) {
    let mut buf = data;
    let theirs = prost::encoding::decode_key(&mut buf)
        .ok()
        .map(|(tag, wire_type)| (tag, wire_type as u8, data.len() - buf.len()));
    let ours = decode_key(data)
        .ok()
        .map(|(key, len)| (key.tag.get(), key.wire_type as u8, len));
    assert_eq!(ours, theirs, "key verdicts differ on {data:02X?}");
}

fn reader(data: &[u8]) {
    let mut reader = Reader::new(data);
    let mut accepted = true;
    for field in reader.by_ref() {
        match field {
            Ok(field) => {
                if let Value::Len(bytes) | Value::Group(bytes) = field.value {
                    assert!(bytes.len() <= data.len(), "a value lies inside the input");
                }
            }
            Err(error) => {
                assert!(
                    error.offset() <= data.len(),
                    "an error points inside the input"
                );
                accepted = false;
            }
        }
    }
    if accepted {
        assert_eq!(
            reader.position(),
            data.len(),
            "an accepted message is read whole"
        );
    }
    assert_eq!(
        accepted,
        Empty::decode(data).is_ok(),
        "reader and prost verdicts differ on {data:02X?}"
    );
}

fn order(data: &[u8]) {
    // Not compared with prost's verdict: prost counts a nested message
    // against its recursion limit, so groups nested 99 deep inside the
    // customer pass here and fail there. Only the round trip is checked.
    if let Ok(order) = Order::decode(data) {
        let again = Order::decode(&order.encode()).expect("our own encoding decodes");
        // Bit for bit, so that NaN equals NaN; except -0.0, which proto3
        // does not write (it equals the default 0.0) and so comes back +0.0.
        let zero = order.price == 0.0 && again.price == 0.0;
        assert!(
            zero || order.price.to_bits() == again.price.to_bits(),
            "same price"
        );
        let (mut order, mut again) = (order, again);
        order.price = 0.0;
        again.price = 0.0;
        assert_eq!(order, again, "an order survives encode and decode");
    }
}

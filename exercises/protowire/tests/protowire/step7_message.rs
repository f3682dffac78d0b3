//! Step 7: `Order::encode` and `Order::decode` (src/message.rs).

use prost::Message as _;
use protowire::{Customer, DecodeError, Order, WireError, WireType};

use crate::{assert_same_order, pb, sample_order};

#[test]
fn an_order_encodes_to_prosts_bytes() {
    let order = sample_order();
    let expected = pb::Order::from(&order).encode_to_vec();
    assert_eq!(
        order.encode(),
        expected,
        "every field, in field-number order, exactly as prost writes them"
    );
}

#[test]
fn prost_decodes_the_bytes_we_write() {
    let order = sample_order();
    let decoded = pb::Order::decode(order.encode().as_slice())
        .expect("prost should accept our encoding");
    assert_same_order(&order, &decoded, "prost reading our bytes");
}

#[test]
fn we_decode_the_bytes_prost_writes() {
    let expected = pb::Order::from(&sample_order());
    let ours = Order::decode(&expected.encode_to_vec()).expect("prost's bytes are valid");
    assert_same_order(&ours, &expected, "our decoder reading prost's bytes");
}

#[test]
fn default_values_are_not_on_the_wire() {
    assert_eq!(
        Order::default().encode(),
        [] as [u8; 0],
        "an order of defaults encodes to zero bytes"
    );
    let negative_zero = Order {
        price: -0.0,
        ..Order::default()
    };
    assert_eq!(
        negative_zero.encode(),
        pb::Order::from(&negative_zero).encode_to_vec(),
        "-0.0 == 0.0, so prost leaves a price of -0.0 out too"
    );
    assert_eq!(
        Order::decode(&[]),
        Ok(Order::default()),
        "zero bytes decode to an order of defaults"
    );
}

#[test]
fn an_empty_customer_is_still_written() {
    let order = Order {
        customer: Some(Customer::default()),
        ..Order::default()
    };
    assert_eq!(
        order.encode(),
        [0x82, 0x01, 0x00],
        "field 16 (a two-byte key), length 0: present, unlike None"
    );
    assert_eq!(
        Order::decode(&[0x82, 0x01, 0x00]).map(|o| o.customer),
        Ok(Some(Customer::default())),
        "and it decodes back to Some"
    );
}

#[test]
fn a_negative_id_takes_ten_bytes() {
    let order = Order {
        id: -1,
        ..Order::default()
    };
    assert_eq!(
        order.encode().len(),
        11,
        "key 08, then -1 sign-extended: ten bytes for an int32"
    );
}

#[test]
fn an_old_reader_skips_the_new_fields() {
    let v2 = pb::OrderV2 {
        id: 7,
        note: "gift".to_string(),
        coupon: "SPRING".to_string(),
        region: 44,
        legacy: Some(pb::Legacy {
            code: 3,
            label: "old".to_string(),
        }),
        created_at: 1_700_000_000,
        quantities: vec![2, 3],
        customer: Some(pb::Customer {
            id: 9,
            email: "v2@example.com".to_string(),
        }),
        ..pb::OrderV2::default()
    };
    let bytes = v2.encode_to_vec();
    let v1 = Order::decode(&bytes).expect("unknown fields are skipped, not refused");
    let expected = pb::Order::decode(bytes.as_slice()).expect("prost skips them too");
    assert_same_order(&v1, &expected, "a v1 reader of a v2 message");
    assert_eq!(v1.id, 7, "the known fields are all there");
    assert_eq!(v1.quantities, [2, 3], "including the repeated one");
}

#[test]
fn unpacked_repeated_elements_are_accepted_too() {
    // field 7 as two VARINT fields (38 = 7 << 3 | 0), then one packed run.
    let input = [0x38, 0x01, 0x38, 0x02, 0x3A, 0x01, 0x03];
    let expected = pb::Order::decode(&input[..]).expect("prost accepts both forms");
    assert_eq!(expected.quantities, [1, 2, 3], "prost's reading");
    assert_eq!(
        Order::decode(&input).map(|o| o.quantities),
        Ok(vec![1, 2, 3]),
        "packed and unpacked elements add up, in wire order"
    );
}

#[test]
fn the_last_value_of_a_scalar_wins_and_messages_merge() {
    // id = 1, id = 2; customer { id = 5 }, customer { email = "e" }.
    let input = [
        0x08, 0x01, 0x08, 0x02, 0x82, 0x01, 0x02, 0x08, 0x05, 0x82, 0x01, 0x03, 0x12,
        0x01, b'e',
    ];
    let expected = pb::Order::decode(&input[..]).expect("a valid message");
    let ours = Order::decode(&input).expect("a valid message");
    assert_same_order(&ours, &expected, "repeated scalars and messages");
    assert_eq!(ours.id, 2, "the second id replaces the first");
    assert_eq!(
        ours.customer,
        Some(Customer {
            id: 5,
            email: "e".to_string()
        }),
        "the second customer merges into the first"
    );
}

#[test]
fn a_known_field_with_the_wrong_wire_type_is_refused() {
    // field 3 (note, a string) sent as a VARINT: 18 = 3 << 3 | 0.
    assert!(
        pb::Order::decode(&[0x18, 0x01][..]).is_err(),
        "prost refuses it"
    );
    assert_eq!(
        Order::decode(&[0x18, 0x01]),
        Err(DecodeError::new(
            0,
            WireError::UnexpectedWireType {
                tag: 3,
                expected: WireType::Len,
                actual: WireType::Varint
            }
        )),
        "the field at byte 0 should be LEN, not VARINT"
    );
}

#[test]
fn a_note_that_is_not_utf8_is_refused() {
    assert!(
        pb::Order::decode(&[0x1A, 0x01, 0xFF][..]).is_err(),
        "prost refuses it"
    );
    assert_eq!(
        Order::decode(&[0x1A, 0x01, 0xFF]),
        Err(DecodeError::new(0, WireError::InvalidUtf8 { tag: 3 })),
        "FF is not UTF-8"
    );
}

#[test]
fn an_error_inside_the_customer_names_its_offset_in_the_order() {
    // id = 1, then customer { field 1 VARINT, cut short }.
    let input = [0x08, 0x01, 0x82, 0x01, 0x02, 0x08, 0x80];
    assert_eq!(
        Order::decode(&input),
        Err(DecodeError::new(6, WireError::VarintTruncated)),
        "the customer starts at byte 5; its id's varint at byte 6 never ends"
    );
}

#[test]
fn a_customer_encodes_and_decodes_alone() {
    let customer = Customer {
        id: 1,
        email: "x@y".to_string(),
    };
    let expected = pb::Customer {
        id: 1,
        email: "x@y".to_string(),
    }
    .encode_to_vec();
    assert_eq!(customer.encode(), expected, "a customer is prost's bytes");
    assert_eq!(Customer::decode(&expected), Ok(customer), "and reads back");
}

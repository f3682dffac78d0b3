//! Tests for the `protowire` exercise, one module per step of the lesson.
//!
//! Run them with `cargo test -p protowire`; they fail until you implement the
//! step they test. The modules are numbered in the lesson's order (varint,
//! zigzag, key, fixed, reader, writer, message), so failures are listed step
//! by step. To run one step only: `cargo test -p protowire step1`.
//!
//! The property tests, which compare your code with prost on random values
//! and random bytes, are all in `properties.rs`:
//! `cargo test -p protowire properties::`. They are the last word: a step is
//! done when its examples *and* its properties pass.
//!
//! They are one test binary (`tests/protowire/main.rs` declares the modules)
//! rather than one file per step, so that the project links once, not eight
//! times, after every edit.

mod properties;
mod step1_varint;
mod step2_zigzag;
mod step3_key;
mod step4_fixed;
mod step5_reader;
mod step6_writer;
mod step7_message;

use proptest::test_runner::Config;
use protowire::{Customer, Order};

/// Property tests run `PROPTEST_CASES` random cases each (256 by default)
/// and write no regression files into your exercise folder.
fn properties() -> Config {
    Config {
        failure_persistence: None,
        ..Config::default()
    }
}

/// The encoding of `value` by prost, the oracle.
fn prost_varint(value: u64) -> Vec<u8> {
    let mut out = Vec::new();
    prost::encoding::encode_varint(value, &mut out);
    out
}

/// What prost's `decode_varint` makes of `input`: the value and the bytes
/// it consumed, or `None` if it refuses.
fn prost_decode_varint(input: &[u8]) -> Option<(u64, usize)> {
    let mut buf = input;
    let value = prost::encoding::decode_varint(&mut buf).ok()?;
    Some((value, input.len() - buf.len()))
}

/// The schema of `protowire::Order` as prost structs: the same field numbers
/// and types, so both sides must agree byte for byte.
mod pb {
    /// `message Customer { uint64 id = 1; string email = 2; }`
    #[derive(Clone, PartialEq, prost::Message)]
    pub(crate) struct Customer {
        #[prost(uint64, tag = "1")]
        pub(crate) id: u64,
        #[prost(string, tag = "2")]
        pub(crate) email: String,
    }

    /// Version 1 of `Order`, the one `protowire::Order` implements.
    #[derive(Clone, PartialEq, prost::Message)]
    pub(crate) struct Order {
        #[prost(int32, tag = "1")]
        pub(crate) id: i32,
        #[prost(sint64, tag = "2")]
        pub(crate) balance_delta: i64,
        #[prost(string, tag = "3")]
        pub(crate) note: String,
        #[prost(bytes = "vec", tag = "4")]
        pub(crate) payload: Vec<u8>,
        #[prost(double, tag = "5")]
        pub(crate) price: f64,
        #[prost(fixed64, tag = "6")]
        pub(crate) checksum: u64,
        #[prost(int32, repeated, tag = "7")]
        pub(crate) quantities: Vec<i32>,
        #[prost(message, optional, tag = "16")]
        pub(crate) customer: Option<Customer>,
    }

    /// Version 2 of `Order`: the same fields, plus three a version 1
    /// reader has never heard of, one of each other wire type.
    #[derive(Clone, PartialEq, prost::Message)]
    pub(crate) struct OrderV2 {
        #[prost(int32, tag = "1")]
        pub(crate) id: i32,
        #[prost(sint64, tag = "2")]
        pub(crate) balance_delta: i64,
        #[prost(string, tag = "3")]
        pub(crate) note: String,
        #[prost(bytes = "vec", tag = "4")]
        pub(crate) payload: Vec<u8>,
        #[prost(double, tag = "5")]
        pub(crate) price: f64,
        #[prost(fixed64, tag = "6")]
        pub(crate) checksum: u64,
        #[prost(int32, repeated, tag = "7")]
        pub(crate) quantities: Vec<i32>,
        #[prost(string, tag = "8")]
        pub(crate) coupon: String,
        #[prost(fixed32, tag = "9")]
        pub(crate) region: u32,
        #[prost(group, optional, tag = "10")]
        pub(crate) legacy: Option<Legacy>,
        #[prost(message, optional, tag = "16")]
        pub(crate) customer: Option<Customer>,
        #[prost(uint64, tag = "1000")]
        pub(crate) created_at: u64,
    }

    /// A proto2 group, still found in old schemas.
    #[derive(Clone, PartialEq, prost::Message)]
    pub(crate) struct Legacy {
        #[prost(uint32, tag = "11")]
        pub(crate) code: u32,
        #[prost(string, tag = "12")]
        pub(crate) label: String,
    }

    /// A message with no fields: prost skips every field of the input as
    /// unknown, so `Empty::decode` accepts exactly the well-formed messages.
    #[derive(Clone, PartialEq, prost::Message)]
    pub(crate) struct Empty {}
}

impl From<&Order> for pb::Order {
    fn from(order: &Order) -> Self {
        pb::Order {
            id: order.id,
            balance_delta: order.balance_delta,
            note: order.note.clone(),
            payload: order.payload.clone(),
            price: order.price,
            checksum: order.checksum,
            quantities: order.quantities.clone(),
            customer: order.customer.as_ref().map(|c| pb::Customer {
                id: c.id,
                email: c.email.clone(),
            }),
        }
    }
}

/// Asserts that our `Order` and prost's hold the same values. The price is
/// compared by its bits, so that NaN equals NaN and -0.0 differs from 0.0.
fn assert_same_order(ours: &Order, prost: &pb::Order, context: &str) {
    let expected = Order {
        id: prost.id,
        balance_delta: prost.balance_delta,
        note: prost.note.clone(),
        payload: prost.payload.clone(),
        price: prost.price,
        checksum: prost.checksum,
        quantities: prost.quantities.clone(),
        customer: prost.customer.as_ref().map(|c| Customer {
            id: c.id,
            email: c.email.clone(),
        }),
    };
    assert_eq!(
        ours.price.to_bits(),
        expected.price.to_bits(),
        "{context}: the price should have the same bits"
    );
    let (mut ours, mut expected) = (ours.clone(), expected);
    ours.price = 0.0;
    expected.price = 0.0;
    assert_eq!(
        ours, expected,
        "{context}: every field should match prost's"
    );
}

/// An order with every field set, negative numbers included.
fn sample_order() -> Order {
    Order {
        id: -5,
        balance_delta: -300,
        note: "rush".to_string(),
        payload: vec![0xDE, 0xAD],
        price: 12.5,
        checksum: 0x0102_0304_0506_0708,
        quantities: vec![1, 300, -1],
        customer: Some(Customer {
            id: 42,
            email: "a@b.c".to_string(),
        }),
    }
}

//! # Day 113 example: a protobuf message, byte by byte
//!
//! `cargo run -p wire` encodes messages with prost and reads them back with
//! the `protowire` crate (the reference solution), printing an annotated hex
//! dump in the spirit of `protoc --decode_raw`: for every field its offset,
//! its key bytes, field number and wire type, its value bytes, and what the
//! schema says they mean.
//!
//! 1. an `Order` with every kind of field, a nested `Customer` included;
//! 2. the same order written by a *newer* program, with three fields this
//!    reader has never heard of: the dump shows them skipped, and the
//!    decoded order is the same;
//! 3. the price of a negative number: int32 against sint32, in bytes.
//!
//! # Layout
//!
//! `main` runs the three scenarios, one function each. `dump` walks a
//! message with `protowire::Reader` and recurses into the nested customer;
//! `meaning` is the schema, the one thing the bytes do not carry. The
//! messages are fixed values, so every run prints the same thing.

use std::error::Error;

use prost::Message as _;
use protowire::{Order, Reader, Value, decode_key, encode_int32, encode_zigzag32};

/// The order of Day 113's schema, as prost's generated code would be.
#[derive(Clone, PartialEq, prost::Message)]
struct OrderV1 {
    #[prost(int32, tag = "1")]
    id: i32,
    #[prost(sint64, tag = "2")]
    balance_delta: i64,
    #[prost(string, tag = "3")]
    note: String,
    #[prost(bytes = "vec", tag = "4")]
    payload: Vec<u8>,
    #[prost(double, tag = "5")]
    price: f64,
    #[prost(fixed64, tag = "6")]
    checksum: u64,
    #[prost(int32, repeated, tag = "7")]
    quantities: Vec<i32>,
    #[prost(message, optional, tag = "16")]
    customer: Option<CustomerV1>,
}

#[derive(Clone, PartialEq, prost::Message)]
struct CustomerV1 {
    #[prost(uint64, tag = "1")]
    id: u64,
    #[prost(string, tag = "2")]
    email: String,
}

/// Version 2 of the order: three new fields, numbers never used before.
#[derive(Clone, PartialEq, prost::Message)]
struct OrderV2 {
    #[prost(int32, tag = "1")]
    id: i32,
    #[prost(string, tag = "3")]
    note: String,
    #[prost(string, tag = "8")]
    coupon: String,
    #[prost(fixed32, tag = "9")]
    region: u32,
    #[prost(int32, repeated, tag = "7")]
    quantities: Vec<i32>,
    #[prost(uint64, tag = "1000")]
    created_at: u64,
}

fn main() -> Result<(), Box<dyn Error>> {
    an_order()?;
    a_newer_writer()?;
    negative_numbers();
    Ok(())
}

fn an_order() -> Result<(), Box<dyn Error>> {
    let order = OrderV1 {
        id: -5,
        balance_delta: -300,
        note: "rush".to_string(),
        payload: vec![0xDE, 0xAD],
        price: 12.5,
        checksum: 0x0102_0304_0506_0708,
        quantities: vec![1, 300, -1],
        customer: Some(CustomerV1 {
            id: 42,
            email: "a@b.c".to_string(),
        }),
    };
    let bytes = order.encode_to_vec();
    println!(
        "== 1. an order, as prost encodes it ({} bytes)",
        bytes.len()
    );
    println!("{}", hex(&bytes, usize::MAX));
    println!();
    header();
    dump(&bytes, 0, "order", 0)?;
    let decoded = Order::decode(&bytes)?;
    println!();
    println!("decoded by hand: {decoded:?}");
    Ok(())
}

fn a_newer_writer() -> Result<(), Box<dyn Error>> {
    let v2 = OrderV2 {
        id: 7,
        note: "gift".to_string(),
        coupon: "SPRING".to_string(),
        region: 44,
        quantities: vec![2],
        created_at: 1_700_000_000,
    };
    let bytes = v2.encode_to_vec();
    println!();
    println!("== 2. a newer writer: fields 8, 9 and 1000 are unknown to this reader");
    header();
    dump(&bytes, 0, "order", 0)?;
    let decoded = Order::decode(&bytes)?;
    println!();
    println!("decoded by hand: {decoded:?}");
    Ok(())
}

fn negative_numbers() {
    println!();
    println!("== 3. the same numbers as int32 and as sint32");
    println!(
        "{:>11}  {:<37}  sint32 (zigzag)",
        "value", "int32 (sign-extended)"
    );
    for value in [0, 1, -1, 63, -64, 300, -300, i32::MIN] {
        let mut int32 = Vec::new();
        protowire::encode_varint(encode_int32(value), &mut int32);
        let mut sint32 = Vec::new();
        protowire::encode_varint(u64::from(encode_zigzag32(value)), &mut sint32);
        let int32 = format!("{} ({} B)", hex(&int32, 10), int32.len());
        let sint32 = format!("{} ({} B)", hex(&sint32, 10), sint32.len());
        println!("{value:>11}  {int32:<37}  {sint32}");
    }
}

fn header() {
    println!("offset  key    field  type    value bytes                  meaning");
}

/// Prints one line per field of `message`, which starts at byte `base` of
/// the outermost message, and recurses into a nested customer.
fn dump(
    message: &[u8],
    base: usize,
    schema: &str,
    depth: usize,
) -> Result<(), Box<dyn Error>> {
    let mut reader = Reader::new(message);
    loop {
        let start = reader.position();
        let Some(field) = reader.read_field()? else {
            return Ok(());
        };
        let end = reader.position();
        // The key again, for its length: the reader gives the field, not
        // the bytes it came from.
        let (_, key_len) = decode_key(&message[start..])?;
        let key = &message[start..start + key_len];
        let value = &message[start + key_len..end];
        println!(
            "{:>6}  {:<5}  {:<5}  {:<6}  {:<27}  {}{}",
            base + start,
            hex(key, 2),
            field.tag,
            field.value.wire_type().to_string(),
            hex(value, 8),
            "  ".repeat(depth),
            meaning(schema, field.tag.get(), field.value),
        );
        if let ("order", 16, Value::Len(bytes)) = (schema, field.tag.get(), field.value) {
            dump(bytes, base + end - bytes.len(), "customer", depth + 1)?;
        }
    }
}

/// What the schema says a field means: the part the bytes leave out.
fn meaning(schema: &str, tag: u32, value: Value<'_>) -> String {
    use Value::{I32, I64, Len, Varint};
    match (schema, tag, value) {
        ("order", 1, Varint(v)) => format!("id: int32 {}", protowire::decode_int32(v)),
        ("order", 2, Varint(v)) => {
            format!("balance_delta: sint64 {}", protowire::decode_zigzag64(v))
        }
        ("order", 3, Len(b)) => format!("note: string {:?}", String::from_utf8_lossy(b)),
        ("order", 4, Len(b)) => format!("payload: bytes {}", hex(b, 8)),
        ("order", 5, I64(bits)) => format!("price: double {}", f64::from_bits(bits)),
        ("order", 6, I64(v)) => format!("checksum: fixed64 {v:#018x}"),
        ("order", 7, Len(b)) => format!("quantities: packed int32, length {}", b.len()),
        ("order", 16, Len(b)) => format!("customer: message, length {}:", b.len()),
        ("customer", 1, Varint(v)) => format!("id: uint64 {v}"),
        ("customer", 2, Len(b)) => {
            format!("email: string {:?}", String::from_utf8_lossy(b))
        }
        (_, _, Varint(v)) => format!("unknown field, varint {v}: skipped"),
        (_, _, I32(v)) => format!("unknown field, fixed32 {v}: skipped"),
        (_, _, I64(v)) => format!("unknown field, fixed64 {v}: skipped"),
        (_, _, Len(b)) => format!("unknown field, length {}: skipped", b.len()),
        (_, _, Value::Group(b)) => format!("unknown group, length {}: skipped", b.len()),
    }
}

/// Up to `max` bytes in hex, then an ellipsis.
fn hex(bytes: &[u8], max: usize) -> String {
    let shown: Vec<String> = bytes.iter().take(max).map(|b| format!("{b:02X}")).collect();
    let more = if bytes.len() > max { " …" } else { "" };
    format!("{}{more}", shown.join(" "))
}

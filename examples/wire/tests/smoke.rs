//! Runs the example and checks what it prints: the example is documentation,
//! and documentation that drifts from the code is worse than none.

fn run_example() -> String {
    example_smoke::run(env!("CARGO_BIN_EXE_wire"))
}

#[test]
fn the_example_annotates_every_field_and_skips_the_unknown_ones() {
    let out = run_example();
    for expected in [
        "== 1. an order, as prost encodes it (69 bytes)",
        "     0  08     1      VARINT  FB FF FF FF FF FF FF FF …    id:",
        "    11  10     2      VARINT  D7 04                        balance_delta: sint64",
        "    57  82 01  16     LEN     09 08 2A 12 05 61 40 62 …    customer: message",
        "    60  08     1      VARINT  2A                             id: uint64 42",
        "    19  4D     9      I32     2C 00 00 00                  unknown field,",
        "    24  C0 3E  1000   VARINT  80 E2 CF AA 06               unknown field",
        "unknown field, varint 1700000000: skipped",
        "decoded by hand: Order { id: 7, balance_delta: 0, note: \"gift\"",
        "         -1  FF FF FF FF FF FF FF FF FF 01 (10 B)   01 (1 B)",
    ] {
        assert!(
            out.contains(expected),
            "expected the example to print {expected:?}, got:\n{out}"
        );
    }
}

#[test]
fn the_example_prints_the_same_thing_every_time() {
    assert_eq!(
        run_example(),
        run_example(),
        "fixed messages make every run identical"
    );
}

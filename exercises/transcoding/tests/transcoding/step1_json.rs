//! Step 1: the proto3 JSON mapping (src/json.rs).
//!
//! The expected values come from the spec's table
//! (https://protobuf.dev/programming-guides/json/): int64 as `"1"` or `1`,
//! bytes as `"YWJjMTIzIT8kKiYoKSctPUB+"`, enums as `"FOO_BAR"`, messages
//! with lowerCamelCase keys, default values left out.

use serde_json::json;
use tonic::Code;
use transcoding::{
    AuthorJson, Base64, Int64, ListNotesJson, NoteJson, PriorityJson, decode, pb,
};

use crate::groceries;

fn to_json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("serialising to a String cannot fail")
}

fn from_json<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, serde_json::Error> {
    serde_json::from_str(text)
}

#[test]
fn an_int64_is_written_as_a_string() {
    assert_eq!(
        to_json(&Int64(-10)),
        r#""-10""#,
        "int64 -10 should be the string \"-10\""
    );
    assert_eq!(
        to_json(&Int64(9_007_199_254_740_993)),
        r#""9007199254740993""#,
        "2^53 + 1 should be written digit for digit, as a string"
    );
}

#[test]
fn an_int64_is_read_from_a_string_or_a_number() {
    assert_eq!(
        from_json::<Int64>(r#""-10""#).ok(),
        Some(Int64(-10)),
        "\"-10\" should read as -10"
    );
    assert_eq!(
        from_json::<Int64>("-10").ok(),
        Some(Int64(-10)),
        "the number -10 should read too"
    );
    assert_eq!(
        from_json::<Int64>("9007199254740993").ok(),
        Some(Int64(9_007_199_254_740_993)),
        "a JSON number above 2^53 should read exactly"
    );
    assert_eq!(
        from_json::<Int64>(r#""9223372036854775807""#).ok(),
        Some(Int64(i64::MAX)),
        "i64::MAX as a string should read"
    );
}

#[test]
fn an_int64_that_is_not_an_integer_is_refused() {
    for bad in [
        r#""12abc""#,
        r#""""#,
        "1.5",
        "true",
        "18446744073709551615",
        "[1]",
    ] {
        assert!(
            from_json::<Int64>(bad).is_err(),
            "{bad} should not read as an int64"
        );
    }
}

#[test]
fn bytes_are_written_as_standard_base64_with_padding() {
    assert_eq!(
        to_json(&Base64(b"abc123!?$*&()'-=@~".to_vec())),
        r#""YWJjMTIzIT8kKiYoKSctPUB+""#,
        "the spec's example bytes should encode to its example string"
    );
    assert_eq!(
        to_json(&Base64(b"hi".to_vec())),
        r#""aGk=""#,
        "padding should be written"
    );
}

#[test]
fn bytes_are_read_from_standard_or_url_safe_base64_padded_or_not() {
    let expected = Some(Base64(b"abc123!?$*&()'-=@~".to_vec()));
    assert_eq!(
        from_json::<Base64>(r#""YWJjMTIzIT8kKiYoKSctPUB+""#).ok(),
        expected,
        "standard base64 should read"
    );
    assert_eq!(
        from_json::<Base64>(r#""YWJjMTIzIT8kKiYoKSctPUB-""#).ok(),
        expected,
        "URL-safe base64 (- instead of +) should read"
    );
    assert_eq!(
        from_json::<Base64>(r#""aGk=""#).ok(),
        Some(Base64(b"hi".to_vec())),
        "padded"
    );
    assert_eq!(
        from_json::<Base64>(r#""aGk""#).ok(),
        Some(Base64(b"hi".to_vec())),
        "unpadded"
    );
    assert!(
        from_json::<Base64>(r#""not base64!""#).is_err(),
        "junk should be refused"
    );
    assert!(
        from_json::<Base64>("[104, 105]").is_err(),
        "an array of numbers is not bytes"
    );
}

#[test]
fn an_enum_is_written_by_name_or_as_a_number_without_one() {
    assert_eq!(
        to_json(&PriorityJson(pb::Priority::High as i32)),
        r#""PRIORITY_HIGH""#,
        "a known value should be written as its name"
    );
    assert_eq!(
        to_json(&PriorityJson(7)),
        "7",
        "a value with no name should stay a number"
    );
}

#[test]
fn an_enum_is_read_by_name_or_by_number() {
    assert_eq!(
        from_json::<PriorityJson>(r#""PRIORITY_LOW""#).ok(),
        Some(PriorityJson(1)),
        "the name should read"
    );
    assert_eq!(
        from_json::<PriorityJson>("2").ok(),
        Some(PriorityJson(2)),
        "the number should read"
    );
    assert!(
        from_json::<PriorityJson>(r#""PRIORITY_URGENT""#).is_err(),
        "a name the proto does not define should be refused"
    );
    assert!(
        from_json::<PriorityJson>(r#""priority_low""#).is_err(),
        "names are case-sensitive"
    );
}

#[test]
fn a_note_has_lower_camel_case_keys_and_typed_scalars() {
    let mut note = groceries();
    note.id = 9_007_199_254_740_993;
    let written = serde_json::to_value(NoteJson::from(note)).expect("a note serialises");
    assert_eq!(
        written,
        json!({
            "id": "9007199254740993",
            "title": "Groceries",
            "body": "milk, eggs",
            "priority": "PRIORITY_LOW",
            "tags": ["home"],
            "author": {"displayName": "Ada Lovelace", "email": "ada@example.com"},
            "attachment": "aGk=",
            "createdAtMs": "1700000000000"
        }),
        "every field should follow the proto3 JSON mapping"
    );
}

#[test]
fn default_values_are_left_out() {
    assert_eq!(
        to_json(&NoteJson::from(pb::Note::default())),
        "{}",
        "a note with every field at its default should be an empty object"
    );
    let only_title = pb::Note {
        title: "Ideas".into(),
        author: Some(pb::Author::default()),
        ..Default::default()
    };
    assert_eq!(
        serde_json::to_value(NoteJson::from(only_title)).expect("a note serialises"),
        json!({"title": "Ideas", "author": {}}),
        "zero, \"\", [] and the unspecified enum should be left out; a nested message \
         that is set stays, even empty"
    );
    let last_page = pb::ListNotesResponse::default();
    assert_eq!(
        to_json(&ListNotesJson::from(last_page)),
        "{}",
        "an empty page should be an empty object"
    );
}

#[test]
fn a_note_survives_a_round_trip_through_json() {
    let mut note = groceries();
    note.id = 42;
    let text = to_json(&NoteJson::from(note.clone()));
    let back: NoteJson = decode(text.as_bytes()).expect("our own output should parse");
    assert_eq!(
        pb::Note::from(back),
        note,
        "JSON and back should give the same note"
    );
}

#[test]
fn proto_field_names_are_accepted_as_well() {
    let read: NoteJson =
        decode(br#"{"created_at_ms": "5", "author": {"display_name": "Ada"}}"#)
            .expect("the proto field names should be accepted");
    let note = pb::Note::from(read);
    assert_eq!(note.created_at_ms, 5, "created_at_ms should be read");
    assert_eq!(
        note.author.map(|a| a.display_name),
        Some("Ada".to_owned()),
        "author.display_name should be read"
    );
}

#[test]
fn null_reads_as_the_default_value() {
    let read: NoteJson =
        decode(br#"{"title": null, "tags": null, "priority": null, "id": null}"#)
            .expect("null is allowed for any field");
    assert_eq!(
        pb::Note::from(read),
        pb::Note::default(),
        "null should mean the default"
    );
}

#[test]
fn an_unknown_field_is_refused_with_invalid_argument() {
    let status = decode::<NoteJson>(br#"{"titel": "Groceries"}"#)
        .expect_err("a misspelt field should be refused, not dropped");
    assert_eq!(
        status.code(),
        Code::InvalidArgument,
        "a bad body is InvalidArgument"
    );
    assert!(
        status.message().contains("titel"),
        "the message should name the unknown field, got {:?}",
        status.message()
    );
    let nested = decode::<NoteJson>(br#"{"author": {"name": "Ada"}}"#);
    assert!(
        nested.is_err(),
        "unknown fields of a nested message should be refused too"
    );
}

#[test]
fn malformed_json_is_invalid_argument_and_an_empty_body_is_an_empty_message() {
    let status =
        decode::<NoteJson>(b"{\"title\": ").expect_err("truncated JSON should fail");
    assert_eq!(
        status.code(),
        Code::InvalidArgument,
        "a bad body is InvalidArgument"
    );
    let status =
        decode::<NoteJson>(br#"{"id": "seven"}"#).expect_err("a bad int64 should fail");
    assert_eq!(
        status.code(),
        Code::InvalidArgument,
        "a bad value is InvalidArgument"
    );
    assert_eq!(
        decode::<NoteJson>(b"").ok(),
        Some(NoteJson::default()),
        "an empty body should read as an empty message, as grpc-gateway reads it"
    );
}

#[test]
fn an_author_converts_both_ways() {
    let author = pb::Author {
        display_name: "Grace Hopper".into(),
        email: String::new(),
    };
    let json = AuthorJson::from(author.clone());
    assert_eq!(
        json,
        AuthorJson {
            display_name: Some("Grace Hopper".into()),
            email: None
        },
        "an empty email should be None, so it is left out"
    );
    assert_eq!(
        pb::Author::from(json),
        author,
        "and back, None should be \"\""
    );
}

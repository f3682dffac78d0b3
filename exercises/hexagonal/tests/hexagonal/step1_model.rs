//! Step 1: newtypes that parse.

use hexagonal::domain::model::{MAX_KEY_LEN, MAX_KIND_LEN, MAX_PAYLOAD_LEN};
use hexagonal::domain::{
    IdempotencyKey, InvalidJob, Job, JobId, JobKind, NewJob, Payload,
};

#[test]
fn a_kind_is_a_lowercase_letter_then_letters_digits_dots_dashes_and_underscores() {
    for text in ["email.send", "a", "report_v2-daily", "x9"] {
        let kind = JobKind::parse(text)
            .unwrap_or_else(|e| panic!("{text:?} should be a valid kind, got {e}"));
        assert_eq!(kind.as_str(), text, "a kind keeps its text unchanged");
    }
}

#[test]
fn an_empty_kind_is_refused() {
    assert_eq!(
        JobKind::parse(""),
        Err(InvalidJob::EmptyKind),
        "an empty kind should be EmptyKind"
    );
}

#[test]
fn a_kind_may_be_64_bytes_but_not_65() {
    assert!(
        JobKind::parse(&"a".repeat(MAX_KIND_LEN)).is_ok(),
        "a kind of exactly {MAX_KIND_LEN} bytes should be accepted"
    );
    assert_eq!(
        JobKind::parse(&"a".repeat(MAX_KIND_LEN + 1)),
        Err(InvalidJob::KindTooLong {
            len: MAX_KIND_LEN + 1,
            max: MAX_KIND_LEN
        }),
        "one byte more should be KindTooLong"
    );
}

#[test]
fn a_kind_must_start_with_a_lowercase_letter() {
    for (text, ch) in [("1email", '1'), ("Email", 'E'), (".send", '.'), ("-x", '-')] {
        assert_eq!(
            JobKind::parse(text),
            Err(InvalidJob::BadKindChar { ch, at: 0 }),
            "{text:?} should be refused for its first character"
        );
    }
}

#[test]
fn a_bad_character_is_reported_as_itself_with_its_byte_offset() {
    assert_eq!(
        JobKind::parse("email send"),
        Err(InvalidJob::BadKindChar { ch: ' ', at: 5 }),
        "the space is at byte 5"
    );
    assert_eq!(
        JobKind::parse("résumé"),
        Err(InvalidJob::BadKindChar { ch: 'é', at: 1 }),
        "'é' is reported as one character at byte 1, not as a stray byte"
    );
    assert_eq!(
        JobKind::parse("emailSend"),
        Err(InvalidJob::BadKindChar { ch: 'S', at: 5 }),
        "uppercase is refused after the first character too"
    );
}

#[test]
fn a_payload_is_one_byte_to_64_kib() {
    assert_eq!(
        Payload::parse(""),
        Err(InvalidJob::EmptyPayload),
        "an empty payload should be EmptyPayload"
    );
    let largest = "x".repeat(MAX_PAYLOAD_LEN);
    assert_eq!(
        Payload::parse(&largest).map(|p| p.as_str().len()),
        Ok(MAX_PAYLOAD_LEN),
        "a payload of exactly 64 KiB should be accepted"
    );
    assert_eq!(
        Payload::parse(&format!("{largest}x")),
        Err(InvalidJob::PayloadTooLarge {
            len: MAX_PAYLOAD_LEN + 1,
            max: MAX_PAYLOAD_LEN
        }),
        "one byte more should be PayloadTooLarge"
    );
}

#[test]
fn an_idempotency_key_is_printable_ascii_up_to_128_bytes() {
    assert_eq!(
        IdempotencyKey::parse("order-42:retry#1").map(|k| k.as_str().to_owned()),
        Ok("order-42:retry#1".to_owned()),
        "punctuation is printable ASCII and allowed"
    );
    assert_eq!(
        IdempotencyKey::parse("order 42"),
        Err(InvalidJob::BadKeyChar { ch: ' ', at: 5 }),
        "a space is not allowed in a key"
    );
    assert_eq!(
        IdempotencyKey::parse("order\n"),
        Err(InvalidJob::BadKeyChar { ch: '\n', at: 5 }),
        "a control character is not allowed in a key"
    );
    assert_eq!(
        IdempotencyKey::parse(&"k".repeat(MAX_KEY_LEN + 1)),
        Err(InvalidJob::KeyTooLong {
            len: MAX_KEY_LEN + 1,
            max: MAX_KEY_LEN
        }),
        "a key of 129 bytes should be KeyTooLong"
    );
    assert_eq!(
        IdempotencyKey::parse(""),
        Err(InvalidJob::EmptyKey),
        "an empty key, parsed on its own, should be EmptyKey"
    );
}

#[test]
fn an_empty_key_in_a_request_means_no_key() {
    let job =
        NewJob::parse("email.send", "hello", "").expect("a job without a key is valid");
    assert_eq!(
        job.idempotency_key(),
        None,
        "an empty key field means no key"
    );
    assert_eq!(job.kind().as_str(), "email.send", "the kind is kept");
    assert_eq!(job.payload().as_str(), "hello", "the payload is kept");
    let keyed =
        NewJob::parse("email.send", "hello", "order-1").expect("a keyed job is valid");
    assert_eq!(
        keyed.idempotency_key().map(IdempotencyKey::as_str),
        Some("order-1"),
        "a non-empty key field is the key"
    );
}

#[test]
fn the_first_broken_rule_is_the_error_and_it_names_its_field() {
    let cases = [
        (("", "", "a b"), InvalidJob::EmptyKind, "kind"),
        (
            ("email.send", "", "a b"),
            InvalidJob::EmptyPayload,
            "payload",
        ),
        (
            ("email.send", "x", "a b"),
            InvalidJob::BadKeyChar { ch: ' ', at: 1 },
            "idempotency_key",
        ),
    ];
    for ((kind, payload, key), expected, field) in cases {
        let error = NewJob::parse(kind, payload, key)
            .expect_err("every case breaks at least one rule");
        assert_eq!(
            error, expected,
            "fields are checked kind, payload, key, in order"
        );
        assert_eq!(
            error.field(),
            field,
            "{error} should name the field {field}"
        );
        assert!(
            error.to_string().starts_with(field),
            "the message should start with the field name, got {error:?}"
        );
    }
}

#[test]
fn job_ids_are_ascii_letters_digits_and_dashes() {
    let id = JobId::parse("job-1f").expect("job-1f is a valid id");
    assert_eq!(id.to_string(), "job-1f", "an id displays as its text");
    for bad in ["", "job 1", "job_1", "job:1", &"j".repeat(65)] {
        assert_eq!(
            JobId::parse(bad),
            Err(InvalidJob::BadJobId(bad.to_owned())),
            "{bad:?} should not be a job id"
        );
    }
}

#[test]
fn a_job_carries_its_id_its_time_and_the_parsed_fields() {
    let id = JobId::parse("job-7").expect("a valid id");
    let new = NewJob::parse("email.send", "{\"to\":\"ada\"}", "order-7").expect("valid");
    let job = Job::new(id.clone(), new, 1_700_000_000_123);
    assert_eq!(job.id(), &id, "the job keeps its id");
    assert_eq!(job.submitted_at_ms(), 1_700_000_000_123, "and its time");
    assert_eq!(job.kind().as_str(), "email.send", "and its kind");
    assert_eq!(
        job.payload().as_str(),
        "{\"to\":\"ada\"}",
        "and its payload"
    );
    assert_eq!(
        job.idempotency_key().map(IdempotencyKey::as_str),
        Some("order-7"),
        "and its key"
    );
}

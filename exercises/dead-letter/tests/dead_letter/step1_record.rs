//! Step 1: the dead-letter record keeps the whole cause chain, as JSON.

use dead_letter::{DeadKind, DeadLetter, causes};

use crate::{refused_chain, timeout};

#[test]
fn causes_of_a_lone_error_is_its_own_message() {
    assert_eq!(
        causes(&timeout()),
        ["no reply in 2s"],
        "an error with no source has a chain of one message"
    );
}

#[test]
fn causes_of_three_wrapped_errors_are_listed_top_first() {
    assert_eq!(
        causes(&refused_chain()),
        [
            "sending the receipt failed",
            "the SMTP server refused the recipient",
            "550 no such user",
        ],
        "causes should walk source() from the top error down to the root"
    );
}

#[test]
fn a_record_keeps_the_job_and_the_whole_chain() {
    let record = DeadLetter::new(
        "mail-7",
        DeadKind::Permanent,
        2,
        1_700_000_000_000,
        &refused_chain(),
        Some(r#"{"to":"ann@example.com"}"#.to_owned()),
    );
    assert_eq!(record.id, "mail-7", "the record should name the job");
    assert_eq!(record.kind, DeadKind::Permanent, "the kind given");
    assert_eq!(record.attempts, 2, "the attempts given");
    assert_eq!(record.failed_at_ms, 1_700_000_000_000, "the time given");
    assert_eq!(
        record.causes.len(),
        3,
        "all three errors of the chain should be kept, not just the top one"
    );
    assert_eq!(
        record.payload.as_deref(),
        Some(r#"{"to":"ann@example.com"}"#),
        "the payload should be kept as it was stored"
    );
}

#[test]
fn a_record_with_three_causes_round_trips_through_json() {
    let record = DeadLetter::new(
        "mail-7",
        DeadKind::Exhausted,
        5,
        1_700_000_000_000,
        &refused_chain(),
        Some("{not json".to_owned()),
    );
    let json = record.to_json();
    assert!(
        !json.contains('\n'),
        "a record should be one line of JSON, got {json}"
    );
    let back = DeadLetter::from_json(&json).expect("the record parses back");
    assert_eq!(back, record, "a record should survive JSON unchanged");
}

#[test]
fn the_json_is_readable_with_the_kind_in_lowercase_and_the_causes_in_a_list() {
    let record = DeadLetter::new("job-1", DeadKind::Malformed, 1, 0, &timeout(), None);
    let value: serde_json::Value =
        serde_json::from_str(&record.to_json()).expect("to_json writes JSON");
    assert_eq!(
        value["kind"], "malformed",
        "the kind should read as a lowercase word in redis-cli, got {value}"
    );
    assert_eq!(
        value["causes"],
        serde_json::json!(["no reply in 2s"]),
        "the causes should be a JSON list of messages, got {value}"
    );
    assert_eq!(
        value["id"], "job-1",
        "the id should be a field, got {value}"
    );
}

#[test]
fn a_record_that_is_not_json_is_refused_not_panicked_on() {
    let error = DeadLetter::from_json(r#"{"id": "job-1""#).expect_err("truncated JSON");
    assert!(
        error.is_eof(),
        "a truncated record should be a parse error at its end, got {error}"
    );
}

#[test]
fn a_record_prints_the_job_then_each_cause_on_its_own_line() {
    let record =
        DeadLetter::new("mail-7", DeadKind::Permanent, 1, 0, &refused_chain(), None);
    assert_eq!(
        record.to_string(),
        "job mail-7: permanent after 1 attempt\n\
         \x20 error: sending the receipt failed\n\
         \x20 caused by: the SMTP server refused the recipient\n\
         \x20 caused by: 550 no such user",
        "Display should show the job, then the error and every cause"
    );
}

#[test]
fn kinds_parse_from_their_names_and_unknown_names_are_refused() {
    for kind in DeadKind::ALL {
        assert_eq!(
            kind.as_str().parse::<DeadKind>(),
            Ok(kind),
            "{kind:?} should parse back from its name"
        );
    }
    assert!(
        "Permanent".parse::<DeadKind>().is_err(),
        "names are lowercase: 'Permanent' should be refused"
    );
}

//! Step 1: `choose` and `retry_class` (src/codes.rs).

use std::collections::HashSet;

use proptest::prelude::*;
use status_codes::{ALL_CODES, Retry, Situation, choose, retry_class};
use tonic::Code;

#[test]
fn every_situation_gets_the_code_the_grpc_guide_gives_it() {
    let expected = [
        (Situation::Done, Code::Ok),
        (Situation::CallerGaveUp, Code::Cancelled),
        (Situation::UnrecognisedError, Code::Unknown),
        (Situation::MalformedField, Code::InvalidArgument),
        (Situation::DeadlinePassed, Code::DeadlineExceeded),
        (Situation::RecordMissing, Code::NotFound),
        (Situation::RecordHiddenFromCaller, Code::NotFound),
        (Situation::DuplicateCreate, Code::AlreadyExists),
        (Situation::CallerLacksPermission, Code::PermissionDenied),
        (Situation::QuotaUsedUp, Code::ResourceExhausted),
        (Situation::WrongState, Code::FailedPrecondition),
        (Situation::ConcurrentChange, Code::Aborted),
        (Situation::PastTheEnd, Code::OutOfRange),
        (Situation::NotImplemented, Code::Unimplemented),
        (Situation::InvariantBroken, Code::Internal),
        (Situation::DependencyDown, Code::Unavailable),
        (Situation::DataCorrupted, Code::DataLoss),
        (Situation::NoValidCredentials, Code::Unauthenticated),
    ];
    assert_eq!(
        expected.len(),
        Situation::ALL.len(),
        "this table covers every situation"
    );
    for (situation, code) in expected {
        assert_eq!(
            choose(situation),
            code,
            "{situation:?} should be answered with {code:?}"
        );
    }
}

#[test]
fn each_of_the_17_codes_answers_some_situation() {
    let chosen: HashSet<Code> = Situation::ALL.into_iter().map(choose).collect();
    for code in ALL_CODES {
        assert!(
            chosen.contains(&code),
            "no situation is answered with {code:?}: every code has a use"
        );
    }
}

#[test]
fn a_record_the_caller_may_not_see_is_not_found() {
    assert_eq!(
        choose(Situation::RecordHiddenFromCaller),
        Code::NotFound,
        "PermissionDenied on invoices/42 tells the caller that invoice 42 exists"
    );
    assert_eq!(
        choose(Situation::CallerLacksPermission),
        Code::PermissionDenied,
        "a caller who may know the record exists is told the real reason"
    );
}

#[test]
fn wrong_state_lost_race_and_down_dependency_are_three_codes() {
    assert_eq!(
        choose(Situation::WrongState),
        Code::FailedPrecondition,
        "the client should not retry until someone fixes the state"
    );
    assert_eq!(
        choose(Situation::ConcurrentChange),
        Code::Aborted,
        "the client should retry the whole read-modify-write"
    );
    assert_eq!(
        choose(Situation::DependencyDown),
        Code::Unavailable,
        "the client may retry just this call"
    );
}

#[test]
fn a_malformed_field_is_invalid_argument_and_a_position_past_the_end_out_of_range() {
    assert_eq!(
        choose(Situation::MalformedField),
        Code::InvalidArgument,
        "arguments wrong whatever the system's state are InvalidArgument"
    );
    assert_eq!(
        choose(Situation::PastTheEnd),
        Code::OutOfRange,
        "an offset past the end may be valid later: OutOfRange, so a reader can stop"
    );
}

#[test]
fn every_code_has_its_retry_class() {
    let expected = [
        (Code::Ok, Retry::Never),
        (Code::Cancelled, Retry::Never),
        (Code::Unknown, Retry::Never),
        (Code::InvalidArgument, Retry::Never),
        (Code::DeadlineExceeded, Retry::IfIdempotent),
        (Code::NotFound, Retry::Never),
        (Code::AlreadyExists, Retry::Never),
        (Code::PermissionDenied, Retry::Never),
        (Code::ResourceExhausted, Retry::Throttled),
        (Code::FailedPrecondition, Retry::Never),
        (Code::Aborted, Retry::Restart),
        (Code::OutOfRange, Retry::Never),
        (Code::Unimplemented, Retry::Never),
        (Code::Internal, Retry::Never),
        (Code::Unavailable, Retry::Backoff),
        (Code::DataLoss, Retry::Never),
        (Code::Unauthenticated, Retry::Never),
    ];
    for (number, (code, class)) in expected.into_iter().enumerate() {
        assert_eq!(
            code as usize, number,
            "the table is in wire order: {code:?} is number {number}"
        );
        assert_eq!(
            retry_class(code),
            class,
            "a client receiving {code:?} should treat it as {class:?}"
        );
    }
}

#[test]
fn only_unavailable_is_sent_again_as_it_was() {
    let as_is: Vec<Code> = ALL_CODES
        .into_iter()
        .filter(|&code| retry_class(code) == Retry::Backoff)
        .collect();
    assert_eq!(
        as_is,
        [Code::Unavailable],
        "Unavailable is the one code that says: this very call may work soon"
    );
}

#[test]
fn a_deadline_may_hide_a_success_so_only_idempotent_calls_retry_it() {
    assert_eq!(
        retry_class(Code::DeadlineExceeded),
        Retry::IfIdempotent,
        "the server may have done the work after the client stopped waiting"
    );
}

#[test]
fn errors_nobody_understood_are_never_retried() {
    for code in [Code::Unknown, Code::Internal, Code::DataLoss] {
        assert_eq!(
            retry_class(code),
            Retry::Never,
            "retrying {code:?} repeats a bug instead of waiting out a blip"
        );
    }
}

#[test]
fn numbers_outside_0_to_16_are_unknown_and_never_retried() {
    for number in [-1, 17, 99, i32::MAX, i32::MIN] {
        let code = Code::from_i32(number);
        assert_eq!(
            code,
            Code::Unknown,
            "grpc-status {number} is not a known code"
        );
        assert_eq!(
            retry_class(code),
            Retry::Never,
            "a status nobody knows (grpc-status {number}) is not retried"
        );
    }
}

proptest! {
    #![proptest_config(crate::properties())]

    #[test]
    fn only_status_numbers_4_8_10_and_14_may_be_retried(
        number in prop_oneof![-2..20i32, any::<i32>()],
    ) {
        let code = Code::from_i32(number);
        // Written out by number, independently of `ALL_CODES` and of
        // `retry_class`: four codes may be retried, every other number not.
        let expected = match number {
            4 => Retry::IfIdempotent,
            8 => Retry::Throttled,
            10 => Retry::Restart,
            14 => Retry::Backoff,
            _ => Retry::Never,
        };
        prop_assert_eq!(
            retry_class(code),
            expected,
            "grpc-status {} decodes to {:?}",
            number,
            code
        );
    }
}

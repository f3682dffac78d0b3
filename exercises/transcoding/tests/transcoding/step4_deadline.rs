//! Step 4: deadlines (src/deadline.rs, then `unary` in src/routes.rs).
//!
//! The async tests run with tokio's clock paused (`start_paused = true`).
//! Everything, the backend included, runs in this process over the
//! in-memory transport, so when every task waits on a timer the runtime
//! jumps the clock to the next one: a 5-second backend takes no real time,
//! and `start.elapsed()` is exact.

use std::future;

use http::{HeaderMap, StatusCode};
use serde_json::json;
use tokio::time::Instant;
use tonic::{Code, Status};
use transcoding::with_deadline;
use transcoding::{DeadlinePolicy, PolicyError, TimeoutError, parse_grpc_timeout};

use crate::{front, front_with, get, ms, policy, secs, seeded, send, with_header};

#[test]
fn grpc_timeouts_parse_in_every_unit() {
    let cases = [
        ("1H", secs(3600)),
        ("2M", secs(120)),
        ("3S", secs(3)),
        ("100m", ms(100)),
        ("250u", std::time::Duration::from_micros(250)),
        ("7n", std::time::Duration::from_nanos(7)),
        ("00000001S", secs(1)),
        ("99999999H", secs(99_999_999 * 3600)),
    ];
    for (text, expected) in cases {
        assert_eq!(
            parse_grpc_timeout(text),
            Ok(expected),
            "{text:?} should be {expected:?}"
        );
    }
}

#[test]
fn malformed_grpc_timeouts_are_refused() {
    assert_eq!(parse_grpc_timeout(""), Err(TimeoutError::NoDigits), "empty");
    assert_eq!(
        parse_grpc_timeout("S"),
        Err(TimeoutError::NoDigits),
        "a unit alone"
    );
    assert_eq!(
        parse_grpc_timeout("123456789m"),
        Err(TimeoutError::TooManyDigits),
        "the spec allows 8 digits at most"
    );
    assert_eq!(
        parse_grpc_timeout("+5S"),
        Err(TimeoutError::NotANumber("+5".into())),
        "a sign is not a digit"
    );
    assert_eq!(
        parse_grpc_timeout("10x"),
        Err(TimeoutError::UnknownUnit("x".into())),
        "x is no unit"
    );
    assert_eq!(
        parse_grpc_timeout("5€"),
        Err(TimeoutError::UnknownUnit("€".into())),
        "a multi-byte last character should be reported, not panic"
    );
    for bad in ["10ms", "1.5S", " 5S", "5 S"] {
        assert!(
            parse_grpc_timeout(bad).is_err(),
            "{bad:?} should be refused"
        );
    }
}

#[test]
fn a_policy_needs_a_default_between_zero_and_the_maximum() {
    assert_eq!(
        DeadlinePolicy::new(secs(0), secs(60)),
        Err(PolicyError::ZeroDefault),
        "a zero default would fail every request"
    );
    assert_eq!(
        DeadlinePolicy::new(secs(61), secs(60)),
        Err(PolicyError::DefaultAboveMax {
            default: secs(61),
            max: secs(60)
        }),
        "the default must not exceed the maximum"
    );
    let ok = DeadlinePolicy::new(secs(60), secs(60)).expect("default == max is fine");
    assert_eq!(
        (ok.default_timeout(), ok.max_timeout()),
        (secs(60), secs(60)),
        "getters"
    );
}

#[test]
fn a_request_gets_its_own_timeout_capped_or_the_default() {
    let policy = policy();
    let mut headers = HeaderMap::new();
    assert_eq!(
        policy.timeout_for(&headers).ok(),
        Some(secs(10)),
        "no header: the default"
    );
    headers.insert("grpc-timeout", "100m".parse().expect("a header value"));
    assert_eq!(
        policy.timeout_for(&headers).ok(),
        Some(ms(100)),
        "100m: 100 ms"
    );
    headers.insert("grpc-timeout", "1H".parse().expect("a header value"));
    assert_eq!(
        policy.timeout_for(&headers).ok(),
        Some(secs(60)),
        "1H: capped at 60 s"
    );
    headers.insert("grpc-timeout", "soon".parse().expect("a header value"));
    let status = policy
        .timeout_for(&headers)
        .expect_err("\"soon\" is no timeout");
    assert_eq!(
        status.code(),
        Code::InvalidArgument,
        "a bad header is the client's error"
    );
}

#[tokio::test(start_paused = true)]
async fn a_call_inside_its_deadline_keeps_its_own_result() {
    let start = Instant::now();
    let quick = async {
        tokio::time::sleep(ms(30)).await;
        Ok::<_, Status>("done")
    };
    assert_eq!(
        with_deadline(ms(100), quick).await.ok(),
        Some("done"),
        "a fast call's value"
    );
    let refused =
        with_deadline(ms(100), async { Err::<(), _>(Status::not_found("no")) }).await;
    assert_eq!(
        refused.map_err(|s| s.code()),
        Err(Code::NotFound),
        "an error before the deadline is the backend's own"
    );
    assert_eq!(
        start.elapsed(),
        ms(30),
        "nothing should wait for the deadline"
    );
}

#[tokio::test(start_paused = true)]
async fn a_call_past_its_deadline_is_deadline_exceeded_at_the_deadline() {
    let start = Instant::now();
    let never = future::pending::<Result<(), Status>>();
    let status = with_deadline(ms(100), never)
        .await
        .expect_err("a hung call must time out");
    assert_eq!(
        status.code(),
        Code::DeadlineExceeded,
        "a hung call is DeadlineExceeded"
    );
    assert_eq!(
        start.elapsed(),
        ms(100),
        "it should give up exactly at the deadline"
    );

    // What a tonic server answers when the propagated deadline fires there
    // first: Cancelled, at the same instant. The caller owns the deadline.
    let cancelled_at_deadline = async {
        tokio::time::sleep(ms(100)).await;
        Err::<(), _>(Status::cancelled("Timeout expired"))
    };
    let status = with_deadline(ms(100), cancelled_at_deadline)
        .await
        .expect_err("the backend's error should not turn into success");
    assert_eq!(
        status.code(),
        Code::DeadlineExceeded,
        "an error arriving after the deadline is DeadlineExceeded, not Cancelled"
    );
}

#[tokio::test(start_paused = true)]
async fn a_slow_backend_is_504_at_the_requested_deadline() {
    let store = seeded().with_search_delay(secs(5));
    let router = front(store.clone()).await;
    let start = Instant::now();
    let request = with_header(get("/v1/notes:search?query=milk"), "grpc-timeout", "100m");
    let reply = send(&router, request).await;
    assert_eq!(
        reply.status,
        StatusCode::GATEWAY_TIMEOUT,
        "a backend slower than the deadline should be 504: {}",
        reply.text
    );
    assert_eq!(
        reply.json["code"],
        json!(4),
        "the body should say DeadlineExceeded (4)"
    );
    assert_eq!(
        start.elapsed(),
        ms(100),
        "the 504 should come at the deadline, not after"
    );

    // Long after: the backend was told the deadline, so it stopped too.
    tokio::time::sleep(secs(10)).await;
    assert_eq!(
        store.searches_finished(),
        0,
        "the backend should not finish a dead search"
    );
}

#[tokio::test(start_paused = true)]
async fn a_fast_backend_answers_inside_the_deadline() {
    let router = front(seeded().with_search_delay(ms(50))).await;
    let start = Instant::now();
    let request = with_header(get("/v1/notes:search?query=milk"), "grpc-timeout", "100m");
    let reply = send(&router, request).await;
    assert_eq!(
        reply.status,
        StatusCode::OK,
        "50 ms inside 100 ms should be 200: {}",
        reply.text
    );
    assert_eq!(
        reply.json["notes"][0]["title"], "Groceries",
        "the search result"
    );
    assert_eq!(
        start.elapsed(),
        ms(50),
        "the answer comes when the backend answers"
    );
}

#[tokio::test(start_paused = true)]
async fn without_a_header_the_gateway_default_applies_and_a_long_one_is_capped() {
    let policy = DeadlinePolicy::new(secs(2), secs(3)).expect("a valid policy");
    let router = front_with(seeded().with_search_delay(secs(5)), policy).await;

    let start = Instant::now();
    let reply = send(&router, get("/v1/notes:search?query=milk")).await;
    assert_eq!(
        reply.status,
        StatusCode::GATEWAY_TIMEOUT,
        "5 s is past the 2 s default"
    );
    assert_eq!(start.elapsed(), secs(2), "the default deadline is 2 s");

    let start = Instant::now();
    let request = with_header(get("/v1/notes:search?query=milk"), "grpc-timeout", "1H");
    let reply = send(&router, request).await;
    assert_eq!(
        reply.status,
        StatusCode::GATEWAY_TIMEOUT,
        "5 s is past the 3 s maximum"
    );
    assert_eq!(
        start.elapsed(),
        secs(3),
        "an hour asked for should be capped at 3 s"
    );
}

#[tokio::test(start_paused = true)]
async fn the_deadline_reaches_the_backend_as_grpc_timeout() {
    let store = seeded();
    let router = front(store.clone()).await;
    let request = with_header(get("/v1/notes/1"), "grpc-timeout", "250m");
    let reply = send(&router, request).await;
    assert_eq!(
        reply.status,
        StatusCode::OK,
        "a fast call should succeed: {}",
        reply.text
    );
    assert_eq!(
        store.last_grpc_timeout().as_deref(),
        Some("250000u"),
        "250 ms should reach the backend as tonic writes it: 250000 microseconds"
    );
    send(&router, get("/v1/notes/1")).await;
    assert_eq!(
        store.last_grpc_timeout().as_deref(),
        Some("10000000u"),
        "without a header, the 10 s default should be propagated"
    );
}

#[tokio::test(start_paused = true)]
async fn a_malformed_timeout_header_is_400_and_never_reaches_the_backend() {
    let store = seeded();
    let router = front(store.clone()).await;
    let request = with_header(get("/v1/notes/1"), "grpc-timeout", "soon");
    let reply = send(&router, request).await;
    assert_eq!(
        (reply.status, &reply.json["code"]),
        (StatusCode::BAD_REQUEST, &json!(3)),
        "a bad grpc-timeout should be 400 InvalidArgument: {}",
        reply.text
    );
    assert_eq!(
        store.last_grpc_timeout(),
        None,
        "the backend should not have been called"
    );
}

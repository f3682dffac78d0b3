//! Step 1: the auth interceptor.

use interceptors::pb::stock_server::StockServer;
use interceptors::{
    AuthInterceptor, Caller, Journal, Shop, TokenError, Tokens, in_memory,
};
use tonic::Code;
use tonic::service::Interceptor;
use tonic::transport::Server;

use crate::{ALICE, BOB, bearer, client, get, tokens, with_auth};

/// Runs the interceptor on a request carrying `authorization: <value>`.
fn check(value: Option<&str>) -> Result<tonic::Request<()>, tonic::Status> {
    let request = match value {
        Some(value) => with_auth((), value),
        None => tonic::Request::new(()),
    };
    AuthInterceptor::new(tokens()).call(request)
}

#[test]
fn a_known_token_is_let_through_with_its_caller_in_the_extensions() {
    let request = check(Some(&format!("Bearer {BOB}"))).expect("Bob's token is valid");
    let caller = request.extensions().get::<Caller>();
    assert_eq!(
        caller.map(Caller::as_str),
        Some("bob"),
        "the interceptor should put the token's caller into the extensions"
    );
}

#[test]
fn the_bearer_scheme_is_case_insensitive() {
    let request = check(Some(&format!("bearer {ALICE}")))
        .expect("RFC 9110 makes the scheme case-insensitive: `bearer` is `Bearer`");
    assert_eq!(
        request.extensions().get::<Caller>().map(Caller::as_str),
        Some("alice"),
        "a lowercase scheme should identify the caller like any other"
    );
}

#[test]
fn a_call_without_credentials_is_unauthenticated() {
    let status = check(None).expect_err("a call with no authorization header is refused");
    assert_eq!(
        status.code(),
        Code::Unauthenticated,
        "missing credentials are UNAUTHENTICATED (PERMISSION_DENIED is for a known \
         caller who may not do this)"
    );
}

#[test]
fn every_wrong_credential_gets_the_same_answer() {
    let answers: Vec<_> = [
        "Bearer not-a-token".to_owned(),
        format!("Basic {ALICE}"),
        format!("Bearer {ALICE}x"),
        format!("Bearer {}", &ALICE[..ALICE.len() - 1]),
        "Bearer".to_owned(),
        ALICE.to_owned(),
    ]
    .iter()
    .map(|value| {
        let status = check(Some(value)).expect_err("a wrong credential is refused");
        (value.clone(), status.code(), status.message().to_owned())
    })
    .collect();
    for (value, code, message) in &answers {
        assert_eq!(
            *code,
            Code::Unauthenticated,
            "`authorization: {value}` should be UNAUTHENTICATED"
        );
        assert_eq!(
            (code, message),
            (&answers[0].1, &answers[0].2),
            "`authorization: {value}` should get the same status and message as any other \
             wrong credential: a different answer tells a prober which part was wrong"
        );
    }
}

#[test]
fn tokens_refuse_an_empty_or_unsendable_token() {
    let mut tokens = Tokens::new();
    assert_eq!(
        tokens.insert("", "nobody"),
        Err(TokenError::Empty),
        "an empty token would match `Bearer ` with nothing after it"
    );
    assert_eq!(
        tokens.insert("two words", "nobody"),
        Err(TokenError::NotVisibleAscii { found: ' ' }),
        "a token with a space could never arrive after `Bearer `"
    );
    assert_eq!(
        tokens.insert("caf\u{e9}", "nobody"),
        Err(TokenError::NotVisibleAscii { found: '\u{e9}' }),
        "metadata values are ASCII: a token with `é` could never be sent"
    );
}

#[test]
fn tokens_name_the_caller_of_a_token_and_no_one_for_a_near_miss() {
    let tokens = tokens();
    assert_eq!(
        tokens.caller(ALICE.as_bytes()).map(Caller::as_str),
        Some("alice"),
        "Alice's token should name Alice"
    );
    assert_eq!(
        tokens.caller(&ALICE.as_bytes()[..4]),
        None,
        "a prefix of a token is not the token"
    );
    assert_eq!(tokens.caller(b""), None, "nothing is not a token");
}

#[tokio::test]
async fn the_handler_reads_the_caller_the_interceptor_found() {
    let channel = in_memory(|incoming| {
        Server::builder()
            .add_service(StockServer::with_interceptor(
                Shop::new(),
                AuthInterceptor::new(tokens()),
            ))
            .serve_with_incoming(incoming)
    })
    .await
    .expect("the in-memory connection works");
    let item = client(channel)
        .get(bearer(get("bolt", 0), ALICE))
        .await
        .expect("Alice may call Get")
        .into_inner();
    assert_eq!(
        item.served_to, "alice",
        "the handler should find the Caller in the request's extensions"
    );
}

#[tokio::test]
async fn a_refused_call_never_reaches_the_handler() {
    let journal = Journal::new();
    let shop = Shop::with_journal(journal.clone());
    let channel = in_memory(|incoming| {
        Server::builder()
            .add_service(StockServer::with_interceptor(
                shop,
                AuthInterceptor::new(tokens()),
            ))
            .serve_with_incoming(incoming)
    })
    .await
    .expect("the in-memory connection works");
    let status = client(channel)
        .get(bearer(get("bolt", 0), "stolen-or-guessed"))
        .await
        .expect_err("a wrong token is refused");
    assert_eq!(
        status.code(),
        Code::Unauthenticated,
        "the client should see UNAUTHENTICATED"
    );
    assert_eq!(
        journal.entries(),
        Vec::<String>::new(),
        "the interceptor should refuse the call before the handler runs"
    );
}

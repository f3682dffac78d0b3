//! Runs the example and checks the lines that show each lesson step, and
//! that two runs print the same thing (the clock is paused, the store is
//! seeded: nothing in the output may vary).

fn run() -> String {
    example_smoke::run(env!("CARGO_BIN_EXE_gateway"))
}

#[test]
fn the_example_shows_mapping_errors_and_deadlines() {
    let out = run();
    for expected in [
        // Step 1: the JSON mapping.
        concat!(
            r#"{"id":"1","title":"Groceries","body":"milk, eggs","#,
            r#""priority":"PRIORITY_LOW","tags":["home"],"#,
            r#""author":{"displayName":"Ada Lovelace","email":"ada@example.com"},"#,
            r#""attachment":"aGk=","createdAtMs":"1700000000000"}"#,
        ),
        // Step 2: a create, and a page with its token.
        r#"{"id":"3","title":"Read","priority":"PRIORITY_HIGH","tags":["books"]}"#,
        r#""nextPageToken":"2"}"#,
        // Step 3: errors in one shape.
        r#"{"code":5,"message":"note 99 not found","details":[]}"#,
        "   -> 405 [allow: GET,HEAD]",
        r#"{"code":12,"message":"Method Not Allowed","details":[]}"#,
        r#"{"code":5,"message":"Not Found","details":[]}"#,
        "   -> 401 [www-authenticate: Bearer]",
        // Step 4: deadlines.
        "   -> 200 after 300ms",
        "   -> 504 after 100ms",
        r#"{"code":4,"message":"deadline of 100ms exceeded","details":[]}"#,
        "   the backend was sent grpc-timeout: 100000u",
    ] {
        assert!(
            out.contains(expected),
            "the output should contain {expected:?}:\n{out}"
        );
    }
}

#[test]
fn two_runs_print_the_same() {
    assert_eq!(run(), run(), "the output should be deterministic");
}

//! Runs the example and checks what it prints: the example is documentation,
//! and documentation that drifts from the code is worse than none.

fn run_example() -> String {
    example_smoke::run(env!("CARGO_BIN_EXE_handshake"))
}

#[test]
fn the_example_prints_one_line_per_case() {
    let out = run_example();
    for expected in [
        "by DNS name localhost            ok, caller anonymous",
        "by IP address 127.0.0.1          ok, caller anonymous",
        "signed by an untrusted CA        refused: the server's certificate is signed by a CA",
        "checked for api.example.com      refused: the server's certificate is not valid for \
         \"api.example.com\" (it names DnsName(\"localhost\"), IpAddress(127.0.0.1))",
        "by IP, no IP SAN                 refused: the server's certificate is not valid for \
         \"127.0.0.1\" (it names DnsName(\"localhost\"))",
        "expired yesterday                refused: the server's certificate has expired",
        "client billing                   ok, caller billing.clients.internal",
        "client without a certificate     refused: the server requires a client certificate",
        "client from another CA           refused: the server refused this client's \
         certificate (UnknownCA)",
        "client reports (not allowed)     handler said PermissionDenied",
        "the key file as CA               error: the CA file holds no certificate",
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
        "no dates, keys or ports are printed, so runs are identical"
    );
}

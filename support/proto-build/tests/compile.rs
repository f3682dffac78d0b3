//! The build helper against real `.proto` files in a temporary folder.

use std::fs;

fn write(dir: &std::path::Path, name: &str, text: &str) {
    fs::write(dir.join(name), text).expect("writing a test proto");
}

#[test]
fn a_service_compiles_to_messages_a_client_and_a_server() {
    let dir = tempfile::tempdir().expect("temp dir");
    let protos = dir.path().join("proto");
    let out = dir.path().join("out");
    fs::create_dir_all(&protos).unwrap();
    fs::create_dir_all(&out).unwrap();
    write(
        &protos,
        "echo.proto",
        r#"syntax = "proto3";
package demo.v1;
message Ping { string text = 1; }
service Echo { rpc Say(Ping) returns (Ping); }
"#,
    );
    proto_build::Protos::new([protos.join("echo.proto")], [&protos])
        .descriptor_set("echo_descriptor")
        .out_dir(&out)
        .compile()
        .expect("a valid proto should compile without protoc");

    let code = fs::read_to_string(out.join("demo.v1.rs"))
        .expect("the generated module is named after the package: demo.v1.rs");
    assert!(
        code.contains("pub struct Ping"),
        "the message becomes a struct:\n{code}"
    );
    assert!(
        code.contains("pub mod echo_client"),
        "a client module is generated"
    );
    assert!(
        code.contains("pub mod echo_server"),
        "a server module is generated"
    );
    let fds = fs::read(out.join("echo_descriptor.bin")).expect("descriptor set written");
    assert!(
        fds.windows(b"demo.v1".len()).any(|w| w == b"demo.v1"),
        "the descriptor set names the package"
    );
}

#[test]
fn a_syntax_error_is_reported_with_the_file_name() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(
        dir.path(),
        "broken.proto",
        "syntax = \"proto3\";\nmessage { }\n",
    );
    let err = proto_build::Protos::new([dir.path().join("broken.proto")], [dir.path()])
        .out_dir(dir.path())
        .compile()
        .expect_err("a message without a name must be refused");
    let text = err.to_string();
    assert!(
        text.contains("broken.proto"),
        "the error should name the file: {text}"
    );
}

#[test]
fn an_unknown_type_is_an_error_not_a_panic() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(
        dir.path(),
        "lost.proto",
        "syntax = \"proto3\";\nmessage A { Missing b = 1; }\n",
    );
    let err = proto_build::Protos::new([dir.path().join("lost.proto")], [dir.path()])
        .out_dir(dir.path())
        .compile()
        .expect_err("a field of an undefined type must be refused");
    assert!(
        err.to_string().contains("Missing"),
        "the error names the type: {err}"
    );
}

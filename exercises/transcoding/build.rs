//! Generates the notes service's Rust code from its .proto at build time,
//! with no system protoc (support/proto-build).

fn main() -> Result<(), proto_build::Error> {
    proto_build::Protos::new(["proto/notes.proto"], ["proto"]).compile()
}

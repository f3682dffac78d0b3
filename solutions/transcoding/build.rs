//! Generates the notes service's Rust code from its .proto at build time,
//! with no system protoc (support/proto-build).

fn main() -> Result<(), proto_build::Error> {
    // The exercise's proto, not a copy: one contract, compiled twice.
    proto_build::Protos::new(
        ["../../exercises/transcoding/proto/notes.proto"],
        ["../../exercises/transcoding/proto"],
    )
    .compile()
}

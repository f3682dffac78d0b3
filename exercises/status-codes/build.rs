//! Compiles `proto/jobs.proto` into Rust (no `protoc` needed, see
//! `support/proto-build`).

fn main() -> Result<(), proto_build::Error> {
    proto_build::Protos::new(["proto/jobs.proto"], ["proto"]).compile()
}

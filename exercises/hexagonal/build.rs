//! Generates the gRPC code from `proto/jobs.proto` (no protoc needed).

fn main() -> Result<(), proto_build::Error> {
    proto_build::Protos::new(["proto/jobs.proto"], ["proto"]).compile()
}

//! Compiles `proto/whoami.proto` with the workbook's `proto-build` (no protoc).

fn main() -> Result<(), proto_build::Error> {
    proto_build::Protos::new(["proto/whoami.proto"], ["proto"]).compile()
}

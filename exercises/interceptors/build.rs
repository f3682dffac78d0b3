//! Compiles the lesson's contract with the workbook's `proto-build` (no
//! system `protoc` needed).

fn main() -> Result<(), proto_build::Error> {
    proto_build::Protos::new(["proto/stock.proto"], ["proto"]).compile()
}

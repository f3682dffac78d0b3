//! Compiles `proto/ticker.proto` into the client, the server trait and the
//! messages (the `pb` module). The reference solution compiles this same
//! file: one contract.

fn main() -> Result<(), proto_build::Error> {
    proto_build::Protos::new(["proto/ticker.proto"], ["proto"]).compile()
}

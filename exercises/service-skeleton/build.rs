//! Compiles the lesson's proto, and writes the descriptor set that server
//! reflection serves, with no system protoc (support/proto-build).

fn main() -> Result<(), proto_build::Error> {
    proto_build::Protos::new(["proto/beacon.proto"], ["proto"])
        .descriptor_set("beacon_descriptor")
        .compile()
}

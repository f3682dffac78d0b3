//! Compiles the exercise's proto (one contract, compiled twice), and writes
//! the descriptor set that server reflection serves.

fn main() -> Result<(), proto_build::Error> {
    proto_build::Protos::new(
        ["../../exercises/service-skeleton/proto/beacon.proto"],
        ["../../exercises/service-skeleton/proto"],
    )
    .descriptor_set("beacon_descriptor")
    .compile()
}

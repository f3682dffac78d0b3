//! Generates the gRPC code from the exercise's `proto/jobs.proto`: one
//! contract, compiled by both crates.

fn main() -> Result<(), proto_build::Error> {
    proto_build::Protos::new(
        ["../../exercises/hexagonal/proto/jobs.proto"],
        ["../../exercises/hexagonal/proto"],
    )
    .compile()
}

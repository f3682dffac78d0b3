//! Compiles the exercise's `ticker.proto`: one contract, shared by the
//! exercise and this solution.

fn main() -> Result<(), proto_build::Error> {
    proto_build::Protos::new(
        ["../../exercises/streaming/proto/ticker.proto"],
        ["../../exercises/streaming/proto"],
    )
    .compile()
}

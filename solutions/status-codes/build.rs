//! Compiles the exercise's `proto/jobs.proto`: one contract, compiled by the
//! exercise and by this solution alike.

fn main() -> Result<(), proto_build::Error> {
    proto_build::Protos::new(
        ["../../exercises/status-codes/proto/jobs.proto"],
        ["../../exercises/status-codes/proto"],
    )
    .compile()
}

//! Compiles the exercise's `proto/whoami.proto`: one contract, compiled twice.

fn main() -> Result<(), proto_build::Error> {
    proto_build::Protos::new(
        ["../../exercises/tls/proto/whoami.proto"],
        ["../../exercises/tls/proto"],
    )
    .compile()
}

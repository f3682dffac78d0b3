//! Compiles the exercise's contract: one `.proto`, compiled twice, so the
//! solution and the exercise cannot drift apart.

fn main() -> Result<(), proto_build::Error> {
    proto_build::Protos::new(
        ["../../exercises/interceptors/proto/stock.proto"],
        ["../../exercises/interceptors/proto"],
    )
    .compile()
}

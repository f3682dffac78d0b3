//! # Day 127 example: the service skeleton as a binary
//!
//! `cargo run -p skeleton -- --addr 127.0.0.1:0 --grace-ms 2000` starts the
//! `Beacon` service with gRPC health and reflection, and stops it
//! gracefully on Ctrl-C or `kill <pid>`. Try it with `grpcurl` and
//! `grpc_health_probe` (the lesson page has the commands).
//!
//! # Contract
//!
//! Tools and tests in other languages drive this binary, so its behaviour
//! is fixed:
//!
//! - usage: `skeleton [--addr IP:PORT] [--grace-ms N]`; without flags,
//!   `SKELETON_ADDR` and `SKELETON_GRACE_MS` apply, then the defaults
//!   `127.0.0.1:50051` and 10000 ms. A bad value prints the error on
//!   stderr and exits 2.
//! - the FIRST line on stdout is exactly `listening on <ip>:<port>`, with
//!   the port actually bound (useful with port 0), flushed at once;
//! - it serves `grpc.health.v1.Health` (service `""` and
//!   `workbook.service_skeleton.v1.Beacon` both SERVING),
//!   `grpc.reflection.v1.ServerReflection`, and
//!   `workbook.service_skeleton.v1.Beacon`;
//! - on SIGTERM or SIGINT it prints `received SIGTERM: draining` (or
//!   `SIGINT`), sets both health names NOT_SERVING, ends open `Ticks`
//!   streams with UNAVAILABLE, lets calls in flight finish for at most the
//!   grace period, closes whatever is still open at the deadline, prints a
//!   last line starting with `drain clean` or `drain cut`, and exits 0;
//! - a failure to bind or to serve prints the error on stderr and exits 1.
//!
//! # Layout
//!
//! `main` only parses, binds, registers the signals and maps the result to
//! an exit code; everything else is the library's `run_on`. Its output
//! holds no timings, so two runs print the same lines apart from the port.

use std::error::Error;
use std::io::Write as _;
use std::process::ExitCode;

use service_skeleton::{Config, Signals, run_on};
use tokio::net::TcpListener;

fn main() -> ExitCode {
    let config =
        match Config::parse(std::env::args().skip(1), |name| std::env::var(name).ok()) {
            Ok(config) => config,
            Err(error) => {
                eprintln!("skeleton: {error}");
                eprintln!("usage: skeleton [--addr IP:PORT] [--grace-ms N]");
                return ExitCode::from(2);
            }
        };
    match serve(config) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprint!("skeleton: {error}");
            let mut source = error.source();
            while let Some(cause) = source {
                eprint!(": {cause}");
                source = cause.source();
            }
            eprintln!();
            ExitCode::FAILURE
        }
    }
}

/// Binds, announces the address, and serves until a signal and its drain.
fn serve(config: Config) -> Result<(), Box<dyn Error>> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        // Signals first: a SIGTERM that arrives while we bind must start a
        // drain, not kill the process.
        let mut signals = Signals::new()?;
        let listener = TcpListener::bind(config.addr().socket_addr()).await?;
        let mut stdout = std::io::stdout();
        writeln!(stdout, "listening on {}", listener.local_addr()?)?;
        stdout.flush()?;

        let shutdown = async move {
            let signal = signals.recv().await;
            println!("received {signal}: draining");
        };
        let drain = run_on(listener, config.grace(), shutdown).await?;
        println!("{drain}");
        Ok(())
    })
}

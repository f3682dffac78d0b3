//! # Day 127: the service skeleton (reference solution)
//!
//! Every gRPC service needs the same frame before its first real method:
//! a configuration it can refuse, the standard health and reflection
//! services, and a shutdown that tells load balancers first, lets calls in
//! flight finish, and still ends on time when a stream never would. This
//! crate is that frame, around a small `Beacon` service:
//!
//! - a typed configuration parsed from flags and the environment
//!   (`config.rs`);
//! - the `Beacon` service, whose endless stream ends itself when the
//!   server drains (`beacon.rs`);
//! - the health switch: SERVING while up, NOT_SERVING before the drain
//!   (`health.rs`);
//! - [`run`]: health, reflection and the service on one server, and a
//!   drain with a deadline that tonic does not have (`drain.rs`);
//! - SIGINT and SIGTERM as one shutdown future (`signals.rs`).
//!
//! # Layout
//!
//! One module per step, in the order the lesson takes them; `lib.rs` only
//! declares them, re-exports, and includes the generated code in [`pb`].
//! The tests are in `tests/service_skeleton/`, one file per step; the
//! example binary `skeleton` is the thin `main` around [`run_on`].

mod beacon;
mod config;
mod drain;
mod health;
mod signals;

pub use beacon::Beacon;
pub use config::{Config, ConfigError, GracePeriod, ListenAddr};
pub use drain::{Drain, ServeError, run, run_on};
pub use health::HealthSwitch;
pub use signals::{ShutdownSignal, Signals};

/// The code generated from `proto/beacon.proto`: messages, the
/// `beacon_server` module (the trait [`Beacon`] implements) and the
/// `beacon_client` module the tests and the example call it with.
#[allow(missing_docs, unreachable_pub)]
pub mod pb {
    tonic::include_proto!("workbook.service_skeleton.v1");
}

/// The full name of the service, as health checks and reflection know it.
pub const BEACON: &str = "workbook.service_skeleton.v1.Beacon";

/// The encoded descriptors of `beacon.proto`, which reflection serves so
/// that `grpcurl` can call the service without the `.proto` file.
pub const FILE_DESCRIPTOR_SET: &[u8] =
    tonic::include_file_descriptor_set!("beacon_descriptor");

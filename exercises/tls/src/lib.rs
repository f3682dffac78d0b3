//! # Day 122: TLS with rustls (exercise)
//!
//! A gRPC service over TLS, with certificates made on the spot by a private
//! certificate authority, and every way a handshake is refused made visible
//! and explained:
//!
//! - a private PKI: a CA, server certificates with DNS and IP names, client
//!   certificates, and the verifier a client runs, offline (`pki.rs`);
//! - the server and client TLS configurations for tonic (`config.rs`);
//! - the refusals (unknown CA, wrong name, expired), classified from
//!   tonic's errors into messages a user can act on (`refusal.rs`);
//! - mutual TLS: the server requires a client certificate, and the handler
//!   authorizes the caller it names (`mtls.rs`).
//!
//! # Layout
//!
//! One module per step, in the order the lesson takes them; `lib.rs` only
//! re-exports, so every item is used as `tls::Item`. `server.rs` is
//! plumbing (the `Whoami` service, a server on `127.0.0.1:0` that stops when
//! dropped, connecting) and is complete. The tests are in `tests/tls/`, one
//! file per step; steps 2 to 4 make real TLS connections on loopback.
//!
//! Every `todo!()` is yours to replace; the `// TODO` above it says what to
//! do. `cargo test -p tls` tells you which step is next, and
//! `cargo workbook hint tls` gives a hint.

// The stub's fields and arguments are unused until you write the bodies;
// delete this line when you are done, so the compiler can help again.
#![allow(dead_code, unused_variables, unused_imports, unused_mut)]

mod config;
mod mtls;
mod pki;
mod refusal;
mod server;

/// The code generated from `proto/whoami.proto`.
#[allow(missing_docs, unreachable_pub)]
pub mod pb {
    tonic::include_proto!("workbook.tls.v1");
}

pub use config::{client_tls, server_tls};
pub use mtls::{AllowList, mtls_client_tls, mtls_server_tls, verify_client};
pub use pki::{IssuedCert, Pki, PkiError, Validity, trust_store, verify_server};
pub use refusal::{Refusal, classify};
pub use server::{
    RunningServer, WhoamiService, connect, connect_lazy, install_crypto_provider, serve,
};

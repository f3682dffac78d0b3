//! # The workbook's runner
//!
//! `cargo workbook` (an alias in `.cargo/config.toml`) is how a learner uses
//! the workbook and how a maintainer checks it. It builds and serves the
//! book, watches the exercises and re-runs their tests on save, tracks
//! progress in a small text file, gives hints, reveals solutions only after an
//! exercise passes, restores stubs without losing work, and verifies every
//! invariant of the workbook (`cargo workbook verify`, which `cargo test`
//! runs too).
//!
//! # Layout
//!
//! - [`workspace`]: finding the workbook's root and its folders.
//! - [`catalog`]: the exercises, read from each exercise's
//!   `[package.metadata.workbook]` table, with errors that name file and field.
//! - [`progress`]: the learner's `progress.txt`.
//! - [`cargo`]: running `cargo test` on one exercise and summarising the result.
//! - [`stubs`]: `stubs.lock`, which records each exercise's untouched files, so
//!   `reset` can restore them and `verify` can tell a stub from a learner's work.
//! - [`quiz`]: the quiz cards that lesson pages show.
//! - [`review`]: the quiz commands (a review in the terminal, due cards,
//!   statistics, the Anki export).
//! - [`srs`]: spaced repetition: the review log and the FSRS schedule
//!   replayed from it.
//! - [`preprocess`]: the mdBook preprocessor (exercise boxes, quiz cards,
//!   metrics, generated solution and example pages).
//! - [`book`]: building the book in-process with `mdbook-driver`, and
//!   checking the built HTML for broken links.
//! - [`requirements`]: what an exercise needs beyond cargo (a
//!   `redis-server`), told to the learner before the tests run.
//! - [`verify`]: every invariant, for maintainers and CI.
//! - [`serve`] and [`watch`]: the default command's web server and file watcher.
//! - [`cli`]: the command line; `main.rs` only calls [`cli::main`].
//!
//! Everything prints through plain `println!`: the runner is a small
//! interactive tool, and a logging framework would only add noise to it.

pub mod book;
pub mod cargo;
pub mod catalog;
pub mod cli;
pub mod preprocess;
pub mod progress;
pub mod quiz;
pub mod requirements;
pub mod review;
pub mod serve;
pub mod srs;
pub mod stubs;
pub mod verify;
pub mod watch;
pub mod workspace;

mod date;
mod suggest;

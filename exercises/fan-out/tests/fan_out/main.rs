//! Tests for the `fan-out` exercise, one module per step: `step1_threads`
//! (`parallel_map`, src/threads.rs) and `step2_tasks` (`run_all`,
//! src/tasks.rs). Run them with `cargo test -p fan-out`; one step only with
//! `cargo test -p fan-out step1`.

mod step1_threads;
mod step2_tasks;

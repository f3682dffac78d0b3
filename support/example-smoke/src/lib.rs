//! Runs an example binary from its smoke test and returns what it printed.
//!
//! Every example has a `tests/smoke.rs` that runs the binary cargo built
//! for it (`env!("CARGO_BIN_EXE_<name>")`), requires it to exit 0, and
//! asserts on its stdout. That run-and-check lives here once, so a smoke
//! test holds only what is particular to its example: the lines it must
//! print.
//!
//! # Layout
//!
//! - [`run`]: the binary with no arguments.
//! - [`stdout`]: a prepared [`Command`] (arguments, environment).

use std::process::Command;

/// Runs the example at `exe` with no arguments and returns its stdout.
///
/// # Panics
///
/// If it cannot start, exits with a failure (the panic shows its stderr),
/// or prints something that is not UTF-8: each a failed smoke test.
pub fn run(exe: &str) -> String {
    stdout(&mut Command::new(exe))
}

/// Runs a prepared command and returns its stdout, with the same checks as
/// [`run`].
///
/// # Panics
///
/// As [`run`].
pub fn stdout(command: &mut Command) -> String {
    let output = command.output().expect("the example runs");
    assert!(
        output.status.success(),
        "the example failed ({}): {}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("the example prints UTF-8")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_output_of_a_successful_program_is_returned() {
        let out = stdout(Command::new("sh").args(["-c", "echo hello"]));
        assert_eq!(out, "hello\n", "stdout comes back as printed");
    }

    #[test]
    fn a_failing_program_fails_the_test_with_its_stderr() {
        let panic = std::panic::catch_unwind(|| {
            stdout(Command::new("sh").args(["-c", "echo broken >&2; exit 3"]))
        })
        .expect_err("a non-zero exit must fail the smoke test");
        let message = panic
            .downcast_ref::<String>()
            .expect("the panic carries a formatted message");
        assert!(
            message.contains("broken") && message.contains('3'),
            "the panic shows stderr and the exit status: {message}"
        );
    }
}

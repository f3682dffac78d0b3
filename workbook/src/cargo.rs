//! Running `cargo` on one package and reading what it says.
//!
//! The runner shells out to the same `cargo test -p <name>` the learner would
//! type, so the two can never disagree, and reads libtest's plain output
//! (`test name ... ok`). libtest's JSON output would be sturdier to parse,
//! but it is still unstable (`-Z unstable-options`), and the runner must work
//! on a stable toolchain.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::Context;

/// The `cargo` that runs the runner (`$CARGO`, set by cargo for the programs
/// it runs), so nested builds use the same toolchain.
pub fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

/// How a test run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Every test passed.
    Passed,
    /// It compiled, and at least one test failed.
    Failed,
    /// It did not compile (or cargo failed before running a test).
    CompileError,
}

/// One failed test and the start of its panic message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// The test's name, e.g. `delay::the_first_retry_waits_the_base_delay`.
    pub name: String,
    /// The first lines of its panic message.
    pub message: String,
}

/// The result of `cargo test -p <package>`.
#[derive(Debug, Clone)]
pub struct TestRun {
    /// How it ended.
    pub outcome: Outcome,
    /// The names of the tests that passed.
    pub passed: Vec<String>,
    /// The tests that failed, with their messages.
    pub failed: Vec<Failure>,
    /// The compiler's errors, if it did not compile.
    pub compile_errors: String,
    /// Wall-clock time, build included.
    pub elapsed: Duration,
}

impl TestRun {
    /// A short, readable summary: a line for the result, then the first
    /// failures' messages or the first compile errors.
    pub fn summary(&self, package: &str, max_failures: usize) -> String {
        let secs = self.elapsed.as_secs_f64();
        match self.outcome {
            Outcome::Passed => {
                let n = self.passed.len();
                format!("✓ {package}: {n}/{n} tests pass ({secs:.1}s)")
            }
            Outcome::CompileError => {
                let errors: Vec<&str> = self.compile_errors.lines().take(30).collect();
                format!(
                    "✗ {package} does not compile ({secs:.1}s):\n{}",
                    errors.join("\n")
                )
            }
            Outcome::Failed => {
                let total = self.passed.len() + self.failed.len();
                let mut text = format!(
                    "✗ {package}: {}/{total} tests pass, {} fail ({secs:.1}s)",
                    self.passed.len(),
                    self.failed.len()
                );
                for failure in self.failed.iter().take(max_failures) {
                    text.push_str(&format!("\n  ✗ {}", failure.name));
                    for line in failure.message.lines() {
                        text.push_str(&format!("\n      {line}"));
                    }
                }
                if self.failed.len() > max_failures {
                    text.push_str(&format!(
                        "\n  … and {} more",
                        self.failed.len() - max_failures
                    ));
                }
                text
            }
        }
    }
}

/// Runs `cargo test -p <package> --no-fail-fast` in `root` and reads the
/// result.
///
/// # Errors
///
/// If cargo cannot be started at all.
pub fn test_package(root: &Path, package: &str) -> anyhow::Result<TestRun> {
    let start = Instant::now();
    let output = cargo()
        .current_dir(root)
        .args(["test", "--color", "never", "--no-fail-fast", "-p", package])
        .args(["--", "--color", "never", "--format", "pretty"])
        .env("RUST_BACKTRACE", "0")
        .stdin(Stdio::null())
        .output()
        .with_context(|| format!("running cargo test -p {package}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    Ok(parse(
        &stdout,
        &stderr,
        output.status.success(),
        start.elapsed(),
    ))
}

fn parse(stdout: &str, stderr: &str, success: bool, elapsed: Duration) -> TestRun {
    let mut passed = Vec::new();
    let mut failed_names = Vec::new();
    let mut ran_tests = false;
    for line in stdout.lines() {
        if line.starts_with("test result:") {
            ran_tests = true;
        }
        let Some(rest) = line.strip_prefix("test ") else {
            continue;
        };
        if let Some(name) = rest.strip_suffix(" ... ok") {
            passed.push(name.to_owned());
        } else if let Some(name) = rest.strip_suffix(" ... FAILED") {
            failed_names.push(name.to_owned());
        }
    }
    let failed = failed_names
        .into_iter()
        .map(|name| {
            let message = panic_message(stdout, &name);
            Failure { name, message }
        })
        .collect::<Vec<_>>();
    let outcome = if success {
        Outcome::Passed
    } else if ran_tests && !failed.is_empty() {
        Outcome::Failed
    } else {
        Outcome::CompileError
    };
    let compile_errors = if outcome == Outcome::CompileError {
        stderr
            .lines()
            .skip_while(|line| !line.starts_with("error"))
            .collect::<Vec<_>>()
            .join("\n")
    } else {
        String::new()
    };
    TestRun {
        outcome,
        passed,
        failed,
        compile_errors,
        elapsed,
    }
}

/// The panic message printed in the `---- <name> stdout ----` section: the
/// lines after `panicked at file:line:col:`, up to the first blank or `note:`
/// line, at most six of them.
fn panic_message(stdout: &str, name: &str) -> String {
    let header = format!("---- {name} stdout ----");
    let Some(start) = stdout.find(&header) else {
        return String::new();
    };
    let section = &stdout[start + header.len()..];
    let mut lines = section
        .lines()
        .skip_while(|line| !line.contains(" panicked at "));
    let location = lines.next().unwrap_or_default();
    let location = location
        .split(" panicked at ")
        .nth(1)
        .unwrap_or_default()
        .trim_end_matches(':');
    let message: Vec<&str> = lines
        .take_while(|line| {
            !line.is_empty() && !line.starts_with("note:") && !line.starts_with("----")
        })
        .take(6)
        .collect();
    if location.is_empty() {
        message.join("\n")
    } else {
        format!("{}\n(at {location})", message.join("\n"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FAILING: &str = "
running 2 tests
test delay::a_zero_base_is_rejected ... FAILED
test budget::tokens_stay_between_zero_and_the_maximum ... ok

failures:

---- delay::a_zero_base_is_rejected stdout ----

thread 'delay::a_zero_base_is_rejected' (5858) panicked at exercises/backoff/src/delay.rs:44:9:
not yet implemented: Backoff::new: validate base and cap
note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace

failures:
    delay::a_zero_base_is_rejected

test result: FAILED. 1 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.01s
";

    #[test]
    fn failing_tests_are_read_with_their_panic_message() {
        let run = parse(FAILING, "", false, Duration::ZERO);
        assert_eq!(run.outcome, Outcome::Failed);
        assert_eq!(
            run.passed,
            ["budget::tokens_stay_between_zero_and_the_maximum"]
        );
        assert_eq!(run.failed.len(), 1);
        assert_eq!(run.failed[0].name, "delay::a_zero_base_is_rejected");
        assert_eq!(
            run.failed[0].message,
            "not yet implemented: Backoff::new: validate base and cap\n(at exercises/backoff/src/delay.rs:44:9)"
        );
    }

    #[test]
    fn a_build_failure_is_a_compile_error_with_the_compiler_output() {
        let stderr = "   Compiling backoff v0.1.0\nerror[E0308]: mismatched types\n --> src/delay.rs:3:5\n";
        let run = parse("", stderr, false, Duration::ZERO);
        assert_eq!(run.outcome, Outcome::CompileError);
        assert!(
            run.compile_errors
                .starts_with("error[E0308]: mismatched types"),
            "{}",
            run.compile_errors
        );
    }

    #[test]
    fn the_summary_names_each_failure() {
        let run = parse(FAILING, "", false, Duration::from_millis(1500));
        let summary = run.summary("backoff", 5);
        assert!(
            summary.starts_with("✗ backoff: 1/2 tests pass, 1 fail (1.5s)"),
            "{summary}"
        );
        assert!(
            summary.contains("✗ delay::a_zero_base_is_rejected"),
            "{summary}"
        );
    }
}

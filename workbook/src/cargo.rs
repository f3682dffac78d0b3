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
    /// A test binary crashed (a stack overflow, an abort) before reporting.
    Crashed,
    /// The tests were still running at the time limit, and were stopped.
    TimedOut,
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
    /// Tests libtest reported as running for over 60 seconds.
    pub slow: Vec<String>,
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
            Outcome::Crashed => {
                let lines: Vec<&str> = self.compile_errors.lines().collect();
                let tail = lines[lines.len().saturating_sub(8)..].join("\n");
                format!("✗ {package}: a test binary crashed ({secs:.1}s):\n{tail}")
            }
            Outcome::TimedOut => {
                let slow = if self.slow.is_empty() {
                    String::new()
                } else {
                    format!("\n  still running: {}", self.slow.join(", "))
                };
                format!(
                    "✗ {package}: the tests were still running after {secs:.0}s and were stopped. \
                     A loop that never ends, or one that runs billions of times?{slow}"
                )
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
    let limit = std::env::var("WORKBOOK_TEST_TIMEOUT")
        .ok()
        .and_then(|v| v.parse().ok())
        .map_or(DEFAULT_LIMIT, Duration::from_secs);
    test_package_within(root, package, limit)
}

/// How long one `cargo test -p` may take, build included, unless
/// `WORKBOOK_TEST_TIMEOUT` (seconds) says otherwise.
pub const DEFAULT_LIMIT: Duration = Duration::from_secs(300);

/// [`test_package`] with an explicit time limit.
///
/// # Errors
///
/// If cargo cannot be started at all.
pub fn test_package_within(
    root: &Path,
    package: &str,
    limit: Duration,
) -> anyhow::Result<TestRun> {
    let mut command = cargo();
    command.args(["test", "--color", "never", "--no-fail-fast", "-p", package]);
    run_tests(root, command, limit)
}

/// Runs a prepared `cargo test` command (its program, subcommand, flags and
/// environment set by the caller) in `root`, with libtest's plain output, a
/// time limit, and the result read as for [`test_package`]. Used for the
/// loom and ThreadSanitizer runs, whose flags and toolchain differ.
///
/// # Errors
///
/// If the command cannot be started at all.
pub fn run_tests(
    root: &Path,
    mut command: Command,
    limit: Duration,
) -> anyhow::Result<TestRun> {
    let start = Instant::now();
    let shown = format!("{command:?}");
    command
        .current_dir(root)
        .args(["--", "--color", "never", "--format", "pretty"])
        .env("RUST_BACKTRACE", "0")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    // Its own process group, so a timeout stops the test binary that cargo
    // started too, not only cargo.
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut command, 0);
    let mut child = command
        .spawn()
        .with_context(|| format!("running {shown}"))?;
    // Read both pipes on their own threads: a child that fills one pipe
    // while we wait on the other would block forever.
    let mut stdout_pipe = child.stdout.take().expect("piped");
    let mut stderr_pipe = child.stderr.take().expect("piped");
    let (out_tx, out) = std::sync::mpsc::channel();
    let (err_tx, err) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut text = String::new();
        let _ = std::io::Read::read_to_string(&mut stdout_pipe, &mut text);
        let _ = out_tx.send(text);
    });
    std::thread::spawn(move || {
        let mut text = String::new();
        let _ = std::io::Read::read_to_string(&mut stderr_pipe, &mut text);
        let _ = err_tx.send(text);
    });
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break Some(status);
        }
        if start.elapsed() > limit {
            stop(&mut child);
            break None;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    // The pipes close when every process holding them has exited; should a
    // grandchild survive the kill, stop waiting for it after a few seconds
    // rather than hang the runner.
    let grace = Duration::from_secs(5);
    let stdout = out.recv_timeout(grace).unwrap_or_default();
    let stderr = err.recv_timeout(grace).unwrap_or_default();
    let mut run = parse(
        &stdout,
        &stderr,
        status.is_some_and(|s| s.success()),
        start.elapsed(),
    );
    if status.is_none() {
        run.outcome = Outcome::TimedOut;
    }
    Ok(run)
}

fn stop(child: &mut std::process::Child) {
    // The whole process group: cargo and the test binary it started.
    #[cfg(unix)]
    if let Ok(pid) = i32::try_from(child.id()) {
        let _ = nix::sys::signal::killpg(
            nix::unistd::Pid::from_raw(pid),
            nix::sys::signal::Signal::SIGKILL,
        );
    }
    let _ = child.kill();
    let _ = child.wait();
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
    } else if !failed.is_empty() {
        Outcome::Failed
    } else if ran_tests || stderr.contains("process didn't exit successfully") {
        Outcome::Crashed
    } else {
        Outcome::CompileError
    };
    let slow = stdout
        .lines()
        .filter_map(|l| {
            l.strip_prefix("test ")?
                .strip_suffix(" has been running for over 60 seconds")
        })
        .map(str::to_owned)
        .collect();
    let compile_errors = if outcome == Outcome::Crashed {
        stderr.to_owned()
    } else if outcome == Outcome::CompileError {
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
        slow,
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
    fn a_crashed_test_binary_is_not_called_a_compile_error() {
        let stdout = "\nrunning 1 test\n";
        let stderr = "error: test failed, to rerun pass `--test t`\n\nCaused by:\n  process didn't exit successfully: `/t` (signal: 6, SIGABRT: process abort signal)\n";
        let run = parse(stdout, stderr, false, Duration::ZERO);
        assert_eq!(run.outcome, Outcome::Crashed);
        assert!(run.summary("demo", 3).contains("a test binary crashed"));
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

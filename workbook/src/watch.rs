//! Watching exercise files and re-running their tests on save.
//!
//! Editors save in bursts (a temporary file, a rename, a metadata change),
//! so events are debounced: one test run per burst, 200 ms after it ends.
//! Only writes count: reading a file is an event too (inotify reports every
//! open), and counting those would loop forever, since running the tests
//! reads the sources. Events are mapped to the exercise folder they happened
//! in, and `target/` is ignored, so the build's own writes never trigger a
//! run.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::Duration;

use anyhow::Context;
use notify::event::ModifyKind;
use notify::{Event, EventKind, RecursiveMode, Watcher};

use crate::cargo::{self, Outcome};
use crate::catalog::Catalog;
use crate::progress::Progress;
use crate::workspace::Workspace;

/// What changed in one burst of file events.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changed {
    /// Exercises whose files changed.
    pub exercises: BTreeSet<String>,
    /// Whether the book's sources, the journal, a solution or an example
    /// changed (the book needs a rebuild).
    pub book: bool,
}

/// Classifies changed `paths` of `workspace`.
pub fn classify(workspace: &Workspace, paths: &[PathBuf]) -> Changed {
    let mut changed = Changed::default();
    for path in paths {
        let Ok(relative) = path.strip_prefix(workspace.root()) else {
            continue;
        };
        let parts: Vec<String> = relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        // Build output, and editors' scratch files: dotfiles (Vim's
        // `.x.swp`, Emacs's `.#x`), backups (`x~`), Vim's `4913` probe.
        if parts.iter().any(|p| {
            p == "target"
                || p == "4913"
                || p.starts_with('.')
                || p.ends_with('~')
                || p.ends_with(".tmp")
        }) {
            continue;
        }
        match parts.first().map(String::as_str) {
            Some("exercises") if parts.len() > 2 => {
                changed.exercises.insert(parts[1].clone());
            }
            Some("journal" | "solutions" | "examples") => changed.book = true,
            Some("book") if parts.get(1).is_some_and(|p| p == "src") => {
                changed.book = true
            }
            _ => {}
        }
    }
    changed
}

/// Calls `on_change` for every burst of changes under `dirs` until `stop` is
/// set.
///
/// # Errors
///
/// If the watcher cannot be started, or `on_change` fails.
pub fn watch(
    dirs: &[PathBuf],
    stop: &Arc<AtomicBool>,
    mut on_change: impl FnMut(&[PathBuf]) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    const QUIET: Duration = Duration::from_millis(200);
    let (tx, rx) = mpsc::channel::<notify::Result<Event>>();
    let mut watcher =
        notify::recommended_watcher(tx).context("starting the file watcher")?;
    for dir in dirs.iter().filter(|d| d.exists()) {
        watcher
            .watch(dir, RecursiveMode::Recursive)
            .with_context(|| format!("watching {}", dir.display()))?;
    }
    let mut pending: Vec<PathBuf> = Vec::new();
    while !stop.load(Ordering::Relaxed) {
        // Wait briefly while nothing is pending (to notice Ctrl-C), and for
        // the quiet period once a burst has started.
        let wait = if pending.is_empty() {
            Duration::from_millis(100)
        } else {
            QUIET
        };
        match rx.recv_timeout(wait) {
            Ok(Ok(event)) if is_write(&event.kind) => pending.extend(event.paths),
            Ok(Ok(_)) => {}
            Ok(Err(error)) => eprintln!("file watcher: {error}"),
            Err(mpsc::RecvTimeoutError::Timeout) if !pending.is_empty() => {
                let burst = std::mem::take(&mut pending);
                on_change(&burst)?;
                // Writes made while the tests ran (the learner saving again)
                // are still in the channel and start the next burst.
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        }
    }
    Ok(())
}

/// Whether an event changed a file's content or name (not a read, and not
/// only its metadata).
fn is_write(kind: &EventKind) -> bool {
    match kind {
        EventKind::Create(_) | EventKind::Remove(_) => true,
        EventKind::Modify(ModifyKind::Metadata(_)) => false,
        EventKind::Modify(_) => true,
        EventKind::Access(_) | EventKind::Any | EventKind::Other => false,
    }
}

/// Runs `exercise`'s tests, prints a short result, and records it as solved
/// when every test passes. Returns whether it was newly solved.
///
/// # Errors
///
/// If cargo cannot run or the progress file cannot be written.
pub fn test_and_record(
    workspace: &Workspace,
    catalog: &Catalog,
    name: &str,
) -> anyhow::Result<bool> {
    println!("\n▶ {name}: running `cargo test -p {name}` …");
    // Only what is missing: a found redis-server needs no line on every save.
    if let Ok(exercise) = catalog.get(name) {
        for need in crate::requirements::check(exercise) {
            if !need.met {
                println!("{}", need.line());
            }
        }
    }
    let run = cargo::test_package(workspace.root(), name)?;
    println!("{}", run.summary(name, 3));
    if run.outcome != Outcome::Passed {
        return Ok(false);
    }
    // Passing tests that were edited prove nothing: only a pass of the
    // tests as written counts.
    if let (Ok(lock), Ok(exercise)) =
        (crate::stubs::read_lock(workspace), catalog.get(name))
    {
        let changes = crate::stubs::changes(&lock, exercise)?;
        let edited: Vec<&String> = changes
            .modified
            .iter()
            .chain(&changes.deleted)
            .filter(|f| f.starts_with("tests/"))
            .collect();
        if !edited.is_empty() {
            println!(
                "The tests pass, but these test files were changed: {}. Only the tests as written \
                 count; restore them (`git checkout exercises/{name}/tests`) to record {name} as solved.",
                edited
                    .iter()
                    .map(|f| f.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            return Ok(false);
        }
    }
    let mut progress = Progress::load(&workspace.progress_file())?;
    let newly = progress.mark_solved(name)?;
    if newly {
        println!(
            "🎉 {name} is solved. Its solution is unlocked: `cargo workbook solution {name}`."
        );
        match crate::cli::next_exercise(catalog, &progress) {
            Some(next) => println!(
                "Next: {} ({}: {}), `{}`",
                next.name,
                next.day,
                next.title,
                next.test_command()
            ),
            None => println!("That was the last exercise. Well done."),
        }
    }
    Ok(newly)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_map_to_exercises_and_book_rebuilds() {
        let dir =
            std::env::temp_dir().join(format!("workbook-watch-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("exercises")).unwrap();
        let workspace = Workspace::at(dir.clone()).unwrap();
        let changed = classify(
            &workspace,
            &[
                dir.join("exercises/backoff/src/delay.rs"),
                dir.join("exercises/backoff/target/debug/x"),
                dir.join("exercises/other/src/.delay.rs.swp"),
                dir.join("journal/month-05.md"),
                dir.join("README.md"),
            ],
        );
        assert_eq!(
            changed.exercises.into_iter().collect::<Vec<_>>(),
            ["backoff"]
        );
        assert!(changed.book, "a journal edit rebuilds the book");
    }
}

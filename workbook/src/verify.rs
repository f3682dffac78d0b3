//! `cargo workbook verify`: every invariant of the workbook, checked.
//!
//! 1. Every solution passes its exercise's tests, clippy `-D warnings` and
//!    rustfmt; every example's smoke test passes.
//! 2. Every exercise compiles untouched, and every one of its tests fails
//!    untouched: a test that passes on the stub teaches nothing, so it is
//!    reported by name (unless its exercise's metadata allows it, with a
//!    reason).
//! 3. Every exercise is linked from exactly one lesson page, the one its
//!    metadata names, and every lesson page shows its quiz cards; quiz card
//!    ids are unique; the built book, journal included, has no broken
//!    internal link or fragment.
//!    Every tracing quiz card's program is compiled and run, and must do
//!    what the card says (compile or not, print what it states).
//! 4. The generated parts of the repository (README's lesson list,
//!    `exercises/stubs.lock`) are up to date.
//!
//! `cargo test` runs this through `workbook/tests/verify.rs`, so a plain
//! `cargo test` at the root proves all of it.
//!
//! On a learner's machine an exercise they have worked on is no longer a
//! stub: its fail-untouched check is skipped, with a note. With `--strict`
//! (what CI uses) a changed stub is an error instead, so a maintainer cannot
//! change a stub without running `cargo workbook bless`.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::Context;

use crate::cargo::{self, Outcome};
use crate::catalog::{Catalog, Check, Exercise};
use crate::preprocess::Solutions;
use crate::workspace::{Workspace, files_ending_with, normalize};
use crate::{book, quiz, stubs};

/// What to check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// A changed stub is an error, not a skipped check (for CI).
    pub strict: bool,
    /// Run the checks that need cargo (tests of stubs, solutions and
    /// examples; clippy; rustfmt). Off, only the fast checks run.
    pub cargo: bool,
    /// Run only this extra check for every exercise that declares it, and
    /// nothing else: CI runs each as a job of its own.
    pub only: Option<ExtraCheck>,
}

/// The checks verify runs beyond the tests, one step each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExtraCheck {
    /// The loom models, and their failure on the broken variants.
    Loom,
    /// The tests under ThreadSanitizer (needs nightly with rust-src).
    Tsan,
    /// The Redis lessons: `redis-server` 6.2+ is found, and their
    /// solutions' and examples' tests pass and leave no server running.
    Redis,
    /// The fuzz targets, each fed a fixed number of generated inputs under
    /// AddressSanitizer (needs nightly).
    Fuzz,
}

impl ExtraCheck {
    fn step_name(self) -> &'static str {
        match self {
            Self::Loom => "loom models pass, and fail on the broken variants",
            Self::Tsan => "ThreadSanitizer finds no data race",
            Self::Redis => "Redis lessons run against a real redis-server",
            Self::Fuzz => "fuzz targets survive their generated inputs",
        }
    }

    /// Runs this check for every exercise that declares it.
    fn run(
        self,
        workspace: &Workspace,
        catalog: &Catalog,
        report: &mut Report,
    ) -> anyhow::Result<()> {
        let declared = match self {
            Self::Loom => Check::Loom,
            Self::Tsan => Check::Tsan,
            Self::Redis => Check::Redis,
            Self::Fuzz => Check::Fuzz,
        };
        let exercises: Vec<&Exercise> = catalog
            .exercises()
            .iter()
            .filter(|e| e.checks.contains(&declared))
            .collect();
        if self == Self::Redis && !exercises.is_empty() && !redis_found(report) {
            return Ok(());
        }
        for exercise in exercises {
            match self {
                Self::Loom => check_loom(workspace, exercise, report)?,
                Self::Tsan => check_tsan(workspace, exercise, report)?,
                Self::Fuzz => check_fuzz(workspace, exercise, report)?,
                Self::Redis => {
                    for package in [exercise.solution_package(), exercise.example.clone()]
                    {
                        test_leaving_no_server(workspace, &package, report)?;
                    }
                }
            }
        }
        Ok(())
    }
}

/// What verification found.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Broken invariants: any one fails verification.
    pub problems: Vec<String>,
    /// Things worth knowing that break nothing.
    pub notes: Vec<String>,
}

impl Report {
    /// Whether every invariant holds.
    pub fn is_ok(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Runs every check, printing each step's result to `out`.
///
/// # Errors
///
/// Only if a check cannot run at all (cargo missing, a folder unreadable);
/// a broken invariant is a problem in the report, not an error.
pub fn run(
    workspace: &Workspace,
    options: Options,
    out: &mut impl Write,
) -> anyhow::Result<Report> {
    let mut report = Report::default();
    let catalog = match Catalog::load(workspace) {
        Ok(catalog) => catalog,
        Err(error) => {
            report.problems.push(format!("{error:#}"));
            return Ok(report);
        }
    };
    // Each step says how long it took: the loom and sanitizer steps are
    // the expensive ones, and CI's time budget is checked against these.
    let mut last = Instant::now();
    let mut step = |name: &str, report: &mut Report, before: usize| {
        let found = report.problems.len() - before;
        let mark = if found == 0 {
            "ok".to_owned()
        } else {
            format!("{found} problem(s)")
        };
        let took = last.elapsed().as_secs_f64();
        last = Instant::now();
        let _ = writeln!(out, "verify: {name:.<48} {mark} ({took:.1} s)");
    };

    if let Some(only) = options.only {
        let before = report.problems.len();
        only.run(workspace, &catalog, &mut report)?;
        step(only.step_name(), &mut report, before);
        return Ok(report);
    }

    let before = report.problems.len();
    check_solution_crates(workspace, &catalog, &mut report)?;
    step(
        "solution crates use the exercises' tests",
        &mut report,
        before,
    );

    let before = report.problems.len();
    let untouched = check_stubs(workspace, &catalog, options, &mut report)?;
    step("stubs.lock matches the exercises", &mut report, before);

    let before = report.problems.len();
    check_readme(workspace, &catalog, &mut report)?;
    step("README's lesson list is current", &mut report, before);

    let before = report.problems.len();
    check_lessons_and_cards(workspace, &catalog, &mut report)?;
    step(
        "one lesson per exercise, with quiz cards",
        &mut report,
        before,
    );

    let before = report.problems.len();
    check_book(workspace, &mut report)?;
    step("the book builds with no broken link", &mut report, before);

    if options.cargo {
        let before = report.problems.len();
        for exercise in catalog
            .exercises()
            .iter()
            .filter(|e| untouched.contains(&e.name))
        {
            check_stub_fails(workspace, exercise, &mut report)?;
        }
        step(
            "every stub compiles and fails every test",
            &mut report,
            before,
        );

        let before = report.problems.len();
        let mut packages: Vec<String> = catalog
            .exercises()
            .iter()
            .map(Exercise::solution_package)
            .collect();
        packages.extend(catalog.examples().iter().cloned());
        for package in packages {
            test_leaving_no_server(workspace, &package, &mut report)?;
        }
        step(
            "solutions and examples pass their tests",
            &mut report,
            before,
        );

        let before = report.problems.len();
        check_tracing_cards(workspace, &mut report)?;
        step(
            "every tracing card does what it claims",
            &mut report,
            before,
        );

        for extra in [ExtraCheck::Loom, ExtraCheck::Tsan, ExtraCheck::Fuzz] {
            let before = report.problems.len();
            extra.run(workspace, &catalog, &mut report)?;
            step(extra.step_name(), &mut report, before);
        }
        // The Redis lessons' tests already ran with the solutions (and
        // `test_leaving_no_server` watched for servers left behind); this
        // step says whether they ran against a server that has BLMOVE.
        let before = report.problems.len();
        if catalog
            .exercises()
            .iter()
            .any(|e| e.checks.contains(&Check::Redis))
        {
            redis_found(&mut report);
        }
        step(ExtraCheck::Redis.step_name(), &mut report, before);

        // A learner's work in progress is theirs to lint and format: only
        // the workbook's own code (and untouched stubs) must be clean.
        let yours: Vec<&str> = catalog
            .exercises()
            .iter()
            .map(|e| e.name.as_str())
            .filter(|name| !untouched.contains(*name))
            .collect();
        let before = report.problems.len();
        let mut clippy = vec!["clippy", "--workspace", "--all-targets", "--quiet"];
        for name in &yours {
            clippy.extend(["--exclude", name]);
        }
        clippy.extend(["--", "-D", "warnings"]);
        run_cargo(workspace, &clippy, &mut report)?;
        step("clippy -D warnings", &mut report, before);

        let before = report.problems.len();
        let packages = workspace_packages(workspace)?;
        let mut fmt = vec!["fmt"];
        for package in packages.iter().filter(|p| !yours.contains(&p.as_str())) {
            fmt.extend(["-p", package.as_str()]);
        }
        fmt.extend(["--", "--check"]);
        run_cargo(workspace, &fmt, &mut report)?;
        step("rustfmt", &mut report, before);
    }
    Ok(report)
}

/// `cargo test -p <package>`: it must pass, run at least one test, and
/// leave no `redis-server` behind.
///
/// A test that starts a server must stop it, also when it fails (the
/// harness kills it on drop, during unwinding too); a leaked server holds a
/// port and memory until someone notices. Servers are found by process name
/// in `/proc`; one that appeared during the run and is still there after a
/// grace period was left by it. Elsewhere than Linux the leak check is
/// skipped.
fn test_leaving_no_server(
    workspace: &Workspace,
    package: &str,
    report: &mut Report,
) -> anyhow::Result<()> {
    let before = redis_servers();
    let run = cargo::test_package(workspace.root(), package)?;
    if run.outcome == Outcome::Passed && run.passed.is_empty() {
        report.problems.push(format!(
            "`cargo test -p {package}` runs no test: an example needs a smoke test of what it prints, a solution its exercise's tests"
        ));
    } else if run.outcome != Outcome::Passed {
        report.problems.push(format!(
            "`cargo test -p {package}` fails:\n{}",
            run.summary(package, 5)
        ));
    }
    let Some(before) = before else {
        return Ok(());
    };
    let grace = Instant::now() + Duration::from_secs(2);
    let mut left: Vec<u32>;
    loop {
        left = redis_servers()
            .unwrap_or_default()
            .difference(&before)
            .copied()
            .collect();
        if left.is_empty() || Instant::now() > grace {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    if !left.is_empty() {
        report.problems.push(format!(
            "`cargo test -p {package}` left redis-server running (pid {}): a test must \
             stop the servers it starts (keep redis_harness's handle alive until the \
             test ends, and never leak it into a static)",
            left.iter()
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    Ok(())
}

/// The pids of running `redis-server` processes, or `None` where `/proc`
/// cannot tell.
fn redis_servers() -> Option<BTreeSet<u32>> {
    let entries = fs::read_dir("/proc").ok()?;
    Some(
        entries
            .filter_map(Result::ok)
            .filter_map(|entry| {
                let pid = entry.file_name().to_str()?.parse::<u32>().ok()?;
                let comm = fs::read_to_string(entry.path().join("comm")).ok()?;
                (comm.trim() == "redis-server").then_some(pid)
            })
            .collect(),
    )
}

/// Whether a `redis-server` with BLMOVE (6.2+) is on the `PATH`; a problem
/// with how to install it if not.
fn redis_found(report: &mut Report) -> bool {
    match redis_harness::locate() {
        Ok(found) if found.has_blmove() => {
            report.notes.push(format!(
                "redis: the Redis lessons' tests ran against {} (Redis {})",
                found.path.display(),
                found.version
            ));
            true
        }
        Ok(found) => {
            report.problems.push(format!(
                "the Redis lessons need redis-server 6.2+ (BLMOVE), but {} is Redis {}",
                found.path.display(),
                found.version
            ));
            false
        }
        Err(error) => {
            report.problems.push(format!(
                "the Redis lessons' tests need redis-server: {}",
                redis_harness::report(&error)
            ));
            false
        }
    }
}

fn check_solution_crates(
    workspace: &Workspace,
    catalog: &Catalog,
    report: &mut Report,
) -> anyhow::Result<()> {
    for exercise in catalog.exercises() {
        let name = &exercise.name;
        let manifest_path = workspace.solutions_dir().join(name).join("Cargo.toml");
        let shown = format!("solutions/{name}/Cargo.toml");
        let Ok(text) = fs::read_to_string(&manifest_path) else {
            report.problems.push(format!(
                "exercise `{name}` has no solution: {shown} is missing"
            ));
            continue;
        };
        let manifest: toml::Table =
            toml::from_str(&text).with_context(|| format!("{shown}: not valid TOML"))?;
        let package = manifest
            .get("package")
            .and_then(|p| p.get("name"))
            .and_then(|n| n.as_str());
        if package != Some(exercise.solution_package().as_str()) {
            report.problems.push(format!(
                "{shown}: package.name must be `{}`",
                exercise.solution_package()
            ));
        }
        let lib = manifest
            .get("lib")
            .and_then(|l| l.get("name"))
            .and_then(|n| n.as_str());
        let crate_name = name.replace('-', "_");
        if lib != Some(crate_name.as_str()) {
            report.problems.push(format!(
                "{shown}: [lib] name must be `{crate_name}`, the exercise's crate name"
            ));
        }
        let declared: BTreeSet<PathBuf> = manifest
            .get("test")
            .and_then(|t| t.as_array())
            .into_iter()
            .flatten()
            .filter_map(|t| t.get("path").and_then(|p| p.as_str()))
            .map(|p| normalize(&workspace.solutions_dir().join(name).join(p)))
            .collect();
        for test in test_targets(&exercise.dir)? {
            if !declared.contains(&test) {
                report.problems.push(format!(
                    "{shown}: no [[test]] points at {} (the solution must run every test of its exercise)",
                    workspace.relative(&test).display()
                ));
            }
        }
    }
    Ok(())
}

/// The exercise's integration test targets: `tests/*.rs` and `tests/*/main.rs`.
fn test_targets(exercise_dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let tests = exercise_dir.join("tests");
    let mut targets = Vec::new();
    if tests.is_dir() {
        for entry in fs::read_dir(&tests)? {
            let path = entry?.path();
            if path.extension().is_some_and(|e| e == "rs") {
                targets.push(normalize(&path));
            } else if path.join("main.rs").is_file() {
                targets.push(normalize(&path.join("main.rs")));
            }
        }
    }
    targets.sort();
    Ok(targets)
}

/// Returns the exercises that are untouched (whose stubs can be tested).
fn check_stubs(
    workspace: &Workspace,
    catalog: &Catalog,
    options: Options,
    report: &mut Report,
) -> anyhow::Result<BTreeSet<String>> {
    let mut untouched = BTreeSet::new();
    let lock = match stubs::read_lock(workspace) {
        Ok(lock) => lock,
        Err(error) => {
            report.problems.push(format!("{error:#}"));
            return Ok(untouched);
        }
    };
    for name in lock.keys() {
        if catalog.get(name).is_err() {
            report.problems.push(format!("exercises/stubs.lock names `{name}`, which is not an exercise: run `cargo workbook bless`"));
        }
    }
    for exercise in catalog.exercises() {
        let changes = match stubs::changes(&lock, exercise) {
            Ok(changes) => changes,
            Err(error) => {
                report.problems.push(format!("{error:#}"));
                continue;
            }
        };
        if changes.is_untouched() {
            untouched.insert(exercise.name.clone());
            continue;
        }
        let files: Vec<String> = changes
            .modified
            .iter()
            .map(|f| format!("{f} (changed)"))
            .chain(changes.deleted.iter().map(|f| format!("{f} (deleted)")))
            .chain(changes.added.iter().map(|f| format!("{f} (added)")))
            .collect();
        let message = format!(
            "exercises/{}: {} differ from stubs.lock",
            exercise.name,
            files.join(", ")
        );
        if options.strict {
            report.problems.push(format!(
                "{message}. A maintainer who changed a stub runs `cargo workbook bless`; a learner's work is never committed to the workbook itself"
            ));
        } else {
            report.notes.push(format!(
                "{message}: that is your work, so its fail-untouched check is skipped"
            ));
        }
    }
    Ok(untouched)
}

/// Markers around the generated lesson list in README.md.
pub const README_START: &str =
    "<!-- lessons:start (generated by `cargo workbook bless`) -->";
/// The end marker.
pub const README_END: &str = "<!-- lessons:end -->";

/// The README's lesson table, generated from the catalog.
pub fn readme_lessons(catalog: &Catalog) -> String {
    let mut out = String::from(
        "| Day | Lesson | Exercise | Example | Extra checks |\n|---|---|---|---|---|\n",
    );
    for e in catalog.exercises() {
        let checks: Vec<String> = e
            .checks
            .iter()
            .map(|c| format!("{c:?}").to_lowercase())
            .collect();
        out.push_str(&format!(
            "| {} (Month {}, Week {}) | [{}](book/src/{}) | `cargo test -p {}` | `cargo run -p {}` | {} |\n",
            e.day.number(),
            e.day.month(),
            e.day.week(),
            e.title,
            e.lesson.display(),
            e.name,
            e.example,
            if checks.is_empty() { "none".to_owned() } else { checks.join(", ") }
        ));
    }
    out
}

/// README.md with its lesson list regenerated, or `None` if it lacks the
/// markers.
pub fn readme_with_lessons(readme: &str, catalog: &Catalog) -> Option<String> {
    let start = readme.find(README_START)? + README_START.len();
    let end = readme[start..].find(README_END)? + start;
    Some(format!(
        "{}\n{}{}",
        &readme[..start],
        readme_lessons(catalog),
        &readme[end..]
    ))
}

fn check_readme(
    workspace: &Workspace,
    catalog: &Catalog,
    report: &mut Report,
) -> anyhow::Result<()> {
    let readme = fs::read_to_string(workspace.root().join("README.md"))
        .context("reading README.md")?;
    match readme_with_lessons(&readme, catalog) {
        None => report.problems.push(format!(
            "README.md: missing the markers `{README_START}` and `{README_END}`"
        )),
        Some(updated) if updated != readme => {
            report.problems.push(
                "README.md's lesson list is out of date: run `cargo workbook bless`"
                    .to_owned(),
            );
        }
        Some(_) => {}
    }
    Ok(())
}

fn check_lessons_and_cards(
    workspace: &Workspace,
    catalog: &Catalog,
    report: &mut Report,
) -> anyhow::Result<()> {
    let src = workspace.book_src();
    let pages = files_ending_with(&src, ".md")?;
    let mut linked: BTreeMap<String, Vec<PathBuf>> = BTreeMap::new();
    for page in &pages {
        let text = fs::read_to_string(page)?;
        let relative = page.strip_prefix(&src).unwrap_or(page).to_path_buf();
        let mut exercises_here = 0;
        let mut has_quiz = false;
        for line in text.lines().map(str::trim) {
            if let Some(name) = line
                .strip_prefix("{{#exercise ")
                .and_then(|l| l.strip_suffix("}}"))
            {
                linked
                    .entry(name.trim().to_owned())
                    .or_default()
                    .push(relative.clone());
                exercises_here += 1;
            }
            has_quiz |= line.starts_with("{{#quiz ");
        }
        if exercises_here > 1 {
            report.problems.push(format!(
                "book/src/{}: a lesson page has one exercise, this has {exercises_here}",
                relative.display()
            ));
        }
        if exercises_here == 1 && !has_quiz {
            report.problems.push(format!("book/src/{}: a lesson page must show its quiz cards (`{{{{#quiz FILE}}}}`)", relative.display()));
        }
    }
    for exercise in catalog.exercises() {
        let pages = linked.remove(&exercise.name).unwrap_or_default();
        match pages.as_slice() {
            [] => report.problems.push(format!(
                "exercise `{}` is linked from no lesson: add `{{{{#exercise {}}}}}` to book/src/{}",
                exercise.name,
                exercise.name,
                exercise.lesson.display()
            )),
            [page] if *page == exercise.lesson => {}
            [page] => report.problems.push(format!(
                "exercise `{}` is linked from book/src/{}, but its metadata names book/src/{}",
                exercise.name,
                page.display(),
                exercise.lesson.display()
            )),
            many => report.problems.push(format!(
                "exercise `{}` is linked from {} pages ({}); it must be exactly one",
                exercise.name,
                many.len(),
                many.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
            )),
        }
    }
    for (name, pages) in linked {
        let suggestion = catalog
            .get(&name)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        for page in pages {
            report
                .problems
                .push(format!("book/src/{}: {suggestion}", page.display()));
        }
    }
    let mut ids: BTreeMap<String, PathBuf> = BTreeMap::new();
    for path in files_ending_with(&src, ".quiz.toml")? {
        let shown = workspace.relative(&path).to_path_buf();
        let stem = path
            .to_string_lossy()
            .trim_end_matches(".quiz.toml")
            .to_owned();
        if !Path::new(&format!("{stem}.md")).is_file() {
            report.problems.push(format!(
                "{}: cards belong beside their lesson, but {stem}.md does not exist",
                shown.display()
            ));
        }
        match quiz::load_deck(&path) {
            Ok(deck) => {
                for card in deck.cards {
                    if let Some(first) = ids.insert(card.id.clone(), shown.clone()) {
                        report.problems.push(format!(
                            "{}: card id `{}` is already used in {}",
                            shown.display(),
                            card.id,
                            first.display()
                        ));
                    }
                }
            }
            Err(error) => report.problems.push(format!("{error:#}")),
        }
    }
    Ok(())
}

fn check_book(workspace: &Workspace, report: &mut Report) -> anyhow::Result<()> {
    // Every journal page must be shown in the book, where its links are checked.
    let journal = workspace.journal_dir();
    if journal.is_dir() {
        for entry in fs::read_dir(&journal)? {
            let path = entry?.path();
            let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
                continue;
            };
            if !name.ends_with(".md") || name == "README.md" {
                continue;
            }
            // Shown in the book means: a wrapper page that includes this very
            // file, listed in SUMMARY.md (where its links are then checked).
            let include = format!("{{{{#include ../../../journal/{name}}}}}");
            let wrapper = workspace.book_src().join("journal").join(name);
            let wraps = fs::read_to_string(&wrapper).is_ok_and(|t| t.contains(&include));
            let summary = fs::read_to_string(workspace.book_src().join("SUMMARY.md"))
                .unwrap_or_default();
            let listed = summary.contains(&format!("(journal/{name})"));
            if !wraps || !listed {
                report.problems.push(format!(
                    "journal/{name} is not in the book: book/src/journal/{name} must contain `{include}`, and SUMMARY.md must list `journal/{name}`"
                ));
            }
        }
    }
    let dest = workspace.state_dir().join("verify-book");
    let _ = fs::remove_dir_all(&dest);
    if let Err(error) = book::build(workspace, &dest, Solutions::Folded) {
        report.problems.push(format!("{error:#}"));
        return Ok(());
    }
    for broken in book::check_links(
        &dest
            .join("html")
            .canonicalize()
            .or_else(|_| dest.canonicalize())?,
    )? {
        let link = if broken.href.is_empty() {
            String::new()
        } else {
            format!(" link `{}`:", broken.href)
        };
        report.problems.push(format!(
            "book: {}:{link} {}",
            broken.page.display(),
            broken.problem
        ));
    }
    Ok(())
}

/// Where the loom and sanitizer builds go: their compiler flags differ from
/// the normal build's, and sharing a target folder would rebuild everything
/// each time one ran.
fn target_dir(workspace: &Workspace, kind: &str) -> PathBuf {
    let base = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace.root().join("target"));
    base.join(kind)
}

/// The solution's loom models (`--test loom`, under `--cfg loom`) must pass,
/// and must fail with `--features broken`: a model that cannot fail proves
/// nothing. Bounded by `LOOM_MAX_PREEMPTIONS=3`, as loom's authors advise.
fn check_loom(
    workspace: &Workspace,
    exercise: &Exercise,
    report: &mut Report,
) -> anyhow::Result<()> {
    let package = exercise.solution_package();
    let run = |broken: bool| {
        let mut command = cargo::cargo();
        command
            .args([
                "test",
                "--color",
                "never",
                "--release",
                "-p",
                &package,
                "--test",
                "loom",
            ])
            .env("RUSTFLAGS", "--cfg loom")
            .env("LOOM_MAX_PREEMPTIONS", "3")
            .env("CARGO_TARGET_DIR", target_dir(workspace, "loom"));
        if broken {
            command.args(["--features", "broken"]);
        }
        cargo::run_tests(workspace.root(), command, Duration::from_secs(900))
    };
    let started = Instant::now();
    let good = run(false)?;
    let models = started.elapsed();
    let broken_started = Instant::now();
    let broken = run(true)?;
    report.notes.push(format!(
        "loom `{package}`: {} model(s) passed in {:.1} s; the broken variant took {:.1} s",
        good.passed.len(),
        models.as_secs_f64(),
        broken_started.elapsed().as_secs_f64()
    ));
    if good.outcome != Outcome::Passed || good.passed.is_empty() {
        report.problems.push(format!(
            "the loom models of `{package}` must pass (and exist):\n{}",
            good.summary(&package, 3)
        ));
    }
    if broken.outcome != Outcome::Failed {
        report.problems.push(format!(
            "the loom models of `{package}` must fail with `--features broken` (src/broken.rs): \
             a model that cannot fail proves nothing. Got:\n{}",
            broken.summary(&package, 3)
        ));
    }
    Ok(())
}

/// The nightly toolchain's sysroot, with rust-src when `needs_src` (added if
/// missing); `None`, with a note saying what `what` skipped and how to get
/// it, when the machine has no nightly.
fn nightly_sysroot(what: &str, needs_src: bool, report: &mut Report) -> Option<PathBuf> {
    let nightly = Command::new("rustup")
        .args(["run", "nightly", "rustc", "--print", "sysroot"])
        .output();
    let sysroot = match nightly {
        Ok(output) if output.status.success() => {
            PathBuf::from(String::from_utf8_lossy(&output.stdout).trim())
        }
        _ => {
            report.notes.push(format!(
                "{what} skipped: no nightly toolchain (rustup toolchain install nightly --component rust-src)"
            ));
            return None;
        }
    };
    let src = sysroot.join("lib/rustlib/src/rust/library");
    if needs_src && !src.is_dir() {
        let _ = Command::new("rustup")
            .args(["component", "add", "rust-src", "--toolchain", "nightly"])
            .output();
        if !src.is_dir() {
            report.notes.push(format!(
                "{what} skipped: nightly has no rust-src (rustup component add rust-src --toolchain nightly)"
            ));
            return None;
        }
    }
    Some(sysroot)
}

/// The coverage instrumentation cargo-fuzz passes to rustc for libFuzzer,
/// plus AddressSanitizer, which turns an out-of-bounds read or a use after
/// free into a crash the fuzzer reports. Rust's own checks make most bugs
/// panics already; the sanitizer catches the rest. No `-Zbuild-std`: ASan
/// does not need an instrumented std (toolchain notes).
const FUZZ_RUSTFLAGS: &str = "--cfg fuzzing -Cpasses=sancov-module \
    -Cllvm-args=-sanitizer-coverage-level=4 \
    -Cllvm-args=-sanitizer-coverage-inline-8bit-counters \
    -Cllvm-args=-sanitizer-coverage-pc-table \
    -Cllvm-args=-sanitizer-coverage-trace-compares -Zsanitizer=address";

/// Inputs per fuzz target: enough to reach the decoder's every branch in a
/// few seconds, few enough for CI. `WORKBOOK_FUZZ_RUNS` overrides it.
const FUZZ_RUNS: u64 = 500_000;

/// Builds the solution's fuzz targets (`solutions/<ex>/fuzz`, package
/// `<ex>-fuzz`) with libFuzzer's instrumentation and runs each for a fixed
/// number of inputs from a fixed seed, starting from a copy of its seed
/// corpus (libFuzzer writes new inputs into its corpus folder, and the
/// repository's must not change). A crash is a problem, with the input
/// saved where the report says. This is what `cargo fuzz run` does, without
/// needing cargo-fuzz installed.
fn check_fuzz(
    workspace: &Workspace,
    exercise: &Exercise,
    report: &mut Report,
) -> anyhow::Result<()> {
    let package = format!("{}-fuzz", exercise.name);
    let dir = workspace
        .root()
        .join("solutions")
        .join(&exercise.name)
        .join("fuzz");
    let what = format!("fuzzing `{package}`");
    if nightly_sysroot(&what, false, report).is_none() {
        return Ok(());
    }
    let targets: Vec<String> = match fs::read_dir(dir.join("fuzz_targets")) {
        Ok(entries) => {
            let mut names: Vec<String> = entries
                .filter_map(Result::ok)
                .filter_map(|e| {
                    let name = e.file_name().to_string_lossy().into_owned();
                    name.strip_suffix(".rs").map(str::to_owned)
                })
                .collect();
            names.sort();
            names
        }
        Err(_) => Vec::new(),
    };
    if targets.is_empty() {
        report.problems.push(format!(
            "{}: declares the fuzz check but has no fuzz_targets/*.rs",
            dir.display()
        ));
        return Ok(());
    }
    let base = target_dir(workspace, "fuzz");
    let triple = "x86_64-unknown-linux-gnu";
    let started = Instant::now();
    let build = Command::new("rustup")
        .args([
            "run",
            "nightly",
            "cargo",
            "build",
            "--release",
            "--color",
            "never",
        ])
        .args(["-p", &package, "--bins", "--target", triple])
        .env("RUSTFLAGS", FUZZ_RUSTFLAGS)
        .env("CARGO_TARGET_DIR", &base)
        .current_dir(workspace.root())
        .stdin(Stdio::null())
        .output()
        .context("running nightly cargo build for the fuzz targets")?;
    if !build.status.success() {
        let stderr = String::from_utf8_lossy(&build.stderr);
        let tail: Vec<&str> = stderr.lines().rev().take(15).collect();
        report.problems.push(format!(
            "`{package}` does not build for fuzzing:\n{}",
            tail.into_iter().rev().collect::<Vec<_>>().join("\n")
        ));
        return Ok(());
    }
    let built = started.elapsed();
    let runs = std::env::var("WORKBOOK_FUZZ_RUNS")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
        .unwrap_or(FUZZ_RUNS);
    for target in targets {
        let corpus = base.join("corpus").join(&package).join(&target);
        let _ = fs::remove_dir_all(&corpus);
        fs::create_dir_all(&corpus)
            .with_context(|| format!("creating {}", corpus.display()))?;
        if let Ok(seeds) = fs::read_dir(dir.join("corpus").join(&target)) {
            for seed in seeds.filter_map(Result::ok) {
                let _ = fs::copy(seed.path(), corpus.join(seed.file_name()));
            }
        }
        let artifacts = base.join("artifacts").join(&package).join(&target);
        fs::create_dir_all(&artifacts)
            .with_context(|| format!("creating {}", artifacts.display()))?;
        let binary = base.join(triple).join("release").join(&target);
        let run_started = Instant::now();
        let run = Command::new(&binary)
            .arg(format!("-runs={runs}"))
            .args(["-seed=1", "-max_total_time=300", "-print_final_stats=1"])
            .arg(format!("-artifact_prefix={}/", artifacts.display()))
            .arg(&corpus)
            .stdin(Stdio::null())
            .output()
            .with_context(|| format!("running {}", binary.display()))?;
        let log = String::from_utf8_lossy(&run.stderr);
        let execs = log
            .lines()
            .find_map(|l| l.strip_prefix("stat::number_of_executed_units:"))
            .map_or("?".to_owned(), |n| n.trim().to_owned());
        report.notes.push(format!(
            "fuzz `{package}/{target}`: {execs} inputs in {:.1} s (build {:.1} s)",
            run_started.elapsed().as_secs_f64(),
            built.as_secs_f64()
        ));
        if !run.status.success() {
            let tail: Vec<&str> = log.lines().rev().take(25).collect();
            report.problems.push(format!(
                "fuzz target `{package}/{target}` crashed (input saved in {}):\n{}",
                artifacts.display(),
                tail.into_iter().rev().collect::<Vec<_>>().join("\n")
            ));
        }
    }
    Ok(())
}

/// The solution's tests under ThreadSanitizer: nightly, `-Zbuild-std` (TSan
/// reports false races against an uninstrumented std) and the same flag for
/// rustdoc (or the doctests fail to link). Without a nightly toolchain the
/// run is skipped with a note: the machine cannot do it, and every other
/// check still runs.
fn check_tsan(
    workspace: &Workspace,
    exercise: &Exercise,
    report: &mut Report,
) -> anyhow::Result<()> {
    let package = exercise.solution_package();
    let what = format!("ThreadSanitizer run of `{package}`");
    if nightly_sysroot(&what, true, report).is_none() {
        return Ok(());
    }
    let mut command = Command::new("rustup");
    command
        .args([
            "run",
            "nightly",
            "cargo",
            "test",
            "--color",
            "never",
            "-Zbuild-std",
        ])
        .args([
            "--target",
            "x86_64-unknown-linux-gnu",
            "-p",
            &package,
            "--lib",
            "--tests",
        ])
        .env("RUSTFLAGS", "-Zsanitizer=thread")
        .env("RUSTDOCFLAGS", "-Zsanitizer=thread")
        .env("CARGO_TARGET_DIR", target_dir(workspace, "tsan"));
    let started = Instant::now();
    let run = cargo::run_tests(workspace.root(), command, Duration::from_secs(1200))?;
    report.notes.push(format!(
        "ThreadSanitizer `{package}`: {} test(s) in {:.1} s",
        run.passed.len(),
        started.elapsed().as_secs_f64()
    ));
    if run.outcome != Outcome::Passed {
        report.problems.push(format!(
            "`{package}` under ThreadSanitizer:\n{}\n{}",
            run.summary(&package, 3),
            run.compile_errors
                .lines()
                .filter(|l| l.contains("ThreadSanitizer"))
                .take(10)
                .collect::<Vec<_>>()
                .join("\n")
        ));
    }
    Ok(())
}

/// Compiles and runs every tracing card's program: a card that states the
/// wrong output would teach the wrong thing with authority.
fn check_tracing_cards(workspace: &Workspace, report: &mut Report) -> anyhow::Result<()> {
    let scratch = workspace.state_dir().join("tracing-cards");
    for path in files_ending_with(&workspace.book_src(), ".quiz.toml")? {
        let Ok(deck) = quiz::load_deck(&path) else {
            continue; // reported by the deck check
        };
        for card in &deck.cards {
            if let Err(problem) = quiz::check_tracing(card, &scratch)? {
                report.problems.push(format!(
                    "{}: tracing card `{}`: {problem}",
                    workspace.relative(&path).display(),
                    card.id
                ));
            }
        }
    }
    Ok(())
}

fn check_stub_fails(
    workspace: &Workspace,
    exercise: &Exercise,
    report: &mut Report,
) -> anyhow::Result<()> {
    let run = cargo::test_package(workspace.root(), &exercise.name)?;
    match run.outcome {
        Outcome::CompileError => {
            report.problems.push(format!(
                "exercise `{}` does not compile untouched:\n{}",
                exercise.name, run.compile_errors
            ));
        }
        Outcome::Crashed | Outcome::TimedOut => {
            report.problems.push(format!(
                "exercise `{}`: its stub's tests must fail cleanly, with a message:\n{}",
                exercise.name,
                run.summary(&exercise.name, 5)
            ));
        }
        Outcome::Passed | Outcome::Failed => {
            if run.passed.is_empty() && run.failed.is_empty() {
                report
                    .problems
                    .push(format!("exercise `{}` has no test", exercise.name));
            }
            for test in &run.passed {
                if !exercise.allow_passing.iter().any(|a| &a.test == test) {
                    report.problems.push(format!(
                        "exercise `{}`: test `{test}` passes on the untouched stub, so it teaches nothing \
                         (make it fail, or list it in allow_passing with a reason)",
                        exercise.name
                    ));
                }
            }
        }
    }
    Ok(())
}

/// The package names of the workspace's members, from `cargo metadata`.
fn workspace_packages(workspace: &Workspace) -> anyhow::Result<Vec<String>> {
    let output = cargo::cargo()
        .current_dir(workspace.root())
        .args(["metadata", "--no-deps", "--format-version", "1"])
        .stdin(Stdio::null())
        .output()
        .context("running cargo metadata")?;
    anyhow::ensure!(
        output.status.success(),
        "cargo metadata failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let metadata: serde_json::Value =
        serde_json::from_slice(&output.stdout).context("reading cargo metadata")?;
    let names = metadata["packages"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| p["name"].as_str().map(str::to_owned))
        .collect();
    Ok(names)
}

fn run_cargo(
    workspace: &Workspace,
    args: &[&str],
    report: &mut Report,
) -> anyhow::Result<()> {
    let output = cargo::cargo()
        .current_dir(workspace.root())
        .args(args)
        .stdin(Stdio::null())
        .output()
        .with_context(|| format!("running cargo {}", args.join(" ")))?;
    if !output.status.success() {
        let mut text = String::from_utf8_lossy(&output.stdout).into_owned();
        text.push_str(&String::from_utf8_lossy(&output.stderr));
        let lines: Vec<&str> = text.lines().take(60).collect();
        report.problems.push(format!(
            "`cargo {}` failed:\n{}",
            args.join(" "),
            lines.join("\n")
        ));
    }
    Ok(())
}

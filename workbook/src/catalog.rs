//! The exercises, as their metadata describes them.
//!
//! Each exercise keeps what the runner needs to know about it in one place:
//! the `[package.metadata.workbook]` table of its own `Cargo.toml`. Cargo
//! ignores that table, rust-analyzer shows it beside the dependencies, and a
//! new exercise is one folder, with no central list to forget to update.
//! (The rejected alternative, a central `info.toml` like rustlings', drifts
//! from the workspace unless something checks it, and that something would
//! have to read every `Cargo.toml` anyway.)

use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use serde::Deserialize;

use crate::workspace::Workspace;

/// A day of the curriculum. Months have 28 days and weeks 7, so Day 137 is
/// Month 5, Week 4.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(try_from = "u32")]
pub struct Day(u32);

impl Day {
    /// The last day of the curriculum (six months).
    pub const LAST: u32 = 168;

    /// Day `number`, if it is within the curriculum (1 to 168).
    ///
    /// # Errors
    ///
    /// If `number` is 0 or past the last day.
    pub fn new(number: u32) -> Result<Self, String> {
        if (1..=Self::LAST).contains(&number) {
            Ok(Self(number))
        } else {
            Err(format!(
                "day must be between 1 and {}, got {number}",
                Self::LAST
            ))
        }
    }

    /// The day's number.
    pub fn number(self) -> u32 {
        self.0
    }

    /// The month, from 1.
    pub fn month(self) -> u32 {
        (self.0 - 1) / 28 + 1
    }

    /// The week within the month, 1 to 4.
    pub fn week(self) -> u32 {
        (self.0 - 1) % 28 / 7 + 1
    }
}

impl TryFrom<u32> for Day {
    type Error = String;

    fn try_from(number: u32) -> Result<Self, String> {
        Self::new(number)
    }
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Day {}", self.0)
    }
}

/// A check beyond `cargo test` that an exercise's solution must pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Check {
    /// loom models (`RUSTFLAGS="--cfg loom"`).
    Loom,
    /// The tests under ThreadSanitizer (nightly).
    Tsan,
    /// The tests need `redis-server` on the PATH.
    Redis,
    /// The solution has a libFuzzer target in `fuzz/` (package
    /// `<exercise>-fuzz`, one `[[bin]]` per target), run for a fixed
    /// number of inputs under AddressSanitizer (nightly).
    Fuzz,
}

impl Check {
    /// What the check does, for the lesson's exercise box.
    pub fn describe(self) -> &'static str {
        match self {
            Check::Loom => "loom models, which explore every interleaving of its threads",
            Check::Tsan => "ThreadSanitizer (nightly), which reports data races",
            Check::Redis => "a real `redis-server` that its tests start on a free port",
            Check::Fuzz => {
                "a fuzz target (libFuzzer with AddressSanitizer, nightly) fed generated inputs"
            }
        }
    }
}

/// A test allowed to pass on the untouched stub, with the reason.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AllowPassing {
    /// The test's full name, as `cargo test` prints it.
    pub test: String,
    /// Why it is right for this test to pass before any work.
    pub reason: String,
}

/// The `[package.metadata.workbook]` table.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Metadata {
    day: Day,
    title: String,
    lesson: PathBuf,
    example: String,
    #[serde(default)]
    checks: Vec<Check>,
    hint: String,
    #[serde(default)]
    allow_passing: Vec<AllowPassing>,
}

#[derive(Debug, Deserialize)]
struct Manifest {
    package: Package,
}

#[derive(Debug, Deserialize)]
struct Package {
    name: String,
    #[serde(default)]
    metadata: Option<PackageMetadata>,
}

#[derive(Debug, Deserialize)]
struct PackageMetadata {
    workbook: Option<Metadata>,
}

/// One exercise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exercise {
    /// The package name, which is also its folder name.
    pub name: String,
    /// `exercises/<name>`.
    pub dir: PathBuf,
    /// The day of the curriculum it belongs to.
    pub day: Day,
    /// A short title, as in the lesson's heading.
    pub title: String,
    /// The lesson page, relative to `book/src`.
    pub lesson: PathBuf,
    /// The example package that shows the concept running.
    pub example: String,
    /// Extra checks for its solution.
    pub checks: Vec<Check>,
    /// The hint `cargo workbook hint` prints.
    pub hint: String,
    /// Tests allowed to pass on the stub.
    pub allow_passing: Vec<AllowPassing>,
}

impl Exercise {
    /// The reference solution's package name.
    pub fn solution_package(&self) -> String {
        format!("{}-solution", self.name)
    }

    /// The command a learner runs.
    pub fn test_command(&self) -> String {
        format!("cargo test -p {}", self.name)
    }
}

/// Every exercise and example of the workbook, exercises in curriculum
/// order (by day, then name).
#[derive(Debug, Clone)]
pub struct Catalog {
    exercises: Vec<Exercise>,
    examples: Vec<String>,
}

/// An exercise name that does not exist.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("no exercise is named `{name}`{}", suggestion.as_ref().map(|s| format!("; did you mean `{s}`?")).unwrap_or_default())]
pub struct UnknownExercise {
    /// The name asked for.
    pub name: String,
    /// The closest existing name, if one is close.
    pub suggestion: Option<String>,
}

impl Catalog {
    /// Reads every `exercises/*/Cargo.toml` and lists `examples/*`.
    ///
    /// # Errors
    ///
    /// If a manifest cannot be read or parsed, or its metadata is missing or
    /// wrong; the error names the file and the field.
    pub fn load(workspace: &Workspace) -> anyhow::Result<Self> {
        let mut exercises = Vec::new();
        for dir in subdirectories(&workspace.exercises_dir())? {
            exercises.push(load_exercise(workspace, &dir)?);
        }
        exercises.sort_by(|a, b| (a.day, &a.name).cmp(&(b.day, &b.name)));
        let examples = subdirectories(&workspace.examples_dir())?
            .iter()
            .filter_map(|dir| dir.file_name()?.to_str().map(str::to_owned))
            .collect();
        Ok(Self {
            exercises,
            examples,
        })
    }

    /// Every exercise, in curriculum order.
    pub fn exercises(&self) -> &[Exercise] {
        &self.exercises
    }

    /// Every example's package name, sorted.
    pub fn examples(&self) -> &[String] {
        &self.examples
    }

    /// The exercise called `name`.
    ///
    /// # Errors
    ///
    /// [`UnknownExercise`], with the closest name as a suggestion.
    pub fn get(&self, name: &str) -> Result<&Exercise, UnknownExercise> {
        self.exercises
            .iter()
            .find(|e| e.name == name)
            .ok_or_else(|| UnknownExercise {
                name: name.to_owned(),
                suggestion: crate::suggest::closest(
                    name,
                    self.exercises.iter().map(|e| e.name.as_str()),
                )
                .map(str::to_owned),
            })
    }

    /// The exercise whose lesson page is `lesson` (relative to `book/src`).
    pub fn by_lesson(&self, lesson: &Path) -> Option<&Exercise> {
        self.exercises.iter().find(|e| e.lesson == lesson)
    }
}

fn subdirectories(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    if !dir.exists() {
        return Ok(Vec::new());
    }
    let mut dirs = Vec::new();
    for entry in
        fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))?
    {
        let path = entry?.path();
        if path.join("Cargo.toml").is_file() {
            dirs.push(path);
        }
    }
    dirs.sort();
    Ok(dirs)
}

fn load_exercise(workspace: &Workspace, dir: &Path) -> anyhow::Result<Exercise> {
    let manifest_path = dir.join("Cargo.toml");
    let shown = workspace.relative(&manifest_path).display().to_string();
    let text =
        fs::read_to_string(&manifest_path).with_context(|| format!("reading {shown}"))?;
    let manifest: Manifest = toml::from_str(&text)
        .with_context(|| format!("{shown}: not a valid Cargo.toml"))?;
    let folder = dir.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    if manifest.package.name != folder {
        bail!(
            "{shown}: package.name is `{}`, but an exercise's package is named after its folder (`{folder}`)",
            manifest.package.name
        );
    }
    let Some(metadata) = manifest.package.metadata.and_then(|m| m.workbook) else {
        bail!(
            "{shown}: missing the [package.metadata.workbook] table (day, title, lesson, example, hint)"
        );
    };
    if metadata.title.trim().is_empty() {
        bail!("{shown}: package.metadata.workbook.title is empty");
    }
    if metadata.hint.trim().is_empty() {
        bail!("{shown}: package.metadata.workbook.hint is empty");
    }
    let plain = |path: &Path| {
        path.components()
            .all(|c| matches!(c, std::path::Component::Normal(_)))
    };
    if !plain(&metadata.lesson) || metadata.lesson.extension().is_none_or(|e| e != "md") {
        bail!(
            "{shown}: package.metadata.workbook.lesson must be a .md page inside book/src, written \
             without `..` or a leading `/`; found `{}`",
            metadata.lesson.display()
        );
    }
    if !metadata
        .example
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        bail!(
            "{shown}: package.metadata.workbook.example must be a package name under examples/, found `{}`",
            metadata.example
        );
    }
    let lesson_path = workspace.book_src().join(&metadata.lesson);
    if !lesson_path.is_file() {
        bail!(
            "{shown}: package.metadata.workbook.lesson: {} does not exist (the path is relative to book/src)",
            workspace.relative(&lesson_path).display()
        );
    }
    if !workspace
        .examples_dir()
        .join(&metadata.example)
        .join("Cargo.toml")
        .is_file()
    {
        bail!(
            "{shown}: package.metadata.workbook.example: there is no examples/{}/Cargo.toml",
            metadata.example
        );
    }
    Ok(Exercise {
        name: folder.to_owned(),
        dir: dir.to_path_buf(),
        day: metadata.day,
        title: metadata.title,
        lesson: metadata.lesson,
        example: metadata.example,
        checks: metadata.checks,
        hint: metadata.hint.trim().to_owned(),
        allow_passing: metadata.allow_passing,
    })
}

#[cfg(test)]
mod tests {
    use super::Day;

    #[test]
    fn days_map_to_their_month_and_week() {
        let day = |n| Day::new(n).unwrap();
        assert_eq!((day(137).month(), day(137).week()), (5, 4));
        assert_eq!((day(57).month(), day(57).week()), (3, 1));
        assert_eq!((day(84).month(), day(84).week()), (3, 4));
        assert_eq!((day(113).month(), day(113).week()), (5, 1));
        assert_eq!((day(134).month(), day(134).week()), (5, 4));
    }

    #[test]
    fn days_outside_the_curriculum_are_refused() {
        assert!(Day::new(0).is_err());
        assert!(Day::new(169).is_err());
    }
}

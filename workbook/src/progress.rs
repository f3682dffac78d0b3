//! The learner's progress: `progress.txt` at the workbook's root.
//!
//! A text file rather than a database (as `wr` uses) or a hidden JSON state
//! (as rustlings does): one solved exercise a line, with the date it first
//! passed, so the learner can read it, commit it, and carry it to another
//! machine with the rest of their work.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

const HEADER: &str = "\
# Your progress in the workbook: one solved exercise a line, with the date its
# tests first passed. `cargo workbook` writes this file; you may commit it.
";

/// The solved exercises and when each was solved.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Progress {
    path: PathBuf,
    solved: BTreeMap<String, String>,
}

impl Progress {
    /// Reads `path`; a missing file is an empty progress.
    ///
    /// # Errors
    ///
    /// If the file cannot be read, or a line is not `<exercise> <YYYY-MM-DD>`
    /// (the error names the file and the line).
    pub fn load(path: &Path) -> anyhow::Result<Self> {
        let mut progress = Self {
            path: path.to_path_buf(),
            solved: BTreeMap::new(),
        };
        if !path.exists() {
            return Ok(progress);
        }
        let text = fs::read_to_string(path)
            .with_context(|| format!("reading {}", path.display()))?;
        for (index, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let mut words = line.split_whitespace();
            match (words.next(), words.next(), words.next()) {
                (Some(name), Some(date), None) if crate::date::is_date(date) => {
                    // The first date is kept: it is when the exercise was solved.
                    progress
                        .solved
                        .entry(name.to_owned())
                        .or_insert_with(|| date.to_owned());
                }
                _ => bail!(
                    "{}:{}: expected `<exercise> <YYYY-MM-DD>`, found `{line}`",
                    path.display(),
                    index + 1
                ),
            }
        }
        Ok(progress)
    }

    /// The date `exercise` was solved, if it was.
    pub fn solved_on(&self, exercise: &str) -> Option<&str> {
        self.solved.get(exercise).map(String::as_str)
    }

    /// Whether `exercise` is solved.
    pub fn is_solved(&self, exercise: &str) -> bool {
        self.solved.contains_key(exercise)
    }

    /// Every solved exercise's name, sorted, including names the workbook no
    /// longer has (kept, never deleted: they may come back).
    pub fn solved_names(&self) -> impl Iterator<Item = &str> {
        self.solved.keys().map(String::as_str)
    }

    /// Records `exercise` as solved today and saves the file. Returns `false`
    /// if it was already solved (the first date is kept).
    ///
    /// # Errors
    ///
    /// If the file cannot be written.
    pub fn mark_solved(&mut self, exercise: &str) -> anyhow::Result<bool> {
        if self.solved.contains_key(exercise) {
            return Ok(false);
        }
        self.solved
            .insert(exercise.to_owned(), crate::date::today());
        self.save()?;
        Ok(true)
    }

    /// Forgets that `exercise` was solved (after a reset) and saves the file.
    ///
    /// # Errors
    ///
    /// If the file cannot be written.
    pub fn forget(&mut self, exercise: &str) -> anyhow::Result<()> {
        if self.solved.remove(exercise).is_some() {
            self.save()?;
        }
        Ok(())
    }

    fn save(&self) -> anyhow::Result<()> {
        let mut text = String::from(HEADER);
        for (name, date) in &self.solved {
            text.push_str(&format!("{name} {date}\n"));
        }
        // Write a sibling file, then rename it over the old one: a crash
        // mid-write leaves the old progress, never half a file.
        let temporary = self.path.with_extension("txt.tmp");
        fs::write(&temporary, text)
            .with_context(|| format!("writing {}", temporary.display()))?;
        fs::rename(&temporary, &self.path)
            .with_context(|| format!("writing {}", self.path.display()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir()
            .join(format!("workbook-progress-{}-{name}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        dir.join("progress.txt")
    }

    #[test]
    fn a_missing_file_is_no_progress() {
        let progress = Progress::load(&scratch("missing")).unwrap();
        assert!(!progress.is_solved("backoff"));
    }

    #[test]
    fn solved_exercises_survive_a_reload() {
        let path = scratch("reload");
        let mut progress = Progress::load(&path).unwrap();
        assert!(
            progress.mark_solved("backoff").unwrap(),
            "first time solved"
        );
        assert!(!progress.mark_solved("backoff").unwrap(), "already solved");
        let reloaded = Progress::load(&path).unwrap();
        assert!(reloaded.is_solved("backoff"));
        assert_eq!(reloaded.solved_on("backoff").map(str::len), Some(10));
    }

    #[test]
    fn a_malformed_line_is_reported_with_file_and_line() {
        let path = scratch("malformed");
        fs::write(&path, "# comment\nbackoff 2026-11-22\nmetrics yesterday\n").unwrap();
        let error = Progress::load(&path).unwrap_err().to_string();
        assert!(error.ends_with("progress.txt:3: expected `<exercise> <YYYY-MM-DD>`, found `metrics yesterday`"), "{error}");
    }
}

//! Finding the workbook's root and its folders.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

/// The root of the workbook (the folder with the workspace `Cargo.toml`,
/// `exercises/` and `book/`), and the paths the runner uses inside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Workspace {
    root: PathBuf,
}

impl Workspace {
    /// The workbook that holds the current directory (or `WORKBOOK_ROOT`, if
    /// set): the nearest ancestor with both `Cargo.toml` and `exercises/`.
    ///
    /// # Errors
    ///
    /// If the current directory is not inside a workbook.
    pub fn discover() -> anyhow::Result<Self> {
        if let Some(root) = std::env::var_os("WORKBOOK_ROOT") {
            return Self::at(PathBuf::from(root));
        }
        let cwd = std::env::current_dir().context("reading the current directory")?;
        for dir in cwd.ancestors() {
            if dir.join("Cargo.toml").is_file() && dir.join("exercises").is_dir() {
                return Self::at(dir.to_path_buf());
            }
        }
        bail!(
            "{} is not inside the workbook (no ancestor has both Cargo.toml and exercises/)",
            cwd.display()
        )
    }

    /// The workbook at `root`.
    ///
    /// # Errors
    ///
    /// If `root` has no `exercises/` folder.
    pub fn at(root: PathBuf) -> anyhow::Result<Self> {
        if !root.join("exercises").is_dir() {
            bail!(
                "{} is not a workbook: it has no exercises/ folder",
                root.display()
            );
        }
        Ok(Self { root })
    }

    /// The root folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// `exercises/`: one crate per exercise.
    pub fn exercises_dir(&self) -> PathBuf {
        self.root.join("exercises")
    }

    /// `solutions/`: one crate per exercise, same folder name.
    pub fn solutions_dir(&self) -> PathBuf {
        self.root.join("solutions")
    }

    /// `examples/`: runnable programs.
    pub fn examples_dir(&self) -> PathBuf {
        self.root.join("examples")
    }

    /// `book/`: the mdBook (its sources are in `book/src`).
    pub fn book_dir(&self) -> PathBuf {
        self.root.join("book")
    }

    /// `book/src`.
    pub fn book_src(&self) -> PathBuf {
        self.root.join("book").join("src")
    }

    /// `journal/`: the weekly and monthly reviews.
    pub fn journal_dir(&self) -> PathBuf {
        self.root.join("journal")
    }

    /// `progress.txt`: the learner's solved exercises.
    pub fn progress_file(&self) -> PathBuf {
        self.root.join("progress.txt")
    }

    /// `.workbook/`: backups and scratch files (ignored by git).
    pub fn state_dir(&self) -> PathBuf {
        self.root.join(".workbook")
    }

    /// A path relative to the root, for messages.
    pub fn relative<'a>(&self, path: &'a Path) -> &'a Path {
        path.strip_prefix(&self.root).unwrap_or(path)
    }
}

/// Every file under `dir` whose name ends with `suffix`, recursively, sorted.
///
/// # Errors
///
/// If a folder cannot be read.
pub fn files_ending_with(dir: &Path, suffix: &str) -> anyhow::Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir)
            .with_context(|| format!("reading {}", dir.display()))?
        {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.to_string_lossy().ends_with(suffix) {
                found.push(path);
            }
        }
    }
    found.sort();
    Ok(found)
}

/// `path` with `.` and `..` resolved lexically (without touching the disk).
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

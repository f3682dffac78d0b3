//! `stubs.lock`: the untouched state of every exercise.
//!
//! The runner must know what an exercise looked like before the learner
//! touched it: to restore it (`reset`) and to check that every untouched stub
//! still fails its tests (`verify`) while a learner's solved copy is left
//! alone. The working tree cannot tell (it holds the learner's work), nor can
//! `HEAD` (the learner may have committed their work).
//!
//! So `cargo workbook bless` records each exercise file's git blob id in
//! `stubs.lock`, like `Cargo.lock` records dependencies. A file whose blob id
//! matches is untouched; `reset` gets the original bytes back from git's
//! object store with `git cat-file blob <id>`, which has them however the
//! learner has committed since.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, bail};

use crate::catalog::{Catalog, Exercise};
use crate::workspace::Workspace;

const HEADER: &str = "\
# The untouched files of every exercise, as git blob ids (`git hash-object`).
# Written by `cargo workbook bless`; read by `cargo workbook reset` and `verify`.
# Do not edit by hand.
";

/// The lock file's path.
pub fn lock_path(workspace: &Workspace) -> PathBuf {
    workspace.exercises_dir().join("stubs.lock")
}

/// Exercise name -> (path inside the exercise -> blob id).
pub type Lock = BTreeMap<String, BTreeMap<String, String>>;

/// Reads `stubs.lock`.
///
/// # Errors
///
/// If it is missing or a line is malformed (the error names the line).
pub fn read_lock(workspace: &Workspace) -> anyhow::Result<Lock> {
    let path = lock_path(workspace);
    let text = fs::read_to_string(&path).with_context(|| {
        format!(
            "reading {} (run `cargo workbook bless` to create it)",
            path.display()
        )
    })?;
    let mut lock = Lock::new();
    for (index, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line.split_whitespace().collect();
        let [exercise, file, id] = fields[..] else {
            bail!(
                "{}:{}: expected `<exercise> <file> <blob id>`, found `{line}`",
                path.display(),
                index + 1
            );
        };
        if id.len() != 40 || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
            bail!(
                "{}:{}: `{id}` is not a git blob id (40 hex digits)",
                path.display(),
                index + 1
            );
        }
        lock.entry(exercise.to_owned())
            .or_default()
            .insert(file.to_owned(), id.to_owned());
    }
    Ok(lock)
}

/// Records the current files of every exercise as untouched.
///
/// # Errors
///
/// If a file cannot be read or the lock cannot be written.
pub fn bless(workspace: &Workspace, catalog: &Catalog) -> anyhow::Result<usize> {
    let mut text = String::from(HEADER);
    let mut count = 0;
    for exercise in catalog.exercises() {
        for (file, id) in current_files(exercise)? {
            text.push_str(&format!("{} {file} {id}\n", exercise.name));
            count += 1;
        }
    }
    fs::write(lock_path(workspace), text).context("writing stubs.lock")?;
    Ok(count)
}

/// The files of `exercise` (relative to its folder, `/`-separated) with their
/// blob ids, skipping build output.
///
/// # Errors
///
/// If a file cannot be read.
pub fn current_files(exercise: &Exercise) -> anyhow::Result<BTreeMap<String, String>> {
    let mut files = BTreeMap::new();
    walk(&exercise.dir, &exercise.dir, &mut files)?;
    Ok(files)
}

fn walk(
    base: &Path,
    dir: &Path,
    files: &mut BTreeMap<String, String>,
) -> anyhow::Result<()> {
    let mut entries: Vec<_> = fs::read_dir(dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .collect::<Result<_, _>>()?;
    entries.sort_by_key(fs::DirEntry::file_name);
    for entry in entries {
        let path = entry.path();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name == "target" || name == "proptest-regressions" || name.starts_with('.') {
            continue;
        }
        if path.is_dir() {
            walk(base, &path, files)?;
        } else {
            let bytes =
                fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
            let relative = path.strip_prefix(base).unwrap_or(&path);
            let key = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            files.insert(key, blob_id(&bytes));
        }
    }
    Ok(())
}

/// Git's blob id of `bytes`: SHA-1 of `blob <len>\0` followed by the bytes.
pub fn blob_id(bytes: &[u8]) -> String {
    let mut hasher = sha1_smol::Sha1::new();
    hasher.update(format!("blob {}\0", bytes.len()).as_bytes());
    hasher.update(bytes);
    hasher.digest().to_string()
}

/// How an exercise's files differ from their untouched state.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    /// Files whose content changed.
    pub modified: Vec<String>,
    /// Files of the stub that are gone.
    pub deleted: Vec<String>,
    /// Files the stub did not have.
    pub added: Vec<String>,
}

impl Changes {
    /// Whether the exercise is exactly as blessed.
    pub fn is_untouched(&self) -> bool {
        self.modified.is_empty() && self.deleted.is_empty() && self.added.is_empty()
    }
}

/// Compares `exercise`'s files with `lock`.
///
/// # Errors
///
/// If the exercise is not in the lock, or a file cannot be read.
pub fn changes(lock: &Lock, exercise: &Exercise) -> anyhow::Result<Changes> {
    let Some(recorded) = lock.get(&exercise.name) else {
        bail!(
            "exercises/stubs.lock has no entry for `{}`: run `cargo workbook bless`",
            exercise.name
        );
    };
    let current = current_files(exercise)?;
    let mut changes = Changes::default();
    for (file, id) in recorded {
        match current.get(file) {
            None => changes.deleted.push(file.clone()),
            Some(now) if now != id => changes.modified.push(file.clone()),
            Some(_) => {}
        }
    }
    changes.added = current
        .keys()
        .filter(|file| !recorded.contains_key(*file))
        .cloned()
        .collect();
    Ok(changes)
}

/// Restores `exercise` to its untouched state. Every file that differs is
/// first copied to `.workbook/backups/<exercise>/<timestamp>/`; files the
/// learner added are moved there. Returns the backup folder, or `None` if
/// nothing differed.
///
/// # Errors
///
/// If git cannot give back a blob (no `.git`, or a shallow clone without it),
/// or a file cannot be copied. Nothing is overwritten before every original
/// has been read from git and every backup written.
pub fn reset(
    workspace: &Workspace,
    lock: &Lock,
    exercise: &Exercise,
) -> anyhow::Result<Option<PathBuf>> {
    let changes = changes(lock, exercise)?;
    if changes.is_untouched() {
        return Ok(None);
    }
    let recorded = &lock[&exercise.name];
    // Read every original first: if git cannot give one back, stop before
    // touching anything.
    let mut originals = Vec::new();
    for file in changes.modified.iter().chain(&changes.deleted) {
        originals.push((file.clone(), cat_blob(workspace.root(), &recorded[file])?));
    }
    // A fresh folder per reset, even for two resets in the same second: a
    // backup is never written over another.
    let stamp = crate::date::timestamp();
    let backups = workspace.state_dir().join("backups").join(&exercise.name);
    let mut backup = backups.join(&stamp);
    let mut n = 1;
    while backup.exists() {
        n += 1;
        backup = backups.join(format!("{stamp}-{n}"));
    }
    for file in changes.modified.iter().chain(&changes.added) {
        let target = backup.join(file);
        fs::create_dir_all(target.parent().unwrap_or(&backup))?;
        fs::copy(exercise.dir.join(file), &target)
            .with_context(|| format!("backing up {file} to {}", target.display()))?;
    }
    for (file, bytes) in originals {
        let path = exercise.dir.join(&file);
        fs::create_dir_all(path.parent().unwrap_or(&exercise.dir))?;
        fs::write(&path, bytes)
            .with_context(|| format!("restoring {}", path.display()))?;
    }
    for file in &changes.added {
        fs::remove_file(exercise.dir.join(file))
            .with_context(|| format!("removing {file}"))?;
    }
    Ok(Some(backup))
}

fn cat_blob(root: &Path, id: &str) -> anyhow::Result<Vec<u8>> {
    let output = Command::new("git")
        .current_dir(root)
        .args(["cat-file", "blob", id])
        .output()
        .context("running git (reset restores files from git's object store)")?;
    if !output.status.success() {
        bail!(
            "git has no blob {id}: {} (is this a git clone of the workbook?)",
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    Ok(output.stdout)
}

#[cfg(test)]
mod tests {
    use super::blob_id;

    #[test]
    fn blob_ids_match_git_hash_object() {
        // `printf 'hello\n' | git hash-object --stdin`
        assert_eq!(
            blob_id(b"hello\n"),
            "ce013625030ba8dba906f756967f9e9ca394464a"
        );
        assert_eq!(blob_id(b""), "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391");
    }
}

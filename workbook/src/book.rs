//! Building the book in-process, and checking the built HTML's links.
//!
//! The book is built with mdBook's own library (`mdbook-driver`), so a
//! learner needs no `mdbook` binary: `cargo workbook` is enough. The links
//! are checked by the runner itself on the *built* HTML, fragments included:
//! `mdbook-linkcheck` does not work with mdBook 0.5, and lychee takes minutes
//! to install. Checking the output rather than the Markdown also catches
//! links that only break in rendering (a generated page, a heading id).

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, anyhow};
use mdbook_driver::MDBook;
use scraper::{Html, Selector};

use crate::preprocess::{Solutions, WorkbookPreprocessor};
use crate::workspace::{Workspace, files_ending_with, normalize};

/// Builds the book into `dest`.
///
/// # Errors
///
/// If the book does not load, a preprocessor fails (a bad directive, a
/// missing quiz file) or the renderer fails; the error says which page.
pub fn build(
    workspace: &Workspace,
    dest: &Path,
    solutions: Solutions,
) -> anyhow::Result<()> {
    let mut book = MDBook::load(workspace.book_dir())
        .map_err(|e| anyhow!("loading book/: {e:#}"))?;
    book.config.build.build_dir = dest.to_path_buf();
    // Replaces the `[preprocessor.workbook]` command of book.toml (which runs
    // this same code in a child process) at the same place in the order.
    book.with_preprocessor(WorkbookPreprocessor::new(workspace.clone(), solutions)?);
    book.build()
        .map_err(|e| anyhow!("building the book: {e:#}"))
}

/// A broken link in the built book.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenLink {
    /// The page with the link, relative to the build folder.
    pub page: PathBuf,
    /// The link as written.
    pub href: String,
    /// What is wrong.
    pub problem: String,
}

/// Checks every internal link and fragment of the HTML pages under `dir`.
///
/// # Errors
///
/// If a page cannot be read.
pub fn check_links(dir: &Path) -> anyhow::Result<Vec<BrokenLink>> {
    let pages = files_ending_with(dir, ".html")?;
    let links = Selector::parse("a[href], link[href], script[src], img[src]")
        .expect("valid selector");
    let with_id = Selector::parse("[id], a[name]").expect("valid selector");
    let mut ids: BTreeMap<PathBuf, BTreeSet<String>> = BTreeMap::new();
    let mut found: Vec<(PathBuf, String)> = Vec::new();
    let mut broken = Vec::new();
    for page in &pages {
        let text = fs::read_to_string(page)
            .with_context(|| format!("reading {}", page.display()))?;
        let relative = page.strip_prefix(dir).unwrap_or(page).to_path_buf();
        if text.contains("{{#") {
            broken.push(BrokenLink {
                page: relative.clone(),
                href: String::new(),
                problem: "a `{{#...}}` directive was left unprocessed".to_owned(),
            });
        }
        let html = Html::parse_document(&text);
        let page_ids = ids.entry(page.clone()).or_default();
        for element in html.select(&with_id) {
            for attr in ["id", "name"] {
                if let Some(id) = element.value().attr(attr) {
                    page_ids.insert(id.to_owned());
                }
            }
        }
        // 404.html resolves its links from the site's root (`<base>`), and
        // print.html and toc.html repeat links already checked elsewhere.
        let skip = ["404.html", "print.html", "toc.html"];
        if skip.iter().any(|s| relative == Path::new(s)) {
            continue;
        }
        for element in html.select(&links) {
            let value = element.value();
            if let Some(href) = value.attr("href").or_else(|| value.attr("src")) {
                found.push((page.clone(), href.to_owned()));
            }
        }
    }
    for (page, href) in found {
        if let Some(problem) = problem_with(dir, &page, &href, &mut ids)? {
            broken.push(BrokenLink {
                page: page.strip_prefix(dir).unwrap_or(&page).to_path_buf(),
                href,
                problem,
            });
        }
    }
    Ok(broken)
}

fn problem_with(
    dir: &Path,
    page: &Path,
    href: &str,
    ids: &mut BTreeMap<PathBuf, BTreeSet<String>>,
) -> anyhow::Result<Option<String>> {
    let external = [
        "http://",
        "https://",
        "mailto:",
        "javascript:",
        "data:",
        "//",
    ];
    if href.is_empty() || external.iter().any(|p| href.starts_with(p)) {
        return Ok(None);
    }
    let (path, fragment) = match href.split_once('#') {
        Some((path, fragment)) => (path, Some(fragment)),
        None => (href, None),
    };
    let path = path.split('?').next().unwrap_or_default();
    let target = if path.is_empty() {
        page.to_path_buf()
    } else {
        let base = if path.starts_with('/') {
            dir.to_path_buf()
        } else {
            page.parent().unwrap_or(dir).to_path_buf()
        };
        let mut target =
            normalize(&base.join(percent_decode(path.trim_start_matches('/'))));
        if target.is_dir() {
            target = target.join("index.html");
        }
        target
    };
    if !target.starts_with(dir) {
        return Ok(Some("points outside the book".to_owned()));
    }
    if !target.is_file() {
        return Ok(Some(format!(
            "{} does not exist",
            target.strip_prefix(dir).unwrap_or(&target).display()
        )));
    }
    let Some(fragment) = fragment.filter(|f| !f.is_empty()) else {
        return Ok(None);
    };
    if target.extension().is_none_or(|e| e != "html") {
        return Ok(None);
    }
    if !ids.contains_key(&target) {
        let html = Html::parse_document(&fs::read_to_string(&target)?);
        let selector = Selector::parse("[id]").expect("valid selector");
        let set = html
            .select(&selector)
            .filter_map(|e| e.value().attr("id").map(str::to_owned))
            .collect();
        ids.insert(target.clone(), set);
    }
    let fragment = percent_decode(fragment);
    if ids[&target].contains(&fragment) {
        Ok(None)
    } else {
        Ok(Some(format!(
            "no element with id `{fragment}` in {}",
            target.strip_prefix(dir).unwrap_or(&target).display()
        )))
    }
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
            if let Ok(byte) = u8::from_str_radix(hex, 16) {
                out.push(byte);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(name: &str, pages: &[(&str, &str)]) -> PathBuf {
        let dir = std::env::temp_dir()
            .join(format!("workbook-links-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        for (path, html) in pages {
            let path = dir.join(path);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, html).unwrap();
        }
        dir
    }

    #[test]
    fn good_links_and_fragments_pass() {
        let dir = site(
            "good",
            &[
                (
                    "index.html",
                    r##"<a href="a/b.html#part">b</a><a href="#top">top</a><h1 id="top">x</h1><a href="https://example.com/x">ext</a>"##,
                ),
                (
                    "a/b.html",
                    r#"<h2 id="part">part</h2><a href="../index.html">back</a>"#,
                ),
            ],
        );
        assert_eq!(check_links(&dir).unwrap(), []);
    }

    #[test]
    fn missing_pages_and_fragments_are_reported() {
        let dir = site(
            "bad",
            &[
                (
                    "index.html",
                    r##"<a href="gone.html">x</a><a href="other.html#nope">y</a>"##,
                ),
                ("other.html", "<p>hi</p>"),
            ],
        );
        let broken = check_links(&dir).unwrap();
        let problems: Vec<&str> = broken.iter().map(|b| b.problem.as_str()).collect();
        assert_eq!(
            problems,
            [
                "gone.html does not exist",
                "no element with id `nope` in other.html"
            ]
        );
    }

    #[test]
    fn percent_encoded_paths_are_decoded() {
        assert_eq!(percent_decode("day%20137"), "day 137");
        assert_eq!(percent_decode("100%"), "100%");
    }
}

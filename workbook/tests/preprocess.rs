//! The preprocessor also runs as a command, so a plain `mdbook build book`
//! (mdBook 0.5, through book.toml's `[preprocessor.workbook]`) renders the
//! same book as `cargo workbook`. This drives that command the way mdBook
//! does: `supports <renderer>`, then the book as JSON on stdin.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use mdbook_preprocessor::book::{Book, BookItem};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workbook/ has a parent")
        .to_path_buf()
}

fn preprocessor(args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_workbook"));
    command
        .current_dir(root().join("book"))
        .env("WORKBOOK_ROOT", root())
        .arg("preprocess")
        .args(args);
    command
}

#[test]
fn it_tells_mdbook_it_supports_html() {
    let status = preprocessor(&["supports", "html"])
        .status()
        .expect("the runner starts");
    assert!(status.success(), "`preprocess supports html` must exit 0");
}

#[test]
fn it_renders_the_exercise_box_and_the_generated_pages_over_json() {
    let md = mdbook_driver::MDBook::load(root().join("book")).expect("the book loads");
    let ctx = mdbook_preprocessor::PreprocessorContext::new(
        md.root.clone(),
        md.config.clone(),
        "html".to_owned(),
    );
    let input = serde_json::to_vec(&(&ctx, &md.book)).expect("mdBook's input is JSON");

    let mut child = preprocessor(&[])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("the runner starts");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(&input)
        .expect("the runner reads stdin");
    let output = child.wait_with_output().expect("the runner finishes");
    assert!(
        output.status.success(),
        "preprocess failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let book: Book =
        serde_json::from_slice(&output.stdout).expect("the runner writes a book as JSON");

    let lesson = book
        .chapters()
        .find(|c| {
            c.path.as_deref()
                == Some(Path::new("month-05/week-4/day-137-retries-and-backoff.md"))
        })
        .expect("the Day 137 lesson is in the book");
    assert!(
        lesson.content.contains("class=\"workbook-exercise\""),
        "the exercise box replaces the directive"
    );
    assert!(
        lesson.content.contains("cargo test -p backoff"),
        "the box gives the command"
    );
    assert!(
        !lesson.content.contains("{{#exercise"),
        "no directive is left"
    );
    assert!(
        book.items
            .iter()
            .any(|item| matches!(item, BookItem::PartTitle(title) if title == "Code")),
        "the generated Code part (solutions and examples) is appended"
    );
    assert!(
        book.chapters()
            .any(|c| c.path.as_deref() == Some(Path::new("solutions/backoff.md")))
    );
    assert!(
        book.chapters()
            .any(|c| c.path.as_deref() == Some(Path::new("examples/retry.md")))
    );
}

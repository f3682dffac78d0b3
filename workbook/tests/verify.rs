//! `cargo test` proves every invariant of the workbook by running
//! `cargo workbook verify` in-process: the solutions pass their exercises'
//! tests and clippy and rustfmt, every untouched stub compiles and fails
//! every test, every exercise has exactly one lesson, and the built book has
//! no broken link.
//!
//! It runs `cargo` inside `cargo test`; that works because cargo releases
//! its build lock before it runs test binaries.

use workbook::verify::{self, Options};
use workbook::workspace::Workspace;

#[test]
fn every_invariant_of_the_workbook_holds() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workbook/ has a parent");
    let workspace =
        Workspace::at(root.to_path_buf()).expect("the repository is a workbook");
    // CI (which sets CI=true) also refuses a changed stub; on a learner's
    // machine their own work is skipped with a note instead.
    let strict = std::env::var("CI").is_ok_and(|v| v == "true");
    let mut log = Vec::new();
    let report = verify::run(
        &workspace,
        Options {
            strict,
            cargo: true,
            only: None,
        },
        &mut log,
    )
    .expect("verify runs");
    print!("{}", String::from_utf8_lossy(&log));
    for note in &report.notes {
        println!("note: {note}");
    }
    assert!(
        report.is_ok(),
        "`cargo workbook verify` found {} problem(s):\n\n{}",
        report.problems.len(),
        report.problems.join("\n\n")
    );
}

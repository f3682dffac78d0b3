//! The quiz on a lesson page works in a real browser: headless Chromium
//! (Debian's `chromium` package) opens the Day 137 lesson from the book the
//! runner serves, the page's script answers the first card and grades it,
//! and the grade reaches the runner's review endpoint. A screenshot of the
//! graded card is written to the test's scratch folder (the test prints its
//! path).
//!
//! Without Chromium the test says so and passes, unless
//! `WORKBOOK_REQUIRE_BROWSER=1` (set by `.ci/run`, which installs Chromium),
//! where a missing browser is a failure.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};

use workbook::preprocess::Solutions;
use workbook::serve::BookServer;
use workbook::workspace::Workspace;

fn chromium() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("WORKBOOK_CHROMIUM") {
        return Some(PathBuf::from(path));
    }
    [
        "/usr/bin/chromium",
        "/usr/bin/chromium-browser",
        "/usr/bin/google-chrome",
    ]
    .into_iter()
    .map(PathBuf::from)
    .find(|p| p.exists())
}

fn headless(browser: &Path, profile: &Path) -> Command {
    let mut command = Command::new(browser);
    command.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ]);
    command.arg(format!("--user-data-dir={}", profile.display()));
    command
}

#[test]
fn the_backoff_lessons_quiz_works_in_headless_chromium() {
    let Some(browser) = chromium() else {
        assert!(
            std::env::var("WORKBOOK_REQUIRE_BROWSER").is_err(),
            "WORKBOOK_REQUIRE_BROWSER is set, but no Chromium was found (apt-get install chromium)"
        );
        println!(
            "skipped: no Chromium here (install Debian's `chromium` to run this test)"
        );
        return;
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf();
    let workspace = Workspace::at(root).unwrap();
    let scratch = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("browser-test");
    let _ = std::fs::remove_dir_all(&scratch);
    let site = scratch.join("site");
    workbook::book::build(&workspace, &site, Solutions::Folded).expect("the book builds");

    // The grades go to memory, not to the repository's review log.
    let grades: Arc<Mutex<Vec<(String, String)>>> = Arc::default();
    let sink_grades = Arc::clone(&grades);
    let sink: workbook::serve::ReviewSink = Arc::new(move |card: &str, grade: &str| {
        sink_grades
            .lock()
            .unwrap()
            .push((card.to_owned(), grade.to_owned()));
        Ok(())
    });
    let server =
        BookServer::start_with_reviews(site, 0, Some(sink)).expect("the book is served");
    let page = format!(
        "http://127.0.0.1:{}/month-05/week-4/day-137-retries-and-backoff.html",
        server.port()
    );

    let dom = headless(&browser, &scratch.join("profile-1"))
        .arg("--virtual-time-budget=10000")
        .arg("--dump-dom")
        .arg(format!("{page}?workbook-selftest"))
        .output()
        .expect("chromium runs");
    let dom = String::from_utf8_lossy(&dom.stdout);
    let title = dom
        .split("<title>")
        .nth(1)
        .and_then(|t| t.split("</title>").next())
        .unwrap_or_default();
    assert_eq!(
        title, "selftest: Saved to journal/reviews.log.",
        "the page's script should answer the first card, grade it good and get the runner's OK"
    );
    let grades = grades.lock().unwrap().clone();
    assert_eq!(
        grades.len(),
        1,
        "exactly one grade reached the runner: {grades:?}"
    );
    assert!(
        grades[0].0.starts_with("d137-") && grades[0].1 == "good",
        "{grades:?}"
    );
    assert!(
        dom.contains("class=\"card-input\""),
        "short-answer cards get an answer box"
    );

    let screenshot = scratch.join("day-137-quiz.png");
    let status = headless(&browser, &scratch.join("profile-2"))
        .arg("--window-size=1000,1400")
        .arg(format!("--screenshot={}", screenshot.display()))
        .arg(format!("{page}?workbook-selftest"))
        .status()
        .expect("chromium runs");
    assert!(
        status.success() && screenshot.exists(),
        "a screenshot of the quiz is taken"
    );
    println!("screenshot: {}", screenshot.display());
    server.stop();
}

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
use std::process::{Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

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

/// A fresh Chromium profile in the system's temporary folder.
fn profile(name: &str) -> PathBuf {
    let dir = std::env::temp_dir()
        .join(format!("workbook-chromium-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
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

/// Runs Chromium with a deadline per attempt, retrying until a total budget
/// is spent: headless Chromium here now and then stalls at start-up (for
/// minutes, in a way no flag has cured yet), and a stall must cost a retry,
/// not the whole CI run. A browser that never answers still fails the test.
fn run_with_deadline(make: impl Fn() -> Command, deadline: Duration) -> Output {
    const BUDGET: Duration = Duration::from_secs(240);
    let started = Instant::now();
    let mut attempt = 0;
    while started.elapsed() < BUDGET {
        attempt += 1;
        let mut child = make()
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromium runs");
        let mut stdout = child.stdout.take().expect("piped");
        let reader = std::thread::spawn(move || {
            let mut text = Vec::new();
            let _ = std::io::Read::read_to_end(&mut stdout, &mut text);
            text
        });
        let start = Instant::now();
        loop {
            if let Some(status) = child.try_wait().expect("chromium can be waited for") {
                let stdout = reader.join().unwrap_or_default();
                return Output {
                    status,
                    stdout,
                    stderr: Vec::new(),
                };
            }
            if start.elapsed() > deadline {
                let _ = child.kill();
                let _ = child.wait();
                println!(
                    "chromium missed its {deadline:?} deadline (attempt {attempt}); trying again"
                );
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
    panic!(
        "headless chromium did not finish within {BUDGET:?} ({attempt} attempts of {deadline:?})"
    );
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

    let dom = run_with_deadline(
        || {
            let mut command = headless(&browser, &profile("1"));
            command
                .arg("--virtual-time-budget=10000")
                .arg("--dump-dom")
                .arg(format!("{page}?workbook-selftest"));
            command
        },
        Duration::from_secs(20),
    );
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
    // One grade per page load (a retried load may add another of the same).
    assert!(!grades.is_empty(), "a grade reached the runner");
    assert!(grades.iter().all(|g| *g == grades[0]), "{grades:?}");
    assert!(
        grades[0].0.starts_with("d137-") && grades[0].1 == "good",
        "{grades:?}"
    );
    assert!(
        dom.contains("class=\"card-input\""),
        "short-answer cards get an answer box"
    );

    let screenshot = scratch.join("day-137-quiz.png");
    let status = run_with_deadline(
        || {
            let mut command = headless(&browser, &profile("2"));
            command
                .arg("--window-size=1000,1400")
                .arg(format!("--screenshot={}", screenshot.display()))
                .arg(format!("{page}?workbook-selftest"));
            command
        },
        Duration::from_secs(20),
    )
    .status;
    assert!(
        status.success() && screenshot.exists(),
        "a screenshot of the quiz is taken"
    );
    println!("screenshot: {}", screenshot.display());
    server.stop();
    let _ = std::fs::remove_dir_all(profile("1"));
    let _ = std::fs::remove_dir_all(profile("2"));
}

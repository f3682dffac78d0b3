//! `cargo workbook` end to end, as a learner uses it: it serves the book,
//! notices a saved exercise file, re-runs that exercise's tests, records the
//! exercise as solved, and stops cleanly on Ctrl-C (SIGINT), leaving nothing
//! running. It runs on a scratch workbook with one tiny exercise, on a port
//! the OS picks.

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

/// Kills the runner if the test fails half-way, so no server outlives it.
struct Runner {
    child: Child,
    lines: Receiver<String>,
    seen: Vec<String>,
}

impl Runner {
    fn start(root: &PathBuf) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_workbook"))
            .current_dir(root)
            .env("WORKBOOK_ROOT", root)
            .args(["--port", "0"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the runner starts");
        let stdout = child.stdout.take().expect("stdout is piped");
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Self {
            child,
            lines,
            seen: Vec::new(),
        }
    }

    /// Waits for a line containing `needle` and returns it.
    fn expect_line(&mut self, needle: &str, within: Duration) -> String {
        let deadline = Instant::now() + within;
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    self.seen.push(line.clone());
                    if line.contains(needle) {
                        return line;
                    }
                }
                Err(_) => break,
            }
        }
        panic!(
            "the runner never printed {needle:?}; it printed:\n{}",
            self.seen.join("\n")
        );
    }
}

impl Drop for Runner {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn scratch_workbook() -> PathBuf {
    let root =
        std::env::temp_dir().join(format!("workbook-serve-watch-{}", std::process::id()));
    let _ = fs::remove_dir_all(&root);
    let write = |path: &str, text: &str| {
        let path = root.join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    };
    write(
        "Cargo.toml",
        "[workspace]\nresolver = \"3\"\nmembers = [\"exercises/demo\"]\n",
    );
    write(
        "exercises/demo/Cargo.toml",
        "[package]\nname = \"demo\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n\
         [package.metadata.workbook]\nday = 137\ntitle = \"A demo\"\nlesson = \"lesson.md\"\n\
         example = \"demo-example\"\nhint = \"Return 42.\"\n",
    );
    write(
        "exercises/demo/src/lib.rs",
        "pub fn answer() -> u32 {\n    todo!()\n}\n",
    );
    write(
        "exercises/demo/tests/answer.rs",
        "#[test]\nfn the_answer_is_42() {\n    assert_eq!(demo::answer(), 42);\n}\n",
    );
    write(
        "examples/demo-example/Cargo.toml",
        "[package]\nname = \"demo-example\"\n",
    );
    write("examples/demo-example/src/main.rs", "fn main() {}\n");
    write(
        "solutions/demo/src/lib.rs",
        "pub fn answer() -> u32 {\n    42\n}\n",
    );
    write("book/book.toml", "[book]\ntitle = \"Demo\"\n");
    write(
        "book/src/SUMMARY.md",
        "# Summary\n\n- [A demo](lesson.md)\n",
    );
    write(
        "book/src/lesson.md",
        "# A demo\n\n{{#exercise demo}}\n\n{{#quiz lesson.quiz.toml}}\n",
    );
    write(
        "book/src/lesson.quiz.toml",
        "[[questions]]\nid = \"demo-1\"\ntype = \"ShortAnswer\"\nprompt.prompt = \"The answer?\"\nanswer.answer = \"42\"\n",
    );
    root
}

fn get(port: u16, path: &str) -> String {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("the book is served");
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    response
}

fn post(port: u16, content_type: &str, body: &str) -> String {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("the book is served");
    write!(
        stream,
        "POST /api/reviews HTTP/1.1\r\nHost: localhost\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    response
}

#[test]
fn the_runner_serves_the_book_reruns_tests_on_save_and_stops_on_ctrl_c() {
    let root = scratch_workbook();
    let mut runner = Runner::start(&root);

    let line = runner.expect_line("The book: http://127.0.0.1:", Duration::from_secs(60));
    let port: u16 = line
        .rsplit(':')
        .next()
        .unwrap()
        .trim_end_matches('/')
        .parse()
        .expect("a port");
    let lesson = get(port, "/lesson.html");
    assert!(
        lesson.starts_with("HTTP/1.1 200"),
        "the lesson page is served: {lesson}"
    );
    assert!(
        lesson.contains("cargo test -p demo"),
        "the lesson shows its exercise box"
    );
    runner.expect_line("Next: demo", Duration::from_secs(5));

    // A grade given in the book lands in the review log.
    let saved = post(
        port,
        "application/json",
        r#"{"card":"demo-1","grade":"good"}"#,
    );
    assert!(
        saved.starts_with("HTTP/1.1 201"),
        "a known card's grade is saved: {saved}"
    );
    let log =
        fs::read_to_string(root.join("journal/reviews.log")).expect("the log is created");
    assert!(
        log.lines().any(|l| l.ends_with(" demo-1 good")),
        "the grade is appended: {log}"
    );
    let unknown = post(
        port,
        "application/json",
        r#"{"card":"nope","grade":"good"}"#,
    );
    assert!(
        unknown.starts_with("HTTP/1.1 400")
            && unknown.contains("no card is named `nope`"),
        "{unknown}"
    );
    let form = post(
        port,
        "application/x-www-form-urlencoded",
        "card=demo-1&grade=good",
    );
    assert!(
        form.starts_with("HTTP/1.1 415"),
        "other sites' form posts are refused: {form}"
    );
    runner.expect_line("Watching exercises/", Duration::from_secs(5));

    // The learner saves a solution.
    fs::write(
        root.join("exercises/demo/src/lib.rs"),
        "pub fn answer() -> u32 {\n    42\n}\n",
    )
    .unwrap();
    runner.expect_line("✓ demo: 1/1 tests pass", Duration::from_secs(120));
    runner.expect_line("demo is solved", Duration::from_secs(5));
    let progress =
        fs::read_to_string(root.join("progress.txt")).expect("progress.txt is written");
    assert!(
        progress.lines().any(|l| l.starts_with("demo ")),
        "demo is recorded as solved: {progress}"
    );

    // Ctrl-C.
    let pid = runner.child.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-INT", &pid])
            .status()
            .unwrap()
            .success()
    );
    runner.expect_line("Stopped.", Duration::from_secs(10));
    let status = runner.child.wait().expect("the runner exits");
    assert!(status.success(), "Ctrl-C is a clean exit, got {status}");
    assert!(
        TcpStream::connect(("127.0.0.1", port)).is_err(),
        "the server is gone after Ctrl-C"
    );
    let _ = fs::remove_dir_all(&root);
}

//! Runs the example twice, briefly, and checks the summary and the SVG.

use std::path::Path;
use std::process::Command;

fn run(out: &Path) -> String {
    example_smoke::stdout(
        Command::new(env!("CARGO_BIN_EXE_flamegraph"))
            .arg(out)
            .args(["--millis", "300"]),
    )
}

#[test]
fn the_example_profiles_the_mutex_and_writes_an_svg() {
    let dir = std::env::temp_dir();
    let out = dir.join(format!("day-080-smoke-{}.svg", std::process::id()));
    let first = run(&out);
    for expected in [
        "== 4 threads adding to one mutex counter for 300 ms",
        "sampling CPU time at 99 Hz (SIGPROF)",
        "every add was counted: true",
        "flamegraph written: open it in a browser",
    ] {
        assert!(
            first.contains(expected),
            "expected {expected:?} in:\n{first}"
        );
    }
    let svg = std::fs::read_to_string(&out).expect("the SVG was written");
    assert!(
        svg.starts_with("<?xml") || svg.starts_with("<svg"),
        "the output is an SVG document, starting: {:?}",
        &svg[..svg.len().min(80)]
    );
    assert!(
        svg.contains("hammer"),
        "the worker threads' name is in the graph"
    );
    let second = run(&out);
    assert_eq!(first, second, "two runs print the same summary");
    std::fs::remove_file(&out).expect("removing the SVG");
}

//! A test that never ends must not hang the runner: `cargo workbook` stops
//! the whole test run at its time limit (the test binary included, not only
//! cargo) and says what happened.

use std::fs;
use std::process::Command;
use std::time::Duration;

use workbook::cargo::{Outcome, test_package_within};

#[test]
fn a_test_that_never_ends_is_stopped_at_the_limit_with_nothing_left_running() {
    let root =
        std::env::temp_dir().join(format!("workbook-timeout-{}", std::process::id()));
    let _ = fs::remove_dir_all(&root);
    let write = |path: &str, text: &str| {
        let path = root.join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    };
    // A unique crate name, so the leftover check below finds only ours.
    let name = format!("spin{}", std::process::id());
    write(
        "Cargo.toml",
        &format!("[workspace]\nresolver = \"3\"\nmembers = [\"{name}\"]\n"),
    );
    write(
        &format!("{name}/Cargo.toml"),
        &format!(
            "[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2024\"\n"
        ),
    );
    write(
        &format!("{name}/src/lib.rs"),
        "pub fn spin() -> u64 {\n    let mut n = 0u64;\n    loop {\n        n = std::hint::black_box(n.wrapping_add(1));\n    }\n}\n",
    );
    write(
        &format!("{name}/tests/spin.rs"),
        &format!("#[test]\nfn spins_forever() {{\n    {name}::spin();\n}}\n"),
    );

    let run =
        test_package_within(&root, &name, Duration::from_secs(10)).expect("cargo runs");
    assert_eq!(run.outcome, Outcome::TimedOut, "{}", run.summary(&name, 3));
    assert!(
        run.summary(&name, 3).contains("were stopped"),
        "{}",
        run.summary(&name, 3)
    );
    std::thread::sleep(Duration::from_millis(200));
    // The test binary is named `<crate>-<hash>` (here `spin-<hash>`, from
    // tests/spin.rs): nothing by that name may be left running.
    let processes = Command::new("ps")
        .args(["-eo", "args"])
        .output()
        .expect("ps runs");
    let left: Vec<String> = String::from_utf8_lossy(&processes.stdout)
        .lines()
        .filter(|l| l.contains("/deps/spin-") && l.contains("--format pretty"))
        .map(str::to_owned)
        .collect();
    assert!(
        left.is_empty(),
        "the test binary must be stopped with cargo; still running: {left:?}"
    );
    let _ = fs::remove_dir_all(&root);
}

//! Interoperability: a client that is not tonic calls the skeleton.
//!
//! Python's `grpcio`, with its `grpcio-health-checking` and
//! `grpcio-reflection` packages (what operators' tools are built on), runs
//! `tests/interop/grpc_client.py` against the example binary on a free
//! port: health Check and Watch, reflection v1 (list the services, fetch a
//! service's descriptors, call a unary method built from them, as grpcurl
//! does), then a SIGTERM while the Watch stream is open.
//!
//! The Python interpreter is `$WORKBOOK_PYTHON` (CI installs the packages
//! into a virtualenv and sets it) or `python3`. Without the packages the test
//! prints why and passes, unless `WORKBOOK_REQUIRE_INTEROP` is set (as CI
//! does), when it fails with the command that installs them.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const PACKAGES: &str =
    "grpcio==1.85.1 grpcio-health-checking==1.85.1 grpcio-reflection==1.85.1";

/// The interpreter with grpcio and both packages, or why there is none.
fn python() -> Result<String, String> {
    let python =
        std::env::var("WORKBOOK_PYTHON").unwrap_or_else(|_| "python3".to_owned());
    let probe = Command::new(&python)
        .args([
            "-c",
            "import grpc, grpc_health.v1.health_pb2, grpc_reflection.v1alpha.reflection_pb2",
        ])
        .output();
    match probe {
        Ok(out) if out.status.success() => Ok(python),
        Ok(out) => Err(format!(
            "{python} lacks grpcio or its health/reflection packages ({}); install them with \
             `{python} -m pip install {PACKAGES}` or set WORKBOOK_PYTHON",
            String::from_utf8_lossy(&out.stderr)
                .lines()
                .last()
                .unwrap_or("import failed")
        )),
        Err(e) => Err(format!("{python} cannot be run ({e}); set WORKBOOK_PYTHON")),
    }
}

/// Kills the child on drop, so a failed assertion leaves no server behind.
struct Reaped(Child);

impl Drop for Reaped {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Lines a child prints, on a channel, read by a thread of their own.
fn lines(stream: impl std::io::Read + Send + 'static) -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

/// The next line, or a panic that says what was awaited, what came so far
/// and, when the child has exited, what it wrote on stderr.
fn next_line(
    rx: &mpsc::Receiver<String>,
    what: &str,
    seen: &[String],
    stderr: Option<&mpsc::Receiver<String>>,
) -> String {
    match rx.recv_timeout(Duration::from_secs(30)) {
        Ok(line) => line,
        Err(mpsc::RecvTimeoutError::Timeout) => {
            panic!(
                "waited 30 s for {what}; printed so far:\n{}",
                seen.join("\n")
            )
        }
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            let stderr: Vec<String> =
                stderr.map(|e| e.iter().collect()).unwrap_or_default();
            panic!(
                "the process exited before {what}; it printed:\n{}\nand on stderr:\n{}",
                seen.join("\n"),
                stderr.join("\n")
            )
        }
    }
}

#[test]
fn python_grpcio_checks_health_reflects_and_sees_the_drain() {
    let python = match python() {
        Ok(python) => python,
        Err(why) if std::env::var_os("WORKBOOK_REQUIRE_INTEROP").is_some() => {
            panic!("WORKBOOK_REQUIRE_INTEROP is set but {why}")
        }
        Err(why) => {
            eprintln!("interop test skipped: {why}");
            return;
        }
    };

    let mut server = Reaped(
        Command::new(env!("CARGO_BIN_EXE_skeleton"))
            .args(["--addr", "127.0.0.1:0", "--grace-ms", "2000"])
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the skeleton example starts"),
    );
    let server_out = lines(server.0.stdout.take().expect("piped"));
    let first = next_line(&server_out, "the server's first line", &[], None);
    let address = first
        .strip_prefix("listening on ")
        .unwrap_or_else(|| {
            panic!("the first line should be `listening on <addr>`, got {first:?}")
        })
        .to_owned();

    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/interop/grpc_client.py");
    let mut client = Reaped(
        Command::new(&python)
            .args([script, &address])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("python starts"),
    );
    let client_out = lines(client.0.stdout.take().expect("piped"));
    let client_err = lines(client.0.stderr.take().expect("piped"));

    let mut seen = Vec::new();
    while seen.last().map(String::as_str) != Some("watching") {
        let line = next_line(
            &client_out,
            "the client opened its Watch stream",
            &seen,
            Some(&client_err),
        );
        seen.push(line);
    }
    let text = seen.join("\n");
    assert!(
        text.contains("health '': SERVING"),
        "the server as a whole is SERVING:\n{text}"
    );
    assert!(
        text.contains("grpc.health.v1.Health")
            && text.contains("grpc.reflection.v1.ServerReflection"),
        "reflection v1 lists the health and reflection services:\n{text}"
    );
    assert!(
        text.lines().any(|l| l.starts_with("health ")
            && !l.starts_with("health ''")
            && !l.contains("no.such")
            && l.ends_with(": SERVING")),
        "the service itself is SERVING in health:\n{text}"
    );
    assert!(
        text.contains("health no.such.Service: NOT_FOUND"),
        "an unknown service is NOT_FOUND, as the health protocol says:\n{text}"
    );
    assert!(
        text.contains(r#"called workbook.service_skeleton.v1.Beacon/Echo: {"message": "from python"}"#),
        "Echo, called through descriptors fetched by reflection, echoes the message:\n{text}"
    );

    // SIGTERM with the Watch stream open: the client must see NOT_SERVING,
    // and the server must exit 0 within its grace period.
    let pid = nix::unistd::Pid::from_raw(i32::try_from(server.0.id()).expect("pid fits"));
    let signalled = Instant::now();
    nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGTERM).expect("SIGTERM sent");
    let status = loop {
        if let Some(status) = server.0.try_wait().expect("waiting for the server") {
            break status;
        }
        assert!(
            signalled.elapsed() < Duration::from_secs(10),
            "the server should exit at its 2 s drain deadline after SIGTERM, not 10 s later"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    let took = signalled.elapsed();
    assert!(
        status.success(),
        "the server exits 0 after a drain, got {status}"
    );
    assert!(
        took < Duration::from_secs(5),
        "the open Watch holds the drain until the 2 s deadline, and not much longer: \
         took {took:?}"
    );

    let mut rest = Vec::new();
    while let Ok(line) = client_out.recv_timeout(Duration::from_secs(10)) {
        rest.push(line);
    }
    let rest = rest.join("\n");
    assert!(
        rest.contains("watch: NOT_SERVING"),
        "the Watch stream reports NOT_SERVING on SIGTERM:\n{rest}"
    );
    assert!(
        rest.contains("watch ended"),
        "the Watch stream ends when the server stops:\n{rest}"
    );
}

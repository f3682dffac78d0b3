//! Runs the example binary as an operator would: start it, call it, send
//! SIGTERM while a stream is open, and check that it drains and exits 0
//! within its deadline.
//!
//! Real processes, sockets and time: nothing here can use tokio's paused
//! clock. The bounds are generous (seconds) and only guard against a hang;
//! the exact deadline is asserted by the library's paused-clock tests.

use std::io::{BufRead as _, BufReader, Read as _};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;
use service_skeleton::pb::EchoRequest;
use service_skeleton::pb::TicksRequest;
use service_skeleton::pb::beacon_client::BeaconClient;
use tonic::Code;
use tonic_health::pb::HealthCheckRequest;
use tonic_health::pb::health_client::HealthClient;

/// `grpc.health.v1` `ServingStatus` values, as sent on the wire.
const SERVING: i32 = 1;
const NOT_SERVING: i32 = 2;

/// The grace period the binary is started with.
const GRACE: Duration = Duration::from_millis(500);

/// A running `skeleton`, killed if the test fails before it exits.
struct Skeleton {
    child: Child,
    stdout: BufReader<ChildStdout>,
    addr: String,
}

impl Skeleton {
    fn start(extra: &[&str]) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_skeleton"))
            .args([
                "--addr",
                "127.0.0.1:0",
                "--grace-ms",
                &GRACE.as_millis().to_string(),
            ])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the example starts");
        let mut stdout = BufReader::new(child.stdout.take().expect("piped stdout"));
        let mut first = String::new();
        stdout.read_line(&mut first).expect("the first line");
        let addr = first
            .trim_end()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| {
                panic!("the first line should be `listening on ADDR`, got {first:?}")
            })
            .to_owned();
        Self {
            child,
            stdout,
            addr,
        }
    }

    fn signal(&self, signal: Signal) {
        let pid =
            Pid::from_raw(i32::try_from(self.child.id()).expect("a pid fits an i32"));
        kill(pid, signal).expect("send the signal");
    }

    /// Waits (at most 10 s) for the exit, and gives its code and the rest of
    /// stdout.
    fn wait(&mut self) -> (Option<i32>, String) {
        let deadline = Instant::now() + Duration::from_secs(10);
        let status = loop {
            if let Some(status) = self.child.try_wait().expect("poll the child") {
                break status;
            }
            assert!(
                Instant::now() < deadline,
                "the example did not exit within 10 s"
            );
            std::thread::sleep(Duration::from_millis(10));
        };
        let mut rest = String::new();
        self.stdout
            .read_to_string(&mut rest)
            .expect("the rest of stdout");
        (status.code(), rest)
    }
}

impl Drop for Skeleton {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime")
}

#[test]
fn sigterm_with_streams_open_drains_and_exits_0_at_the_deadline() {
    let mut skeleton = Skeleton::start(&[]);
    let url = format!("http://{}", skeleton.addr);
    let runtime = runtime();
    let (mut ticks, mut watch) = runtime.block_on(async {
        let channel = tonic::transport::Endpoint::from_shared(url)
            .expect("a valid URI")
            .connect()
            .await
            .expect("connect to the example");
        let reply = BeaconClient::new(channel.clone())
            .echo(EchoRequest {
                message: "hello".to_owned(),
                delay_ms: 0,
            })
            .await
            .expect("echo succeeds");
        assert_eq!(
            reply.into_inner().message,
            "hello",
            "the example answers Echo"
        );
        // A health Watch: a stream the service does not control, which
        // never ends by itself. It is what makes the deadline necessary.
        let mut watch = HealthClient::new(channel.clone())
            .watch(HealthCheckRequest {
                service: String::new(),
            })
            .await
            .expect("health watch opens")
            .into_inner();
        let first = watch.message().await.expect("an update").expect("open");
        assert_eq!(first.status, SERVING, "the example is SERVING");
        let mut ticks = BeaconClient::new(channel)
            .ticks(TicksRequest { interval_ms: 50 })
            .await
            .expect("the stream opens")
            .into_inner();
        ticks
            .message()
            .await
            .expect("a tick")
            .expect("the stream is open");
        (ticks, watch)
    });

    let sent = Instant::now();
    skeleton.signal(Signal::SIGTERM);
    let status = runtime.block_on(async {
        loop {
            match ticks.message().await {
                Ok(Some(_)) => continue,
                Ok(None) => panic!("the stream should end with a status, not OK"),
                Err(status) => break status,
            }
        }
    });
    assert_eq!(
        status.code(),
        Code::Unavailable,
        "the open stream ends with UNAVAILABLE"
    );
    let update = runtime.block_on(watch.message());
    let update = update.expect("an update").expect("the watch is still open");
    assert_eq!(update.status, NOT_SERVING, "the watcher sees NOT_SERVING");
    let (code, rest) = skeleton.wait();
    let took = sent.elapsed();
    assert_eq!(code, Some(0), "a drained shutdown exits 0; output:\n{rest}");
    assert!(
        took >= GRACE && took < GRACE + Duration::from_secs(5),
        "the open watch holds the drain until the {GRACE:?} deadline, and not much longer; \
         took {took:?}"
    );
    let lines: Vec<&str> = rest.lines().collect();
    assert_eq!(
        lines,
        [
            "received SIGTERM: draining",
            "drain cut at the deadline: 1 connection(s) closed by force",
        ],
        "the example reports the signal, then how the drain ended"
    );
}

#[test]
fn sigint_with_an_idle_server_drains_clean() {
    let mut skeleton = Skeleton::start(&[]);
    skeleton.signal(Signal::SIGINT);
    let (code, rest) = skeleton.wait();
    assert_eq!(code, Some(0), "SIGINT exits 0 too; output:\n{rest}");
    assert_eq!(
        rest, "received SIGINT: draining\ndrain clean: every call finished in time\n",
        "SIGINT drains like SIGTERM"
    );
}

#[test]
fn a_bad_flag_exits_2_with_the_usage() {
    let output = Command::new(env!("CARGO_BIN_EXE_skeleton"))
        .args(["--grace-ms", "soon"])
        .output()
        .expect("the example runs");
    assert_eq!(
        output.status.code(),
        Some(2),
        "a configuration error exits 2"
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("invalid grace period \"soon\"")
            && stderr.contains("usage: skeleton"),
        "stderr names the bad value and shows the usage, got:\n{stderr}"
    );
}

#[test]
fn two_runs_print_the_same_lines_apart_from_the_port() {
    let run = || {
        let mut skeleton = Skeleton::start(&[]);
        skeleton.signal(Signal::SIGTERM);
        skeleton.wait().1
    };
    assert_eq!(run(), run(), "no timings or ids in the output");
}

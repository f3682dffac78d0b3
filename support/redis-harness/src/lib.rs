//! # redis-harness: a private `redis-server` for each test
//!
//! The Redis lessons (the job queue, the dead-letter queue) test against a
//! real `redis-server`, because the behaviour they teach (BLMOVE moving a job
//! while the client has given up, a lease expiring, data surviving a restart)
//! is the server's, and a mock would only repeat what the test author
//! believes. This crate starts that server.
//!
//! - [`RedisServer`] spawns `redis-server` from the `PATH` on a free
//!   127.0.0.1 port, with its own temporary directory and no persistence
//!   unless asked, waits until it answers `PING`, and kills it when dropped
//!   (also when the test panics: `Drop` runs during unwinding). It can be
//!   stopped and started again on the same port and directory, for the tests
//!   that restart Redis.
//! - [`TestRedis`] is what a test calls first: a URL and a key prefix unique
//!   to the test. It starts a private server, or uses `REDIS_URL` when that
//!   is set (then the prefix is what keeps tests apart).
//!
//! One server per test, rather than one per test binary shared through a
//! `static`: a static is never dropped, so the server would outlive the test
//! process, and a test could see another's keys. A start costs about 25 ms.
//!
//! Why not `redis-test`'s `RedisServer` (the redis-rs project's own helper)?
//! It panics with a bare "No such file or directory" when `redis-server` is
//! missing, cannot restart on the same port and data directory, and reads
//! redis-rs's own environment variables. The workbook needs the first two.
//!
//! # Layout
//!
//! Everything is in this file: [`RedisServer`] with its [`Builder`], then
//! [`TestRedis`], then the helpers (free port, `PING`, log tail). The tests in
//! `tests/harness.rs` start real servers.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};
use std::{env, fmt, fs, io};

/// How to install `redis-server`, shown wherever it is missing.
pub const INSTALL_HINT: &str = "install it (Debian/Ubuntu: `sudo apt-get install redis-server`; \
     Fedora: `sudo dnf install redis`; macOS: `brew install redis`), \
     or set REDIS_URL to a Redis 6.2+ server you own";

/// How long a new server may take to answer `PING` (it takes ~25 ms).
const READY_TIMEOUT: Duration = Duration::from_secs(10);

/// What can go wrong while starting or restarting a server.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum HarnessError {
    /// The binary is not on the `PATH` (or not at the path given).
    #[error("`{binary}` was not found: {INSTALL_HINT}")]
    NotFound {
        /// The program that was looked for.
        binary: String,
    },
    /// The process could not be spawned for another reason.
    #[error("could not start `{binary}`")]
    Spawn {
        /// The program.
        binary: String,
        /// Why the spawn failed.
        #[source]
        source: io::Error,
    },
    /// The server exited before it answered `PING`.
    #[error("redis-server exited at start ({status}); the end of its log:\n{log}")]
    Exited {
        /// Its exit status.
        status: ExitStatus,
        /// The last lines of its log file.
        log: String,
    },
    /// The server ran but did not answer `PING` in time.
    #[error(
        "redis-server on port {port} did not answer PING within {waited:?}; the end of its log:\n{log}"
    )]
    NotReady {
        /// The port it was given.
        port: u16,
        /// How long the harness waited.
        waited: Duration,
        /// The last lines of its log file.
        log: String,
    },
    /// The temporary directory could not be made, or another I/O failure.
    #[error("redis harness I/O")]
    Io(#[from] io::Error),
}

/// Whether the server keeps its data on disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Persistence {
    /// Nothing on disk (`save ""`, `appendonly no`): a restart loses every
    /// key. The default, and what nearly every test wants.
    #[default]
    None,
    /// The append-only file, fsynced on every write (`appendfsync always`):
    /// a write acknowledged to the client survives even `SIGKILL`.
    AppendOnlyAlways,
}

/// How [`RedisServer::restart`] stops the running server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// `SHUTDOWN`: the server flushes what its persistence setting says
    /// and exits.
    Graceful,
    /// `SIGKILL`: a crash, with no chance to flush anything.
    Kill,
}

/// Options for a [`RedisServer`]; [`RedisServer::builder`] makes one.
#[derive(Debug, Clone)]
pub struct Builder {
    binary: PathBuf,
    persistence: Persistence,
}

impl Builder {
    /// Use this program instead of `redis-server` from the `PATH`.
    pub fn binary(mut self, binary: impl Into<PathBuf>) -> Self {
        self.binary = binary.into();
        self
    }

    /// Keep data on disk (see [`Persistence`]).
    pub fn persistence(mut self, persistence: Persistence) -> Self {
        self.persistence = persistence;
        self
    }

    /// Start the server and wait until it answers `PING`.
    ///
    /// The port is found by binding `127.0.0.1:0` and closing the socket
    /// again, so another process can take it in between; the harness then
    /// sees the server exit at start and tries another port (five times).
    pub fn start(self) -> Result<RedisServer, HarnessError> {
        let dir = tempfile::Builder::new()
            .prefix("redis-harness-")
            .tempdir()?;
        let mut last = None;
        for _ in 0..5 {
            let port = free_port()?;
            match spawn_ready(&self.binary, port, dir.path(), self.persistence) {
                Ok(child) => {
                    return Ok(RedisServer {
                        child,
                        port,
                        dir,
                        binary: self.binary,
                        persistence: self.persistence,
                    });
                }
                Err(HarnessError::Exited { status, log }) if log.contains("in use") => {
                    last = Some(HarnessError::Exited { status, log });
                }
                Err(other) => return Err(other),
            }
        }
        Err(last.expect("the loop ran at least once"))
    }
}

/// A `redis-server` process owned by the test, killed on drop.
pub struct RedisServer {
    child: Child,
    port: u16,
    dir: tempfile::TempDir,
    binary: PathBuf,
    persistence: Persistence,
}

impl fmt::Debug for RedisServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisServer")
            .field("pid", &self.child.id())
            .field("port", &self.port)
            .field("dir", &self.dir.path())
            .field("persistence", &self.persistence)
            .finish()
    }
}

impl RedisServer {
    /// A server with no persistence, from `redis-server` on the `PATH`.
    pub fn start() -> Result<Self, HarnessError> {
        Self::builder().start()
    }

    /// Options: another binary, persistence.
    pub fn builder() -> Builder {
        Builder {
            binary: PathBuf::from("redis-server"),
            persistence: Persistence::None,
        }
    }

    /// The port it listens on, on 127.0.0.1.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// `redis://127.0.0.1:<port>/`.
    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/", self.port)
    }

    /// The server's process id (for tests that check it is gone).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Its working directory (the append-only file lives here).
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// The last lines of the server's log, for failure messages.
    pub fn log_tail(&self) -> String {
        log_tail(self.dir.path())
    }

    /// Stop the server (see [`Stop`]) and start it again on the same port
    /// and directory, so clients reconnect to the same URL and, with
    /// [`Persistence::AppendOnlyAlways`], find their data again.
    pub fn restart(&mut self, how: Stop) -> Result<(), HarnessError> {
        match how {
            Stop::Graceful => {
                // A failed SHUTDOWN (connection refused) falls back to a kill.
                let _ = command(self.port, "SHUTDOWN");
                let deadline = Instant::now() + READY_TIMEOUT;
                while self.child.try_wait()?.is_none() && Instant::now() < deadline {
                    std::thread::sleep(Duration::from_millis(5));
                }
                let _ = self.child.kill();
            }
            Stop::Kill => {
                let _ = self.child.kill();
            }
        }
        self.child.wait()?;
        self.child =
            spawn_ready(&self.binary, self.port, self.dir.path(), self.persistence)?;
        Ok(())
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        // SIGKILL, not SHUTDOWN: nothing here is worth saving, and a kill
        // cannot hang. `wait` reaps it, so no zombie outlives the test.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A test's Redis: a URL and a key prefix no other test uses.
///
/// With `REDIS_URL` set, every test shares that server and the prefix is
/// what keeps them apart, so code under test must put the prefix in front of
/// every key it touches. Without it, each test gets its own server.
#[derive(Debug)]
pub struct TestRedis {
    server: Option<RedisServer>,
    url: String,
    prefix: String,
}

impl TestRedis {
    /// Start a private server for the test named `test` (or use
    /// `REDIS_URL`).
    ///
    /// # Panics
    ///
    /// When the server cannot be started, with the reason and, when
    /// `redis-server` is missing, how to install it: a test that needs Redis
    /// fails at once rather than timing out.
    pub fn start(test: &str) -> Self {
        match Self::try_start(test) {
            Ok(redis) => redis,
            Err(error) => panic!("{}", report(&error)),
        }
    }

    /// [`TestRedis::start`] without the panic.
    pub fn try_start(test: &str) -> Result<Self, HarnessError> {
        Self::start_with(test, env::var("REDIS_URL").ok())
    }

    /// [`TestRedis::try_start`] with the value of `REDIS_URL` passed in
    /// (the harness's own tests use it: setting a variable in a
    /// multi-threaded test process is unsound).
    pub fn start_with(
        test: &str,
        redis_url: Option<String>,
    ) -> Result<Self, HarnessError> {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let prefix = format!("{test}:{}:{n}:", std::process::id());
        match redis_url {
            Some(url) if !url.is_empty() => Ok(Self {
                server: None,
                url,
                prefix,
            }),
            Some(_) | None => {
                let server = RedisServer::start()?;
                Ok(Self {
                    url: server.url(),
                    server: Some(server),
                    prefix,
                })
            }
        }
    }

    /// The URL to connect to.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Put this in front of every key: `"{test}:{pid}:{n}:"`.
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// The private server, unless `REDIS_URL` was used.
    pub fn server(&mut self) -> Option<&mut RedisServer> {
        self.server.as_mut()
    }
}

/// Where `redis-server` is, and its version, or why it cannot be used.
///
/// The workbook's runner calls this before an exercise that needs Redis, so
/// the learner hears about a missing server before the first test fails.
pub fn locate() -> Result<Found, HarnessError> {
    let binary = "redis-server";
    let output = Command::new(binary)
        .arg("--version")
        .stdin(Stdio::null())
        .output()
        .map_err(|source| spawn_error(Path::new(binary), source))?;
    let text = String::from_utf8_lossy(&output.stdout);
    // "Redis server v=7.0.15 sha=00000000:0 malloc=jemalloc-5.3.0 bits=64 ..."
    let version = text
        .split_whitespace()
        .find_map(|word| word.strip_prefix("v="))
        .unwrap_or("unknown")
        .to_owned();
    Ok(Found {
        path: which(binary).unwrap_or_else(|| PathBuf::from(binary)),
        version,
    })
}

/// A `redis-server` found by [`locate`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// Its full path, from the `PATH`.
    pub path: PathBuf,
    /// Its version, as `--version` prints it (`7.0.15`).
    pub version: String,
}

impl Found {
    /// Whether the version has BLMOVE and LMOVE (Redis 6.2 or later).
    pub fn has_blmove(&self) -> bool {
        let mut parts = self
            .version
            .split('.')
            .map(|p| p.parse::<u32>().unwrap_or(0));
        let major = parts.next().unwrap_or(0);
        let minor = parts.next().unwrap_or(0);
        (major, minor) >= (6, 2)
    }
}

/// The error and its causes on one line each, as a failing test shows them.
pub fn report(error: &HarnessError) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(&format!("\n  caused by: {cause}"));
        source = cause.source();
    }
    text
}

fn which(binary: &str) -> Option<PathBuf> {
    env::split_paths(&env::var_os("PATH")?)
        .map(|dir| dir.join(binary))
        .find(|path| path.is_file())
}

fn spawn_error(binary: &Path, source: io::Error) -> HarnessError {
    let binary = binary.display().to_string();
    if source.kind() == io::ErrorKind::NotFound {
        HarnessError::NotFound { binary }
    } else {
        HarnessError::Spawn { binary, source }
    }
}

/// Ask the kernel for a free port, then give it back for the server.
fn free_port() -> io::Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

fn spawn_ready(
    binary: &Path,
    port: u16,
    dir: &Path,
    persistence: Persistence,
) -> Result<Child, HarnessError> {
    let log = dir.join("redis.log");
    // A fresh log per start, so a failure shows this start's lines only.
    let _ = fs::remove_file(&log);
    let mut cmd = Command::new(binary);
    cmd.args(["--bind", "127.0.0.1", "--port", &port.to_string()])
        .arg("--dir")
        .arg(dir)
        .arg("--logfile")
        .arg(&log)
        .args(["--daemonize", "no", "--save", ""])
        // Tests must never see another test's data or touch the machine's
        // own Redis: no shared files, no protected-mode surprises.
        .args(["--protected-mode", "yes", "--databases", "1"]);
    match persistence {
        Persistence::None => {
            cmd.args(["--appendonly", "no"]);
        }
        Persistence::AppendOnlyAlways => {
            cmd.args(["--appendonly", "yes", "--appendfsync", "always"]);
        }
    }
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|source| spawn_error(binary, source))?;

    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait()? {
            return Err(HarnessError::Exited {
                status,
                log: log_tail(dir),
            });
        }
        if matches!(command(port, "PING"), Ok(reply) if reply.starts_with("+PONG")) {
            return Ok(child);
        }
        if started.elapsed() > READY_TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            return Err(HarnessError::NotReady {
                port,
                waited: READY_TIMEOUT,
                log: log_tail(dir),
            });
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// Send one inline command and read the first reply line.
fn command(port: u16, line: &str) -> io::Result<String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(Duration::from_secs(1)))?;
    stream.write_all(format!("{line}\r\n").as_bytes())?;
    let mut reply = [0u8; 64];
    let n = stream.read(&mut reply)?;
    Ok(String::from_utf8_lossy(&reply[..n]).into_owned())
}

fn log_tail(dir: &Path) -> String {
    let text = fs::read_to_string(dir.join("redis.log")).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(8)..].join("\n")
}

//! The harness against a real `redis-server`: it starts, answers, keeps or
//! loses data across restarts as configured, and leaves no process behind.

use redis_harness::{HarnessError, Persistence, RedisServer, Stop, TestRedis};
use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::path::Path;

/// Send one inline command, read one reply line.
fn send(port: u16, line: &str) -> String {
    let stream =
        TcpStream::connect(("127.0.0.1", port)).expect("the server should accept");
    let mut writer = stream.try_clone().unwrap();
    writer.write_all(format!("{line}\r\n").as_bytes()).unwrap();
    let mut reply = String::new();
    BufReader::new(stream).read_line(&mut reply).unwrap();
    reply.trim_end().to_owned()
}

fn get(port: u16, key: &str) -> String {
    let stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let mut writer = stream.try_clone().unwrap();
    writer
        .write_all(format!("GET {key}\r\n").as_bytes())
        .unwrap();
    let mut reader = BufReader::new(stream);
    let mut header = String::new();
    reader.read_line(&mut header).unwrap();
    if header.starts_with("$-1") {
        return "(nil)".into();
    }
    let mut value = String::new();
    reader.read_line(&mut value).unwrap();
    value.trim_end().to_owned()
}

fn alive(pid: u32) -> bool {
    // A reaped process has no /proc entry; a zombie would still have one.
    Path::new(&format!("/proc/{pid}")).exists()
}

#[test]
fn a_started_server_answers_ping_on_its_own_port() {
    let server = RedisServer::start().expect("redis-server should start");
    assert_eq!(
        send(server.port(), "PING"),
        "+PONG",
        "a fresh server should answer PING"
    );
    assert_eq!(
        server.url(),
        format!("redis://127.0.0.1:{}/", server.port())
    );
}

#[test]
fn two_servers_never_share_a_port_or_data() {
    let a = RedisServer::start().unwrap();
    let b = RedisServer::start().unwrap();
    assert_ne!(a.port(), b.port(), "each test should get its own port");
    assert_eq!(send(a.port(), "SET k from-a"), "+OK");
    assert_eq!(
        get(b.port(), "k"),
        "(nil)",
        "a key set on one server must not appear on another"
    );
}

#[test]
fn dropping_the_server_kills_and_reaps_the_process() {
    let server = RedisServer::start().unwrap();
    let pid = server.pid();
    assert!(alive(pid), "the server should be running before the drop");
    drop(server);
    assert!(
        !alive(pid),
        "no redis-server may outlive its test (pid {pid} is still there)"
    );
}

#[test]
fn without_persistence_a_restart_loses_every_key() {
    let mut server = RedisServer::start().unwrap();
    assert_eq!(send(server.port(), "SET job 1"), "+OK");
    server.restart(Stop::Graceful).unwrap();
    assert_eq!(
        get(server.port(), "job"),
        "(nil)",
        "save \"\" and appendonly no keep nothing"
    );
}

#[test]
fn with_appendfsync_always_a_killed_server_keeps_acknowledged_writes() {
    let mut server = RedisServer::builder()
        .persistence(Persistence::AppendOnlyAlways)
        .start()
        .unwrap();
    let port = server.port();
    assert_eq!(send(port, "SET job 42"), "+OK");
    server.restart(Stop::Kill).unwrap();
    assert_eq!(
        server.port(),
        port,
        "a restart should keep the port, so clients reconnect"
    );
    assert_eq!(
        get(port, "job"),
        "42",
        "an fsynced write should survive SIGKILL"
    );
}

#[test]
fn a_missing_binary_is_reported_with_how_to_install_redis() {
    let error = RedisServer::builder()
        .binary("/nonexistent/redis-server")
        .start()
        .expect_err("a missing binary cannot start");
    assert!(
        matches!(error, HarnessError::NotFound { .. }),
        "got {error:?}"
    );
    let message = error.to_string();
    assert!(
        message.contains("apt-get install redis-server") && message.contains("REDIS_URL"),
        "the message should say how to install Redis or point elsewhere: {message}"
    );
}

#[test]
fn test_redis_uses_redis_url_when_given_and_prefixes_stay_unique() {
    let shared =
        TestRedis::start_with("t", Some("redis://example:6379/".into())).unwrap();
    assert_eq!(
        shared.url(),
        "redis://example:6379/",
        "REDIS_URL should be used as given"
    );
    let other = TestRedis::start_with("t", Some("redis://example:6379/".into())).unwrap();
    assert_ne!(
        shared.prefix(),
        other.prefix(),
        "two tests on one server need distinct prefixes"
    );

    let mut own = TestRedis::start_with("t", None).unwrap();
    let port = own
        .server()
        .expect("without REDIS_URL the test owns a server")
        .port();
    assert_eq!(send(port, "PING"), "+PONG");
}

#[test]
fn locate_finds_a_redis_with_blmove() {
    let found = redis_harness::locate().expect("redis-server should be on the PATH");
    assert!(
        found.has_blmove(),
        "the queue lessons need Redis 6.2+, found {}",
        found.version
    );
}

//! Step 1: a configuration that refuses bad values before anything starts.

use std::fmt;
use std::net::SocketAddr;
use std::time::Duration;

/// The address the server listens on. A newtype, not a `String`: once a
/// `ListenAddr` exists it parsed, so binding can fail only for reasons of
/// the machine (port in use), never for a typo found at bind time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListenAddr(SocketAddr);

impl ListenAddr {
    /// The default, `127.0.0.1:50051`: loopback, so a service started by
    /// hand is not reachable from the network by accident.
    pub const DEFAULT: Self = Self(SocketAddr::new(
        std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST),
        50051,
    ));

    /// Parses `ip:port` (`127.0.0.1:0`, `[::1]:50051`).
    ///
    /// # Errors
    ///
    /// [`ConfigError::BadAddress`], naming the value.
    pub fn parse(value: &str) -> Result<Self, ConfigError> {
        // TODO: `value.parse::<SocketAddr>()`; map its error into
        // ConfigError::BadAddress with the text and the parse error.
        todo!("ListenAddr::parse: parse ip:port")
    }

    /// The socket address, for `TcpListener::bind`.
    pub fn socket_addr(self) -> SocketAddr {
        self.0
    }
}

impl fmt::Display for ListenAddr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// How long calls in flight may go on once a shutdown starts. Never zero: a
/// zero grace cuts every call, which is `kill -9` with extra steps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct GracePeriod(Duration);

impl GracePeriod {
    /// The default, 10 s: well inside Kubernetes' default 30 s
    /// `terminationGracePeriodSeconds`, after which the pod is killed.
    pub const DEFAULT: Self = Self(Duration::from_secs(10));

    /// A grace period of `duration`.
    ///
    /// # Errors
    ///
    /// [`ConfigError::ZeroGrace`] for zero.
    pub fn new(duration: Duration) -> Result<Self, ConfigError> {
        todo!("GracePeriod::new: refuse zero with ConfigError::ZeroGrace")
    }

    /// Parses a number of milliseconds (`"500"`).
    ///
    /// # Errors
    ///
    /// [`ConfigError::BadGrace`] if it is not a whole number,
    /// [`ConfigError::ZeroGrace`] for `0`.
    pub fn parse_millis(value: &str) -> Result<Self, ConfigError> {
        // TODO: `value.parse::<u64>()` (error: ConfigError::BadGrace with the
        // text), then `GracePeriod::new(Duration::from_millis(..))`.
        todo!("GracePeriod::parse_millis: whole milliseconds, not zero")
    }

    /// The duration.
    pub fn duration(self) -> Duration {
        self.0
    }
}

/// Why a [`Config`] was refused. Each variant names the value, so the
/// message alone tells an operator what to fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    /// The address is not `ip:port`.
    #[error("invalid listen address {value:?}: {source}")]
    BadAddress {
        /// The text given.
        value: String,
        /// Why std refused it.
        source: std::net::AddrParseError,
    },
    /// The grace period is not a whole number of milliseconds.
    #[error("invalid grace period {value:?} (whole milliseconds expected): {source}")]
    BadGrace {
        /// The text given.
        value: String,
        /// Why std refused it.
        source: std::num::ParseIntError,
    },
    /// The grace period is zero.
    #[error("the grace period must be at least 1 ms")]
    ZeroGrace,
    /// A flag came last, with no value after it.
    #[error("{flag} needs a value")]
    MissingValue {
        /// The flag.
        flag: String,
    },
    /// An argument that is not one of the flags.
    #[error("unknown argument {0:?} (expected --addr ADDR or --grace-ms N)")]
    UnknownArgument(String),
}

/// Everything the service needs to start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Config {
    addr: ListenAddr,
    grace: GracePeriod,
}

impl Config {
    /// The environment variable that sets the address when `--addr` is absent.
    pub const ADDR_VAR: &str = "SKELETON_ADDR";
    /// The environment variable that sets the grace period (milliseconds)
    /// when `--grace-ms` is absent.
    pub const GRACE_VAR: &str = "SKELETON_GRACE_MS";

    /// A configuration from explicit values.
    pub fn new(addr: ListenAddr, grace: GracePeriod) -> Self {
        Self { addr, grace }
    }

    /// Parses `--addr ADDR` and `--grace-ms N` from `args` (without the
    /// program name), falling back on `env` (`SKELETON_ADDR`,
    /// `SKELETON_GRACE_MS`) and then on the defaults. A flag wins over the
    /// environment, which wins over the default.
    ///
    /// `env` is a lookup function, not `std::env::var` called inside, so
    /// tests pass a closure over a fixed list: setting real environment
    /// variables is `unsafe` in edition 2024 (another thread may read them)
    /// and would leak between tests running in parallel.
    ///
    /// # Errors
    ///
    /// The first [`ConfigError`] met, flags first.
    pub fn parse<A, S>(
        args: A,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Self, ConfigError>
    where
        A: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        // TODO: walk `args`: each of `--addr` and `--grace-ms` takes the next
        // argument as its value (none left: ConfigError::MissingValue; any
        // other argument: ConfigError::UnknownArgument). Then, for each
        // setting, the flag's text or else `env(Self::ADDR_VAR)` /
        // `env(Self::GRACE_VAR)`, parsed with `ListenAddr::parse` /
        // `GracePeriod::parse_millis`; with neither, the DEFAULT constant.
        todo!("Config::parse: flags, then the environment, then defaults")
    }

    /// Where to listen.
    pub fn addr(&self) -> ListenAddr {
        self.addr
    }

    /// How long the drain may take.
    pub fn grace(&self) -> GracePeriod {
        self.grace
    }
}

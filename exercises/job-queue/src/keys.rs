//! The Redis keys the queue owns, named in one place.
//!
//! Every script and every test reaches Redis through these names, and a
//! later lesson (Day 139, the dead-letter queue) runs its own Lua against the
//! same keys, so they live in one public type rather than as `format!`
//! calls scattered through the code, where one typo would make a second,
//! silently empty queue.

/// The key names of one queue, all under one prefix.
///
/// | Key | Type | Holds |
/// |---|---|---|
/// | `P:pending` | LIST | ids waiting; enqueue pushes LEFT, dequeue pops RIGHT (FIFO) |
/// | `P:processing` | LIST | ids claimed by a worker and not yet acked |
/// | `P:leases` | ZSET | id -> lease deadline, in milliseconds since the epoch |
/// | `P:jobs` | HASH | id -> payload (JSON text) |
/// | `P:claims` | HASH | id -> the claim token of the worker that holds it |
/// | `P:attempts` | HASH | id -> how many times it has been claimed |
/// | `P:tokens` | STRING | the last claim token issued (INCR) |
///
/// The prefix is used as given when it is empty or ends with `:`
/// (`"emails:"` gives `emails:pending`); otherwise a `:` is added
/// (`"emails"` gives the same). On Redis Cluster, wrap the name in a hash
/// tag (`"{emails}:"`) so that all the keys land in one slot, as Lua
/// scripts that touch several keys require.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keys {
    prefix: String,
    pending: String,
    processing: String,
    leases: String,
    jobs: String,
    claims: String,
    attempts: String,
    tokens: String,
}

impl Keys {
    /// The keys of the queue under `prefix`.
    pub fn new(prefix: &str) -> Self {
        let prefix = if prefix.is_empty() || prefix.ends_with(':') {
            prefix.to_owned()
        } else {
            format!("{prefix}:")
        };
        let key = |name: &str| format!("{prefix}{name}");
        Self {
            pending: key("pending"),
            processing: key("processing"),
            leases: key("leases"),
            jobs: key("jobs"),
            claims: key("claims"),
            attempts: key("attempts"),
            tokens: key("tokens"),
            prefix,
        }
    }

    /// The prefix, ending with `:` unless it is empty.
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// `P:pending`: the LIST of ids waiting to be claimed.
    pub fn pending(&self) -> &str {
        &self.pending
    }

    /// `P:processing`: the LIST of ids claimed and not yet acked.
    pub fn processing(&self) -> &str {
        &self.processing
    }

    /// `P:leases`: the ZSET of id -> lease deadline (ms since the epoch).
    pub fn leases(&self) -> &str {
        &self.leases
    }

    /// `P:jobs`: the HASH of id -> payload (JSON text).
    pub fn jobs(&self) -> &str {
        &self.jobs
    }

    /// `P:claims`: the HASH of id -> current claim token.
    pub fn claims(&self) -> &str {
        &self.claims
    }

    /// `P:attempts`: the HASH of id -> number of claims so far.
    pub fn attempts(&self) -> &str {
        &self.attempts
    }

    /// `P:tokens`: the counter claim tokens are drawn from.
    pub fn tokens(&self) -> &str {
        &self.tokens
    }

    /// Every key, for a test or a tool that wants to inspect or delete the
    /// whole queue (never `KEYS *`: it blocks the server and sees other
    /// tenants' keys).
    pub fn all(&self) -> [&str; 7] {
        [
            &self.pending,
            &self.processing,
            &self.leases,
            &self.jobs,
            &self.claims,
            &self.attempts,
            &self.tokens,
        ]
    }
}

//! Step 1: the seventeen codes, the situation each one is for, and what a
//! client may do when it receives one.

use tonic::Code;

/// Every gRPC status code, in numeric order (`ALL_CODES[n] as i32 == n`).
///
/// tonic has no list of its own, and a `match` cannot be iterated: tests and
/// tables walk this array, and the compiler checks each `match` over
/// [`Code`] for exhaustiveness, so a code added to tonic one day shows up as
/// an error in every mapping, not as a silent fallback.
pub const ALL_CODES: [Code; 17] = [
    Code::Ok,
    Code::Cancelled,
    Code::Unknown,
    Code::InvalidArgument,
    Code::DeadlineExceeded,
    Code::NotFound,
    Code::AlreadyExists,
    Code::PermissionDenied,
    Code::ResourceExhausted,
    Code::FailedPrecondition,
    Code::Aborted,
    Code::OutOfRange,
    Code::Unimplemented,
    Code::Internal,
    Code::Unavailable,
    Code::DataLoss,
    Code::Unauthenticated,
];

/// What a server ran into, described the way a backend engineer would, for
/// [`choose`] to turn into the code the client should see.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Situation {
    /// The call did what was asked.
    Done,
    /// The client gave up on the call (it cancelled it, or dropped it) before
    /// the server answered.
    CallerGaveUp,
    /// An error came from a library or a peer whose error space this server
    /// does not know, so it cannot say more.
    UnrecognisedError,
    /// A field is malformed whatever the state of the system: an empty id, a
    /// payload too large, a date that does not parse.
    MalformedField,
    /// The call's deadline passed before the server finished. The work may
    /// still have happened.
    DeadlinePassed,
    /// The record the call names does not exist.
    RecordMissing,
    /// The record exists, but the caller may not know that it does: a
    /// private repository, another tenant's invoice.
    RecordHiddenFromCaller,
    /// A create for a record that already exists.
    DuplicateCreate,
    /// The caller is known, and is not allowed to do this.
    CallerLacksPermission,
    /// A quota or rate limit ran out, or the server is out of memory or disk
    /// for this caller.
    QuotaUsedUp,
    /// The system is in the wrong state for the call, and only a separate
    /// action will change that: deleting a non-empty folder, submitting to a
    /// paused queue.
    WrongState,
    /// A concurrent change won: an etag or version check failed, a
    /// transaction conflicted. Reading again and redoing the change can work.
    ConcurrentChange,
    /// A position past the end of what exists: a page token past the last
    /// page, an offset beyond the end of a file. Valid later, maybe.
    PastTheEnd,
    /// The method, or this option of it, is not implemented by this server.
    NotImplemented,
    /// An invariant broke: a bug, a value that cannot happen.
    InvariantBroken,
    /// A dependency or the server itself is down, overloaded or shutting
    /// down, for now.
    DependencyDown,
    /// Data was lost or corrupted beyond repair.
    DataCorrupted,
    /// No credentials, or credentials that are invalid or expired.
    NoValidCredentials,
}

impl Situation {
    /// Every situation, in the order [`ALL_CODES`] lists the codes they map
    /// to (with the hidden record after the missing one).
    pub const ALL: [Situation; 18] = [
        Situation::Done,
        Situation::CallerGaveUp,
        Situation::UnrecognisedError,
        Situation::MalformedField,
        Situation::DeadlinePassed,
        Situation::RecordMissing,
        Situation::RecordHiddenFromCaller,
        Situation::DuplicateCreate,
        Situation::CallerLacksPermission,
        Situation::QuotaUsedUp,
        Situation::WrongState,
        Situation::ConcurrentChange,
        Situation::PastTheEnd,
        Situation::NotImplemented,
        Situation::InvariantBroken,
        Situation::DependencyDown,
        Situation::DataCorrupted,
        Situation::NoValidCredentials,
    ];
}

/// The code a server should return in `situation`, following the gRPC
/// status code guide (grpc/grpc `doc/statuscodes.md`).
///
/// Two choices here are not the obvious ones:
///
/// - A record the caller may not know exists is `NotFound`, not
///   `PermissionDenied`: "permission denied" on `invoices/42` tells an
///   attacker that invoice 42 exists. `PermissionDenied` is for a caller
///   who may know the resource is there but may not do this to it.
/// - A wrong state is `FailedPrecondition`, a lost race is `Aborted`, and a
///   server that cannot answer right now is `Unavailable`: the guide's test
///   is what the client should retry (nothing until someone fixes the
///   state; the whole read-modify-write; just this call).
pub fn choose(situation: Situation) -> Code {
    // A `match` with no `_` arm: a new situation does not compile until
    // someone decides its code. (Rejected: a `HashMap<Situation, Code>`,
    // which fails at run time, for the one situation nobody tested.)
    match situation {
        Situation::Done => Code::Ok,
        Situation::CallerGaveUp => Code::Cancelled,
        Situation::UnrecognisedError => Code::Unknown,
        Situation::MalformedField => Code::InvalidArgument,
        Situation::DeadlinePassed => Code::DeadlineExceeded,
        Situation::RecordMissing | Situation::RecordHiddenFromCaller => Code::NotFound,
        Situation::DuplicateCreate => Code::AlreadyExists,
        Situation::CallerLacksPermission => Code::PermissionDenied,
        Situation::QuotaUsedUp => Code::ResourceExhausted,
        Situation::WrongState => Code::FailedPrecondition,
        Situation::ConcurrentChange => Code::Aborted,
        // Not InvalidArgument: the same offset may be valid once the file
        // grows, which is what lets a reader iterate until OutOfRange.
        Situation::PastTheEnd => Code::OutOfRange,
        Situation::NotImplemented => Code::Unimplemented,
        Situation::InvariantBroken => Code::Internal,
        Situation::DependencyDown => Code::Unavailable,
        Situation::DataCorrupted => Code::DataLoss,
        Situation::NoValidCredentials => Code::Unauthenticated,
    }
}

/// What a client may do about a failed call, given only its code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Retry {
    /// Do not send the call again: it succeeded, the caller gave it up, or
    /// it will fail the same way until a person or a program fixes the
    /// request, the credentials or the system's state.
    Never,
    /// Send the same call again after a backoff: the server says it may be
    /// able to do it soon (`Unavailable`). The gRPC guide adds that this is
    /// not always safe for a non-idempotent call: the server may have
    /// started the work before it went away.
    Backoff,
    /// Send it again only if the call is idempotent: the work may have been
    /// done, and only an idempotent call can be repeated without doing it
    /// twice (`DeadlineExceeded`).
    IfIdempotent,
    /// Slow down: wait at least the delay the server asks for in its
    /// `RetryInfo` detail, or a long backoff, before trying
    /// (`ResourceExhausted`).
    Throttled,
    /// Retry at a higher level: read again, recompute, and send the new
    /// write; resending the same write loses the same race (`Aborted`).
    Restart,
}

/// How a client should treat a failure with this code.
///
/// The rule behind the table: retry only what a second attempt can fix,
/// and never what it could make worse. `Unknown` and `Internal` are
/// [`Retry::Never`]: the server could not say what went wrong, and a client
/// that retries a bug multiplies it (Day 137's "unknown means permanent").
/// `Unauthenticated` is `Never` too: refreshing a token and then calling
/// again is a new call, not a retry of the failed one.
pub fn retry_class(code: Code) -> Retry {
    match code {
        Code::Unavailable => Retry::Backoff,
        Code::DeadlineExceeded => Retry::IfIdempotent,
        Code::ResourceExhausted => Retry::Throttled,
        Code::Aborted => Retry::Restart,
        // Spelled out rather than `_ => Never`: a code tonic adds one day
        // must be classified by a person, not defaulted by a wildcard.
        Code::Ok
        | Code::Cancelled
        | Code::Unknown
        | Code::InvalidArgument
        | Code::NotFound
        | Code::AlreadyExists
        | Code::PermissionDenied
        | Code::FailedPrecondition
        | Code::OutOfRange
        | Code::Unimplemented
        | Code::Internal
        | Code::DataLoss
        | Code::Unauthenticated => Retry::Never,
    }
}

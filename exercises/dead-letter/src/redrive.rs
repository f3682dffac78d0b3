//! Step 3: re-drive: move dead jobs back to `pending`, on purpose.
//!
//! A dead-letter list is a to-do list for a person: fix the cause (deploy
//! the bug fix, restore the downstream service), then send the jobs through
//! again. "Again" must be precise. Re-driving everything after an outage
//! also re-drives the malformed jobs, which will die again, and the jobs
//! that died of a real bug nobody has fixed. So a re-drive takes a filter
//! (all, some ids, one kind) and has a dry run that says what would move
//! and moves nothing: the operator reads the list before pressing the
//! button, as with `terraform plan`.
//!
//! Each job moves in one script: its record leaves `P:dead` and its id
//! enters `pending` with the attempt count reset, or nothing happens. The
//! script removes the record by its exact text (`LREM dead 1 <record>`),
//! so two operators re-driving at once cannot move one job twice: the
//! second `LREM` finds nothing and the job is reported as gone.

use std::collections::BTreeSet;
use std::sync::LazyLock;

use job_queue::JobId;
use redis::{RedisError, Script};

use crate::queue::{DeadLetterQueue, parse_record};
use crate::record::{DeadKind, DeadLetter};

/// Which dead jobs a re-drive moves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Filter {
    /// Every readable record.
    All,
    /// The records of these jobs.
    Ids(Vec<JobId>),
    /// The records of this kind.
    Kind(DeadKind),
}

impl Filter {
    /// Whether `record` is selected.
    pub fn matches(&self, record: &DeadLetter) -> bool {
        // TODO: one arm per variant.
        todo!("Filter::matches: does the filter select this record?")
    }
}

/// Whether a re-drive moves anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Report what would move; change nothing.
    DryRun,
    /// Move the selected jobs.
    Apply,
}

/// A selected job that was not moved, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Skipped {
    /// An id asked for by [`Filter::Ids`] has no record in `P:dead`.
    NotDead(String),
    /// The record left `P:dead` between the read and the move (another
    /// re-drive took it).
    Gone(String),
    /// An entry of `P:dead` that is not a record; left where it is for a
    /// person to look at (the text as stored).
    Unreadable(String),
}

/// What a re-drive did, or would do in a dry run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// The mode it ran in.
    pub mode: Mode,
    /// The ids moved back to `pending` (in a dry run: that would be),
    /// oldest record first.
    pub moved: Vec<String>,
    /// What was selected or found and not moved.
    pub skipped: Vec<Skipped>,
}

/// KEYS: dead, pending, attempts. ARGV: record (exact text), id.
/// Returns 1 if the job moved, 0 if the record was no longer there.
static REDRIVE: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        // TODO: remove one copy of the exact record from the dead list; if
        // none was there, return 0. Otherwise delete the attempt count, LPUSH
        // the id on pending, and return 1.
        r"
        return redis.error_reply('REDRIVE: write this script (redrive.rs)')
        ",
    )
});

impl DeadLetterQueue {
    /// Move the dead jobs `filter` selects back to `pending` with their
    /// attempts reset, one atomic move each; in [`Mode::DryRun`], only
    /// report what would move.
    ///
    /// It reads the whole list (`LRANGE`), which is fine for thousands of
    /// records; a dead-letter list that holds millions is an incident of
    /// its own.
    pub async fn redrive(
        &self,
        filter: &Filter,
        mode: Mode,
    ) -> Result<Report, RedisError> {
        // TODO: LRANGE the whole dead list. For each entry keep the exact
        // text (the script removes it by text), parse it with
        // `parse_record`: an unreadable one is `Skipped::Unreadable`. For a
        // record the filter matches: in a dry run, list it as moved; else
        // `self.move_back` it, moved or `Skipped::Gone`. With `Filter::Ids`,
        // report each asked-for id that matched no record as
        // `Skipped::NotDead`.
        todo!("DeadLetterQueue::redrive: move the selected dead jobs back")
    }

    async fn move_back(&self, record: &str, id: &str) -> Result<bool, RedisError> {
        // TODO: invoke REDRIVE (KEYS: dead, pending, attempts; ARGV: record,
        // id); true if it returned 1.
        todo!("DeadLetterQueue::move_back: one atomic move")
    }
}

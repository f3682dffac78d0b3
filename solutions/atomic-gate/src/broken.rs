//! The rejected alternative, kept so that the loom model can be shown
//! failing on it: check, then act, in two steps. Compiled only with
//! `--features broken`, and in a file of its own so coverage and mutation
//! tools can leave it out.

use crate::sync::Ordering;
use crate::{CLOSED, COUNT, Gate, Pass, Refused};

/// Looks right, and passes most stress tests: between the `load` and the
/// `fetch_add` another thread can do the same, and both get in.
pub(crate) fn try_enter(gate: &Gate) -> Result<Pass<'_>, Refused> {
    let current = gate.state.load(Ordering::Acquire);
    if current & CLOSED != 0 {
        return Err(Refused::Closed);
    }
    if current & COUNT >= u64::from(gate.limit) {
        return Err(Refused::Full { limit: gate.limit });
    }
    gate.state.fetch_add(1, Ordering::AcqRel);
    Ok(Pass { gate })
}

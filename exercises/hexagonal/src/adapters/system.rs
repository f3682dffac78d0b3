//! The production clock and id generator. Not a step: two small adapters
//! that make the point that time and randomness are ports too.

use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

use crate::domain::model::JobId;
use crate::domain::ports::{
    Clock, IdGenerator, implements_clock, implements_id_generator,
};

/// The system's wall clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now_ms(&self) -> u64 {
        // A clock set before 1970 reads as 0 rather than panicking.
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
    }
}

/// Random ids, `job-` and 16 hex digits (64 random bits): unique enough
/// across restarts and instances, which a counter is not.
#[derive(Debug)]
pub struct RandomIds {
    rng: Mutex<fastrand::Rng>,
}

impl RandomIds {
    /// A generator seeded from the operating system.
    pub fn new() -> Self {
        Self {
            rng: Mutex::new(fastrand::Rng::new()),
        }
    }
}

impl Default for RandomIds {
    fn default() -> Self {
        Self::new()
    }
}

impl IdGenerator for RandomIds {
    fn next_id(&self) -> JobId {
        let bits = self
            .rng
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .u64(..);
        JobId::parse(&format!("job-{bits:016x}")).expect("job-<hex> is a valid id")
    }
}

const _: () = implements_clock::<SystemClock>();
const _: () = implements_id_generator::<RandomIds>();

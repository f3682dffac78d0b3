//! Step 2: a heartbeat watchdog, on tokio's clock.
//!
//! The monitored side calls [`Heartbeat::beat`] while it makes progress;
//! the monitoring side awaits [`Watchdog::expired`], which resolves once no
//! beat has arrived for a whole timeout. Everything reads time through
//! `tokio::time::Instant`, so a test can pause the clock and move it by hand.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::time::{Instant, sleep_until};

/// Creates a linked pair: the [`Heartbeat`] for the party being watched and
/// the [`Watchdog`] that notices when it goes quiet. The clock starts now,
/// as if a first beat had just arrived.
pub fn watchdog(timeout: Duration) -> (Heartbeat, Watchdog) {
    let last_beat = Arc::new(Mutex::new(Instant::now()));
    let heartbeat = Heartbeat {
        last_beat: Arc::clone(&last_beat),
    };
    (heartbeat, Watchdog { last_beat, timeout })
}

/// The watched side's handle: each [`beat`](Self::beat) says "still alive".
/// Clone it to let several tasks beat.
#[derive(Debug, Clone)]
pub struct Heartbeat {
    // A std `Mutex`, not tokio's: it is held for one store or one load and
    // never across an `.await`, which is exactly when std's is the right
    // (and cheaper) choice.
    last_beat: Arc<Mutex<Instant>>,
}

/// The monitoring side: knows the timeout and when the last beat came.
#[derive(Debug)]
pub struct Watchdog {
    last_beat: Arc<Mutex<Instant>>,
    timeout: Duration,
}

/// What [`Watchdog::expired`] reports: when the silence began, and how long
/// it had lasted when the watchdog noticed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Expired {
    /// The instant of the last beat (or of creation, if none came).
    pub last_beat: Instant,
    /// Time from that instant to the moment the watchdog fired: the timeout,
    /// unless whoever awaited `expired` came late.
    pub silent_for: Duration,
}

impl Heartbeat {
    /// Records a beat now, pushing the watchdog's deadline back to now plus
    /// its timeout. Cheap and synchronous: call it from anywhere.
    pub fn beat(&self) {
        *self
            .last_beat
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = Instant::now();
    }
}

impl Watchdog {
    /// The silence after which the watchdog fires.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// When the last beat arrived (or the watchdog was created).
    pub fn last_beat(&self) -> Instant {
        *self
            .last_beat
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// The instant at which it fires unless a beat comes first.
    pub fn deadline(&self) -> Instant {
        self.last_beat() + self.timeout
    }

    /// Whether a whole timeout has passed since the last beat. The deadline
    /// itself counts as expired: a timeout of 100 ms means 100 ms of silence
    /// is too much, and 99 ms is not.
    pub fn is_expired(&self) -> bool {
        Instant::now() >= self.deadline()
    }

    /// Waits until a whole timeout passes with no beat, then says when the
    /// silence began. Returns at once if that has already happened.
    ///
    /// Cancel-safe: dropping the future (in a `select!`, say) loses nothing,
    /// because the state is the last beat's instant, not the wait.
    pub async fn expired(&self) -> Expired {
        loop {
            let last_beat = self.last_beat();
            let deadline = last_beat + self.timeout;
            let now = Instant::now();
            if now >= deadline {
                return Expired {
                    last_beat,
                    silent_for: now - last_beat,
                };
            }
            // Sleep to the deadline as it is now, then look again. A beat in
            // the meantime needs no wake-up, because a beat can only move the
            // deadline later: when this sleep ends we find the new deadline
            // and sleep again. (The rejected alternative, a channel message
            // per beat that resets a timer, wakes the watchdog on every beat:
            // a thousand beats a second would be a thousand wake-ups.)
            sleep_until(deadline).await;
        }
    }
}

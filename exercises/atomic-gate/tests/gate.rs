//! The gate's behaviour, with std threads. These tests show that the gate
//! works; they cannot show that it is always right, because a stress test
//! only sees the interleavings the machine happens to produce. The loom
//! models in `tests/loom.rs` see all of them.

use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU32, Ordering};

use atomic_gate::{Gate, Refused};

fn gate(limit: u32) -> Gate {
    Gate::new(NonZeroU32::new(limit).expect("a positive limit"))
}

#[test]
fn a_new_gate_is_open_and_empty() {
    let gate = gate(3);
    assert_eq!(gate.in_flight(), 0, "nobody has entered yet");
    assert!(!gate.is_closed(), "a new gate is open");
    assert_eq!(gate.limit(), 3);
}

#[test]
fn callers_enter_up_to_the_limit_and_the_next_is_refused() {
    let gate = gate(2);
    let first = gate.try_enter().expect("1 of 2: room");
    let second = gate.try_enter().expect("2 of 2: room");
    assert_eq!(gate.in_flight(), 2);
    assert_eq!(
        gate.try_enter().err(),
        Some(Refused::Full { limit: 2 }),
        "a third caller must be refused"
    );
    drop((first, second));
}

#[test]
fn dropping_a_pass_lets_the_next_caller_in() {
    let gate = gate(1);
    let pass = gate.try_enter().expect("room for one");
    assert!(gate.try_enter().is_err(), "full while the pass is held");
    drop(pass);
    assert_eq!(gate.in_flight(), 0, "dropping the pass leaves the gate");
    assert!(gate.try_enter().is_ok(), "and the next caller gets in");
}

#[test]
fn a_closed_gate_refuses_newcomers_and_lets_holders_finish() {
    let gate = gate(5);
    let holder = gate.try_enter().expect("open");
    gate.close();
    assert!(gate.is_closed());
    assert_eq!(
        gate.try_enter().err(),
        Some(Refused::Closed),
        "no entry after close"
    );
    assert_eq!(gate.in_flight(), 1, "the holder is still in");
    drop(holder);
    assert_eq!(gate.in_flight(), 0, "and leaves normally");
    assert_eq!(
        gate.try_enter().err(),
        Some(Refused::Closed),
        "closed stays closed"
    );
}

#[test]
fn refusals_read_well() {
    assert_eq!(
        Refused::Full { limit: 2 }.to_string(),
        "gate is full (2 in flight)"
    );
    assert_eq!(Refused::Closed.to_string(), "gate is closed");
    let gate = gate(1);
    let _pass = gate.try_enter().expect("open");
    let refusal = gate.try_enter().expect_err("full");
    assert_eq!(refusal.to_string(), "gate is full (1 in flight)");
}

#[test]
fn eight_threads_never_exceed_the_limit() {
    let gate = gate(3);
    let holding = AtomicU32::new(0);
    let most = AtomicU32::new(0);
    let entered = AtomicU32::new(0);
    std::thread::scope(|scope| {
        for _ in 0..8 {
            scope.spawn(|| {
                for _ in 0..5_000 {
                    if let Ok(pass) = gate.try_enter() {
                        let now = holding.fetch_add(1, Ordering::SeqCst) + 1;
                        most.fetch_max(now, Ordering::SeqCst);
                        entered.fetch_add(1, Ordering::SeqCst);
                        std::hint::spin_loop();
                        holding.fetch_sub(1, Ordering::SeqCst);
                        drop(pass);
                    }
                }
            });
        }
    });
    let most = most.load(Ordering::SeqCst);
    assert!(
        most <= 3,
        "at most 3 passes may be held at once, saw {most}"
    );
    assert!(
        entered.load(Ordering::SeqCst) > 0,
        "some callers must get in"
    );
    assert_eq!(
        gate.in_flight(),
        0,
        "every pass was dropped, so none is in flight"
    );
}

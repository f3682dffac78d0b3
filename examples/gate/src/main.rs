//! # Day 64 example: a lock-free gate under load, then a graceful close
//!
//! `cargo run -p gate` runs eight threads against a gate that admits three
//! at a time, records the most passes ever held at once, then closes the
//! gate while one caller is inside and shows that newcomers are refused and
//! the holder leaves normally.
//!
//! # Layout
//!
//! `main` runs the two scenes, one function each. How many tries succeed
//! depends on the scheduler, so the program prints only what must hold on
//! every run (the smoke test checks those lines): the limit was never
//! exceeded, every pass was returned, the closed gate refused entry.

use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU32, Ordering};

use atomic_gate::{Gate, Refused};

fn main() {
    under_load();
    closing();
}

fn under_load() {
    let gate = Gate::new(NonZeroU32::new(3).expect("3 > 0"));
    let holding = AtomicU32::new(0);
    let most = AtomicU32::new(0);
    let (entered, refused) = (AtomicU32::new(0), AtomicU32::new(0));
    // Scoped threads borrow the gate: no Arc needed, and every thread has
    // joined before the scope returns.
    std::thread::scope(|scope| {
        for _ in 0..8 {
            scope.spawn(|| {
                for _ in 0..20_000 {
                    match gate.try_enter() {
                        Ok(pass) => {
                            let now = holding.fetch_add(1, Ordering::SeqCst) + 1;
                            most.fetch_max(now, Ordering::SeqCst);
                            entered.fetch_add(1, Ordering::Relaxed);
                            holding.fetch_sub(1, Ordering::SeqCst);
                            drop(pass);
                        }
                        Err(_) => {
                            refused.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                }
            });
        }
    });
    let (entered, refused) = (entered.into_inner(), refused.into_inner());
    println!(
        "== 1. eight threads, 160000 tries, a gate of {}",
        gate.limit()
    );
    println!("every try was answered: {}", entered + refused == 160_000);
    println!(
        "most passes held at once was within the limit: {}",
        most.into_inner() <= gate.limit()
    );
    println!(
        "passes still out after the threads joined: {}",
        gate.in_flight()
    );
}

fn closing() {
    println!("\n== 2. closing the gate while a caller is inside");
    let gate = Gate::new(NonZeroU32::new(3).expect("3 > 0"));
    let holder = gate.try_enter().expect("an open gate with room");
    gate.close();
    match gate.try_enter() {
        Err(Refused::Closed) => println!("a newcomer is refused: gate is closed"),
        other => println!("unexpected: {other:?}"),
    }
    println!("in flight while the holder finishes: {}", gate.in_flight());
    drop(holder);
    println!("in flight after the holder leaves: {}", gate.in_flight());
}

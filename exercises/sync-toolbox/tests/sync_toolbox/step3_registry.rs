//! Step 3: `Registry` (src/registry.rs): built once per key under a race,
//! and a panicking update that poisons the lock but not the data.

use std::sync::Barrier;
use std::sync::atomic::{AtomicUsize, Ordering};

use sync_toolbox::Registry;

use crate::panics_on_a_thread;

/// Per-tenant limits, with an invariant: `soft <= hard`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Limits {
    soft: u32,
    hard: u32,
}

const LIMITS: Limits = Limits { soft: 10, hard: 20 };

#[test]
fn a_new_registry_is_empty() {
    let registry: Registry<Limits> = Registry::new();
    assert!(registry.is_empty(), "nothing was built yet");
    assert_eq!(registry.len(), 0);
    assert_eq!(registry.get("acme"), None, "no value for an unknown key");
}

#[test]
fn get_or_init_builds_a_value_once_and_then_returns_it() {
    let registry = Registry::new();
    let builds = AtomicUsize::new(0);
    let build = || {
        builds.fetch_add(1, Ordering::SeqCst);
        LIMITS
    };
    assert_eq!(registry.get_or_init("acme", build), LIMITS);
    assert_eq!(registry.get_or_init("acme", build), LIMITS);
    assert_eq!(
        builds.load(Ordering::SeqCst),
        1,
        "the second call finds the value and does not build it again"
    );
    assert_eq!(registry.get("acme"), Some(LIMITS));
    assert_eq!(registry.len(), 1);
}

#[test]
fn racing_threads_build_each_value_exactly_once() {
    let registry = Registry::new();
    let builds = AtomicUsize::new(0);
    // All eight threads leave the barrier together and ask at once.
    let start = Barrier::new(8);
    let seen: Vec<Limits> = std::thread::scope(|scope| {
        let threads: Vec<_> = (0..8)
            .map(|i| {
                let (registry, builds, start) = (&registry, &builds, &start);
                scope.spawn(move || {
                    start.wait();
                    registry.get_or_init("acme", || {
                        builds.fetch_add(1, Ordering::SeqCst);
                        Limits { soft: i, hard: 100 }
                    })
                })
            })
            .collect();
        threads
            .into_iter()
            .map(|thread| thread.join().expect("no thread panics"))
            .collect()
    });
    assert_eq!(
        builds.load(Ordering::SeqCst),
        1,
        "eight threads raced for one key: exactly one may run its init"
    );
    assert!(
        seen.iter().all(|limits| *limits == seen[0]),
        "every thread gets the one value that was built: {seen:?}"
    );
}

#[test]
fn different_keys_get_their_own_values() {
    let registry = Registry::new();
    let small = Limits { soft: 1, hard: 2 };
    registry.get_or_init("acme", || LIMITS);
    registry.get_or_init("tiny", || small);
    assert_eq!(registry.get("acme"), Some(LIMITS));
    assert_eq!(registry.get("tiny"), Some(small));
    assert_eq!(registry.len(), 2);
}

#[test]
fn a_panicking_init_leaves_no_value_and_the_next_caller_builds_it() {
    let registry: Registry<Limits> = Registry::new();
    let panicked = panics_on_a_thread(|| {
        registry.get_or_init("acme", || panic!("the settings service is down"));
    });
    assert!(panicked, "the panic reaches the caller of get_or_init");
    assert_eq!(registry.get("acme"), None, "a failed init stores nothing");
    assert_eq!(
        registry.get_or_init("acme", || LIMITS),
        LIMITS,
        "the next caller runs its own init (a OnceLock does not poison)"
    );
    assert_eq!(registry.len(), 1);
}

#[test]
fn update_replaces_the_value_for_later_readers() {
    let registry = Registry::new();
    registry.get_or_init("acme", || LIMITS);
    let changed = registry.update("acme", |limits| {
        limits.hard = 50;
        limits.soft = 40;
    });
    assert!(changed, "acme has a value, so update changes it");
    assert_eq!(registry.get("acme"), Some(Limits { soft: 40, hard: 50 }));
    assert_eq!(
        registry.get_or_init("acme", || LIMITS),
        Limits { soft: 40, hard: 50 },
        "get_or_init sees the updated value too"
    );
}

#[test]
fn update_of_a_missing_key_does_nothing() {
    let registry: Registry<Limits> = Registry::new();
    assert!(
        !registry.update("acme", |limits| limits.soft = 1),
        "there is nothing to update"
    );
    assert!(registry.is_empty(), "update does not insert");
}

#[test]
fn a_panic_inside_update_poisons_the_lock_but_not_the_data() {
    let registry = Registry::new();
    registry.get_or_init("acme", || LIMITS);
    let panicked = panics_on_a_thread(|| {
        registry.update("acme", |limits| {
            limits.soft = 30; // the invariant is broken for a moment...
            assert!(limits.soft <= limits.hard, "soft limit above hard limit");
            limits.hard = 40; // ...and this line, which would mend it, never runs
        });
    });
    assert!(panicked, "the update panicked while the lock was held");
    // The next user of the poisoned lock recovers, and finds the old value.
    let limits = registry
        .get("acme")
        .expect("the registry still answers after a panic in update");
    assert!(
        limits.soft <= limits.hard,
        "the invariant soft <= hard must hold after recovery, got {limits:?}"
    );
    assert_eq!(limits, LIMITS, "the half-done update left no trace");
    assert!(
        registry.update("acme", |limits| limits.hard = 25),
        "and later updates still work"
    );
    assert_eq!(registry.get("acme"), Some(Limits { soft: 10, hard: 25 }));
}

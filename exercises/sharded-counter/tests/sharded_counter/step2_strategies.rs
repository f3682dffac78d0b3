//! Step 2: the `Counter` trait and its three strategies (src/strategies.rs).

use sharded_counter::{AtomicCounter, Counter, MutexCounter, Strategy};

#[test]
fn every_strategy_starts_at_zero() {
    for strategy in Strategy::ALL {
        assert_eq!(
            strategy.counter().total(),
            0,
            "a fresh {strategy:?} counter must read 0"
        );
    }
}

#[test]
fn each_counter_adds_what_it_is_given() {
    let mutex = MutexCounter::default();
    mutex.add(5);
    mutex.add(2);
    assert_eq!(mutex.total(), 7, "MutexCounter: 5 + 2");
    let atomic = AtomicCounter::default();
    atomic.add(5);
    atomic.add(2);
    assert_eq!(atomic.total(), 7, "AtomicCounter: 5 + 2");
}

#[test]
fn every_strategy_counts_every_add_from_eight_threads() {
    for strategy in Strategy::ALL {
        let counter = strategy.counter();
        let counter = counter.as_ref();
        std::thread::scope(|scope| {
            for _ in 0..8 {
                scope.spawn(|| {
                    for _ in 0..5_000 {
                        counter.add(1);
                    }
                    counter.add(10);
                });
            }
        });
        assert_eq!(
            counter.total(),
            8 * (5_000 + 10),
            "{strategy:?}: 8 threads x (5000 ones and one ten), all joined"
        );
    }
}

#[test]
fn each_strategy_builds_its_own_kind_of_counter() {
    for (strategy, kind) in [
        (Strategy::Mutex, "MutexCounter"),
        (Strategy::Atomic, "AtomicCounter"),
        (Strategy::Sharded, "ShardedCounter"),
    ] {
        let debug = format!("{:?}", strategy.counter());
        assert!(
            debug.starts_with(kind),
            "Strategy::{strategy:?}.counter() should build a {kind}, got {debug}"
        );
    }
}

#[test]
fn strategies_have_short_lowercase_names_in_contention_order() {
    assert_eq!(
        Strategy::ALL,
        [Strategy::Mutex, Strategy::Atomic, Strategy::Sharded],
        "from the most contended to the least"
    );
    let names: Vec<&str> = Strategy::ALL.iter().map(|s| s.name()).collect();
    assert_eq!(names, ["mutex", "atomic", "sharded"]);
    assert_eq!(
        format!("[{:<8}]", Strategy::Atomic),
        "[atomic  ]",
        "Display prints the name and honours width and alignment"
    );
}

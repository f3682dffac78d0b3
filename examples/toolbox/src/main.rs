//! # Day 66 example: the sync toolbox at work
//!
//! `cargo run -p toolbox` runs four scenes:
//!
//! 1. A `WaitGroup` waits for four workers, one of which panics: its `Done`
//!    guard still counts it out, so the wait ends.
//! 2. A `Pool` of two pretend connections serves six threads; then, on one
//!    thread, `try_get` refuses, `get_timeout` gives up, and a discarded
//!    connection is replaced by a fresh one.
//! 3. A `Registry` builds a tenant's limits once for eight racing threads,
//!    starting from defaults in a `LazyLock`; then an update panics halfway,
//!    poisoning the lock, and the registry still serves the old value.
//! 4. Locks in async code, on tokio's paused clock: a std `Mutex` that is
//!    never held across an `.await`, and a tokio `Mutex` that is, so that
//!    three tasks share one token refresh.
//!
//! # Layout
//!
//! `main` runs the scenes, one function each. Thread timing must not leak
//! into the output, so the threaded scenes print only what holds on every
//! run (totals, limits kept, values), never "who got there first"; the async
//! scene prints times from the paused clock, which are exact. The smoke test
//! checks the lines and that two runs print the same.

use std::collections::HashMap;
use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier, LazyLock, Mutex, PoisonError};
use std::time::Duration;

use sync_toolbox::{Pool, PoolGuard, Registry, WaitGroup};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    wait_group();
    pool()?;
    registry();
    async_locks()?;
    Ok(())
}

/// Runs `f` with panic messages silenced: the scenes make threads panic on
/// purpose, and the default hook would print a backtrace note in the middle
/// of the output.
fn quietly<R>(f: impl FnOnce() -> R) -> R {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let result = f();
    std::panic::set_hook(previous);
    result
}

fn wait_group() {
    println!("== 1. a wait group, and a worker that panics");
    let group = WaitGroup::new();
    let results = Arc::new(Mutex::new(Vec::new()));
    let (pending, panicked) = quietly(|| {
        let handles: Vec<_> = (1..=4_u64)
            .map(|n| {
                // `add` here, in the spawning thread; the guard moves in.
                let done = group.add();
                let results = Arc::clone(&results);
                std::thread::spawn(move || {
                    let _done = done;
                    if n == 3 {
                        panic!("worker 3 failed");
                    }
                    // The lock is held for one push, never across other work.
                    results
                        .lock()
                        .unwrap_or_else(PoisonError::into_inner)
                        .push((n, n * n));
                })
            })
            .collect();
        // Counted before any worker could finish: `add` ran in this thread.
        let pending = handles.len();
        group.wait();
        let panicked = handles
            .into_iter()
            .map(|handle| handle.join())
            .filter(Result::is_err)
            .count();
        (pending, panicked)
    });
    println!("spawned {pending} workers, each holding a Done guard");
    let mut results = results
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .clone();
    // The workers finish in any order; sort so the output does not say which.
    results.sort_unstable();
    println!("wait returned; pending now {}", group.pending());
    println!("finished: {results:?}");
    println!("panicked: {panicked} (its guard still counted it out)");
}

/// A pretend database connection.
#[derive(Debug)]
struct Conn {
    id: usize,
    served: u32,
}

fn pool() -> Result<(), Box<dyn std::error::Error>> {
    println!("\n== 2. a pool of two connections, six threads");
    let opened = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&opened);
    let pool = Pool::new(NonZeroUsize::new(2).ok_or("2 > 0")?, move || Conn {
        id: counter.fetch_add(1, Ordering::SeqCst) + 1,
        served: 0,
    });
    let (holding, most) = (AtomicUsize::new(0), AtomicUsize::new(0));
    std::thread::scope(|scope| {
        for _ in 0..6 {
            scope.spawn(|| {
                for _ in 0..50 {
                    let mut conn = pool
                        .get_timeout(Duration::from_secs(5))
                        .expect("connections come back well within 5 s");
                    let now = holding.fetch_add(1, Ordering::SeqCst) + 1;
                    most.fetch_max(now, Ordering::SeqCst);
                    conn.served += 1; // the "query"
                    holding.fetch_sub(1, Ordering::SeqCst);
                }
            });
        }
    });
    let status = pool.status();
    let conns: Vec<_> = (0..status.idle)
        .filter_map(|_| pool.try_get().ok())
        .collect();
    let served: u32 = conns.iter().map(|conn| conn.served).sum();
    println!("queries served: {served} of 300");
    println!(
        "connections opened at most 2: {}",
        opened.load(Ordering::SeqCst) <= 2
    );
    println!(
        "never more than 2 checked out at once: {}",
        most.into_inner() <= 2
    );
    drop(conns);

    println!("\n== 2b. the same pool, one thread, both connections held");
    let first = pool.try_get()?;
    let second = pool.try_get()?;
    if let Err(error) = pool.try_get() {
        println!("try_get: {error}");
    }
    if let Err(error) = pool.get_timeout(Duration::from_millis(20)) {
        println!("get_timeout: {error}");
    }
    let before = pool.status().created;
    PoolGuard::discard(first);
    let after_discard = pool.status().created;
    let fresh = pool.try_get()?;
    println!(
        "created: {before}, after a discard {after_discard}, after the next try_get {}",
        pool.status().created
    );
    println!(
        "the replacement is connection {}, served {}",
        fresh.id, fresh.served
    );
    drop((second, fresh));
    Ok(())
}

/// Per-tenant limits; `soft <= hard` must always hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Limits {
    soft: u32,
    hard: u32,
}

/// Built on first use, by whichever thread gets there first, exactly once:
/// a `LazyLock` is a `OnceLock` that carries its own initialiser.
static DEFAULT_LIMITS: LazyLock<Limits> = LazyLock::new(|| Limits { soft: 10, hard: 20 });

fn registry() {
    println!("\n== 3. a registry: built once for eight racing threads");
    let registry = Registry::new();
    let builds = AtomicUsize::new(0);
    let start = Barrier::new(8);
    std::thread::scope(|scope| {
        for _ in 0..8 {
            scope.spawn(|| {
                start.wait();
                registry.get_or_init("acme", || {
                    builds.fetch_add(1, Ordering::SeqCst);
                    *DEFAULT_LIMITS
                })
            });
        }
    });
    println!("init ran {} time(s)", builds.into_inner());
    println!("acme: {:?}", registry.get("acme"));

    println!("\n== 3b. an update that panics halfway");
    let panicked = quietly(|| {
        std::thread::scope(|scope| {
            scope
                .spawn(|| {
                    registry.update("acme", |limits| {
                        limits.soft = 30;
                        assert!(limits.soft <= limits.hard, "soft above hard");
                        limits.hard = 40;
                    })
                })
                .join()
                .is_err()
        })
    });
    println!("the update panicked: {panicked}");
    match registry.get("acme") {
        Some(limits) => println!(
            "acme after recovery: {limits:?}, soft <= hard: {}",
            limits.soft <= limits.hard
        ),
        None => println!("acme vanished"),
    }
}

fn async_locks() -> Result<(), Box<dyn std::error::Error>> {
    println!("\n== 4. locks in async code (paused clock)");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()?;
    runtime.block_on(async {
        // A std Mutex is fine in async code when the guard is dropped before
        // the next `.await`: it is held for a few instructions, never while
        // the task is suspended. (Holding it across an `.await` would not
        // even compile inside `tokio::spawn`: a std guard is not `Send`.)
        let hits: Arc<Mutex<HashMap<&str, u32>>> = Arc::default();
        let mut tasks = tokio::task::JoinSet::new();
        for (i, path) in ["/a", "/b", "/a", "/c", "/a"].into_iter().enumerate() {
            let hits = Arc::clone(&hits);
            tasks.spawn(async move {
                {
                    let mut hits = hits.lock().unwrap_or_else(PoisonError::into_inner);
                    *hits.entry(path).or_default() += 1;
                } // guard dropped here, before the await
                tokio::time::sleep(Duration::from_millis(10 * i as u64)).await;
            });
        }
        tasks.join_all().await;
        let mut counted: Vec<_> = hits
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
            .map(|(path, n)| (*path, *n))
            .collect();
        counted.sort_unstable();
        println!("std Mutex, no await while held: hits {counted:?}");

        // A tokio Mutex when the lock must be held across an `.await`: the
        // first task refreshes the token while holding the lock, and the
        // others wait for that refresh instead of starting their own.
        let token: Arc<tokio::sync::Mutex<Option<String>>> = Arc::default();
        let refreshes = Arc::new(AtomicUsize::new(0));
        let start = tokio::time::Instant::now();
        let mut tasks = tokio::task::JoinSet::new();
        for _ in 0..3 {
            let (token, refreshes) = (Arc::clone(&token), Arc::clone(&refreshes));
            tasks.spawn(async move {
                let mut token = token.lock().await;
                if token.is_none() {
                    refreshes.fetch_add(1, Ordering::SeqCst);
                    tokio::time::sleep(Duration::from_millis(100)).await; // the call
                    *token = Some("token-1".to_owned());
                }
                token.clone()
            });
        }
        let got = tasks.join_all().await;
        println!(
            "tokio Mutex across an await: {} refresh, {} tasks got {:?} at t={} ms",
            refreshes.load(Ordering::SeqCst),
            got.len(),
            got[0],
            start.elapsed().as_millis()
        );
    });
    Ok(())
}

//! Step 3: a read-mostly registry whose values are built once per key.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

/// The map behind the lock: each value in its own `OnceLock`.
type Entries<V> = HashMap<String, Arc<OnceLock<V>>>;

/// Named values (per-tenant settings, clients, compiled templates) that are
/// read on every request, built at most once per name, and replaced now and
/// then.
///
/// A thundering herd of callers asking for the same missing name runs its
/// `init` once; the others wait for that result, and callers of other names
/// do not wait at all. (Go's `singleflight` does the same job.)
///
/// Values are returned by clone: store an `Arc<T>` when `T` is big.
#[derive(Debug)]
pub struct Registry<V> {
    /// `RwLock`: lookups vastly outnumber inserts, and readers do not block
    /// each other. Each value sits in its own `OnceLock`, behind an `Arc` so
    /// that a caller can keep the cell after the map's lock is released.
    entries: RwLock<Entries<V>>,
}

impl<V: Clone> Registry<V> {
    /// An empty registry.
    pub fn new() -> Self {
        Self {
            entries: RwLock::new(HashMap::new()),
        }
    }

    /// The value for `key`, built with `init` if there is none yet.
    ///
    /// However many threads call this at once for the same key, `init` runs
    /// once and they all get its value. A panic in `init` reaches its caller
    /// and leaves the key without a value: the next caller runs its own
    /// `init`.
    pub fn get_or_init(&self, key: &str, init: impl FnOnce() -> V) -> V {
        let cell = self.cell(key);
        // No lock on the map is held here: `init` may be slow (a network
        // call) and may even use the registry. Callers racing on this key
        // all hold the same cell; `OnceLock` runs one `init` and blocks the
        // others until it is done. The rejected alternative, running `init`
        // under the map's write lock, would stall every reader of every key
        // for as long as `init` takes, and deadlock if `init` used the
        // registry.
        cell.get_or_init(init).clone()
    }

    /// The value for `key`, if one has been built.
    pub fn get(&self, key: &str) -> Option<V> {
        self.read().get(key).and_then(|cell| cell.get().cloned())
    }

    /// Changes the value for `key` with `change`, if it has one; returns
    /// whether it did.
    ///
    /// `change` works on a copy, which replaces the stored value only once
    /// `change` has returned: if it panics halfway, readers keep seeing the
    /// old value, never a half-changed one. It runs under the write lock, so
    /// two updates cannot both start from the same old value and lose one
    /// change; keep it short, because readers wait for it.
    pub fn update(&self, key: &str, change: impl FnOnce(&mut V)) -> bool {
        let mut entries = self.write();
        let Some(current) = entries.get(key).and_then(|cell| cell.get()) else {
            return false;
        };
        let mut next = current.clone();
        // If `change` panics here, the write guard is dropped while the
        // thread unwinds and the lock is poisoned, but the map is exactly as
        // it was: the copy is thrown away. That is why every lock call in
        // this file may recover from poison (see `read`). The rejected
        // alternative, `change(entry)` in place, leaves a half-changed value
        // behind a poisoned lock; recovering from that would hand it to
        // every reader, and the only honest answer would be to propagate the
        // panic (`.expect("registry poisoned")`).
        change(&mut next);
        entries.insert(key.to_owned(), Arc::new(OnceLock::from(next)));
        true
    }

    /// How many keys have a value.
    pub fn len(&self) -> usize {
        self.read()
            .values()
            .filter(|cell| cell.get().is_some())
            .count()
    }

    /// Whether no key has a value.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The cell for `key`, created empty if missing. Returns with no lock
    /// held.
    fn cell(&self, key: &str) -> Arc<OnceLock<V>> {
        // Fast path: a read lock, shared with every other reader. The block
        // matters: the read guard must be gone before `write()` below. A
        // std `RwLock` cannot be upgraded, and asking for the write lock
        // while this thread holds a read lock waits for ever (or panics).
        {
            if let Some(cell) = self.read().get(key) {
                return Arc::clone(cell);
            }
        }
        // Slow path: the write lock. Between the two locks another thread
        // may have inserted the cell, so `entry` checks again instead of
        // inserting blindly, which would replace that thread's cell and let
        // two `init`s run.
        let mut entries = self.write();
        Arc::clone(entries.entry(key.to_owned()).or_default())
    }

    /// A read lock, recovering from poison: every write to the map is an
    /// `insert` of a finished value, done only after caller code (`change`)
    /// has returned, so a poisoned flag never means a half-written map.
    /// Short read sections matter too: on some platforms a steady stream of
    /// readers can keep a writer waiting indefinitely, and on others a
    /// waiting writer blocks new readers.
    fn read(&self) -> RwLockReadGuard<'_, Entries<V>> {
        self.entries.read().unwrap_or_else(PoisonError::into_inner)
    }

    /// The write lock, recovering from poison (see `read` for why that is
    /// safe here).
    fn write(&self) -> RwLockWriteGuard<'_, Entries<V>> {
        self.entries.write().unwrap_or_else(PoisonError::into_inner)
    }
}

impl<V: Clone> Default for Registry<V> {
    fn default() -> Self {
        Self::new()
    }
}

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
        todo!("Registry::new")
    }

    /// The value for `key`, built with `init` if there is none yet.
    ///
    /// However many threads call this at once for the same key, `init` runs
    /// once and they all get its value. A panic in `init` reaches its caller
    /// and leaves the key without a value: the next caller runs its own
    /// `init`.
    pub fn get_or_init(&self, key: &str, init: impl FnOnce() -> V) -> V {
        // TODO: get the key's cell with `self.cell(key)` (which returns with
        // no lock held), then `cell.get_or_init(init)` and clone the value.
        // Do not run `init` while holding the map's lock.
        todo!("Registry::get_or_init: the cell, then OnceLock::get_or_init")
    }

    /// The value for `key`, if one has been built.
    pub fn get(&self, key: &str) -> Option<V> {
        todo!("Registry::get: a read lock, the cell, its value if set")
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
        // TODO: take the write lock; no cell or an empty cell means false.
        // Clone the current value, let `change` work on the copy, and only
        // then insert `Arc::new(OnceLock::from(copy))` under the key. If
        // `change` panics, the map must be exactly as it was.
        todo!("Registry::update: change a copy, then swap it in")
    }

    /// How many keys have a value.
    pub fn len(&self) -> usize {
        todo!("Registry::len: count the cells that hold a value")
    }

    /// Whether no key has a value.
    pub fn is_empty(&self) -> bool {
        todo!("Registry::is_empty")
    }

    /// The cell for `key`, created empty if missing. Returns with no lock
    /// held.
    fn cell(&self, key: &str) -> Arc<OnceLock<V>> {
        // TODO: under a read lock, clone the Arc of an existing cell and
        // return it. Otherwise (with the read guard dropped first: a std
        // RwLock cannot be upgraded) take the write lock and use
        // `entry(key.to_owned()).or_default()`: another thread may have
        // inserted the cell between the two locks.
        todo!("Registry::cell: read lock, else write lock and entry")
    }

    /// A read lock, recovering from poison: every write to the map is an
    /// `insert` of a finished value, done only after caller code (`change`)
    /// has returned, so a poisoned flag never means a half-written map.
    /// Short read sections matter too: on some platforms a steady stream of
    /// readers can keep a writer waiting indefinitely, and on others a
    /// waiting writer blocks new readers.
    fn read(&self) -> RwLockReadGuard<'_, Entries<V>> {
        // TODO: a read lock, recovering from poison.
        todo!("Registry::read")
    }

    /// The write lock, recovering from poison (see `read` for why that is
    /// safe here).
    fn write(&self) -> RwLockWriteGuard<'_, Entries<V>> {
        // TODO: the write lock, recovering from poison.
        todo!("Registry::write")
    }
}

impl<V: Clone> Default for Registry<V> {
    fn default() -> Self {
        Self::new()
    }
}

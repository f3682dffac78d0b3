//! Step 1: the frontier, the crawl's bookkeeping, without any concurrency.
//!
//! Everything a crawl must remember lives here, in one plain struct with no
//! lock and no atomic: the set of addresses already seen, the queue of pages
//! still to fetch, the depth limit, and the outstanding-work counter that
//! says when the crawl is over. Only one task (the coordinator, step 4)
//! ever touches it, so `&mut self` is all the synchronisation it needs.

use std::collections::{HashSet, VecDeque};

use crate::Url;

/// One page to fetch, and how many links away from the seed it was found.
///
/// A `Job` is handed out by [`Frontier::next`] and must come back, exactly
/// once, through [`Frontier::complete`]. It is deliberately not `Clone`: a
/// job that could be copied could be completed twice.
#[derive(Debug, PartialEq, Eq)]
pub struct Job {
    url: Url,
    depth: u32,
}

impl Job {
    /// A job for `url` at `depth` links from the seed.
    pub fn new(url: Url, depth: u32) -> Self {
        Self { url, depth }
    }

    /// The page to fetch.
    pub fn url(&self) -> &Url {
        &self.url
    }

    /// Links from the seed: the seed is at depth 0.
    pub fn depth(&self) -> u32 {
        self.depth
    }
}

/// The crawl's single-owner state: de-duplication, the queue, the depth
/// limit and the outstanding-work counter.
#[derive(Debug)]
pub struct Frontier {
    /// Every address ever accepted, queued, fetching or done. A page enters
    /// it once, so it is fetched once.
    seen: HashSet<Url>,
    /// Accepted and not yet handed out, in the order found (breadth first).
    queue: VecDeque<Job>,
    max_depth: u32,
    /// Accepted and not yet completed: queued plus in flight. The crawl is
    /// over exactly when this reaches zero.
    outstanding: usize,
}

impl Frontier {
    /// A frontier holding only `seed`, at depth 0. Links deeper than
    /// `max_depth` are never accepted (`u32::MAX` for no limit). A page's
    /// depth is fixed when it is first found, one more than the page it was
    /// found on.
    pub fn new(seed: Url, max_depth: u32) -> Self {
        // TODO: an empty frontier (no page seen, nothing queued, nothing
        // outstanding), then `offer` the seed at depth 0.
        todo!("Frontier::new: an empty frontier, then offer the seed")
    }

    /// Accepts `url` if it is new and not too deep: marks it seen, queues it
    /// and counts it as outstanding. Returns whether it was accepted.
    fn offer(&mut self, url: Url, depth: u32) -> bool {
        // TODO: refuse a page deeper than `max_depth`, or one already seen
        // (`HashSet::insert` returns false then, and marks it otherwise).
        // Queue a new page at the back and count it as outstanding.
        todo!("Frontier::offer: de-duplicate, respect the depth limit, count it")
    }

    /// The next page to fetch, breadth first, or `None` if nothing is
    /// queued (pages may still be in flight: see [`Frontier::is_done`]).
    /// The job stays outstanding until it is completed.
    pub fn next_job(&mut self) -> Option<Job> {
        todo!("Frontier::next_job: the front of the queue")
    }

    /// The job [`Frontier::next`] would return, without taking it.
    pub fn peek(&self) -> Option<&Job> {
        todo!("Frontier::peek: the front of the queue, left in place")
    }

    /// Records that `job` finished, with the links found on its page (none
    /// if the fetch failed): accepts the new ones at the next depth, then
    /// stops counting `job` as outstanding.
    ///
    /// # Panics
    ///
    /// If nothing is in flight: a job completed twice, or never handed out,
    /// would silently end the crawl early.
    pub fn complete(&mut self, job: Job, links: &[Url]) {
        // TODO: panic (with `assert!`) if nothing is in flight, that is if
        // `outstanding` is not larger than the queue. Offer every link at
        // `job.depth + 1` (no links if the depth would overflow), and only
        // then count the job as no longer outstanding.
        todo!("Frontier::complete: offer the links, then one less outstanding")
    }

    /// True once every accepted page has been completed: nothing queued and
    /// nothing in flight. Not "the queue is empty": the queue is empty every
    /// time the last queued page is handed out, while its links are still
    /// on the way.
    pub fn is_done(&self) -> bool {
        todo!("Frontier::is_done: nothing outstanding")
    }

    /// Pages accepted and not yet completed (queued plus in flight).
    pub fn outstanding(&self) -> usize {
        self.outstanding
    }

    /// Pages accepted and not yet handed out.
    pub fn queued(&self) -> usize {
        self.queue.len()
    }

    /// Distinct pages accepted so far.
    pub fn seen(&self) -> usize {
        self.seen.len()
    }
}

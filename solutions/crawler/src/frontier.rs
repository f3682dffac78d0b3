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
    seen: HashSet<Seen>,
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
        let mut frontier = Self {
            seen: HashSet::new(),
            queue: VecDeque::new(),
            max_depth,
            outstanding: 0,
        };
        frontier.offer(&seed, 0);
        frontier
    }

    /// Accepts `url` if it is new and not too deep: marks it seen, queues it
    /// and counts it as outstanding. Returns whether it was accepted.
    fn offer(&mut self, url: &Url, depth: u32) -> bool {
        // `insert` answers "was it new?" and records it in one step: there is
        // no window between the check and the mark (the classic
        // check-then-act race cannot happen with one owner anyway, but one
        // hash lookup is also cheaper than `contains` then `insert`). The
        // address is cloned only once it is known to be new: most links on
        // a page are not (nine in ten on the benchmark's web), and a
        // copy made only to be dropped is an allocation and a free per link.
        if depth > self.max_depth || !self.seen.insert(Seen::new(url)) {
            return false;
        }
        self.queue.push_back(Job::new(url.clone(), depth));
        self.outstanding += 1;
        true
    }

    /// The next page to fetch, breadth first, or `None` if nothing is
    /// queued (pages may still be in flight: see [`Frontier::is_done`]).
    /// The job stays outstanding until it is completed.
    pub fn next_job(&mut self) -> Option<Job> {
        self.queue.pop_front()
    }

    /// The job [`Frontier::next`] would return, without taking it.
    pub fn peek(&self) -> Option<&Job> {
        self.queue.front()
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
        assert!(
            self.outstanding > self.queue.len(),
            "completed a job that was not in flight: {}",
            job.url
        );
        // Add the children BEFORE removing the parent. In this single-owner
        // code nobody looks in between, but it is the rule that keeps a
        // shared counter (a Go `WaitGroup`, an atomic) from touching zero
        // while work remains: `Add` before `Done`.
        if let Some(depth) = job.depth.checked_add(1) {
            for link in links {
                self.offer(link, depth);
            }
        }
        self.outstanding -= 1;
    }

    /// True once every accepted page has been completed: nothing queued and
    /// nothing in flight. Not "the queue is empty": the queue is empty every
    /// time the last queued page is handed out, while its links are still
    /// on the way.
    pub fn is_done(&self) -> bool {
        self.outstanding == 0
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

/// An address as the seen set holds it: a short one (nearly all of them)
/// inline, a longer one in its own allocation.
///
/// Why not `HashSet<Url>`: a `Url` keeps its text in a `String` elsewhere on
/// the heap, so checking a link that is already known (most of them) finds
/// the table's slot and then follows its pointer to compare the text, a
/// second cache miss per link. In a profile of the benchmark that compare
/// was the largest single item of the coordinator's work. Inline, the text
/// sits in the slot itself. Measured: the runtime thread's time per page
/// fell by about a tenth, and C = 128 gained 1.5 to 2 points of throughput.
/// The rejected shortcut is a set of 64-bit hashes alone: smaller still,
/// but two addresses with the same hash would make one page never fetched.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Seen {
    /// The text's length, then the text, padded with zeros.
    Inline(u8, [u8; INLINE]),
    Long(Box<str>),
}

/// Enough for `http://some-host.example/a/path.html`; with the length byte
/// and the tag, a slot is 48 bytes, the size of the `Url` it replaces plus
/// half.
const INLINE: usize = 46;

impl Seen {
    fn new(url: &Url) -> Self {
        let text = url.as_str();
        match u8::try_from(text.len()) {
            Ok(len) if text.len() <= INLINE => {
                let mut bytes = [0; INLINE];
                bytes[..text.len()].copy_from_slice(text.as_bytes());
                Self::Inline(len, bytes)
            }
            _ => Self::Long(text.into()),
        }
    }
}

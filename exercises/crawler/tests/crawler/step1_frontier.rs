//! Step 1: the frontier (src/frontier.rs), single-threaded bookkeeping.
//!
//! No runtime, no tasks: the frontier is plain data, driven here by hand
//! the way the coordinator will drive it.

use std::collections::BTreeMap;

use crawler::memory::Web;
use crawler::{Frontier, Job, Url};
use proptest::prelude::*;

use crate::{url, webs};

#[test]
fn the_seed_is_queued_and_outstanding() {
    let mut frontier = Frontier::new(url("http://a.test/"), 5);
    assert_eq!(frontier.outstanding(), 1, "the seed counts as outstanding");
    assert_eq!(frontier.queued(), 1, "the seed is queued");
    assert_eq!(frontier.seen(), 1, "the seed is seen");
    assert!(
        !frontier.is_done(),
        "a crawl with a queued seed is not done"
    );
    let job = frontier.next_job().expect("the seed is handed out first");
    assert_eq!(job.url(), &url("http://a.test/"));
    assert_eq!(job.depth(), 0, "the seed is at depth 0");
    assert!(frontier.next_job().is_none(), "nothing else is queued");
}

#[test]
fn a_page_is_accepted_once_however_often_it_is_linked() {
    let mut frontier = Frontier::new(url("http://a.test/"), 5);
    let seed = frontier.next_job().expect("the seed");
    let links = [
        url("http://a.test/x"),
        url("http://a.test/"), // a link back to the seed
        url("http://a.test/x"),
        url("http://a.test/x#section"), // the same page, another fragment
        url("http://a.test/y"),
    ];
    frontier.complete(seed, &links);
    assert_eq!(frontier.queued(), 2, "only x and y are new");
    assert_eq!(frontier.seen(), 3, "seed, x and y have been seen");
    let x = frontier.next_job().expect("x comes first, in link order");
    assert_eq!(x.url(), &url("http://a.test/x"));
    assert_eq!(x.depth(), 1, "x is one link from the seed");
    // x links to itself and to y, both already seen.
    frontier.complete(x, &[url("http://a.test/x"), url("http://a.test/y")]);
    assert_eq!(
        frontier.queued(),
        1,
        "a self-link or a known page adds nothing"
    );
}

#[test]
fn links_beyond_the_depth_limit_are_not_accepted() {
    let mut frontier = Frontier::new(url("http://a.test/0"), 1);
    let seed = frontier.next_job().expect("the seed");
    frontier.complete(seed, &[url("http://a.test/1")]);
    let one = frontier.next_job().expect("depth 1 is within the limit");
    frontier.complete(one, &[url("http://a.test/2")]);
    assert!(
        frontier.next_job().is_none(),
        "a page at depth 2 is beyond a limit of 1"
    );
    assert!(
        frontier.is_done(),
        "with nothing deeper allowed, the crawl is done"
    );
}

#[test]
fn a_depth_limit_of_zero_fetches_the_seed_only() {
    let mut frontier = Frontier::new(url("http://a.test/"), 0);
    let seed = frontier.next_job().expect("the seed is always accepted");
    frontier.complete(seed, &[url("http://a.test/x")]);
    assert_eq!(frontier.queued(), 0, "no link is followed at limit 0");
    assert!(frontier.is_done());
}

#[test]
fn the_crawl_is_done_only_when_nothing_is_queued_or_in_flight() {
    let mut frontier = Frontier::new(url("http://a.test/"), 5);
    let seed = frontier.next_job().expect("the seed");
    assert_eq!(frontier.queued(), 0, "the queue is empty now...");
    assert!(
        !frontier.is_done(),
        "...but the seed is in flight, and its links are still to come"
    );
    assert_eq!(frontier.outstanding(), 1, "the seed is still outstanding");
    frontier.complete(seed, &[url("http://a.test/a"), url("http://a.test/b")]);
    assert_eq!(
        frontier.outstanding(),
        2,
        "the seed is done, and its two links are outstanding"
    );
    let a = frontier.next_job().expect("a");
    let b = frontier.next_job().expect("b");
    frontier.complete(b, &[]);
    assert!(!frontier.is_done(), "a is still in flight");
    frontier.complete(a, &[]);
    assert!(
        frontier.is_done(),
        "nothing queued, nothing in flight: done"
    );
    assert_eq!(frontier.outstanding(), 0);
}

#[test]
fn completing_a_job_that_was_never_handed_out_is_refused() {
    let mut frontier = Frontier::new(url("http://a.test/"), 5);
    let seed = frontier.next_job().expect("the seed");
    frontier.complete(seed, &[]);
    assert!(frontier.is_done(), "the seed alone was the whole crawl");
    // A job made up by hand, or completed twice, would make the counter go
    // below zero (or end a crawl early): `complete` must panic instead.
    let forged = Job::new(url("http://a.test/"), 0);
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || {
        frontier.complete(forged, &[]);
    }));
    assert!(
        outcome.is_err(),
        "completing a job that is not in flight should panic"
    );
}

/// Drives a frontier the way the coordinator will, but completing the
/// in-flight jobs in an arbitrary order (`picks`), and counts the fetches.
fn drive(web: &Web, seed: &Url, max_depth: u32, picks: &[usize]) -> BTreeMap<Url, usize> {
    let mut frontier = Frontier::new(seed.clone(), max_depth);
    let mut in_flight: Vec<Job> = Vec::new();
    let mut fetched = BTreeMap::new();
    let mut pick = picks.iter().cycle();
    while !frontier.is_done() {
        // Take up to three jobs, then complete one of those in flight.
        while in_flight.len() < 3 {
            let Some(job) = frontier.next_job() else {
                break;
            };
            in_flight.push(job);
        }
        let index = pick.next().copied().unwrap_or(0) % in_flight.len();
        let job = in_flight.swap_remove(index);
        *fetched.entry(job.url().clone()).or_insert(0) += 1;
        let links = web.links(job.url()).to_vec();
        frontier.complete(job, &links);
    }
    fetched
}

/// Drives a frontier one job at a time, in the order it hands them out.
fn drive_in_order(web: &Web, seed: &Url, max_depth: u32) -> BTreeMap<Url, usize> {
    let mut frontier = Frontier::new(seed.clone(), max_depth);
    let mut fetched = BTreeMap::new();
    while let Some(job) = frontier.next_job() {
        *fetched.entry(job.url().clone()).or_insert(0) += 1;
        let links = web.links(job.url()).to_vec();
        frontier.complete(job, &links);
    }
    assert!(
        frontier.is_done(),
        "an empty queue with nothing in flight is done"
    );
    fetched
}

proptest! {
    #![proptest_config(crate::properties())]

    #[test]
    fn any_completion_order_fetches_each_reachable_page_once(
        web in webs(),
        picks in proptest::collection::vec(0_usize..8, 1..20),
    ) {
        let seed = url("http://h0.test/0");
        let fetched = drive(&web, &seed, u32::MAX, &picks);
        let expected: BTreeMap<Url, usize> =
            web.reachable(&seed, u32::MAX).into_iter().map(|u| (u, 1)).collect();
        prop_assert_eq!(
            fetched, expected,
            "exactly the pages within reach of the seed, each exactly once"
        );
    }

    #[test]
    fn with_a_depth_limit_no_page_is_fetched_twice_or_out_of_reach(
        web in webs(),
        max_depth in 0_u32..6,
        picks in proptest::collection::vec(0_usize..8, 1..20),
    ) {
        // Completed out of order, a page may first be found along a longer
        // path than the shortest one, and then count as deeper than a
        // breadth-first search would say: a depth-limited concurrent crawl
        // can reach fewer pages than the sequential one. It can never fetch
        // a page twice, nor one that is out of reach.
        let seed = url("http://h0.test/0");
        let fetched = drive(&web, &seed, max_depth, &picks);
        let reachable = web.reachable(&seed, max_depth);
        for (page, count) in &fetched {
            prop_assert_eq!(*count, 1, "{} was fetched more than once", page);
            prop_assert!(reachable.contains(page), "{} is out of reach", page);
        }
        prop_assert!(fetched.contains_key(&seed), "the seed is always fetched");
    }

    #[test]
    fn in_breadth_first_order_the_depth_limit_matches_a_sequential_search(
        web in webs(),
        max_depth in 0_u32..6,
    ) {
        // One job at a time, in the order handed out: exactly a BFS.
        let seed = url("http://h0.test/0");
        let fetched = drive_in_order(&web, &seed, max_depth);
        let expected: BTreeMap<Url, usize> =
            web.reachable(&seed, max_depth).into_iter().map(|u| (u, 1)).collect();
        prop_assert_eq!(fetched, expected, "the pages within {} links", max_depth);
    }
}

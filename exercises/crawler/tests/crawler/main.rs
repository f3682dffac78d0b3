//! Tests for the `crawler` exercise, one module per step of the lesson.
//!
//! Run them with `cargo test -p crawler`; they fail until you implement the
//! step they test. The modules are numbered in the lesson's order
//! (frontier, limit, pool, crawl), so failures are listed step by step. To
//! run one step only: `cargo test -p crawler step1`.
//!
//! Everything timed runs on tokio's paused clock: a fetch that "takes 10 ms"
//! is a `tokio::time::sleep` that completes as soon as every task is
//! waiting, and `Instant::now()` jumps by exactly 10 ms. So the tests can
//! assert exact instants ("the fifth fetch started at 400 ms") without ever
//! sleeping for real, and they never flake on a busy machine.

mod step1_frontier;
mod step2_limit;
mod step3_pool;
mod step4_crawl;

use std::time::Duration;

use crawler::Url;
use crawler::memory::Web;
use proptest::prelude::*;
use proptest::test_runner::Config;

/// Parses a URL the test knows is valid.
fn url(text: &str) -> Url {
    Url::parse(text).expect("the test's url is valid")
}

/// `n` milliseconds.
fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// Property tests run 64 random cases each (every case is a whole crawl)
/// and write no regression files into your exercise folder.
fn properties() -> Config {
    Config {
        cases: 64,
        failure_persistence: None,
        ..Config::default()
    }
}

/// Small random webs: `pages` pages with up to four links each, some of
/// them to pages that do not exist.
fn webs() -> impl Strategy<Value = Web> {
    (1_usize..30).prop_flat_map(|pages| {
        proptest::collection::vec(proptest::collection::vec(0..pages + 5, 0..4), pages)
            .prop_map(|links| {
                let page = |n: usize| url(&format!("http://h{}.test/{n}", n % 3));
                let mut web = Web::new();
                for (n, targets) in links.into_iter().enumerate() {
                    web.add(page(n), targets.into_iter().map(page).collect());
                }
                web
            })
    })
}

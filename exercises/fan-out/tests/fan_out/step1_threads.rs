//! Step 1: `parallel_map` over scoped threads (src/threads.rs).

use std::collections::HashSet;
use std::num::NonZeroUsize;
use std::sync::Mutex;
use std::thread::ThreadId;

use fan_out::parallel_map;

fn workers(n: usize) -> NonZeroUsize {
    NonZeroUsize::new(n).expect("at least one worker")
}

#[test]
fn results_come_back_in_the_input_order() {
    let numbers: Vec<u64> = (1..=1_000).collect();
    let squares = parallel_map(&numbers, workers(4), |n| n * n);
    let expected: Vec<u64> = numbers.iter().map(|n| n * n).collect();
    assert_eq!(
        squares, expected,
        "result i must be f(item i), whatever order the threads finish in"
    );
}

#[test]
fn the_work_is_spread_over_exactly_the_given_number_of_threads() {
    let seen: Mutex<HashSet<ThreadId>> = Mutex::default();
    let items: Vec<u32> = (0..100).collect();
    parallel_map(&items, workers(4), |_| {
        seen.lock().unwrap().insert(std::thread::current().id());
    });
    let seen = seen.into_inner().unwrap();
    assert_eq!(
        seen.len(),
        4,
        "100 items on 4 workers: 4 threads, one per chunk"
    );
    assert!(
        !seen.contains(&std::thread::current().id()),
        "the calling thread only waits"
    );
}

#[test]
fn more_workers_than_items_uses_one_thread_per_item() {
    let seen: Mutex<HashSet<ThreadId>> = Mutex::default();
    let words = ["threads", "and", "tasks"];
    let lengths = parallel_map(&words, workers(8), |w| {
        seen.lock().unwrap().insert(std::thread::current().id());
        w.len()
    });
    assert_eq!(lengths, [7, 3, 5]);
    assert_eq!(
        seen.into_inner().unwrap().len(),
        3,
        "no idle threads for missing items"
    );
}

#[test]
fn an_empty_slice_gives_an_empty_result_without_threads() {
    let seen: Mutex<HashSet<ThreadId>> = Mutex::default();
    let nothing: Vec<u8> = Vec::new();
    let result: Vec<u8> = parallel_map(&nothing, workers(4), |b| {
        seen.lock().unwrap().insert(std::thread::current().id());
        *b
    });
    assert!(result.is_empty());
    assert!(seen.into_inner().unwrap().is_empty());
}

#[test]
fn the_closure_may_borrow_from_the_caller() {
    // A scoped thread may borrow `offset` and `items`: no Arc, no clone.
    let offset = String::from("+");
    let items = vec![String::from("a"), String::from("b")];
    let joined = parallel_map(&items, workers(2), |s| format!("{offset}{s}"));
    assert_eq!(joined, ["+a", "+b"]);
}

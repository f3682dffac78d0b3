//! Step 2: `run_all` over tokio tasks and a `JoinSet` (src/tasks.rs).
//!
//! With tokio's clock paused, a task's `sleep` completes as soon as every
//! task is waiting, and `Instant::now()` jumps by exactly the delay: the
//! tests can state how long a run took without sleeping.

use std::time::Duration;

use fan_out::{TaskError, run_all};
use tokio::time::{Instant, sleep};

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

#[tokio::test(start_paused = true)]
async fn results_come_back_in_the_input_order() {
    // The first input sleeps longest, so the tasks finish in reverse order.
    let results = run_all(vec![30_u64, 20, 10], |delay| async move {
        sleep(ms(delay)).await;
        delay * 2
    })
    .await;
    assert_eq!(
        results,
        [Ok(60), Ok(40), Ok(20)],
        "result i belongs to input i, not to the i-th to finish"
    );
}

#[tokio::test(start_paused = true)]
async fn the_tasks_run_at_the_same_time() {
    let start = Instant::now();
    let results = run_all((0..10).collect(), |i: u32| async move {
        sleep(ms(100)).await;
        i
    })
    .await;
    assert_eq!(results.len(), 10);
    assert_eq!(
        start.elapsed(),
        ms(100),
        "ten 100 ms waits side by side take 100 ms, not 1 s"
    );
}

#[tokio::test(start_paused = true)]
async fn a_panicking_task_is_an_error_for_its_input_only() {
    let results = run_all(vec![1_u32, 2, 3], |n| async move {
        if n == 2 {
            panic!("input 2 is cursed");
        }
        n * 10
    })
    .await;
    assert_eq!(
        results,
        [
            Ok(10),
            Err(TaskError::Panicked {
                index: 1,
                message: "input 2 is cursed".to_owned()
            }),
            Ok(30)
        ],
        "the panic is reported at its input's index, and the other tasks still finish"
    );
}

#[tokio::test(start_paused = true)]
async fn no_inputs_means_no_results() {
    let results: Vec<Result<u8, TaskError>> =
        run_all(Vec::<u8>::new(), |b| async move { b }).await;
    assert!(results.is_empty());
}

#[tokio::test(start_paused = true)]
async fn task_errors_read_well() {
    let panicked = TaskError::Panicked {
        index: 4,
        message: "boom".to_owned(),
    };
    assert_eq!(panicked.to_string(), "task 4 panicked: boom");
    assert_eq!(
        TaskError::Cancelled { index: 0 }.to_string(),
        "task 0 was cancelled"
    );
    // And a real one: a panic with a formatted message (a String payload).
    let results = run_all(vec![7_u32], |n| async move {
        if n == 7 {
            panic!("bad input {n}");
        }
        n
    })
    .await;
    assert_eq!(
        results[0].as_ref().unwrap_err().to_string(),
        "task 0 panicked: bad input 7"
    );
}

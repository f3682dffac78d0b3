//! Step 3: `RetryBudget` (src/budget.rs).

use std::sync::Arc;

use backoff::{BudgetError, RetryBudget};

fn budget(max_tokens: u32, token_ratio: f64) -> RetryBudget {
    RetryBudget::new(max_tokens, token_ratio).expect("a valid budget")
}

#[test]
fn a_new_budget_is_full_and_allows_retries() {
    let budget = budget(10, 0.1);
    assert_eq!(budget.tokens(), 10.0, "a budget starts with max_tokens");
    assert!(budget.allows_retry(), "a full budget allows retries");
}

#[test]
fn retries_stop_once_half_the_tokens_are_gone() {
    let budget = budget(10, 0.1);
    for _ in 0..4 {
        budget.record_failure();
    }
    assert_eq!(budget.tokens(), 6.0, "each failure takes one token");
    assert!(
        budget.allows_retry(),
        "6 of 10 tokens is more than half: retries allowed"
    );
    budget.record_failure();
    assert!(
        !budget.allows_retry(),
        "5 of 10 tokens is not *more* than half: retries must stop"
    );
}

#[test]
fn successes_refill_the_budget_by_the_token_ratio() {
    let budget = budget(10, 0.1);
    for _ in 0..5 {
        budget.record_failure();
    }
    for _ in 0..10 {
        budget.record_success();
    }
    assert_eq!(
        budget.tokens(),
        6.0,
        "ten successes at ratio 0.1 give back exactly one token (no float drift)"
    );
    assert!(
        budget.allows_retry(),
        "back above half: retries allowed again"
    );
}

#[test]
fn tokens_stay_between_zero_and_the_maximum() {
    let budget = budget(3, 0.5);
    for _ in 0..10 {
        budget.record_success();
    }
    assert_eq!(
        budget.tokens(),
        3.0,
        "successes never fill the budget past max_tokens"
    );
    for _ in 0..10 {
        budget.record_failure();
    }
    assert_eq!(
        budget.tokens(),
        0.0,
        "failures never take the budget below zero"
    );
}

#[test]
fn invalid_budgets_are_rejected() {
    assert_eq!(
        RetryBudget::new(0, 0.1).unwrap_err(),
        BudgetError::MaxTokens(0)
    );
    assert_eq!(
        RetryBudget::new(1001, 0.1).unwrap_err(),
        BudgetError::MaxTokens(1001)
    );
    assert_eq!(
        RetryBudget::new(10, 0.0).unwrap_err(),
        BudgetError::TokenRatio(0.0)
    );
    assert_eq!(
        RetryBudget::new(10, -1.0).unwrap_err(),
        BudgetError::TokenRatio(-1.0)
    );
    assert!(
        matches!(
            RetryBudget::new(10, f64::NAN),
            Err(BudgetError::TokenRatio(_))
        ),
        "NaN is not a token ratio"
    );
    assert_eq!(
        RetryBudget::new(0, 0.1).unwrap_err().to_string(),
        "max tokens must be between 1 and 1000, got 0"
    );
}

#[test]
fn one_budget_is_shared_by_many_threads() {
    let budget = Arc::new(budget(1000, 1.0));
    let threads: Vec<_> = (0..4)
        .map(|_| {
            let budget = Arc::clone(&budget);
            std::thread::spawn(move || {
                for _ in 0..100 {
                    budget.record_failure();
                }
            })
        })
        .collect();
    for thread in threads {
        thread.join().expect("a thread panicked");
    }
    assert_eq!(
        budget.tokens(),
        600.0,
        "400 failures from 4 threads should take 400 tokens"
    );
}

//! Step 2: `run_pipeline`, three stages joined by bounded channels
//! (src/pipeline.rs).

use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::time::{Instant, sleep};
use worker_pool::{PipelineError, PriceList, Priced, run_pipeline};

use crate::{ms, nz, within};

const PRODUCTS: [(&str, u64); 3] = [("apple", 30), ("pear", 50), ("plum", 20)];

fn prices(latency: Duration) -> Arc<PriceList> {
    let list = PRODUCTS
        .iter()
        .fold(PriceList::new(latency), |list, (sku, cents)| {
            list.with_price(sku, *cents)
        });
    Arc::new(list)
}

/// `count` good lines: `apple,1`, `pear,2`, `plum,3`, `apple,4`, ...
fn lines(count: usize) -> Vec<String> {
    (1..=count)
        .map(|line| format!("{},{}", PRODUCTS[(line - 1) % 3].0, line % 5 + 1))
        .collect()
}

/// What the writer should receive for `lines(count)`, in order.
fn priced(count: usize) -> Vec<Priced> {
    (1..=count)
        .map(|line| {
            let (sku, cents) = PRODUCTS[(line - 1) % 3];
            let quantity = (line % 5 + 1) as u32;
            Priced {
                line,
                sku: sku.to_owned(),
                quantity,
                total_cents: cents * u64::from(quantity),
            }
        })
        .collect()
}

/// The lines, counting in `pulled` how many the pipeline has taken.
fn counted(lines: Vec<String>, pulled: Arc<AtomicUsize>) -> impl Iterator<Item = String> {
    lines.into_iter().inspect(move |_| {
        pulled.fetch_add(1, Ordering::SeqCst);
    })
}

type Write = Pin<Box<dyn Future<Output = Result<(), String>> + Send>>;

/// Where the written records go.
#[derive(Debug, Clone, Default)]
struct Sink(Arc<Mutex<Vec<Priced>>>);

impl Sink {
    /// A writer taking `latency` per record that fails with "disk full" on
    /// line `fail_at` and panics on line `panic_at`.
    fn writer(
        &self,
        latency: Duration,
        fail_at: Option<usize>,
        panic_at: Option<usize>,
    ) -> impl FnMut(Priced) -> Write + Send + 'static {
        let records = Arc::clone(&self.0);
        move |record: Priced| {
            let records = Arc::clone(&records);
            Box::pin(async move {
                sleep(latency).await;
                if Some(record.line) == panic_at {
                    panic!("the writer fell over on line {}", record.line);
                }
                if Some(record.line) == fail_at {
                    return Err("disk full".to_owned());
                }
                records.lock().unwrap().push(record);
                Ok(())
            })
        }
    }

    fn lines(&self) -> Vec<usize> {
        self.0.lock().unwrap().iter().map(|r| r.line).collect()
    }

    fn records(&self) -> Vec<Priced> {
        self.0.lock().unwrap().clone()
    }
}

#[tokio::test(start_paused = true)]
async fn every_line_is_written_once_in_input_order() {
    let sink = Sink::default();
    let written = within(run_pipeline(
        lines(50),
        prices(ms(1)),
        nz(1),
        sink.writer(ms(0), None, None),
    ))
    .await;
    assert_eq!(written, Ok(50), "fifty good lines, fifty records written");
    assert_eq!(
        sink.records(),
        priced(50),
        "one task per stage and first-in, first-out channels keep the order"
    );
}

#[tokio::test(start_paused = true)]
async fn the_stages_overlap_so_the_slowest_sets_the_pace() {
    let sink = Sink::default();
    let start = Instant::now();
    // Pricing takes 10 ms per order and writing 5 ms per record.
    let written = within(run_pipeline(
        lines(10),
        prices(ms(10)),
        nz(2),
        sink.writer(ms(5), None, None),
    ))
    .await;
    assert_eq!(written, Ok(10));
    assert_eq!(
        start.elapsed(),
        ms(105),
        "record n is written while order n + 1 is priced: ten pricings \
         (100 ms) plus the last write (5 ms), not 10 x 15 ms"
    );
}

#[tokio::test(start_paused = true)]
async fn an_empty_input_writes_nothing_and_ends_at_once() {
    let sink = Sink::default();
    let start = Instant::now();
    let written = within(run_pipeline(
        Vec::new(),
        prices(ms(10)),
        nz(2),
        sink.writer(ms(5), None, None),
    ))
    .await;
    assert_eq!(written, Ok(0), "no lines, no records");
    assert_eq!(
        start.elapsed(),
        ms(0),
        "each stage ends as soon as its input ends"
    );
}

#[tokio::test(start_paused = true)]
async fn a_bad_line_stops_the_pipeline_after_the_lines_before_it() {
    let mut input = lines(20);
    input[4] = "pear;2".to_owned();
    let sink = Sink::default();
    let error = within(run_pipeline(
        input,
        prices(ms(1)),
        nz(2),
        sink.writer(ms(1), None, None),
    ))
    .await
    .expect_err("line 5 does not parse");
    assert_eq!(
        error,
        PipelineError::Parse {
            line: 5,
            reason: "expected sku,quantity, got \"pear;2\"".to_owned()
        }
    );
    assert_eq!(
        error.to_string(),
        "line 5: expected sku,quantity, got \"pear;2\""
    );
    assert_eq!(
        sink.lines(),
        [1, 2, 3, 4],
        "the lines before the bad one were sent on, so they are written; \
         none after it"
    );
}

#[tokio::test(start_paused = true)]
async fn an_unknown_product_stops_the_reading_of_the_input() {
    let mut input = lines(1000);
    input[6] = "kiwi,1".to_owned();
    let pulled = Arc::new(AtomicUsize::new(0));
    let sink = Sink::default();
    let error = within(run_pipeline(
        counted(input, Arc::clone(&pulled)),
        prices(ms(1)),
        nz(2),
        sink.writer(ms(1), None, None),
    ))
    .await
    .expect_err("line 7 has no price");
    assert_eq!(
        error,
        PipelineError::UnknownSku {
            line: 7,
            sku: "kiwi".to_owned()
        }
    );
    assert_eq!(error.to_string(), "line 7: no price for \"kiwi\"");
    assert_eq!(sink.lines(), [1, 2, 3, 4, 5, 6], "lines 1 to 6 are written");
    let pulled = pulled.load(Ordering::SeqCst);
    assert!(
        pulled <= 10,
        "the parse stage should stop once enrich has failed: 7 lines priced, \
         at most 2 waiting in the channel and 1 being sent, so at most 10 of \
         the 1000 lines read, not {pulled}"
    );
}

#[tokio::test(start_paused = true)]
async fn a_failing_writer_stops_the_stages_upstream() {
    let pulled = Arc::new(AtomicUsize::new(0));
    let sink = Sink::default();
    let error = within(run_pipeline(
        counted(lines(1000), Arc::clone(&pulled)),
        prices(ms(1)),
        nz(2),
        sink.writer(ms(1), Some(3), None),
    ))
    .await
    .expect_err("the writer fails on line 3");
    assert_eq!(
        error,
        PipelineError::Write {
            line: 3,
            reason: "disk full".to_owned()
        }
    );
    assert_eq!(error.to_string(), "line 3: write failed: disk full");
    assert_eq!(sink.lines(), [1, 2], "lines 1 and 2 were written");
    let pulled = pulled.load(Ordering::SeqCst);
    assert!(
        pulled <= 9,
        "bounded channels bound how far upstream runs ahead: 3 lines at the \
         writer, 2 + 2 in the channels and 1 held by each of the two other \
         stages make at most 9 of the 1000 lines read, not {pulled}"
    );
}

#[tokio::test(start_paused = true)]
async fn a_panicking_stage_is_an_error_not_a_hang() {
    let sink = Sink::default();
    let error = within(run_pipeline(
        lines(100),
        prices(ms(1)),
        nz(2),
        sink.writer(ms(1), None, Some(2)),
    ))
    .await
    .expect_err("the writer panics on line 2");
    assert_eq!(error, PipelineError::Panicked { stage: "write" });
    assert_eq!(error.to_string(), "the write stage panicked");
    assert_eq!(sink.lines(), [1], "line 1 was written before the panic");
}

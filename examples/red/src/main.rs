//! # Day 140 example: RED metrics for a job service, with no handler code
//!
//! `cargo run -p red` puts a fake job service (three gRPC methods with
//! seeded latencies and errors, plus a scanner probing random paths) behind
//! the `metrics_layer` crate (the reference solution) and a 300 ms timeout,
//! and prints:
//!
//! 1. the histogram buckets chosen around a 100 ms latency target;
//! 2. one slow call through both layer orders: the timeout seen as an
//!    `error` when the metrics sit outside it, as `cancelled` when inside;
//! 3. four clients making 240 calls, one of them hanging up on slow calls,
//!    then the exposition Prometheus would scrape.
//!
//! # Layout
//!
//! `main` only wires the runtime; each scenario is one function. The clock
//! is tokio's *paused* clock, so 240 calls of up to 600 ms run in
//! milliseconds and every duration is exact; the traffic comes from a seeded
//! `fastrand::Rng`, decided before the calls start. prometheus-client
//! encodes a family's series in hash-map order, which changes from run to
//! run, so `sorted` puts them in label order before printing: the output is
//! the same on every run.

use std::convert::Infallible;
use std::error::Error;
use std::time::Duration;

use http::{Request, Response};
use metrics_layer::{LatencyBuckets, Methods, RedLayer, RedMetrics, metered};
use prometheus_client::encoding::text::encode;
use prometheus_client::registry::Registry;
use tokio::time::{Instant, sleep, timeout};
use tower::{ServiceBuilder, ServiceExt, service_fn};

const SUBMIT: &str = "/jobs.Jobs/Submit";
const STATUS: &str = "/jobs.Jobs/Status";
const CANCEL: &str = "/jobs.Jobs/Cancel";
const TARGET: Duration = Duration::from_millis(100);
const TIMEOUT: Duration = Duration::from_millis(300);

fn main() -> Result<(), Box<dyn Error>> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()?;
    runtime.block_on(async {
        let buckets = LatencyBuckets::around_target(TARGET, TIMEOUT)?;
        show_buckets(&buckets);
        both_orders(&buckets).await?;
        traffic(&buckets).await?;
        Ok(())
    })
}

/// What the fake server does with one call: how long it takes and which
/// gRPC status it answers with (0 is OK). The client script draws it from
/// the seeded generator and sends it along in the request's extensions.
#[derive(Debug, Clone, Copy)]
struct Plan {
    latency: Duration,
    grpc_status: u32,
}

/// The fake job service: it sleeps for the planned latency, then answers as
/// tonic would, with the gRPC content type and, for an error, the status in
/// the headers. Not a line of metrics code in it.
async fn job_service(request: Request<()>) -> Result<Response<String>, Infallible> {
    let plan = request.extensions().get::<Plan>().copied().unwrap_or(Plan {
        latency: Duration::ZERO,
        grpc_status: 12,
    });
    sleep(plan.latency).await;
    let mut response = Response::builder().header("content-type", "application/grpc");
    if plan.grpc_status != 0 {
        response = response.header("grpc-status", plan.grpc_status.to_string());
    }
    Ok(response
        .body(String::new())
        .expect("static headers are valid"))
}

fn new_metrics(
    buckets: &LatencyBuckets,
) -> Result<(Registry, RedMetrics), Box<dyn Error>> {
    let mut registry = Registry::default();
    let methods = Methods::new([SUBMIT, STATUS, CANCEL])?;
    let metrics = RedMetrics::new(&mut registry, methods, buckets.clone());
    Ok((registry, metrics))
}

fn call(path: &str, plan: Plan) -> Request<()> {
    let mut request = Request::builder()
        .uri(path)
        .body(())
        .expect("static paths are valid");
    request.extensions_mut().insert(plan);
    request
}

fn show_buckets(buckets: &LatencyBuckets) {
    println!("== 1. buckets around a 100ms p99 target, with a 300ms timeout");
    let bounds: Vec<String> = buckets
        .bounds()
        .iter()
        .map(|seconds| format!("{}ms", seconds * 1000.0))
        .collect();
    println!("bounds: {} (+Inf)", bounds.join(" "));
}

async fn both_orders(buckets: &LatencyBuckets) -> Result<(), Box<dyn Error>> {
    println!("\n== 2. one 400ms call, a 300ms timeout, two layer orders");
    let slow = Plan {
        latency: Duration::from_millis(400),
        grpc_status: 0,
    };

    let (registry, metrics) = new_metrics(buckets)?;
    let outside = metered(service_fn(job_service), metrics, TIMEOUT);
    let result = outside.oneshot(call(SUBMIT, slow)).await;
    println!(
        "metrics outside the timeout: caller gets {:?}; recorded {}",
        result.map(|_| ()).map_err(|error| error.to_string()),
        recorded(&registry)
    );

    let (registry, metrics) = new_metrics(buckets)?;
    let inside = ServiceBuilder::new()
        .timeout(TIMEOUT)
        .layer(RedLayer::new(metrics))
        .service(service_fn(job_service));
    let result = inside.oneshot(call(SUBMIT, slow)).await;
    println!(
        "timeout outside the metrics: caller gets {:?}; recorded {}",
        result.map(|_| ()).map_err(|error| error.to_string()),
        recorded(&registry)
    );
    Ok(())
}

/// The `requests_total` lines of a registry, without the metric name.
fn recorded(registry: &Registry) -> String {
    let text = sorted(&scrape(registry));
    text.lines()
        .filter_map(|line| line.strip_prefix("requests_total"))
        .collect::<Vec<_>>()
        .join(", ")
}

async fn traffic(buckets: &LatencyBuckets) -> Result<(), Box<dyn Error>> {
    println!("\n== 3. four clients, 60 calls each; client 4 hangs up after 120ms");
    let (registry, metrics) = new_metrics(buckets)?;
    let service = metered(service_fn(job_service), metrics.clone(), TIMEOUT);
    let mut rng = fastrand::Rng::with_seed(42);
    let start = Instant::now();

    let mut clients = tokio::task::JoinSet::new();
    for client in 1..=4 {
        let script: Vec<(String, Plan)> = (0..60).map(|_| next_call(&mut rng)).collect();
        let service = service.clone();
        clients.spawn(async move {
            // Client 4 gives up on any call slower than 120 ms: its future,
            // and the metrics layer's inside it, is dropped.
            let patience = if client == 4 {
                Duration::from_millis(120)
            } else {
                Duration::from_secs(10)
            };
            let (mut ok, mut failed, mut gave_up) = (0, 0, 0);
            for (path, plan) in script {
                match timeout(patience, service.clone().oneshot(call(&path, plan))).await
                {
                    Ok(Ok(response))
                        if !response.headers().contains_key("grpc-status") =>
                    {
                        ok += 1;
                    }
                    Ok(_) => failed += 1,
                    Err(_) => gave_up += 1,
                }
            }
            (client, ok, failed, gave_up)
        });
    }

    // A scraper's view of the in-flight gauge, every 10 ms while the
    // clients run.
    let mut peak = 0;
    while !clients.is_empty() {
        tokio::select! {
            Some(done) = clients.join_next() => {
                let (client, ok, failed, gave_up) = done?;
                println!(
                    "client {client}: {ok:>2} ok, {failed:>2} failed or timed out, \
                     {gave_up} hung up (t={}ms)",
                    start.elapsed().as_millis()
                );
            }
            () = sleep(Duration::from_millis(10)) => {
                peak = peak.max(metrics.in_flight().get());
            }
        }
    }
    println!(
        "in flight: peak {peak} (sampled every 10ms), now {}",
        metrics.in_flight().get()
    );
    let text = sorted(&scrape(&registry));
    println!("\nlatency of the ok calls, estimated from the buckets as PromQL's");
    println!("histogram_quantile does (linear inside a bucket):");
    for method in [SUBMIT, STATUS, CANCEL] {
        let series = format!("method=\"{method}\",code=\"ok\"");
        println!(
            "{method:<18}  p50 {:>6.1}ms  p99 {:>6.1}ms",
            quantile(&text, &series, 0.5) * 1000.0,
            quantile(&text, &series, 0.99) * 1000.0
        );
    }
    println!("\n-- the exposition (series sorted by label) --");
    print!("{text}");
    Ok(())
}

/// The `q` quantile of one histogram series, in seconds, the way PromQL's
/// `histogram_quantile` estimates it: find the bucket the rank falls in and
/// interpolate linearly between its bounds. The precision is the width of
/// that bucket, which is why the bounds are dense around the target.
fn quantile(text: &str, series: &str, q: f64) -> f64 {
    let buckets: Vec<(f64, f64)> = text
        .lines()
        .filter_map(|line| {
            let rest = line.strip_prefix("request_duration_seconds_bucket{le=\"")?;
            let (le, rest) = rest.split_once("\",")?;
            let value = rest.strip_prefix(series)?.strip_prefix("} ")?;
            let le = if le == "+Inf" {
                f64::INFINITY
            } else {
                le.parse().ok()?
            };
            Some((le, value.parse().ok()?))
        })
        .collect();
    let Some(&(_, total)) = buckets.last() else {
        return f64::NAN;
    };
    let rank = q * total;
    let (mut lower, mut below) = (0.0, 0.0);
    for &(upper, count) in &buckets {
        if count >= rank {
            if upper.is_infinite() {
                // Prometheus returns the highest finite bound here.
                return lower;
            }
            return lower + (upper - lower) * (rank - below) / (count - below);
        }
        (lower, below) = (upper, count);
    }
    lower
}

/// One call of the traffic mix: 55% submits (20-60 ms, 5% slow up to
/// 600 ms, 4% unavailable), 25% status lookups (2-10 ms, 12% not found),
/// 10% cancels (5-15 ms) and 10% scanner probes of random paths.
fn next_call(rng: &mut fastrand::Rng) -> (String, Plan) {
    fn ms(rng: &mut fastrand::Rng, low: u64, high: u64) -> Duration {
        Duration::from_millis(rng.u64(low..=high))
    }
    let roll = rng.u32(0..100);
    let (path, latency, grpc_status) = if roll < 55 {
        let slow = rng.u32(0..100) < 5;
        let latency = if slow {
            ms(rng, 150, 600)
        } else {
            ms(rng, 20, 60)
        };
        let status = if rng.u32(0..100) < 4 { 14 } else { 0 };
        (SUBMIT.to_owned(), latency, status)
    } else if roll < 80 {
        let status = if rng.u32(0..100) < 12 { 5 } else { 0 };
        (STATUS.to_owned(), ms(rng, 2, 10), status)
    } else if roll < 90 {
        (CANCEL.to_owned(), ms(rng, 5, 15), 0)
    } else {
        // What a scanner sends: a new path every time, answered at once with
        // UNIMPLEMENTED, as tonic answers an unknown method.
        (format!("/probe/{:06x}", rng.u32(..)), Duration::ZERO, 12)
    };
    (
        path,
        Plan {
            latency,
            grpc_status,
        },
    )
}

fn scrape(registry: &Registry) -> String {
    let mut text = String::new();
    encode(&mut text, registry).expect("encoding into a String cannot fail");
    text
}

/// The exposition with each family's series sorted by their labels.
/// prometheus-client writes a family's series in its hash map's order,
/// which is random per process; the sort is stable and ignores `le`, so a
/// histogram's `_sum`, `_count` and buckets stay together and in order.
fn sorted(text: &str) -> String {
    fn series_key(line: &str) -> &str {
        let labels = line
            .split_once('{')
            .and_then(|(_, rest)| rest.split_once('}'))
            .map_or("", |(labels, _)| labels);
        // prometheus-client writes `le` first: skip it.
        match labels.strip_prefix("le=\"") {
            Some(rest) => rest.split_once("\",").map_or(rest, |(_, after)| after),
            None => labels,
        }
    }
    let mut out = String::new();
    let mut samples: Vec<&str> = Vec::new();
    for line in text.lines() {
        if line.starts_with('#') {
            samples.sort_by_key(|line| series_key(line));
            for sample in samples.drain(..) {
                out.push_str(sample);
                out.push('\n');
            }
            out.push_str(line);
            out.push('\n');
        } else {
            samples.push(line);
        }
    }
    out
}

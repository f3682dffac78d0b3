//! # Day 59 example: channels, from fan-in to a batching actor
//!
//! `cargo run -p channels` tours the lesson in five scenes. Every async scene
//! runs on tokio's paused clock, so the times it prints are exact and the
//! output is the same on every run.
//!
//! 1. Fan-in over std channels: three producer threads, one merged receiver
//!    (`merge`), which ends when the last producer does.
//! 2. Blocking select: crossbeam-channel's `select!` reads two receivers
//!    from one thread, and swaps a closed one for `never()` (Go's nil
//!    channel).
//! 3. Backpressure: a tokio channel of 2 and a consumer that takes 100 ms per
//!    item; each `send` returns only when there is room. Then what
//!    `Receiver::close` really does.
//! 4. Batching: items arriving at uneven times go out in batches of up to 4,
//!    or 50 ms after a batch's first item; a `flush` and the last handle's
//!    drop send the rest.
//! 5. A stopped actor: once the consumer has gone, `send` gives the item back
//!    and `flush` is an error.
//!
//! # Layout
//!
//! `main` builds the runtime and runs the scenes, one function each. The
//! smoke test (`tests/smoke.rs`) checks key lines and that two runs print the
//! same.

use std::error::Error;
use std::num::NonZeroUsize;
use std::thread;
use std::time::Duration;

use batcher::{BatchConfig, merge, spawn};
use tokio::sync::mpsc;
use tokio::time::{Instant, sleep, sleep_until};

type Result<T, E = Box<dyn Error>> = std::result::Result<T, E>;

fn main() -> Result<()> {
    fan_in()?;
    blocking_select();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()?;
    runtime.block_on(async {
        backpressure().await?;
        batching().await?;
        stopped_actor().await
    })
}

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// Milliseconds since `start`, for printing.
fn at(start: Instant) -> u128 {
    start.elapsed().as_millis()
}

fn fan_in() -> Result<()> {
    println!("== 1. fan-in: three producer threads, one merged std receiver");
    let inputs = (0..3_u32)
        .map(|producer| {
            let (sender, receiver) = std::sync::mpsc::channel();
            thread::spawn(move || {
                for job in 0..5_u32 {
                    // The forwarder reads until we stop; it never leaves
                    // first here, so a failed send cannot happen.
                    let _ = sender.send((producer, job));
                }
                // `sender` drops here: this input has ended.
            });
            receiver
        })
        .collect();
    let merged = merge(inputs);
    let mut seen = [Vec::new(), Vec::new(), Vec::new()];
    // `recv` until Err(RecvError): every forwarder, and so every sender
    // clone of the merged channel, is gone.
    while let Ok((producer, job)) = merged.recv() {
        seen[producer as usize].push(job);
    }
    let in_order = seen.iter().all(|jobs| jobs.as_slice() == [0, 1, 2, 3, 4]);
    let total: usize = seen.iter().map(Vec::len).sum();
    println!("received {total} jobs, 5 from each producer, each in order: {in_order}");
    println!("recv after the last producer ended: {:?}", merged.recv());
    Ok(())
}

fn blocking_select() {
    use crossbeam_channel::{never, select, unbounded};

    println!("\n== 2. crossbeam select!: two blocking receivers, one thread");
    let (order_sender, mut orders) = unbounded::<u32>();
    let (cancel_sender, mut cancels) = unbounded::<u32>();
    let producer = thread::spawn(move || {
        for id in 1..=6 {
            order_sender.send(id).expect("the reader is there");
        }
        cancel_sender.send(4).expect("the reader is there");
        drop(cancel_sender); // cancels end early; orders go on
        for id in 7..=9 {
            order_sender.send(id).expect("the reader is there");
        }
    });
    let (mut placed, mut cancelled) = (0, Vec::new());
    let (mut orders_open, mut cancels_open) = (true, true);
    while orders_open || cancels_open {
        // `recv(r) -> msg` gives Err(RecvError) once r's senders are gone.
        // A closed receiver is replaced by `never()`, a receiver that never
        // delivers (Go's nil channel), so `select!` stops picking it and
        // does not spin on its error.
        select! {
            recv(orders) -> msg => match msg {
                Ok(_) => placed += 1,
                Err(_) => {
                    orders = never();
                    orders_open = false;
                }
            },
            recv(cancels) -> msg => match msg {
                Ok(id) => cancelled.push(id),
                Err(_) => {
                    cancels = never();
                    cancels_open = false;
                }
            },
        }
    }
    producer.join().expect("the producer does not panic");
    println!("orders placed: {placed}, cancelled: {cancelled:?}, both channels ended");
}

async fn backpressure() -> Result<()> {
    println!("\n== 3. backpressure: a tokio channel of 2, a consumer at 100 ms an item");
    let start = Instant::now();
    let (sender, mut receiver) = mpsc::channel::<u32>(2);
    let consumer = tokio::spawn(async move {
        for _ in 0..3 {
            sleep(ms(100)).await;
            if let Some(item) = receiver.recv().await {
                println!("t={:>3} ms  consumer took {item}", at(start));
            }
        }
        receiver
    });
    for item in 1..=5 {
        sender.send(item).await?;
        println!("t={:>3} ms  send({item}) returned", at(start));
    }
    let mut receiver = consumer.await?;
    // `close` stops new sends, for every sender, but keeps what is buffered:
    // the receiver drains it, then sees None. It does not drop the items,
    // and it does not end the senders' tasks; they find out at their next
    // `send`.
    receiver.close();
    println!(
        "after close: send(6) is {:?}",
        sender.send(6).await.map_err(|error| error.to_string())
    );
    while let Some(item) = receiver.recv().await {
        println!("after close: drained {item}");
    }
    println!("after close: recv is {:?}", receiver.recv().await);
    Ok(())
}

async fn batching() -> Result<()> {
    println!("\n== 4. batching: up to 4 items, or 50 ms after a batch's first item");
    let start = Instant::now();
    let config = BatchConfig {
        max_items: NonZeroUsize::new(4).ok_or("4 > 0")?,
        max_wait: ms(50),
        capacity: NonZeroUsize::new(8).ok_or("8 > 0")?,
    };
    let (output, mut batches) = mpsc::channel(4);
    let (batcher, task) = spawn(config, output);
    let consumer = tokio::spawn(async move {
        while let Some(batch) = batches.recv().await {
            println!("t={:>3} ms  batch {batch:?}", at(start));
        }
        println!("t={:>3} ms  output ended: the batcher is done", at(start));
    });
    // A burst of 5 (one full batch and one left over), a trickle, then two
    // items that a flush sends at once.
    let plan = [0, 0, 0, 0, 0, 10, 20, 30, 90, 150, 220, 230];
    for (item, when) in plan.into_iter().enumerate() {
        sleep_until(start + ms(when)).await;
        batcher.send(item).await?;
    }
    let flushed = batcher.flush().await?;
    println!("t={:>3} ms  flush answered {flushed}", at(start));
    sleep(ms(20)).await;
    batcher.send(99).await?;
    println!(
        "t={:>3} ms  sent 99, then dropped the last handle",
        at(start)
    );
    drop(batcher);
    task.await?;
    consumer.await?;
    Ok(())
}

async fn stopped_actor() -> Result<()> {
    println!("\n== 5. a stopped actor: the consumer has gone");
    let config = BatchConfig {
        max_items: NonZeroUsize::new(4).ok_or("4 > 0")?,
        max_wait: ms(50),
        capacity: NonZeroUsize::new(8).ok_or("8 > 0")?,
    };
    let (output, batches) = mpsc::channel::<Vec<&str>>(4);
    let (batcher, task) = spawn(config, output);
    drop(batches);
    task.await?;
    match batcher.send("late order").await {
        Ok(()) => println!("send: accepted (unexpected)"),
        Err(error) => println!("send: {error}: got back {:?}", error.0),
    }
    match batcher.flush().await {
        Ok(count) => println!("flush: {count} (unexpected)"),
        Err(error) => println!("flush: {error}"),
    }
    Ok(())
}

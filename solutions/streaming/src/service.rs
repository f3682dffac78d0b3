//! The service and its wiring to tonic. Given, not a step: every handler
//! here hands its work to the step that teaches it.

use std::num::NonZeroUsize;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use tokio_stream::Stream;
use tokio_stream::wrappers::ReceiverStream;
use tonic::{Request, Response, Status, Streaming};

use crate::deadline::{GRPC_TIMEOUT, WithDeadline, grpc_timeout};
use crate::market::Market;
use crate::pb::ticker_server::{Ticker, TickerServer};
use crate::pb::{Position, ReplayRequest, Tick, Trade, UploadSummary, WatchRequest};
use crate::producers::Producers;

/// How the service paces and buffers its streams.
#[derive(Debug, Clone, Copy)]
pub struct Config {
    /// The capacity of the channel between a producer task and its response
    /// stream: how many messages a producer may get ahead of tonic.
    pub channel_capacity: NonZeroUsize,
    /// The time between two live ticks of `Watch`.
    pub tick_interval: Duration,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            channel_capacity: NonZeroUsize::new(8).expect("8 is not zero"),
            tick_interval: Duration::from_millis(100),
        }
    }
}

/// The `Ticker` service. Cheap to clone: clones share the market and the
/// producer count.
#[derive(Debug, Clone)]
pub struct TickerService {
    pub(crate) market: Arc<Market>,
    pub(crate) config: Config,
    pub(crate) producers: Producers,
}

impl TickerService {
    /// A service quoting `market`.
    pub fn new(market: Market, config: Config) -> Self {
        Self {
            market: Arc::new(market),
            config,
            producers: Producers::new(),
        }
    }

    /// The market, to read how many ticks it generated.
    pub fn market(&self) -> &Arc<Market> {
        &self.market
    }

    /// The count of live producer tasks.
    pub fn producers(&self) -> &Producers {
        &self.producers
    }

    /// The service as a tonic server, for `Server::builder().add_service`.
    pub fn into_server(self) -> TickerServer<Self> {
        TickerServer::new(self)
    }
}

/// A boxed response stream: `Watch` answers with the plain channel, or with
/// the channel behind a deadline, two different types.
pub type BoxTickStream = Pin<Box<dyn Stream<Item = Result<Tick, Status>> + Send>>;

#[tonic::async_trait]
impl Ticker for TickerService {
    type ReplayStream = ReceiverStream<Result<Tick, Status>>;
    type WatchStream = BoxTickStream;
    type TrackStream = ReceiverStream<Result<Position, Status>>;

    async fn replay(
        &self,
        request: Request<ReplayRequest>,
    ) -> Result<Response<Self::ReplayStream>, Status> {
        // Step 1.
        self.start_replay(request.into_inner()).map(Response::new)
    }

    async fn watch(
        &self,
        request: Request<WatchRequest>,
    ) -> Result<Response<Self::WatchStream>, Status> {
        // Only a request that carries a deadline goes through step 5, so
        // that steps 2 to 4 work before step 5 is written.
        let timeout = if request.metadata().contains_key(GRPC_TIMEOUT) {
            grpc_timeout(request.metadata())?
        } else {
            None
        };
        // Step 2.
        let ticks = self.start_watch(request.into_inner())?;
        let ticks: BoxTickStream = match timeout {
            Some(timeout) => Box::pin(WithDeadline::new(ticks, timeout)),
            None => Box::pin(ticks),
        };
        Ok(Response::new(ticks))
    }

    async fn upload(
        &self,
        request: Request<Streaming<Trade>>,
    ) -> Result<Response<UploadSummary>, Status> {
        // Step 3.
        self.read_upload(request.into_inner())
            .await
            .map(Response::new)
    }

    async fn track(
        &self,
        request: Request<Streaming<Trade>>,
    ) -> Result<Response<Self::TrackStream>, Status> {
        // Step 4.
        Ok(Response::new(self.start_track(request.into_inner())))
    }
}

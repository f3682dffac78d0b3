//! Step 3: the health switch, NOT_SERVING before the drain.

use tonic_health::ServingStatus;
use tonic_health::pb::health_server::HealthServer;
use tonic_health::server::{HealthReporter, HealthService};

use crate::BEACON;

/// Reports the server's health for two names: `""`, the whole server (what
/// `grpc_health_probe` and Kubernetes ask by default), and [`BEACON`], the
/// service (what a per-service load balancer asks). Both always move
/// together here: the server has one service, and it is up or it is not.
#[derive(Debug, Clone)]
pub struct HealthSwitch {
    reporter: HealthReporter,
}

impl HealthSwitch {
    /// The switch and the `grpc.health.v1.Health` service it drives, with
    /// both names NOT_SERVING: a server is not ready until it says so.
    pub async fn new() -> (Self, HealthServer<HealthService>) {
        // TODO: a `HealthReporter::new()`, and the server
        // `HealthServer::new(HealthService::from_health_reporter(..))` over a
        // clone of it. tonic-health starts "" as SERVING: set both "" and
        // BEACON to NOT_SERVING before returning.
        todo!("HealthSwitch::new: a reporter, its server, both NOT_SERVING")
    }

    /// Both names SERVING: call it once the server accepts calls.
    pub async fn serving(&self) {
        // TODO: `self.reporter.set_service_status(name, ServingStatus::Serving)`
        // for "" and for BEACON.
        todo!("HealthSwitch::serving: both names SERVING")
    }

    /// Both names NOT_SERVING: call it first when a shutdown starts, while
    /// the server still answers, so that health checks see it and load
    /// balancers stop sending new calls before the drain refuses them.
    pub async fn not_serving(&self) {
        todo!("HealthSwitch::not_serving: both names NOT_SERVING")
    }
}

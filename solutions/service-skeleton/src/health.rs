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
        // `HealthService::from_health_reporter`, not `health_reporter()`:
        // the same pair, but with a type we can name in this signature.
        let reporter = HealthReporter::new();
        let server =
            HealthServer::new(HealthService::from_health_reporter(reporter.clone()));
        let switch = Self { reporter };
        // tonic-health starts "" as SERVING. That is too early: the process
        // may still be loading, and a probe that passes now sends it
        // traffic it cannot take.
        switch.set(ServingStatus::NotServing).await;
        (switch, server)
    }

    /// Both names SERVING: call it once the server accepts calls.
    pub async fn serving(&self) {
        self.set(ServingStatus::Serving).await;
    }

    /// Both names NOT_SERVING: call it first when a shutdown starts, while
    /// the server still answers, so that health checks see it and load
    /// balancers stop sending new calls before the drain refuses them.
    pub async fn not_serving(&self) {
        self.set(ServingStatus::NotServing).await;
    }

    async fn set(&self, status: ServingStatus) {
        // The whole server first: it is what most probes ask.
        self.reporter.set_service_status("", status).await;
        self.reporter.set_service_status(BEACON, status).await;
    }
}

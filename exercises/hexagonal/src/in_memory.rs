//! A client connected to a server over an in-memory transport. Not a step:
//! plumbing for the tests and the example, the Rust counterpart of Go's
//! `bufconn`.
//!
//! The server runs on a spawned task and reads from one end of a
//! `tokio::io::duplex`; the client's connector hands out the other end.
//! Real HTTP/2 and real protobuf encoding go through it, with no port and
//! no socket. The server stops by itself: when the client's end is dropped
//! the connection ends, and the task ends with the runtime at the latest.

use std::io;

use hyper_util::rt::TokioIo;
use tonic::transport::{Channel, Endpoint, Server, Uri};

use crate::adapters::grpc::GrpcJobs;
use crate::adapters::grpc::pb::jobs_client::JobsClient;
use crate::adapters::grpc::pb::jobs_server::JobsServer;
use crate::domain::ports::{Clock, IdGenerator, JobQueue};

/// Serve `server` on a task and return a client connected to it.
///
/// # Errors
///
/// If the client's HTTP/2 connection cannot be set up.
pub async fn connect<Q, I, C>(
    server: JobsServer<GrpcJobs<Q, I, C>>,
) -> Result<JobsClient<Channel>, tonic::transport::Error>
where
    Q: JobQueue,
    I: IdGenerator,
    C: Clock,
{
    // 64 KiB of buffer each way: a larger message just takes several writes.
    let (client_io, server_io) = tokio::io::duplex(64 * 1024);
    tokio::spawn(
        Server::builder()
            .add_service(server)
            .serve_with_incoming(tokio_stream::once(Ok::<_, io::Error>(server_io))),
    );
    // One duplex is one connection: the connector hands it out once, and a
    // reconnect after that fails rather than hanging.
    let mut client_io = Some(client_io);
    let channel = Endpoint::try_from("http://in-memory.invalid")?
        .connect_with_connector(tower::service_fn(move |_: Uri| {
            let io = client_io.take();
            async move {
                io.map(TokioIo::new)
                    .ok_or_else(|| io::Error::other("the in-memory connection was used"))
            }
        }))
        .await?;
    Ok(JobsClient::new(channel))
}

//! The service the middleware wraps (given, not part of the exercise): a
//! shop with three items, a unary `Get` and a streaming `List`.
//!
//! Its handlers read the [`Caller`] and the [`RequestId`] from the request's
//! extensions, where the interceptor and the request-id layer put them, and
//! echo them in each item, so a test can see what reached the handler.

use std::time::Duration;

use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;
use tonic::{Request, Response, Status};

use crate::pb::stock_server::Stock;
use crate::pb::{GetRequest, Item, ListRequest};
use crate::{Caller, Journal, RequestId};

/// What the shop stocks: name and quantity.
const STOCK: [(&str, u32); 3] = [("bolt", 40), ("nut", 100), ("washer", 250)];

/// The stock service. With a [`Journal`], each handler writes
/// `"handler: <Method>"` into it when it starts.
#[derive(Debug, Clone, Default)]
pub struct Shop {
    journal: Option<Journal>,
}

impl Shop {
    /// A shop with no journal.
    pub fn new() -> Self {
        Self::default()
    }

    /// A shop whose handlers write into `journal`.
    pub fn with_journal(journal: Journal) -> Self {
        Self {
            journal: Some(journal),
        }
    }

    fn note(&self, method: &str) {
        if let Some(journal) = &self.journal {
            journal.push(format!("handler: {method}"));
        }
    }
}

/// The caller and the request id the middleware left in `request`'s
/// extensions, as text ("" for one that is absent).
fn served_to_and_id<T>(request: &Request<T>) -> (String, String) {
    let caller = request.extensions().get::<Caller>();
    let id = request.extensions().get::<RequestId>();
    (
        caller.map(|c| c.as_str().to_owned()).unwrap_or_default(),
        id.map(|id| id.as_str().to_owned()).unwrap_or_default(),
    )
}

#[tonic::async_trait]
impl Stock for Shop {
    async fn get(&self, request: Request<GetRequest>) -> Result<Response<Item>, Status> {
        self.note("Get");
        let (served_to, request_id) = served_to_and_id(&request);
        let GetRequest { name, work_ms } = request.into_inner();
        tokio::time::sleep(Duration::from_millis(work_ms.into())).await;
        let (_, quantity) = STOCK
            .iter()
            .find(|(item, _)| *item == name)
            .ok_or_else(|| Status::not_found(format!("no item named {name:?}")))?;
        Ok(Response::new(Item {
            name,
            quantity: *quantity,
            served_to,
            request_id,
        }))
    }

    type ListStream = ReceiverStream<Result<Item, Status>>;

    async fn list(
        &self,
        request: Request<ListRequest>,
    ) -> Result<Response<Self::ListStream>, Status> {
        self.note("List");
        let (served_to, request_id) = served_to_and_id(&request);
        let ListRequest {
            count,
            interval_ms,
            fail,
        } = request.into_inner();
        let interval = Duration::from_millis(interval_ms.into());
        let (tx, rx) = mpsc::channel(4);
        tokio::spawn(async move {
            for (name, quantity) in STOCK.iter().cycle().take(count as usize) {
                tokio::time::sleep(interval).await;
                let item = Item {
                    name: (*name).to_owned(),
                    quantity: *quantity,
                    served_to: served_to.clone(),
                    request_id: request_id.clone(),
                };
                if tx.send(Ok(item)).await.is_err() {
                    // The client is gone and tonic dropped the stream.
                    return;
                }
            }
            if fail {
                let _ = tx
                    .send(Err(Status::unavailable("the warehouse went away")))
                    .await;
            }
        });
        // The head goes out now, before the first item exists.
        Ok(Response::new(ReceiverStream::new(rx)))
    }
}

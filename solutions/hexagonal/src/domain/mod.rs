//! The core: the job model, the ports it needs, and the use case.
//!
//! Nothing in this folder names tonic, redis or `crate::adapters`: the
//! domain defines the traits ([`ports`]) and the adapters implement them,
//! so the arrows of `use` point inward. `tests/hexagonal/step3_service.rs`
//! reads these files to keep it that way.

pub mod model;
pub mod ports;
pub mod service;

pub use model::{IdempotencyKey, InvalidJob, Job, JobId, JobKind, NewJob, Payload};
pub use ports::{BoxError, Clock, Enqueued, IdGenerator, JobQueue, QueueError};
pub use service::{JobService, SubmitError, Submitted};

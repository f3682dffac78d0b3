//! The gRPC code to HTTP status table is Day 118's: this crate uses that
//! lesson's reference solution, `status_codes::to_http` (grpc-gateway's
//! `HTTPStatusFromCode`), rather than a copy of it. The gateway calls it
//! only through this module.

pub(crate) use status_codes::to_http;

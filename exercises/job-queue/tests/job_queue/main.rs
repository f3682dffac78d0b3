//! Tests of the job queue (placeholder while the API settles).

//! Live cluster data: how what the sampler measured (`sample`) is judged and
//! shown. Pure but for `session`'s pacing: no network here, and nothing of the Kafka
//! client (`kafka`), which `session` reaches only through its `Source` trait.

pub mod metrics;
mod part_tracks;
pub mod picture;
pub mod rows;
pub mod session;
pub mod status;
pub mod timelag;
pub mod trend;
pub mod view;

pub use crate::core::time::rfc3339;

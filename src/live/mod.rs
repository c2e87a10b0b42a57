//! Live cluster data: what the sampler measures and how it is judged. Pure: no
//! network and no clock here; the Kafka client lives in `crate::kafka`.

pub mod metrics;
pub mod session;
pub mod status;
pub mod timelag;
pub mod view;

pub use crate::time::{now_ms as wall_ms_now, rfc3339};

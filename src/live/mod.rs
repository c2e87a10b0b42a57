//! Live cluster data: how what the sampler measured (`sample`) is judged and
//! shown. Pure but for `session`'s pacing: no network here, and nothing of the Kafka
//! client (`kafka`), which `session` reaches only through its `Source` trait.

pub mod metrics;
pub mod picture;
pub mod rows;
pub mod session;
pub mod status;
pub mod timelag;
pub mod view;

/// RFC 3339 UTC with millisecond precision, e.g. `2026-12-01T13:45:12.345Z`.
pub fn rfc3339(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms)
        .map(|t| format!("{t:.3}"))
        .unwrap_or_else(|_| ms.to_string())
}

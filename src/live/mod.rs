//! Live cluster data: what the sampler measures and how it is judged. Pure: no
//! network and no clock here; the Kafka client lives in `crate::kafka`.

pub mod metrics;
pub mod session;
pub mod status;
pub mod timelag;
pub mod view;

/// Wall-clock milliseconds since the epoch (0 if the clock is before it).
pub fn wall_ms_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

/// RFC 3339 UTC with millisecond precision, e.g. `2026-12-01T13:45:12.345Z`.
pub fn rfc3339(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms)
        .map(|t| format!("{t:.3}"))
        .unwrap_or_else(|_| ms.to_string())
}

//! Observed events: sampled messages checked against the registry. Pure: registry and
//! messages in, observations and drift findings out. Kafka cannot say who produces to
//! a topic, but the messages can: each envelope names its `source_service` and
//! `event_type` (or the fields a topic's `message:` format names instead).
//!
//! Only what a message shows is judged: a tombstone (no value) and a value cut at the
//! sampling cap are counted as not checked, never as format problems, and the values
//! are read by a scan that neither depth nor a number's size can make fail.
//!
//! `json_scan.rs` reads the values at the wanted paths, `envelope.rs` knows which
//! fields a topic's messages need and whether a value is well formed,
//! `observation.rs` tallies one topic's sample, `report.rs` turns the tallies into
//! drift findings.

mod envelope;
mod json_scan;
mod observation;
mod report;

pub use observation::{observe, Observation};
pub use report::findings;

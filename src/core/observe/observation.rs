//! One topic's sampled messages tallied: conforming, not JSON, not checked, fields
//! missing or malformed, the event types and producers they name.

use super::envelope::{required, well_formed};
use super::json_scan::{scan, text, Kind, Stop};
use crate::core::registry::Registry;
use crate::core::sample::message::RawMessage as Peeked;
use std::collections::BTreeMap;

/// Distinct event types or producers kept per topic; the rest are counted as one.
const DISTINCT: usize = 64;
/// Values quoted in findings are cut here (they come from outside).
pub(super) const QUOTE: usize = 40;
/// Event types and producers are kept, and matched against the registry, whole up to
/// here (quoted in findings only up to `QUOTE`).
const KEY: usize = 256;

/// What a sample of one topic's messages showed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Observation {
    pub topic: String,
    pub sampled: usize,
    /// Messages with every required field present and well formed.
    pub conforming: usize,
    /// Values that are not JSON objects.
    pub not_json: usize,
    /// Records with no value (tombstones: deletes on compacted topics): not checked.
    pub tombstones: usize,
    /// Values cut at the sampling cap (valid JSON as far as kept): not checked, but
    /// their event type and producer count where the kept part names them.
    pub too_large: usize,
    /// Required field → messages lacking it.
    pub missing: BTreeMap<String, usize>,
    /// Required field → (messages where it is malformed, an example value).
    pub malformed: BTreeMap<String, (usize, String)>,
    /// Event type → messages carrying it.
    pub events: BTreeMap<String, usize>,
    /// Producing service as the messages name it → messages.
    pub producers: BTreeMap<String, usize>,
}

fn count(map: &mut BTreeMap<String, usize>, key: String) {
    if map.len() >= DISTINCT && !map.contains_key(&key) {
        *map.entry("(other values)".into()).or_default() += 1;
    } else {
        *map.entry(key).or_default() += 1;
    }
}

/// Check one topic's sampled messages. Topics the registry does not declare are
/// observed against the envelope alone.
pub fn observe(reg: &Registry, topic: &str, messages: &[Peeked]) -> Observation {
    let t = reg.topic(topic);
    let fields = t.map(|t| required(reg, t)).unwrap_or_default();
    let event_field = t.map_or("event_type", |t| t.event_type_field());
    let producer_field = t.map_or("source_service", |t| t.producer_field());
    let mut o = Observation {
        topic: topic.to_string(),
        sampled: messages.len(),
        ..Observation::default()
    };
    let mut wanted: Vec<Vec<&str>> = fields.iter().map(|f| f.path.split('.').collect()).collect();
    let (event_at, producer_at) = (wanted.len(), wanted.len() + 1);
    wanted.push(event_field.split('.').collect());
    wanted.push(producer_field.split('.').collect());
    for m in messages {
        let Some(b) = m.value.as_deref() else {
            o.tombstones += 1;
            continue;
        };
        // The sampler keeps the first bytes of a large value and its full size.
        let cut = b.len() < m.value_len;
        let (r, found) = scan(b, &wanted);
        // A null field is as good as a missing one.
        let at = |n: usize| found.get(n).and_then(Option::as_ref).filter(|f| f.kind != Kind::Null);
        match r {
            Err(Stop::Bad) => {
                o.not_json += 1;
                continue;
            }
            Err(Stop::Short) if !cut => {
                o.not_json += 1;
                continue;
            }
            _ if cut => o.too_large += 1,
            _ => {
                let mut ok = true;
                for (n, f) in fields.iter().enumerate() {
                    match at(n) {
                        None => {
                            ok = false;
                            *o.missing.entry(f.path.clone()).or_default() += 1;
                        }
                        Some(x) if !well_formed(&f.kind, b, x) => {
                            ok = false;
                            let e = o.malformed.entry(f.path.clone()).or_insert((0, text(b, x, QUOTE)));
                            e.0 += 1;
                        }
                        Some(_) => {}
                    }
                }
                o.conforming += usize::from(ok);
            }
        }
        if let Some(e) = at(event_at) {
            count(&mut o.events, text(b, e, KEY));
        }
        if let Some(p) = at(producer_at) {
            count(&mut o.producers, text(b, p, KEY));
        }
    }
    o
}

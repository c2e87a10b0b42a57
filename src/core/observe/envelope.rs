//! What a topic's messages must carry (the platform's envelope, the topic's own
//! required fields) and whether a value found there has the field's type.

use super::json_scan::{text, Found, Kind};
use crate::core::registry::model::Topic;
use crate::core::registry::Registry;

/// A required field and the type it must have (`uuid`, `ISO 8601`, `semver`,
/// `object`, `string`; anything else: present).
pub(super) struct Required {
    pub(super) path: String,
    pub(super) kind: String,
}

pub(super) fn required(reg: &Registry, t: &Topic) -> Vec<Required> {
    let envelope = t.message.as_ref().and_then(|m| m.envelope).unwrap_or(true);
    let mut out: Vec<Required> = if envelope {
        reg.conventions
            .envelope
            .iter()
            .map(|f| Required {
                path: f.name.clone(),
                kind: f.kind.clone(),
            })
            .collect()
    } else {
        Vec::new()
    };
    for r in t.message.iter().flat_map(|m| &m.required) {
        if !out.iter().any(|o| &o.path == r) {
            out.push(Required {
                path: r.clone(),
                kind: String::new(),
            });
        }
    }
    out
}

/// An id as envelopes write it: hyphenated, `0b7f6c1e-2f4a-4d1e-9a51-0c3f2b8d9e10` (the
/// uuid crate also reads the braced, URN and bare 32-digit forms: not ids here).
fn uuid(s: &str) -> bool {
    s.len() == 36 && uuid::Uuid::try_parse(s).is_ok()
}

/// An instant with its offset, `2024-11-27T00:00:00Z` or `2024-11-27T01:00:00.123+01:00`,
/// on a day the calendar has (not 2024-02-31, not month 13).
fn iso8601(s: &str) -> bool {
    s.parse::<jiff::Timestamp>().is_ok()
}

/// A semantic version as semver.org writes it: `1.2.0`, `2.0.0-rc.1` (not `01.2.0`).
fn semver(s: &str) -> bool {
    semver::Version::parse(s).is_ok()
}

/// Whether a value present at a field has the field's type (`b`: the message).
pub(super) fn well_formed(kind: &str, b: &[u8], v: &Found) -> bool {
    let k = kind.to_ascii_lowercase();
    let s = || (v.kind == Kind::String).then(|| text(b, v, usize::MAX));
    match k.as_str() {
        "uuid" => s().is_some_and(|s| uuid(&s)),
        "iso 8601" | "iso8601" | "timestamp" => s().is_some_and(|s| iso8601(&s)),
        "semver" => s().is_some_and(|s| semver(&s)),
        "object" => v.kind == Kind::Object,
        "string" => v.kind == Kind::String,
        _ => true,
    }
}

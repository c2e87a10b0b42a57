//! What a topic's messages must carry (the platform's envelope, the topic's own
//! required fields) and whether a value found there has the field's type.

use super::json_scan::{text, Found, Kind};
use crate::registry::model::Topic;
use crate::registry::Registry;

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

fn uuid(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.len() == 5
        && [8, 4, 4, 4, 12].iter().zip(&parts).all(|(n, p)| p.len() == *n)
        && parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// `2024-11-27T00:00:00Z`, with optional fraction and offset.
fn iso8601(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| b.get(r).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    b.len() >= 20
        && digits(0..4)
        && b[4] == b'-'
        && digits(5..7)
        && b[7] == b'-'
        && digits(8..10)
        && (b[10] == b'T' || b[10] == b't')
        && digits(11..13)
        && b[13] == b':'
        && digits(14..16)
        && b[16] == b':'
        && digits(17..19)
        && (s.ends_with('Z') || s.ends_with('z') || s[19..].contains(['+', '-']))
}

fn semver(s: &str) -> bool {
    let core = s.split(['-', '+']).next().unwrap_or("");
    let nums: Vec<&str> = core.split('.').collect();
    nums.len() == 3
        && nums
            .iter()
            .all(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
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

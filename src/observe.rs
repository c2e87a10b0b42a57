//! Observed events: sampled messages checked against the registry. Pure: registry and
//! messages in, observations and drift findings out. Kafka cannot say who produces to
//! a topic, but the messages can: each envelope names its `source_service` and
//! `event_type` (or the fields a topic's `message:` format names instead).

use crate::diag::Severity;
use crate::drift::Finding;
use crate::kafka::peek::Peeked;
use crate::registry::model::Topic;
use crate::registry::{Registry, Status};
use serde_json::Value;
use std::collections::BTreeMap;

/// Distinct event types or producers kept per topic; the rest are counted as one.
const DISTINCT: usize = 64;
/// Values quoted in findings are cut here (they come from outside).
const QUOTE: usize = 40;

/// What a sample of one topic's messages showed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Observation {
    pub topic: String,
    pub sampled: usize,
    /// Messages with every required field present and well formed.
    pub conforming: usize,
    /// Values that are not JSON objects.
    pub not_json: usize,
    /// Required field → messages lacking it.
    pub missing: BTreeMap<String, usize>,
    /// Required field → (messages where it is malformed, an example value).
    pub malformed: BTreeMap<String, (usize, String)>,
    /// Event type → messages carrying it.
    pub events: BTreeMap<String, usize>,
    /// Producing service as the messages name it → messages.
    pub producers: BTreeMap<String, usize>,
}

/// A required field and the type it must have (`uuid`, `ISO 8601`, `semver`,
/// `object`, `string`; anything else: present).
struct Required {
    path: String,
    kind: String,
}

fn required(reg: &Registry, t: &Topic) -> Vec<Required> {
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

/// The value at a dotted path of a JSON object.
fn at<'a>(v: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.').try_fold(v, |v, k| v.get(k)).filter(|v| !v.is_null())
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

fn well_formed(kind: &str, v: &Value) -> bool {
    let k = kind.to_ascii_lowercase();
    match k.as_str() {
        "uuid" => v.as_str().is_some_and(uuid),
        "iso 8601" | "iso8601" | "timestamp" => v.as_str().is_some_and(iso8601),
        "semver" => v.as_str().is_some_and(semver),
        "object" => v.is_object(),
        "string" => v.is_string(),
        _ => true,
    }
}

fn quote(v: &Value) -> String {
    let s = match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let mut q: String = s.chars().take(QUOTE).collect();
    if s.chars().count() > QUOTE {
        q.push('…');
    }
    q
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
    for m in messages {
        let Some(v) = m
            .value
            .as_deref()
            .and_then(|b| serde_json::from_slice::<Value>(b).ok())
            .filter(Value::is_object)
        else {
            o.not_json += 1;
            continue;
        };
        let mut ok = true;
        for f in &fields {
            match at(&v, &f.path) {
                None => {
                    ok = false;
                    *o.missing.entry(f.path.clone()).or_default() += 1;
                }
                Some(x) if !well_formed(&f.kind, x) => {
                    ok = false;
                    let e = o.malformed.entry(f.path.clone()).or_insert((0, quote(x)));
                    e.0 += 1;
                }
                Some(_) => {}
            }
        }
        o.conforming += usize::from(ok);
        if let Some(e) = at(&v, event_field) {
            count(&mut o.events, quote(e));
        }
        if let Some(p) = at(&v, producer_field) {
            count(&mut o.producers, quote(p));
        }
    }
    o
}

/// A registry service named the way messages name it: its key, its name, or either
/// with `-` for `_` and any case.
fn service_named<'a>(reg: &'a Registry, name: &str) -> Option<&'a crate::registry::model::Service> {
    let norm = |s: &str| s.to_ascii_lowercase().replace(['-', ' '], "_");
    let n = norm(name);
    reg.services.iter().find(|s| norm(&s.key) == n || norm(&s.name) == n)
}

fn push<'a>(
    out: &'a mut Vec<Finding>,
    kind: &'static str,
    severity: Severity,
    o: &Observation,
    subject: &str,
    message: String,
) -> &'a mut Finding {
    out.push(Finding {
        kind,
        severity,
        subject: subject.to_string(),
        topic: Some(o.topic.clone()),
        services: Vec::new(),
        loc: None,
        message,
    });
    out.last_mut().expect("just pushed")
}

/// Drift findings from the observations: envelope problems, event types that are
/// undeclared, misrouted or unseen, and producers the registry does not declare.
pub fn findings(reg: &Registry, observations: &[Observation]) -> Vec<Finding> {
    let mut out = Vec::new();
    for o in observations.iter().filter(|o| o.sampled > 0) {
        let Some(t) = reg.topic(&o.topic) else { continue };
        let n = o.sampled;
        // Format problems: not JSON, then missing fields, then malformed ones.
        let not_json = (o.not_json > 0).then(|| (o.not_json, "are not JSON objects".to_string()));
        let problems = not_json
            .into_iter()
            .chain(o.missing.iter().map(|(field, k)| (*k, format!("lack `{field}`"))))
            .chain(
                o.malformed
                    .iter()
                    .map(|(field, (k, example))| (*k, format!("have a malformed `{field}` (e.g. \"{example}\")"))),
            );
        for (k, what) in problems {
            push(
                &mut out,
                "message-format",
                Severity::Warning,
                o,
                &o.topic,
                format!("`{}`: {k} of {n} sampled messages {what}", o.topic),
            );
        }
        let declared: Vec<&str> = t.events.iter().map(|e| e.name.as_str()).collect();
        // A topic that catalogues no event types has none to drift from.
        let catalogued = !declared.is_empty() || t.status == Status::Deprecated;
        for (event, k) in o.events.iter().filter(|_| catalogued) {
            if declared.contains(&event.as_str()) {
                continue;
            }
            // Declared on another topic: misrouted (e.g. moved off a deprecated topic
            // but still written to it).
            let home: Vec<&str> = reg
                .topics
                .iter()
                .filter(|x| x.name != t.name && x.status == Status::Active && x.events.iter().any(|e| &e.name == event))
                .map(|x| x.name.as_str())
                .collect();
            if home.is_empty() {
                push(
                &mut out,
                    "undeclared-event",
                    Severity::Warning,
                    o,
                    event,
                    format!(
                        "`{}` carries event type `{event}` ({k} of {n} sampled), which the registry does not declare anywhere",
                        o.topic
                    ),
                );
            } else {
                let moved = t.status == Status::Deprecated;
                let why = if moved { "deprecated " } else { "" };
                push(
                &mut out,
                    "misrouted-event",
                    Severity::Warning,
                    o,
                    event,
                    format!(
                        "{why}`{}` carries event type `{event}` ({k} of {n} sampled), which the registry declares on `{}`",
                        o.topic,
                        home.join("`, `")
                    ),
                );
            }
        }
        let unseen: Vec<&str> = declared
            .iter()
            .copied()
            .filter(|e| !o.events.contains_key(*e))
            .collect();
        if !unseen.is_empty() && t.status == Status::Active {
            let shown: Vec<&str> = unseen.iter().copied().take(8).collect();
            let more = if unseen.len() > shown.len() {
                format!(" and {} more", unseen.len() - shown.len())
            } else {
                String::new()
            };
            push(
                &mut out,
                "unseen-event",
                Severity::Note,
                o,
                &o.topic,
                format!(
                    "`{}`: {} of {} declared event types not seen in {n} sampled messages: {}{more}",
                    o.topic,
                    unseen.len(),
                    declared.len(),
                    shown.join(", ")
                ),
            );
        }
        for (producer, k) in &o.producers {
            let svc = service_named(reg, producer);
            let declared_producer =
                svc.is_some_and(|s| t.producers.iter().any(|p| reg.services[p.service].key == s.key));
            if declared_producer {
                continue;
            }
            if t.status == Status::Deprecated {
                // Who still writes to a deprecated topic: who must migrate.
                let f = push(
                    &mut out,
                    "deprecated-producer",
                    Severity::Warning,
                    o,
                    producer,
                    format!(
                        "deprecated `{}`: {k} of {n} sampled messages come from `{producer}`, which must move to `{}`",
                        o.topic,
                        t.replaced_by().unwrap_or("its replacement")
                    ),
                );
                f.services.extend(svc.map(|s| s.key.clone()));
                continue;
            }
            let what = match svc {
                Some(s) => format!("service `{}` is not a declared producer of it", s.key),
                None => "no service in the registry has that name".to_string(),
            };
            let f = push(
                &mut out,
                "undeclared-producer",
                Severity::Warning,
                o,
                producer,
                format!(
                    "`{}`: {k} of {n} sampled messages come from `{producer}`: {what}",
                    o.topic
                ),
            );
            if let Some(s) = svc {
                f.services.push(s.key.clone());
            }
        }
    }
    out
}

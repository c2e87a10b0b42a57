//! Drift findings from the observations: format problems, what was not checked, event
//! types undeclared, misrouted or unseen, producers the registry does not declare.

use super::observation::{Observation, QUOTE};
use crate::core::diag::Severity;
use crate::core::drift::Finding;
use crate::core::registry::model::Service;
use crate::core::registry::{Registry, Status};

/// A name on its line.
fn line(s: &str) -> std::borrow::Cow<'_, str> {
    crate::core::visible::one_line(s)
}

/// A name or value from a message, cut for a finding and kept on its line (a newline
/// in an event type must not write a finding line of its own).
fn shown(s: &str) -> String {
    let mut q: String = s.chars().take(QUOTE).collect();
    if s.chars().count() > QUOTE {
        q.push('…');
    }
    crate::core::visible::one_line(&q).into_owned()
}

/// A registry service named the way messages name it: its key, its name, or either
/// with `-` for `_` and any case.
fn service_named<'a>(reg: &'a Registry, name: &str) -> Option<&'a Service> {
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
        // Names from the registry and the messages alike stay on their line.
        let topic = line(&o.topic);
        // Format problems: not JSON, then missing fields, then malformed ones.
        let not_json = (o.not_json > 0).then(|| (o.not_json, "are not JSON objects".to_string()));
        let problems = not_json
            .into_iter()
            .chain(
                o.missing
                    .iter()
                    .map(|(field, k)| (*k, format!("lack `{}`", line(field)))),
            )
            .chain(o.malformed.iter().map(|(field, (k, example))| {
                (
                    *k,
                    format!("have a malformed `{}` (e.g. \"{}\")", line(field), line(example)),
                )
            }));
        for (k, what) in problems {
            push(
                &mut out,
                "message-format",
                Severity::Warning,
                o,
                &o.topic,
                format!("`{topic}`: {k} of {n} sampled messages {what}"),
            );
        }
        // What was not checked, and why: never a format problem.
        let unchecked = o.tombstones + o.too_large;
        if unchecked > 0 {
            let why: Vec<String> = [
                (
                    o.too_large,
                    "too large (cut at the sampling cap)",
                    "too large (cut at the sampling cap)",
                ),
                (o.tombstones, "tombstone (no value)", "tombstones (no value)"),
            ]
            .iter()
            .filter(|w| w.0 > 0)
            .map(|&(k, one, many)| format!("{k} {}", if k == 1 { one } else { many }))
            .collect();
            push(
                &mut out,
                "unchecked-messages",
                Severity::Note,
                o,
                &o.topic,
                format!(
                    "`{topic}`: {unchecked} of {n} sampled messages not checked: {}",
                    why.join(", ")
                ),
            );
        }
        let declared: Vec<&str> = t.events.iter().map(|e| e.name.as_str()).collect();
        // A topic that catalogues no event types has none to drift from.
        let catalogued = !declared.is_empty() || t.status == Status::Deprecated;
        for (event, k) in o.events.iter().filter(|_| catalogued) {
            if declared.contains(&event.as_str()) {
                continue;
            }
            let shown_event = shown(event);
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
                        "`{topic}` carries event type `{shown_event}` ({k} of {n} sampled), which the registry does not declare anywhere"
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
                        "{why}`{topic}` carries event type `{shown_event}` ({k} of {n} sampled), which the registry declares on `{}`",
                        line(&home.join("`, `"))
                    ),
                );
            }
        }
        let unseen: Vec<&str> = declared
            .iter()
            .copied()
            .filter(|e| !o.events.contains_key(*e))
            .collect();
        // Nothing checked and no event type seen: nothing to say what was not seen.
        let blind = unchecked == n && o.events.is_empty();
        if !unseen.is_empty() && t.status == Status::Active && !blind {
            let shown: Vec<&str> = unseen.iter().copied().take(8).collect();
            let more = if unseen.len() > shown.len() {
                format!(" and {} more", unseen.len() - shown.len())
            } else {
                String::new()
            };
            let not_checked = if unchecked > 0 {
                format!(" ({unchecked} of them not checked)")
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
                    "`{topic}`: {} of {} declared event types not seen in {n} sampled messages{not_checked}: {}{more}",
                    unseen.len(),
                    declared.len(),
                    line(&shown.join(", "))
                ),
            );
        }
        for (producer, k) in &o.producers {
            let svc = service_named(reg, producer);
            let shown_producer = shown(producer);
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
                        "deprecated `{topic}`: {k} of {n} sampled messages come from `{shown_producer}`, which must move to `{}`",
                        line(t.replaced_by().unwrap_or("its replacement"))
                    ),
                );
                f.services.extend(svc.map(|s| s.key.clone()));
                continue;
            }
            let what = match svc {
                Some(s) => format!("service `{}` is not a declared producer of it", line(&s.key)),
                None => "no service in the registry has that name".to_string(),
            };
            let f = push(
                &mut out,
                "undeclared-producer",
                Severity::Warning,
                o,
                producer,
                format!("`{topic}`: {k} of {n} sampled messages come from `{shown_producer}`: {what}"),
            );
            if let Some(s) = svc {
                f.services.push(s.key.clone());
            }
        }
    }
    out
}

//! What each topic declares: who uses it, the events it carries and describes, its
//! examples, and the decisions still open on proposed topics.

use super::Checker;
use crate::core::diag::Diagnostic;
use crate::core::registry::loc::Loc;
use crate::core::registry::model::Status;
use crate::core::suggest::closest;
use foldhash::{HashMap, HashMapExt};

impl Checker<'_> {
    pub(super) fn usage(&mut self) {
        for t in &self.file.topics {
            let Some(topic) = self.reg.topic(&t.name.value) else {
                continue;
            };
            if topic.consumers.is_empty() {
                let why = topic
                    .tbd
                    .get("consumers")
                    .map(|n| format!(" (consumers: TBD, {n})"))
                    .unwrap_or_default();
                self.push(
                    Diagnostic::warning(
                        "no-consumers",
                        format!("topic `{}` has no consumers{why}", t.name.value),
                    )
                    .at(t.name.loc)
                    .hint("nothing reads these events yet: add its consumers, or drop the topic if none are planned"),
                );
            }
            if topic.producers.is_empty() {
                self.push(
                    Diagnostic::warning("no-producers", format!("topic `{}` has no producers", t.name.value))
                        .at(t.name.loc)
                        .hint("add the service that writes it under `producers:`"),
                );
            }
            // Consumers that come from pattern subscriptions loop back too.
            for c in topic.consumers.iter().filter(|c| c.pattern.is_some()) {
                if topic.producers.iter().any(|p| p.service == c.service) {
                    self.push(
                        Diagnostic::warning(
                            "self-consumption",
                            format!(
                                "{} consumes `{}` through its subscription `{}`, and also produces it",
                                self.reg.services[c.service].label(),
                                t.name.value,
                                c.pattern.as_deref().unwrap_or("")
                            ),
                        )
                        .at(t.name.loc)
                        .hint("narrow the pattern, or make sure it ignores its own events"),
                    );
                }
            }
            for e in &t.consumers {
                let r = e.service();
                let Some(si) = self.reg.service_index(r.value) else {
                    continue;
                };
                if topic.producers.iter().any(|p| p.service == si) {
                    self.push(
                        Diagnostic::warning(
                            "self-consumption",
                            format!(
                                "{} consumes `{}`, which it also produces",
                                self.reg.services[si].label(),
                                t.name.value
                            ),
                        )
                        .at(r.loc)
                        .hint("make sure it ignores its own events or the loop is intended"),
                    );
                }
            }
        }
    }

    pub(super) fn duplicate_events(&mut self) {
        // One pass to find whether any event is shared (usually none are); the places
        // are collected only for those.
        let active = || self.reg.topics.iter().filter(|t| t.status == Status::Active);
        let total: usize = active().map(|t| t.events.len()).sum();
        let mut owner: HashMap<&str, (&str, bool)> = HashMap::with_capacity(total);
        let mut any_shared = false;
        for t in active() {
            for e in &t.events {
                let o = owner.entry(&e.name).or_insert((&t.name, false));
                if o.0 != t.name {
                    o.1 = true;
                    any_shared = true;
                }
            }
        }
        if !any_shared {
            return;
        }
        let count: HashMap<&str, bool> = owner.into_iter().map(|(k, v)| (k, v.1)).collect();
        let mut by_event: HashMap<&str, Vec<(&str, Loc)>> = HashMap::new();
        for t in active() {
            for e in &t.events {
                if count.get(e.name.as_str()).copied().unwrap_or(false) {
                    by_event.entry(&e.name).or_default().push((&t.name, e.loc));
                }
            }
        }
        let mut shared: Vec<_> = by_event.into_iter().filter(|(_, p)| p.len() > 1).collect();
        shared.sort_unstable_by_key(|(e, _)| *e);
        for (event, places) in shared {
            let mut topics: Vec<&str> = places.iter().map(|p| p.0).collect();
            topics.dedup();
            if topics.len() < 2 {
                continue;
            }
            // Report at every declaration after the first: the first one is the owner.
            for (topic, loc) in places.iter().skip(1) {
                let others: Vec<&str> = topics.iter().copied().filter(|t| t != topic).collect();
                self.push(
                    Diagnostic::note(
                        "duplicate-event",
                        format!(
                            "event `{event}` is declared on {} topics: {}",
                            topics.len(),
                            topics.join(", ")
                        ),
                    )
                    .at(*loc)
                    .hint(format!(
                        "consumers of `{event}` must read {} too; keep one owner topic if the events are the same",
                        others.join(", ")
                    )),
                );
            }
        }
    }

    pub(super) fn proposed(&mut self) {
        for t in &self.file.proposed_topics {
            if let Some(d) = &t.decision {
                self.push(
                    Diagnostic::note(
                        "open-decision",
                        format!("proposed topic `{}` has an open decision: {}", t.name.value, d.value),
                    )
                    .at(d.loc)
                    .hint("decide it in the architecture review, then move the topic under `topics:`"),
                );
            }
        }
    }

    pub(super) fn examples(&mut self) {
        for t in &self.file.topics {
            for ex in &t.examples {
                if let Err(e) = serde_json::from_str::<serde_json::Value>(&ex.json.value) {
                    self.push(
                        Diagnostic::error(
                            "invalid-example",
                            format!("example `{}` of `{}` is not valid JSON: {e}", ex.name, t.name.value),
                        )
                        .at(ex.json.loc)
                        .hint("write the message as JSON text in a `|` block"),
                    );
                }
            }
        }
    }

    /// A description of an event the topic does not list names no event.
    pub(super) fn event_descriptions(&mut self) {
        for t in &self.file.topics {
            if t.event_descriptions.is_empty() {
                continue;
            }
            let listed: std::collections::HashSet<&str> = t.events.iter().map(|e| e.value.as_str()).collect();
            for (name, d) in t
                .event_descriptions
                .iter()
                .filter(|(n, _)| !listed.contains(n.as_str()))
            {
                let events = self
                    .reg
                    .topic(&t.name.value)
                    .map(|x| x.events.iter().map(|e| e.name.as_str()));
                let hint = match events.and_then(|e| closest(name, e)) {
                    Some(s) => format!("did you mean `{s}`? Describe only events listed under `events:`"),
                    None => "add the event to `events:` or remove its description".into(),
                };
                self.push(
                    Diagnostic::error(
                        "unknown-event",
                        format!("`{}` describes event `{name}`, which it does not list", t.name.value),
                    )
                    .at(d.loc)
                    .hint(hint),
                );
            }
        }
    }

    /// A Schema Registry subject needs a wire format ktopo can decode.
    pub(super) fn schema_subjects(&mut self) {
        for t in &self.file.topics {
            let Some(subject) = &t.schema.subject else { continue };
            let format = t.schema.format.as_deref();
            let known = format.is_some_and(|f| crate::core::schema::Format::from_schema_type(Some(f)).is_some());
            if subject.value.trim().is_empty() {
                self.push(
                    Diagnostic::error(
                        "schema-subject",
                        format!("`{}` declares an empty schema subject", t.name.value),
                    )
                    .at(subject.loc)
                    .hint(format!("the default subject is `{}-value`", t.name.value)),
                );
            } else if !known {
                let said = format.map_or("no format".to_string(), |f| format!("format `{f}`"));
                self.push(
                    Diagnostic::error(
                        "schema-format",
                        format!(
                            "`{}` declares schema subject `{}` with {said}",
                            t.name.value, subject.value
                        ),
                    )
                    .at(subject.loc)
                    .hint("add `format: avro`, `format: protobuf` or `format: json` to its `schema:`"),
                );
            }
        }
        self.key_subjects();
    }

    /// A key subject must name something; a key format must be one the registry serves.
    fn key_subjects(&mut self) {
        for t in &self.file.topics {
            if let Some(s) = t.schema.key_subject.as_ref().filter(|s| s.value.trim().is_empty()) {
                self.push(
                    Diagnostic::error(
                        "schema-subject",
                        format!("`{}` declares an empty key schema subject", t.name.value),
                    )
                    .at(s.loc)
                    .hint(format!(
                        "the default key subject is `{}-key` (`key_format` alone means it)",
                        t.name.value
                    )),
                );
            }
            let Some(f) = &t.schema.key_format else { continue };
            if crate::core::schema::Format::from_schema_type(Some(&f.value)).is_none() {
                self.push(
                    Diagnostic::error(
                        "schema-format",
                        format!(
                            "`{}` declares key format `{}`, which no Schema Registry serializer writes",
                            t.name.value, f.value
                        ),
                    )
                    .at(f.loc)
                    .hint("`key_format: avro`, `key_format: protobuf` or `key_format: json`"),
                );
            }
        }
    }
}

//! Semantic checks: references, duplicates, deprecation chains, conventions.
//! Every finding points at the value it is about.

use super::endpoint::Endpoint;
use super::format::RegistryFile;
use super::loc::Loc;
use super::model::{group_id, Registry, ServiceRef, Status};
use super::pattern::{naming_regex, Pattern};
use super::spanned::Sp;
use crate::diag::Diagnostic;
use crate::suggest::closest;
use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};

pub fn check(file: &RegistryFile, reg: &Registry) -> Vec<Diagnostic> {
    let mut c = Checker {
        file,
        reg,
        out: Vec::new(),
    };
    c.duplicates();
    c.domains();
    c.references();
    c.deprecations();
    c.subscriptions();
    c.naming();
    c.kafka_limits();
    c.usage();
    c.duplicate_events();
    c.groups();
    c.proposed();
    c.examples();
    c.event_descriptions();
    c.declared_counts();
    c.out.sort_by_key(|d| {
        (
            d.loc.map_or(u32::MAX, |l| l.line),
            d.loc.map_or(0, |l| l.col),
            d.severity,
        )
    });
    c.out
}

struct Checker<'a> {
    file: &'a RegistryFile,
    reg: &'a Registry,
    out: Vec<Diagnostic>,
}

/// Every topic name the file defines, with where and in which list.
fn topic_names(f: &RegistryFile) -> impl Iterator<Item = (&Sp<String>, Status)> {
    f.topics
        .iter()
        .map(|t| (&t.name, Status::Active))
        .chain(f.deprecated_topics.iter().map(|t| (&t.name, Status::Deprecated)))
        .chain(f.proposed_topics.iter().map(|t| (&t.name, Status::Proposed)))
}

impl Checker<'_> {
    fn push(&mut self, d: Diagnostic) {
        self.out.push(d);
    }

    fn duplicates(&mut self) {
        let mut keys: HashMap<&str, Loc> = HashMap::new();
        let mut ids: HashMap<u32, Loc> = HashMap::new();
        for s in &self.file.services {
            if let Some(first) = keys.insert(&s.key.value, s.key.loc) {
                keys.insert(&s.key.value, first);
                self.push(
                    Diagnostic::error(
                        "duplicate-service-key",
                        format!("service key `{}` is defined twice", s.key.value),
                    )
                    .at(s.key.loc)
                    .hint(format!(
                        "the first definition is on line {}; give each service its own key",
                        first.line
                    )),
                );
            }
            if let Some(id) = &s.id {
                if let Some(first) = ids.insert(id.value, id.loc) {
                    ids.insert(id.value, first);
                    self.push(
                        Diagnostic::error("duplicate-service-id", format!("service id {} is used twice", id.value))
                            .at(id.loc)
                            .hint(format!(
                                "service id {} is already used on line {}",
                                id.value, first.line
                            )),
                    );
                }
            }
        }
        let mut names: HashMap<&str, (Loc, Status)> = HashMap::new();
        for (name, status) in topic_names(self.file) {
            if let Some((first, st)) = names.get(name.value.as_str()).copied() {
                self.push(
                    Diagnostic::error("duplicate-topic", format!("topic `{}` is defined twice", name.value))
                        .at(name.loc)
                        .hint(format!(
                            "it is already a {} topic on line {}; keep one definition",
                            st.as_str(),
                            first.line
                        )),
                );
            } else {
                names.insert(&name.value, (name.loc, status));
            }
        }
    }

    fn domains(&mut self) {
        if self.file.domains.is_empty() {
            return;
        }
        let known: Vec<&str> = self.file.domains.iter().map(|d| d.id.as_str()).collect();
        let uses = self
            .file
            .services
            .iter()
            .filter_map(|s| s.domain.as_ref())
            .chain(self.file.topics.iter().filter_map(|t| t.domain.as_ref()))
            .chain(self.file.deprecated_topics.iter().filter_map(|t| t.domain.as_ref()))
            .chain(self.file.proposed_topics.iter().filter_map(|t| t.domain.as_ref()));
        let mut found = Vec::new();
        for d in uses {
            if !known.contains(&d.value.as_str()) {
                let mut diag = Diagnostic::error("unknown-domain", format!("unknown domain `{}`", d.value)).at(d.loc);
                diag = match closest(&d.value, known.iter().copied()) {
                    Some(s) => diag.hint(format!("did you mean `{s}`? Domains are declared under `domains:`")),
                    None => diag.hint("declare it under `domains:` or use one that is declared"),
                };
                found.push(diag);
            }
        }
        self.out.extend(found);
    }

    fn service_ref(&mut self, r: Sp<&ServiceRef>, context: &str) {
        if self.reg.service_index(r.value).is_some() {
            return;
        }
        let keys = self.reg.services.iter().map(|s| s.key.as_str());
        let hint = match r.value {
            ServiceRef::Id(id) => {
                let ids: Vec<String> = self
                    .reg
                    .services
                    .iter()
                    .filter_map(|s| s.id)
                    .map(|i| i.to_string())
                    .collect();
                format!("no service has id {id}; known ids: {}", ids.join(", "))
            }
            ServiceRef::Key(k) => match closest(k, keys) {
                Some(s) => format!("did you mean `{s}`?"),
                None => "add the service under `services:` or use an existing id or key".into(),
            },
        };
        self.push(
            Diagnostic::error(
                "unknown-service",
                format!("{context} refers to unknown service `{}`", r.value),
            )
            .at(r.loc)
            .hint(hint),
        );
    }

    fn topic_ref(&mut self, name: &Sp<String>, context: &str) -> bool {
        if self.reg.topic(&name.value).is_some() {
            return true;
        }
        let names = self.reg.topics.iter().map(|t| t.name.as_str());
        let hint = match closest(&name.value, names) {
            Some(s) => format!("did you mean `{s}`?"),
            None => "define the topic under `topics:` first".into(),
        };
        self.push(
            Diagnostic::error(
                "unknown-topic",
                format!("{context} refers to unknown topic `{}`", name.value),
            )
            .at(name.loc)
            .hint(hint),
        );
        false
    }

    fn endpoints(&mut self, list: &[Endpoint], context: String) {
        for e in list {
            self.service_ref(e.service(), &context);
        }
    }

    fn references(&mut self) {
        let f = self.file;
        // The model resolved every service reference already: nothing to look up again.
        let flows_ok = f
            .data_flows
            .iter()
            .all(|fl| fl.topics.iter().all(|t| self.reg.topic(t).is_some()));
        if self.reg.unresolved_refs == 0 && flows_ok {
            return;
        }
        for t in &f.topics {
            self.endpoints(&t.producers, format!("a producer of `{}`", t.name.value));
            self.endpoints(&t.consumers, format!("a consumer of `{}`", t.name.value));
        }
        for t in &f.deprecated_topics {
            self.endpoints(&t.producers, format!("a producer of `{}`", t.name.value));
            self.endpoints(&t.consumers, format!("a consumer of `{}`", t.name.value));
        }
        for t in &f.proposed_topics {
            self.endpoints(
                &t.candidate_producers,
                format!("a candidate producer of `{}`", t.name.value),
            );
            self.endpoints(
                &t.candidate_consumers,
                format!("a candidate consumer of `{}`", t.name.value),
            );
        }
        for flow in &f.data_flows {
            for t in &flow.topics {
                self.topic_ref(t, &format!("data flow `{}`", flow.name));
            }
        }
    }

    fn deprecations(&mut self) {
        let f = self.file;
        for t in &f.deprecated_topics {
            let target = &t.replaced_by;
            if self.topic_ref(target, &format!("deprecated topic `{}`", t.name.value)) {
                match self.reg.topic(&target.value).map(|x| x.status) {
                    Some(Status::Deprecated) => {
                        let chain = self.replacement_chain(&t.name.value);
                        if chain.last() == Some(&t.name.value.as_str()) {
                            self.push(
                                Diagnostic::error(
                                    "replacement-cycle",
                                    format!("deprecated topics replace each other in a cycle: {}", chain.join(" → ")),
                                )
                                .at(target.loc)
                                .hint("point `replaced_by` at an active topic"),
                            );
                        } else {
                            self.push(
                                Diagnostic::error(
                                    "replacement-deprecated",
                                    format!(
                                        "`{}` is replaced by `{}`, which is itself deprecated",
                                        t.name.value, target.value
                                    ),
                                )
                                .at(target.loc)
                                .hint(format!(
                                    "point `replaced_by` at the active end of the chain: {}",
                                    chain.join(" → ")
                                )),
                            );
                        }
                    }
                    Some(Status::Proposed) => self.push(
                        Diagnostic::error(
                            "replacement-proposed",
                            format!(
                                "`{}` is replaced by `{}`, which does not exist yet (proposed)",
                                t.name.value, target.value
                            ),
                        )
                        .at(target.loc)
                        .hint("a migration needs an active replacement; promote the proposed topic first"),
                    ),
                    _ => {}
                }
            }
            for m in &t.moves {
                let to = m.to.as_ref().unwrap_or(target);
                if m.to.is_some() && !self.topic_ref(to, &format!("a migration of `{}`", t.name.value)) {
                    continue;
                }
                let Some(dest) = self.reg.topic(&to.value) else {
                    continue;
                };
                for e in &m.events {
                    if !dest.events.iter().any(|x| x.name == e.value) {
                        self.push(
                            Diagnostic::warning(
                                "moved-event-missing",
                                format!("event `{}` moves to `{}`, which does not list it", e.value, to.value),
                            )
                            .at(e.loc)
                            .hint(format!(
                                "add `{}` to the events of `{}`, or fix the name",
                                e.value, to.value
                            )),
                        );
                    }
                }
            }
            let still = t
                .producers
                .iter()
                .map(|e| (e, "produces to"))
                .chain(t.consumers.iter().map(|e| (e, "consumes from")));
            for (e, verb) in still {
                let r = e.service();
                if let Some(si) = self.reg.service_index(r.value) {
                    let name = self.reg.services[si].label();
                    self.push(
                        Diagnostic::error(
                            "deprecated-in-use",
                            format!("{name} still {verb} deprecated topic `{}`", t.name.value),
                        )
                        .at(r.loc)
                        .hint(format!("migrate it to `{}` and remove it from this list", target.value)),
                    );
                }
            }
        }
    }

    /// Follow `replaced_by` from a deprecated topic until an active topic, a gap, or a repeat.
    fn replacement_chain<'b>(&'b self, start: &'b str) -> Vec<&'b str> {
        let mut chain = vec![start];
        let mut seen = HashSet::new();
        seen.insert(start);
        let mut cur = start;
        while let Some(next) = self.reg.topic(cur).and_then(|t| t.replaced_by()) {
            chain.push(next);
            if !seen.insert(next) {
                break;
            }
            cur = next;
        }
        chain
    }

    fn subscriptions(&mut self) {
        for s in &self.file.services {
            for sub in &s.subscriptions {
                match Pattern::parse(&sub.pattern.value) {
                    Err(e) => self.push(
                        Diagnostic::error(
                            "invalid-pattern",
                            format!("subscription pattern `{}` is invalid: {e}", sub.pattern.value),
                        )
                        .at(sub.pattern.loc)
                        .hint("use a glob like `db.changes.*`, or `re:` followed by a regular expression"),
                    ),
                    Ok(p) => {
                        let active = self.reg.topics.iter().filter(|t| t.status == Status::Active);
                        if !active.clone().any(|t| p.matches(&t.name)) {
                            self.push(
                                Diagnostic::warning(
                                    "pattern-matches-nothing",
                                    format!("subscription pattern `{}` matches no active topic", sub.pattern.value),
                                )
                                .at(sub.pattern.loc)
                                .hint("check the pattern against the topic names"),
                            );
                        }
                    }
                }
            }
        }
    }

    fn naming(&mut self) {
        let pats: Vec<(String, regex::Regex)> = self
            .file
            .conventions
            .topic_naming
            .iter()
            .filter_map(|p| naming_regex(&p.pattern.value).map(|r| (p.pattern.value.clone(), r)))
            .collect();
        if pats.is_empty() {
            return;
        }
        let listed: Vec<&str> = pats.iter().map(|p| p.0.as_str()).collect();
        let mut found = Vec::new();
        for (name, _) in topic_names(self.file) {
            if !pats.iter().any(|(_, r)| r.is_match(&name.value)) {
                found.push(
                    Diagnostic::warning(
                        "topic-naming",
                        format!("topic `{}` breaks the naming convention", name.value),
                    )
                    .at(name.loc)
                    .hint(format!("name it after one of: {}", listed.join(", "))),
                );
            }
        }
        self.out.extend(found);
    }

    /// Values Kafka itself would refuse: topic names, partition counts, retention.
    fn kafka_limits(&mut self) {
        let mut found = Vec::new();
        for (name, _) in topic_names(self.file) {
            let n = &name.value;
            let bad_char = n
                .chars()
                .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')));
            let why = if n == "." || n == ".." {
                Some("`.` and `..` are not allowed".to_string())
            } else if n.len() > 249 {
                Some(format!("it is {} characters long; Kafka allows 249", n.len()))
            } else {
                bad_char.map(|c| format!("it contains {:?}", c))
            };
            if let Some(why) = why {
                found.push(
                    Diagnostic::error(
                        "invalid-topic-name",
                        format!("Kafka would refuse the topic name `{n}`: {why}"),
                    )
                    .at(name.loc)
                    .hint("Kafka topic names use only letters, digits, `.`, `_` and `-`, at most 249 characters"),
                );
            }
        }
        let d = &self.file.conventions.topic_defaults;
        let limits = |what: &str, partitions: Option<u32>, retention: Option<u32>| -> Vec<Diagnostic> {
            let mut v = Vec::new();
            if let Some(p) = partitions.filter(|&p| p == 0 || p > i32::MAX as u32) {
                v.push(
                    Diagnostic::error(
                        "invalid-partitions",
                        format!("{what}: {p} partitions; Kafka needs 1 to 2147483647"),
                    )
                    .hint("set `partitions:` to a positive count, usually 3 to 50"),
                );
            }
            if retention == Some(0) {
                v.push(
                    Diagnostic::error(
                        "invalid-retention",
                        format!("{what}: retention of 0 days deletes every message at once"),
                    )
                    .hint("set `retention_days:` to 1 or more"),
                );
            }
            v
        };
        found.extend(limits("conventions.topic_defaults", d.partitions, d.retention_days));
        found.extend(limits(
            "conventions.topic_defaults (audit)",
            None,
            d.audit_retention_days,
        ));
        for t in &self.file.topics {
            for diag in limits(&format!("topic `{}`", t.name.value), t.partitions, t.retention_days) {
                found.push(diag.at(t.name.loc));
            }
        }
        for p in &self.file.conventions.drift_ignore {
            if let Err(e) = Pattern::parse(p) {
                found.push(
                    Diagnostic::error("invalid-pattern", format!("drift_ignore pattern `{p}` is invalid: {e}"))
                        .hint("use a glob like `tmp_*`, or `re:` followed by a regular expression"),
                );
            }
        }
        for p in &self.file.conventions.topic_naming {
            if naming_regex(&p.pattern.value).is_none() {
                found.push(
                    Diagnostic::error(
                        "invalid-naming-pattern",
                        format!(
                            "the naming pattern `{}` has a `{{` without its `}}`: no topic could be checked against it",
                            p.pattern.value
                        ),
                    )
                    .at(p.pattern.loc)
                    .hint("close every placeholder, e.g. `{domain}_events`"),
                );
            }
        }
        self.out.extend(found);
    }

    fn usage(&mut self) {
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

    fn duplicate_events(&mut self) {
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

    fn groups(&mut self) {
        let Some(format) = self.reg.conventions.group_format().map(str::to_string) else {
            return;
        };
        let f = self.file;
        let lists = f
            .topics
            .iter()
            .map(|t| (&t.name.value, &t.consumers))
            .chain(f.deprecated_topics.iter().map(|t| (&t.name.value, &t.consumers)));
        let mut found = Vec::new();
        for (topic, consumers) in lists {
            for e in consumers {
                let (Some(g), Some(si)) = (e.group(), self.reg.service_index(e.service().value)) else {
                    continue;
                };
                let expected = group_id(&format, &self.reg.services[si].key, topic);
                if g.value != expected {
                    found.push(
                        Diagnostic::warning(
                            "group-naming",
                            format!("consumer group `{}` does not follow the convention `{format}`", g.value),
                        )
                        .at(g.loc)
                        .hint(format!("the convention gives `{expected}`")),
                    );
                }
            }
        }
        self.out.extend(found);
    }

    fn proposed(&mut self) {
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

    fn examples(&mut self) {
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
    fn event_descriptions(&mut self) {
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

    fn declared_counts(&mut self) {
        let p = &self.file.platform;
        let active = self.reg.count(Status::Active);
        if let Some(n) = p.declared_active_topics.filter(|&n| n != active) {
            self.push(
                Diagnostic::warning(
                    "count-mismatch",
                    format!("the registry announces {n} active topics but defines {active}"),
                )
                .hint("update `platform.declared_active_topics` or add the missing topics"),
            );
        }
        let services = self.reg.services.len();
        if let Some(n) = p.declared_services.filter(|&n| n != services) {
            self.push(
                Diagnostic::warning(
                    "count-mismatch",
                    format!("the registry announces {n} services but defines {services}"),
                )
                .hint("update `platform.declared_services` or add the missing services"),
            );
        }
    }
}

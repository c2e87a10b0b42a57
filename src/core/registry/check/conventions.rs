//! The conventions and limits names must follow: subscription patterns, topic naming,
//! what Kafka itself refuses, consumer group ids.

use super::{topic_names, Checker};
use crate::core::diag::Diagnostic;
use crate::core::registry::model::{group_id, Status};
use crate::core::registry::pattern::{naming_regex, Pattern};

impl Checker<'_> {
    pub(super) fn subscriptions(&mut self) {
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

    pub(super) fn naming(&mut self) {
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
    pub(super) fn kafka_limits(&mut self) {
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

    pub(super) fn groups(&mut self) {
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
}

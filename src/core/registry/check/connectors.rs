//! What `connectors:` declares: a name used once (by a connector or a service), an
//! owning service that exists, topics and patterns that name registry topics, a group
//! only on a sink.

use super::Checker;
use crate::core::diag::Diagnostic;
use crate::core::registry::loc::Loc;
use crate::core::registry::model::{ConnectorType, Status};
use crate::core::registry::pattern::Pattern;
use crate::core::suggest::closest;
use foldhash::{HashMap, HashMapExt};

impl Checker<'_> {
    pub(super) fn connectors(&mut self) {
        let f = self.file;
        let mut names: HashMap<&str, (Loc, &str)> = HashMap::new();
        for s in &f.services {
            names.entry(&s.key.value).or_insert((s.key.loc, "service key"));
        }
        let service_keys: Vec<&str> = f.services.iter().map(|s| s.key.value.as_str()).collect();
        let topics: Vec<&str> = self.reg.topics.iter().map(|t| t.name.as_str()).collect();
        let mut found = Vec::new();
        for c in &f.connectors {
            let n = &c.name;
            if n.value.trim().is_empty() {
                found.push(
                    Diagnostic::error("empty-connector-name", "a connector has an empty name")
                        .at(n.loc)
                        .hint("write the name its Connect cluster lists (`GET /connectors`)"),
                );
            } else if let Some((first, what)) = names.get(n.value.as_str()).copied() {
                found.push(
                    Diagnostic::error(
                        "duplicate-connector",
                        format!("connector name `{}` is already a {what} (line {})", n.value, first.line),
                    )
                    .at(n.loc)
                    .hint("a connector is a node of the graph like a service: give each its own name"),
                );
            } else {
                names.insert(&n.value, (n.loc, "connector name"));
            }
            if !service_keys.contains(&c.service.value.as_str()) {
                let mut d = Diagnostic::error(
                    "unknown-service",
                    format!(
                        "connector `{}` is owned by unknown service `{}`",
                        n.value, c.service.value
                    ),
                )
                .at(c.service.loc);
                d = match closest(&c.service.value, service_keys.iter().copied()) {
                    Some(s) => d.hint(format!("did you mean `{s}`? `service:` takes a service key")),
                    None => d.hint("`service:` takes the key of a service declared under `services:`"),
                };
                found.push(d);
            }
            if c.topics.is_empty() {
                found.push(
                    Diagnostic::warning(
                        "connector-without-topics",
                        format!("connector `{}` lists no topics", n.value),
                    )
                    .at(n.loc)
                    .hint("list the topics it writes (source) or reads (sink) under `topics:`; patterns work"),
                );
            }
            for t in &c.topics {
                let p = match Pattern::parse(&t.value) {
                    Ok(p) => p,
                    Err(e) => {
                        found.push(
                            Diagnostic::error("invalid-pattern", format!("topic pattern `{}` is invalid: {e}", t.value))
                                .at(t.loc)
                                .hint("use a topic name, a glob like `db.changes.*`, or `re:` followed by a regular expression"),
                        );
                        continue;
                    }
                };
                let is_pattern = t.value.starts_with("re:") || t.value.contains(['*', '?']);
                if is_pattern {
                    let active = self.reg.topics.iter().filter(|x| x.status == Status::Active);
                    if !active.clone().any(|x| p.matches(&x.name)) {
                        found.push(
                            Diagnostic::warning(
                                "pattern-matches-nothing",
                                format!("topic pattern `{}` matches no active topic", t.value),
                            )
                            .at(t.loc)
                            .hint("check the pattern against the topic names"),
                        );
                    }
                } else if !topics.contains(&t.value.as_str()) {
                    let mut d = Diagnostic::error(
                        "unknown-topic",
                        format!("connector `{}` names unknown topic `{}`", n.value, t.value),
                    )
                    .at(t.loc);
                    d = match closest(&t.value, topics.iter().copied()) {
                        Some(s) => d.hint(format!("did you mean `{s}`? Declare the topic under `topics:` first")),
                        None => d.hint("declare the topic under `topics:`, or use a pattern"),
                    };
                    found.push(d);
                }
            }
            if let (ConnectorType::Source, Some(g)) = (c.kind, &c.group) {
                found.push(
                    Diagnostic::warning("group-on-source", format!("source connector `{}` has a group", n.value))
                        .at(g.loc)
                        .hint("only a sink consumes with a group (`consumer.override.group.id`); drop `group:`"),
                );
            }
        }
        self.out.extend(found);
    }
}

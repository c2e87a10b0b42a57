//! Drift of Kafka Connect: each declared connector against what its Connect cluster
//! reports (missing, failed, paused or otherwise not running, another type), and any
//! connector on a Connect cluster using a registry topic the registry does not declare
//! for it. A sink's group is a declared group: `lag` and the group rules judge it.

use super::{ClusterRead, Connector, Health, Kind, State, Topics};
use crate::core::diag::Severity;
use crate::core::drift::Finding;
use crate::core::registry::model::ConnectorType;
use crate::core::registry::pattern::Pattern;
use crate::core::registry::Registry;
use crate::core::visible::one_line;

/// Findings, and the checks that could not run (a Connect cluster unread).
pub fn findings(reg: &Registry, reads: &[ClusterRead]) -> (Vec<Finding>, Vec<String>) {
    let mut out = Vec::new();
    let mut failed = Vec::new();
    for r in reads {
        if let Err(e) = &r.connectors {
            failed.push(format!(
                "connectors: Connect cluster {} unread: {}",
                one_line(&r.name),
                one_line(e)
            ));
        }
    }
    for s in reg.services.iter() {
        let Some(facts) = &s.connector else { continue };
        let on: Vec<&ClusterRead> = reads
            .iter()
            .filter(|r| facts.connect.as_deref().is_none_or(|c| c == r.name))
            .collect();
        let found = on
            .iter()
            .filter_map(|r| r.connectors.as_ref().ok())
            .flatten()
            .find(|c| c.name == s.key);
        let owner = facts.owner.map(|o| reg.services[o].key.clone());
        let about: Vec<String> = std::iter::once(s.key.clone()).chain(owner).collect();
        let finding = |kind, severity, message: String| Finding {
            kind,
            severity,
            subject: s.key.clone(),
            topic: None,
            services: about.clone(),
            loc: Some(s.loc),
            message,
        };
        let Some(c) = found else {
            // Missing only where every cluster it may run on was read.
            let read_all = on.iter().all(|r| r.connectors.is_ok());
            if on.is_empty() {
                failed.push(format!(
                    "connectors: `{}` runs on Connect cluster `{}`, which no --connect names",
                    one_line(&s.key),
                    one_line(facts.connect.as_deref().unwrap_or(""))
                ));
            } else if read_all {
                out.push(finding(
                    "missing-connector",
                    Severity::Error,
                    format!(
                        "declared {} connector `{}` is not on {}",
                        facts.kind.word(),
                        one_line(&s.key),
                        names(&on)
                    ),
                ));
            }
            continue;
        };
        if let Health::Unhealthy(why) = c.health() {
            let failed_task = c.state == State::Failed || c.tasks.iter().any(|t| t.state == State::Failed);
            let paused = matches!(c.state, State::Paused | State::Stopped);
            let (kind, severity) = if failed_task {
                ("failed-connector", Severity::Error)
            } else if paused {
                ("paused-connector", Severity::Warning)
            } else {
                ("connector-not-running", Severity::Warning)
            };
            let trace = c
                .first_trace()
                .map(|t| format!(": {}", t.first_line(160)))
                .unwrap_or_default();
            out.push(finding(
                kind,
                severity,
                format!("connector `{}` is {}{trace}", one_line(&s.key), why.join("; ")),
            ));
        }
        let declared = match facts.kind {
            ConnectorType::Source => Kind::Source,
            ConnectorType::Sink => Kind::Sink,
        };
        if !matches!(c.kind, Kind::Unknown(_)) && c.kind != declared {
            out.push(finding(
                "connector-type",
                Severity::Warning,
                format!(
                    "connector `{}` is declared a {} but runs as a {}",
                    one_line(&s.key),
                    facts.kind.word(),
                    c.kind.word()
                ),
            ));
        }
    }
    for r in reads {
        let Ok(list) = &r.connectors else { continue };
        for c in list {
            undeclared_topics(reg, c, &mut out);
        }
    }
    (out, failed)
}

fn names(on: &[&ClusterRead]) -> String {
    let n: Vec<String> = on.iter().map(|r| format!("`{}`", one_line(&r.name))).collect();
    format!("Connect cluster {}", n.join(", "))
}

/// Registry topics a connector uses that the registry does not declare for it.
fn undeclared_topics(reg: &Registry, c: &Connector, out: &mut Vec<Finding>) {
    let used: &[String] = match &c.topics {
        Topics::Used(t) => t,
        _ => &c.config_topics,
    };
    let node = reg.service_by_key(&c.name).map(|i| &reg.services[i]);
    let facts = node.and_then(|n| n.connector.as_ref());
    let patterns: Vec<Pattern> = facts
        .map(|f| f.topics.iter().filter_map(|t| Pattern::parse(t).ok()).collect())
        .unwrap_or_default();
    let verb = match c.kind {
        Kind::Source => "writes",
        Kind::Sink => "reads",
        Kind::Unknown(_) => "uses",
    };
    for t in used {
        let Some(topic) = reg.topic(t) else { continue };
        if patterns.iter().any(|p| p.matches(t)) {
            continue;
        }
        let mut services = vec![c.name.clone()];
        if let Some(o) = facts.and_then(|f| f.owner) {
            services.push(reg.services[o].key.clone());
        }
        let why = if facts.is_some() {
            "its `topics` in the registry do not include it"
        } else {
            "the registry does not declare this connector"
        };
        out.push(Finding {
            kind: "undeclared-connector-topic",
            severity: Severity::Warning,
            subject: c.name.clone(),
            topic: Some(t.clone()),
            services,
            loc: Some(topic.loc),
            message: format!(
                "connector `{}` {verb} registry topic `{}`: {why}",
                one_line(&c.name),
                one_line(t)
            ),
        });
    }
}

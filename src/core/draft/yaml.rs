//! The draft as registry YAML: every name quoted (JSON strings are YAML scalars, so a
//! hostile topic name cannot break the file), every guess marked `# guess:`, what was
//! not read said at the top.

use super::{ConnectorDraft, Consumer, Draft, Guess, TopicDraft, CONVENTION};
use crate::core::visible::one_line;
use std::fmt::Write as _;

/// A YAML double-quoted scalar: every control or non-printable character escaped
/// (YAML refuses C1 controls even where JSON would leave them raw).
pub fn q(s: &str) -> String {
    let mut o = String::with_capacity(s.len() + 2);
    o.push('"');
    for c in s.chars() {
        match c {
            '"' => o.push_str("\\\""),
            '\\' => o.push_str("\\\\"),
            c if c.is_control() || crate::core::visible::is_invisible(c) => {
                let _ = write!(o, "\\u{:04x}", c as u32);
            }
            c => o.push(c),
        }
    }
    o.push('"');
    o
}

/// A comment's text on one line.
pub fn c(s: &str) -> String {
    one_line(s).into_owned()
}

/// The whole file; `from` says where it was drafted from (the header's first line).
pub fn write(d: &Draft, from: &str) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "# A registry drafted by `ktopo init` from {}.", c(from));
    o.push_str("# Every guess is marked `# guess:`: review them, then run `ktopo check` and `ktopo drift`.\n");
    for n in &d.notes {
        let _ = writeln!(o, "# Not drafted: {}", c(n));
    }
    o.push('\n');
    let _ = writeln!(o, "platform:\n  name: {}\n", q(&format!("drafted from {from}")));
    o.push_str(&conventions(d));
    o.push_str("services:");
    if d.services.is_empty() {
        o.push_str(" []");
    }
    o.push('\n');
    for (key, why) in &d.services {
        o.push_str(&service(key, why));
    }
    o.push_str("\ntopics:");
    if d.topics.is_empty() {
        o.push_str(" []");
    }
    o.push('\n');
    for t in &d.topics {
        o.push_str(&topic(t));
    }
    if !d.connectors.is_empty() {
        o.push_str("\nconnectors:  # from Kafka Connect (--connect)\n");
        for k in &d.connectors {
            o.push_str(&connector(k));
        }
    }
    o
}

/// One entry of `connectors:`: a source produces its topics, a sink consumes them.
pub fn connector(k: &ConnectorDraft) -> String {
    let mut o = format!("  - name: {}\n    type: {}\n", q(&k.name), k.kind.word());
    if let Some(class) = &k.class {
        let _ = writeln!(o, "    class: {}", q(class));
    }
    let _ = writeln!(o, "    service: {}  # guess: {}", q(&k.owner), c(&k.owner_why));
    let _ = writeln!(o, "    topics: {}  # {}", flow(&k.topics), c(&k.topics_why));
    if let Some(g) = &k.group {
        let _ = writeln!(o, "    group: {}  # its consumer.override.group.id", q(g));
    }
    if let Some(on) = &k.connect {
        let _ = writeln!(o, "    connect: {}", q(on));
    }
    o
}

/// A flow list of quoted names.
pub fn flow(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| q(i)).collect();
    format!("[{}]", quoted.join(", "))
}

/// The `conventions:` section (empty when there is nothing to say).
pub fn conventions(d: &Draft) -> String {
    let mut o = String::new();
    if !d.convention && d.replication.is_none() {
        return o;
    }
    o.push_str("conventions:\n");
    if d.convention {
        let _ = writeln!(
            o,
            "  consumer_group: {}  # guess: consumer group names follow it",
            q(CONVENTION)
        );
    }
    if let Some(r) = d.replication {
        let _ = writeln!(
            o,
            "  topic_defaults:\n    replication:  # what most topics have on the cluster\n      production: {r}\n      development: {r}"
        );
    }
    o.push('\n');
    o
}

/// One entry of `services:`.
pub fn service(key: &str, why: &[String]) -> String {
    let mut o = format!("  - key: {}\n    name: {}\n", q(key), q(key));
    for w in why {
        let _ = writeln!(o, "    # guess: {}", c(w));
    }
    o
}

/// One entry of `topics:`.
pub fn topic(t: &TopicDraft) -> String {
    let mut o = format!("  - name: {}\n    partitions: {}\n", q(&t.name), t.partitions);
    if let Some(r) = t.replication {
        let _ = writeln!(o, "    replication: {r}");
    }
    if let Some(days) = t.retention_days {
        let _ = writeln!(o, "    retention_days: {days}");
    }
    if let Some(comp) = &t.compression {
        let _ = writeln!(o, "    compression: {}", q(comp));
    }
    for n in &t.config_notes {
        let _ = writeln!(o, "    # {}", c(n));
    }
    if !t.producers.is_empty() {
        o.push_str("    producers:\n");
        for p in &t.producers {
            o.push_str(&producer(p));
        }
    }
    if !t.consumers.is_empty() {
        o.push_str("    consumers:\n");
        for cons in &t.consumers {
            o.push_str(&consumer(cons));
        }
    }
    o
}

pub fn producer(p: &Guess) -> String {
    format!("      - {}  # guess: {}\n", q(&p.service), c(&p.why))
}

pub fn consumer(k: &Consumer) -> String {
    match &k.group {
        None => format!("      - {}  # guess: {}\n", q(&k.service), c(&k.why)),
        Some(g) => format!(
            "      - {{ service: {}, group: {} }}  # guess: {}\n",
            q(&k.service),
            q(g),
            c(&k.why)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::super::{ConnectorDraft, Consumer, Draft, TopicDraft};
    use crate::core::registry::model::ConnectorType;

    #[test]
    fn a_hostile_connector_is_escaped_and_loads_with_its_exact_name() {
        let name = "sink\u{1b}[2J\u{202e}\"x\n";
        let d = Draft {
            services: [("owner".to_string(), vec![format!("owns `{name}`")])].into(),
            topics: vec![TopicDraft {
                name: "t".into(),
                partitions: 1,
                ..TopicDraft::default()
            }],
            connectors: vec![ConnectorDraft {
                name: name.into(),
                kind: ConnectorType::Sink,
                class: Some("x\u{7}y".into()),
                owner: "owner".into(),
                owner_why: format!("from `{name}`"),
                topics: vec!["t".into()],
                topics_why: "used\r\nforged: line".into(),
                group: Some("g\u{1b}".into()),
                connect: None,
            }],
            ..Draft::default()
        };
        let text = super::write(&d, "here");
        assert!(text.chars().all(|c| c == '\n' || !c.is_control()), "{text:?}");
        assert!(!text.contains("\nforged"), "{text}");
        let checked = crate::core::registry::load_str("draft", text.clone());
        assert_eq!(checked.errors(), 0, "{:?}\n{text}", checked.diagnostics);
        let reg = checked.registry.unwrap();
        let i = reg.service_by_key(name).expect("the connector, by its exact name");
        let facts = reg.services[i].connector.as_ref().unwrap();
        assert_eq!(
            (facts.class.as_deref(), facts.group.as_deref()),
            (Some("x\u{7}y"), Some("g\u{1b}"))
        );
        assert_eq!(facts.topics, ["t"]);
    }

    #[test]
    fn hostile_group_ids_are_escaped_and_the_draft_loads_with_them_exactly() {
        let group = "ops\u{85}\u{9b}\u{1b}]2;x\u{7}\"\\\u{202e}\nend";
        let d = Draft {
            services: [("ops".to_string(), vec!["why\nnot".to_string()])].into(),
            topics: vec![TopicDraft {
                name: "t".into(),
                partitions: 1,
                consumers: vec![Consumer {
                    service: "ops".into(),
                    group: Some(group.into()),
                    why: format!("group `{group}`"),
                }],
                ..TopicDraft::default()
            }],
            ..Draft::default()
        };
        let text = super::write(&d, "here");
        assert!(text.chars().all(|c| c == '\n' || !c.is_control()), "{text:?}");
        let checked = crate::core::registry::load_str("draft", text.clone());
        assert_eq!(checked.errors(), 0, "{:?}\n{text}", checked.diagnostics);
        let reg = checked.registry.unwrap();
        assert_eq!(reg.topics[0].consumers[0].group.as_deref(), Some(group));
    }
}

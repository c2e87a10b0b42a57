//! `init --merge`: what the cluster has and a registry lacks, as text, so every
//! comment and the order stay: missing topics, services and connectors at the end of
//! the file's own `topics:`, `services:` and `connectors:` lists; on topics it already
//! declares, the consumer groups, producers and connectors the cluster shows and the
//! file lacks, added inside their entries (`entry`), each marked `# guess:`. What the
//! file has already is never added again, so merging twice adds nothing the second
//! time. Links of deprecated and proposed topics are not added (drift reports them).

use super::entry::{self, Addition};
use super::yaml::{c, q};
use super::{ConnectorDraft, Consumer, Draft, CONVENTION};
use crate::core::registry::model::{group_id, Status};
use crate::core::registry::pattern::Pattern;
use crate::core::registry::Registry;
use crate::core::visible::one_line;
use std::collections::BTreeSet;

/// The merged text and what was added to it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Merged {
    pub text: String,
    pub topics: usize,
    pub services: usize,
    pub connectors: usize,
    /// Producers, consumers and connector topics added to entries the file has.
    pub links: usize,
    /// What could not be added, and why.
    pub skipped: Vec<String>,
}

/// The merged text, or why the file cannot take the insertion.
pub fn merge(text: &str, reg: &Registry, d: &Draft, from: &str) -> Result<Merged, String> {
    let stamp = format!("# added by `ktopo init --merge` from {}", one_line(from));
    let topics: Vec<_> = d
        .topics
        .iter()
        .filter(|t| reg.topic(&t.name).is_none())
        .map(|t| {
            let mut t = t.clone();
            // The registry's own convention may differ: every group is written out.
            for c in &mut t.consumers {
                *c = Consumer {
                    group: Some(
                        c.group
                            .clone()
                            .unwrap_or_else(|| group_id(CONVENTION, &c.service, &t.name)),
                    ),
                    ..c.clone()
                };
            }
            t
        })
        .collect();
    let mut wanted: BTreeSet<String> = topics
        .iter()
        .flat_map(|t| {
            t.producers
                .iter()
                .map(|p| p.service.clone())
                .chain(t.consumers.iter().map(|c| c.service.clone()))
        })
        .collect();
    let mut skipped = Vec::new();
    let mut adds = links(reg, d, &mut wanted, &mut skipped);
    let new_topics: BTreeSet<&str> = topics.iter().map(|t| t.name.as_str()).collect();
    let (connectors, more) = connectors(reg, d, &new_topics, &mut wanted, &mut skipped);
    adds.extend(more);
    let wanted: Vec<String> = wanted.into_iter().filter(|k| reg.service_by_key(k).is_none()).collect();
    let services: Vec<String> = wanted
        .iter()
        .map(|k| super::yaml::service(k, d.services.get(k).map(Vec::as_slice).unwrap_or(&[])))
        .collect();
    let topic_text: Vec<String> = topics.iter().map(super::yaml::topic).collect();
    let connector_text: Vec<String> = connectors.iter().map(super::yaml::connector).collect();
    // Inside entries first: their positions are of the file as read.
    let (mut out, not_added, links) = entry::apply(text, adds, &stamp);
    skipped.extend(not_added);
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out = append_to_list(&out, "services", &services, &stamp)?;
    out = append_to_list(&out, "topics", &topic_text, &stamp)?;
    out = append_to_list(&out, "connectors", &connector_text, &stamp)?;
    Ok(Merged {
        text: out,
        topics: topics.len(),
        services: services.len(),
        connectors: connectors.len(),
        links,
        skipped,
    })
}

/// The producers and consumer groups the cluster shows on declared topics that the
/// file lacks (a consumer is known by its group, a producer by its service).
fn links(reg: &Registry, d: &Draft, wanted: &mut BTreeSet<String>, skipped: &mut Vec<String>) -> Vec<Addition> {
    let mut adds = Vec::new();
    // A connector is linked through its own entry, never named in a topic's lists.
    let usable = |k: &str| {
        reg.service_by_key(k)
            .is_none_or(|i| reg.services[i].connector.is_none())
    };
    for t in &d.topics {
        let Some(rt) = reg.topic(&t.name) else { continue };
        let mut producers = Vec::new();
        for p in &t.producers {
            let declared = rt.producers.iter().any(|e| reg.services[e.service].key == p.service);
            if !declared && usable(&p.service) {
                producers.push((q(&p.service), c(&p.why), p.service.clone()));
            }
        }
        let mut consumers = Vec::new();
        for k in &t.consumers {
            let group = k
                .group
                .clone()
                .unwrap_or_else(|| group_id(CONVENTION, &k.service, &t.name));
            let declared = rt.consumers.iter().any(|e| e.group.as_deref() == Some(group.as_str()));
            if !declared && usable(&k.service) {
                let item = format!("{{ service: {}, group: {} }}", q(&k.service), q(&group));
                consumers.push((item, c(&k.why), k.service.clone()));
            }
        }
        if producers.is_empty() && consumers.is_empty() {
            continue;
        }
        let what = format!("topic `{}`", one_line(&t.name));
        if rt.status != Status::Active || rt.loc.is_unknown() {
            skipped.push(format!(
                "{what} is not active: its producers and consumers on the cluster are not added (drift reports them)"
            ));
            continue;
        }
        for (key, list) in [("producers", producers), ("consumers", consumers)] {
            if list.is_empty() {
                continue;
            }
            wanted.extend(list.iter().map(|(_, _, k)| k.clone()));
            adds.push(Addition {
                offset: rt.loc.offset as usize,
                key,
                items: list.into_iter().map(|(i, w, _)| (i, w)).collect(),
                what: what.clone(),
            });
        }
    }
    adds
}

/// Connectors the file lacks (entries of their own), and the topics of declared ones
/// their `topics:` do not cover.
fn connectors(
    reg: &Registry,
    d: &Draft,
    new_topics: &BTreeSet<&str>,
    wanted: &mut BTreeSet<String>,
    skipped: &mut Vec<String>,
) -> (Vec<ConnectorDraft>, Vec<Addition>) {
    let (mut entries, mut adds) = (Vec::new(), Vec::new());
    // A topic a connector may name: an active one of the file, or one added now.
    let linkable = |t: &str| {
        t.starts_with("re:") || new_topics.contains(t) || reg.topic(t).is_some_and(|x| x.status == Status::Active)
    };
    let owners: Vec<&str> = reg
        .services
        .iter()
        .filter(|s| s.connector.is_none())
        .map(|s| s.key.as_str())
        .collect();
    for dc in &d.connectors {
        let what = format!("connector `{}`", one_line(&dc.name));
        match reg.service_by_key(&dc.name).map(|i| &reg.services[i]) {
            Some(s) => {
                let Some(facts) = &s.connector else {
                    skipped.push(format!("{what}: its name is a service's key in the registry"));
                    continue;
                };
                let patterns: Vec<Pattern> = facts.topics.iter().filter_map(|t| Pattern::parse(t).ok()).collect();
                let items: Vec<(String, String)> = dc
                    .topics
                    .iter()
                    .filter(|t| !facts.topics.contains(t) && !patterns.iter().any(|p| p.matches(t)))
                    .filter(|t| linkable(t))
                    .map(|t| (q(t), c(&dc.topics_why)))
                    .collect();
                if !items.is_empty() && !s.loc.is_unknown() {
                    adds.push(Addition {
                        offset: s.loc.offset as usize,
                        key: "topics",
                        items,
                        what,
                    });
                }
            }
            None => {
                let mut dc = dc.clone();
                // An owner the file has, where the name tells one.
                if reg.service_by_key(&dc.owner).is_none() {
                    let (owner, why) = super::connectors::guess_owner(&dc.name, owners.iter().copied());
                    if reg.service_by_key(&owner).is_some() {
                        (dc.owner, dc.owner_why) = (owner, why);
                    }
                }
                dc.topics.retain(|t| linkable(t));
                wanted.insert(dc.owner.clone());
                entries.push(dc);
            }
        }
    }
    (entries, adds)
}

/// Insert `entries` (written with two spaces before `-`) at the end of the top-level
/// block list `key:`, re-indented like its items; the list is made when absent.
fn append_to_list(text: &str, key: &str, entries: &[String], stamp: &str) -> Result<String, String> {
    if entries.is_empty() {
        return Ok(text.to_string());
    }
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let is_top_key =
        |l: &str| !l.starts_with([' ', '\t', '#', '\n', '\r', '-']) && !l.trim().is_empty() && !l.starts_with("---");
    let start = lines.iter().position(|l| {
        l.strip_prefix(key)
            .and_then(|r| r.strip_prefix(':'))
            .is_some_and(|r| r.trim().is_empty() || r.trim_start().starts_with('#') || r.trim().starts_with('['))
    });
    let Some(start) = start else {
        let mut out = text.to_string();
        out.push_str(&format!("\n{key}:\n  {stamp}\n"));
        out.extend(entries.iter().cloned());
        return Ok(out);
    };
    let after_key = lines[start][key.len() + 1..].trim();
    if after_key.starts_with('[') {
        if after_key.starts_with("[]") {
            // An empty flow list becomes a block list.
            let mut out: String = lines[..start].concat();
            out.push_str(&format!("{key}:\n  {stamp}\n"));
            out.extend(entries.iter().cloned());
            out.push_str(&lines[start + 1..].concat());
            return Ok(out);
        }
        return Err(format!(
            "`{key}:` is a flow list (`[…]`): write it as a block list (`- …` lines) to merge into it"
        ));
    }
    let end = (start + 1..lines.len())
        .find(|&i| is_top_key(lines[i]))
        .unwrap_or(lines.len());
    // The items' indentation, from the first of them.
    let indent = lines[start + 1..end]
        .iter()
        .find(|l| l.trim_start().starts_with('-'))
        .map_or(2, |l| l.len() - l.trim_start().len());
    // After the last item's last line: blank lines and comments before the next key stay.
    let mut at = end;
    while at > start + 1 && {
        let t = lines[at - 1].trim();
        t.is_empty() || (t.starts_with('#') && lines[at - 1].len() - lines[at - 1].trim_start().len() == 0)
    } {
        at -= 1;
    }
    let pad = " ".repeat(indent);
    let mut block = format!("{pad}{stamp}\n");
    for e in entries {
        for l in e.split_inclusive('\n') {
            block.push_str(&pad);
            block.push_str(l.strip_prefix("  ").unwrap_or(l));
        }
    }
    let mut out: String = lines[..at].concat();
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out.push_str(&block);
    out.push_str(&lines[at..].concat());
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::super::{ConnectorDraft, Consumer, Draft, Guess, TopicDraft};
    use super::{append_to_list, merge};
    use crate::core::registry::model::ConnectorType;

    const FILE: &str = "# the platform\nconventions:\n  consumer_group: \"{service_name}_{topic_name}_consumer\"\nservices:\n  - { id: 0, key: shop, name: Shop }  # the shop\n  - { id: 1, key: billing, name: Billing }\ntopics:\n  - name: orders_events  # orders\n    producers: [0]\n    consumers:\n      - billing  # invoices\n    partitions: 3\ndeprecated_topics:\n  - name: old_events\n    replaced_by: orders_events\n\n# the end\n";

    fn seen() -> Draft {
        let guess = |s: &str| Guess {
            service: s.into(),
            why: format!("{s} seen"),
        };
        let consumer = |s: &str, g: Option<&str>| Consumer {
            service: s.into(),
            group: g.map(str::to_string),
            why: "a group".into(),
        };
        Draft {
            services: [("fraud".to_string(), vec!["a group".to_string()])].into(),
            topics: vec![
                TopicDraft {
                    name: "orders_events".into(),
                    partitions: 3,
                    producers: vec![guess("shop"), guess("legacy")],
                    consumers: vec![consumer("billing", None), consumer("fraud", Some("fraud-scan"))],
                    ..TopicDraft::default()
                },
                TopicDraft {
                    name: "old_events".into(),
                    partitions: 1,
                    producers: vec![guess("shop")],
                    ..TopicDraft::default()
                },
            ],
            connectors: vec![ConnectorDraft {
                name: "orders-archive-sink".into(),
                kind: ConnectorType::Sink,
                class: Some("S3SinkConnector".into()),
                owner: "orders-archive".into(),
                owner_why: "named after it".into(),
                topics: vec!["orders_events".into(), "old_events".into()],
                topics_why: "its worker says".into(),
                group: None,
                connect: None,
            }],
            ..Draft::default()
        }
    }

    fn load(text: &str) -> crate::core::registry::Registry {
        let checked = crate::core::registry::load_str("merged", text.to_string());
        assert_eq!(checked.errors(), 0, "{:?}\n{text}", checked.diagnostics);
        checked.registry.unwrap()
    }

    #[test]
    fn links_on_declared_topics_are_added_as_guesses_once() {
        let reg = load(FILE);
        let m = merge(FILE, &reg, &seen(), "here").unwrap();
        let text = &m.text;
        assert_eq!((m.topics, m.services, m.connectors, m.links), (0, 3, 1, 2), "{text}");
        // The shop produces already, billing's group is the convention's: only the new.
        assert!(
            text.contains(
                "    # guess: `\"legacy\"` added to `producers`: legacy seen\n    producers: [0, \"legacy\"]\n"
            ),
            "{text}"
        );
        assert!(
            text.contains("      - billing  # invoices\n      - { service: \"fraud\", group: \"fraud-scan\" }  # guess: a group\n"),
            "{text}"
        );
        // A deprecated topic gets no link, and no connector names it.
        assert!(m.skipped.iter().any(|s| s.contains("old_events")), "{:?}", m.skipped);
        assert!(text.contains("    topics: [\"orders_events\"]"), "{text}");
        for l in [
            "# the platform",
            "  - { id: 0, key: shop, name: Shop }  # the shop",
            "# the end",
        ] {
            assert!(text.contains(l), "{text}");
        }
        let merged = load(text);
        let t = merged.topic("orders_events").unwrap();
        assert_eq!(
            t.consumers
                .iter()
                .filter_map(|c| c.group.as_deref())
                .collect::<Vec<_>>(),
            [
                "billing_orders_events_consumer",
                "fraud-scan",
                "connect-orders-archive-sink"
            ]
        );
        // Twice: nothing more.
        let again = merge(text, &merged, &seen(), "here").unwrap();
        assert_eq!(again.text, *text);
        assert_eq!(
            (again.topics, again.services, again.connectors, again.links),
            (0, 0, 0, 0)
        );
    }

    #[test]
    fn a_declared_connector_gets_the_topics_it_lacks() {
        let file = format!(
            "{FILE}connectors:\n  - name: orders-archive-sink\n    type: sink\n    service: shop\n    topics: []\n"
        );
        let reg = load(&file);
        let m = merge(&file, &reg, &seen(), "here").unwrap();
        assert!(
            m.text.ends_with("    # guess: `\"orders_events\"` added to `topics`: its worker says\n    topics: [\"orders_events\"]\n"),
            "{}",
            m.text
        );
        assert_eq!(m.connectors, 0);
        let merged = load(&m.text);
        assert_eq!(merge(&m.text, &merged, &seen(), "here").unwrap().text, m.text);
    }

    fn entry() -> Vec<String> {
        vec!["  - name: \"t\"\n    partitions: 1\n".to_string()]
    }

    #[test]
    fn entries_go_after_the_last_item_indented_like_it_before_trailing_comments() {
        let text = "topics:\n- name: a # first\n  partitions: 2\n\n# about what follows\nservices: []\n";
        let out = append_to_list(text, "topics", &entry(), "# added").unwrap();
        assert_eq!(
            out,
            "topics:\n- name: a # first\n  partitions: 2\n# added\n- name: \"t\"\n  partitions: 1\n\n# about what follows\nservices: []\n"
        );
    }

    #[test]
    fn an_empty_flow_list_becomes_a_block_a_full_one_is_refused_a_missing_one_is_made() {
        let out = append_to_list("topics: []\nservices:\n", "topics", &entry(), "# added").unwrap();
        assert!(out.starts_with("topics:\n  # added\n  - name: \"t\"\n"), "{out}");
        let e = append_to_list("topics: [{name: a}]\n", "topics", &entry(), "# added").unwrap_err();
        assert!(e.contains("flow list"), "{e}");
        let out = append_to_list("platform: {}\n", "topics", &entry(), "# added").unwrap();
        assert_eq!(
            out,
            "platform: {}\n\ntopics:\n  # added\n  - name: \"t\"\n    partitions: 1\n"
        );
    }
}

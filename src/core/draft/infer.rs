//! The guesses: topics as the cluster has them, services from consumer group names
//! (the `{service}_{topic}_consumer` convention where groups follow it, else one
//! service per group), producers from a field of sampled JSON messages.

use super::key::service_key;
use super::{Consumer, Draft, Guess, Seen, TopicDraft, CONVENTION};
use crate::core::registry::model::group_id;
use std::collections::{BTreeMap, BTreeSet};

/// Messages of one topic looked at for producers, at most.
const MESSAGES_READ: usize = 1000;
/// A producer field's value longer than this is not a service name.
const MAX_KEY: usize = 100;

pub fn draft(seen: &Seen) -> Draft {
    let mut d = Draft::default();
    let internal = |n: &str| crate::core::drift::rules::internal(n);
    let topics: Vec<_> = seen.topics.iter().filter(|t| !internal(&t.name)).collect();
    // The replication most topics have becomes every environment's default.
    let mut counts: BTreeMap<usize, usize> = BTreeMap::new();
    for t in &topics {
        if let Some(r) = t.replication {
            *counts.entry(r).or_default() += 1;
        }
    }
    d.replication = counts
        .iter()
        .max_by_key(|(r, n)| (**n, std::cmp::Reverse(**r)))
        .map(|(r, _)| *r);
    let configs = match seen.configs {
        Ok(c) => Some(c),
        Err(why) => {
            d.notes.push(format!(
                "topic configurations not read ({why}): no retention or compression drafted"
            ));
            None
        }
    };
    let groups = match seen.groups {
        Ok(g) => g.clone(),
        Err(why) => {
            d.notes
                .push(format!("consumer groups not listed ({why}): no consumer drafted"));
            BTreeMap::new()
        }
    };
    // A sink connector's group is the connector's: it is drafted with it. Only a
    // drafted connector's, though: one left out (its name a service's) keeps its
    // group as a consumer. Re-adding a group adds a service that may leave out
    // another connector, so until the groups removed are exactly the drafted ones'
    // (they only shrink, so this ends).
    let names: BTreeSet<&str> = topics.iter().map(|t| t.name.as_str()).collect();
    let mut removed = super::connectors::sink_groups(seen.connectors);
    let (consumers, producers) = loop {
        let mut services = BTreeMap::new();
        let mut notes = Vec::new();
        let kept: BTreeMap<String, BTreeSet<String>> = groups
            .iter()
            .filter(|(g, _)| !removed.contains(*g))
            .map(|(g, t)| (g.clone(), t.clone()))
            .collect();
        let (consumers, convention) = consumers(&kept, &mut services);
        let producers = producers(seen, &mut services);
        let drafted = super::connectors::connectors(seen.connectors, &names, &mut services, &mut notes);
        let theirs: BTreeSet<String> = drafted.iter().filter_map(|c| c.sink_group()).collect();
        let still: BTreeSet<String> = removed.intersection(&theirs).cloned().collect();
        if still == removed {
            d.services = services;
            d.notes.extend(notes);
            d.convention = convention;
            d.connectors = drafted;
            break (consumers, producers);
        }
        removed = still;
    };
    for t in topics {
        let mut td = TopicDraft {
            name: t.name.clone(),
            partitions: t.partitions.len(),
            replication: t.replication,
            ..TopicDraft::default()
        };
        if let Some(cfg) = configs.and_then(|c| c.get(&t.name)) {
            configs_of(cfg, &mut td);
        }
        td.producers = producers.get(&t.name).cloned().unwrap_or_default();
        td.consumers = consumers.get(&t.name).cloned().unwrap_or_default();
        d.topics.push(td);
    }
    d
}

fn configs_of(cfg: &std::collections::HashMap<String, String>, td: &mut TopicDraft) {
    const DAY_MS: i64 = 86_400_000;
    match cfg.get("retention.ms").map(|v| v.parse::<i64>()) {
        Some(Ok(ms)) if ms > 0 && ms % DAY_MS == 0 && ms / DAY_MS <= i64::from(u32::MAX) => {
            td.retention_days = Some((ms / DAY_MS) as u32)
        }
        Some(Ok(-1)) => td
            .config_notes
            .push("retention.ms=-1 (kept forever): not declared".into()),
        Some(Ok(ms)) => td
            .config_notes
            .push(format!("retention.ms={ms} is not whole days: not declared")),
        Some(Err(_)) => td
            .config_notes
            .push("retention.ms is not a number: not declared".into()),
        None => {}
    }
    if let Some(c) = cfg.get("compression.type") {
        td.compression = Some(c.clone());
    }
}

/// Consumers by topic, and whether the convention names them (it is then declared).
fn consumers(
    groups: &BTreeMap<String, BTreeSet<String>>,
    services: &mut BTreeMap<String, Vec<String>>,
) -> (BTreeMap<String, Vec<Consumer>>, bool) {
    let mut out: BTreeMap<String, Vec<Consumer>> = BTreeMap::new();
    let mut convention = false;
    for (group, topics) in groups {
        for topic in topics {
            let by_convention = group
                .strip_suffix("_consumer")
                .and_then(|g| g.strip_suffix(topic.as_str()))
                .and_then(|g| g.strip_suffix('_'))
                .filter(|s| !s.is_empty());
            let c = match by_convention {
                Some(prefix) => {
                    let key = service_key(prefix);
                    convention = true;
                    // Where the key had to change, the group is written out.
                    let exact = group_id(CONVENTION, &key, topic) == *group;
                    services
                        .entry(key.clone())
                        .or_default()
                        .push(format!("consumer group `{group}` follows {CONVENTION}"));
                    Consumer {
                        service: key,
                        group: (!exact).then(|| group.clone()),
                        why: format!("guessed from the group name `{group}`"),
                    }
                }
                None => {
                    let key = service_key(group);
                    services.entry(key.clone()).or_default().push(format!(
                        "one service per consumer group: `{group}` does not follow {CONVENTION}"
                    ));
                    Consumer {
                        service: key,
                        group: Some(group.clone()),
                        why: format!("a service for the group `{group}`"),
                    }
                }
            };
            out.entry(topic.clone()).or_default().push(c);
        }
    }
    for v in services.values_mut() {
        v.dedup();
    }
    (out, convention)
}

/// Producers by topic: the distinct values of the producer field of its messages.
fn producers(seen: &Seen, services: &mut BTreeMap<String, Vec<String>>) -> BTreeMap<String, Vec<Guess>> {
    let mut out: BTreeMap<String, Vec<Guess>> = BTreeMap::new();
    for (topic, msgs) in seen.messages {
        let mut found: BTreeMap<String, usize> = BTreeMap::new();
        for m in msgs.iter().take(MESSAGES_READ) {
            let Some(v) = m.value.as_deref() else { continue };
            let Ok(json) = serde_json::from_slice::<serde_json::Value>(v) else {
                continue;
            };
            let mut at = &json;
            for part in seen.producer_field.split('.') {
                at = &at[part];
            }
            if let Some(s) = at.as_str().filter(|s| !s.trim().is_empty() && s.len() <= MAX_KEY) {
                *found.entry(s.to_string()).or_default() += 1;
            }
        }
        for (name, n) in found {
            let key = service_key(&name);
            services
                .entry(key.clone())
                .or_default()
                .push(format!("named by `{}` in messages", seen.producer_field));
            out.entry(topic.clone()).or_default().push(Guess {
                service: key,
                why: format!(
                    "{} = \"{}\" in {}",
                    seen.producer_field,
                    crate::core::visible::one_line(&name),
                    crate::core::words::count(n, "sampled message", "sampled messages")
                ),
            });
        }
    }
    for v in services.values_mut() {
        v.sort();
        v.dedup();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::sample::message::RawMessage;
    use crate::core::sample::{RawPartition, RawTopic};
    use std::collections::HashMap;

    fn topic(name: &str, partitions: i32) -> RawTopic {
        RawTopic {
            name: name.into(),
            partitions: (0..partitions)
                .map(|id| RawPartition {
                    id,
                    ..Default::default()
                })
                .collect(),
            replication: Some(3),
            last_write_ms: None,
        }
    }

    fn message(value: &str) -> RawMessage {
        RawMessage {
            partition: 0,
            offset: 0,
            timestamp_ms: None,
            key: None,
            headers: Vec::new(),
            value: Some(value.as_bytes().to_vec()),
            value_len: value.len(),
            schema: None,
        }
    }

    #[test]
    fn services_from_group_names_and_a_nested_producer_field() {
        let topics = [
            topic("orders_events", 2),
            topic("__consumer_offsets", 50),
            topic("_schemas", 1),
        ];
        let mut configs = HashMap::new();
        configs.insert(
            "orders_events".to_string(),
            HashMap::from([
                ("retention.ms".to_string(), "172800000".to_string()),
                ("compression.type".to_string(), "zstd".to_string()),
            ]),
        );
        let groups = BTreeMap::from([
            (
                "billing_orders_events_consumer".to_string(),
                BTreeSet::from(["orders_events".to_string()]),
            ),
            ("Ops.Tool".to_string(), BTreeSet::from(["orders_events".to_string()])),
            ("idle".to_string(), BTreeSet::new()),
        ]);
        let messages = vec![(
            "orders_events".to_string(),
            vec![
                message(r#"{"metadata":{"source":"Orders API"}}"#),
                message(r#"{"metadata":{"source":"Orders API"}}"#),
                message("not json"),
                message(r#"{"metadata":{"source":7}}"#),
            ],
        )];
        let d = draft(&Seen {
            topics: &topics,
            configs: Ok(&configs),
            groups: Ok(&groups),
            messages: &messages,
            producer_field: "metadata.source",
            connectors: &[],
        });
        assert!(d.convention);
        assert_eq!(d.replication, Some(3));
        assert_eq!(d.topics.len(), 1, "internal topics are not drafted");
        let t = &d.topics[0];
        assert_eq!(
            (t.partitions, t.retention_days, t.compression.as_deref()),
            (2, Some(2), Some("zstd"))
        );
        assert_eq!(t.producers[0].service, "orders_api");
        assert_eq!(
            t.producers[0].why,
            "metadata.source = \"Orders API\" in 2 sampled messages"
        );
        let consumers: Vec<_> = t
            .consumers
            .iter()
            .map(|c| (c.service.as_str(), c.group.as_deref()))
            .collect();
        assert_eq!(consumers, [("ops_tool", Some("Ops.Tool")), ("billing", None)]);
        assert_eq!(
            d.services.keys().collect::<Vec<_>>(),
            ["billing", "ops_tool", "orders_api"]
        );
    }

    fn sink(name: &str) -> crate::core::connectors::Connector {
        use crate::core::connectors::{state::State, Connector, Kind, Topics};
        Connector {
            name: name.into(),
            kind: Kind::Sink,
            class: None,
            state: State::Running,
            worker: None,
            trace: None,
            tasks: Vec::new(),
            tasks_dropped: 0,
            group_override: None,
            config_topics: Vec::new(),
            config_topics_regex: None,
            topics: Topics::Used(vec!["orders_events".into()]),
        }
    }

    #[test]
    fn a_sink_left_out_keeps_its_group_as_a_consumer() {
        let topics = [topic("orders_events", 1)];
        let configs = HashMap::new();
        let on = |g: &str| (g.to_string(), BTreeSet::from(["orders_events".to_string()]));
        let groups = BTreeMap::from([
            on("billing_orders_events_consumer"),
            on("connect-billing"),
            on("connect-warehouse-sink"),
        ]);
        // `billing` is a service's name (from its group): that sink is not drafted.
        let reads = [crate::core::connectors::ClusterRead {
            name: "c".into(),
            url: "http://c".into(),
            connectors: Ok(vec![sink("billing"), sink("warehouse-sink")]),
            notes: Vec::new(),
        }];
        let d = draft(&Seen {
            topics: &topics,
            configs: Ok(&configs),
            groups: Ok(&groups),
            messages: &[],
            producer_field: "source_service",
            connectors: &reads,
        });
        let drafted: Vec<_> = d.connectors.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(drafted, ["warehouse-sink"]);
        assert!(
            d.notes.iter().any(|n| n.contains("connector `billing`")),
            "{:?}",
            d.notes
        );
        let groups: Vec<_> = d.topics[0]
            .consumers
            .iter()
            .map(|c| c.group.clone().unwrap_or_else(|| c.service.clone()))
            .collect();
        assert!(groups.contains(&"connect-billing".to_string()), "{groups:?}");
        assert!(
            !groups.contains(&"connect-warehouse-sink".to_string()),
            "a drafted sink's group is the connector's: {groups:?}"
        );
        assert_eq!(d.notes.len(), 1, "said once: {:?}", d.notes);
    }
}

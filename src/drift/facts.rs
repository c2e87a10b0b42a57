//! The cluster side of drift, as plain data: topics with their partitions, replication,
//! produce rate and configs; groups with the topics they commit on or are assigned.
//! Built from the live picture, so the TUI and `ktopo drift` see the same facts.

use crate::live::view::LiveView;
use std::collections::{BTreeMap, BTreeSet, HashMap};

#[derive(Debug, Clone, Default, PartialEq)]
pub struct TopicFacts {
    pub partitions: usize,
    pub replication: Option<usize>,
    /// Messages per second over the sampling window; None before two samples.
    pub produce_rate: Option<f64>,
    /// DescribeConfigs values (`retention.ms`, `compression.type`…), when served.
    pub configs: Option<HashMap<String, String>>,
    /// Newest record timestamp (ms since the epoch), where it was read.
    pub last_write_ms: Option<i64>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct GroupFacts {
    /// Topics the group has a committed offset on.
    pub committed_on: BTreeSet<String>,
    /// Topics where the group has members (assigned, or described without assignment).
    pub members_on: BTreeSet<String>,
    /// Topics the registry declares this group on.
    pub declared_on: BTreeSet<String>,
    /// Key of the registry service the group belongs to, when one does.
    pub service: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Facts {
    pub topics: BTreeMap<String, TopicFacts>,
    pub groups: BTreeMap<String, GroupFacts>,
    /// The cluster lists its groups (else undeclared groups cannot be seen).
    pub groups_listed: bool,
    /// Why topic configs are missing, when they are.
    pub configs_missing: Option<String>,
    pub samples: u32,
    /// The last messages of the registry's topics, where they were read.
    pub tails: Option<crate::live::metrics::Tails>,
}

impl Facts {
    /// From the live picture, topic configurations included where DescribeConfigs
    /// answered (the sampler reads them every few minutes).
    pub fn from_live(view: &LiveView, samples: u32) -> Facts {
        let empty = HashMap::new();
        let (configs, configs_missing) = match view.configs.as_deref() {
            Some(Ok(c)) => (c, None),
            Some(Err(e)) => (&empty, Some(e.clone())),
            None => (&empty, Some("topic configurations have not been read yet".to_string())),
        };
        let topics = view
            .topics
            .iter()
            .map(|(name, t)| {
                let f = TopicFacts {
                    partitions: t.partitions,
                    replication: t.replication,
                    produce_rate: t.produce_rate,
                    configs: configs.get(name).cloned(),
                    last_write_ms: t.last_write_ms,
                };
                (name.clone(), f)
            })
            .collect();
        let mut groups: BTreeMap<String, GroupFacts> = BTreeMap::new();
        for g in &view.groups {
            if g.topic.is_empty() {
                continue;
            }
            let f = groups.entry(g.group.clone()).or_default();
            if f.service.is_none() {
                f.service.clone_from(&g.service);
            }
            if g.partitions.iter().any(|p| p.committed.is_some()) {
                f.committed_on.insert(g.topic.clone());
            }
            if g.member_list.iter().any(|m| !m.assignment.is_empty()) {
                f.members_on.insert(g.topic.clone());
            }
            if g.declared {
                f.declared_on.insert(g.topic.clone());
            }
        }
        Facts {
            topics,
            groups,
            groups_listed: view.limits.is_empty(),
            configs_missing,
            samples,
            tails: view.tails.clone(),
        }
    }
}

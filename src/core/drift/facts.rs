//! The cluster side of drift, as plain data: topics with their partitions, replication,
//! produce rate and configs; groups with the topics they commit on or are assigned.
//! Built from the live picture, so the TUI and `ktopo drift` see the same facts.

use crate::core::live::view::LiveView;
use std::collections::{BTreeMap, BTreeSet, HashMap};

#[derive(Debug, Clone, Default, PartialEq)]
pub struct TopicFacts {
    pub partitions: usize,
    pub replication: Option<usize>,
    /// Messages per second over the sampling window; None before two samples.
    pub produce_rate: Option<f64>,
    /// Messages per second since the session first saw the topic.
    pub session_rate: Option<f64>,
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
    /// Why the group could not be read this round (its facts are then unknown).
    pub error: Option<String>,
}

/// Why the cluster's groups were not all listed.
#[derive(Debug, Clone, PartialEq)]
pub enum Unlisted {
    /// The cluster does not list groups (librdkafka's mock): said, not a failure.
    Cannot(String),
    /// Listing failed this round, wholly or for some brokers.
    Failed(String),
}

#[derive(Debug, Clone, Default)]
pub struct Facts {
    pub topics: BTreeMap<String, TopicFacts>,
    pub groups: BTreeMap<String, GroupFacts>,
    /// The cluster listed all its groups this round (else undeclared groups cannot be seen).
    pub groups_listed: bool,
    /// Why groups were not listed: the cluster cannot (a limit), or it failed this
    /// round (an error: the check could not run).
    pub groups_unlisted: Option<Unlisted>,
    /// Why topic configs are missing, when they are.
    pub configs_missing: Option<String>,
    pub samples: u32,
    /// The last messages of the registry's topics, where they were read.
    pub tails: Option<crate::core::sample::Tails>,
    /// What could not be read of them.
    pub tail_problems: Vec<String>,
    /// The declared Schema Registry subjects and the tails' framing, where read.
    pub schemas: Option<std::sync::Arc<crate::core::sample::schemas::Schemas>>,
}

impl Facts {
    /// From the live picture, topic configurations included where DescribeConfigs
    /// answered (the sampler reads them every few minutes).
    pub fn from_live(view: &LiveView, samples: u32) -> Facts {
        let empty = HashMap::new();
        let (configs, configs_missing) = match view.configs.as_deref() {
            Some(Ok(c)) => (c, None),
            Some(Err(e)) => (&empty, Some(e.to_string())),
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
                    session_rate: t.session_rate,
                    configs: configs.get(name).cloned(),
                    last_write_ms: t.last_write_ms,
                };
                (name.clone(), f)
            })
            .collect();
        let mut groups: BTreeMap<String, GroupFacts> = BTreeMap::new();
        for g in &view.groups {
            if g.topic.is_empty() {
                // A group that could not be read at all: known only by its error.
                if let Some(e) = &g.error {
                    groups
                        .entry(g.group.clone())
                        .or_default()
                        .error
                        .get_or_insert(e.clone());
                }
                continue;
            }
            let f = groups.entry(g.group.clone()).or_default();
            if f.service.is_none() {
                f.service.clone_from(&g.service);
            }
            if f.error.is_none() {
                f.error.clone_from(&g.error);
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
        let groups_unlisted = (!view.groups_listed).then(|| match view.limits.first() {
            Some(l) => Unlisted::Cannot(l.clone()),
            None => Unlisted::Failed(
                view.errors
                    .iter()
                    .find(|e| e.contains("listing groups"))
                    .cloned()
                    .unwrap_or_else(|| "ListGroups did not answer".into()),
            ),
        });
        Facts {
            topics,
            groups,
            groups_listed: view.groups_listed,
            groups_unlisted,
            configs_missing,
            samples,
            tails: view.tails.clone(),
            tail_problems: view.tail_problems.clone(),
            schemas: view.schemas.clone(),
        }
    }
}

//! What a cluster has, for `ktopo init`: its topics (partitions, replication), their
//! configurations, the groups it lists with the topics they commit on, and the last
//! messages of each topic. Strictly read-only: one sampling round (no group, no
//! commit), DescribeConfigs, and peek's group-less tails.

use super::config::Properties;
use super::sampler::{Sampler, Watch};
use crate::cluster::kafka::admin::ClientError;
use crate::core::sample::message::RawMessage;
use crate::core::sample::RawTopic;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::time::Duration;

/// What `init` drafts from.
#[derive(Debug, Clone)]
pub struct Inventory {
    pub topics: Vec<RawTopic>,
    /// Configurations by topic, or why they could not be read.
    pub configs: Result<HashMap<String, HashMap<String, String>>, String>,
    /// Each listed group and the topics it has committed offsets on, or why groups
    /// could not be listed.
    pub groups: Result<BTreeMap<String, BTreeSet<String>>, String>,
    /// The last messages of each topic (newest first).
    pub messages: Vec<(String, Vec<RawMessage>)>,
    /// What could not be read, said once each.
    pub notes: Vec<String>,
}

/// Read the cluster `props` names; `tail` messages per partition of every topic.
/// `configs_unserved`: the cluster is known not to answer DescribeConfigs.
pub fn read(props: &Properties, tail: u32, configs_unserved: Option<&str>) -> Result<Inventory, ClientError> {
    let timeout = Duration::from_secs(5);
    let mut sampler = Sampler::new(props.clone(), Watch::default())?;
    sampler.timeout = timeout;
    let sample = sampler.sample()?;
    let mut notes: Vec<String> = sample.errors.clone();
    notes.extend(sample.limits.iter().cloned());
    let groups = if sample.groups_listed {
        let mut g: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for row in &sample.groups {
            let entry = g.entry(row.group.clone()).or_default();
            if !row.topic.is_empty() && row.committed.iter().any(|(_, o)| o.is_some()) {
                entry.insert(row.topic.clone());
            }
        }
        Ok(g)
    } else {
        Err(sample
            .limits
            .first()
            .cloned()
            .unwrap_or_else(|| "the cluster did not list its consumer groups".into()))
    };
    let names: Vec<String> = sample.topics.iter().map(|t| t.name.clone()).collect();
    let configs = match configs_unserved {
        Some(why) => Err(why.to_string()),
        None => super::configs::topic_configs(props, &names, timeout).map_err(|e| e.to_string()),
    };
    let mut messages = Vec::new();
    for t in &sample.topics {
        let has_data = t
            .partitions
            .iter()
            .any(|p| p.log_end.unwrap_or(0) > p.log_start.unwrap_or(0));
        if tail == 0 || !has_data {
            continue;
        }
        let req = super::peek::Request {
            topic: t.name.clone(),
            last: tail,
            partition: None,
            timeout,
            value_cap: 64 * 1024,
            total_cap: 4 << 20,
        };
        match super::peek::peek(props, &req) {
            Ok((msgs, n)) => {
                notes.extend(n);
                messages.push((t.name.clone(), msgs));
            }
            Err(e) => notes.push(format!("messages of {}: {e}", t.name)),
        }
    }
    Ok(Inventory {
        topics: sample.topics,
        configs,
        groups,
        messages,
        notes,
    })
}

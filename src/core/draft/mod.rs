//! `ktopo init`'s draft: a registry made from what a cluster shows, pure. `infer`
//! guesses services from group names and producers from message fields, `connectors`
//! the connectors of Kafka Connect and their owners; `yaml` writes the file, every
//! guess marked in a comment; `merge` adds what a registry lacks (`entry` edits inside
//! an entry it already has); `key` makes service keys of names seen.

pub mod connectors;
pub mod entry;
pub mod infer;
pub mod key;
pub mod merge;
pub mod yaml;

use crate::core::connectors::ClusterRead;
use crate::core::registry::model::ConnectorType;

use crate::core::sample::message::RawMessage;
use crate::core::sample::RawTopic;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// What the cluster showed (the cluster side reads it; this module knows no client).
#[derive(Debug, Clone, Copy)]
pub struct Seen<'a> {
    pub topics: &'a [RawTopic],
    pub configs: Result<&'a HashMap<String, HashMap<String, String>>, &'a str>,
    pub groups: Result<&'a BTreeMap<String, BTreeSet<String>>, &'a str>,
    pub messages: &'a [(String, Vec<RawMessage>)],
    /// The envelope field naming the producing service (`source_service`; dotted for
    /// nested, `metadata.source`).
    pub producer_field: &'a str,
    /// What each `--connect` cluster answered (none given: empty).
    pub connectors: &'a [ClusterRead],
}

/// A drafted registry, as plain data.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Draft {
    /// Service key → why it is believed to exist.
    pub services: BTreeMap<String, Vec<String>>,
    pub topics: Vec<TopicDraft>,
    /// Whether consumers follow `{service_name}_{topic_name}_consumer`.
    pub convention: bool,
    /// The replication factor most topics have: the default for every environment.
    pub replication: Option<usize>,
    /// Kafka Connect connectors, by name.
    pub connectors: Vec<ConnectorDraft>,
    /// What could not be read or guessed (the file's header says it).
    pub notes: Vec<String>,
}

/// A connector as its Connect cluster showed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectorDraft {
    pub name: String,
    pub kind: ConnectorType,
    pub class: Option<String>,
    /// The owning service's key: a guess (`owner_why` says from what).
    pub owner: String,
    pub owner_why: String,
    /// Drafted topics it writes (source) or reads (sink).
    pub topics: Vec<String>,
    /// Where the topics come from (KIP-558, or the sink's configuration).
    pub topics_why: String,
    /// A sink's `consumer.override.group.id`.
    pub group: Option<String>,
    /// The `--connect` name it runs on, when there are several.
    pub connect: Option<String>,
}

impl ConnectorDraft {
    /// A sink's consumer group (`connect-NAME` unless overridden); sources have none.
    pub fn sink_group(&self) -> Option<String> {
        (self.kind == ConnectorType::Sink)
            .then(|| self.group.clone().unwrap_or_else(|| format!("connect-{}", self.name)))
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TopicDraft {
    pub name: String,
    pub partitions: usize,
    pub replication: Option<usize>,
    pub retention_days: Option<u32>,
    pub compression: Option<String>,
    /// What the cluster's configuration said that the registry cannot hold.
    pub config_notes: Vec<String>,
    pub producers: Vec<Guess>,
    pub consumers: Vec<Consumer>,
}

/// A service guessed to take part, and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Guess {
    pub service: String,
    pub why: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Consumer {
    pub service: String,
    /// The group id, when the convention does not give it.
    pub group: Option<String>,
    pub why: String,
}

/// The consumer-group convention `init` recognises.
pub const CONVENTION: &str = "{service_name}_{topic_name}_consumer";

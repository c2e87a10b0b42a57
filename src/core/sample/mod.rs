//! What one sampling round read from the cluster, as plain data: `kafka` produces it,
//! `live` turns it into the live picture. No client, no clock, and nothing of either
//! side, so both depend on this and never on each other.

pub mod message;
pub mod schemas;

use self::message::RawMessage;
use std::collections::HashMap;
use std::time::Duration;

/// One partition as the sampler saw it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RawPartition {
    pub id: i32,
    pub leader: i32,
    /// None when its leader did not answer.
    pub log_end: Option<i64>,
    /// The earliest offset still retained; None when unknown.
    pub log_start: Option<i64>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct RawTopic {
    pub name: String,
    pub partitions: Vec<RawPartition>,
    /// Replicas of its first partition, from Metadata.
    pub replication: Option<usize>,
    /// Newest record timestamp (ms since the epoch), read only for the topics the
    /// caller asks about (deprecated ones); None when unknown or the topic is empty.
    pub last_write_ms: Option<i64>,
}

/// One member of a group, as kafka-consumer-groups.sh --describe --members shows it.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
pub struct Member {
    pub consumer_id: String,
    pub client_id: String,
    pub host: String,
    pub instance_id: Option<String>,
    /// (topic, partition) this member owns.
    pub assignment: Vec<(String, i32)>,
}

/// A group's committed offsets (and members) on one topic.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RawGroup {
    pub group: String,
    /// Empty for a group that could not be read at all and declares no topic.
    pub topic: String,
    /// Key of the service that owns the group, when the registry declares it.
    pub service: Option<String>,
    /// The registry declares this group on this topic.
    pub declared: bool,
    pub state: Option<String>,
    /// "Classic" or "Consumer" (KIP-848) where the broker describes groups.
    pub kind: Option<String>,
    /// Members with their assignment on this topic; None where groups are not described.
    pub members: Option<Vec<Member>>,
    /// The topic exists on the cluster (a declared group on a deleted topic: "absent").
    pub topic_on_cluster: bool,
    /// (partition, committed offset or None for no commit)
    pub committed: Vec<(i32, Option<i64>)>,
    /// Why this group's offsets (or description) could not be read this round.
    pub error: Option<String>,
}

/// Everything one sampling round read from the cluster.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RawSample {
    /// Seconds on the sampler's monotonic clock when the log offsets were read.
    pub time_s: f64,
    /// Wall-clock milliseconds since the epoch at the same moment (0: unknown).
    pub wall_ms: i64,
    /// ... and when the committed offsets were read (before the log offsets).
    pub offsets_at_s: f64,
    pub duration_ms: u64,
    pub topics: Vec<RawTopic>,
    pub groups: Vec<RawGroup>,
    pub errors: Vec<String>,
    /// What this cluster cannot tell (e.g. the mock cluster has no ListGroups).
    pub limits: Vec<String>,
    /// Every broker answered ListGroups this round (else undeclared groups may be missing).
    pub groups_listed: bool,
    /// Topic configurations, when they were read this round (every few minutes).
    pub configs: Option<Configs>,
    /// The last messages of some topics, when they were read this round.
    pub tails: Option<Tails>,
    /// ... and what could not be read of them (a partition, a message librdkafka could
    /// not decode), when they were read this round.
    pub tail_problems: Option<Vec<String>>,
    /// The declared Schema Registry subjects and the framing of the tails, where the
    /// registry declares any (every round; the framing changes with the tails).
    pub schemas: Option<std::sync::Arc<schemas::Schemas>>,
    /// The Kafka Connect clusters, when a read of them finished since the last round
    /// (they are read every `kafka_connect::watch::EVERY`, off the sampling thread).
    pub connect: Option<std::sync::Arc<crate::core::connectors::live::Live>>,
}

/// Sampled messages by topic (the observed-events checks read them). Shared, not
/// copied, into every live picture.
pub type Tails = std::sync::Arc<Vec<(String, Vec<RawMessage>)>>;

/// Topic configurations by topic (DescribeConfigs), or why they could not be read.
/// Shared, not copied, into every live picture.
pub type Configs = std::sync::Arc<Result<HashMap<String, HashMap<String, String>>, ConfigsError>>;

/// Why topic configurations could not be read. librdkafka's words are kept as text,
/// already scrubbed of configured secrets (the sampler knows them; this data does not).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigsError {
    #[error("cannot create an admin client: {0}")]
    Client(String),
    #[error("cannot start a runtime: {0}")]
    Runtime(String),
    #[error("the cluster did not answer DescribeConfigs within {0:?}")]
    Timeout(Duration),
    #[error("DescribeConfigs failed: {0}")]
    Failed(String),
    /// The cluster is known not to serve DescribeConfigs, and why.
    #[error("{0}")]
    Unserved(String),
}

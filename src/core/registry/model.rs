//! The normalised registry every part of ktopo works from: services and topics by id
//! (`ids.rs`: their positions in `services` / `topics`),
//! references resolved, defaults applied, pattern subscriptions expanded.
//! Built by `build.rs`. Serialized as-is by `ktopo export --format json` (see docs/export-json.md).
//!
//! The plain values the file spells the same way (a service's kind, the topic defaults,
//! the envelope, domains, infrastructure...) are read straight into these types: the
//! format (`format.rs`) uses them, this module knows nothing of the file. Their doc
//! comments are the JSON Schema's descriptions too (`ktopo schema`).

use super::ids::{index_by, PerService, PerTopic, ServiceId, TopicId};
use super::loc::Loc;
use foldhash::HashMap;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Serialize)]
pub struct Registry {
    pub platform: Platform,
    pub conventions: Conventions,
    pub domains: Vec<Domain>,
    pub services: Vec<Service>,
    pub topics: Vec<Topic>,
    pub infrastructure: Vec<Infrastructure>,
    pub data_flows: Vec<DataFlow>,
    #[serde(skip)]
    pub(super) service_by_key: HashMap<String, ServiceId>,
    #[serde(skip)]
    pub(super) service_by_id: HashMap<u32, ServiceId>,
    #[serde(skip)]
    pub(super) topic_by_name: HashMap<String, TopicId>,
    /// References in the file that name no service (reported by `check`).
    #[serde(skip)]
    pub unresolved_refs: usize,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Platform {
    pub name: Option<String>,
    pub description: Option<String>,
    pub source: Option<String>,
    pub owner: Option<String>,
    pub last_updated: Option<String>,
    pub last_reviewed: Option<String>,
    pub review_frequency: Option<String>,
    pub references: Vec<(String, Option<String>)>,
    pub messaging: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Conventions {
    pub topic_naming: Vec<NamingPattern>,
    pub consumer_group: String,
    pub consumer_group_example: Option<String>,
    pub defaults: Defaults,
    pub envelope: Vec<EnvelopeField>,
    pub deprecation_period_days: Option<u32>,
    /// Cluster topics drift does not report as undeclared (globs or `re:`).
    pub drift_ignore: Vec<String>,
    pub policies: Vec<Policy>,
    /// Where the defaults are written (for findings about values they supply).
    #[serde(skip)]
    pub defaults_at: DefaultsAt,
}

/// Where `topic_defaults:` and each key under it are written.
#[derive(Debug, Clone, Default)]
pub struct DefaultsAt {
    pub block: Option<Loc>,
    pub keys: Vec<(String, Loc)>,
}

#[derive(Debug, Clone, Serialize)]
pub struct NamingPattern {
    pub pattern: String,
    pub description: Option<String>,
    pub examples: Vec<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "TopicDefaults")]
pub struct Defaults {
    pub partitions: Option<u32>,
    pub partitions_note: Option<String>,
    /// Replication factor per environment, e.g. `{production: 3, development: 1}`.
    #[serde(default)]
    pub replication: BTreeMap<String, u32>,
    pub retention_days: Option<u32>,
    /// Retention of topics marked `audit: true`.
    pub audit_retention_days: Option<u32>,
    pub compression: Option<String>,
    pub compression_note: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EnvelopeField {
    /// Dotted path inside the envelope, e.g. `metadata.correlation_id`.
    pub name: String,
    /// Value type as documented: `uuid`, `string`, `ISO 8601`, `semver`, `object`.
    #[serde(rename = "type")]
    pub kind: String,
    pub description: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    pub title: String,
    #[serde(default)]
    pub rules: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Domain {
    pub id: String,
    pub name: String,
    /// How the source document labels the section, e.g. `Services 1-3, 22`.
    pub label: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Service {
    pub id: Option<u32>,
    pub key: String,
    pub name: String,
    pub domain: Option<String>,
    pub kind: Kind,
    pub description: Option<String>,
    pub source: Option<String>,
    pub group: Option<String>,
    pub subscriptions: Vec<Subscription>,
    /// Owner team and how to reach its on-call.
    pub owner: Option<String>,
    pub oncall: Option<String>,
    /// Where its key is written (for findings).
    #[serde(skip)]
    pub loc: Loc,
    /// Set when this node is a Kafka Connect connector (its key is the connector's name).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub connector: Option<ConnectorFacts>,
}

index_by!(ServiceId, Service);

/// `source` or `sink`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ConnectorType {
    Source,
    Sink,
}

impl ConnectorType {
    pub fn word(self) -> &'static str {
        match self {
            ConnectorType::Source => "source",
            ConnectorType::Sink => "sink",
        }
    }
}

/// What the registry declares of a connector: a node of the graph like a service
/// (a source produces its topics, a sink consumes them with its group).
#[derive(Debug, Clone, Serialize)]
pub struct ConnectorFacts {
    #[serde(rename = "type")]
    pub kind: ConnectorType,
    pub class: Option<String>,
    /// The service that owns it.
    #[serde(skip)]
    pub owner: Option<ServiceId>,
    /// Its topic names and patterns, as written.
    pub topics: Vec<String>,
    /// A sink's consumer group: `connect-NAME` unless declared.
    pub group: Option<String>,
    /// The `--connect NAME` of its Connect cluster.
    pub connect: Option<String>,
}

/// What kind of thing produces or consumes.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[schemars(rename = "ServiceKind")]
pub enum Kind {
    /// A deployed microservice.
    #[default]
    Service,
    /// A code component inside a larger application (CDC handler, agent, tool).
    Component,
    /// A system outside the platform (SIEM, CRM).
    External,
}

#[derive(Debug, Clone, Serialize)]
pub struct Subscription {
    pub pattern: String,
    pub group: Option<String>,
    /// False when the subscriber keeps its offsets outside Kafka.
    pub commits: bool,
    pub note: Option<String>,
}

impl Service {
    /// How people name it: `Agent Orchestration (8)`.
    pub fn label(&self) -> String {
        match self.id {
            Some(id) => format!("{} ({id})", self.name),
            None => self.name.clone(),
        }
    }
    /// Stable reference for scripts: the numeric id when there is one, else the key.
    pub fn reference(&self) -> serde_json::Value {
        match self.id {
            Some(id) => id.into(),
            None => self.key.clone().into(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Active,
    Deprecated,
    Proposed,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Active => "active",
            Status::Deprecated => "deprecated",
            Status::Proposed => "proposed",
        }
    }
}

/// A service's link to a topic.
#[derive(Debug, Clone, Serialize)]
pub struct Endpoint {
    #[serde(skip)]
    pub service: ServiceId,
    /// Consumer group id: explicit, or from the naming convention (consumers of
    /// active and deprecated topics; filled in by `Registry::fill_groups`).
    pub group: Option<String>,
    pub group_explicit: bool,
    /// False when the consumer keeps its offsets outside Kafka (never MISSING).
    pub commits: bool,
    pub note: Option<String>,
    pub via: Option<String>,
    /// The subscription pattern this link comes from, when not listed by name.
    pub pattern: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Event {
    pub name: String,
    pub description: Option<String>,
    /// Where the name is written (for findings).
    #[serde(skip)]
    pub loc: Loc,
}

#[derive(Debug, Clone, Serialize)]
pub struct TopicConfig {
    pub partitions: Option<u32>,
    pub retention_days: Option<u32>,
    /// Per environment; a topic override applies to every environment.
    pub replication: BTreeMap<String, u32>,
    pub compression: Option<String>,
    /// Which of the above the topic sets itself (the rest come from the defaults).
    pub overridden: Vec<&'static str>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Example {
    pub name: String,
    pub json: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Deprecation {
    pub replaced_by: String,
    pub status: Option<String>,
    pub reason: Option<String>,
    pub migration: Option<String>,
    pub moves: Vec<EventMove>,
    pub deprecated_on: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct EventMove {
    pub events: Vec<String>,
    pub to: String,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Proposal {
    pub status: Option<String>,
    pub decision: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Topic {
    pub name: String,
    /// Where its name is written (drift findings point there).
    #[serde(skip)]
    pub loc: Loc,
    pub status: Status,
    pub domain: Option<String>,
    pub summary: Option<String>,
    pub purpose: Option<String>,
    /// For proposed topics these are the candidates.
    pub producers: Vec<Endpoint>,
    pub consumers: Vec<Endpoint>,
    pub events: Vec<Event>,
    pub tbd: BTreeMap<String, String>,
    pub schema_status: &'static str,
    pub schema_note: Option<String>,
    pub schema_reference: Option<String>,
    pub schema_format: Option<String>,
    /// The Schema Registry subject its records are declared under.
    pub schema_subject: Option<String>,
    /// The Schema Registry subject its keys are declared under, and their format.
    pub schema_key_subject: Option<String>,
    pub schema_key_format: Option<String>,
    pub notes: Vec<String>,
    pub use_cases: Vec<String>,
    pub source: Option<String>,
    pub key: Option<String>,
    pub fields: Vec<String>,
    pub audit: bool,
    pub config: TopicConfig,
    pub examples: Vec<Example>,
    /// How sampled messages are checked (None: the envelope alone).
    pub message: Option<MessageFormat>,
    /// Owner team and how to reach its on-call.
    pub owner: Option<String>,
    pub oncall: Option<String>,
    pub deprecation: Option<Deprecation>,
    pub proposal: Option<Proposal>,
}

index_by!(TopicId, Topic);

impl Topic {
    /// The Schema Registry subject its values are declared under: its own
    /// `schema.subject`, else TopicNameStrategy's `<topic>-value` where its format is
    /// `avro` or `protobuf` (binary formats need the registry; `json` alone is plain JSON).
    pub fn declared_subject(&self) -> Option<String> {
        if let Some(s) = self.schema_subject.as_deref().filter(|s| !s.trim().is_empty()) {
            return Some(s.to_string());
        }
        let binary = self
            .schema_format
            .as_deref()
            .is_some_and(|f| f.eq_ignore_ascii_case("avro") || f.eq_ignore_ascii_case("protobuf"));
        binary.then(|| format!("{}-value", self.name))
    }
    /// The Schema Registry subject its keys are declared under: its own
    /// `schema.key_subject`, else TopicNameStrategy's `<topic>-key` where it names a
    /// `key_format` the registry serves (a key format exists only for the registry).
    pub fn declared_key_subject(&self) -> Option<String> {
        if let Some(s) = self.schema_key_subject.as_deref().filter(|s| !s.trim().is_empty()) {
            return Some(s.to_string());
        }
        let known = self
            .schema_key_format
            .as_deref()
            .is_some_and(|f| crate::core::schema::Format::from_schema_type(Some(f)).is_some());
        known.then(|| format!("{}-key", self.name))
    }
    /// Where its messages name their event type (`event_type` unless its format says).
    pub fn event_type_field(&self) -> &str {
        self.message
            .as_ref()
            .and_then(|m| m.event_type_field.as_deref())
            .unwrap_or("event_type")
    }
    /// Where its messages name their producer (`source_service` unless its format says).
    pub fn producer_field(&self) -> &str {
        self.message
            .as_ref()
            .and_then(|m| m.producer_field.as_deref())
            .unwrap_or("source_service")
    }
    pub fn replaced_by(&self) -> Option<&str> {
        self.deprecation.as_ref().map(|d| d.replaced_by.as_str())
    }
}

/// A topic's message format, for the observed-events check.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MessageFormat {
    /// Fields every message must have (dotted paths, e.g. `_metadata.message_id`),
    /// besides the envelope's unless `envelope: false`.
    #[serde(default)]
    pub required: Vec<String>,
    /// Whether the platform's envelope applies to this topic too (default true).
    pub envelope: Option<bool>,
    /// Where the event type is written (default `event_type`), e.g. `operation`, `alert_type`.
    pub event_type_field: Option<String>,
    /// Where the producing service names itself (default `source_service`).
    pub producer_field: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Infrastructure {
    pub key: String,
    pub name: String,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub deployment: Option<String>,
    pub version: Option<String>,
    #[serde(default)]
    pub ports: Vec<String>,
    #[serde(default)]
    pub depends_on: Vec<String>,
    pub purpose: Option<String>,
    /// Configuration as documented (environment variables, properties).
    #[serde(default)]
    pub config: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DataFlow {
    pub name: String,
    pub steps: Vec<String>,
    pub topics: Vec<String>,
}

/// The consumer group convention used when a registry declares none.
pub const DEFAULT_GROUP_FORMAT: &str = "{service_name}_{topic_name}_consumer";

/// `consumer_group: unknown`: the source names no convention, so ktopo derives no
/// group ids (only explicit `group:` values are known).
pub const UNKNOWN_GROUPS: &str = "unknown";

impl Conventions {
    /// The consumer group id format, unless the registry says groups are unknown.
    pub fn group_format(&self) -> Option<&str> {
        (self.consumer_group != UNKNOWN_GROUPS).then_some(self.consumer_group.as_str())
    }
    /// Where a default comes from: its key under `topic_defaults`, else the block itself.
    pub fn default_at(&self, key: &str) -> Option<Loc> {
        let at = &self.defaults_at;
        at.keys.iter().find(|(k, _)| k == key).map(|(_, l)| *l).or(at.block)
    }
}

/// Fill in the group-id convention for one service and topic.
pub fn group_id(format: &str, service_key: &str, topic: &str) -> String {
    // One pass and one allocation: this runs for every consumer of every topic.
    let mut out = String::with_capacity(format.len() + service_key.len() + topic.len());
    let mut rest = format;
    while let Some(i) = rest.find('{') {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        if let Some(t) = tail.strip_prefix("{service_name}") {
            out.push_str(service_key);
            rest = t;
        } else if let Some(t) = tail.strip_prefix("{topic_name}") {
            out.push_str(topic);
            rest = t;
        } else {
            out.push('{');
            rest = &tail[1..];
        }
    }
    out.push_str(rest);
    out
}

/// A reference to a service: its numeric id or its key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ServiceRef {
    Id(u32),
    Key(String),
}

impl std::fmt::Display for ServiceRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ServiceRef::Id(i) => write!(f, "{i}"),
            ServiceRef::Key(k) => f.write_str(k),
        }
    }
}

impl Registry {
    /// A domain's display name (`Runtime Services` for `runtime`), or the id itself
    /// when the registry names no such domain.
    pub fn domain_name<'a>(&'a self, id: &'a str) -> &'a str {
        self.domains.iter().find(|d| d.id == id).map_or(id, |d| d.name.as_str())
    }

    /// Every service's id, in registry order.
    pub fn service_ids(&self) -> impl DoubleEndedIterator<Item = ServiceId> + ExactSizeIterator {
        (0..self.services.len()).map(ServiceId::new)
    }
    /// Every topic's id, in registry order.
    pub fn topic_ids(&self) -> impl DoubleEndedIterator<Item = TopicId> + ExactSizeIterator {
        (0..self.topics.len()).map(TopicId::new)
    }
    /// Every service with its id, in registry order.
    pub fn services_by_id(&self) -> impl DoubleEndedIterator<Item = (ServiceId, &Service)> + ExactSizeIterator + '_ {
        self.service_ids().zip(&self.services)
    }
    /// Every topic with its id, in registry order.
    pub fn topics_by_id(&self) -> impl DoubleEndedIterator<Item = (TopicId, &Topic)> + ExactSizeIterator + '_ {
        self.topic_ids().zip(&self.topics)
    }
    /// `value` for each service.
    pub fn per_service<T: Clone>(&self, value: T) -> PerService<T> {
        PerService::new(self.services.len(), value)
    }
    /// `value` for each topic.
    pub fn per_topic<T: Clone>(&self, value: T) -> PerTopic<T> {
        PerTopic::new(self.topics.len(), value)
    }
    pub fn service_index(&self, r: &ServiceRef) -> Option<ServiceId> {
        match r {
            ServiceRef::Id(id) => self.service_by_id.get(id).copied(),
            ServiceRef::Key(k) => self.service_by_key.get(k).copied().or_else(|| {
                k.parse::<u32>()
                    .ok()
                    .and_then(|id| self.service_by_id.get(&id).copied())
            }),
        }
    }
    /// The service with this key (exactly: no id fallback).
    pub fn service_by_key(&self, key: &str) -> Option<ServiceId> {
        self.service_by_key.get(key).copied()
    }
    pub fn topic_index(&self, name: &str) -> Option<TopicId> {
        self.topic_by_name.get(name).copied()
    }
    pub fn topic(&self, name: &str) -> Option<&Topic> {
        self.topic_index(name).map(|i| &self.topics[i])
    }
    pub fn count(&self, status: Status) -> usize {
        self.topics.iter().filter(|t| t.status == status).count()
    }
    /// Every event type with the topics that carry it, in name order.
    pub fn events(&self) -> BTreeMap<&str, Vec<TopicId>> {
        let mut m: BTreeMap<&str, Vec<TopicId>> = BTreeMap::new();
        for (i, t) in self.topics_by_id() {
            for e in &t.events {
                let v = m.entry(e.name.as_str()).or_default();
                if !v.contains(&i) {
                    v.push(i);
                }
            }
        }
        m
    }
    /// The consumers ktopo expects on the cluster through a group id, with their topic.
    pub fn declared_groups(&self) -> Vec<(&Endpoint, TopicId)> {
        self.topics_by_id()
            .flat_map(|(ti, t)| t.consumers.iter().map(move |c| (c, ti)))
            .filter(|(c, _)| c.group.is_some())
            .collect()
    }
    /// The registry's consumer of `topic` through `group`, if it declares one.
    pub fn consumer_by_group(&self, topic: &str, group: &str) -> Option<&Endpoint> {
        self.topic(topic)?
            .consumers
            .iter()
            .find(|c| c.group.as_deref() == Some(group))
    }
}

//! The `registry.yaml` file format: plain serde structs, one per YAML mapping.
//!
//! Every struct denies unknown keys so a typo is an error, never silently ignored.
//! Values that other parts of the file refer to (service refs, topic names, event
//! types) are wrapped in [`Sp`] so checks can point at the exact offending value.
//! The JSON Schema printed by `ktopo schema` is derived from these same structs.

use super::spanned::Sp;
use schemars::JsonSchema;
use serde::Deserialize;
use std::collections::BTreeMap;

/// The whole registry file.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RegistryFile {
    /// Optional `$schema` hint for editors; ignored by ktopo.
    #[serde(rename = "$schema", default)]
    pub schema_hint: Option<String>,
    /// What this registry describes.
    #[serde(default)]
    pub platform: Platform,
    /// Naming rules, defaults, the event envelope, policies.
    #[serde(default)]
    pub conventions: Conventions,
    /// Domains (sections) that group services and topics.
    #[serde(default)]
    pub domains: Vec<Domain>,
    /// Services and components that produce or consume.
    #[serde(default)]
    pub services: Vec<Service>,
    /// Active topics.
    #[serde(default)]
    pub topics: Vec<Topic>,
    /// Topics that must no longer be used, with their migration path.
    #[serde(default)]
    pub deprecated_topics: Vec<DeprecatedTopic>,
    /// Topics under consideration, not yet created.
    #[serde(default)]
    pub proposed_topics: Vec<ProposedTopic>,
    /// Infrastructure the platform runs on (brokers, connectors, databases...).
    #[serde(default)]
    pub infrastructure: Vec<Infrastructure>,
    /// Documented end-to-end data flows, step by step.
    #[serde(default)]
    pub data_flows: Vec<DataFlow>,
}

/// Facts about the document itself.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Platform {
    pub name: Option<String>,
    pub description: Option<String>,
    /// Where this registry comes from (document, codebase).
    pub source: Option<String>,
    pub owner: Option<String>,
    pub last_updated: Option<String>,
    pub last_reviewed: Option<String>,
    pub review_frequency: Option<String>,
    /// Number of active topics the source document announces (checked against `topics`).
    pub declared_active_topics: Option<usize>,
    /// Number of services the source document announces (checked against `services`).
    pub declared_services: Option<usize>,
    /// Other documents this registry cites.
    #[serde(default)]
    pub references: Vec<Reference>,
    /// Messaging facts: serialization, acks, throughput, latency, protocols.
    #[serde(default)]
    pub messaging: BTreeMap<String, String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Reference {
    pub name: String,
    pub description: Option<String>,
}

/// Conventions every topic and consumer group is expected to follow.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Conventions {
    /// Allowed topic name patterns, e.g. `{domain}_events`.
    #[serde(default)]
    pub topic_naming: Vec<NamingPattern>,
    /// Consumer group id format, e.g. `{service_name}_{topic_name}_consumer`.
    pub consumer_group: Option<Sp<String>>,
    /// An example of a conforming consumer group id.
    pub consumer_group_example: Option<String>,
    #[serde(default)]
    pub topic_defaults: TopicDefaults,
    /// Fields of the event envelope every message carries.
    #[serde(default)]
    pub envelope: Vec<EnvelopeField>,
    /// Days a deprecated topic is kept before removal.
    pub deprecation_period_days: Option<u32>,
    /// Topics on the cluster that `ktopo drift` must not report as undeclared: globs
    /// (`tmp_*`) or `re:REGEX`. Kafka's, Connect's and Streams' internal topics are
    /// always ignored.
    #[serde(default)]
    pub drift_ignore: Vec<String>,
    /// Written rules (idempotency, multi-tenancy, governance procedures).
    #[serde(default)]
    pub policies: Vec<Policy>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NamingPattern {
    /// Pattern with `{placeholders}`, e.g. `{domain}_events`.
    pub pattern: Sp<String>,
    pub description: Option<String>,
    #[serde(default)]
    pub examples: Vec<String>,
}

#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TopicDefaults {
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

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EnvelopeField {
    /// Dotted path inside the envelope, e.g. `metadata.correlation_id`.
    pub name: String,
    /// Value type as documented: `uuid`, `string`, `ISO 8601`, `semver`, `object`.
    #[serde(rename = "type")]
    pub kind: String,
    pub description: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    pub title: String,
    #[serde(default)]
    pub rules: Vec<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Domain {
    pub id: Sp<String>,
    pub name: String,
    /// How the source document labels the section, e.g. `Services 1-3, 22`.
    pub label: Option<String>,
}

/// What kind of thing produces or consumes.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ServiceKind {
    /// A deployed microservice.
    #[default]
    Service,
    /// A code component inside a larger application (CDC handler, agent, tool).
    Component,
    /// A system outside the platform (SIEM, CRM).
    External,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Service {
    /// Stable number (the registry document numbers services 0-22).
    pub id: Option<Sp<u32>>,
    /// Snake-case key used in consumer group ids, e.g. `agent_orchestration`.
    pub key: Sp<String>,
    pub name: String,
    pub domain: Option<Sp<String>>,
    #[serde(default)]
    pub kind: ServiceKind,
    pub description: Option<String>,
    /// Where it lives in the code, e.g. `src/streaming/kafka_manager.py`.
    pub source: Option<String>,
    /// A family it belongs to, e.g. `Domain Agents`.
    pub group: Option<String>,
    /// Topic patterns it subscribes to (`*` wildcard, or `re:` regex).
    #[serde(default)]
    pub subscriptions: Vec<Subscription>,
    /// The team that owns it (impact and `lag --fail-on` group by it: whom to call).
    pub owner: Option<String>,
    /// How to reach its on-call: a rota, a pager service, a channel.
    pub oncall: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Subscription {
    /// Glob over topic names (`db.changes.*`, `*` for all) or `re:REGEX`.
    pub pattern: Sp<String>,
    /// Explicit consumer group id, when it breaks the convention.
    pub group: Option<Sp<String>>,
    /// `false` for a consumer that keeps its offsets outside Kafka (a stream processor
    /// with its own checkpoints): it never commits, so drift never calls it MISSING.
    pub commits: Option<bool>,
    pub note: Option<String>,
}

/// A producer or consumer of a topic: a bare service id/key, or a mapping with details.
pub type Endpoint = Sp<EndpointSpec>;

/// The two spellings of an endpoint. Deserialized by hand (not `untagged`) so the
/// YAML positions of nested values survive.
#[derive(Debug)]
pub enum EndpointSpec {
    Bare(ServiceRef),
    /// Boxed: most endpoints are bare, and the list elements stay small.
    Detailed(Box<EndpointDetail>),
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EndpointDetail {
    pub service: Sp<ServiceRef>,
    /// Explicit consumer group id, when it breaks the convention.
    pub group: Option<Sp<String>>,
    /// `false` for a consumer that keeps its offsets outside Kafka (a stream processor
    /// with its own checkpoints): it never commits, so drift never calls it MISSING and
    /// lag shows no committed offsets for it.
    pub commits: Option<bool>,
    /// Role or condition, e.g. `client self-service`.
    pub note: Option<String>,
    /// Infrastructure it goes through, e.g. `kafka_connect`.
    pub via: Option<String>,
}

impl Sp<EndpointSpec> {
    /// The referenced service with the position of the reference itself.
    pub fn service(&self) -> Sp<&ServiceRef> {
        match &self.value {
            EndpointSpec::Bare(s) => Sp::new(s, self.loc),
            EndpointSpec::Detailed(d) => Sp::new(&d.service.value, d.service.loc),
        }
    }
    fn detail(&self) -> Option<&EndpointDetail> {
        match &self.value {
            EndpointSpec::Bare(_) => None,
            EndpointSpec::Detailed(d) => Some(d),
        }
    }
    pub fn group(&self) -> Option<&Sp<String>> {
        self.detail().and_then(|d| d.group.as_ref())
    }
    /// False when the consumer declares it keeps its offsets outside Kafka.
    pub fn commits(&self) -> bool {
        self.detail().and_then(|d| d.commits).unwrap_or(true)
    }
    pub fn note(&self) -> Option<&str> {
        self.detail().and_then(|d| d.note.as_deref())
    }
    pub fn via(&self) -> Option<&str> {
        self.detail().and_then(|d| d.via.as_deref())
    }
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

/// An event type's name.
pub type EventDecl = Sp<String>;

/// Schema status of a topic's payloads.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SchemaInfo {
    /// `tbd`, `draft` or `defined`.
    #[serde(default)]
    pub status: SchemaStatus,
    pub note: Option<String>,
    /// Where the schema lives when defined (file, registry subject).
    pub reference: Option<String>,
    /// Serialization format, e.g. `json`.
    pub format: Option<String>,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SchemaStatus {
    #[default]
    Tbd,
    Draft,
    Defined,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Topic {
    pub name: Sp<String>,
    pub domain: Option<Sp<String>>,
    /// One-line summary (e.g. from a consumption matrix).
    pub summary: Option<String>,
    pub purpose: Option<String>,
    #[serde(default)]
    pub producers: Vec<Endpoint>,
    #[serde(default)]
    pub consumers: Vec<Endpoint>,
    /// Key event types carried by this topic.
    #[serde(default)]
    pub events: Vec<EventDecl>,
    /// What an event means, by event name (events listed above).
    #[serde(default)]
    pub event_descriptions: BTreeMap<String, Sp<String>>,
    /// Fields still to be decided, with a note each, e.g. `{consumers: implementation phase}`.
    #[serde(default)]
    pub tbd: BTreeMap<String, String>,
    #[serde(default)]
    pub schema: SchemaInfo,
    #[serde(default)]
    pub notes: Vec<String>,
    #[serde(default)]
    pub use_cases: Vec<String>,
    /// Where the data comes from, e.g. `Users table (SQL)`.
    pub source: Option<String>,
    /// Message key field, e.g. `UserId`.
    pub key: Option<String>,
    /// Payload fields, when documented as a list.
    #[serde(default)]
    pub fields: Vec<String>,
    /// Audit topics get the audit retention default.
    #[serde(default)]
    pub audit: bool,
    pub partitions: Option<u32>,
    pub retention_days: Option<u32>,
    pub replication: Option<u32>,
    pub compression: Option<String>,
    #[serde(default)]
    pub examples: Vec<Example>,
    /// The team that owns the topic (its contract), when not its producers' team.
    pub owner: Option<String>,
    /// How to reach the owner's on-call.
    pub oncall: Option<String>,
    /// How this topic's messages are checked when they are sampled, where they do not
    /// follow the platform's envelope alone (CDC records, agent executions...).
    pub message: Option<MessageFormat>,
}

/// A topic's message format, for the observed-events check.
#[derive(Debug, Clone, Deserialize, serde::Serialize, JsonSchema)]
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

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Example {
    pub name: String,
    /// The example message as JSON text (validated by `ktopo check`).
    pub json: Sp<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DeprecatedTopic {
    pub name: Sp<String>,
    pub domain: Option<Sp<String>>,
    /// The topic that replaces it.
    pub replaced_by: Sp<String>,
    /// Status text, e.g. `Consolidated into sales_doc_events`.
    pub status: Option<String>,
    pub reason: Option<String>,
    /// Free-text migration instruction.
    pub migration: Option<String>,
    /// Which event types move to which topic.
    #[serde(default)]
    pub moves: Vec<EventMove>,
    pub deprecated_on: Option<String>,
    /// Services still producing (an error: they must migrate).
    #[serde(default)]
    pub producers: Vec<Endpoint>,
    /// Services still consuming (an error: they must migrate).
    #[serde(default)]
    pub consumers: Vec<Endpoint>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EventMove {
    #[serde(default)]
    pub events: Vec<Sp<String>>,
    /// Target topic; defaults to `replaced_by`.
    pub to: Option<Sp<String>>,
    pub note: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProposedTopic {
    pub name: Sp<String>,
    pub domain: Option<Sp<String>>,
    pub purpose: Option<String>,
    /// Services that might produce it (one of them, or several).
    #[serde(default)]
    pub candidate_producers: Vec<Endpoint>,
    #[serde(default)]
    pub candidate_consumers: Vec<Endpoint>,
    /// Event types under consideration.
    #[serde(default)]
    pub candidate_events: Vec<EventDecl>,
    #[serde(default)]
    pub tbd: BTreeMap<String, String>,
    pub status: Option<String>,
    /// The decision still to be taken; a proposed topic with one is reported.
    pub decision: Option<Sp<String>>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Infrastructure {
    pub key: Sp<String>,
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

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DataFlow {
    pub name: String,
    /// Steps in order, as the source document draws them.
    #[serde(default)]
    pub steps: Vec<String>,
    /// Topics the flow goes through.
    #[serde(default)]
    pub topics: Vec<Sp<String>>,
}

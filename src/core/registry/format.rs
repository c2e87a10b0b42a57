//! The `registry.yaml` file format: plain serde structs, one per YAML mapping.
//!
//! Every struct denies unknown keys so a typo is an error, never silently ignored.
//! Values that other parts of the file refer to (service refs, topic names, event
//! types) are wrapped in [`Sp`] so checks can point at the exact offending value.
//! The JSON Schema printed by `ktopo schema` is derived from these same structs.
//!
//! Plain values the model keeps as written (a service's kind, the topic defaults, the
//! envelope, domains, infrastructure, a topic's message format) are read straight into
//! the model's types; the structs here hold what the model reshapes or resolves.

use super::endpoint::Endpoint;
use super::model::{ConnectorType, Defaults, Domain, EnvelopeField, Infrastructure, Kind, MessageFormat, Policy};
use super::spanned::{Keyed, Sp};
use schemars::{JsonSchema, Schema};
use serde::Deserialize;
use std::collections::BTreeMap;

/// The schema has never shown a default for the values read into the model's types;
/// those types serialize, which schemars would otherwise show.
fn no_default(s: &mut Schema) {
    s.remove("default");
}

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
    pub conventions: Keyed<Conventions>,
    /// Domains (sections) that group services and topics.
    #[serde(default)]
    #[schemars(transform = no_default)]
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
    #[schemars(transform = no_default)]
    pub infrastructure: Vec<Infrastructure>,
    /// Documented end-to-end data flows, step by step.
    #[serde(default)]
    pub data_flows: Vec<DataFlow>,
    /// Kafka Connect connectors: each a producer (source) or consumer (sink) of its
    /// topics, owned by a service.
    #[serde(default)]
    pub connectors: Vec<Connector>,
}

/// A Kafka Connect connector, as its Connect cluster names it.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Connector {
    /// The connector's name on its Connect cluster (`GET /connectors`).
    pub name: Sp<String>,
    /// `source` (writes its topics) or `sink` (reads them).
    #[serde(rename = "type")]
    pub kind: ConnectorType,
    /// `connector.class`, e.g. `io.debezium.connector.postgresql.PostgresConnector`.
    pub class: Option<String>,
    /// Key of the service that owns it.
    pub service: Sp<String>,
    /// Topics it writes or reads: names, globs (`db.changes.*`, `*`) or `re:REGEX`.
    #[serde(default)]
    pub topics: Vec<Sp<String>>,
    /// A sink's consumer group when `consumer.override.group.id` sets one [default:
    /// `connect-NAME`].
    pub group: Option<Sp<String>>,
    /// The Connect cluster it runs on: a `--connect NAME`.
    pub connect: Option<String>,
    pub description: Option<String>,
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
    pub topic_defaults: Keyed<Defaults>,
    /// Fields of the event envelope every message carries.
    #[serde(default)]
    #[schemars(transform = no_default)]
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
    #[schemars(transform = no_default)]
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
    #[schemars(transform = no_default)]
    pub kind: Kind,
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
    /// Serialization format, e.g. `json`; with a Schema Registry: `avro`, `protobuf`
    /// or `json` (its records in the Confluent wire format).
    pub format: Option<String>,
    /// The Schema Registry subject the topic's records are registered under
    /// (TopicNameStrategy: `<topic>-value`). Needs `format` avro, protobuf or json.
    pub subject: Option<Sp<String>>,
    /// The Schema Registry subject the topic's keys are registered under.
    pub key_subject: Option<Sp<String>>,
    /// The keys' format with a Schema Registry: `avro`, `protobuf` or `json`; alone,
    /// it means TopicNameStrategy's `<topic>-key`.
    pub key_format: Option<Sp<String>>,
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
pub struct DataFlow {
    pub name: String,
    /// Steps in order, as the source document draws them.
    #[serde(default)]
    pub steps: Vec<String>,
    /// Topics the flow goes through.
    #[serde(default)]
    pub topics: Vec<Sp<String>>,
}

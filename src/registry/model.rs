//! The normalised registry every part of ktopo works from: services and topics by index,
//! references resolved, defaults applied, pattern subscriptions expanded.
//! Serialized as-is by `ktopo export --format json` (see docs/export-json.md).

use super::format::{self, RegistryFile, SchemaStatus, ServiceKind, ServiceRef};
use super::pattern::Pattern;
use foldhash::{HashMap, HashMapExt};
use serde::Serialize;
use std::collections::BTreeMap;
use std::mem::take;

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
    service_by_key: HashMap<String, usize>,
    #[serde(skip)]
    service_by_id: HashMap<u32, usize>,
    #[serde(skip)]
    topic_by_name: HashMap<String, usize>,
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
    pub policies: Vec<Policy>,
}

#[derive(Debug, Clone, Serialize)]
pub struct NamingPattern {
    pub pattern: String,
    pub description: Option<String>,
    pub examples: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Defaults {
    pub partitions: Option<u32>,
    pub partitions_note: Option<String>,
    pub replication: BTreeMap<String, u32>,
    pub retention_days: Option<u32>,
    pub audit_retention_days: Option<u32>,
    pub compression: Option<String>,
    pub compression_note: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct EnvelopeField {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub description: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Policy {
    pub title: String,
    pub rules: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Domain {
    pub id: String,
    pub name: String,
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
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Service,
    Component,
    External,
}

#[derive(Debug, Clone, Serialize)]
pub struct Subscription {
    pub pattern: String,
    pub group: Option<String>,
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
    /// Index into `Registry::services`.
    #[serde(skip)]
    pub service: usize,
    /// Consumer group id: explicit, or from the naming convention (consumers of
    /// active and deprecated topics; filled in by `Registry::fill_groups`).
    pub group: Option<String>,
    pub group_explicit: bool,
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
    pub loc: super::spanned::Loc,
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
    pub notes: Vec<String>,
    pub use_cases: Vec<String>,
    pub source: Option<String>,
    pub key: Option<String>,
    pub fields: Vec<String>,
    pub audit: bool,
    pub config: TopicConfig,
    pub examples: Vec<Example>,
    pub deprecation: Option<Deprecation>,
    pub proposal: Option<Proposal>,
}

impl Topic {
    pub fn replaced_by(&self) -> Option<&str> {
        self.deprecation.as_ref().map(|d| d.replaced_by.as_str())
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Infrastructure {
    pub key: String,
    pub name: String,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub deployment: Option<String>,
    pub version: Option<String>,
    pub ports: Vec<String>,
    pub depends_on: Vec<String>,
    pub purpose: Option<String>,
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

impl Registry {
    pub fn service_index(&self, r: &ServiceRef) -> Option<usize> {
        match r {
            ServiceRef::Id(id) => self.service_by_id.get(id).copied(),
            ServiceRef::Key(k) => self.service_by_key.get(k).copied().or_else(|| {
                k.parse::<u32>()
                    .ok()
                    .and_then(|id| self.service_by_id.get(&id).copied())
            }),
        }
    }
    pub fn service_by_key(&self, key: &str) -> Option<&Service> {
        self.service_by_key.get(key).map(|&i| &self.services[i])
    }
    pub fn topic_index(&self, name: &str) -> Option<usize> {
        self.topic_by_name.get(name).copied()
    }
    pub fn topic(&self, name: &str) -> Option<&Topic> {
        self.topic_index(name).map(|i| &self.topics[i])
    }
    pub fn count(&self, status: Status) -> usize {
        self.topics.iter().filter(|t| t.status == status).count()
    }
    /// Every event type with the indices of the topics that carry it, in name order.
    pub fn events(&self) -> BTreeMap<&str, Vec<usize>> {
        let mut m: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (i, t) in self.topics.iter().enumerate() {
            for e in &t.events {
                let v = m.entry(e.name.as_str()).or_default();
                if !v.contains(&i) {
                    v.push(i);
                }
            }
        }
        m
    }
    /// Consumer group ids ktopo expects on the cluster, with their service and topic.
    pub fn declared_groups(&self) -> Vec<(String, usize, usize)> {
        let mut out = Vec::new();
        for (ti, t) in self.topics.iter().enumerate() {
            for c in &t.consumers {
                if let Some(g) = &c.group {
                    out.push((g.clone(), c.service, ti));
                }
            }
        }
        out
    }
}

/// Build the model from a parsed file. References that do not resolve are left out
/// here; `check` reports each of them with its position. Text that `check` does not
/// read (events, purposes, notes...) is moved out of `file` rather than copied.
pub fn build(file: &mut RegistryFile) -> Registry {
    let c = &file.conventions;
    let group_format = c
        .consumer_group
        .as_ref()
        .map_or(DEFAULT_GROUP_FORMAT.to_string(), |g| g.value.clone());
    let d = &c.topic_defaults;
    let conventions = Conventions {
        topic_naming: c
            .topic_naming
            .iter()
            .map(|n| NamingPattern {
                pattern: n.pattern.value.clone(),
                description: n.description.clone(),
                examples: n.examples.clone(),
            })
            .collect(),
        consumer_group: group_format.clone(),
        consumer_group_example: c.consumer_group_example.clone(),
        defaults: Defaults {
            partitions: d.partitions,
            partitions_note: d.partitions_note.clone(),
            replication: d.replication.clone(),
            retention_days: d.retention_days,
            audit_retention_days: d.audit_retention_days,
            compression: d.compression.clone(),
            compression_note: d.compression_note.clone(),
        },
        envelope: c
            .envelope
            .iter()
            .map(|f| EnvelopeField {
                name: f.name.clone(),
                kind: f.kind.clone(),
                description: f.description.clone(),
            })
            .collect(),
        deprecation_period_days: c.deprecation_period_days,
        policies: c
            .policies
            .iter()
            .map(|p| Policy {
                title: p.title.clone(),
                rules: p.rules.clone(),
            })
            .collect(),
    };

    let mut reg = Registry {
        platform: platform(&file.platform),
        conventions,
        domains: file
            .domains
            .iter()
            .map(|d| Domain {
                id: d.id.value.clone(),
                name: d.name.clone(),
                label: d.label.clone(),
            })
            .collect(),
        services: Vec::new(),
        topics: Vec::new(),
        infrastructure: file.infrastructure.iter().map(infrastructure).collect(),
        data_flows: file
            .data_flows
            .iter()
            .map(|f| DataFlow {
                name: f.name.clone(),
                steps: f.steps.clone(),
                topics: f.topics.iter().map(|t| t.value.clone()).collect(),
            })
            .collect(),
        service_by_key: HashMap::new(),
        service_by_id: HashMap::new(),
        topic_by_name: HashMap::new(),
        unresolved_refs: 0,
    };

    for s in &file.services {
        let i = reg.services.len();
        // First definition wins; duplicates are reported by `check`.
        if reg.service_by_key.contains_key(&s.key.value) {
            continue;
        }
        reg.service_by_key.insert(s.key.value.clone(), i);
        if let Some(id) = &s.id {
            reg.service_by_id.entry(id.value).or_insert(i);
        }
        reg.services.push(Service {
            id: s.id.as_ref().map(|i| i.value),
            key: s.key.value.clone(),
            name: s.name.clone(),
            domain: s.domain.as_ref().map(|d| d.value.clone()),
            kind: match s.kind {
                ServiceKind::Service => Kind::Service,
                ServiceKind::Component => Kind::Component,
                ServiceKind::External => Kind::External,
            },
            description: s.description.clone(),
            source: s.source.clone(),
            group: s.group.clone(),
            subscriptions: s
                .subscriptions
                .iter()
                .map(|p| Subscription {
                    pattern: p.pattern.value.clone(),
                    group: p.group.as_ref().map(|g| g.value.clone()),
                    note: p.note.clone(),
                })
                .collect(),
        });
    }

    for t in &mut file.topics {
        let topic = Topic {
            producers: endpoints(&mut reg, &t.producers, None, &t.name),
            consumers: endpoints(&mut reg, &t.consumers, Some(&group_format), &t.name),
            events: events(&mut t.events),
            tbd: take(&mut t.tbd),
            schema_status: match t.schema.status {
                SchemaStatus::Tbd => "tbd",
                SchemaStatus::Draft => "draft",
                SchemaStatus::Defined => "defined",
            },
            schema_note: t.schema.note.take(),
            schema_reference: t.schema.reference.take(),
            schema_format: t.schema.format.take(),
            notes: take(&mut t.notes),
            use_cases: take(&mut t.use_cases),
            source: t.source.take(),
            key: t.key.take(),
            fields: take(&mut t.fields),
            audit: t.audit,
            config: config(&reg.conventions.defaults, t),
            examples: t
                .examples
                .iter()
                .map(|e| Example {
                    name: e.name.clone(),
                    json: e.json.value.clone(),
                })
                .collect(),
            summary: t.summary.take(),
            purpose: t.purpose.take(),
            ..bare_topic(&t.name, Status::Active, t.domain.as_ref().map(|d| &d.value), &reg)
        };
        push_topic(&mut reg, topic);
    }
    for t in &file.deprecated_topics {
        let mut topic = bare_topic(&t.name, Status::Deprecated, t.domain.as_ref().map(|d| &d.value), &reg);
        topic.producers = endpoints(&mut reg, &t.producers, None, &t.name);
        topic.consumers = endpoints(&mut reg, &t.consumers, Some(&group_format), &t.name);
        topic.deprecation = Some(Deprecation {
            replaced_by: t.replaced_by.value.clone(),
            status: t.status.clone(),
            reason: t.reason.clone(),
            migration: t.migration.clone(),
            moves: t
                .moves
                .iter()
                .map(|m| EventMove {
                    events: m.events.iter().map(|e| e.value.clone()).collect(),
                    to: m.to.as_ref().map_or(t.replaced_by.value.clone(), |x| x.value.clone()),
                    note: m.note.clone(),
                })
                .collect(),
            deprecated_on: t.deprecated_on.clone(),
        });
        push_topic(&mut reg, topic);
    }
    for t in &mut file.proposed_topics {
        let mut topic = bare_topic(&t.name, Status::Proposed, t.domain.as_ref().map(|d| &d.value), &reg);
        topic.producers = endpoints(&mut reg, &t.candidate_producers, None, &t.name);
        topic.consumers = endpoints(&mut reg, &t.candidate_consumers, None, &t.name);
        topic.events = events(&mut t.candidate_events);
        topic.tbd = t.tbd.clone();
        topic.purpose = t.purpose.clone();
        topic.proposal = Some(Proposal {
            status: t.status.clone(),
            decision: t.decision.as_ref().map(|d| d.value.clone()),
        });
        push_topic(&mut reg, topic);
    }
    expand_subscriptions(&mut reg);
    reg
}

fn push_topic(reg: &mut Registry, topic: Topic) {
    if reg.topic_by_name.contains_key(&topic.name) {
        return;
    }
    reg.topic_by_name.insert(topic.name.clone(), reg.topics.len());
    reg.topics.push(topic);
}

/// Pattern subscriptions become consumer links to every matching active topic
/// not already listed by name.
fn expand_subscriptions(reg: &mut Registry) {
    let format = reg.conventions.consumer_group.clone();
    for si in 0..reg.services.len() {
        for sub in reg.services[si].subscriptions.clone() {
            let Ok(p) = Pattern::parse(&sub.pattern) else { continue };
            let key = reg.services[si].key.clone();
            for t in reg.topics.iter_mut().filter(|t| t.status == Status::Active) {
                if p.matches(&t.name) && !t.consumers.iter().any(|c| c.service == si) {
                    t.consumers.push(Endpoint {
                        service: si,
                        group: Some(sub.group.clone().unwrap_or_else(|| group_id(&format, &key, &t.name))),
                        group_explicit: sub.group.is_some(),
                        note: sub.note.clone(),
                        via: None,
                        pattern: Some(sub.pattern.clone()),
                    });
                }
            }
        }
    }
}

fn bare_topic(name: &str, status: Status, domain: Option<&String>, reg: &Registry) -> Topic {
    let d = &reg.conventions.defaults;
    Topic {
        name: name.to_string(),
        status,
        domain: domain.cloned(),
        summary: None,
        purpose: None,
        producers: Vec::new(),
        consumers: Vec::new(),
        events: Vec::new(),
        tbd: BTreeMap::new(),
        schema_status: "tbd",
        schema_note: None,
        schema_reference: None,
        schema_format: None,
        notes: Vec::new(),
        use_cases: Vec::new(),
        source: None,
        key: None,
        fields: Vec::new(),
        audit: false,
        config: TopicConfig {
            partitions: d.partitions,
            retention_days: d.retention_days,
            replication: d.replication.clone(),
            compression: d.compression.clone(),
            overridden: Vec::new(),
        },
        examples: Vec::new(),
        deprecation: None,
        proposal: None,
    }
}

fn config(d: &Defaults, t: &format::Topic) -> TopicConfig {
    let mut overridden = Vec::new();
    let mut note = |set: bool, name| {
        if set {
            overridden.push(name)
        }
    };
    note(t.partitions.is_some(), "partitions");
    note(t.retention_days.is_some(), "retention_days");
    note(t.replication.is_some(), "replication");
    note(t.compression.is_some(), "compression");
    let retention = if t.audit {
        d.audit_retention_days.or(d.retention_days)
    } else {
        d.retention_days
    };
    TopicConfig {
        partitions: t.partitions.or(d.partitions),
        retention_days: t.retention_days.or(retention),
        replication: match t.replication {
            Some(r) => d
                .replication
                .keys()
                .map(|k| (k.clone(), r))
                .chain(d.replication.is_empty().then(|| ("all".to_string(), r)))
                .collect(),
            None => d.replication.clone(),
        },
        compression: t.compression.clone().or_else(|| d.compression.clone()),
        overridden,
    }
}

fn endpoints(reg: &mut Registry, list: &[format::Endpoint], group_format: Option<&str>, topic: &str) -> Vec<Endpoint> {
    let mut out: Vec<Endpoint> = Vec::with_capacity(list.len());
    for e in list {
        let Some(si) = reg.service_index(e.service().value) else {
            reg.unresolved_refs += 1;
            continue;
        };
        if out.iter().any(|o| o.service == si) {
            continue;
        }
        let key = &reg.services[si].key;
        let explicit = e.group().map(|g| g.value.clone());
        out.push(Endpoint {
            service: si,
            group: explicit
                .clone()
                .or_else(|| group_format.map(|f| group_id(f, key, topic))),
            group_explicit: explicit.is_some(),
            note: e.note().map(str::to_string),
            via: e.via().map(str::to_string),
            pattern: None,
        });
    }
    out
}

fn events(list: &mut [format::EventDecl]) -> Vec<Event> {
    list.iter_mut()
        .map(|e| {
            let loc = e.name().loc;
            match &mut e.value {
                format::EventSpec::Bare(n) => Event {
                    name: take(n),
                    description: None,
                    loc,
                },
                format::EventSpec::Detailed(d) => Event {
                    name: take(&mut d.name.value),
                    description: d.description.take(),
                    loc,
                },
            }
        })
        .collect()
}

fn platform(p: &format::Platform) -> Platform {
    Platform {
        name: p.name.clone(),
        description: p.description.clone(),
        source: p.source.clone(),
        owner: p.owner.clone(),
        last_updated: p.last_updated.clone(),
        last_reviewed: p.last_reviewed.clone(),
        review_frequency: p.review_frequency.clone(),
        references: p
            .references
            .iter()
            .map(|r| (r.name.clone(), r.description.clone()))
            .collect(),
        messaging: p.messaging.clone(),
    }
}

fn infrastructure(i: &format::Infrastructure) -> Infrastructure {
    Infrastructure {
        key: i.key.value.clone(),
        name: i.name.clone(),
        kind: i.kind.clone(),
        deployment: i.deployment.clone(),
        version: i.version.clone(),
        ports: i.ports.clone(),
        depends_on: i.depends_on.clone(),
        purpose: i.purpose.clone(),
        config: i.config.clone(),
    }
}

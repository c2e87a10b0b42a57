//! Building the normalised model from a parsed registry file.

use super::endpoint;
use super::format::{self, RegistryFile, SchemaStatus};
use super::ids::{ServiceId, TopicId};
use super::model::*;
use super::pattern::Pattern;
use super::spanned::Sp;
use foldhash::{HashMap, HashMapExt};
use std::collections::BTreeMap;

/// Build the model from a parsed file. References that do not resolve are left out
/// here; `check` reports each of them with its position. Pure: `check` reads the same
/// file afterwards.
pub fn build(file: &RegistryFile) -> Registry {
    let c = &file.conventions;
    let group_format = c
        .consumer_group
        .as_ref()
        .map_or(DEFAULT_GROUP_FORMAT.to_string(), |g| g.value.clone());
    let known = group_format != super::model::UNKNOWN_GROUPS;
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
        defaults: c.topic_defaults.value.clone(),
        envelope: c.envelope.clone(),
        deprecation_period_days: c.deprecation_period_days,
        drift_ignore: c.drift_ignore.clone(),
        policies: c.policies.clone(),
        defaults_at: DefaultsAt {
            block: file.conventions.key("topic_defaults"),
            keys: c.topic_defaults.keys.clone(),
        },
    };

    let mut reg = Registry {
        platform: platform(&file.platform),
        conventions,
        domains: file.domains.clone(),
        services: Vec::new(),
        topics: Vec::new(),
        infrastructure: file.infrastructure.clone(),
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
        let i = ServiceId::new(reg.services.len());
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
            kind: s.kind,
            description: s.description.clone(),
            source: s.source.clone(),
            group: s.group.clone(),
            owner: s.owner.clone(),
            oncall: s.oncall.clone(),
            loc: s.key.loc,
            connector: None,
            subscriptions: s
                .subscriptions
                .iter()
                .map(|p| Subscription {
                    pattern: p.pattern.value.clone(),
                    group: p.group.as_ref().map(|g| g.value.clone()),
                    commits: p.commits.unwrap_or(true),
                    note: p.note.clone(),
                })
                .collect(),
        });
    }

    connector_nodes(&mut reg, &file.connectors);

    for t in &file.topics {
        let topic = Topic {
            producers: endpoints(&mut reg, &t.producers, None, &t.name),
            consumers: endpoints(&mut reg, &t.consumers, known.then_some(&group_format), &t.name),
            events: events(&t.events, &t.event_descriptions),
            tbd: t.tbd.clone(),
            schema_status: match t.schema.status {
                SchemaStatus::Tbd => "tbd",
                SchemaStatus::Draft => "draft",
                SchemaStatus::Defined => "defined",
            },
            schema_note: t.schema.note.clone(),
            schema_reference: t.schema.reference.clone(),
            schema_format: t.schema.format.clone(),
            schema_subject: t.schema.subject.as_ref().map(|s| s.value.clone()),
            schema_key_subject: t.schema.key_subject.as_ref().map(|s| s.value.clone()),
            schema_key_format: t.schema.key_format.as_ref().map(|s| s.value.clone()),
            notes: t.notes.clone(),
            use_cases: t.use_cases.clone(),
            source: t.source.clone(),
            key: t.key.clone(),
            fields: t.fields.clone(),
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
            summary: t.summary.clone(),
            purpose: t.purpose.clone(),
            message: t.message.clone(),
            owner: t.owner.clone(),
            oncall: t.oncall.clone(),
            ..bare_topic(&t.name, Status::Active, t.domain.as_ref().map(|d| &d.value), &reg)
        };
        push_topic(&mut reg, topic);
    }
    for t in &file.deprecated_topics {
        let mut topic = bare_topic(&t.name, Status::Deprecated, t.domain.as_ref().map(|d| &d.value), &reg);
        topic.producers = endpoints(&mut reg, &t.producers, None, &t.name);
        topic.consumers = endpoints(&mut reg, &t.consumers, known.then_some(&group_format), &t.name);
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
    for t in &file.proposed_topics {
        let mut topic = bare_topic(&t.name, Status::Proposed, t.domain.as_ref().map(|d| &d.value), &reg);
        topic.producers = endpoints(&mut reg, &t.candidate_producers, None, &t.name);
        topic.consumers = endpoints(&mut reg, &t.candidate_consumers, None, &t.name);
        topic.events = events(&t.candidate_events, &BTreeMap::new());
        topic.tbd = t.tbd.clone();
        topic.purpose = t.purpose.clone();
        topic.proposal = Some(Proposal {
            status: t.status.clone(),
            decision: t.decision.as_ref().map(|d| d.value.clone()),
        });
        push_topic(&mut reg, topic);
    }
    expand_subscriptions(&mut reg);
    connector_producers(&mut reg);
    reg
}

/// Each connector becomes a node like a service, keyed by its name, with its owner's
/// domain, team and on-call; a sink subscribes its topics with its group (explicit:
/// `connect-NAME` or the declared one), so everything that follows consumers follows
/// it. A name already taken is left to `check`.
fn connector_nodes(reg: &mut Registry, list: &[format::Connector]) {
    for c in list {
        if reg.service_by_key.contains_key(&c.name.value) {
            continue;
        }
        let owner = reg.service_by_key.get(&c.service.value).copied();
        let o = owner.map(|o| reg.services[o].clone());
        let group = (c.kind == ConnectorType::Sink).then(|| {
            c.group
                .as_ref()
                .map_or_else(|| format!("connect-{}", c.name.value), |g| g.value.clone())
        });
        let i = ServiceId::new(reg.services.len());
        reg.service_by_key.insert(c.name.value.clone(), i);
        reg.services.push(Service {
            id: None,
            key: c.name.value.clone(),
            name: c.name.value.clone(),
            domain: o.as_ref().and_then(|o| o.domain.clone()),
            kind: Kind::Component,
            description: c.description.clone(),
            source: None,
            group: Some("Kafka Connect".to_string()),
            subscriptions: match &group {
                Some(g) => c
                    .topics
                    .iter()
                    .map(|t| Subscription {
                        pattern: t.value.clone(),
                        group: Some(g.clone()),
                        commits: true,
                        note: None,
                    })
                    .collect(),
                None => Vec::new(),
            },
            owner: o.as_ref().and_then(|o| o.owner.clone()),
            oncall: o.as_ref().and_then(|o| o.oncall.clone()),
            loc: c.name.loc,
            connector: Some(ConnectorFacts {
                kind: c.kind,
                class: c.class.clone(),
                owner,
                topics: c.topics.iter().map(|t| t.value.clone()).collect(),
                group,
                connect: c.connect.clone(),
            }),
        });
    }
}

/// A source connector produces every active topic its names and patterns match.
fn connector_producers(reg: &mut Registry) {
    for si in reg.service_ids() {
        let Some(facts) = reg.services[si].connector.clone() else {
            continue;
        };
        if facts.kind != ConnectorType::Source {
            continue;
        }
        for written in &facts.topics {
            let Ok(p) = Pattern::parse(written) else { continue };
            for t in reg
                .topics
                .iter_mut()
                .filter(|t| t.status == Status::Active && p.matches(&t.name))
            {
                if t.producers.iter().any(|e| e.service == si) {
                    continue;
                }
                t.producers.push(Endpoint {
                    service: si,
                    group: None,
                    group_explicit: false,
                    commits: true,
                    note: None,
                    via: None,
                    // A producer link stands as written: exports list it by name.
                    pattern: None,
                });
            }
        }
    }
}

fn push_topic(reg: &mut Registry, topic: Topic) {
    if reg.topic_by_name.contains_key(&topic.name) {
        return;
    }
    reg.topic_by_name
        .insert(topic.name.clone(), TopicId::new(reg.topics.len()));
    reg.topics.push(topic);
}

/// Pattern subscriptions become consumer links to every matching active topic
/// not already listed by name.
fn expand_subscriptions(reg: &mut Registry) {
    let format = reg.conventions.group_format().map(str::to_string);
    // Who already consumes each topic, kept up to date: scanning the growing consumer
    // lists made 3,000 services subscribing `*` quadratic (minutes for a 345 KB file).
    let mut consuming: Vec<foldhash::HashSet<ServiceId>> = reg
        .topics
        .iter()
        .map(|t| t.consumers.iter().map(|c| c.service).collect())
        .collect();
    // Which topics each distinct pattern matches, computed once per pattern.
    let mut matches: foldhash::HashMap<String, Option<Vec<TopicId>>> = foldhash::HashMap::default();
    for si in reg.service_ids() {
        for sub in reg.services[si].subscriptions.clone() {
            let hits = matches.entry(sub.pattern.clone()).or_insert_with(|| {
                let p = Pattern::parse(&sub.pattern).ok()?;
                Some(
                    reg.topics_by_id()
                        .filter(|(_, t)| t.status == Status::Active && p.matches(&t.name))
                        .map(|(i, _)| i)
                        .collect(),
                )
            });
            let Some(hits) = hits.clone() else { continue };
            let key = reg.services[si].key.clone();
            for ti in hits {
                let t = &mut reg.topics[ti];
                if consuming[ti.index()].insert(si) {
                    t.consumers.push(Endpoint {
                        service: si,
                        group: sub
                            .group
                            .clone()
                            .or_else(|| format.as_deref().map(|f| group_id(f, &key, &t.name))),
                        group_explicit: sub.group.is_some(),
                        commits: sub.commits,
                        note: sub.note.clone(),
                        via: None,
                        pattern: Some(sub.pattern.clone()),
                    });
                }
            }
        }
    }
}

fn bare_topic(name: &Sp<String>, status: Status, domain: Option<&String>, reg: &Registry) -> Topic {
    let d = &reg.conventions.defaults;
    Topic {
        name: name.value.clone(),
        loc: name.loc,
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
        schema_subject: None,
        schema_key_subject: None,
        schema_key_format: None,
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
        message: None,
        owner: None,
        oncall: None,
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

fn endpoints(
    reg: &mut Registry,
    list: &[endpoint::Endpoint],
    group_format: Option<&str>,
    topic: &str,
) -> Vec<Endpoint> {
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
            commits: e.commits(),
            note: e.note().map(str::to_string),
            via: e.via().map(str::to_string),
            pattern: None,
        });
    }
    out
}

fn events(list: &[format::EventDecl], descriptions: &BTreeMap<String, Sp<String>>) -> Vec<Event> {
    list.iter()
        .map(|e| Event {
            description: descriptions.get(&e.value).map(|d| d.value.clone()),
            name: e.value.clone(),
            loc: e.loc,
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

//! One sampling round against a cluster, strictly read-only, on ONE client handle
//! whatever the number of groups (see `admin`; the tails `periodic` reads every minute
//! use a second handle that lives for that read only):
//! 1. Metadata: topics, partitions, leaders, replication;
//! 2. ListConsumerGroups (where the broker serves it; retried next round after a
//!    transient failure, switched off only when the broker says it is unsupported);
//! 3. DescribeConsumerGroups, 100 groups per request: state, members, assignments
//!    (only of groups whose listed state changed, or every `MEMBERS_EVERY`);
//! 4. ListConsumerGroupOffsets, one request per group, all in flight at once;
//! 5. ListOffsets LATEST, and EARLIEST every `STARTS_EVERY`, one request per leader
//!    broker each.
//!
//! Committed offsets are read before log ends, and each phase is stamped when it is
//! read, so a healthy consumer never appears ahead of a log end read earlier. Group
//! discovery (2, 3) is in `discovery`, what changes slowly (members, log starts) in
//! `slow`, what is read only every few rounds (tails, configurations, last writes) in
//! `periodic`, the rows made of it all in `rows`.

mod discovery;
mod periodic;
mod rows;
mod slow;
mod watch;

pub use self::discovery::Discovery;
pub use self::slow::{MEMBERS_EVERY, STARTS_EVERY};
pub use self::watch::{Watch, Watched};

use self::periodic::Periodic;
use self::rows::{apply_log_offsets, group_rows};
use super::admin::{Admin, AdminError, ClientError, Listed, OffsetsRequest, Spec};
use super::config::{scrub, Properties};
use crate::core::sample::{RawPartition, RawSample, RawTopic};
use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant};

pub struct Sampler {
    props: Properties,
    admin: Admin,
    watched: Vec<Watched>,
    periodic: Periodic,
    descriptions: slow::Descriptions,
    starts: slow::LogStarts,
    pub discovery: Discovery,
    pub timeout: Duration,
    /// Groups per DescribeConsumerGroups request.
    pub describe_chunk: usize,
    /// Set when the cluster is known not to serve DescribeConfigs (the mock cluster
    /// never answers it): configurations are then reported missing for this reason.
    pub configs_unserved: Option<String>,
    start: Instant,
    /// Decodes wire-format records in the tails, on this (the sampler's) thread.
    decoder: Option<crate::cluster::schema_registry::decoder::Decoder>,
    /// The declared subjects: the tails' framing and the registry's answers.
    schemas: crate::cluster::schema_registry::subjects::SchemaWatch,
    /// Reads the Kafka Connect clusters every 30 s on a thread of its own, if any.
    pub connect: Option<crate::cluster::kafka_connect::watch::ConnectWatch>,
}

/// Settings every handle ktopo creates gets: nothing that could change a group.
fn base(props: &Properties) -> Properties {
    let mut p = props.clone();
    p.set("enable.auto.commit", "false");
    p.set("enable.auto.offset.store", "false");
    p.set("enable.partition.eof", "false");
    // Tails are read to a known end: a fetch that finds little must not wait the
    // default 500 ms for more (that made 1,000 topics take two minutes).
    p.set("fetch.wait.max.ms", "10");
    if p.get("client.id").is_none() {
        p.set("client.id", "ktopo");
    }
    p
}

/// Wall-clock milliseconds since the epoch (0 if the clock is before it).
fn wall_ms_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

impl Sampler {
    pub fn new(props: Properties, watch: impl Into<Watch>) -> Result<Self, ClientError> {
        let watch = watch.into();
        // No group.id: this handle belongs to no group, so it can never join or commit.
        let admin = Admin::create(&base(&props).to_client_config())
            .map_err(|e| ClientError::Create(scrub(&e.to_string(), &props)))?;
        let mut periodic = Periodic::default();
        let schemas = crate::cluster::schema_registry::subjects::SchemaWatch::new(watch.schemas.clone());
        let watched = periodic.watch(watch);
        // The settings were checked by `connect`; unusable ones decode nothing.
        let decoder = crate::cluster::schema_registry::settings::from_properties(&props)
            .ok()
            .flatten()
            .map(crate::cluster::schema_registry::decoder::Decoder::new);
        Ok(Sampler {
            props,
            admin,
            watched,
            periodic,
            descriptions: slow::Descriptions::default(),
            starts: slow::LogStarts::default(),
            discovery: Discovery::On,
            timeout: Duration::from_secs(5),
            describe_chunk: 100,
            configs_unserved: None,
            start: Instant::now(),
            decoder,
            schemas,
            connect: None,
        })
    }

    /// Watch another set of groups and topics from the next round on (after a
    /// registry reload).
    pub fn set_watch(&mut self, watch: Watch) {
        self.schemas = crate::cluster::schema_registry::subjects::SchemaWatch::new(watch.schemas.clone());
        self.watched = self.periodic.watch(watch);
    }

    /// Seconds since the sampler started (the clock samples are stamped with).
    pub fn now_s(&self) -> f64 {
        self.start.elapsed().as_secs_f64()
    }

    /// One round. Err when nothing could be read (the cluster is unreachable).
    pub fn sample(&mut self) -> Result<RawSample, ClientError> {
        let began = Instant::now();
        // Asked first, taken last: a quick worker's read lands in this very round.
        if let Some(c) = self.connect.as_mut() {
            c.kick();
        }
        let mut errors = Vec::new();
        let mut topics = self.metadata()?;

        let errors_before = errors.len();
        let listed = self.discovery.list(&self.admin, self.timeout, &mut errors);
        // Listed means every broker answered: a partial listing may miss groups.
        let groups_listed = listed.is_some() && errors.len() == errors_before;
        // Declared groups, then every group the broker lists.
        let mut declared: BTreeMap<&str, Vec<&Watched>> = BTreeMap::new();
        for w in &self.watched {
            declared.entry(&w.group).or_default().push(w);
        }
        let mut names: Vec<String> = declared.keys().map(|g| g.to_string()).collect();
        if let Some(l) = &listed {
            names.extend(
                l.keys()
                    .filter(|g| !declared.contains_key(g.as_str()) && !g.is_empty())
                    .cloned(),
            );
        }
        let due = self.descriptions.due(&names, listed.as_ref());
        let asked: Vec<String> = due.iter().map(|&i| names[i].clone()).collect();
        let fresh = discovery::describe(&self.admin, &asked, listed.as_ref(), self.describe_chunk, self.timeout);
        let descriptions = self.descriptions.merge(&names, listed.as_ref(), &due, fresh);

        let parts: HashMap<String, Vec<i32>> = topics
            .iter()
            .map(|t| (t.name.clone(), t.partitions.iter().map(|p| p.id).collect()))
            .collect();
        // Where the broker lists groups it also answers "every committed partition"
        // (a null partition list), which shows commits on undeclared topics too; the
        // mock cluster answers that with nothing, so there we ask for what is declared.
        let requests: Vec<OffsetsRequest> = names
            .iter()
            .map(|g| {
                let wanted = listed.as_ref().is_none().then(|| {
                    declared
                        .get(g.as_str())
                        .into_iter()
                        .flatten()
                        .flat_map(|w| {
                            let ps = parts.get(w.topic.as_str()).map(Vec::as_slice).unwrap_or(&[]);
                            ps.iter().map(move |&p| (w.topic.as_str(), p))
                        })
                        .collect()
                });
                (g.clone(), wanted)
            })
            .collect();
        let all: Vec<(String, i32)> = topics
            .iter()
            .flat_map(|t| t.partitions.iter().map(move |p| (t.name.clone(), p.id)))
            .collect();
        let all: Vec<(&str, i32)> = all.iter().map(|(t, p)| (t.as_str(), *p)).collect();
        // Log starts have no ordering constraint: read them (when due) beside the
        // committed offsets.
        let read_starts = self.starts.due(&topics);
        let (committed, starts) = std::thread::scope(|s| {
            let starts =
                read_starts.then(|| s.spawn(|| self.admin.list_offsets(&all, &[Spec::Earliest], self.timeout)));
            let committed = self.admin.group_offsets(&requests, self.timeout);
            let starts = match starts {
                Some(h) => h.join().map_err(|_| AdminError::Panicked("log start reader")),
                None => Ok(Vec::new()),
            };
            (committed, starts)
        });
        let offsets_at_s = self.now_s();
        let ends = self.admin.list_offsets(&all, &[Spec::Latest], self.timeout);
        let time_s = self.now_s();
        let first = |r: Vec<Result<Vec<Listed>, AdminError>>| r.into_iter().next().unwrap_or_else(|| Ok(Vec::new()));
        apply_log_offsets(&mut topics, first(ends), starts.and_then(first), &mut errors);
        if read_starts {
            self.starts.keep(&topics);
        } else {
            self.starts.fill(&mut topics);
        }

        let mut groups = Vec::new();
        for ((name, desc), offsets) in names.iter().zip(descriptions).zip(committed) {
            let decl = declared.get(name.as_str()).map(Vec::as_slice).unwrap_or(&[]);
            let listing = listed.as_ref().and_then(|l| l.get(name));
            groups.extend(group_rows(name, decl, listing, desc, offsets, &parts));
        }
        self.periodic
            .last_writes(&self.admin, self.timeout, &mut topics, &mut errors);
        let configs = self
            .periodic
            .configs(&self.props, self.timeout, self.configs_unserved.as_deref(), &topics);
        let reader = base(&self.props).to_client_config();
        let (tails, tail_problems) = match self.periodic.tails(&reader, self.timeout, &topics) {
            Some((mut t, mut p)) => {
                self.schemas.see(&t);
                if let Some(d) = self.decoder.as_mut() {
                    p.extend(d.decode_tails(std::sync::Arc::make_mut(&mut t).as_mut_slice()));
                }
                (Some(t), Some(p.iter().map(|e| scrub(e, &self.props)).collect()))
            }
            None => (None, None),
        };
        let schemas = self.schemas.round(self.decoder.as_mut());
        let connect = self.connect.as_mut().and_then(|c| c.take());
        Ok(RawSample {
            connect,
            schemas,
            tail_problems,
            time_s,
            offsets_at_s,
            wall_ms: wall_ms_now(),
            groups_listed,
            duration_ms: began.elapsed().as_millis() as u64,
            topics,
            groups,
            errors: errors.into_iter().map(|e| scrub(&e, &self.props)).collect(),
            configs,
            tails,
            limits: match &self.discovery {
                Discovery::On => Vec::new(),
                Discovery::Unsupported(why) => vec![why.clone()],
            },
        })
    }

    fn metadata(&self) -> Result<Vec<RawTopic>, ClientError> {
        use rdkafka::consumer::Consumer;
        let md = self.admin.client().fetch_metadata(None, self.timeout).map_err(|e| {
            // Say why (refused, not resolved, TLS, authentication) where librdkafka did.
            let why = self.admin.last_failure().unwrap_or_else(|| e.to_string());
            ClientError::Metadata(scrub(&why, &self.props))
        })?;
        let mut topics: Vec<RawTopic> = md
            .topics()
            .iter()
            .filter(|t| !t.name().starts_with("__") && t.error().is_none())
            .map(|t| RawTopic {
                name: t.name().to_string(),
                replication: t.partitions().first().map(|p| p.replicas().len()),
                last_write_ms: None,
                partitions: t
                    .partitions()
                    .iter()
                    .map(|p| RawPartition {
                        id: p.id(),
                        leader: p.leader(),
                        ..RawPartition::default()
                    })
                    .collect(),
            })
            .collect();
        topics.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(topics)
    }
}

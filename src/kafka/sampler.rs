//! One sampling round against a cluster, strictly read-only: Metadata, ListOffsets
//! (one request per leader broker), FindCoordinator + OffsetFetch per watched group, and
//! ListGroups/DescribeGroups where the broker supports them. The group handles never
//! subscribe, assign or commit, so they never join the groups they watch.

use super::config::{scrub, Properties};
use crate::live::metrics::{RawGroup, RawPartition, RawSample, RawTopic};
use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::{Offset, TopicPartitionList};
use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant};

/// A consumer group ktopo expects, from the registry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Watched {
    pub group: String,
    pub topic: String,
    pub service: Option<usize>,
}

/// How high watermarks are read: batched (one ListOffsets per leader) or one call per
/// partition (only for the benchmark that shows why batching matters).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Watermarks {
    Batched,
    PerPartition,
}

pub struct Sampler {
    props: Properties,
    meta: BaseConsumer,
    handles: HashMap<String, BaseConsumer>,
    watched: Vec<Watched>,
    /// Ask the broker for its groups (ListGroups); switched off when unsupported.
    pub discover: bool,
    pub timeout: Duration,
    pub watermarks: Watermarks,
    /// Worker threads for committed-offset requests.
    pub workers: usize,
    start: Instant,
}

/// Settings every handle ktopo creates gets: nothing that could change a group.
fn base(props: &Properties) -> Properties {
    let mut p = props.clone();
    p.set("enable.auto.commit", "false");
    p.set("enable.auto.offset.store", "false");
    p.set("enable.partition.eof", "false");
    if p.get("client.id").is_none() {
        p.set("client.id", "ktopo");
    }
    p
}

impl Sampler {
    pub fn new(props: Properties, watched: Vec<Watched>) -> Result<Self, String> {
        let meta: BaseConsumer = base(&props)
            .to_client_config()
            .create()
            .map_err(|e| scrub(&format!("cannot create a Kafka client: {e}"), &props))?;
        Ok(Sampler {
            props,
            meta,
            handles: HashMap::new(),
            watched,
            discover: true,
            timeout: Duration::from_secs(5),
            watermarks: Watermarks::Batched,
            workers: 8,
            start: Instant::now(),
        })
    }

    /// Watch another set of groups from the next round on (after a registry reload).
    pub fn set_watched(&mut self, watched: Vec<Watched>) {
        self.watched = watched;
    }

    /// Seconds since the sampler started (the clock samples are stamped with).
    pub fn now_s(&self) -> f64 {
        self.start.elapsed().as_secs_f64()
    }

    fn handle(&mut self, group: &str) -> Result<(), String> {
        if self.handles.contains_key(group) {
            return Ok(());
        }
        let mut p = base(&self.props);
        p.set("group.id", group);
        let c: BaseConsumer = p
            .to_client_config()
            .create()
            .map_err(|e| scrub(&format!("cannot create a client for group {group}: {e}"), &self.props))?;
        self.handles.insert(group.to_string(), c);
        Ok(())
    }

    /// One round. Err when nothing could be read (the cluster is unreachable).
    pub fn sample(&mut self) -> Result<RawSample, String> {
        let began = Instant::now();
        let mut errors = Vec::new();
        let md = self
            .meta
            .fetch_metadata(None, self.timeout)
            .map_err(|e| scrub(&format!("metadata: {e}"), &self.props))?;
        let mut topics: Vec<RawTopic> = md
            .topics()
            .iter()
            .filter(|t| !t.name().starts_with("__") && t.error().is_none())
            .map(|t| RawTopic {
                name: t.name().to_string(),
                partitions: t
                    .partitions()
                    .iter()
                    .map(|p| RawPartition {
                        id: p.id(),
                        leader: p.leader(),
                        log_end: None,
                    })
                    .collect(),
            })
            .collect();
        topics.sort_by(|a, b| a.name.cmp(&b.name));
        self.read_watermarks(&mut topics, &mut errors);

        // Groups: the declared ones, plus what the broker lists where it can.
        let mut listed: BTreeMap<String, (Option<String>, Option<usize>)> = BTreeMap::new();
        if self.discover {
            match self
                .meta
                .fetch_group_list(None, self.timeout.min(Duration::from_secs(2)))
            {
                Ok(list) => {
                    for g in list.groups() {
                        listed.insert(
                            g.name().to_string(),
                            (Some(g.state().to_string()), Some(g.members().len())),
                        );
                    }
                }
                Err(e) => {
                    self.discover = false;
                    errors.push(format!(
                        "group discovery unavailable ({e}); watching declared groups only"
                    ));
                }
            }
        }
        let mut wanted: Vec<(String, Vec<String>, Option<usize>, bool)> = Vec::new();
        let mut by_group: BTreeMap<&str, Vec<&Watched>> = BTreeMap::new();
        for w in &self.watched {
            by_group.entry(&w.group).or_default().push(w);
        }
        for (g, ws) in &by_group {
            wanted.push((
                g.to_string(),
                ws.iter().map(|w| w.topic.clone()).collect(),
                ws[0].service,
                true,
            ));
        }
        for g in listed.keys() {
            if !by_group.contains_key(g.as_str()) && !g.is_empty() {
                // Undeclared: ask about every topic and keep those it has commits on.
                wanted.push((g.clone(), topics.iter().map(|t| t.name.clone()).collect(), None, false));
            }
        }
        for (g, ..) in &wanted {
            self.handle(g)?;
        }
        let parts: HashMap<&str, Vec<i32>> = topics
            .iter()
            .map(|t| (t.name.as_str(), t.partitions.iter().map(|p| p.id).collect()))
            .collect();
        let results = self.committed(&wanted, &parts);
        let mut groups = Vec::new();
        for ((g, ts, service, declared), res) in wanted.iter().zip(results) {
            let (state, members) = listed.get(g).cloned().unwrap_or((None, None));
            match res {
                Err(e) => errors.push(format!("group {g}: {e}")),
                Ok(offsets) => {
                    for t in ts {
                        let Some(ps) = parts.get(t.as_str()) else { continue };
                        let committed: Vec<(i32, Option<i64>)> =
                            ps.iter().map(|&p| (p, offsets.get(&(t.clone(), p)).copied())).collect();
                        if !declared && committed.iter().all(|c| c.1.is_none()) {
                            continue;
                        }
                        groups.push(RawGroup {
                            group: g.clone(),
                            topic: t.clone(),
                            service: *service,
                            declared: *declared,
                            state: state.clone(),
                            members,
                            committed,
                        });
                    }
                }
            }
        }
        Ok(RawSample {
            time_s: self.now_s(),
            duration_ms: began.elapsed().as_millis() as u64,
            topics,
            groups,
            errors: errors.into_iter().map(|e| scrub(&e, &self.props)).collect(),
        })
    }

    fn read_watermarks(&self, topics: &mut [RawTopic], errors: &mut Vec<String>) {
        match self.watermarks {
            Watermarks::Batched => {
                let mut tpl = TopicPartitionList::new();
                for t in topics.iter() {
                    for p in &t.partitions {
                        let _ = tpl.add_partition_offset(&t.name, p.id, Offset::End);
                    }
                }
                if tpl.count() == 0 {
                    return;
                }
                // Offset::End per partition makes librdkafka send one ListOffsets per leader.
                match self.meta.offsets_for_times(tpl, self.timeout) {
                    Err(e) => errors.push(format!("log end offsets: {e}")),
                    Ok(res) => {
                        let mut failed: BTreeMap<String, usize> = BTreeMap::new();
                        for el in res.elements() {
                            let Some(t) = topics.iter_mut().find(|t| t.name == el.topic()) else {
                                continue;
                            };
                            let Some(p) = t.partitions.iter_mut().find(|p| p.id == el.partition()) else {
                                continue;
                            };
                            match (el.error(), el.offset()) {
                                (Ok(()), Offset::Offset(o)) => p.log_end = Some(o),
                                (Err(e), _) => *failed.entry(format!("leader {}: {e}", p.leader)).or_default() += 1,
                                _ => *failed.entry(format!("leader {}: no offset", p.leader)).or_default() += 1,
                            }
                        }
                        for (e, n) in failed {
                            errors.push(format!("{n} partitions without log end ({e})"));
                        }
                    }
                }
            }
            Watermarks::PerPartition => {
                for t in topics.iter_mut() {
                    for p in &mut t.partitions {
                        match self.meta.fetch_watermarks(&t.name, p.id, self.timeout) {
                            Ok((_, high)) => p.log_end = Some(high),
                            Err(e) => errors.push(format!("{}[{}]: {e}", t.name, p.id)),
                        }
                    }
                }
            }
        }
    }

    /// Committed offsets of each group, groups spread over worker threads.
    #[allow(clippy::type_complexity)]
    fn committed(
        &self,
        wanted: &[(String, Vec<String>, Option<usize>, bool)],
        parts: &HashMap<&str, Vec<i32>>,
    ) -> Vec<Result<HashMap<(String, i32), i64>, String>> {
        let fetch = |g: &str, ts: &[String]| -> Result<HashMap<(String, i32), i64>, String> {
            let mut tpl = TopicPartitionList::new();
            for t in ts {
                for &p in parts.get(t.as_str()).map(Vec::as_slice).unwrap_or(&[]) {
                    tpl.add_partition(t, p);
                }
            }
            if tpl.count() == 0 {
                return Ok(HashMap::new());
            }
            let c = &self.handles[g];
            let res = c.committed_offsets(tpl, self.timeout).map_err(|e| e.to_string())?;
            Ok(res
                .elements()
                .iter()
                .filter_map(|el| match el.offset() {
                    Offset::Offset(o) => Some(((el.topic().to_string(), el.partition()), o)),
                    _ => None,
                })
                .collect())
        };
        let workers = self.workers.clamp(1, wanted.len().max(1));
        let chunk = wanted.len().div_ceil(workers).max(1);
        std::thread::scope(|s| {
            let jobs: Vec<_> = wanted
                .chunks(chunk)
                .map(|c| s.spawn(move || c.iter().map(|(g, ts, ..)| fetch(g, ts)).collect::<Vec<_>>()))
                .collect();
            jobs.into_iter()
                .flat_map(|j| j.join().unwrap_or_else(|_| vec![Err("worker panicked".into())]))
                .collect()
        })
    }
}

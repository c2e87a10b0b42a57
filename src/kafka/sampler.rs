//! One sampling round against a cluster, strictly read-only, on ONE client handle
//! whatever the number of groups (see `admin.rs`):
//! 1. Metadata: topics, partitions, leaders, replication;
//! 2. ListConsumerGroups (where the broker serves it; retried next round after a
//!    transient failure, switched off only when the broker says it is unsupported);
//! 3. DescribeConsumerGroups, 100 groups per request: state, members, assignments;
//! 4. ListConsumerGroupOffsets, one request per group, all in flight at once;
//! 5. ListOffsets LATEST and EARLIEST, one request per leader broker each.
//!
//! Committed offsets are read before log ends, and each phase is stamped when it is
//! read, so a healthy consumer never appears ahead of a log end read earlier.

use super::admin::{Admin, CommittedRow, GroupDescription, Listed, Member, OffsetsRequest, Spec};
use super::config::{scrub, Properties};
use crate::live::metrics::{RawGroup, RawPartition, RawSample, RawTopic};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::time::{Duration, Instant};

/// A consumer group ktopo expects on a topic (the caller composes these from the
/// registry: this module knows nothing of it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Watched {
    pub group: String,
    pub topic: String,
    /// Key of the service that owns the group.
    pub service: Option<String>,
    /// Not expected, only looked for (a consumer of a replacement topic that may still
    /// read the deprecated one): reported only where it has commits.
    pub probe: bool,
}

/// What the caller asks the sampler to look at besides the topics and groups it finds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Watch {
    pub groups: Vec<Watched>,
    /// Topics whose last write time is read each round (deprecated ones: is anybody
    /// still writing?). ListOffsets MAX_TIMESTAMP where the broker serves it, else the
    /// newest record of each partition, read at most every `LAST_WRITE_EVERY`.
    pub last_write: Vec<String>,
    /// Topics whose configuration (DescribeConfigs) is read every `CONFIGS_EVERY`.
    pub configs_of: Vec<String>,
    /// Topics whose last messages are read every `TAILS_EVERY`, and how many per
    /// partition (0: none), for the observed-events checks.
    pub tails_of: Vec<String>,
    pub tail_len: u32,
}

/// Offsets [from, to) of one partition to read.
type Range = (i32, i64, i64);

/// How often the topics' last messages are read.
const TAILS_EVERY: Duration = Duration::from_secs(60);
/// Bytes kept of each message value, and of each topic's sample.
const TAIL_VALUE_CAP: usize = 64 << 10;
const TAIL_TOPIC_CAP: usize = 1 << 20;
/// Topics read at once (each on its own queue, all on the sampler's one client).
const TAIL_WORKERS: usize = 4;

/// How often topic configurations are read: they change rarely, and DescribeConfigs
/// of thousands of topics is not free.
const CONFIGS_EVERY: Duration = Duration::from_secs(300);

impl From<Vec<Watched>> for Watch {
    fn from(groups: Vec<Watched>) -> Watch {
        Watch {
            groups,
            last_write: Vec::new(),
            configs_of: Vec::new(),
            tails_of: Vec::new(),
            tail_len: 0,
        }
    }
}

/// How often the newest records are read where MAX_TIMESTAMP is not served.
const LAST_WRITE_EVERY: Duration = Duration::from_secs(30);

/// Whether the cluster serves ListGroups/DescribeGroups.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Discovery {
    /// Try every round (the default).
    On,
    /// The broker does not serve them (librdkafka's mock cluster): declared groups only.
    Unsupported(String),
}

pub struct Sampler {
    props: Properties,
    admin: Admin,
    watched: Vec<Watched>,
    last_write: Vec<String>,
    configs_of: Vec<String>,
    configs_at: Option<Instant>,
    tails_of: Vec<String>,
    tail_len: u32,
    tails_at: Option<Instant>,
    rounds: u32,
    /// Last write times read from records (no MAX_TIMESTAMP) per topic: when, at
    /// which log end total, and what was found.
    record_times: HashMap<String, (Instant, i64, Option<i64>)>,
    pub discovery: Discovery,
    pub timeout: Duration,
    /// Groups per DescribeConsumerGroups request.
    pub describe_chunk: usize,
    /// Set when the cluster is known not to serve DescribeConfigs (the mock cluster
    /// never answers it): configurations are then reported missing for this reason.
    pub configs_unserved: Option<String>,
    start: Instant,
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

/// A group state in which it has members.
fn active_state(state: &str) -> bool {
    let s = state.to_ascii_lowercase();
    s.contains("stable") || s.contains("rebalanc") || s.contains("assigning") || s.contains("reconciling")
}

/// A broker answering "unsupported" (as opposed to a transient failure).
fn unsupported(e: &str) -> bool {
    let l = e.to_ascii_lowercase();
    l.contains("unsupported") || l.contains("not supported")
}

impl Sampler {
    pub fn new(props: Properties, watch: impl Into<Watch>) -> Result<Self, String> {
        let watch = watch.into();
        // No group.id: this handle belongs to no group, so it can never join or commit.
        let admin = Admin::create(&base(&props).to_client_config())
            .map_err(|e| scrub(&format!("cannot create a Kafka client: {e}"), &props))?;
        Ok(Sampler {
            props,
            admin,
            watched: watch.groups,
            last_write: watch.last_write,
            configs_of: watch.configs_of,
            configs_at: None,
            tails_of: watch.tails_of,
            tail_len: watch.tail_len,
            tails_at: None,
            rounds: 0,
            record_times: HashMap::new(),
            discovery: Discovery::On,
            timeout: Duration::from_secs(5),
            describe_chunk: 100,
            configs_unserved: None,
            start: Instant::now(),
        })
    }

    /// Watch another set of groups and topics from the next round on (after a
    /// registry reload).
    pub fn set_watch(&mut self, watch: Watch) {
        self.watched = watch.groups;
        self.last_write = watch.last_write;
        self.configs_of = watch.configs_of;
        self.configs_at = None;
        self.tails_of = watch.tails_of;
        self.tail_len = watch.tail_len;
        self.tails_at = None;
        self.record_times.clear();
    }

    /// Seconds since the sampler started (the clock samples are stamped with).
    pub fn now_s(&self) -> f64 {
        self.start.elapsed().as_secs_f64()
    }

    /// One round. Err when nothing could be read (the cluster is unreachable).
    pub fn sample(&mut self) -> Result<RawSample, String> {
        let began = Instant::now();
        let mut errors = Vec::new();
        let mut topics = self.metadata()?;

        let errors_before = errors.len();
        let listed = self.list_groups(&mut errors);
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

        let descriptions: Vec<Option<Result<GroupDescription, String>>> = match &listed {
            Some(l) => self
                .admin
                .describe_groups(&names, self.describe_chunk, self.timeout)
                .into_iter()
                .zip(&names)
                .map(|(d, name)| {
                    // Some brokers (tansu 0.6) answer the KIP-848 describe for a classic
                    // group with no members while ListGroups says it is active.
                    let listed_active = l.get(name).is_some_and(|(state, _)| active_state(state));
                    match d {
                        Ok(d) if d.members.is_empty() && (listed_active || active_state(&d.state)) => {
                            Some(self.admin.describe_classic(name, self.timeout).or(Ok(d)))
                        }
                        d => Some(d),
                    }
                })
                .collect(),
            None => vec![None; names.len()],
        };

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
        // Log starts have no ordering constraint: read them beside the committed offsets.
        let (committed, starts) = std::thread::scope(|s| {
            let starts = s.spawn(|| self.admin.list_offsets(&all, &[Spec::Earliest], self.timeout));
            let committed = self.admin.group_offsets(&requests, self.timeout);
            let starts = starts.join().map_err(|_| "the log start reader panicked".to_string());
            (committed, starts)
        });
        let offsets_at_s = self.now_s();
        let ends = self.admin.list_offsets(&all, &[Spec::Latest], self.timeout);
        let time_s = self.now_s();
        let first = |r: Vec<Result<Vec<Listed>, String>>| r.into_iter().next().unwrap_or_else(|| Ok(Vec::new()));
        apply_log_offsets(&mut topics, first(ends), starts.and_then(first), &mut errors);

        let mut groups = Vec::new();
        for ((name, desc), offsets) in names.iter().zip(descriptions).zip(committed) {
            let decl = declared.get(name.as_str()).map(Vec::as_slice).unwrap_or(&[]);
            let listing = listed.as_ref().and_then(|l| l.get(name));
            groups.extend(group_rows(name, decl, listing, desc, offsets, &parts));
        }
        self.last_writes(&mut topics, &mut errors);
        let configs = self.configs(&topics);
        let (tails, tail_problems) = match self.tails(&topics) {
            Some((t, p)) => (Some(t), Some(p.iter().map(|e| scrub(e, &self.props)).collect())),
            None => (None, None),
        };
        Ok(RawSample {
            tail_problems,
            time_s,
            offsets_at_s,
            wall_ms: crate::live::wall_ms_now(),
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

    /// The last `tail_len` messages of each partition of the asked topics, when due:
    /// read like `peek` (no group), a few topics at a time, bounded in bytes and time.
    fn tails(&mut self, topics: &[RawTopic]) -> Option<(crate::live::metrics::Tails, Vec<String>)> {
        // From the third round on (the quick ones at the start have written little).
        self.rounds = self.rounds.saturating_add(1);
        if self.rounds < 3
            || self.tail_len == 0
            || self.tails_of.is_empty()
            || self.tails_at.is_some_and(|at| at.elapsed() < TAILS_EVERY)
        {
            return None;
        }
        self.tails_at = Some(Instant::now());
        let asked: BTreeSet<&str> = self.tails_of.iter().map(String::as_str).collect();
        let n = i64::from(self.tail_len);
        let wanted: Vec<(&str, Vec<Range>)> = topics
            .iter()
            .filter(|t| asked.contains(t.name.as_str()))
            .map(|t| {
                let ranges = t
                    .partitions
                    .iter()
                    .filter_map(|p| match (p.log_start, p.log_end) {
                        (Some(s), Some(e)) if e > s => Some((p.id, (e - n).max(s), e)),
                        _ => None,
                    })
                    .collect();
                (t.name.as_str(), ranges)
            })
            .collect();
        let next = std::sync::atomic::AtomicUsize::new(0);
        let problems = std::sync::Mutex::new(Vec::new());
        let read: Vec<(String, Vec<super::admin::RawMessage>)> = std::thread::scope(|s| {
            let workers: Vec<_> = (0..TAIL_WORKERS.min(wanted.len()))
                .map(|_| {
                    s.spawn(|| {
                        let mut got = Vec::new();
                        loop {
                            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                            let Some((topic, ranges)) = wanted.get(i) else { break };
                            let msgs = if ranges.is_empty() {
                                Vec::new()
                            } else {
                                match self.admin.read_ranges(
                                    topic,
                                    ranges,
                                    Duration::from_secs(2),
                                    TAIL_VALUE_CAP,
                                    TAIL_TOPIC_CAP,
                                ) {
                                    Ok(r) => {
                                        for p in r.problems {
                                            problems.lock().map(|mut v| v.push(format!("`{topic}`: {p}"))).ok();
                                        }
                                        r.messages
                                    }
                                    Err(e) => {
                                        problems.lock().map(|mut v| v.push(format!("`{topic}`: {e}"))).ok();
                                        Vec::new()
                                    }
                                }
                            };
                            got.push((topic.to_string(), msgs));
                        }
                        got
                    })
                })
                .collect();
            workers.into_iter().flat_map(|w| w.join().unwrap_or_default()).collect()
        });
        Some((std::sync::Arc::new(read), problems.into_inner().unwrap_or_default()))
    }

    /// Configurations of the asked topics present on the cluster, when due.
    fn configs(&mut self, topics: &[RawTopic]) -> Option<crate::live::metrics::Configs> {
        if self.configs_of.is_empty() || self.configs_at.is_some_and(|at| at.elapsed() < CONFIGS_EVERY) {
            return None;
        }
        self.configs_at = Some(Instant::now());
        if let Some(why) = &self.configs_unserved {
            return Some(std::sync::Arc::new(Err(why.clone())));
        }
        let asked: BTreeSet<&str> = self.configs_of.iter().map(String::as_str).collect();
        let present: Vec<String> = topics
            .iter()
            .filter(|t| asked.contains(t.name.as_str()))
            .map(|t| t.name.clone())
            .collect();
        let read = super::configs::topic_configs(&self.props, &present, self.timeout.max(Duration::from_secs(10)));
        Some(std::sync::Arc::new(read))
    }

    /// Fill `last_write_ms` of the topics asked about: the newest timestamp ListOffsets
    /// MAX_TIMESTAMP gives, else (brokers before 3.0, the mock cluster) the newest
    /// record of each non-empty partition, read without a group like `peek`.
    fn last_writes(&mut self, topics: &mut [RawTopic], errors: &mut Vec<String>) {
        let asked: BTreeSet<&str> = self.last_write.iter().map(String::as_str).collect();
        let parts: Vec<(&str, i32)> = topics
            .iter()
            .filter(|t| asked.contains(t.name.as_str()))
            .flat_map(|t| t.partitions.iter().map(move |p| (t.name.as_str(), p.id)))
            .collect();
        if parts.is_empty() {
            return;
        }
        let mut newest: HashMap<String, i64> = HashMap::new();
        let mut served = false;
        if let Some(Ok(listed)) = self
            .admin
            .list_offsets(&parts, &[Spec::MaxTimestamp], self.timeout)
            .into_iter()
            .next()
        {
            for l in listed {
                if let Ok((offset, ts)) = l.result {
                    // An empty partition answers offset -1; a broker without
                    // MAX_TIMESTAMP answers a timestamp of -1 for a non-empty one.
                    served |= offset >= 0 && ts >= 0;
                    if ts >= 0 {
                        let n = newest.entry(l.topic).or_insert(ts);
                        *n = (*n).max(ts);
                    }
                }
            }
        }
        if !served {
            // Read again only where the log grew since the last read, and not more
            // often than LAST_WRITE_EVERY once a time is known.
            let due: BTreeSet<&str> = topics
                .iter()
                .filter(|t| asked.contains(t.name.as_str()))
                .filter(|t| match self.record_times.get(&t.name) {
                    None => true,
                    Some((at, end, found)) => {
                        *end != end_total(t) && (found.is_none() || at.elapsed() >= LAST_WRITE_EVERY)
                    }
                })
                .map(|t| t.name.as_str())
                .collect();
            let read = self.newest_records(topics, &due, errors);
            let now = Instant::now();
            for t in topics.iter().filter(|t| due.contains(t.name.as_str())) {
                let found = read.get(&t.name).copied();
                self.record_times.insert(t.name.clone(), (now, end_total(t), found));
            }
            newest = self
                .record_times
                .iter()
                .filter_map(|(n, (_, _, ts))| ts.map(|ts| (n.clone(), ts)))
                .collect();
        }
        for t in topics.iter_mut() {
            t.last_write_ms = newest.get(&t.name).copied();
        }
    }

    /// Newest record timestamp per topic, from the last record of each partition.
    fn newest_records(
        &self,
        topics: &[RawTopic],
        asked: &BTreeSet<&str>,
        errors: &mut Vec<String>,
    ) -> HashMap<String, i64> {
        let mut out = HashMap::new();
        for t in topics.iter().filter(|t| asked.contains(t.name.as_str())) {
            let ranges: Vec<(i32, i64, i64)> = t
                .partitions
                .iter()
                .filter_map(|p| match (p.log_start, p.log_end) {
                    (Some(s), Some(e)) if e > s => Some((p.id, e - 1, e)),
                    _ => None,
                })
                .collect();
            if ranges.is_empty() {
                continue;
            }
            // Timestamps only: values cut to nothing, 1 MiB read at most.
            match self
                .admin
                .read_ranges(&t.name, &ranges, Duration::from_secs(2), 0, 1 << 20)
            {
                Ok(read) => {
                    if let Some(ts) = read.messages.iter().filter_map(|m| m.timestamp_ms).max() {
                        out.insert(t.name.clone(), ts);
                    }
                }
                Err(e) => errors.push(format!("last write of `{}`: {e}", t.name)),
            }
        }
        out
    }

    fn metadata(&self) -> Result<Vec<RawTopic>, String> {
        use rdkafka::consumer::Consumer;
        let md = self.admin.client().fetch_metadata(None, self.timeout).map_err(|e| {
            // Say why (refused, not resolved, TLS, authentication) where librdkafka did.
            let text = match self.admin.last_failure() {
                Some(why) => format!("metadata: {why}"),
                None => format!("metadata: {e}"),
            };
            scrub(&text, &self.props)
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

    /// ListGroups, or None when the broker cannot list them (declared groups only).
    fn list_groups(&mut self, errors: &mut Vec<String>) -> Option<BTreeMap<String, (String, String)>> {
        if self.discovery != Discovery::On {
            return None;
        }
        match self.admin.list_groups(self.timeout) {
            // Every broker saying "unsupported" (the mock cluster) is not a transient error.
            Ok((groups, partial))
                if groups.is_empty() && !partial.is_empty() && partial.iter().all(|e| unsupported(e)) =>
            {
                self.discovery = Discovery::Unsupported(format!(
                    "this cluster does not list or describe groups ({}): only declared groups are watched, without members",
                    partial[0]
                ));
                None
            }
            Ok((groups, partial)) => {
                errors.extend(partial.into_iter().map(|e| format!("listing groups: {e}")));
                Some(groups.into_iter().map(|g| (g.group, (g.state, g.kind))).collect())
            }
            Err(e) if unsupported(&e) => {
                self.discovery = Discovery::Unsupported(format!(
                    "this cluster does not list or describe groups ({e}): only declared groups are watched, without members"
                ));
                None
            }
            Err(e) => {
                errors.push(format!("listing groups failed, retrying next round: {e}"));
                None
            }
        }
    }
}

/// The sum of a topic's log ends: it changes when anything is written.
fn end_total(t: &RawTopic) -> i64 {
    t.partitions
        .iter()
        .filter_map(|p| p.log_end)
        .fold(0i64, i64::saturating_add)
}

/// Put the log ends and starts read into the topics; what is missing is said once.
fn apply_log_offsets(
    topics: &mut [RawTopic],
    ends: Result<Vec<Listed>, String>,
    starts: Result<Vec<Listed>, String>,
    errors: &mut Vec<String>,
) {
    let mut found: HashMap<(String, i32), (Option<i64>, Option<i64>)> = HashMap::new();
    let mut failed: BTreeMap<String, usize> = BTreeMap::new();
    for (is_end, r) in [(true, ends), (false, starts)] {
        match r {
            Err(e) => errors.push(format!("{} offsets: {e}", if is_end { "log end" } else { "log start" })),
            Ok(listed) => {
                for l in listed {
                    let slot = found.entry((l.topic, l.partition)).or_default();
                    match l.result {
                        // librdkafka answers a request that got no answer with offset
                        // -1001 and no error: an offset below 0 is no log end at all.
                        Ok((o, _)) if o < 0 => {
                            *failed
                                .entry(format!("no valid offset in the answer ({o})"))
                                .or_default() += 1
                        }
                        Ok((o, _)) if is_end => slot.0 = Some(o),
                        Ok((o, _)) => slot.1 = Some(o),
                        Err(e) => *failed.entry(e).or_default() += 1,
                    }
                }
            }
        }
    }
    let mut missing = 0;
    for t in topics.iter_mut() {
        for p in &mut t.partitions {
            let (end, start) = found.remove(&(t.name.clone(), p.id)).unwrap_or_default();
            p.log_end = end;
            // A log start past the log end makes no sense: unknown, not a negative log.
            p.log_start = start.filter(|&s| end.is_none_or(|e| s <= e));
            missing += usize::from(end.is_none());
        }
    }
    for (e, n) in failed {
        errors.push(format!("{n} partition offsets unreadable ({e})"));
    }
    if missing > 0 {
        errors.push(format!(
            "{missing} partitions without a log end: their groups' totals are partial"
        ));
    }
}

type Offsets = Result<Vec<CommittedRow>, String>;

/// The rows of one group: one per topic it is declared for, has commits on, or has
/// members assigned to. Nothing is dropped: a failed read becomes a row with its error.
fn group_rows(
    name: &str,
    declared: &[&Watched],
    listing: Option<&(String, String)>,
    desc: Option<Result<GroupDescription, String>>,
    offsets: Offsets,
    parts: &HashMap<String, Vec<i32>>,
) -> Vec<RawGroup> {
    let service = declared.first().and_then(|w| w.service.clone());
    let (desc, desc_err) = match desc {
        Some(Ok(d)) => (Some(d), None),
        Some(Err(e)) => (None, Some(format!("describe: {e}"))),
        None => (None, None),
    };
    let (state, kind) = match (&desc, listing) {
        (Some(d), _) => (Some(d.state.clone()), Some(d.kind.clone())),
        (None, Some((s, k))) => (Some(s.clone()), Some(k.clone())),
        _ => (None, None),
    };
    let mut topics: BTreeSet<&str> = declared.iter().filter(|w| !w.probe).map(|w| w.topic.as_str()).collect();
    let mut by_tp: HashMap<(&str, i32), i64> = HashMap::new();
    let mut errors: Vec<String> = desc_err.into_iter().collect();
    let mut bad_parts = 0usize;
    let mut bad_err = String::new();
    match &offsets {
        Ok(list) => {
            for (t, p, o, e) in list {
                if let Some(e) = e {
                    bad_parts += 1;
                    bad_err.clone_from(e);
                    continue;
                }
                if let Some(o) = o {
                    by_tp.insert((t.as_str(), *p), *o);
                    topics.insert(t.as_str());
                }
            }
        }
        Err(e) => errors.push(format!("committed offsets: {e}")),
    }
    if bad_parts > 0 {
        errors.push(format!(
            "{bad_parts} partitions' committed offsets unreadable ({bad_err})"
        ));
    }
    if let Some(d) = &desc {
        topics.extend(
            d.members
                .iter()
                .flat_map(|m| m.assignment.iter().map(|(t, _)| t.as_str())),
        );
    }
    let error = (!errors.is_empty()).then(|| errors.join("; "));
    if topics.is_empty() {
        // An undeclared group with nothing readable still shows, with its error.
        return match &error {
            Some(_) => vec![RawGroup {
                group: name.to_string(),
                topic: String::new(),
                service,
                state,
                kind,
                error,
                ..RawGroup::default()
            }],
            None => Vec::new(),
        };
    }
    topics
        .into_iter()
        .map(|t| {
            let members = desc.as_ref().map(|d| {
                d.members
                    .iter()
                    .map(|m| Member {
                        assignment: m.assignment.iter().filter(|(mt, _)| mt == t).cloned().collect(),
                        ..m.clone()
                    })
                    .collect()
            });
            RawGroup {
                group: name.to_string(),
                topic: t.to_string(),
                service: service.clone(),
                declared: declared.iter().any(|w| w.topic == t && !w.probe),
                state: state.clone(),
                kind: kind.clone(),
                members,
                topic_on_cluster: parts.contains_key(t),
                committed: parts
                    .get(t)
                    .map(|ps| ps.iter().map(|&p| (p, by_tp.get(&(t, p)).copied())).collect())
                    .unwrap_or_default(),
                error: error.clone(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listed(p: i32, o: i64) -> Listed {
        Listed {
            topic: "orders".into(),
            partition: p,
            result: Ok((o, -1)),
        }
    }

    #[test]
    fn offsets_that_make_no_sense_are_unreadable_not_zero() {
        let mut topics = vec![RawTopic {
            name: "orders".into(),
            partitions: (0..3)
                .map(|id| RawPartition {
                    id,
                    ..RawPartition::default()
                })
                .collect(),
            ..RawTopic::default()
        }];
        let mut errors = Vec::new();
        let ends = Ok(vec![listed(0, 10), listed(1, -1001), listed(2, 5)]);
        let starts = Ok(vec![listed(0, 2), listed(1, 0), listed(2, 9)]);
        apply_log_offsets(&mut topics, ends, starts, &mut errors);
        let p = &topics[0].partitions;
        assert_eq!((p[0].log_end, p[0].log_start), (Some(10), Some(2)));
        assert_eq!(p[1].log_end, None, "-1001 is no log end");
        assert_eq!(p[2].log_start, None, "a start past the end is unknown");
        assert!(
            errors
                .iter()
                .any(|e| e.contains("no valid offset in the answer (-1001)")),
            "{errors:?}"
        );
        assert!(
            errors.iter().any(|e| e.contains("1 partitions without a log end")),
            "{errors:?}"
        );
    }
}

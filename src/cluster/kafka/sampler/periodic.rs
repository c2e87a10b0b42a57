//! What is read only every few rounds, not every round, and when it is due: the last
//! messages of the asked topics (every minute), their configurations (every five
//! minutes), and the last write times of deprecated topics (every round where the
//! broker serves MAX_TIMESTAMP, else from their newest records every half minute).

use super::watch::{Watch, Watched};
use crate::cluster::kafka::admin::{Admin, Spec};
use crate::cluster::kafka::config::Properties;
use crate::cluster::kafka::configs::topic_configs;
use crate::core::sample::message::RawMessage;
use crate::core::sample::{Configs, ConfigsError, RawTopic, Tails};
use std::collections::{BTreeSet, HashMap};
use std::time::{Duration, Instant};

/// Offsets [from, to) of one partition to read.
type Range = (i32, i64, i64);

/// How often the topics' last messages are read.
const TAILS_EVERY: Duration = Duration::from_secs(60);
/// Bytes kept of each message value, and of each topic's sample.
const TAIL_VALUE_CAP: usize = 64 << 10;
const TAIL_TOPIC_CAP: usize = 1 << 20;
/// Topics read at once (each on its own queue).
const TAIL_WORKERS: usize = 4;
/// Topics per reader handle: a handle keeps every partition it read until it is
/// closed (about 1.3 KB each), so 50 topics of 10 partitions hold under 1 MB.
const READER_TOPICS: usize = 50;

/// How often topic configurations are read: they change rarely, and DescribeConfigs
/// of thousands of topics is not free.
const CONFIGS_EVERY: Duration = Duration::from_secs(300);

/// How often the newest records are read where MAX_TIMESTAMP is not served.
const LAST_WRITE_EVERY: Duration = Duration::from_secs(30);

/// The periodic reads' topics and schedule.
#[derive(Debug, Default)]
pub(super) struct Periodic {
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
}

impl Periodic {
    /// Read what `watch` asks for from the next round on, everything due at once; its
    /// groups are the caller's.
    pub(super) fn watch(&mut self, watch: Watch) -> Vec<Watched> {
        self.last_write = watch.last_write;
        self.configs_of = watch.configs_of;
        self.configs_at = None;
        self.tails_of = watch.tails_of;
        self.tail_len = watch.tail_len;
        self.tails_at = None;
        self.record_times.clear();
        watch.groups
    }

    /// The last `tail_len` messages of each partition of the asked topics, when due:
    /// read like `peek` (no group), a few topics at a time, bounded in bytes and time.
    ///
    /// They are read on handles of their own, each opened from `config` for
    /// `READER_TOPICS` topics and closed after them: librdkafka keeps every partition a
    /// handle ever read attached to its broker threads for the handle's life, and walks
    /// them all on each wake-up, so reading 12,500 partitions on the sampler's handle
    /// doubled the CPU of every later round (and kept 16 MB). The offsets and group
    /// requests stay on the one handle.
    pub(super) fn tails(
        &mut self,
        config: &rdkafka::ClientConfig,
        timeout: Duration,
        topics: &[RawTopic],
    ) -> Option<(Tails, Vec<String>)> {
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
        let chunks: Vec<&[(&str, Vec<Range>)]> = wanted.chunks(READER_TOPICS).collect();
        let next = std::sync::atomic::AtomicUsize::new(0);
        let problems = std::sync::Mutex::new(Vec::new());
        let read: Vec<(String, Vec<RawMessage>)> = std::thread::scope(|s| {
            let workers: Vec<_> = (0..TAIL_WORKERS.min(chunks.len()))
                .map(|_| {
                    s.spawn(|| {
                        let mut got = Vec::new();
                        while let Some(chunk) = chunks.get(next.fetch_add(1, std::sync::atomic::Ordering::Relaxed)) {
                            got.extend(read_chunk(config, timeout, chunk, &problems));
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
    pub(super) fn configs(
        &mut self,
        props: &Properties,
        timeout: Duration,
        unserved: Option<&str>,
        topics: &[RawTopic],
    ) -> Option<Configs> {
        if self.configs_of.is_empty() || self.configs_at.is_some_and(|at| at.elapsed() < CONFIGS_EVERY) {
            return None;
        }
        self.configs_at = Some(Instant::now());
        if let Some(why) = unserved {
            return Some(std::sync::Arc::new(Err(ConfigsError::Unserved(why.to_string()))));
        }
        let asked: BTreeSet<&str> = self.configs_of.iter().map(String::as_str).collect();
        let present: Vec<String> = topics
            .iter()
            .filter(|t| asked.contains(t.name.as_str()))
            .map(|t| t.name.clone())
            .collect();
        let read = topic_configs(props, &present, timeout.max(Duration::from_secs(10)));
        Some(std::sync::Arc::new(read))
    }

    /// Fill `last_write_ms` of the topics asked about: the newest timestamp ListOffsets
    /// MAX_TIMESTAMP gives, else (brokers before 3.0, the mock cluster) the newest
    /// record of each non-empty partition, read without a group like `peek`.
    pub(super) fn last_writes(
        &mut self,
        admin: &Admin,
        timeout: Duration,
        topics: &mut [RawTopic],
        errors: &mut Vec<String>,
    ) {
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
        if let Some(Ok(listed)) = admin
            .list_offsets(&parts, &[Spec::MaxTimestamp], timeout)
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
            let read = newest_records(admin, topics, &due, errors);
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
}

/// The tails of a few topics on a reader handle opened for them and closed after.
fn read_chunk(
    config: &rdkafka::ClientConfig,
    timeout: Duration,
    chunk: &[(&str, Vec<Range>)],
    problems: &std::sync::Mutex<Vec<String>>,
) -> Vec<(String, Vec<RawMessage>)> {
    let complain = |m: String| {
        problems.lock().map(|mut v| v.push(m)).ok();
    };
    let reader = match Admin::create(config) {
        Ok(a) => a,
        Err(e) => {
            complain(format!("no reader for the tails: {e}"));
            return Vec::new();
        }
    };
    // Leaders for every topic at once, not one metadata request per topic.
    {
        use rdkafka::consumer::Consumer;
        let _ = reader.client().fetch_metadata(None, timeout);
    }
    chunk
        .iter()
        .map(|(topic, ranges)| {
            let msgs = if ranges.is_empty() {
                Vec::new()
            } else {
                match reader.read_ranges(topic, ranges, Duration::from_secs(2), TAIL_VALUE_CAP, TAIL_TOPIC_CAP) {
                    Ok(r) => {
                        for p in r.problems {
                            complain(format!("`{topic}`: {p}"));
                        }
                        let mut m = r.messages;
                        // Kept for a minute: no room to grow.
                        m.shrink_to_fit();
                        m
                    }
                    Err(e) => {
                        complain(format!("`{topic}`: {e}"));
                        Vec::new()
                    }
                }
            };
            (topic.to_string(), msgs)
        })
        .collect()
}

/// Newest record timestamp per topic, from the last record of each partition.
fn newest_records(
    admin: &Admin,
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
        match admin.read_ranges(&t.name, &ranges, Duration::from_secs(2), 0, 1 << 20) {
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

/// The sum of a topic's log ends: it changes when anything is written.
fn end_total(t: &RawTopic) -> i64 {
    t.partitions
        .iter()
        .filter_map(|p| p.log_end)
        .fold(0i64, i64::saturating_add)
}

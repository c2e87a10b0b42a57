//! What the UI and `ktopo lag` show of the cluster: plain data computed from samples.
//! No clocks and no network here, so views are tested with scripted values.

use crate::core::registry::{PerService, ServiceId, TopicId};
/// A row's members are the sampler's, as read.
pub use crate::core::sample::Member;
use crate::core::sample::{Configs, Tails};
use serde::Serialize;
use std::collections::HashMap;

/// Consumer health, Burrow's rules plus IDLE. Ordered from best to worst.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Default)]
#[serde(rename_all = "UPPERCASE")]
pub enum Health {
    /// No traffic and no lag: healthy, not stopped.
    Idle,
    Ok,
    /// Not evaluated yet (too few samples) or no commit.
    #[default]
    Unknown,
    /// Consuming less than is produced: falling behind.
    Warn,
    /// Members, but never a commit on this topic.
    NoCommit,
    /// Alive (members, or moving a little) but not progressing while lag exists.
    Stall,
    /// Committed offset went backwards.
    Rewind,
    /// Declared, but neither members nor a commit: the consumer does not exist.
    Missing,
    /// The offset has not moved for clearly longer than the group's commit cadence, and
    /// nothing shows it alive.
    Stop,
    /// The committed offset is below the earliest retained one: messages were deleted
    /// before the group read them.
    Lost,
}

impl Health {
    /// Word and symbol, so status never depends on colour alone.
    pub fn label(self) -> &'static str {
        match self {
            Health::Idle => "· IDLE",
            Health::Ok => "✓ OK",
            Health::Unknown => "? N/A",
            Health::Warn => "▲ WARN",
            Health::NoCommit => "○ NOCOMMIT",
            Health::Stall => "■ STALL",
            Health::Rewind => "↺ REWIND",
            Health::Missing => "∅ MISSING",
            Health::Stop => "✗ STOP",
            Health::Lost => "⊘ LOST",
        }
    }
    /// One line on what the status means, for the help legend.
    pub fn meaning(self) -> &'static str {
        match self {
            Health::Idle => "no traffic and no lag: healthy, not stopped",
            Health::Ok => "keeping up",
            Health::Unknown => "not evaluated yet (too few samples) or no commit",
            Health::Warn => "consuming less than is produced: falling behind",
            Health::NoCommit => "members, but never a commit on this topic",
            Health::Stall => "alive but not progressing while lag exists",
            Health::Rewind => "the committed offset went backwards",
            Health::Missing => "declared, but neither members nor a commit",
            Health::Stop => "offset still for longer than its commit cadence, nothing alive",
            Health::Lost => "committed below the earliest retained offset: messages deleted unread",
        }
    }
    /// Every status as the views draw it (`label`) with its meaning, best to worst.
    pub fn legend() -> Vec<(&'static str, &'static str)> {
        Health::ALL.iter().map(|h| (h.label(), h.meaning())).collect()
    }
    pub fn word(self) -> &'static str {
        match self {
            Health::Idle => "IDLE",
            Health::Ok => "OK",
            Health::Unknown => "UNKNOWN",
            Health::Warn => "WARN",
            Health::NoCommit => "NOCOMMIT",
            Health::Stall => "STALL",
            Health::Rewind => "REWIND",
            Health::Missing => "MISSING",
            Health::Stop => "STOP",
            Health::Lost => "LOST",
        }
    }
    /// Every status, best to worst.
    pub const ALL: [Health; 10] = [
        Health::Idle,
        Health::Ok,
        Health::Unknown,
        Health::Warn,
        Health::NoCommit,
        Health::Stall,
        Health::Rewind,
        Health::Missing,
        Health::Stop,
        Health::Lost,
    ];
    pub fn parse(s: &str) -> Option<Health> {
        Health::ALL.into_iter().find(|h| h.word().eq_ignore_ascii_case(s))
    }
    /// Needs attention (WARN and worse).
    pub fn is_problem(self) -> bool {
        self >= Health::Warn
    }
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct PartitionLag {
    pub partition: i32,
    /// None: the group never committed on this partition.
    pub committed: Option<i64>,
    /// None: the partition's leader did not answer.
    pub log_end: Option<i64>,
    /// The earliest retained offset, when known.
    pub log_start: Option<i64>,
    /// None when there is no commit (not 0).
    pub lag: Option<i64>,
    /// The committed offset was above the log end and was clamped.
    pub clamped: bool,
    /// Messages deleted by retention before the group read them.
    pub lost: Option<i64>,
    /// Index into the row's `member_list` of the member that owns this partition.
    pub owner: Option<usize>,
    pub status: Option<Health>,
}

/// How long the lag takes to drain at the current consume and produce rates.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Drain {
    /// No lag.
    Done,
    /// Seconds to drain.
    Eta(f64),
    /// Consuming no faster than producing: the lag will not go down.
    Never,
}

impl Drain {
    pub fn label(self) -> String {
        match self {
            Drain::Done => "-".into(),
            Drain::Eta(s) => short_duration(s),
            Drain::Never => "never".into(),
        }
    }
}

pub use crate::core::time::short_duration;

#[derive(Debug, Clone, Default, Serialize)]
pub struct GroupTopicLag {
    pub group: String,
    pub topic: String,
    /// Key of the registry service that owns the group, when declared.
    pub service: Option<String>,
    /// The registry declares this group on this topic.
    pub declared: bool,
    pub state: Option<String>,
    /// "Classic" or "Consumer" (KIP-848), where the broker describes groups.
    pub kind: Option<String>,
    pub members: Option<usize>,
    /// Members and what each owns on this topic.
    pub member_list: Vec<Member>,
    /// Declared here, has members, but none is assigned a partition of this topic.
    pub unassigned: bool,
    /// Declared on a topic the cluster no longer has (a finished migration).
    pub topic_absent: bool,
    /// Why this group could not be read this round (its values are then missing).
    pub error: Option<String>,
    /// Some partition had no log end: totals cover the others only.
    pub partial: bool,
    pub partitions: Vec<PartitionLag>,
    pub total_lag: Option<i64>,
    /// The lag `--fail-on LAG` holds against its threshold: summed over partitions, at
    /// the last commit point of those that move, the current lag of those that do not.
    pub settled_lag: Option<i64>,
    pub max_lag: Option<i64>,
    /// Messages deleted by retention before this group read them.
    pub lost: Option<i64>,
    /// Share of the retained log the lag covers (1.0: the group is a whole log behind).
    pub retained_share: Option<f64>,
    pub drain: Option<Drain>,
    /// Seconds behind the head, from the watermark history.
    pub time_lag_s: Option<f64>,
    /// The time lag was extrapolated beyond the history.
    pub time_lag_approx: bool,
    /// The time lag is a lower bound: nothing was written since watching began, so the
    /// unread messages are at least that old.
    pub time_lag_at_least: bool,
    /// Messages per second committed.
    pub consume_rate: Option<f64>,
    pub status: Health,
    /// Why, in words ("falling behind: consumed 300 of 600 produced in 30s...").
    pub reason: String,
    /// When the row entered its status (seconds on the sampler's clock).
    pub status_since_s: f64,
    /// ... and the same as wall-clock milliseconds since the epoch, where known.
    pub status_since_ms: Option<i64>,
    /// Seconds in the status as of this picture.
    pub status_for_s: f64,
    /// The row's last status changes, oldest first (bounded).
    pub history: Vec<Transition>,
    /// The row's values over the session, one point per sample (bounded; pictures
    /// share its sealed points). Empty in a picture drawn without `Metrics::picture`.
    #[serde(skip)]
    pub trend: super::trend::Trend,
}

/// One status change of a group × topic row.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Transition {
    /// Seconds on the sampler's clock.
    #[serde(skip)]
    pub at_s: f64,
    /// Wall-clock milliseconds since the epoch, where known.
    #[serde(skip)]
    pub at_ms: Option<i64>,
    pub from: Health,
    pub to: Health,
    pub reason: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct TopicLive {
    /// Messages per second produced (from high watermark deltas).
    pub produce_rate: Option<f64>,
    /// Messages per second since the session first read every partition's log end.
    #[serde(skip)]
    pub session_rate: Option<f64>,
    pub total_lag: Option<i64>,
    pub worst: Option<Health>,
    pub partitions: usize,
    pub replication: Option<usize>,
    /// Recent produce rates and total lags, oldest first, for sparklines.
    pub rate_history: Vec<u64>,
    pub lag_history: Vec<u64>,
    /// The topic exists on the cluster.
    pub on_cluster: bool,
    /// Newest record timestamp (ms since the epoch), where it was asked for.
    pub last_write_ms: Option<i64>,
}

/// The whole live picture at one moment.
#[derive(Debug, Clone, Default, Serialize)]
pub struct LiveView {
    /// "demo cluster" or the bootstrap servers.
    pub source: String,
    /// Wall-clock milliseconds since the epoch of this picture, where known.
    pub wall_ms: Option<i64>,
    /// Seconds since the last good sample, as of the UI's last tick.
    pub age_s: Option<f64>,
    pub sample_ms: Option<u64>,
    /// Values are older than three intervals.
    pub stale: bool,
    /// Seconds between samples (the UI judges staleness with it).
    pub interval_s: f64,
    pub errors: Vec<String>,
    /// What this cluster cannot tell (shown, so nothing is missing silently).
    pub limits: Vec<String>,
    /// The last sample listed every group the brokers have (drift needs it for undeclared
    /// consumers; a failed or partial ListGroups is not "none").
    pub groups_listed: bool,
    pub topics: HashMap<String, TopicLive>,
    pub groups: Vec<GroupTopicLag>,
    /// Topic configurations as last read (every few minutes), for drift.
    #[serde(skip)]
    pub configs: Option<Configs>,
    /// The last messages of the registry's topics as last sampled, for the
    /// observed-events checks.
    #[serde(skip)]
    pub tails: Option<Tails>,
    /// What could not be read of those messages: the checks did not see it.
    pub tail_problems: Vec<String>,
    /// The declared Schema Registry subjects as last asked, and the tails' framing.
    #[serde(skip)]
    pub schemas: Option<std::sync::Arc<crate::core::sample::schemas::Schemas>>,
    /// The Kafka Connect clusters as last read (every 30 s), where `--connect` (or the
    /// demo) names any.
    #[serde(skip)]
    pub connect: Option<std::sync::Arc<crate::core::connectors::live::Live>>,
}

impl LiveView {
    /// At least one sample succeeded: the values are evidence, not defaults.
    pub fn sampled(&self) -> bool {
        self.sample_ms.is_some()
    }
    /// Worst status over a service's consumer groups.
    pub fn service_worst(&self, service: &str) -> Option<Health> {
        self.groups
            .iter()
            .filter(|g| g.service.as_deref() == Some(service))
            .map(|g| g.status)
            .max()
    }
    /// Group row for a service consuming a topic.
    pub fn group_for(&self, service: &str, topic: &str) -> Option<&GroupTopicLag> {
        self.groups
            .iter()
            .find(|g| g.service.as_deref() == Some(service) && g.topic == topic)
    }
}

/// A live picture's groups by registry service and topic, built once per
/// sample: views that look groups up per box or edge (thousands on a large map) would
/// otherwise scan every group, or hash two names, each time.
#[derive(Debug, Clone, Default)]
pub struct GroupIndex {
    by_pair: HashMap<(ServiceId, TopicId), usize>,
    worst: PerService<Option<Health>>,
}

impl GroupIndex {
    pub fn new(view: &LiveView, reg: &crate::core::registry::Registry) -> Self {
        let mut ix = GroupIndex {
            by_pair: HashMap::new(),
            worst: reg.per_service(None),
        };
        for (i, g) in view.groups.iter().enumerate() {
            let Some(s) = g.service.as_deref().and_then(|k| reg.service_by_key(k)) else {
                continue;
            };
            if let Some(t) = reg.topic_index(&g.topic) {
                ix.by_pair.insert((s, t), i);
            }
            ix.worst[s] = ix.worst[s].max(Some(g.status));
        }
        ix
    }
    /// Index into `LiveView::groups` of service `s`'s group on topic `t`.
    pub fn group(&self, s: ServiceId, t: TopicId) -> Option<usize> {
        self.by_pair.get(&(s, t)).copied()
    }
    /// Worst status over service `s`'s groups.
    pub fn worst(&self, s: ServiceId) -> Option<Health> {
        self.worst.get(s).copied().flatten()
    }
}

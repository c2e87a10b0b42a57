//! What the UI and `ktopo lag` show of the cluster: plain data computed from samples.
//! No clocks and no network here, so views are tested with scripted values.

use serde::Serialize;
use std::collections::HashMap;

/// Consumer health, Burrow's rules plus IDLE. Ordered from best to worst.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Health {
    /// No traffic and no lag: healthy, not stopped.
    Idle,
    Ok,
    /// Not evaluated yet (too few samples) or no commit.
    Unknown,
    /// Lag grows at every sample: falling behind.
    Warn,
    /// Committing, but the offset does not move while lag exists.
    Stall,
    /// Committed offset went backwards.
    Rewind,
    /// No commit for longer than the window spans.
    Stop,
}

impl Health {
    /// Word and symbol, so status never depends on colour alone.
    pub fn label(self) -> &'static str {
        match self {
            Health::Idle => "· IDLE",
            Health::Ok => "✓ OK",
            Health::Unknown => "? N/A",
            Health::Warn => "▲ WARN",
            Health::Stall => "■ STALL",
            Health::Rewind => "↺ REWIND",
            Health::Stop => "✗ STOP",
        }
    }
    pub fn word(self) -> &'static str {
        match self {
            Health::Idle => "IDLE",
            Health::Ok => "OK",
            Health::Unknown => "UNKNOWN",
            Health::Warn => "WARN",
            Health::Stall => "STALL",
            Health::Rewind => "REWIND",
            Health::Stop => "STOP",
        }
    }
    pub fn parse(s: &str) -> Option<Health> {
        [
            Health::Idle,
            Health::Ok,
            Health::Unknown,
            Health::Warn,
            Health::Stall,
            Health::Rewind,
            Health::Stop,
        ]
        .into_iter()
        .find(|h| h.word().eq_ignore_ascii_case(s))
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
    /// None when there is no commit (not 0).
    pub lag: Option<i64>,
    /// The committed offset was above the log end and was clamped.
    pub clamped: bool,
    pub status: Option<Health>,
}

#[derive(Debug, Clone, Serialize)]
pub struct GroupTopicLag {
    pub group: String,
    pub topic: String,
    /// Registry service index, when the group is declared.
    #[serde(skip)]
    pub service: Option<usize>,
    pub declared: bool,
    pub state: Option<String>,
    pub members: Option<usize>,
    pub partitions: Vec<PartitionLag>,
    pub total_lag: Option<i64>,
    pub max_lag: Option<i64>,
    /// Seconds behind the head, from the watermark history.
    pub time_lag_s: Option<f64>,
    /// The time lag was extrapolated beyond the history.
    pub time_lag_approx: bool,
    /// Messages per second committed.
    pub consume_rate: Option<f64>,
    pub status: Health,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct TopicLive {
    /// Messages per second produced (from high watermark deltas).
    pub produce_rate: Option<f64>,
    pub total_lag: Option<i64>,
    pub worst: Option<Health>,
    pub partitions: usize,
    /// Recent produce rates and total lags, oldest first, for sparklines.
    pub rate_history: Vec<u64>,
    pub lag_history: Vec<u64>,
    /// The topic exists on the cluster.
    pub on_cluster: bool,
}

/// The whole live picture at one moment.
#[derive(Debug, Clone, Default, Serialize)]
pub struct LiveView {
    /// "demo cluster" or the bootstrap servers.
    pub source: String,
    /// Seconds since the last good sample, as of the UI's last tick.
    pub age_s: Option<f64>,
    pub sample_ms: Option<u64>,
    /// Values are older than three intervals.
    pub stale: bool,
    pub errors: Vec<String>,
    pub topics: HashMap<String, TopicLive>,
    pub groups: Vec<GroupTopicLag>,
}

impl LiveView {
    /// Worst status over a service's consumer groups.
    pub fn service_worst(&self, service: usize) -> Option<Health> {
        self.groups
            .iter()
            .filter(|g| g.service == Some(service))
            .map(|g| g.status)
            .max()
    }
    /// Group row for a service consuming a topic.
    pub fn group_for(&self, service: usize, topic: &str) -> Option<&GroupTopicLag> {
        self.groups
            .iter()
            .find(|g| g.service == Some(service) && g.topic == topic)
    }
}

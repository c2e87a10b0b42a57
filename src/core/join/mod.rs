//! The registry joined with a live sample, in one pure function for the TUI and the
//! CLI alike: drift (facts, findings, observed links), who serves stale data, each
//! service's groups and worst status, the one lag order and each topic's messages in
//! order. It runs when a sample arrives and when the registry is reloaded (the links
//! and indices name the registry's services and topics by id, so a reload must
//! recompute them before anything is drawn), never per frame.

pub mod links;

use crate::core::drift::{facts::Facts, rules, Finding, Report};
use crate::core::live::view::{GroupIndex, GroupTopicLag, LiveView};
use crate::core::registry::{PerService, PerTopic, Registry, ServiceId, TopicId};
use crate::core::sample::Tails;
use crate::core::stale::Staleness;
use crate::core::topology::Topology;
use std::cmp::Ordering;
use std::sync::Arc;

/// What the join needs besides the registry and the sample.
#[derive(Debug, Clone, Default)]
pub struct Setting {
    /// Environment whose replication factor is expected (`--env`; the demo cluster
    /// stands for a development one).
    pub environment: String,
    /// True when the user chose it; drift says when it is the default.
    pub environment_chosen: bool,
    /// Good samples so far (drift's windowed facts need two or more).
    pub samples: u32,
    /// Now, as ms since 1970-01-01 UTC.
    pub now_ms: i64,
}

/// Drift as the views show it: the facts (the deprecated view's migration column) and
/// the findings.
pub struct Drift {
    pub facts: Facts,
    pub report: Report,
    /// When it was computed (ms since the epoch): "last written 3 h ago" is relative
    /// to this, so drawing stays a function of the state.
    pub at_ms: i64,
    /// Findings from the sampled messages with the tails they were checked on: kept
    /// while the tails are the same (they arrive once a minute; checking them on every
    /// sample would load the UI thread), for the same registry only.
    pub observed: Option<(Tails, Vec<Finding>)>,
    /// Writers and readers the registry does not declare, sorted by topic.
    pub links: Vec<links::Link>,
    /// Findings per registry topic and per registry service (the list views' badges).
    pub on_topic: PerTopic<usize>,
    pub on_service: PerService<usize>,
}

impl std::fmt::Debug for Joined {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Joined")
            .field("findings", &self.drift.as_ref().map(|d| d.report.findings.len()))
            .field("stale", &self.stale.as_ref().map(|s| s.stale.len()))
            .field("lag_rows", &self.lag.len())
            .finish_non_exhaustive()
    }
}

impl Joined {
    /// The message findings to hand to the next join on the same registry.
    pub fn observed(&self) -> Option<Observed> {
        self.drift.as_ref()?.observed.clone()
    }
}

impl Drift {
    /// The observed links on one topic.
    pub fn links_on(&self, topic: TopicId) -> &[links::Link] {
        let from = self.links.partition_point(|l| l.topic < topic);
        let to = self.links.partition_point(|l| l.topic <= topic);
        &self.links[from..to]
    }
}

/// Everything derived from one registry and one sample.
#[derive(Default)]
pub struct Joined {
    /// None until a sample succeeded: a cluster never reached has no topics, not
    /// missing ones.
    pub drift: Option<Drift>,
    pub stale: Option<Staleness>,
    /// Each service's group on each topic, and its worst status.
    pub groups: GroupIndex,
    /// Indices into the sample's groups, worst first (`lag_order`).
    pub lag: Vec<usize>,
    /// Per registry topic, indices into its sampled messages, newest first.
    pub messages: PerTopic<Vec<usize>>,
}

/// The one order of lag rows, for `:lag`, `ktopo lag` and every gate's message: worst
/// status first, unreadable rows before readable ones, most behind first, then by name.
pub fn worst_first(a: &GroupTopicLag, b: &GroupTopicLag) -> Ordering {
    b.status
        .cmp(&a.status)
        .then(b.error.is_some().cmp(&a.error.is_some()))
        .then(b.total_lag.cmp(&a.total_lag))
        .then(a.group.cmp(&b.group))
        .then(a.topic.cmp(&b.topic))
}

/// Findings from sampled messages with the tails they were checked on.
pub type Observed = (Tails, Vec<Finding>);

/// Drift alone, for `ktopo drift`: what the TUI's `:drift` shows for the same sample.
/// `seen`: the message findings of an earlier join on the same registry, reused while
/// the tails are the same ones.
pub fn drift(reg: &Registry, live: &LiveView, setting: &Setting, seen: Option<Observed>) -> Drift {
    let facts = Facts::from_live(live, setting.samples);
    let opts = rules::Options {
        environment: setting.environment.clone(),
        environment_chosen: setting.environment_chosen,
        now_ms: setting.now_ms,
    };
    let mut report = rules::compute(reg, &facts, &opts);
    let observed = live.tails.as_ref().map(|tails| match seen {
        Some((seen, found)) if Arc::ptr_eq(&seen, tails) => (seen, found),
        _ => (tails.clone(), rules::observed(reg, tails)),
    });
    if let Some((_, found)) = &observed {
        report.merge(found);
    }
    let links = links::links(reg, &facts, &report);
    let (mut on_topic, mut on_service) = (reg.per_topic(0), reg.per_service(0));
    for f in &report.findings {
        if let Some(t) = f.topic.as_deref().and_then(|t| reg.topic_index(t)) {
            on_topic[t] += 1;
        }
        let services: std::collections::BTreeSet<ServiceId> =
            f.services.iter().filter_map(|k| reg.service_by_key(k)).collect();
        for s in services {
            on_service[s] += 1;
        }
    }
    Drift {
        facts,
        report,
        at_ms: setting.now_ms,
        observed,
        links,
        on_topic,
        on_service,
    }
}

/// Join a registry with the latest sample. `seen`: the previous join's message
/// findings on the same registry (`Joined::observed`), None after a reload.
pub fn join(
    reg: &Registry,
    topo: &Topology,
    live: Option<&LiveView>,
    setting: &Setting,
    seen: Option<Observed>,
) -> Joined {
    let Some(live) = live else { return Joined::default() };
    let sampled = live.sampled();
    let drift = sampled.then(|| drift(reg, live, setting, seen));
    let stale = sampled.then(|| crate::core::stale::propagate(reg, topo, live, crate::core::stale::DEFAULT_MIN_S));
    let mut lag: Vec<usize> = (0..live.groups.len()).collect();
    lag.sort_by(|&a, &b| worst_first(&live.groups[a], &live.groups[b]));
    let mut messages = reg.per_topic(Vec::new());
    for (name, msgs) in live.tails.iter().flat_map(|t| t.iter()) {
        let Some(t) = reg.topic_index(name) else { continue };
        let mut order: Vec<usize> = (0..msgs.len()).collect();
        order.sort_by(|&a, &b| {
            let (a, b) = (&msgs[a], &msgs[b]);
            b.timestamp_ms
                .cmp(&a.timestamp_ms)
                .then(b.offset.cmp(&a.offset))
                .then(a.partition.cmp(&b.partition))
        });
        messages[t] = order;
    }
    Joined {
        drift,
        stale,
        groups: GroupIndex::new(live, reg),
        lag,
        messages,
    }
}

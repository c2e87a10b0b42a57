//! Every metric family of a scrape, in the order the README lists them.

use super::{label_value, Scrape};
use crate::core::live::view::{Drain, GroupTopicLag, Health};
use prometheus_client::encoding::{DescriptorEncoder, EncodeGaugeValue, EncodeLabelSet, MetricEncoder};
use prometheus_client::metrics::MetricType;
use prometheus_client::registry::Unit;
use std::borrow::Cow;
use std::fmt::Result;

type Labels<'a, const N: usize> = [(&'static str, Cow<'a, str>); N];

fn row_labels(g: &GroupTopicLag) -> Labels<'_, 2> {
    [("group", label_value(&g.group)), ("topic", label_value(&g.topic))]
}

fn sample<L: EncodeLabelSet, V: EncodeGaugeValue>(m: &mut MetricEncoder, labels: &L, v: V) -> Result {
    m.encode_family(labels)?.encode_gauge(&v)
}

/// A gauge family with one series per group × topic row that has a value.
fn per_row<V: EncodeGaugeValue>(
    enc: &mut DescriptorEncoder,
    s: &Scrape,
    (name, unit, help): (&str, Option<Unit>, &str),
    value: impl Fn(&GroupTopicLag) -> Option<V>,
) -> Result {
    let mut m = enc.encode_descriptor(name, help, unit.as_ref(), MetricType::Gauge)?;
    for g in &s.view.groups {
        if let Some(v) = value(g) {
            sample(&mut m, &row_labels(g), v)?;
        }
    }
    Ok(())
}

fn single<V: EncodeGaugeValue>(
    enc: &mut DescriptorEncoder,
    name: &str,
    unit: Option<Unit>,
    help: &str,
    v: V,
) -> Result {
    enc.encode_descriptor(name, help, unit.as_ref(), MetricType::Gauge)?
        .encode_gauge(&v)
}

fn counter(enc: &mut DescriptorEncoder, name: &str, help: &str, v: u64) -> Result {
    enc.encode_descriptor(name, help, None, MetricType::Counter)?
        .encode_counter::<prometheus_client::encoding::NoLabelSet, _, u64>(&v, None)
}

fn messages() -> Option<Unit> {
    Some(Unit::Other("messages".into()))
}

/// The numeric status: its rank from best to worst (README "Status values").
pub fn status_number(h: Health) -> i64 {
    Health::ALL.iter().position(|x| *x == h).unwrap_or(0) as i64
}

pub(super) fn encode(s: &Scrape, enc: &mut DescriptorEncoder) -> Result {
    let secs = |ms: i64| ms as f64 / 1000.0;
    per_row(
        enc,
        s,
        (
            "ktopo_group_lag",
            messages(),
            "Messages the group has yet to read on the topic, summed over partitions",
        ),
        |g| g.total_lag,
    )?;
    per_row(
        enc,
        s,
        (
            "ktopo_group_lag",
            Some(Unit::Seconds),
            "How far behind the head the group reads, in seconds",
        ),
        |g| g.time_lag_s,
    )?;
    per_row(
        enc,
        s,
        (
            "ktopo_group_status",
            None,
            "Status rank, best to worst: 0 IDLE, 1 OK, 2 UNKNOWN, 3 WARN, 4 NOCOMMIT, 5 STALL, 6 REWIND, 7 MISSING, 8 STOP, 9 LOST",
        ),
        |g| Some(status_number(g.status)),
    )?;
    {
        let mut m = enc.encode_descriptor(
            "ktopo_group_status_state",
            "The status as a state set: 1 for the group's status, 0 for the others",
            None,
            MetricType::Gauge,
        )?;
        for g in &s.view.groups {
            let [group, topic] = row_labels(g);
            for h in Health::ALL {
                let labels = [group.clone(), topic.clone(), ("status", Cow::Borrowed(h.word()))];
                sample(&mut m, &labels, i64::from(g.status == h))?;
            }
        }
    }
    per_row(
        enc,
        s,
        (
            "ktopo_group_status_since_timestamp",
            Some(Unit::Seconds),
            "When the group entered its status (Unix time)",
        ),
        |g| g.status_since_ms.map(secs),
    )?;
    per_row(
        enc,
        s,
        (
            "ktopo_group_consume_rate",
            Some(Unit::Other("messages_per_second".into())),
            "Messages per second the group commits",
        ),
        |g| g.consume_rate,
    )?;
    per_row(
        enc,
        s,
        (
            "ktopo_group_drain",
            Some(Unit::Seconds),
            "Seconds until the lag is read at the current rates (0 no lag; absent when it will not drain)",
        ),
        |g| match g.drain {
            Some(Drain::Done) => Some(0.0),
            Some(Drain::Eta(s)) => Some(s),
            Some(Drain::Never) | None => None,
        },
    )?;
    per_row(
        enc,
        s,
        (
            "ktopo_group_retained",
            Some(Unit::Other("ratio".into())),
            "Share of the retained log the lag covers (1: a whole log behind)",
        ),
        |g| g.retained_share,
    )?;
    per_row(
        enc,
        s,
        (
            "ktopo_group_lost",
            messages(),
            "Messages deleted by retention before the group read them",
        ),
        |g| g.lost,
    )?;
    per_row(
        enc,
        s,
        (
            "ktopo_group_members",
            None,
            "Members of the group, where the cluster describes groups",
        ),
        |g| g.members.map(|m| m as i64),
    )?;
    per_row(
        enc,
        s,
        (
            "ktopo_group_log_end_offset",
            None,
            "Log end offsets of the topic's partitions, summed (moves as the topic is written)",
        ),
        |g| sum(g, |p| p.log_end),
    )?;
    per_row(
        enc,
        s,
        (
            "ktopo_group_committed_offset",
            None,
            "Committed offsets of the group on the topic, summed over the partitions it committed",
        ),
        |g| sum(g, |p| p.committed),
    )?;
    info(s, enc)?;
    declared(s, enc)?;
    if s.partitions {
        partitions(s, enc)?;
    }
    drift(s, enc)?;
    sampler(s, enc)
}

fn text(v: Option<&String>) -> Cow<'_, str> {
    label_value(v.map_or("", String::as_str))
}

fn sum(g: &GroupTopicLag, f: impl Fn(&crate::core::live::view::PartitionLag) -> Option<i64>) -> Option<i64> {
    let mut it = g.partitions.iter().filter_map(f).peekable();
    it.peek()?;
    Some(it.sum())
}

/// `ktopo_group_info`: one series per group with its registry service, owner, on-call
/// and domain, for `* on(cluster, group) group_left(owner, oncall) ktopo_group_info`.
fn info(s: &Scrape, enc: &mut DescriptorEncoder) -> Result {
    let mut m = enc.encode_descriptor(
        "ktopo_group",
        "A consumer group and the registry service that owns it (declared: the registry names it)",
        None,
        MetricType::Info,
    )?;
    // Declared on any topic makes the group declared: one pass, not one per group.
    let mut declared_on_any: std::collections::HashMap<&str, bool> = std::collections::HashMap::new();
    for g in &s.view.groups {
        *declared_on_any.entry(g.group.as_str()).or_default() |= g.declared;
    }
    let mut seen = std::collections::HashSet::new();
    for g in &s.view.groups {
        if !seen.insert(g.group.as_str()) {
            continue;
        }
        let declared = declared_on_any.get(g.group.as_str()).copied().unwrap_or(false);
        let service = g.service.as_deref().and_then(|k| s.registry.service_by_key(k));
        let service = service.map(|i| &s.registry.services[i]);
        let labels: Labels<'_, 6> = [
            ("group", label_value(&g.group)),
            ("service", label_value(g.service.as_deref().unwrap_or(""))),
            ("owner", text(service.and_then(|s| s.owner.as_ref()))),
            ("oncall", text(service.and_then(|s| s.oncall.as_ref()))),
            ("domain", text(service.and_then(|s| s.domain.as_ref()))),
            ("declared", Cow::Borrowed(if declared { "true" } else { "false" })),
        ];
        m.encode_info(&labels)?;
    }
    Ok(())
}

/// `ktopo_declared_consumer_exists`: 1 when a declared group has members or a commit on
/// its topic, 0 when the live rules call it MISSING; no series while undecided (too
/// early, or the group could not be read).
fn declared(s: &Scrape, enc: &mut DescriptorEncoder) -> Result {
    let mut m = enc.encode_descriptor(
        "ktopo_declared_consumer_exists",
        "A consumer the registry declares: 1 it exists on the cluster, 0 it is MISSING",
        None,
        MetricType::Gauge,
    )?;
    for g in s.view.groups.iter().filter(|g| g.declared && g.error.is_none()) {
        let exists = if g.status == Health::Missing {
            0
        } else if g.members.is_some_and(|m| m > 0) || g.partitions.iter().any(|p| p.committed.is_some()) {
            1
        } else {
            continue;
        };
        let [group, topic] = row_labels(g);
        let labels = [
            group,
            topic,
            ("service", label_value(g.service.as_deref().unwrap_or(""))),
        ];
        sample(&mut m, &labels, exists)?;
    }
    Ok(())
}

/// Per-partition series, behind `--partitions` (thousands of groups make them many).
fn partitions(s: &Scrape, enc: &mut DescriptorEncoder) -> Result {
    type Of = fn(&crate::core::live::view::PartitionLag) -> Option<i64>;
    let each: [(&str, Option<Unit>, &str, Of); 3] = [
        (
            "ktopo_partition_lag",
            messages(),
            "Messages the group has yet to read on the partition",
            |p| p.lag,
        ),
        (
            "ktopo_partition_committed_offset",
            None,
            "The group's committed offset on the partition",
            |p| p.committed,
        ),
        (
            "ktopo_partition_lost",
            messages(),
            "Messages deleted before the group read them",
            |p| p.lost,
        ),
    ];
    for (name, unit, help, of) in each {
        let mut m = enc.encode_descriptor(name, help, unit.as_ref(), MetricType::Gauge)?;
        for g in &s.view.groups {
            let [group, topic] = row_labels(g);
            for p in &g.partitions {
                let Some(v) = of(p) else { continue };
                let labels = [
                    group.clone(),
                    topic.clone(),
                    ("partition", Cow::Owned(p.partition.to_string())),
                ];
                sample(&mut m, &labels, v)?;
            }
        }
    }
    // Offsets of the topic's partitions, once per partition whoever reads it.
    let each: [(&str, &str, Of); 2] = [
        (
            "ktopo_partition_log_end_offset",
            "The partition's log end offset",
            |p| p.log_end,
        ),
        (
            "ktopo_partition_log_start_offset",
            "The partition's earliest retained offset",
            |p| p.log_start,
        ),
    ];
    for (name, help, of) in each {
        let mut m = enc.encode_descriptor(name, help, None, MetricType::Gauge)?;
        let mut seen = std::collections::HashSet::new();
        for g in &s.view.groups {
            for p in &g.partitions {
                let Some(v) = of(p) else { continue };
                if !seen.insert((g.topic.as_str(), p.partition)) {
                    continue;
                }
                let labels = [
                    ("topic", label_value(&g.topic)),
                    ("partition", Cow::Owned(p.partition.to_string())),
                ];
                sample(&mut m, &labels, v)?;
            }
        }
    }
    Ok(())
}

fn drift(s: &Scrape, enc: &mut DescriptorEncoder) -> Result {
    let mut m = enc.encode_descriptor(
        "ktopo_drift_findings",
        "Where the registry and the cluster disagree: findings by kind and severity",
        None,
        MetricType::Gauge,
    )?;
    for f in s.findings.iter().flatten() {
        let severity = match f.severity {
            crate::core::diag::Severity::Error => "error",
            crate::core::diag::Severity::Warning => "warning",
            crate::core::diag::Severity::Note => "note",
        };
        let labels = [("kind", Cow::Borrowed(f.kind)), ("severity", Cow::Borrowed(severity))];
        sample(&mut m, &labels, f.count as i64)?;
    }
    Ok(())
}

fn sampler(s: &Scrape, enc: &mut DescriptorEncoder) -> Result {
    let h = &s.sampler;
    single(
        enc,
        "ktopo_sampler_up",
        None,
        "1 when the last round read the cluster, else 0",
        i64::from(h.up),
    )?;
    if let Some(ms) = h.last_success_ms {
        single(
            enc,
            "ktopo_sampler_last_success_timestamp",
            Some(Unit::Seconds),
            "When a round last read the cluster (Unix time)",
            ms as f64 / 1000.0,
        )?;
    }
    if let Some(ms) = s.view.sample_ms {
        single(
            enc,
            "ktopo_sampler_duration",
            Some(Unit::Seconds),
            "How long the last good round took",
            ms as f64 / 1000.0,
        )?;
    }
    single(
        enc,
        "ktopo_sampler_interval",
        Some(Unit::Seconds),
        "Seconds between rounds",
        h.interval_s,
    )?;
    counter(enc, "ktopo_sampler_rounds", "Sampling rounds since start", h.rounds)?;
    counter(
        enc,
        "ktopo_sampler_errors",
        "Rounds that could not read the cluster",
        h.errors,
    )?;
    let groups: std::collections::HashSet<&str> = s.view.groups.iter().map(|g| g.group.as_str()).collect();
    single(
        enc,
        "ktopo_sampler_groups",
        None,
        "Consumer groups watched",
        groups.len() as i64,
    )?;
    let partitions: usize = s
        .view
        .topics
        .values()
        .filter(|t| t.on_cluster)
        .map(|t| t.partitions)
        .sum();
    single(
        enc,
        "ktopo_sampler_partitions",
        None,
        "Partitions of the watched topics on the cluster",
        partitions as i64,
    )?;
    let labels = [("version", Cow::Borrowed(env!("CARGO_PKG_VERSION")))];
    enc.encode_descriptor("ktopo_build", "The ktopo serving these metrics", None, MetricType::Info)?
        .encode_info(&labels)
}

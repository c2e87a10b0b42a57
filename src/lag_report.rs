//! `ktopo lag`: the live picture as a table (like kafka-consumer-groups.sh --describe
//! for every watched group) or JSON, with filters and a failure threshold for scripts.

use crate::live::view::{GroupTopicLag, Health, LiveView};
use crate::registry::pattern::Pattern;
use serde::Serialize;
use std::fmt::Write;

/// `--fail-on`: a status (WARN, STOP...) or a lag in messages.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FailOn {
    Status(Health),
    Lag(i64),
}

impl std::str::FromStr for FailOn {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        if let Ok(n) = s.parse::<i64>() {
            return Ok(FailOn::Lag(n));
        }
        Health::parse(s).map(FailOn::Status).ok_or_else(|| {
            format!("`{s}` is neither a lag (a number) nor a status (OK, IDLE, WARN, STALL, REWIND, STOP)")
        })
    }
}

impl FailOn {
    pub fn tripped_by(&self, g: &GroupTopicLag) -> bool {
        match *self {
            FailOn::Status(s) => g.status >= s && g.status != Health::Unknown,
            FailOn::Lag(n) => g.total_lag.is_some_and(|l| l > n),
        }
    }
}

/// `--group` / `--topic`: globs (`*`, `?`) or `re:REGEX`, checked before anything runs.
pub struct Filters {
    group: Option<(String, Pattern)>,
    topic: Option<(String, Pattern)>,
}

impl Filters {
    pub fn new(group: Option<&str>, topic: Option<&str>) -> Result<Filters, String> {
        let parse = |flag: &str, p: Option<&str>| -> Result<Option<(String, Pattern)>, String> {
            p.map(|p| {
                Pattern::parse(p).map(|re| (p.to_string(), re)).map_err(|e| {
                    format!("{flag} `{p}` is not a valid pattern: {e} (use a glob such as `billing_*`, or re:REGEX)")
                })
            })
            .transpose()
        };
        Ok(Filters {
            group: parse("--group", group)?,
            topic: parse("--topic", topic)?,
        })
    }

    pub fn any(&self) -> bool {
        self.group.is_some() || self.topic.is_some()
    }

    /// What the filters are, for "nothing matches" messages.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some((g, _)) = &self.group {
            parts.push(format!("--group {g}"));
        }
        if let Some((t, _)) = &self.topic {
            parts.push(format!("--topic {t}"));
        }
        parts.join(" ")
    }

    /// Rows matching the filters, worst first.
    pub fn select<'a>(&self, view: &'a LiveView) -> Vec<&'a GroupTopicLag> {
        let ok = |f: &Option<(String, Pattern)>, v: &str| f.as_ref().is_none_or(|(_, p)| p.matches(v));
        let mut rows: Vec<_> = view
            .groups
            .iter()
            .filter(|g| ok(&self.group, &g.group) && ok(&self.topic, &g.topic))
            .collect();
        rows.sort_by(|a, b| {
            b.status
                .cmp(&a.status)
                .then(b.error.is_some().cmp(&a.error.is_some()))
                .then(b.total_lag.cmp(&a.total_lag))
                .then(a.group.cmp(&b.group))
                .then(a.topic.cmp(&b.topic))
        });
        rows
    }
}

/// Exit status for `--fail-on`: 1 when a row trips it, when a group could not be read
/// (unknown is not healthy), or when the filters match nothing (a gate must not pass by
/// accident); the reason goes to stderr.
pub fn gate(fail_on: Option<FailOn>, rows: &[&GroupTopicLag], filters: &Filters) -> i32 {
    let Some(f) = fail_on else { return 0 };
    if rows.is_empty() {
        let what = if filters.any() {
            format!(" matching {}", filters.describe())
        } else {
            String::new()
        };
        eprintln!("--fail-on: no consumer group{what}: nothing was checked");
        return 1;
    }
    let unread: Vec<_> = rows.iter().filter(|g| g.error.is_some()).collect();
    for g in &unread {
        eprintln!(
            "--fail-on: group {} could not be read: {}",
            g.group,
            g.error.as_deref().unwrap_or("")
        );
    }
    i32::from(!unread.is_empty() || rows.iter().any(|g| f.tripped_by(g)))
}

/// A service key's owner team and on-call contact, when the registry names them.
pub type OwnerOf<'a> = dyn Fn(&str) -> Option<(String, Option<String>)> + 'a;

/// For a tripped gate: whom to call, one line per owner team with its tripping groups
/// (`owner_of` maps a service key to its owner and on-call, from the registry).
pub fn who_to_call(fail_on: Option<FailOn>, rows: &[&GroupTopicLag], owner_of: &OwnerOf) -> Vec<String> {
    let Some(f) = fail_on else { return Vec::new() };
    let mut by: std::collections::BTreeMap<(String, String), Vec<String>> = std::collections::BTreeMap::new();
    for g in rows.iter().filter(|g| f.tripped_by(g)) {
        let (owner, oncall) = g
            .service
            .as_deref()
            .and_then(owner_of)
            .map_or(("(no owner declared)".to_string(), None), |(o, c)| (o, c));
        let call = oncall.map(|c| format!(" (on-call {c})")).unwrap_or_default();
        by.entry((owner, call))
            .or_default()
            .push(format!("{} on {} {}", g.group, g.topic, g.status.word()));
    }
    by.into_iter()
        .map(|((owner, call), groups)| format!("--fail-on: call {owner}{call}: {}", groups.join(", ")))
        .collect()
}

fn dash<T: ToString>(v: Option<T>) -> String {
    v.map_or("-".into(), |x| x.to_string())
}

/// The notes after a group's TOTAL line: what is unusual about it.
fn flags(g: &GroupTopicLag) -> String {
    let mut f = Vec::new();
    if !g.declared {
        f.push("undeclared".to_string());
    }
    if g.topic_absent {
        f.push("topic absent from the cluster".to_string());
    }
    if g.unassigned {
        f.push("members but none assigned this topic".to_string());
    }
    if g.partial {
        f.push("partial: some partitions have no log end".to_string());
    }
    if let Some(l) = g.lost {
        f.push(format!("{l} messages deleted by retention before being read"));
    }
    if let Some(e) = &g.error {
        f.push(format!("error: {e}"));
    }
    if f.is_empty() {
        String::new()
    } else {
        format!("  ({})", f.join("; "))
    }
}

pub fn text(view: &LiveView, rows: &[&GroupTopicLag], filters: &Filters) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "{:<44} {:<28} {:>9} {:>14} {:>14} {:>8} {:<24} {:<16} {:<20} {:>9} {:>8} {:>8} {:>8} STATUS",
        "GROUP",
        "TOPIC",
        "PARTITION",
        "CURRENT-OFFSET",
        "LOG-END-OFFSET",
        "LAG",
        "CONSUMER-ID",
        "HOST",
        "CLIENT-ID",
        "TIME-LAG",
        "RATE",
        "DRAIN",
        "RETAINED"
    );
    for g in rows {
        for p in &g.partitions {
            let lag = match (p.lag, p.clamped) {
                (Some(l), true) => format!("{l}!"),
                (l, _) => dash(l),
            };
            let m = p.owner.and_then(|i| g.member_list.get(i));
            let _ = writeln!(
                o,
                "{:<44} {:<28} {:>9} {:>14} {:>14} {:>8} {:<24} {:<16} {:<20} {:>9} {:>8} {:>8} {:>8} {}",
                g.group,
                g.topic,
                p.partition,
                dash(p.committed),
                dash(p.log_end),
                lag,
                m.map_or("-", |m| m.consumer_id.as_str()),
                m.map_or("-", |m| m.host.as_str()),
                m.map_or("-", |m| m.client_id.as_str()),
                "",
                "",
                "",
                "",
                p.status.map_or("-", Health::word)
            );
        }
        let time = g
            .time_lag_s
            .map(|t| format!("{}{t:.1}s", if g.time_lag_approx { "~" } else { "" }))
            .unwrap_or("-".into());
        let members = g.members.map_or("-".to_string(), |n| format!("{n} members"));
        let _ = writeln!(
            o,
            "{:<44} {:<28} {:>9} {:>14} {:>14} {:>8} {:<24} {:<16} {:<20} {:>9} {:>8} {:>8} {:>8} {}{}",
            g.group,
            g.topic,
            "TOTAL",
            "",
            "",
            dash(g.total_lag),
            members,
            g.state.as_deref().unwrap_or("-"),
            g.kind.as_deref().unwrap_or("-"),
            time,
            g.consume_rate.map_or("-".into(), |r| format!("{r:.1}/s")),
            g.drain.map_or("-".into(), |d| d.label()),
            g.retained_share.map_or("-".into(), |s| format!("{:.0}%", s * 100.0)),
            g.status.word(),
            flags(g)
        );
    }
    if rows.is_empty() {
        let what = if filters.any() {
            format!(" matches {}", filters.describe())
        } else {
            " is watched".into()
        };
        let _ = writeln!(o, "no consumer group{what}");
    }
    let _ = writeln!(
        o,
        "\n{} · {} group × topic rows · sample {} ms{}{}",
        view.source,
        rows.len(),
        dash(view.sample_ms),
        if view.errors.is_empty() {
            String::new()
        } else {
            format!(" · errors: {}", view.errors.join("; "))
        },
        if view.limits.is_empty() {
            String::new()
        } else {
            format!(" · {}", view.limits.join("; "))
        }
    );
    o
}

/// One partition row of `--json`.
#[derive(Serialize)]
struct JsonPartition<'a> {
    group: &'a str,
    topic: &'a str,
    partition: i32,
    committed: Option<i64>,
    log_end: Option<i64>,
    log_start: Option<i64>,
    lag: Option<i64>,
    clamped: bool,
    lost: Option<i64>,
    status: Option<Health>,
    consumer_id: Option<&'a str>,
    host: Option<&'a str>,
    client_id: Option<&'a str>,
}

/// One group × topic row of `--json`.
#[derive(Serialize)]
struct JsonGroup<'a> {
    group: &'a str,
    topic: &'a str,
    service: Option<&'a str>,
    declared: bool,
    state: Option<&'a str>,
    kind: Option<&'a str>,
    members: Option<usize>,
    member_list: &'a [crate::live::view::Member],
    unassigned: bool,
    topic_absent: bool,
    error: Option<&'a str>,
    partial: bool,
    total_lag: Option<i64>,
    max_lag: Option<i64>,
    lost: Option<i64>,
    retained_share: Option<f64>,
    drain: Option<crate::live::view::Drain>,
    time_lag_s: Option<f64>,
    time_lag_approximate: bool,
    consume_rate: Option<f64>,
    status: Health,
    partitions: usize,
}

/// The whole `--json` document (docs/lag-json.md), borrowed from the view and
/// serialised straight to the output: no intermediate tree for thousands of rows.
#[derive(Serialize)]
pub struct JsonReport<'a> {
    source: &'a str,
    sample_ms: Option<u64>,
    errors: &'a [String],
    limits: &'a [String],
    filters: String,
    matched: usize,
    groups: Vec<JsonGroup<'a>>,
    partitions: Vec<JsonPartition<'a>>,
}

pub fn json<'a>(view: &'a LiveView, rows: &[&'a GroupTopicLag], filters: &Filters) -> JsonReport<'a> {
    let partitions = rows
        .iter()
        .flat_map(|g| {
            g.partitions.iter().map(move |p| {
                let m = p.owner.and_then(|i| g.member_list.get(i));
                JsonPartition {
                    group: &g.group,
                    topic: &g.topic,
                    partition: p.partition,
                    committed: p.committed,
                    log_end: p.log_end,
                    log_start: p.log_start,
                    lag: p.lag,
                    clamped: p.clamped,
                    lost: p.lost,
                    status: p.status,
                    consumer_id: m.map(|m| m.consumer_id.as_str()),
                    host: m.map(|m| m.host.as_str()),
                    client_id: m.map(|m| m.client_id.as_str()),
                }
            })
        })
        .collect();
    let groups = rows
        .iter()
        .map(|g| JsonGroup {
            group: &g.group,
            topic: &g.topic,
            service: g.service.as_deref(),
            declared: g.declared,
            state: g.state.as_deref(),
            kind: g.kind.as_deref(),
            members: g.members,
            member_list: &g.member_list,
            unassigned: g.unassigned,
            topic_absent: g.topic_absent,
            error: g.error.as_deref(),
            partial: g.partial,
            total_lag: g.total_lag,
            max_lag: g.max_lag,
            lost: g.lost,
            retained_share: g.retained_share,
            drain: g.drain,
            time_lag_s: g.time_lag_s,
            time_lag_approximate: g.time_lag_approx,
            consume_rate: g.consume_rate,
            status: g.status,
            partitions: g.partitions.len(),
        })
        .collect();
    JsonReport {
        source: &view.source,
        sample_ms: view.sample_ms,
        errors: &view.errors,
        limits: &view.limits,
        filters: filters.describe(),
        matched: rows.len(),
        groups,
        partitions,
    }
}

//! `ktopo lag`: the live picture as a table (like kafka-consumer-groups.sh --describe
//! for every watched group) or JSON, with filters and a failure threshold for scripts.

use crate::core::live::view::{GroupTopicLag, Health, LiveView};
use crate::core::registry::pattern::{InvalidPattern, Pattern};
use serde::Serialize;
use std::fmt::Write;

/// `--fail-on`: a status (WARN, STOP...) or a lag in messages.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FailOn {
    Status(Health),
    Lag(i64),
}

/// The statuses `--fail-on` takes, best to worst (UNKNOWN is no threshold: a group not
/// yet evaluated always fails a gate once `--max-wait` has passed).
pub fn fail_on_words() -> String {
    Health::ALL
        .iter()
        .filter(|h| **h != Health::Unknown)
        .map(|h| h.word())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Why a `--fail-on` value is no threshold.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum NotAThreshold {
    #[error("`{text}`: a lag threshold is a number of messages, 0 or more")]
    NegativeLag { text: String },
    #[error(
        "`{text}` is not a threshold: a group not yet evaluated always fails the gate once --max-wait has passed; \
         use a status ({}) or a lag",
        fail_on_words()
    )]
    Unknown { text: String },
    #[error("`{text}` is neither a lag (a number) nor a status ({})", fail_on_words())]
    Neither { text: String },
}

impl std::str::FromStr for FailOn {
    type Err = NotAThreshold;
    fn from_str(s: &str) -> Result<Self, NotAThreshold> {
        let text = s.to_string();
        if let Ok(n) = s.parse::<i64>() {
            if n < 0 {
                return Err(NotAThreshold::NegativeLag { text });
            }
            return Ok(FailOn::Lag(n));
        }
        match Health::parse(s) {
            Some(Health::Unknown) => Err(NotAThreshold::Unknown { text }),
            Some(h) => Ok(FailOn::Status(h)),
            None => Err(NotAThreshold::Neither { text }),
        }
    }
}

impl FailOn {
    pub fn tripped_by(&self, g: &GroupTopicLag) -> bool {
        match *self {
            // Order alone would put UNKNOWN above OK: unevaluated rows are the gate's own case.
            FailOn::Status(s) => g.status >= s && g.status != Health::Unknown,
            // Not the saw-tooth between commits: a healthy consumer committing every 30 s
            // climbs it every cadence (see GroupTopicLag::settled_lag).
            FailOn::Lag(n) => g
                .settled_lag
                .or(g.total_lag.filter(|_| g.status != Health::Unknown))
                .is_some_and(|l| l > n),
        }
    }
}

/// A row the gate cannot call fine: unreadable, partly unreadable, or not evaluated.
pub fn unverified(g: &GroupTopicLag) -> Option<String> {
    if let Some(e) = &g.error {
        return Some(format!("could not be read: {e}"));
    }
    if g.partial {
        return Some("partial: the log end of some partitions could not be read".into());
    }
    if g.status == Health::NoCommit && g.partitions.iter().any(|p| p.committed.is_some()) {
        return Some(format!("partly read: {}; its lag there is unknown", g.reason));
    }
    (g.status == Health::Unknown).then(|| {
        format!(
            "not yet evaluated: {} (a consumer that commits less often than --max-wait allows needs a longer --max-wait)",
            g.reason
        )
    })
}

/// `--group` / `--topic`: globs (`*`, `?`) or `re:REGEX`, checked before anything runs.
pub struct Filters {
    group: Option<(String, Pattern)>,
    topic: Option<(String, Pattern)>,
}

/// A `--group` or `--topic` pattern that does not compile.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{flag} `{pattern}` is not a valid pattern: {reason} (use a glob such as `billing_*`, or re:REGEX)")]
pub struct InvalidFilter {
    pub flag: &'static str,
    pub pattern: String,
    pub reason: InvalidPattern,
}

impl Filters {
    pub fn new(group: Option<&str>, topic: Option<&str>) -> Result<Filters, InvalidFilter> {
        let parse = |flag: &'static str, p: Option<&str>| -> Result<Option<(String, Pattern)>, InvalidFilter> {
            p.map(|p| {
                Pattern::parse(p)
                    .map(|re| (p.to_string(), re))
                    .map_err(|reason| InvalidFilter {
                        flag,
                        pattern: p.to_string(),
                        reason,
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
        rows.sort_by(|a, b| crate::core::join::worst_first(a, b));
        rows
    }
}

/// Every row has a verdict the gate can use (or was unreadable, which fails it anyway).
pub fn all_evaluated(rows: &[&GroupTopicLag]) -> bool {
    rows.iter().all(|g| g.error.is_some() || g.status != Health::Unknown)
}

/// The `--fail-on` gate: `Some(lines)` when it trips (a row at the threshold, a group
/// that could not be read or only partly, a group not evaluated when `final_` is set,
/// or filters that match nothing: a gate never passes by accident), with one line per
/// reason for stderr; None when it passes.
pub fn gate(fail_on: Option<FailOn>, rows: &[&GroupTopicLag], filters: &Filters, final_: bool) -> Option<Vec<String>> {
    let f = fail_on?;
    if rows.is_empty() {
        let what = if filters.any() {
            format!(" matching {}", filters.describe())
        } else {
            String::new()
        };
        return Some(vec![format!("--fail-on: no consumer group{what}: nothing was checked")]);
    }
    let lines: Vec<String> = rows.iter().filter_map(|g| trip(f, g, final_)).collect();
    (!lines.is_empty()).then_some(lines)
}

/// Why one row trips the gate, as a line for stderr; None when it passes. Rows not yet
/// evaluated trip only when `final_` (a watch waits for them until --max-wait).
fn trip(f: FailOn, g: &GroupTopicLag, final_: bool) -> Option<String> {
    match unverified(g) {
        Some(why) if final_ || g.status != Health::Unknown || g.error.is_some() => Some(format!(
            "--fail-on: group {} on {}: {}",
            line(&g.group),
            line(&g.topic),
            line(&why)
        )),
        _ if f.tripped_by(g) => Some(format!(
            "--fail-on: group {} on {} is {} for {}: {}",
            line(&g.group),
            line(&g.topic),
            match f {
                FailOn::Lag(_) => format!("{} behind", dash(g.settled_lag.or(g.total_lag))),
                FailOn::Status(_) => g.status.word().to_string(),
            },
            crate::core::live::view::short_duration(g.status_for_s),
            line(&g.reason)
        )),
        _ => None,
    }
}

/// A service key's owner team and on-call contact, when the registry names them.
pub type OwnerOf<'a> = dyn Fn(&str) -> Option<(Option<String>, Option<String>)> + 'a;

/// For a tripped gate: whom to call, one line per owner team with its tripping groups
/// (`owner_of` maps a service key to its owner and on-call, from the registry).
pub fn who_to_call(fail_on: Option<FailOn>, rows: &[&GroupTopicLag], owner_of: &OwnerOf, final_: bool) -> Vec<String> {
    let Some(f) = fail_on else { return Vec::new() };
    let mut by: std::collections::BTreeMap<(String, String), Vec<String>> = std::collections::BTreeMap::new();
    // Exactly the rows the gate tripped on.
    for g in rows.iter().filter(|g| trip(f, g, final_).is_some()) {
        let (owner, oncall) = g
            .service
            .as_deref()
            .and_then(owner_of)
            .map_or((None, None), |(o, c)| (o, c));
        let owner = owner.unwrap_or_else(|| "(no owner declared)".to_string());
        let call = oncall.map(|c| format!(" (on-call {c})")).unwrap_or_default();
        by.entry((owner, call)).or_default().push(format!(
            "{} on {} {}",
            line(&g.group),
            line(&g.topic),
            g.status.word()
        ));
    }
    by.into_iter()
        .map(|((owner, call), groups)| format!("--fail-on: call {owner}{call}: {}", groups.join(", ")))
        .collect()
}

/// A value from the cluster on one line of a report (a newline in a group id cannot
/// write a row of its own).
fn line(s: &str) -> std::borrow::Cow<'_, str> {
    crate::core::visible::one_line(s)
}

fn dash<T: ToString>(v: Option<T>) -> String {
    v.map_or("-".into(), |x| x.to_string())
}

/// Before a time lag: `≥` for a lower bound, `~` for an extrapolation.
pub fn time_mark(g: &GroupTopicLag) -> &'static str {
    if g.time_lag_at_least {
        "≥"
    } else if g.time_lag_approx {
        "~"
    } else {
        ""
    }
}

/// A status with since when: `WARN for 4m12s` (text reports and the TUI).
pub fn status_for(g: &GroupTopicLag) -> String {
    format!(
        "{} for {}",
        g.status.word(),
        crate::core::live::view::short_duration(g.status_for_s)
    )
}

/// The notes after a group's TOTAL line: what is unusual about it.
fn flags(g: &GroupTopicLag) -> String {
    let mut f = vec![g.reason.clone()];
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
        format!("  ({})", line(&f.join("; ")))
    }
}

pub fn text(view: &LiveView, rows: &[&GroupTopicLag], filters: &Filters) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "{} · {}{}",
        view.wall_ms.map_or("time unknown".into(), crate::core::live::rfc3339),
        view.source,
        if view.stale {
            format!(
                " · STALE: last good sample {} ago",
                crate::core::live::view::short_duration(view.age_s.unwrap_or(0.0))
            )
        } else {
            String::new()
        }
    );
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
                line(&g.group),
                line(&g.topic),
                p.partition,
                dash(p.committed),
                dash(p.log_end),
                lag,
                line(m.map_or("-", |m| m.consumer_id.as_str())),
                line(m.map_or("-", |m| m.host.as_str())),
                line(m.map_or("-", |m| m.client_id.as_str())),
                "",
                "",
                "",
                "",
                p.status.map_or("-", Health::word)
            );
        }
        let time = g
            .time_lag_s
            .map(|t| format!("{}{}", time_mark(g), crate::core::time::short_duration(t)))
            .unwrap_or("-".into());
        let members = g.members.map_or("-".to_string(), |n| format!("{n} members"));
        let _ = writeln!(
            o,
            "{:<44} {:<28} {:>9} {:>14} {:>14} {:>8} {:<24} {:<16} {:<20} {:>9} {:>8} {:>8} {:>8} {}{}",
            line(&g.group),
            line(&g.topic),
            "TOTAL",
            "",
            "",
            dash(g.total_lag),
            members,
            line(g.state.as_deref().unwrap_or("-")),
            line(g.kind.as_deref().unwrap_or("-")),
            time,
            g.consume_rate.map_or("-".into(), |r| format!("{r:.1}/s")),
            g.drain.map_or("-".into(), |d| d.label()),
            g.retained_share.map_or("-".into(), |s| format!("{:.0}%", s * 100.0)),
            status_for(g),
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
            format!(" · errors: {}", line(&view.errors.join("; ")))
        },
        if view.limits.is_empty() {
            String::new()
        } else {
            format!(" · {}", line(&view.limits.join("; ")))
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

/// One status change in `--json`.
#[derive(Serialize)]
struct JsonTransition<'a> {
    at: Option<String>,
    from: Health,
    to: Health,
    reason: &'a str,
}

/// One group × topic row of `--json`.
#[derive(Serialize)]
struct JsonGroup<'a> {
    group: &'a str,
    topic: &'a str,
    service: Option<&'a str>,
    owner: Option<String>,
    oncall: Option<String>,
    declared: bool,
    state: Option<&'a str>,
    kind: Option<&'a str>,
    members: Option<usize>,
    member_list: &'a [crate::core::live::view::Member],
    unassigned: bool,
    topic_absent: bool,
    error: Option<&'a str>,
    partial: bool,
    total_lag: Option<i64>,
    settled_lag: Option<i64>,
    max_lag: Option<i64>,
    lost: Option<i64>,
    retained_share: Option<f64>,
    drain: Option<crate::core::live::view::Drain>,
    time_lag_s: Option<f64>,
    time_lag_approximate: bool,
    time_lag_at_least: bool,
    consume_rate: Option<f64>,
    status: Health,
    reason: &'a str,
    status_since: Option<String>,
    status_for_s: f64,
    history: Vec<JsonTransition<'a>>,
    partitions: usize,
}

/// The whole `--json` document (docs/lag-json.md), borrowed from the view and
/// serialised straight to the output: no intermediate tree for thousands of rows.
#[derive(Serialize)]
pub struct JsonReport<'a> {
    /// When the picture was taken (RFC 3339 UTC).
    time: Option<String>,
    source: &'a str,
    /// Seconds since the last good sample; values older than three intervals are stale.
    age_s: Option<f64>,
    stale: bool,
    sample_ms: Option<u64>,
    errors: &'a [String],
    limits: &'a [String],
    filters: String,
    matched: usize,
    groups: Vec<JsonGroup<'a>>,
    partitions: Vec<JsonPartition<'a>>,
}

pub fn json<'a>(
    view: &'a LiveView,
    rows: &[&'a GroupTopicLag],
    filters: &Filters,
    owner_of: &OwnerOf,
) -> JsonReport<'a> {
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
        .map(|g| {
            let (owner, oncall) = g.service.as_deref().and_then(owner_of).unwrap_or((None, None));
            JsonGroup {
                group: &g.group,
                topic: &g.topic,
                service: g.service.as_deref(),
                owner,
                oncall,
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
                settled_lag: g.settled_lag,
                max_lag: g.max_lag,
                lost: g.lost,
                retained_share: g.retained_share,
                drain: g.drain,
                time_lag_s: g.time_lag_s,
                time_lag_approximate: g.time_lag_approx,
                time_lag_at_least: g.time_lag_at_least,
                consume_rate: g.consume_rate,
                status: g.status,
                reason: &g.reason,
                status_since: g.status_since_ms.map(crate::core::live::rfc3339),
                status_for_s: g.status_for_s,
                history: g
                    .history
                    .iter()
                    .map(|t| JsonTransition {
                        at: t.at_ms.map(crate::core::live::rfc3339),
                        from: t.from,
                        to: t.to,
                        reason: &t.reason,
                    })
                    .collect(),
                partitions: g.partitions.len(),
            }
        })
        .collect();
    JsonReport {
        time: view.wall_ms.map(crate::core::live::rfc3339),
        source: &view.source,
        age_s: view.age_s,
        stale: view.stale,
        sample_ms: view.sample_ms,
        errors: &view.errors,
        limits: &view.limits,
        filters: filters.describe(),
        matched: rows.len(),
        groups,
        partitions,
    }
}

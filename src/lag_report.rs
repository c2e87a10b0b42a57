//! `ktopo lag`: the live picture as a table (like kafka-consumer-groups.sh --describe
//! for every watched group) or JSON, with filters and a failure threshold for scripts.

use crate::live::view::{GroupTopicLag, Health, LiveView};
use serde_json::json;
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

/// Groups matching the filters (a glob: `*` wildcard), worst first.
pub fn select<'a>(view: &'a LiveView, group: Option<&str>, topic: Option<&str>) -> Vec<&'a GroupTopicLag> {
    let glob = |p: Option<&str>, v: &str| {
        p.is_none_or(|p| {
            crate::registry::pattern::Pattern::parse(p)
                .map(|re| re.matches(v))
                .unwrap_or(false)
        })
    };
    let mut rows: Vec<_> = view
        .groups
        .iter()
        .filter(|g| glob(group, &g.group) && glob(topic, &g.topic))
        .collect();
    rows.sort_by(|a, b| {
        b.status
            .cmp(&a.status)
            .then(b.total_lag.cmp(&a.total_lag))
            .then(a.group.cmp(&b.group))
            .then(a.topic.cmp(&b.topic))
    });
    rows
}

fn dash<T: ToString>(v: Option<T>) -> String {
    v.map_or("-".into(), |x| x.to_string())
}

pub fn text(view: &LiveView, rows: &[&GroupTopicLag]) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "{:<48} {:<28} {:>9} {:>14} {:>14} {:>8} {:>9} {:>8} STATUS",
        "GROUP", "TOPIC", "PARTITION", "CURRENT-OFFSET", "LOG-END-OFFSET", "LAG", "TIME-LAG", "RATE"
    );
    for g in rows {
        for p in &g.partitions {
            let lag = match (p.lag, p.clamped) {
                (Some(l), true) => format!("{l}!"),
                (l, _) => dash(l),
            };
            let _ = writeln!(
                o,
                "{:<48} {:<28} {:>9} {:>14} {:>14} {:>8} {:>9} {:>8} {}",
                g.group,
                g.topic,
                p.partition,
                dash(p.committed),
                dash(p.log_end),
                lag,
                "",
                "",
                p.status.map_or("-", Health::word)
            );
        }
        let time = g
            .time_lag_s
            .map(|t| format!("{}{t:.1}s", if g.time_lag_approx { "~" } else { "" }))
            .unwrap_or("-".into());
        let _ = writeln!(
            o,
            "{:<48} {:<28} {:>9} {:>14} {:>14} {:>8} {:>9} {:>8} {}{}",
            g.group,
            g.topic,
            "TOTAL",
            "",
            "",
            dash(g.total_lag),
            time,
            g.consume_rate.map_or("-".into(), |r| format!("{r:.1}/s")),
            g.status.word(),
            if g.declared { "" } else { " (undeclared)" }
        );
    }
    let _ = writeln!(
        o,
        "\n{} · {} group × topic rows · sample {} ms{}",
        view.source,
        rows.len(),
        dash(view.sample_ms),
        if view.errors.is_empty() {
            String::new()
        } else {
            format!(" · errors: {}", view.errors.join("; "))
        }
    );
    o
}

pub fn json(view: &LiveView, rows: &[&GroupTopicLag]) -> serde_json::Value {
    let partitions: Vec<_> = rows
        .iter()
        .flat_map(|g| {
            g.partitions.iter().map(move |p| {
                json!({
                    "group": g.group, "topic": g.topic, "partition": p.partition,
                    "committed": p.committed, "log_end": p.log_end, "lag": p.lag,
                    "clamped": p.clamped, "status": p.status,
                })
            })
        })
        .collect();
    let groups: Vec<_> = rows
        .iter()
        .map(|g| {
            json!({
                "group": g.group, "topic": g.topic, "declared": g.declared, "state": g.state,
                "members": g.members, "total_lag": g.total_lag, "max_lag": g.max_lag,
                "time_lag_s": g.time_lag_s, "time_lag_approximate": g.time_lag_approx,
                "consume_rate": g.consume_rate, "status": g.status,
                "partitions": g.partitions.len(),
            })
        })
        .collect();
    json!({
        "source": view.source,
        "sample_ms": view.sample_ms,
        "errors": view.errors,
        "groups": groups,
        "partitions": partitions,
    })
}

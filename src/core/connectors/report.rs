//! `ktopo connectors`' report, text and JSON: each connector with its type, class,
//! state, tasks (state, worker, a failed one's trace: the first line in text, whole in
//! JSON), topics, owning service and, for a sink, its group's lag and status; a
//! summary with the counts. Pure: the reads, the live view and the owners are given.

use super::{ClusterRead, Connector, Health, State, Topics};
use crate::core::live::view::{GroupTopicLag, LiveView};
use crate::core::visible::one_line;
use crate::core::words::{count, cut};
use serde_json::{json, Value};
use std::fmt::Write as _;

/// What the report joins each connector with.
pub struct Context<'a> {
    /// The live picture the sinks' groups are looked up in (None: not sampled).
    pub view: Option<&'a LiveView>,
    /// Why there is no live picture, when there is none.
    pub no_view: Option<String>,
    /// The registry service that owns a connector, by its name.
    pub owner: &'a dyn Fn(&str) -> Option<String>,
    /// Only the unhealthy connectors (`--failed`).
    pub failed_only: bool,
}

/// Counts over every connector read.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Summary {
    pub clusters: usize,
    pub unread: usize,
    pub connectors: usize,
    pub healthy: usize,
    /// Tasks by state word, in the order first met.
    pub tasks: Vec<(String, usize)>,
}

impl Summary {
    pub fn of(reads: &[ClusterRead]) -> Summary {
        let mut s = Summary {
            clusters: reads.len(),
            ..Summary::default()
        };
        for r in reads {
            let Ok(list) = &r.connectors else {
                s.unread += 1;
                continue;
            };
            for c in list {
                s.connectors += 1;
                s.healthy += usize::from(c.health().is_healthy());
                for t in &c.tasks {
                    let w = t.state.word().to_lowercase();
                    match s.tasks.iter_mut().find(|(k, _)| *k == w) {
                        Some((_, n)) => *n += 1,
                        None => s.tasks.push((w, 1)),
                    }
                }
            }
        }
        // Running first, then the worst; states Connect adds later last.
        let rank = |w: &str| {
            ["running", "failed", "restarting", "unassigned", "paused", "stopped"]
                .iter()
                .position(|k| *k == w)
                .unwrap_or(usize::MAX)
        };
        s.tasks.sort_by(|a, b| rank(&a.0).cmp(&rank(&b.0)).then(a.0.cmp(&b.0)));
        s
    }

    pub fn line(&self) -> String {
        let tasks: usize = self.tasks.iter().map(|(_, n)| n).sum();
        let mut by_state: Vec<String> = self.tasks.iter().map(|(w, n)| format!("{n} {w}")).collect();
        if by_state.is_empty() {
            by_state.push("none".into());
        }
        let mut line = format!(
            "{}: {} healthy, {} unhealthy; {} ({})",
            count(self.connectors, "connector", "connectors"),
            self.healthy,
            self.connectors - self.healthy,
            count(tasks, "task", "tasks"),
            by_state.join(", ")
        );
        if self.unread > 0 {
            let _ = write!(
                line,
                "; {} of {} unread",
                count(self.unread, "Connect cluster", "Connect clusters"),
                self.clusters
            );
        }
        line
    }
}

/// The group rows of a sink on its topics.
fn group_rows<'a>(c: &Connector, view: Option<&'a LiveView>) -> Vec<&'a GroupTopicLag> {
    let (Some(group), Some(view)) = (c.group(), view) else {
        return vec![];
    };
    let topics = c.known_topics();
    view.groups
        .iter()
        .filter(|g| g.group == group && (topics.is_empty() || topics.contains(&g.topic)))
        .collect()
}

fn mark(c: &Connector) -> &'static str {
    if c.health().is_healthy() {
        "✓"
    } else if c.state == State::Failed || c.tasks.iter().any(|t| t.state == State::Failed) {
        "✗"
    } else {
        "!"
    }
}

fn list(items: &[String]) -> String {
    if items.is_empty() {
        return "none".into();
    }
    let shown: Vec<String> = items.iter().take(20).map(|t| one_line(t).into_owned()).collect();
    let more = items.len().saturating_sub(20);
    if more > 0 {
        format!("{} and {more} more", shown.join(", "))
    } else {
        shown.join(", ")
    }
}

pub fn text(reads: &[ClusterRead], ctx: &Context) -> String {
    let mut o = String::new();
    for r in reads {
        let _ = writeln!(o, "{} · {}", one_line(&r.name), one_line(&r.url));
        for n in &r.notes {
            let _ = writeln!(o, "  note: {}", one_line(n));
        }
        let list_ = match &r.connectors {
            Ok(l) => l,
            Err(e) => {
                let _ = writeln!(o, "  error: cannot read this Connect cluster: {}", one_line(e));
                continue;
            }
        };
        let shown: Vec<&Connector> = list_
            .iter()
            .filter(|c| !ctx.failed_only || !c.health().is_healthy())
            .collect();
        if shown.is_empty() {
            let _ = writeln!(
                o,
                "  {}",
                if ctx.failed_only && !list_.is_empty() {
                    "every connector is healthy"
                } else {
                    "no connectors"
                }
            );
        }
        for c in shown {
            connector_text(&mut o, c, ctx);
        }
    }
    if let Some(why) = &ctx.no_view {
        let _ = writeln!(o, "note: sink groups' lag unread: {}", one_line(why));
    }
    let _ = writeln!(o, "{}", Summary::of(reads).line());
    o
}

fn connector_text(o: &mut String, c: &Connector, ctx: &Context) {
    let health = match c.health() {
        Health::Healthy => "healthy".to_string(),
        Health::Unhealthy(why) => why.join("; "),
    };
    let _ = writeln!(
        o,
        "{} {}  {}  {}  {}",
        mark(c),
        one_line(&c.name),
        c.kind.word(),
        c.state.word(),
        health
    );
    let _ = writeln!(o, "    class    {}", c.class.as_deref().map_or("-".into(), one_line));
    let _ = writeln!(
        o,
        "    service  {}",
        (ctx.owner)(&c.name).map_or("- (not declared in the registry)".to_string(), |s| one_line(&s)
            .into_owned())
    );
    if let Some(w) = &c.worker {
        let _ = writeln!(o, "    worker   {}", one_line(w));
    }
    if let Some(t) = &c.trace {
        let _ = writeln!(o, "    trace    {}", t.first_line(160));
    }
    for t in &c.tasks {
        let _ = write!(
            o,
            "    task {:<3} {:<10} {}",
            t.id,
            t.state.word(),
            t.worker.as_deref().map_or("-".into(), one_line)
        );
        if let Some(tr) = &t.trace {
            let _ = write!(o, "  {}", tr.first_line(160));
        }
        o.push('\n');
    }
    if c.tasks_dropped > 0 {
        let _ = writeln!(o, "    and {} more", count(c.tasks_dropped, "task", "tasks"));
    }
    let topics = match &c.topics {
        Topics::Used(t) => list(t),
        Topics::NotServed(why) | Topics::Unread(why) => {
            let configured = if c.config_topics.is_empty() {
                c.config_topics_regex
                    .as_ref()
                    .map(|r| format!("configured: topics.regex {}", one_line(r)))
            } else {
                Some(format!("configured: {}", list(&c.config_topics)))
            };
            match configured {
                Some(conf) => format!("{conf} (in use unknown: {})", one_line(why)),
                None => format!("unknown ({})", one_line(why)),
            }
        }
    };
    let _ = writeln!(o, "    topics   {topics}");
    if let Some(group) = c.group() {
        let rows = group_rows(c, ctx.view);
        let _ = write!(o, "    group    {}", one_line(&group));
        if ctx.view.is_some() {
            if rows.is_empty() {
                let _ = write!(o, "  not seen on the cluster");
            }
            for g in rows {
                let _ = write!(
                    o,
                    "\n      {}  lag {}  {}  {}",
                    one_line(&g.topic),
                    g.total_lag.map_or("-".into(), |l| l.to_string()),
                    crate::core::lag_report::status_for(g),
                    cut(&one_line(&g.reason), 120)
                );
            }
        }
        o.push('\n');
    }
}

fn trace_json(t: &super::Trace) -> Value {
    json!({"first_line": t.first_line(500), "text": t.text, "cut_bytes": t.cut_bytes})
}

pub fn json(reads: &[ClusterRead], ctx: &Context) -> Value {
    let clusters: Vec<Value> = reads
        .iter()
        .map(|r| {
            let connectors: Option<Vec<Value>> = r.connectors.as_ref().ok().map(|l| {
                l.iter()
                    .filter(|c| !ctx.failed_only || !c.health().is_healthy())
                    .map(|c| connector_json(c, ctx))
                    .collect()
            });
            json!({
                "name": r.name,
                "url": r.url,
                "error": r.connectors.as_ref().err(),
                "notes": r.notes,
                "connectors": connectors,
            })
        })
        .collect();
    let s = Summary::of(reads);
    let tasks: serde_json::Map<String, Value> = s.tasks.iter().map(|(w, n)| (w.clone(), json!(n))).collect();
    json!({
        "clusters": clusters,
        "lag_unread": ctx.no_view,
        "summary": {
            "clusters": s.clusters,
            "clusters_unread": s.unread,
            "connectors": s.connectors,
            "healthy": s.healthy,
            "unhealthy": s.connectors - s.healthy,
            "tasks": tasks,
        },
    })
}

fn connector_json(c: &Connector, ctx: &Context) -> Value {
    let problems = match c.health() {
        Health::Healthy => vec![],
        Health::Unhealthy(w) => w,
    };
    let (in_use, topics_note) = match &c.topics {
        Topics::Used(t) => (Some(t.clone()), None),
        Topics::NotServed(w) | Topics::Unread(w) => (None, Some(w.clone())),
    };
    let group = c.group().map(|g| {
        let rows: Vec<Value> = group_rows(c, ctx.view)
            .into_iter()
            .map(|r| {
                json!({"topic": r.topic, "lag": r.total_lag, "status": r.status,
                       "reason": r.reason, "members": r.members})
            })
            .collect();
        json!({"id": g, "topics": if ctx.view.is_some() { Some(rows) } else { None }})
    });
    json!({
        "name": c.name,
        "type": c.kind.word(),
        "class": c.class,
        "state": c.state.word(),
        "worker": c.worker,
        "healthy": problems.is_empty(),
        "problems": problems,
        "trace": c.trace.as_ref().map(trace_json),
        "tasks": c.tasks.iter().map(|t| json!({
            "id": t.id, "state": t.state.word(), "worker": t.worker,
            "trace": t.trace.as_ref().map(trace_json),
        })).collect::<Vec<_>>(),
        "tasks_left_out": c.tasks_dropped,
        "topics": {"in_use": in_use, "note": topics_note, "configured": c.config_topics,
                   "configured_regex": c.config_topics_regex},
        "service": (ctx.owner)(&c.name),
        "group": group,
    })
}

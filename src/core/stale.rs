//! Live blast radius: who is serving stale data right now, and because of which group.
//!
//! A group N seconds behind on a topic means its service works from data at least N
//! seconds old; so is everything that service produces, and every service and topic
//! downstream of those. Staleness is propagated along the impact engine's paths
//! (`impact::bfs`), the worst cause claiming a node first, so each node is reported
//! once, with its worst known cause. It is a lower bound: lags further down a path add
//! to it, and are reported as their own causes.
//!
//! A source connector that writes nothing (FAILED, PAUSED, STOPPED or UNASSIGNED, its
//! own state or a task's) is a cause too: the topics it feeds get no new data, so
//! they and everything downstream are stale from when the session first saw it so
//! (Connect tells no time).

use crate::core::connectors::{Kind, State};
use crate::core::impact::{self, Dir};
use crate::core::live::view::{GroupTopicLag, Health, LiveView};
use crate::core::registry::{Registry, ServiceId};
use crate::core::topology::{Node, Topology};
use std::collections::{HashMap, HashSet};

/// Groups less far behind do not count by default: a healthy consumer is always a
/// second or two behind the head.
pub const DEFAULT_MIN_S: f64 = 10.0;

/// Why a declared service serves stale data: a group of it behind on a topic, or a
/// source connector (the service) writing nothing.
#[derive(Debug, Clone, PartialEq)]
pub struct Cause {
    pub by: By,
    pub service: ServiceId,
    /// Seconds behind the head (a connector: how long it has been seen stopped); None
    /// when the history is too short to say (a group then only counts if it has lag in
    /// messages).
    pub seconds: Option<f64>,
    pub approx: bool,
}

/// What a cause is, told apart by type, never by its name.
#[derive(Debug, Clone, PartialEq)]
pub enum By {
    Group {
        group: String,
        topic: String,
        lag: Option<i64>,
        status: Health,
    },
    Connector(Fed),
}

impl Cause {
    /// The group's or the connector's name, raw (made visible where shown).
    pub fn name(&self) -> &str {
        match &self.by {
            By::Group { group, .. } => group,
            By::Connector(f) => &f.connector,
        }
    }
    pub fn connector(&self) -> Option<&Fed> {
        match &self.by {
            By::Connector(f) => Some(f),
            By::Group { .. } => None,
        }
    }
    /// A group's status; a connector writing nothing is a stop.
    pub fn status(&self) -> Health {
        match &self.by {
            By::Group { status, .. } => *status,
            By::Connector(_) => Health::Stop,
        }
    }
    fn topic(&self) -> &str {
        match &self.by {
            By::Group { topic, .. } => topic,
            By::Connector(_) => "",
        }
    }
}

/// A cause the registry does not place: its effect on the platform is unknown.
#[derive(Debug, Clone, PartialEq)]
pub enum Unplaced {
    /// An undeclared group behind on a topic (`behind`: how far, in words).
    Group {
        group: String,
        topic: String,
        behind: String,
    },
    /// An undeclared source connector writing nothing.
    Connector { name: String, state: State },
}

impl Unplaced {
    pub fn is_connector(&self) -> bool {
        matches!(self, Unplaced::Connector { .. })
    }
}

/// `G on T (4m05s)` or `connector X (FAILED)`, raw: made visible where it reaches a
/// terminal (`to_text`), kept as is in JSON.
impl std::fmt::Display for Unplaced {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Unplaced::Group { group, topic, behind } => write!(f, "{group} on {topic} ({behind})"),
            Unplaced::Connector { name, state } => write!(f, "connector {name} ({})", state.word()),
        }
    }
}

/// A source connector that writes nothing, as a cause of staleness.
#[derive(Debug, Clone, PartialEq)]
pub struct Fed {
    pub connector: String,
    /// Its Connect cluster's name.
    pub cluster: String,
    /// Its rolled-up state (`Connector::rolled_up`).
    pub state: State,
    /// Since when (wall ms) it has been in that state, as first seen this session.
    pub since_ms: Option<i64>,
}

/// A service or topic serving stale data.
#[derive(Debug, Clone, PartialEq)]
pub struct Stale {
    pub node: Node,
    /// Index into `Staleness::causes`.
    pub cause: usize,
    /// Hops from the cause's service (0: the service itself).
    pub depth: usize,
    pub parent: Option<Node>,
}

#[derive(Debug, Clone, Default)]
pub struct Staleness {
    /// Worst first: seconds descending, unknown seconds last.
    pub causes: Vec<Cause>,
    /// Worst first (the order of their causes, then hops).
    pub stale: Vec<Stale>,
    /// Groups behind that the registry does not place (undeclared): their effect on the
    /// platform is unknown, but they are shown.
    pub unplaced: Vec<Unplaced>,
    /// Groups whose lag could not be read this round (an error, or partitions without
    /// a log end) and that are not known to be behind either: whether their services
    /// serve stale data is unknown, so nothing is called fresh because of them.
    pub unread: Vec<String>,
    index: HashMap<Node, usize>,
}

impl Staleness {
    pub fn of(&self, n: Node) -> Option<(&Stale, &Cause)> {
        let s = &self.stale[*self.index.get(&n)?];
        Some((s, &self.causes[s.cause]))
    }
    /// The last `n` nodes of the path from the cause's service to `s` (`s` included),
    /// in path order: walking parents, never the whole of a long chain.
    pub fn path_end(&self, s: &Stale, n: usize) -> Vec<Node> {
        let mut path = vec![s.node];
        let mut cur = s.parent;
        while let (Some(p), true) = (cur, path.len() < n) {
            path.push(p);
            cur = self.of(p).and_then(|(st, _)| st.parent);
        }
        path.reverse();
        path
    }
    /// The path from the cause's service to `s` for people: whole when short, its ends
    /// when long (whole paths of a long chain would be quadratic, as in `impact::via`).
    pub fn via(&self, reg: &Registry, s: &Stale) -> String {
        let label = |n: &Node| impact::node_label(reg, *n);
        if s.depth < 8 {
            return self
                .path_end(s, s.depth + 1)
                .iter()
                .map(label)
                .collect::<Vec<_>>()
                .join(" → ");
        }
        let head = [label(&Node::Service(self.causes[s.cause].service))];
        let tail: Vec<String> = self.path_end(s, 3).iter().map(label).collect();
        impact::elided(&head, &tail, s.depth + 1)
    }
    /// The rows `only` keeps (all without it), and their causes.
    fn shown(&self, only: Option<&HashSet<Node>>) -> (Vec<&Stale>, HashSet<usize>) {
        let rows: Vec<&Stale> = self
            .stale
            .iter()
            .filter(|s| only.is_none_or(|o| o.contains(&s.node)))
            .collect();
        let causes: HashSet<usize> = rows.iter().map(|s| s.cause).collect();
        (rows, causes)
    }
    /// `3 groups`, or `3 groups and 1 connector` when connectors are among the causes.
    pub fn causes_words<'a>(&self, causes: impl IntoIterator<Item = &'a Cause>) -> String {
        let (mut groups, mut connectors) = (0, 0);
        for c in causes {
            if c.connector().is_some() {
                connectors += 1;
            } else {
                groups += 1;
            }
        }
        let g = crate::core::words::count(groups, "group", "groups");
        match connectors {
            0 => g,
            n => format!("{g} and {}", crate::core::words::count(n, "connector", "connectors")),
        }
    }
}

/// Whether a group row makes its service stale: behind by at least `min_s` seconds, or
/// behind in messages with no time estimate yet (a stopped group before history).
fn is_cause(g: &GroupTopicLag, min_s: f64) -> bool {
    match g.time_lag_s {
        Some(s) => s >= min_s && g.total_lag.unwrap_or(0) > 0,
        None => g.total_lag.unwrap_or(0) > 0 && g.status.is_problem(),
    }
}

/// Propagate every lagging group's staleness downstream.
pub fn propagate(reg: &Registry, topo: &Topology, view: &LiveView, min_s: f64) -> Staleness {
    let mut out = Staleness::default();
    for g in view.groups.iter().filter(|g| is_cause(g, min_s)) {
        match g.service.as_deref().and_then(|k| reg.service_by_key(k)) {
            Some(service) => out.causes.push(Cause {
                by: By::Group {
                    group: g.group.clone(),
                    topic: g.topic.clone(),
                    lag: g.total_lag,
                    status: g.status,
                },
                service,
                seconds: g.time_lag_s,
                approx: g.time_lag_approx,
            }),
            None => out.unplaced.push(Unplaced::Group {
                group: g.group.clone(),
                topic: g.topic.clone(),
                behind: g
                    .time_lag_s
                    .map_or_else(|| "behind".to_string(), crate::core::live::view::short_duration),
            }),
        }
    }
    for g in view
        .groups
        .iter()
        .filter(|g| (g.error.is_some() || g.partial) && !is_cause(g, min_s))
    {
        let why = match &g.error {
            Some(e) => format!("could not be read: {e}"),
            None => "partial: the log end of some partitions could not be read".to_string(),
        };
        out.unread.push(if g.topic.is_empty() {
            format!("{} ({why})", g.group)
        } else {
            format!("{} on {} ({why})", g.group, g.topic)
        });
    }
    connector_causes(reg, view, &mut out);
    // Worst first; ties by name so the answer is stable between rounds.
    out.causes.sort_by(|a, b| {
        let rank = |c: &Cause| c.seconds.map_or(f64::NEG_INFINITY, |s| s);
        rank(b)
            .total_cmp(&rank(a))
            .then(b.status().cmp(&a.status()))
            .then_with(|| (a.name(), a.topic()).cmp(&(b.name(), b.topic())))
    });
    for (ci, c) in out.causes.iter().enumerate() {
        let index = &mut out.index;
        let stale = &mut out.stale;
        impact::bfs(
            topo,
            &[Node::Service(c.service)],
            Dir::Downstream,
            None,
            |n, parent, depth| {
                // A node already claimed by a worse cause keeps it, and so does what
                // lies past it (that cause reached it too).
                if index.contains_key(&n) {
                    return false;
                }
                index.insert(n, stale.len());
                stale.push(Stale {
                    node: n,
                    cause: ci,
                    depth,
                    parent,
                });
                true
            },
        );
    }
    out
}

/// Every source connector of the last Connect read that writes nothing: a cause where
/// the registry places it (a connector node), else unplaced.
fn connector_causes(reg: &Registry, view: &LiveView, out: &mut Staleness) {
    let Some(live) = &view.connect else { return };
    for r in &live.reads {
        let Ok(list) = &r.connectors else { continue };
        for c in list {
            let state = c.rolled_up();
            if !state.stops_work() {
                continue;
            }
            let node = reg.service_by_key(&c.name).filter(|&si| {
                reg.services[si]
                    .connector
                    .as_ref()
                    .is_some_and(|f| f.connect.as_deref().is_none_or(|n| n == r.name))
            });
            let declared_source = node
                .and_then(|si| reg.services[si].connector.as_ref())
                .is_some_and(|f| f.kind == crate::core::registry::model::ConnectorType::Source);
            let source = match c.kind {
                Kind::Source => true,
                Kind::Sink => false,
                Kind::Unknown(_) => declared_source,
            };
            if !source {
                continue;
            }
            let since_ms = live.since_ms(&r.name, &c.name);
            let Some(service) = node else {
                out.unplaced.push(Unplaced::Connector {
                    name: c.name.clone(),
                    state,
                });
                continue;
            };
            let seconds = match (since_ms, view.wall_ms) {
                (Some(since), Some(now)) => Some(((now - since).max(0)) as f64 / 1000.0),
                _ => None,
            };
            out.causes.push(Cause {
                by: By::Connector(Fed {
                    connector: c.name.clone(),
                    cluster: r.name.clone(),
                    state,
                    since_ms,
                }),
                service,
                seconds,
                approx: false,
            });
        }
    }
}

/// `4m05s`, `≈4m05s` (extrapolated) or `≥4m05s` (a connector seen stopped that long,
/// maybe longer), `?` when unknown.
pub fn seconds_label(c: &Cause) -> String {
    match c.seconds {
        Some(s) => format!(
            "{}{}",
            if c.connector().is_some() {
                "≥"
            } else if c.approx {
                "≈"
            } else {
                ""
            },
            crate::core::live::view::short_duration(s)
        ),
        None => "?".into(),
    }
}

/// Why a node is stale, for people: `group G on T (✗ STOP, 1234 behind)`, or
/// `fed by connector X, FAILED since 04:12:03`.
pub fn because(c: &Cause) -> String {
    match &c.by {
        By::Connector(f) => format!("fed by connector {}", fed_state(f)),
        By::Group {
            group,
            topic,
            lag,
            status,
        } => format!(
            "{} on {} ({}{})",
            crate::core::visible::one_line(group),
            crate::core::visible::one_line(topic),
            status.label(),
            lag.map(|l| format!(", {l} behind")).unwrap_or_default()
        ),
    }
}

/// `X, FAILED since 04:12:03` (the time the session first saw it so, UTC).
pub fn fed_state(f: &Fed) -> String {
    let since = f
        .since_ms
        .map(|ms| format!(" since {}", crate::core::time::clock(ms)))
        .unwrap_or_default();
    format!(
        "{}, {}{since}",
        crate::core::visible::one_line(&f.connector),
        f.state.word()
    )
}

/// The report `ktopo impact --live` prints; `only` restricts it to some nodes (a
/// target's impact).
pub fn to_text(reg: &Registry, st: &Staleness, only: Option<&HashSet<Node>>, source: &str) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let (rows, causes) = st.shown(only);
    let _ = writeln!(
        out,
        "Serving stale data right now ({source}): {} services and topics, because of {}",
        rows.len(),
        st.causes_words(causes.iter().map(|&i| &st.causes[i])),
    );
    if rows.is_empty() && st.unread.is_empty() {
        let _ = writeln!(out, "  nothing: no declared group is behind");
    } else if rows.is_empty() {
        let _ = writeln!(
            out,
            "  unknown: {} groups could not be read, so whether they are behind is not known",
            st.unread.len()
        );
    } else {
        let _ = writeln!(out, "\n  {:<9} {:<44} BECAUSE OF", "STALE", "SERVICE OR TOPIC");
    }
    for s in &rows {
        let c = &st.causes[s.cause];
        let via = if s.depth == 0 {
            because(c)
        } else {
            format!("{} via {}", crate::core::visible::one_line(c.name()), st.via(reg, s))
        };
        let _ = writeln!(
            out,
            "  {:<9} {:<44} {via}",
            seconds_label(c),
            impact::node_ref(reg, s.node)
        );
    }
    if !st.unplaced.is_empty() {
        let _ = writeln!(
            out,
            "\nBehind, but not in the registry (their effect is unknown): {}",
            crate::core::visible::one_line(&st.unplaced.iter().map(|u| u.to_string()).collect::<Vec<_>>().join(", "))
        );
    }
    if !st.unread.is_empty() {
        let _ = writeln!(
            out,
            "\nCould not be read (whether they are behind is unknown): {}",
            crate::core::visible::one_line(&st.unread.join(", "))
        );
    }
    let owned = impact::owners_of(reg, rows.iter().map(|s| s.node));
    out.push_str(&impact::who_to_call(&owned));
    out
}

/// JSON rows carry their parent, not their whole path (as `impact --json` does): the
/// path is rebuilt by following parents to the row at depth 0.
pub fn to_json(reg: &Registry, st: &Staleness, only: Option<&HashSet<Node>>, source: &str) -> serde_json::Value {
    let (rows, _) = st.shown(only);
    let stale: Vec<serde_json::Value> = rows
        .iter()
        .map(|s| {
            let c = &st.causes[s.cause];
            serde_json::json!({
                "node": impact::node_ref(reg, s.node),
                "stale_s": c.seconds,
                "approx": c.approx,
                "depth": s.depth,
                "because": match &c.by {
                    By::Connector(f) => serde_json::json!({
                        "connector": f.connector, "connect": f.cluster,
                        "state": f.state.word(), "since_ms": f.since_ms,
                        "service": reg.services[c.service].key,
                    }),
                    By::Group { group, topic, lag, status } => serde_json::json!({
                        "group": group, "topic": topic,
                        "service": reg.services[c.service].key,
                        "status": status, "lag": lag,
                    }),
                },
                "parent": s.parent.map(|p| impact::node_ref(reg, p)),
            })
        })
        .collect();
    serde_json::json!({
        "source": source,
        "stale": stale,
        "unplaced": st.unplaced.iter().map(|u| u.to_string()).collect::<Vec<_>>(),
        "unread": st.unread,
        "owners": impact::owners_of(reg, rows.iter().map(|s| s.node)),
    })
}

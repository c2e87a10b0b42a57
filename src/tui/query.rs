//! Read-only questions about the app state: which items a screen lists, what is
//! selected, what a detail or graph view links to.

use super::state::{App, Items, Route, Screen};
use crate::core::impact::{self, Target};
use crate::core::registry::{Registry, ServiceId, Status, TopicId};
use crate::core::topology::Node;
use std::borrow::Cow;

impl App {
    /// Service `s`'s group on topic `t` in the live picture (indexed once per sample).
    pub fn group_lag(&self, s: ServiceId, t: TopicId) -> Option<&crate::core::live::view::GroupTopicLag> {
        self.live.as_ref()?.groups.get(self.joined.groups.group(s, t)?)
    }

    /// The items of a route that pass its filter.
    pub(super) fn items_for(&self, s: &Screen) -> Items {
        let reg = &self.data.reg;
        let shown = |fields: Vec<Field>| s.filter.matches_fields(&fields);
        let topic = |&t: &TopicId| s.filter.is_empty() || shown(topic_fields(reg, &reg.topics[t]));
        match &s.route {
            Route::Services => {
                let service = |&i: &ServiceId| s.filter.is_empty() || shown(service_fields(reg, &reg.services[i]));
                return Items::Services(reg.service_ids().filter(service).collect());
            }
            Route::Topics => return Items::Topics(reg.topic_ids().filter(topic).collect()),
            Route::Deprecated => return Items::Topics(self.data.deprecated.iter().copied().filter(topic).collect()),
            _ => {}
        }
        Items::Rows(self.rows_for(s))
    }

    /// The same for a route that lists rows of its own.
    fn rows_for(&self, s: &Screen) -> Vec<usize> {
        let all: Box<dyn Iterator<Item = usize>> = match &s.route {
            Route::Services | Route::Topics | Route::Deprecated => return Vec::new(),
            Route::Events => Box::new(0..self.data.events.len()),
            Route::Lag => Box::new(0..self.lag_rows().len()),
            Route::Drift => Box::new(0..self.joined.drift.as_ref().map_or(0, |d| d.report.findings.len())),
            Route::Check => Box::new(0..self.data.checks.len()),
            Route::Stale => Box::new(0..self.joined.stale.as_ref().map_or(0, |st| st.stale.len())),
            // Column by column, top to bottom.
            Route::Map => {
                let Some(m) = self.data.map() else { return Vec::new() };
                let mut v: Vec<usize> = (0..m.nodes.len()).collect();
                v.sort_by_key(|&i| (m.nodes[i].layer, m.nodes[i].order));
                Box::new(v.into_iter())
            }
            // A page: one item per line, so moving the selection scrolls.
            Route::Platform => Box::new(0..super::views::platform::lines(&self.data).len()),
            Route::Impact(..) => Box::new(0..s.impact.as_ref().map_or(0, |i| i.affected.len())),
            Route::Messages(t) => Box::new(0..self.messages(*t).len()),
            // The group's rows, indices into the picture's groups, worst first.
            Route::Group(name) => {
                let Some(l) = &self.live else { return Vec::new() };
                return self
                    .joined
                    .lag
                    .iter()
                    .copied()
                    .filter(|&i| l.groups.get(i).is_some_and(|g| &g.group == name))
                    .collect();
            }
            Route::Service(_) | Route::Topic(_) | Route::Event(_) | Route::Graph(_) => return Vec::new(),
        };
        if s.filter.is_empty() {
            return all.collect();
        }
        // Sort the lag rows once, not once per row.
        let rows = if s.route == Route::Lag {
            self.lag_rows()
        } else {
            Vec::new()
        };
        all.filter(|&i| s.filter.matches_fields(&self.row_fields(s, &rows, i)))
            .collect()
    }

    /// The columns a filter can look at, for one row of a route: `name` for the names
    /// (what a plain `/text` matches), then the view's other columns.
    fn row_fields<'a>(
        &'a self,
        s: &'a Screen,
        lag: &[&'a crate::core::live::view::GroupTopicLag],
        i: usize,
    ) -> Vec<Field<'a>> {
        let reg = &self.data.reg;
        let node_fields = |n: Node| {
            let mut f: Vec<Field<'a>> = vec![("name", impact::node_label(reg, n).into())];
            match n {
                Node::Service(x) => f.extend(service_fields(reg, &reg.services[x])),
                Node::Topic(x) => f.extend(topic_fields(reg, &reg.topics[x])),
            }
            f
        };
        match &s.route {
            Route::Events => {
                let e = self.data.events[i].0.as_str();
                vec![("name", e.into()), ("event", e.into())]
            }
            Route::Map => self
                .data
                .map()
                .and_then(|m| m.nodes.get(i))
                .map(|p| node_fields(p.node))
                .unwrap_or_default(),
            Route::Stale => self
                .joined
                .stale
                .as_ref()
                .and_then(|st| {
                    let x = st.stale.get(i)?;
                    let mut f = node_fields(x.node);
                    f.push(("group", st.causes[x.cause].name().into()));
                    Some(f)
                })
                .unwrap_or_default(),
            Route::Drift => self
                .joined
                .drift
                .as_ref()
                .and_then(|d| d.report.findings.get(i))
                .map(|f| {
                    vec![
                        ("name", f.subject.as_str().into()),
                        ("kind", f.kind.into()),
                        ("severity", format!("{:?}", f.severity).to_lowercase().into()),
                        ("topic", f.topic.as_deref().unwrap_or("").into()),
                        ("message", f.message.as_str().into()),
                    ]
                })
                .unwrap_or_default(),
            Route::Impact(..) => s
                .impact
                .as_ref()
                .and_then(|imp| imp.affected.get(i))
                .map(|a| node_fields(a.node))
                .unwrap_or_default(),
            Route::Check => self
                .data
                .checks
                .get(i)
                .map(|c| {
                    vec![
                        ("name", c.code.into()),
                        ("code", c.code.into()),
                        ("severity", format!("{:?}", c.severity).to_lowercase().into()),
                        ("where", c.at.as_str().into()),
                        ("message", c.message.as_str().into()),
                    ]
                })
                .unwrap_or_default(),
            Route::Lag => lag
                .get(i)
                .map(|&g| {
                    let service = g.service.as_deref().and_then(|k| reg.service_by_key(k));
                    let owner = service.and_then(|x| reg.services[x].owner.as_deref());
                    vec![
                        ("name", g.group.as_str().into()),
                        ("name", g.topic.as_str().into()),
                        ("group", g.group.as_str().into()),
                        ("topic", g.topic.as_str().into()),
                        ("status", g.status.word().into()),
                        ("service", g.service.as_deref().unwrap_or("").into()),
                        ("owner", owner.unwrap_or("").into()),
                        ("reason", g.reason.as_str().into()),
                    ]
                })
                .unwrap_or_default(),
            _ => Vec::new(),
        }
    }

    /// Why live views have nothing to say yet: no broker, or no sample succeeded (with
    /// the last error). None once a sample succeeded.
    pub fn no_sample_yet(&self) -> Option<String> {
        match &self.live {
            Some(l) if l.sampled() => None,
            Some(l) => Some(format!(
                "no sample of {} has succeeded yet{}",
                l.source,
                l.errors.first().map(|e| format!(": {e}")).unwrap_or_default()
            )),
            None => Some(format!("no live data: broker {}", self.broker_note)),
        }
    }

    /// Consumer-group rows of the live picture, worst first (the join's one order).
    pub fn lag_rows(&self) -> Vec<&crate::core::live::view::GroupTopicLag> {
        let Some(l) = &self.live else { return Vec::new() };
        self.joined.lag.iter().filter_map(|&i| l.groups.get(i)).collect()
    }

    /// Links a detail view offers, in pane order: (pane title, nodes).
    pub fn links(&self, route: &Route) -> Vec<(&'static str, Vec<Node>)> {
        let reg = &self.data.reg;
        let topo = &self.data.topo;
        match route {
            Route::Service(i) => vec![
                ("consumes", topo.inputs(*i).into_iter().map(Node::Topic).collect()),
                ("produces", topo.outputs(*i).into_iter().map(Node::Topic).collect()),
            ],
            Route::Topic(i) => {
                let t = &reg.topics[*i];
                let mut related: Vec<Node> = t
                    .replaced_by()
                    .and_then(|r| reg.topic_index(r))
                    .map(Node::Topic)
                    .into_iter()
                    .collect();
                related.extend(self.data.replaces(*i).into_iter().map(Node::Topic));
                vec![
                    (
                        "producers",
                        t.producers.iter().map(|p| Node::Service(p.service)).collect(),
                    ),
                    (
                        "consumers",
                        t.consumers.iter().map(|c| Node::Service(c.service)).collect(),
                    ),
                    ("migration", related),
                ]
            }
            Route::Event(e) => {
                let topics = self.data.event_topics(e);
                let mut producers: Vec<Node> = Vec::new();
                let mut consumers: Vec<Node> = Vec::new();
                for &t in topics {
                    for p in &reg.topics[t].producers {
                        if !producers.contains(&Node::Service(p.service)) {
                            producers.push(Node::Service(p.service));
                        }
                    }
                    for c in &reg.topics[t].consumers {
                        if !consumers.contains(&Node::Service(c.service)) {
                            consumers.push(Node::Service(c.service));
                        }
                    }
                }
                vec![
                    ("topics", topics.iter().copied().map(Node::Topic).collect()),
                    ("producers", producers),
                    ("consumers", consumers),
                ]
            }
            Route::Graph(n) => {
                let (left, right) = self.graph_sides(*n);
                vec![("in", left), ("out", right)]
            }
            _ => Vec::new(),
        }
    }

    /// Graph view: what is drawn left (feeds it) and right (it feeds) of a node.
    pub fn graph_sides(&self, n: Node) -> (Vec<Node>, Vec<Node>) {
        let reg = &self.data.reg;
        match n {
            Node::Service(s) => (
                self.data.topo.inputs(s).into_iter().map(Node::Topic).collect(),
                self.data.topo.outputs(s).into_iter().map(Node::Topic).collect(),
            ),
            Node::Topic(t) => {
                let topic = &reg.topics[t];
                let mut left: Vec<Node> = topic.producers.iter().map(|p| Node::Service(p.service)).collect();
                left.extend(self.data.replaces(t).into_iter().map(Node::Topic));
                let mut right: Vec<Node> = if topic.status == Status::Proposed {
                    Vec::new()
                } else {
                    topic.consumers.iter().map(|c| Node::Service(c.service)).collect()
                };
                right.extend(topic.replaced_by().and_then(|r| reg.topic_index(r)).map(Node::Topic));
                (left, right)
            }
        }
    }

    /// Number of selectable rows on the current screen.
    pub(super) fn row_count(&self) -> usize {
        let s = self.screen();
        match &s.route {
            Route::Service(_) | Route::Topic(_) | Route::Event(_) | Route::Graph(_) => {
                self.links(&s.route).get(s.pane).map_or(0, |p| p.1.len())
            }
            // The group screen moves through its partitions.
            Route::Group(_) => s.group.as_ref().map_or(0, |g| g.parts.len()),
            _ => s.items.len(),
        }
    }

    /// The rows of the group on screen (worst first), as the picture has them.
    pub fn group_rows(&self) -> Vec<&crate::core::live::view::GroupTopicLag> {
        let s = self.screen();
        let Some(l) = &self.live else { return Vec::new() };
        match &s.group {
            Some(d) => d.rows.iter().filter_map(|&i| l.groups.get(i)).collect(),
            None => Vec::new(),
        }
    }

    /// The consumer group the selection stands for: a `:lag` row's, a service's on the
    /// selected topic it consumes, a topic's selected consumer's (as sampled, else as
    /// the registry declares it).
    pub fn selected_group(&self) -> Option<String> {
        let s = self.screen();
        let reg = &self.data.reg;
        match &s.route {
            Route::Lag => {
                let rows = self.lag_rows();
                return s
                    .items
                    .rows()
                    .get(s.selected)
                    .and_then(|&i| rows.get(i))
                    .map(|g| g.group.clone());
            }
            Route::Group(g) => return Some(g.clone()),
            _ => {}
        }
        let (svc, topic) = match (&s.route, self.selected_node()?) {
            (Route::Service(si), Node::Topic(t)) if s.pane == 0 => (*si, t),
            (Route::Topic(t), Node::Service(si)) if s.pane == 1 => (si, *t),
            _ => return None,
        };
        if let Some(g) = self.group_lag(svc, topic) {
            return Some(g.group.clone());
        }
        reg.topics[topic]
            .consumers
            .iter()
            .find(|c| c.service == svc)
            .and_then(|c| c.group.clone())
    }

    /// The node under the cursor, for drill-down, impact, graph and copy.
    pub fn selected_node(&self) -> Option<Node> {
        let s = self.screen();
        match &s.route {
            Route::Services | Route::Topics | Route::Deprecated => s.items.node(s.selected),
            Route::Events | Route::Platform => None,
            Route::Map => s
                .items
                .rows()
                .get(s.selected)
                .and_then(|&i| Some(self.data.map()?.nodes[i].node)),
            Route::Messages(t) => Some(Node::Topic(*t)),
            Route::Stale => {
                let st = self.joined.stale.as_ref()?;
                s.items
                    .rows()
                    .get(s.selected)
                    .and_then(|&i| st.stale.get(i))
                    .map(|x| x.node)
            }
            Route::Check => None,
            Route::Drift => {
                let d = self.joined.drift.as_ref()?;
                let f = s.items.rows().get(s.selected).and_then(|&i| d.report.findings.get(i))?;
                f.topic
                    .as_deref()
                    .and_then(|t| self.data.reg.topic_index(t))
                    .map(Node::Topic)
            }
            Route::Lag => {
                let rows = self.lag_rows();
                let g = s.items.rows().get(s.selected).and_then(|&i| rows.get(i))?;
                let reg = &self.data.reg;
                g.service
                    .as_deref()
                    .and_then(|k| reg.service_by_key(k))
                    .map(Node::Service)
                    .or_else(|| self.data.reg.topic_index(&g.topic).map(Node::Topic))
            }
            Route::Impact(..) => {
                let imp = s.impact.as_ref()?;
                s.items.rows().get(s.selected).map(|&i| imp.affected[i].node)
            }
            // The service that owns the group, else the topic of the selected partition.
            Route::Group(_) => {
                let rows = self.group_rows();
                let reg = &self.data.reg;
                let at = s
                    .group
                    .as_ref()
                    .and_then(|d| d.parts.get(s.selected))
                    .map_or(0, |p| p.0);
                let g = rows.get(at).or(rows.first())?;
                g.service
                    .as_deref()
                    .and_then(|k| reg.service_by_key(k))
                    .map(Node::Service)
                    .or_else(|| reg.topic_index(&g.topic).map(Node::Topic))
            }
            Route::Service(_) | Route::Topic(_) | Route::Event(_) | Route::Graph(_) => self
                .links(&s.route)
                .get(s.pane)
                .and_then(|p| p.1.get(s.selected).copied()),
        }
    }

    /// The target the selection stands for (an event row is an event target).
    pub(super) fn selected_target(&self) -> Option<Target> {
        let s = self.screen();
        if s.route == Route::Events {
            let (e, ts) = s.items.rows().get(s.selected).map(|&i| &self.data.events[i])?;
            return Some(Target::Event(e.clone(), ts.clone()));
        }
        // On an event's screen, i and v act on the event.
        if let Route::Event(e) = &s.route {
            return Some(Target::Event(e.clone(), self.data.event_topics(e).to_vec()));
        }
        // In a detail or graph view, i and v act on what the view is about;
        // Enter is the way into a linked item.
        match self.current_node().or_else(|| self.selected_node())? {
            Node::Service(i) => Some(Target::Service(i)),
            Node::Topic(i) => Some(Target::Topic(i)),
        }
    }

    /// The node a detail or graph screen is about.
    pub(super) fn current_node(&self) -> Option<Node> {
        match self.screen().route {
            Route::Service(i) => Some(Node::Service(i)),
            Route::Topic(i) => Some(Node::Topic(i)),
            Route::Graph(n) => Some(n),
            _ => None,
        }
    }

    /// The last sampled messages of a topic, newest first.
    pub fn messages(&self, topic: TopicId) -> Vec<&crate::cluster::kafka::peek::Peeked> {
        let name = &self.data.reg.topics[topic].name;
        let Some((_, msgs)) = self
            .live
            .as_ref()
            .and_then(|l| l.tails.as_ref())
            .and_then(|t| t.iter().find(|(n, _)| n == name))
        else {
            return Vec::new();
        };
        let order = self.joined.messages.get(topic).map_or(&[][..], Vec::as_slice);
        order.iter().filter_map(|&i| msgs.get(i)).collect()
    }

    pub(super) fn selected_name(&self) -> Option<String> {
        let s = self.screen();
        if let Route::Messages(t) = s.route {
            // `y` copies the selected message's value.
            let msgs = self.messages(t);
            let m = s.items.rows().get(s.selected).and_then(|&i| msgs.get(i))?;
            return Some(crate::cluster::kafka::peek::value_text(m));
        }
        if s.route == Route::Events {
            return s.items.rows().get(s.selected).map(|&i| self.data.events[i].0.clone());
        }
        if matches!(s.route, Route::Lag | Route::Group(_)) {
            return self.selected_group();
        }
        let n = self.selected_node().or_else(|| self.current_node())?;
        Some(match n {
            Node::Service(i) => self.data.reg.services[i].key.clone(),
            Node::Topic(i) => self.data.reg.topics[i].name.clone(),
        })
    }
}

/// A column a filter can look at, and its value in one row (borrowed where it can
/// be: a keystroke filters every row of a 10,000-topic list).
pub(super) type Field<'a> = (&'static str, Cow<'a, str>);

/// An optional text as a column's value (empty when absent).
fn opt(v: &Option<String>) -> Cow<'_, str> {
    v.as_deref().unwrap_or("").into()
}

/// A domain's display name as a column's value (`domain:runtime` and `domain:Runtime
/// Services` both match).
fn domain_name<'a>(reg: &'a Registry, d: &'a Option<String>) -> Cow<'a, str> {
    d.as_deref().map_or("", |d| reg.domain_name(d)).into()
}

/// A topic's columns for filters.
fn topic_fields<'a>(reg: &'a Registry, t: &'a crate::core::registry::model::Topic) -> Vec<Field<'a>> {
    vec![
        ("domain", domain_name(reg, &t.domain)),
        ("name", t.name.as_str().into()),
        ("topic", t.name.as_str().into()),
        ("status", t.status.as_str().into()),
        ("domain", opt(&t.domain)),
        ("owner", opt(&t.owner)),
    ]
}

/// A service's columns for filters.
fn service_fields<'a>(reg: &'a Registry, x: &'a crate::core::registry::model::Service) -> Vec<Field<'a>> {
    vec![
        ("domain", domain_name(reg, &x.domain)),
        ("name", x.key.as_str().into()),
        ("name", x.name.as_str().into()),
        ("service", x.key.as_str().into()),
        ("id", x.id.map(|i| i.to_string()).unwrap_or_default().into()),
        ("domain", opt(&x.domain)),
        ("kind", format!("{:?}", x.kind).to_lowercase().into()),
        ("owner", opt(&x.owner)),
    ]
}

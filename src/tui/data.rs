//! What the UI shows, derived once per registry load: the registry, its topology,
//! the event index and completion targets.

use crate::core::map::plan::Layout;
use crate::core::map::Zoom;
use crate::core::registry::{Registry, Status, TopicId};
use crate::core::topology::Topology;
use std::sync::Arc;

/// One finding of the registry's own checks, as `:check` shows it: made once per
/// load, escaped, with the snippet `ktopo check` prints.
#[derive(Debug, Clone)]
pub struct CheckFinding {
    pub severity: crate::core::diag::Severity,
    pub code: &'static str,
    /// `file:line:col`, or the file alone.
    pub at: String,
    pub line: u32,
    pub message: String,
    pub hint: Option<String>,
    /// The rustc-style rendering (message, the registry's line, help), one line each.
    pub snippet: Vec<String>,
}

impl CheckFinding {
    fn new(src: &crate::core::diag::Source, d: &crate::core::diag::Diagnostic) -> Self {
        use crate::core::visible::one_line;
        let at = match d.loc {
            Some(l) => format!("{}:{}:{}", src.path, l.line, l.col),
            None => src.path.clone(),
        };
        let rendered = crate::core::diag::render(src, std::slice::from_ref(d), false);
        CheckFinding {
            severity: d.severity,
            code: d.code,
            at: one_line(&at).into_owned(),
            line: d.loc.map_or(0, |l| l.line),
            message: one_line(&d.message).into_owned(),
            hint: d.hint.as_deref().map(|h| one_line(h).into_owned()),
            snippet: rendered.lines().map(|l| one_line(l).into_owned()).collect(),
        }
    }
}

pub struct Data {
    /// Shared with the layout job and the sampler's watch list, never copied.
    pub reg: Arc<Registry>,
    /// Which registry load this is: a layout for an older one is dropped.
    pub generation: u64,
    pub topo: Topology,
    /// Every event type with the topics carrying it, sorted by name.
    pub events: Vec<(String, Vec<TopicId>)>,
    /// Deprecated topics, in registry order.
    pub deprecated: Vec<TopicId>,
    /// `service:KEY`, `topic:NAME`, `event:TYPE` for command completion.
    pub targets: Vec<String>,
    pub source_path: String,
    /// What the registry's own checks found (`:check`), worst first.
    pub checks: Vec<CheckFinding>,
    /// The platform map at each zoom level, laid out once per registry load off the UI
    /// thread (2,000 topics take tens of milliseconds): asked for with an effect, it
    /// arrives as an event.
    pub map: MapState,
}

/// Where the map's layout is.
#[derive(Debug, Clone)]
pub enum MapState {
    /// Not asked for yet: the next update asks (`Effect::LayOut`).
    Wanted,
    Pending,
    Ready(Arc<Vec<Layout>>),
    Failed(MapError),
}

impl Data {
    /// The platform map with full boxes, once laid out.
    pub fn map(&self) -> Option<&Layout> {
        self.map_at(Zoom::Full)
    }
    pub fn map_at(&self, zoom: Zoom) -> Option<&Layout> {
        let i = Zoom::ALL.iter().position(|&z| z == zoom)?;
        match &self.map {
            MapState::Ready(all) => all.get(i),
            _ => None,
        }
    }
    /// Why there is no map: still laying out (None), or the layout failed.
    pub fn map_error(&self) -> Option<&MapError> {
        match &self.map {
            MapState::Failed(why) => Some(why),
            _ => None,
        }
    }
    /// Lay the map out here and now (tests, benchmarks): what the layout job does.
    pub fn lay_out_now(&mut self) {
        if !matches!(self.map, MapState::Ready(_) | MapState::Failed(_)) {
            self.map = match lay_out_with(layered, &self.reg) {
                Ok(l) => MapState::Ready(l),
                Err(why) => MapState::Failed(why),
            };
        }
    }
    pub fn new(reg: Registry) -> Self {
        Self::shared(Arc::new(reg))
    }
    pub fn shared(reg: Arc<Registry>) -> Self {
        let topo = Topology::build(&reg);
        let events: Vec<(String, Vec<TopicId>)> = reg.events().into_iter().map(|(e, t)| (e.to_string(), t)).collect();
        let deprecated = reg
            .topics_by_id()
            .filter(|(_, t)| t.status == Status::Deprecated)
            .map(|(i, _)| i)
            .collect();
        let mut targets: Vec<String> = reg.services.iter().map(|s| format!("service:{}", s.key)).collect();
        targets.extend(reg.topics.iter().map(|t| format!("topic:{}", t.name)));
        targets.extend(events.iter().map(|(e, _)| format!("event:{e}")));
        Data {
            map: MapState::Wanted,
            generation: 0,
            reg,
            topo,
            events,
            deprecated,
            targets,
            source_path: String::new(),
            checks: Vec::new(),
        }
    }

    /// Remember which file the registry was read from (for drift findings) and what
    /// `ktopo check` says about it (for `:check`).
    pub fn with_checks(mut self, source: &crate::core::diag::Source, found: &[crate::core::diag::Diagnostic]) -> Self {
        self.source_path.clone_from(&source.path);
        self.checks = found.iter().map(|d| CheckFinding::new(source, d)).collect();
        // Worst first, then in file order.
        self.checks.sort_by_key(|f| (f.severity, f.line));
        self
    }

    /// The topics that carry an event type (none for one the registry lacks).
    pub fn event_topics(&self, event: &str) -> &[TopicId] {
        match self.events.binary_search_by(|(e, _)| e.as_str().cmp(event)) {
            Ok(i) => &self.events[i].1,
            Err(_) => &[],
        }
    }

    /// Deprecated topics that `topic` replaces.
    pub fn replaces(&self, topic: TopicId) -> Vec<TopicId> {
        let name = &self.reg.topics[topic].name;
        self.deprecated
            .iter()
            .copied()
            .filter(|&d| self.reg.topics[d].replaced_by() == Some(name))
            .collect()
    }
}

/// What lays out a registry (the map's layered layout; tests pass their own).
pub type Layouter = fn(&Registry) -> Vec<Layout>;

/// The platform map at every zoom level.
pub fn layered(reg: &Registry) -> Vec<Layout> {
    crate::core::map::all_zooms(reg, &crate::core::topology::Topology::build(reg))
}

/// Why there is no map.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum MapError {
    #[error("the layout failed ({0}); please report it")]
    Panicked(String),
    #[error("cannot start the layout thread: {0}")]
    NoThread(String),
}

/// Lay out, a panic contained: the map then says the layout failed.
pub fn lay_out_with(layouter: Layouter, reg: &Registry) -> Result<Arc<Vec<Layout>>, MapError> {
    super::panics::contain(|| layouter(reg))
        .map(Arc::new)
        .map_err(|p| MapError::Panicked(p.0))
}

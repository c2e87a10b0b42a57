//! What the UI shows, derived once per registry load: the registry, its topology,
//! the event index and completion targets.

use crate::map::layout::Layout;
use crate::map::Zoom;
use crate::registry::{Registry, Status};
use crate::topology::Topology;
use std::sync::{Arc, OnceLock};

pub struct Data {
    pub reg: Registry,
    pub topo: Topology,
    /// Every event type with the topics carrying it, sorted by name.
    pub events: Vec<(String, Vec<usize>)>,
    /// Deprecated topics, in registry order.
    pub deprecated: Vec<usize>,
    /// `service:KEY`, `topic:NAME`, `event:TYPE` for command completion.
    pub targets: Vec<String>,
    pub source_path: String,
    /// The platform map at each zoom level, computed once per registry load on a
    /// thread of its own (2,000 topics take tens of milliseconds): None until done.
    map: Arc<OnceLock<MapResult>>,
}

type MapResult = Result<Vec<Layout>, String>;

impl Data {
    /// The platform map with full boxes, once laid out.
    pub fn map(&self) -> Option<&Layout> {
        self.map_at(Zoom::Full)
    }
    pub fn map_at(&self, zoom: Zoom) -> Option<&Layout> {
        let i = Zoom::ALL.iter().position(|&z| z == zoom)?;
        self.map.get()?.as_ref().ok()?.get(i)
    }
    /// Why there is no map: still laying out (None), or the layout failed.
    pub fn map_error(&self) -> Option<&str> {
        self.map.get()?.as_ref().err().map(String::as_str)
    }
    /// Block until the layout thread is done (tests, benchmarks, the CLI).
    pub fn wait_map(&self) {
        while self.map.get().is_none() {
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
    }
    pub fn new(reg: Registry) -> Self {
        let topo = Topology::build(&reg);
        let events: Vec<(String, Vec<usize>)> = reg.events().into_iter().map(|(e, t)| (e.to_string(), t)).collect();
        let deprecated = (0..reg.topics.len())
            .filter(|&i| reg.topics[i].status == Status::Deprecated)
            .collect();
        let mut targets: Vec<String> = reg.services.iter().map(|s| format!("service:{}", s.key)).collect();
        targets.extend(reg.topics.iter().map(|t| format!("topic:{}", t.name)));
        targets.extend(events.iter().map(|(e, _)| format!("event:{e}")));
        Data {
            map: spawn_layout(&reg),
            reg,
            topo,
            events,
            deprecated,
            targets,
            source_path: String::new(),
        }
    }

    /// Remember which file the registry was read from, for drift findings.
    pub fn with_source(mut self, source: &crate::diag::Source) -> Self {
        self.source_path.clone_from(&source.path);
        self
    }

    /// Deprecated topics that `topic` replaces.
    pub fn replaces(&self, topic: usize) -> Vec<usize> {
        let name = &self.reg.topics[topic].name;
        self.deprecated
            .iter()
            .copied()
            .filter(|&d| self.reg.topics[d].replaced_by() == Some(name))
            .collect()
    }
}

static LAYOUT_TURN: std::sync::Mutex<()> = std::sync::Mutex::new(());
static LAYOUTS_RUN: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// Map layouts started in this process (skipped ones are not counted).
pub fn layouts_run() -> usize {
    LAYOUTS_RUN.load(std::sync::atomic::Ordering::Relaxed)
}

/// Lay out the map on its own thread; its panic is contained (the map then says so).
fn spawn_layout(reg: &Registry) -> Arc<OnceLock<MapResult>> {
    let slot: Arc<OnceLock<MapResult>> = Arc::new(OnceLock::new());
    let (out, reg) = (Arc::clone(&slot), reg.clone());
    let run = move || {
        // One layout at a time; one for a registry already replaced (its Data dropped,
        // this thread holds the last reference) is skipped: saving a large registry
        // several times in a row must not pile up layouts.
        let _turn = LAYOUT_TURN.lock().unwrap_or_else(|p| p.into_inner());
        if Arc::strong_count(&out) == 1 {
            return;
        }
        LAYOUTS_RUN.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let done = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            assert!(
                !crate::tui::inject_panic("layout"),
                "injected layout panic (KTOPO_INJECT_PANIC=layout)"
            );
            crate::map::all_zooms(&reg, &Topology::build(&reg))
        }));
        let _ = out.set(done.map_err(|e| {
            let why = e
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| e.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "panic".into());
            // The hook kept it for the live side's message too: this one is said here.
            let _ = crate::tui::contained_panic();
            format!("the layout failed ({why}); please report it")
        }));
    };
    if let Err(e) = std::thread::Builder::new().name("ktopo-layout".into()).spawn(run) {
        let _ = slot.set(Err(format!("cannot start the layout thread: {e}")));
    }
    slot
}

/// A list filter: case-insensitive substring, or a regex after `re:`.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub text: String,
    lower: String,
    regex: Option<regex::Regex>,
    /// Set when the regex does not compile; the filter then matches nothing.
    pub error: Option<String>,
}

impl Filter {
    pub fn new(text: &str) -> Self {
        let mut f = Filter {
            text: text.to_string(),
            lower: text.to_lowercase(),
            ..Default::default()
        };
        if let Some(re) = text.strip_prefix("re:") {
            match regex::RegexBuilder::new(re)
                .case_insensitive(true)
                .size_limit(1 << 20)
                .build()
            {
                Ok(r) => f.regex = Some(r),
                Err(_) => f.error = Some("invalid regex".into()),
            }
        }
        f
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    pub fn matches(&self, hay: &str) -> bool {
        if self.text.is_empty() {
            return true;
        }
        if let Some(r) = &self.regex {
            return r.is_match(hay);
        }
        if self.error.is_some() {
            return false;
        }
        // Registry names are ASCII; avoid allocating for the common case.
        if hay.is_ascii() && self.lower.is_ascii() {
            let (h, n) = (hay.as_bytes(), self.lower.as_bytes());
            return n.len() <= h.len() && h.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n));
        }
        hay.to_lowercase().contains(&self.lower)
    }
}

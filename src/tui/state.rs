//! The application's state: plain data, the events that change it and the effects it
//! asks for. `update` (in `update.rs`) is the only place it changes.

use super::data::Data;
use super::prompt::Prompt;
use super::theme::Theme;
use crate::core::impact::{Dir, Impact, Target};
use crate::core::join::{Joined, Setting};
use crate::core::live::view::LiveView;
use crate::core::map::plan::Layout as MapLayout;
use crate::core::map::Zoom;
use crate::core::registry::{Checked, Registry, ServiceId, TopicId};
use crate::core::topology::Node;
use crossterm::event::{KeyEvent, MouseEvent};
use std::sync::Arc;

/// Everything that can happen to the app.
#[derive(Debug)]
pub enum Event {
    Key(KeyEvent),
    Mouse(MouseEvent),
    Resize(u16, u16),
    /// Periodic: `now_s` is seconds since start (the only clock the app sees).
    Tick(f64),
    /// The registry file was loaded again (by `r` or because it changed).
    Reload(Box<Checked>),
    /// A new live picture from the sampler.
    Live(Box<LiveView>),
    /// A new live picture already joined with registry load `generation` (the live
    /// feed joins off the UI thread: at 10,000 topics a join takes over 100 ms).
    Joined {
        view: Box<LiveView>,
        generation: u64,
        joined: Box<crate::core::join::Joined>,
    },
    /// The live side stopped after an internal error (a contained thread panic): the
    /// UI goes on with the registry and the last picture, marked stopped.
    LiveStopped(String),
    /// `:ctx` switched to `context`: its live feed's joins use its drift environment
    /// (the next picture brings them: no join here); `registry`, the file it names
    /// (`back_to_start`: it names none, so the one the session opened), arrives as a
    /// `Reload`.
    Switched {
        context: String,
        registry: String,
        back_to_start: bool,
        environment: String,
        environment_chosen: bool,
    },
    /// The map of registry load `generation`, laid out (or why not).
    Map {
        generation: u64,
        layouts: Result<Arc<Vec<MapLayout>>, super::data::MapError>,
    },
}

/// What the app asks the outside world to do; `update` returns them, the run loop
/// (or a test) carries them out. The app itself never does I/O.
#[derive(Debug, Clone)]
pub enum Effect {
    Quit,
    /// Load the registry file again; the result arrives as `Event::Reload`.
    Reload,
    /// Put text on the clipboard.
    Copy(String),
    /// Hand the terminal back and stop the process (Ctrl-Z, SIGTSTP).
    Suspend,
    /// Lay out the map of this registry; the result arrives as `Event::Map`.
    LayOut {
        generation: u64,
        registry: Arc<Registry>,
    },
    /// The registry was replaced: the sampler watches the groups it declares, and the
    /// live feed joins its samples with it.
    Watch {
        generation: u64,
        registry: Arc<Registry>,
    },
    /// Sample the cluster of this context instead (`:ctx NAME`): the live feed stops
    /// and a new one connects, joining with this registry.
    SwitchContext {
        name: String,
        generation: u64,
        registry: Arc<Registry>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub enum Route {
    Services,
    Topics,
    Events,
    Deprecated,
    Lag,
    Drift,
    /// The registry's own checks (`ktopo check`), with file:line:col.
    Check,
    /// The whole topology as a layered flow diagram.
    Map,
    /// Who serves stale data right now, worst first.
    Stale,
    Platform,
    Service(ServiceId),
    /// An event type: the topics that carry it, their producers and consumers, an
    /// example (by name: event types have no id).
    Event(String),
    Topic(TopicId),
    /// The last sampled messages of a topic.
    Messages(TopicId),
    Impact(Target, Dir),
    Graph(Node),
    /// A consumer group (by its id, as the cluster names it): its state, members,
    /// statuses with their changes, a chart of the session and its partitions.
    Group(String),
}

impl Route {
    /// Service, topic and event detail: facts on the left, link panes on the right.
    pub fn has_facts(&self) -> bool {
        matches!(self, Route::Service(_) | Route::Topic(_) | Route::Event(_))
    }

    pub fn title(&self, data: &Data) -> String {
        match self {
            Route::Services => "services".into(),
            Route::Topics => "topics".into(),
            Route::Events => "events".into(),
            Route::Event(e) => format!("event {e}"),
            Route::Deprecated => "deprecated".into(),
            Route::Lag => "lag".into(),
            Route::Drift => "drift".into(),
            Route::Check => "check".into(),
            Route::Map => "map".into(),
            Route::Stale => "stale".into(),
            Route::Platform => "platform".into(),
            Route::Service(i) => data.reg.services[*i].key.clone(),
            Route::Topic(i) => data.reg.topics[*i].name.clone(),
            Route::Messages(i) => format!("messages {}", data.reg.topics[*i].name),
            Route::Impact(t, d) => format!("impact {} ({})", t.describe(&data.reg), d.as_str()),
            Route::Graph(n) => format!("graph {}", crate::core::impact::node_ref(&data.reg, *n)),
            Route::Group(g) => format!("group {}", crate::core::visible::one_line(g)),
        }
    }
}

/// The `pane` of a detail view whose facts (its left side) have the focus.
pub const FACTS_PANE: usize = usize::MAX;

/// One entry of the navigation stack, with its own selection and filter.
#[derive(Debug, Clone)]
pub struct Screen {
    pub route: Route,
    pub selected: usize,
    pub offset: usize,
    pub filter: Filter,
    /// The visible items after filtering.
    pub items: Items,
    /// Detail views: which pane has focus (a link pane, or `FACTS_PANE`). Graph: 0
    /// left, 1 right.
    pub pane: usize,
    /// Impact routes: the computed result; service detail: both directions. Map:
    /// the focus.
    pub impact: Option<Impact>,
    /// Map: zoom and panning.
    pub map: MapView,
    /// The first row shown of the screen's scrolled pane: a detail view's facts,
    /// `:lag`'s partition pane (pane 1 when focused).
    pub scroll: usize,
    /// Group: what its screen draws, derived once per sample.
    pub group: Option<std::sync::Arc<super::group_data::GroupData>>,
}

/// What a screen lists, after filtering: services or topics of the registry, or rows
/// of the route's own list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Items {
    /// Positions in the route's own list (meaning depends on the route: events, lag
    /// rows, findings, stale rows, map boxes, page lines, affected entries, messages).
    Rows(Vec<usize>),
    /// `:services`.
    Services(Vec<ServiceId>),
    /// `:topics` and `:deprecated`.
    Topics(Vec<TopicId>),
}

impl Default for Items {
    fn default() -> Self {
        Items::Rows(Vec::new())
    }
}

impl Items {
    pub fn len(&self) -> usize {
        match self {
            Items::Rows(v) => v.len(),
            Items::Services(v) => v.len(),
            Items::Topics(v) => v.len(),
        }
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// The rows of a list of rows (empty for a list of services or topics).
    pub fn rows(&self) -> &[usize] {
        match self {
            Items::Rows(v) => v,
            Items::Services(_) | Items::Topics(_) => &[],
        }
    }
    /// The services of a list of services (else empty).
    pub fn services(&self) -> &[ServiceId] {
        match self {
            Items::Services(v) => v,
            Items::Rows(_) | Items::Topics(_) => &[],
        }
    }
    /// The topics of a list of topics (else empty).
    pub fn topics(&self) -> &[TopicId] {
        match self {
            Items::Topics(v) => v,
            Items::Rows(_) | Items::Services(_) => &[],
        }
    }
    /// The service or topic at `i` of a list of them.
    pub fn node(&self, i: usize) -> Option<Node> {
        match self {
            Items::Rows(_) => None,
            Items::Services(v) => v.get(i).copied().map(Node::Service),
            Items::Topics(v) => v.get(i).copied().map(Node::Topic),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Normal,
    Filter,
    Command,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Popup {
    /// Keys, commands and the legend of the current view; `scroll`: the first line
    /// shown.
    Help { scroll: usize },
    /// The registry on disk is broken: its findings, one per line.
    Diagnostics(Vec<String>),
    /// One `:check` finding as `ktopo check` prints it (message, snippet, help).
    Finding(Vec<String>),
}

/// The map's own state on its screen.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MapView {
    pub zoom: Zoom,
    /// Top-left map cell when panned freely; None: the view follows the selection.
    pub pan: Option<(u32, u32)>,
    /// Where a mouse drag was last seen (terminal cell).
    pub drag: Option<(u16, u16)>,
}

pub struct App {
    pub data: Data,
    pub stack: Vec<Screen>,
    pub mode: Mode,
    /// The `/` and `:` prompts, each with its own history.
    pub filter_line: Prompt,
    pub command_line: Prompt,
    pub popup: Option<Popup>,
    pub width: u16,
    pub height: u16,
    pub theme: Theme,
    pub live: Option<LiveView>,
    /// The registry joined with the live picture: recomputed when a picture arrives
    /// and when the registry is reloaded, never while drawing.
    pub joined: Joined,
    /// What the join is told besides the data: the environment, samples so far.
    pub setting: Setting,
    /// What the broker side is doing when there is no live data ("offline").
    pub broker_note: String,
    /// The context in use (`--context`, `:ctx`), shown in the header.
    pub context: Option<String>,
    /// What the last `:ctx` said, until its registry arrives (the reload's message
    /// keeps it).
    pub switched: Option<String>,
    /// The contexts `:ctx` can switch to.
    pub contexts: Vec<String>,
    pub message: Option<String>,
    /// Why live data stopped, when it did (an internal error in the sampler).
    pub live_stopped: Option<String>,
    pub quit: bool,
    /// Effects asked for during the current `update`, handed out at its end: always
    /// empty between updates.
    pub(super) out: Vec<Effect>,
    pub now_s: f64,
    /// When the current live picture arrived (in `now_s` time).
    pub live_at: Option<f64>,
}

impl App {
    /// The line being typed (in `/` or `:` mode).
    pub fn line(&self) -> &Prompt {
        match self.mode {
            Mode::Filter => &self.filter_line,
            _ => &self.command_line,
        }
    }

    pub(super) fn line_mut(&mut self) -> &mut Prompt {
        match self.mode {
            Mode::Filter => &mut self.filter_line,
            _ => &mut self.command_line,
        }
    }

    pub fn screen(&self) -> &Screen {
        self.stack.last().expect("the stack is never empty")
    }

    pub(super) fn screen_mut(&mut self) -> &mut Screen {
        self.stack.last_mut().expect("the stack is never empty")
    }

    pub fn layout(&self) -> super::layout::Layout {
        super::layout::Layout::new(self.width, self.height)
    }

    /// Seconds since the last good sample, as of now: the picture's own age when it
    /// arrived plus the time since. It keeps growing if the sampler dies or blocks.
    pub fn live_age(&self) -> Option<f64> {
        let since = self.live_at.map(|at| (self.now_s - at).max(0.0))?;
        let at_arrival = self.live.as_ref().and_then(|l| l.age_s).unwrap_or(0.0);
        Some(at_arrival + since)
    }

    /// Older than three sampling intervals, judged here rather than by the sampler, so
    /// a sampler that stops sending cannot leave the header green.
    pub fn live_stale(&self) -> bool {
        self.live_stopped.is_some()
            || self.live.as_ref().is_some_and(|l| {
                l.stale || (l.interval_s > 0.0 && self.live_age().is_some_and(|a| a > 3.0 * l.interval_s))
            })
    }
}

/// A list filter: a case-insensitive substring of the names, a regex of them after
/// `re:`, or `COLUMN:TEXT` for any other column the view has (`status:stall`,
/// `owner:team-runtime`, `domain:re:^pre`).
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub text: String,
    /// The column it looks at (None: the names).
    pub column: Option<String>,
    lower: String,
    regex: Option<regex::Regex>,
    /// Set when the regex does not compile; the filter then matches nothing.
    pub error: Option<String>,
}

impl Filter {
    pub fn new(text: &str) -> Self {
        let mut f = Filter {
            text: text.to_string(),
            ..Default::default()
        };
        let mut pattern = text;
        if let Some((col, rest)) = text.split_once(':') {
            let col = col.trim().to_lowercase();
            if col != "re" && !col.is_empty() && col.chars().all(|c| c.is_ascii_alphabetic() || c == '-') {
                f.column = Some(col);
                pattern = rest.trim_start();
            }
        }
        f.lower = pattern.to_lowercase();
        if let Some(re) = pattern.strip_prefix("re:") {
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

    /// Whether an item with these (column, value) pairs passes: its `name` values, or
    /// the filter's column (an item without that column does not pass).
    pub fn matches_fields(&self, fields: &[(&str, std::borrow::Cow<str>)]) -> bool {
        if self.text.is_empty() {
            return true;
        }
        let column = self.column.as_deref().unwrap_or("name");
        fields
            .iter()
            .filter(|(c, _)| *c == column)
            .any(|(_, v)| self.matches(v))
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
        // `status:` with nothing after it yet: everything passes.
        if self.lower.is_empty() {
            return true;
        }
        // Registry names are ASCII; avoid allocating for the common case.
        if hay.is_ascii() && self.lower.is_ascii() {
            let (h, n) = (hay.as_bytes(), self.lower.as_bytes());
            return n.len() <= h.len() && h.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n));
        }
        hay.to_lowercase().contains(&self.lower)
    }
}

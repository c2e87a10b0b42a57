//! The application state and `update`, the only place it changes.

use super::command::{self, Command};
use super::data::{Data, Filter};
use super::keys::{action_for, Action};
use super::layout::Layout;
use super::theme::Theme;
use crate::diag::{self, Diagnostic, Source};
use crate::impact::{self, Dir, Impact, Target};
use crate::live::view::LiveView;
use crate::registry::Checked;
use crate::topology::Node;
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, MouseEvent, MouseEventKind};

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
    /// The live side stopped after an internal error (a contained thread panic): the
    /// UI goes on with the registry and the last picture, marked stopped.
    LiveStopped(String),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Route {
    Services,
    Topics,
    Events,
    Deprecated,
    Lag,
    Drift,
    /// The whole topology as a layered flow diagram.
    Map,
    /// Who serves stale data right now, worst first.
    Stale,
    Platform,
    Service(usize),
    Topic(usize),
    /// The last sampled messages of a topic.
    Messages(usize),
    Impact(Target, Dir),
    Graph(Node),
}

impl Route {
    pub fn title(&self, data: &Data) -> String {
        match self {
            Route::Services => "services".into(),
            Route::Topics => "topics".into(),
            Route::Events => "events".into(),
            Route::Deprecated => "deprecated".into(),
            Route::Lag => "lag".into(),
            Route::Drift => "drift".into(),
            Route::Map => "map".into(),
            Route::Stale => "stale".into(),
            Route::Platform => "platform".into(),
            Route::Service(i) => data.reg.services[*i].key.clone(),
            Route::Topic(i) => data.reg.topics[*i].name.clone(),
            Route::Messages(i) => format!("messages {}", data.reg.topics[*i].name),
            Route::Impact(t, d) => format!("impact {} ({})", t.describe(&data.reg), d.as_str()),
            Route::Graph(n) => format!("graph {}", impact::node_ref(&data.reg, *n)),
        }
    }
}

/// One entry of the navigation stack, with its own selection and filter.
#[derive(Debug, Clone)]
pub struct Screen {
    pub route: Route,
    pub selected: usize,
    pub offset: usize,
    pub filter: Filter,
    /// Indices of the visible items after filtering (meaning depends on the route).
    pub items: Vec<usize>,
    /// Detail views: which pane has focus. Graph: 0 left, 1 right.
    pub pane: usize,
    /// Impact routes: the computed result; service detail: both directions. Map:
    /// the focus.
    pub impact: Option<Impact>,
    /// Map: zoom and panning.
    pub map: super::map_nav::MapView,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Normal,
    Filter,
    Command,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Popup {
    Help,
    /// The registry on disk is broken: its findings, one per line.
    Diagnostics(Vec<String>),
}

/// Called with each registry that replaces the current one.
pub type RegistryHook = Box<dyn FnMut(&crate::registry::Registry)>;

pub struct App {
    pub data: Data,
    pub stack: Vec<Screen>,
    pub mode: Mode,
    /// Text being typed after `/` or `:`.
    pub input: String,
    pub popup: Option<Popup>,
    pub width: u16,
    pub height: u16,
    pub theme: Theme,
    pub live: Option<LiveView>,
    /// Registry against cluster, recomputed when a live picture arrives.
    pub drift: Option<Drift>,
    /// Who serves stale data right now, recomputed when a live picture arrives.
    pub stale: Option<crate::stale::Staleness>,
    /// The live picture's groups by service and topic, for per-box lookups.
    pub groups: crate::live::view::GroupIndex,
    /// Live pictures received (drift's windowed facts need two or more).
    pub samples: u32,
    /// What the broker side is doing when there is no live data ("offline").
    pub broker_note: String,
    pub message: Option<String>,
    /// Why live data stopped, when it did (an internal error in the sampler).
    pub live_stopped: Option<String>,
    /// Text to put on the clipboard (the run loop sends it as OSC 52).
    pub clipboard: Option<String>,
    /// The run loop should load the registry again.
    pub reload_requested: bool,
    /// The run loop should hand the terminal back and stop the process (Ctrl-Z, SIGTSTP).
    pub suspend_requested: bool,
    pub quit: bool,
    pub now_s: f64,
    /// When the current live picture arrived (in `now_s` time).
    pub live_at: Option<f64>,
    /// Told about every registry that replaces the current one (the sampler watches
    /// the groups it declares).
    pub on_registry_change: Option<RegistryHook>,
}

/// Drift as the TUI shows it: the facts (for the deprecated view's migration column)
/// and the findings.
pub struct Drift {
    pub facts: crate::drift::facts::Facts,
    pub report: crate::drift::Report,
    /// When it was computed (ms since the epoch): "last written 3 h ago" is relative
    /// to this, so drawing stays a function of the state.
    pub at_ms: i64,
    /// Findings from the sampled messages, kept until new messages are sampled (they
    /// arrive once a minute; checking them on every sample would load the UI thread).
    pub observed: Option<(crate::live::metrics::Tails, Vec<crate::drift::Finding>)>,
    /// Writers and readers the registry does not declare, from the above.
    pub links: Vec<super::observed::Link>,
}

impl Drift {
    /// The observed links on one topic (they are sorted by topic).
    pub fn links_on(&self, topic: usize) -> &[super::observed::Link] {
        let from = self.links.partition_point(|l| l.topic < topic);
        let to = self.links.partition_point(|l| l.topic <= topic);
        &self.links[from..to]
    }
    pub fn compute(data: &Data, live: &LiveView, samples: u32, before: Option<Drift>) -> Drift {
        use crate::drift::{facts::Facts, rules};
        let facts = Facts::from_live(live, samples);
        // The demo cluster stands for a development environment.
        let env = if live.source == "demo cluster" {
            "development"
        } else {
            "production"
        };
        let at_ms = crate::time::now_ms();
        let opts = rules::Options {
            environment: env.into(),
            environment_chosen: false,
            now_ms: at_ms,
        };
        let mut report = rules::compute(&data.reg, &facts, &opts);
        let observed = live.tails.as_ref().map(|tails| match before.and_then(|b| b.observed) {
            Some((seen, found)) if std::sync::Arc::ptr_eq(&seen, tails) => (seen, found),
            _ => (tails.clone(), rules::observed(&data.reg, tails)),
        });
        if let Some((_, found)) = &observed {
            report.merge(found);
        }
        let links = super::observed::links(&data.reg, &facts, &report);
        Drift {
            facts,
            report,
            at_ms,
            observed,
            links,
        }
    }
}

impl App {
    pub fn new(data: Data, width: u16, height: u16, theme: Theme) -> Self {
        let mut app = App {
            data,
            stack: Vec::new(),
            mode: Mode::Normal,
            input: String::new(),
            popup: None,
            width,
            height,
            theme,
            live: None,
            drift: None,
            stale: None,
            groups: Default::default(),
            samples: 0,
            broker_note: "offline".into(),
            message: None,
            live_stopped: None,
            clipboard: None,
            reload_requested: false,
            suspend_requested: false,
            quit: false,
            now_s: 0.0,
            live_at: None,
            on_registry_change: None,
        };
        app.push(Route::Topics);
        app
    }

    /// Seconds since the live picture arrived, as of the last tick.
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

    pub fn screen(&self) -> &Screen {
        self.stack.last().expect("the stack is never empty")
    }

    pub(super) fn screen_mut(&mut self) -> &mut Screen {
        self.stack.last_mut().expect("the stack is never empty")
    }

    pub fn layout(&self) -> Layout {
        Layout::new(self.width, self.height)
    }

    /// What a screen's impact is: the impact view's result, or both directions of a
    /// service (its detail shows the counts). Computed on entry, not at every frame.
    fn impact_for(&self, route: &Route) -> Option<Impact> {
        let (t, d) = match route {
            Route::Impact(t, d) => (t.clone(), *d),
            Route::Service(i) => (Target::Service(*i), Dir::Both),
            _ => return None,
        };
        Some(impact::impact(&self.data.reg, &self.data.topo, &t, d, None))
    }

    pub fn push(&mut self, route: Route) {
        let impact = self.impact_for(&route);
        let mut s = Screen {
            route,
            selected: 0,
            offset: 0,
            filter: Filter::default(),
            items: Vec::new(),
            pane: 0,
            impact,
            map: Default::default(),
        };
        s.items = self.items_for(&s);
        // Detail views open on their first pane that has something to select.
        if let Some(p) = self.links(&s.route).iter().position(|l| !l.1.is_empty()) {
            s.pane = p;
        }
        self.stack.push(s);
    }

    /// Replace the whole stack with one list route (`:topics` and friends).
    fn go(&mut self, route: Route) {
        if self.screen().route != route {
            self.push(route);
        }
    }

    pub fn update(&mut self, ev: Event) {
        match ev {
            Event::Key(k) if k.kind != KeyEventKind::Release => self.on_key(k),
            Event::Key(_) => {}
            Event::Mouse(m) => self.on_mouse(m),
            Event::Resize(w, h) => {
                self.width = w;
                self.height = h;
                self.clamp();
            }
            Event::Tick(now) => {
                self.now_s = now;
                // The map was laid out after its screen opened: list its nodes now.
                if self.screen().route == Route::Map && self.screen().items.is_empty() && self.data.map().is_some() {
                    self.refresh_items();
                }
            }
            Event::Reload(c) => self.on_reload(*c),
            Event::LiveStopped(why) => {
                self.message = Some(format!(
                    "live data stopped after an internal error ({why}); the registry views still work, please report it"
                ));
                self.live_stopped = Some(why);
            }
            Event::Live(v) => {
                // No verdict without evidence: drift and staleness only from a sample
                // that succeeded (a cluster never reached has no topics, not missing ones).
                if v.sampled() {
                    self.samples = self.samples.saturating_add(1);
                    self.drift = Some(Drift::compute(&self.data, &v, self.samples, self.drift.take()));
                    self.stale = Some(crate::stale::propagate(
                        &self.data.reg,
                        &self.data.topo,
                        &v,
                        crate::stale::DEFAULT_MIN_S,
                    ));
                }
                // The lag table re-sorts every sample: keep the cursor on its group and
                // topic, not on its row number.
                let keep = (self.screen().route == Route::Lag)
                    .then(|| self.selected_lag_row())
                    .flatten();
                self.groups = crate::live::view::GroupIndex::new(&v, &self.data.reg);
                self.live = Some(*v);
                self.live_at = Some(self.now_s);
                self.refresh_items();
                if let Some((group, topic)) = keep {
                    let rows = self.lag_rows();
                    let s = self.screen();
                    let at = s
                        .items
                        .iter()
                        .position(|&i| rows[i].group == group && rows[i].topic == topic);
                    if let Some(at) = at {
                        self.screen_mut().selected = at;
                        self.clamp();
                    }
                }
            }
        }
    }

    fn on_reload(&mut self, c: Checked) {
        // Observed findings were checked against the registry being replaced.
        if let Some(d) = &mut self.drift {
            d.observed = None;
        }
        match c.usable() {
            None => {
                let src: &Source = &c.source;
                let lines: Vec<String> = c
                    .diagnostics
                    .iter()
                    .filter(|d: &&Diagnostic| d.is_error())
                    .map(|d| diag::one_line(src, d))
                    .collect();
                self.popup = Some(Popup::Diagnostics(lines));
            }
            Some(_) => {
                let reg = c.registry.expect("usable implies a registry");
                // Screens follow what they show by name: a service inserted above the
                // open one must not make the screen show another service.
                let old = &self.data.reg;
                let names: Vec<Option<String>> = self
                    .stack
                    .iter()
                    .map(|s| match &s.route {
                        Route::Service(i) | Route::Graph(Node::Service(i)) => Some(old.services[*i].key.clone()),
                        Route::Topic(i) | Route::Messages(i) | Route::Graph(Node::Topic(i)) => {
                            Some(old.topics[*i].name.clone())
                        }
                        _ => None,
                    })
                    .collect();
                self.data = Data::new(reg).with_source(&c.source);
                // Staleness and the group index name nodes of the old registry; the next
                // sample recomputes them.
                self.stale = None;
                self.groups = Default::default();
                let new = &self.data.reg;
                let service = |k: &str| new.service_by_key(k);
                for (s, name) in self.stack.iter_mut().zip(&names) {
                    let Some(name) = name else { continue };
                    // usize::MAX: gone, dropped below.
                    match &mut s.route {
                        Route::Service(i) | Route::Graph(Node::Service(i)) => *i = service(name).unwrap_or(usize::MAX),
                        Route::Topic(i) | Route::Messages(i) | Route::Graph(Node::Topic(i)) => {
                            *i = new.topic_index(name).unwrap_or(usize::MAX)
                        }
                        _ => {}
                    }
                }
                if let Some(notify) = self.on_registry_change.as_mut() {
                    notify(&self.data.reg);
                }
                if matches!(self.popup, Some(Popup::Diagnostics(_))) {
                    self.popup = None;
                }
                // Screens about things that no longer exist are dropped.
                let (ns, nt) = (self.data.reg.services.len(), self.data.reg.topics.len());
                self.stack.retain(|s| match &s.route {
                    Route::Service(i) => *i < ns,
                    Route::Topic(i) | Route::Messages(i) => *i < nt,
                    Route::Graph(Node::Service(i)) => *i < ns,
                    Route::Graph(Node::Topic(i)) => *i < nt,
                    Route::Impact(..) => false,
                    _ => true,
                });
                for i in 0..self.stack.len() {
                    self.stack[i].impact = self.impact_for(&self.stack[i].route);
                }
                if self.stack.is_empty() {
                    self.push(Route::Topics);
                }
                self.refresh_items();
                self.message = Some("registry reloaded".into());
            }
        }
    }

    /// (group, topic) of the selected `:lag` row.
    fn selected_lag_row(&self) -> Option<(String, String)> {
        let s = self.screen();
        let rows = self.lag_rows();
        let g = s.items.get(s.selected).and_then(|&i| rows.get(i))?;
        Some((g.group.clone(), g.topic.clone()))
    }

    fn refresh_items(&mut self) {
        let s = self.screen().clone();
        let items = self.items_for(&s);
        self.screen_mut().items = items;
        self.clamp();
    }

    fn on_key(&mut self, k: KeyEvent) {
        self.message = None;
        if self.popup.is_some() {
            // Any key closes a popup; q still quits.
            if matches!(k.code, KeyCode::Char('q')) && self.popup == Some(Popup::Help) {
                self.popup = None;
            } else if k.code == KeyCode::Char('c') && k.modifiers.contains(crossterm::event::KeyModifiers::CONTROL) {
                self.quit = true;
            } else {
                self.popup = None;
            }
            return;
        }
        match self.mode {
            Mode::Filter | Mode::Command => self.on_input_key(k),
            Mode::Normal => {
                if self.map_key(k) {
                    return;
                }
                if let Some(a) = action_for(k) {
                    self.on_action(a);
                }
            }
        }
    }

    fn on_input_key(&mut self, k: KeyEvent) {
        if k.code == KeyCode::Char('c') && k.modifiers.contains(crossterm::event::KeyModifiers::CONTROL) {
            self.quit = true;
            return;
        }
        match k.code {
            KeyCode::Esc => {
                if self.mode == Mode::Filter {
                    self.set_filter("");
                }
                self.mode = Mode::Normal;
                self.input.clear();
            }
            KeyCode::Enter => {
                let mode = self.mode;
                self.mode = Mode::Normal;
                if mode == Mode::Command {
                    let line = std::mem::take(&mut self.input);
                    self.run_command(&line);
                }
                self.input.clear();
            }
            KeyCode::Tab if self.mode == Mode::Command => {
                self.input = command::complete(&self.input, &self.data.targets);
            }
            KeyCode::Backspace => {
                self.input.pop();
                if self.mode == Mode::Filter {
                    let text = self.input.clone();
                    self.set_filter(&text);
                }
            }
            KeyCode::Char(c) => {
                self.input.push(c);
                if self.mode == Mode::Filter {
                    let text = self.input.clone();
                    self.set_filter(&text);
                }
            }
            _ => {}
        }
    }

    fn set_filter(&mut self, text: &str) {
        let s = self.screen_mut();
        s.filter = Filter::new(text);
        s.selected = 0;
        s.offset = 0;
        self.refresh_items();
    }

    pub fn run_command(&mut self, line: &str) {
        match command::parse(line) {
            Err(e) => self.message = Some(e),
            Ok(Command::Go(route)) => self.go(route),
            Ok(Command::Help) => self.popup = Some(Popup::Help),
            Ok(Command::Quit) => self.quit = true,
            Ok(Command::Impact(arg)) | Ok(Command::Graph(arg)) => {
                let graph = line.trim_start().starts_with('g');
                let target = match arg {
                    Some(a) => match impact::resolve(&self.data.reg, &a) {
                        Ok(t) => Some(t),
                        Err(e) => {
                            let hint = e
                                .suggestions
                                .first()
                                .map(|s| format!(" (closest: {s})"))
                                .unwrap_or_default();
                            self.message = Some(format!("{e}{hint}"));
                            return;
                        }
                    },
                    None => self.selected_target(),
                };
                match target {
                    Some(t) if graph => self.open_graph(t),
                    Some(t) => self.push(Route::Impact(t, Dir::Downstream)),
                    None => self.message = Some("select a service, topic or event first".into()),
                }
            }
        }
    }

    fn open_graph(&mut self, t: Target) {
        let node = match t {
            Target::Service(i) => Node::Service(i),
            Target::Topic(i) => Node::Topic(i),
            Target::Event(_, ts) => Node::Topic(ts[0]),
        };
        self.push(Route::Graph(node));
    }

    fn on_action(&mut self, a: Action) {
        let page = self.layout().page_rows();
        match a {
            Action::Quit => self.quit = true,
            Action::Suspend => self.suspend_requested = true,
            Action::Down => self.move_by(1),
            Action::Up => self.move_by(-1),
            Action::PageDown => self.move_by(page as isize),
            Action::PageUp => self.move_by(-(page as isize)),
            Action::Top => self.move_to(0),
            Action::Bottom => self.move_to(usize::MAX),
            Action::Left | Action::Right if self.screen().route == Route::Map => {
                self.map_step(a == Action::Right);
            }
            Action::Focus if self.screen().route == Route::Map => self.map_focus(),
            Action::Focus => self.message = Some("f focuses a node on the :map".into()),
            Action::ZoomIn | Action::ZoomOut | Action::Zoom => self.map_zoom(a),
            Action::Left | Action::Right => {
                if matches!(self.screen().route, Route::Graph(_)) {
                    let pane = usize::from(a == Action::Right);
                    self.set_pane(pane);
                }
            }
            Action::NextPane => {
                let panes = self.links(&self.screen().route).len();
                if panes > 0 {
                    // Skip empty panes so Tab always lands on something selectable.
                    let route = self.screen().route.clone();
                    let links = self.links(&route);
                    let start = self.screen().pane;
                    let next = (1..=panes)
                        .map(|d| (start + d) % panes)
                        .find(|&p| !links[p].1.is_empty());
                    if let Some(p) = next {
                        self.set_pane(p);
                    }
                }
            }
            Action::Enter => self.enter(),
            Action::Back => self.back(),
            Action::Filter => {
                if !matches!(
                    self.screen().route,
                    Route::Service(_) | Route::Topic(_) | Route::Graph(_)
                ) {
                    self.mode = Mode::Filter;
                    self.input = self.screen().filter.text.clone();
                }
            }
            Action::Command => {
                self.mode = Mode::Command;
                self.input.clear();
            }
            Action::Help => self.popup = Some(Popup::Help),
            Action::Copy => {
                if let Some(name) = self.selected_name() {
                    self.message = Some(if name.chars().count() > 60 {
                        format!("copied {} characters", name.chars().count())
                    } else {
                        format!("copied {name}")
                    });
                    self.clipboard = Some(name);
                }
            }
            Action::Reload => self.reload_requested = true,
            Action::Impact => match self.selected_target() {
                Some(t) => self.push(Route::Impact(t, Dir::Downstream)),
                None => self.message = Some("select a service, topic or event first".into()),
            },
            Action::Graph => match self.selected_target() {
                Some(t) => self.open_graph(t),
                None => self.message = Some("select a service or topic first".into()),
            },
            Action::Migration => self.migration(),
            Action::Direction => {
                if let Route::Impact(t, d) = self.screen().route.clone() {
                    let d = d.next();
                    let imp = impact::impact(&self.data.reg, &self.data.topo, &t, d, None);
                    let s = self.screen_mut();
                    s.route = Route::Impact(t, d);
                    s.impact = Some(imp);
                    s.selected = 0;
                    s.offset = 0;
                    self.refresh_items();
                }
            }
            Action::Lag => self.go(Route::Lag),
            // On a topic's own screen, its messages; elsewhere the selected topic's.
            Action::Messages => match self
                .current_node()
                .filter(|n| matches!(n, Node::Topic(_)))
                .or_else(|| self.selected_node())
            {
                Some(Node::Topic(i)) => self.push(Route::Messages(i)),
                _ => self.message = Some("select a topic first".into()),
            },
        }
    }

    fn set_pane(&mut self, pane: usize) {
        let s = self.screen_mut();
        s.pane = pane;
        s.selected = 0;
        s.offset = 0;
        self.clamp();
    }

    fn enter(&mut self) {
        if let Route::Graph(_) = self.screen().route {
            if let Some(n) = self.selected_node() {
                // Re-centre in place: walking the graph should not grow the stack per hop.
                let s = self.screen_mut();
                s.route = Route::Graph(n);
                s.selected = 0;
                s.offset = 0;
                s.pane = 1;
                let (_, right) = self.graph_sides(n);
                if right.is_empty() {
                    self.screen_mut().pane = 0;
                }
            }
            return;
        }
        if self.screen().route == Route::Events {
            if let Some(t) = self.selected_target() {
                self.push(Route::Impact(t, Dir::Downstream));
            }
            return;
        }
        match self.selected_node() {
            Some(Node::Service(i)) => self.push(Route::Service(i)),
            Some(Node::Topic(i)) => self.push(Route::Topic(i)),
            None => {}
        }
    }

    fn back(&mut self) {
        if !self.screen().filter.is_empty() {
            self.set_filter("");
            return;
        }
        if self.stack.len() > 1 {
            self.stack.pop();
            self.refresh_items();
        }
    }

    /// Deprecated topic → its replacement; replacement → the deprecated topics it replaces.
    fn migration(&mut self) {
        let node = self.selected_node().or_else(|| self.current_node());
        let Some(Node::Topic(t)) = node else {
            self.message = Some("select a topic first".into());
            return;
        };
        let topic = &self.data.reg.topics[t];
        if let Some(r) = topic.replaced_by().and_then(|r| self.data.reg.topic_index(r)) {
            self.push(Route::Topic(r));
            self.focus_pane("migration");
            return;
        }
        let replaced = self.data.replaces(t);
        match replaced.as_slice() {
            [] => self.message = Some(format!("{} is not part of a migration", topic.name)),
            [one] => self.push(Route::Topic(*one)),
            _ => {
                if self.screen().route != Route::Topic(t) {
                    self.push(Route::Topic(t));
                }
                self.focus_pane("migration");
            }
        }
    }

    fn focus_pane(&mut self, title: &str) {
        let route = self.screen().route.clone();
        if let Some(p) = self.links(&route).iter().position(|l| l.0 == title) {
            self.set_pane(p);
        }
    }

    fn move_by(&mut self, delta: isize) {
        let n = self.row_count();
        if n == 0 {
            return;
        }
        let cur = self.screen().selected as isize;
        self.move_to((cur + delta).clamp(0, n as isize - 1) as usize);
    }

    pub(super) fn move_to(&mut self, i: usize) {
        let n = self.row_count();
        let s = self.screen_mut();
        s.selected = i.min(n.saturating_sub(1));
        // The map's view follows a selection that moves.
        s.map.pan = None;
        self.clamp();
    }

    /// Keep the selection in range and visible.
    fn clamp(&mut self) {
        let n = self.row_count();
        let rows = if self.screen().route == Route::Lag {
            self.layout().lag_rows()
        } else {
            self.layout().list_rows()
        };
        let s = self.screen_mut();
        s.selected = s.selected.min(n.saturating_sub(1));
        if s.selected < s.offset {
            s.offset = s.selected;
        } else if rows > 0 && s.selected >= s.offset + rows {
            s.offset = s.selected + 1 - rows;
        }
        s.offset = s.offset.min(n.saturating_sub(rows.max(1)));
    }

    fn on_mouse(&mut self, m: MouseEvent) {
        if self.screen().route == Route::Map {
            return self.map_mouse(m);
        }
        match m.kind {
            MouseEventKind::ScrollDown => self.move_by(3),
            MouseEventKind::ScrollUp => self.move_by(-3),
            MouseEventKind::Down(_) => {
                let route = self.screen().route.clone();
                if matches!(route, Route::Service(_) | Route::Topic(_) | Route::Graph(_)) {
                    return;
                }
                if let Some(row) = self.layout().list_row_at(m.row) {
                    let i = self.screen().offset + row;
                    if i < self.row_count() {
                        self.move_to(i);
                    }
                }
            }
            _ => {}
        }
    }
}

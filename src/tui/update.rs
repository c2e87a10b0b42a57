//! `update`: the only place the app's state (`state.rs`) changes. It takes an event
//! and returns the effects it asks for.

use super::command::{self, Command};
use super::data::{Data, MapState};
use super::keys::{action_for, Action};
use super::state::{App, Effect, Event, Filter, Mode, Popup, Route, Screen};
use super::theme::Theme;
use crate::diag::{self, Diagnostic, Source};
use crate::impact::{self, Dir, Impact, Target};
use crate::registry::Checked;
use crate::topology::Node;
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, MouseEvent, MouseEventKind};

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
            joined: Default::default(),
            setting: crate::join::Setting {
                environment: "production".into(),
                ..Default::default()
            },
            broker_note: "offline".into(),
            message: None,
            live_stopped: None,
            quit: false,
            out: Vec::new(),
            now_s: 0.0,
            live_at: None,
        };
        app.push(Route::Topics);
        app
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

    /// Apply one event; the effects it asks for are returned, to be carried out by the
    /// caller (the run loop, or a test).
    pub fn update(&mut self, ev: Event) -> Vec<Effect> {
        match ev {
            Event::Key(k) if k.kind != KeyEventKind::Release => self.on_key(k),
            Event::Key(_) => {}
            Event::Mouse(m) => self.on_mouse(m),
            Event::Resize(w, h) => {
                self.width = w;
                self.height = h;
                self.clamp();
            }
            Event::Tick(now) => self.now_s = now,
            Event::Reload(c) => self.on_reload(*c),
            Event::LiveStopped(why) => {
                self.message = Some(format!(
                    "live data stopped after an internal error ({why}); the registry views still work, please report it"
                ));
                self.live_stopped = Some(why);
            }
            Event::Live(v) => {
                // The lag table re-sorts every sample: keep the cursor on its group and
                // topic, not on its row number.
                let keep = (self.screen().route == Route::Lag)
                    .then(|| self.selected_lag_row())
                    .flatten();
                if v.sampled() {
                    self.setting.samples = self.setting.samples.saturating_add(1);
                }
                self.live = Some(*v);
                self.live_at = Some(self.now_s);
                self.rejoin(true);
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
            Event::Map { generation, layouts } => {
                // A layout of a registry since replaced is dropped.
                if generation == self.data.generation {
                    self.data.map = match layouts {
                        Ok(l) => MapState::Ready(l),
                        Err(why) => MapState::Failed(why),
                    };
                    if self.screen().route == Route::Map {
                        self.refresh_items();
                    }
                }
            }
        }
        if matches!(self.data.map, MapState::Wanted) {
            self.data.map = MapState::Pending;
            self.out.push(Effect::LayOut {
                generation: self.data.generation,
                registry: self.data.reg.clone(),
            });
        }
        if self.quit {
            self.out.push(Effect::Quit);
        }
        std::mem::take(&mut self.out)
    }

    /// Join the registry with the live picture again: on a new picture (`same_registry`:
    /// the message findings of unchanged tails are kept) and on a reload (everything is
    /// recomputed, since the join names services and topics by position).
    fn rejoin(&mut self, same_registry: bool) {
        self.setting.now_ms = crate::time::now_ms();
        let before = std::mem::take(&mut self.joined);
        self.joined = crate::join::join(
            &self.data.reg,
            &self.data.topo,
            self.live.as_ref(),
            &self.setting,
            same_registry.then_some(before),
        );
    }

    fn on_reload(&mut self, c: Checked) {
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
                let generation = self.data.generation + 1;
                self.data = Data::new(reg).with_source(&c.source);
                self.data.generation = generation;
                // Drift's links, staleness and the group index name services and topics
                // of the old registry by position: joined again before anything is drawn.
                self.rejoin(false);
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
                self.out.push(Effect::Watch(self.data.reg.clone()));
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
            Action::Suspend => self.out.push(Effect::Suspend),
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
                    self.out.push(Effect::Copy(name));
                }
            }
            Action::Reload => self.out.push(Effect::Reload),
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

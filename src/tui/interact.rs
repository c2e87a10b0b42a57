//! What a key, a typed command or the mouse does: the input side of `update`.

use super::command::{self, Command};
use super::keys::{action_for, Action};
use super::prompt::Edit;
use super::state::{App, Effect, Filter, Mode, Popup, Route, FACTS_PANE};
use crate::core::impact::{self, Dir, Target};
use crate::core::topology::Node;
use crossterm::event::{KeyCode, KeyEvent, MouseEvent, MouseEventKind};

impl App {
    pub(super) fn on_key(&mut self, k: KeyEvent) {
        self.message = None;
        if self.popup.is_some() {
            if k.code == KeyCode::Char('c') && k.modifiers.contains(crossterm::event::KeyModifiers::CONTROL) {
                self.quit = true;
                return;
            }
            // The help scrolls; any other key (q too) closes a popup.
            if let Some(Popup::Help { scroll }) = self.popup {
                let page = super::views::popup::help_page(self);
                let next = match action_for(k) {
                    Some(Action::Down) => Some(scroll + 1),
                    Some(Action::Up) => Some(scroll.saturating_sub(1)),
                    Some(Action::PageDown) => Some(scroll + page),
                    Some(Action::PageUp) => Some(scroll.saturating_sub(page)),
                    Some(Action::Top) => Some(0),
                    Some(Action::Bottom) => Some(usize::MAX),
                    _ => None,
                };
                if let Some(next) = next {
                    let scroll = next.min(super::views::popup::help_max_scroll(self));
                    self.popup = Some(Popup::Help { scroll });
                    return;
                }
            }
            self.popup = None;
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

    pub(super) fn on_input_key(&mut self, k: KeyEvent) {
        if k.code == KeyCode::Char('c') && k.modifiers.contains(crossterm::event::KeyModifiers::CONTROL) {
            self.quit = true;
            return;
        }
        match k.code {
            KeyCode::Esc => {
                if self.mode == Mode::Filter {
                    self.set_filter("");
                }
                self.line_mut().clear();
                self.mode = Mode::Normal;
            }
            KeyCode::Enter => {
                let mode = self.mode;
                self.line_mut().remember();
                self.mode = Mode::Normal;
                if mode == Mode::Command {
                    let line = self.command_line.text();
                    self.command_line.clear();
                    self.run_command(&line);
                }
            }
            KeyCode::Tab if self.mode == Mode::Command => {
                let done = command::complete(&self.command_line.text(), &self.data.targets);
                self.command_line.set(&done);
            }
            _ => {
                if self.line_mut().key(k) == Edit::Changed && self.mode == Mode::Filter {
                    let text = self.filter_line.text();
                    self.set_filter(&text);
                }
            }
        }
    }

    pub(super) fn set_filter(&mut self, text: &str) {
        let s = self.screen_mut();
        s.filter = Filter::new(text);
        s.selected = 0;
        s.offset = 0;
        self.refresh_items();
    }

    pub fn run_command(&mut self, line: &str) {
        match command::parse(line) {
            Err(e) => self.message = Some(e.to_string()),
            Ok(Command::Go(route)) => self.go(route),
            Ok(Command::Help) => self.popup = Some(Popup::Help { scroll: 0 }),
            Ok(Command::Quit) => self.quit = true,
            Ok(Command::Context(name)) => self.switch_context(name),
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

    /// `:ctx`: the contexts, or a switch to one (the live feed reconnects).
    fn switch_context(&mut self, name: Option<String>) {
        let list = || {
            self.contexts
                .iter()
                .map(|c| match &self.context {
                    Some(cur) if cur == c => format!("*{c}"),
                    _ => c.clone(),
                })
                .collect::<Vec<_>>()
                .join(", ")
        };
        let Some(name) = name else {
            self.message = Some(if self.contexts.is_empty() {
                "no contexts: see `ktopo contexts --help`".into()
            } else {
                format!("contexts: {} · :ctx NAME switches", list())
            });
            return;
        };
        if !self.contexts.contains(&name) {
            let hint = crate::core::suggest::closest(&name, self.contexts.iter().map(String::as_str))
                .map(|s| format!(": did you mean `{s}`?"))
                .unwrap_or_default();
            self.message = Some(format!("no context `{name}`{hint} (contexts: {})", list()));
            return;
        }
        self.message = Some(format!("switching to context {name}…"));
        self.broker_note = format!("connecting to context {name}…");
        self.context = Some(name.clone());
        self.out.push(Effect::SwitchContext {
            name,
            generation: self.data.generation,
            registry: std::sync::Arc::clone(&self.data.reg),
        });
    }

    pub(super) fn open_graph(&mut self, t: Target) {
        let node = match t {
            Target::Service(i) => Node::Service(i),
            Target::Topic(i) => Node::Topic(i),
            Target::Event(_, ts) => Node::Topic(ts[0]),
        };
        self.push(Route::Graph(node));
    }

    pub(super) fn on_action(&mut self, a: Action) {
        let page = self.layout().page_rows();
        if self.facts_focused() {
            let page = super::views::detail::facts_page(self);
            let by = |d: isize| move |at: usize| at.saturating_add_signed(d);
            match a {
                Action::Down => return self.scroll_facts(by(1)),
                Action::Up => return self.scroll_facts(by(-1)),
                Action::PageDown => return self.scroll_facts(by(page as isize)),
                Action::PageUp => return self.scroll_facts(by(-(page as isize))),
                Action::Top => return self.scroll_facts(|_| 0),
                Action::Bottom => return self.scroll_facts(|_| usize::MAX),
                _ => {}
            }
        }
        if self.screen().route == Route::Lag && self.screen().pane == 1 && self.scroll_partitions(a) {
            return;
        }
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
            // The group table and its partition pane.
            Action::NextPane if self.screen().route == Route::Lag => {
                let has_rows = !self.screen().items.is_empty();
                let s = self.screen_mut();
                s.pane = if s.pane == 0 && has_rows { 1 } else { 0 };
            }
            Action::NextPane => self.next_pane(),
            Action::Enter if self.screen().route == Route::Lag => self.open_group(),
            Action::Enter => self.enter(),
            Action::Group => self.open_group(),
            Action::Owner => match self.screen().route {
                Route::Lag | Route::Group(_) => self.enter(),
                _ => self.message = Some("o opens the service of a :lag row or a group".into()),
            },
            Action::Back => self.back(),
            Action::Filter => {
                if !matches!(
                    self.screen().route,
                    Route::Service(_) | Route::Topic(_) | Route::Event(_) | Route::Graph(_) | Route::Group(_)
                ) {
                    self.mode = Mode::Filter;
                    let text = self.screen().filter.text.clone();
                    self.filter_line.set(&text);
                }
            }
            Action::Command => {
                self.mode = Mode::Command;
                self.command_line.clear();
            }
            Action::Help => self.popup = Some(Popup::Help { scroll: 0 }),
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
                    let depth = self.screen().impact.as_ref().and_then(|i| i.max_depth);
                    self.set_impact(t, d.next(), depth);
                }
            }
            Action::Depth(n) => match self.screen().route.clone() {
                Route::Impact(t, d) => {
                    let depth = (n > 0).then_some(usize::from(n));
                    self.set_impact(t, d, depth);
                    self.message = Some(match depth {
                        // What a schema change touches: who writes it and who reads it.
                        Some(1) if d == Dir::Both => {
                            "depth: 1 hop both ways, the direct producers and consumers".into()
                        }
                        Some(1) => "depth: 1 hop (d then 1: the direct producers and consumers)".into(),
                        Some(n) => format!("depth: at most {n} hops"),
                        None => "depth: all hops".into(),
                    });
                }
                _ => self.message = Some("1-9 and 0 set the depth of an impact view".into()),
            },
            // From a topic's own screen, that topic's groups only.
            Action::Lag => {
                let topic = match self.current_node() {
                    Some(Node::Topic(t)) => Some(self.data.reg.topics[t].name.clone()),
                    _ => None,
                };
                self.go(Route::Lag);
                if let Some(name) = topic {
                    let filter = format!("topic:re:^{}$", regex::escape(&name));
                    self.set_filter(&filter);
                    self.filter_line.set(&filter);
                }
            }
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

    /// The selected consumer group's screen.
    pub(super) fn open_group(&mut self) {
        match self.selected_group() {
            Some(g) => self.go(Route::Group(g)),
            None => {
                self.message = Some("select a :lag row, or a consumer in a service or topic view".into());
            }
        }
    }

    /// Up, Down, pages, Home and End scroll the focused `:lag` partition pane; false
    /// for any other action.
    pub(super) fn scroll_partitions(&mut self, a: Action) -> bool {
        let Some((area, len)) = super::views::lag::partition_pane(self) else {
            return false;
        };
        let visible = area.height.saturating_sub(3) as usize;
        let page = visible.saturating_sub(1).max(1) as isize;
        let delta = match a {
            Action::Down => 1,
            Action::Up => -1,
            Action::PageDown => page,
            Action::PageUp => -page,
            Action::Top => isize::MIN / 2,
            Action::Bottom => isize::MAX / 2,
            _ => return false,
        };
        self.scroll_pane(delta, len, visible);
        true
    }

    fn scroll_pane(&mut self, delta: isize, len: usize, visible: usize) {
        let max = len.saturating_sub(visible) as isize;
        let s = self.screen_mut();
        s.scroll = (s.scroll.min(max as usize) as isize)
            .saturating_add(delta)
            .clamp(0, max) as usize;
    }

    /// The impact screen on another direction or depth: computed again, from its top.
    pub(super) fn set_impact(&mut self, t: Target, d: Dir, depth: Option<usize>) {
        let imp = impact::impact(&self.data.reg, &self.data.topo, &t, d, depth);
        let s = self.screen_mut();
        s.route = Route::Impact(t, d);
        s.impact = Some(imp);
        s.selected = 0;
        s.offset = 0;
        self.refresh_items();
    }

    /// Tab: the next link pane with something to select, and on a detail view its
    /// facts after the last one, so every pane can be reached (and scrolled).
    fn next_pane(&mut self) {
        let route = self.screen().route.clone();
        let links = self.links(&route);
        let mut order: Vec<usize> = (0..links.len()).filter(|&p| !links[p].1.is_empty()).collect();
        if route.has_facts() {
            order.push(FACTS_PANE);
        }
        if order.is_empty() {
            return;
        }
        let at = order.iter().position(|&p| p == self.screen().pane);
        let next = order[at.map_or(0, |k| (k + 1) % order.len())];
        self.set_pane(next);
    }

    /// Scroll the focused facts pane of a detail view, within what it holds.
    fn scroll_facts(&mut self, to: impl FnOnce(usize) -> usize) {
        let max = super::views::detail::facts_max_scroll(self);
        let s = self.screen_mut();
        s.scroll = to(s.scroll.min(max)).min(max);
    }

    fn facts_focused(&self) -> bool {
        let s = self.screen();
        s.route.has_facts() && s.pane == FACTS_PANE
    }

    pub(super) fn set_pane(&mut self, pane: usize) {
        let s = self.screen_mut();
        s.pane = pane;
        s.selected = 0;
        s.offset = 0;
        self.clamp();
    }

    pub(super) fn enter(&mut self) {
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
        if self.screen().route == Route::Check {
            let s = self.screen();
            if let Some(c) = s.items.rows().get(s.selected).and_then(|&i| self.data.checks.get(i)) {
                self.popup = Some(Popup::Finding(c.snippet.clone()));
            }
            return;
        }
        if self.screen().route == Route::Events {
            if let Some(Target::Event(e, _)) = self.selected_target() {
                self.push(Route::Event(e));
            }
            return;
        }
        match self.selected_node() {
            Some(Node::Service(i)) => self.push(Route::Service(i)),
            Some(Node::Topic(i)) => self.push(Route::Topic(i)),
            None => {}
        }
    }

    pub(super) fn back(&mut self) {
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
    pub(super) fn migration(&mut self) {
        // The selected topic, else the topic this screen is about (a service selected
        // on a topic's screen does not hide the topic).
        let topic_of = |n: Option<Node>| n.filter(|n| matches!(n, Node::Topic(_)));
        let node = topic_of(self.selected_node()).or_else(|| topic_of(self.current_node()));
        let Some(Node::Topic(t)) = node else {
            self.message = Some("select a topic first".into());
            return;
        };
        let topic = &self.data.reg.topics[t];
        if let Some(r) = topic.replaced_by().and_then(|r| self.data.reg.topic_index(r)) {
            self.go(Route::Topic(r));
            self.focus_pane("migration");
            return;
        }
        let replaced = self.data.replaces(t);
        match replaced.as_slice() {
            [] => self.message = Some(format!("{} is not part of a migration", topic.name)),
            [one] => self.go(Route::Topic(*one)),
            _ => {
                self.go(Route::Topic(t));
                self.focus_pane("migration");
            }
        }
    }

    pub(super) fn focus_pane(&mut self, title: &str) {
        let route = self.screen().route.clone();
        if let Some(p) = self.links(&route).iter().position(|l| l.0 == title) {
            self.set_pane(p);
        }
    }

    pub(super) fn move_by(&mut self, delta: isize) {
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
        let to = i.min(n.saturating_sub(1));
        // Another `:lag` row: its partitions from the top (a detail view's facts stay).
        if to != s.selected && s.route == Route::Lag {
            s.scroll = 0;
        }
        s.selected = to;
        // The map's view follows a selection that moves.
        s.map.pan = None;
        self.clamp();
    }

    /// Keep the selection in range and visible.
    pub(super) fn clamp(&mut self) {
        let n = self.row_count();
        let rows = match self.screen().route {
            Route::Lag => self.layout().lag_rows(),
            Route::Group(_) => super::views::group::partition_rows(self.layout().body),
            _ => self.layout().list_rows(),
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

    pub(super) fn on_mouse(&mut self, m: MouseEvent) {
        if let Some(Popup::Help { scroll }) = self.popup {
            // The wheel scrolls the help; the list behind stays where it is.
            let next = match m.kind {
                MouseEventKind::ScrollDown => scroll + 3,
                MouseEventKind::ScrollUp => scroll.saturating_sub(3),
                _ => return,
            };
            let scroll = next.min(super::views::popup::help_max_scroll(self));
            self.popup = Some(Popup::Help { scroll });
            return;
        }
        if self.screen().route == Route::Map {
            return self.map_mouse(m);
        }
        // The wheel over the `:lag` partition pane scrolls it.
        let over_pane = (self.screen().route == Route::Lag)
            .then(|| super::views::lag::partition_pane(self))
            .flatten()
            .filter(|(r, _)| m.row >= r.y && m.row < r.y + r.height);
        if let Some((area, len)) = over_pane {
            let visible = area.height.saturating_sub(3) as usize;
            match m.kind {
                MouseEventKind::ScrollDown => return self.scroll_pane(3, len, visible),
                MouseEventKind::ScrollUp => return self.scroll_pane(-3, len, visible),
                _ => {}
            }
        }
        // The wheel over a detail view's facts scrolls them, wherever the focus is.
        let over_facts = self.screen().route.has_facts() && m.column < super::views::detail::facts_right_edge(self);
        match m.kind {
            MouseEventKind::ScrollDown if over_facts => self.scroll_facts(|at| at + 3),
            MouseEventKind::ScrollUp if over_facts => self.scroll_facts(|at| at.saturating_sub(3)),
            MouseEventKind::ScrollDown => self.move_by(3),
            MouseEventKind::ScrollUp => self.move_by(-3),
            MouseEventKind::Down(_) => {
                let route = self.screen().route.clone();
                if matches!(
                    route,
                    Route::Service(_) | Route::Topic(_) | Route::Event(_) | Route::Graph(_) | Route::Group(_)
                ) {
                    return;
                }
                // A click on `:lag`'s partition pane selects no group row.
                let table = super::views::lag::areas(self.layout().body)[0];
                if route == Route::Lag && m.row + 1 >= table.y + table.height {
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

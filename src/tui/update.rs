//! `update`: the only place the app's state (`state.rs`) changes. It takes an event
//! and returns the effects it asks for.

use super::data::{Data, MapState};
use super::state::{App, Effect, Event, Filter, Mode, Popup, Route, Screen, FACTS_PANE};
use super::theme::Theme;
use crate::core::diag::{self, Diagnostic, Source};
use crate::core::impact::{self, Dir, Impact, Target};
use crate::core::registry::{Checked, Registry, TopicId};
use crate::core::topology::Node;
use crossterm::event::KeyEventKind;

impl App {
    pub fn new(data: Data, width: u16, height: u16, theme: Theme) -> Self {
        let mut app = App {
            data,
            stack: Vec::new(),
            mode: Mode::Normal,
            filter_line: Default::default(),
            command_line: Default::default(),
            popup: None,
            width,
            height,
            theme,
            live: None,
            joined: Default::default(),
            setting: crate::core::join::Setting {
                environment: "production".into(),
                ..Default::default()
            },
            broker_note: "offline".into(),
            context: None,
            switched: None,
            contexts: Vec::new(),
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
    pub(super) fn impact_for(&self, route: &Route) -> Option<Impact> {
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
            items: Default::default(),
            pane: 0,
            impact,
            map: Default::default(),
            scroll: 0,
            group: None,
        };
        s.items = self.items_for(&s);
        s.group = self.group_data(&s);
        // Detail views open on their first pane that has something to select (on
        // their facts when nothing is linked).
        let links = self.links(&s.route);
        if let Some(p) = links.iter().position(|l| !l.1.is_empty()) {
            s.pane = p;
        } else if s.route.has_facts() {
            s.pane = FACTS_PANE;
        }
        self.stack.push(s);
    }

    /// Replace the whole stack with one list route (`:topics` and friends).
    /// Go to a route: back to it when it is on the stack already (as k9s does, so
    /// `:services :topics :services` or `m m` never pile up history), else push it.
    pub(super) fn go(&mut self, route: Route) {
        match self.stack.iter().position(|s| s.route == route) {
            Some(i) => {
                self.stack.truncate(i + 1);
                self.refresh_items();
            }
            None => self.push(route),
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
            Event::Live(v) => self.on_live(*v, None),
            // Joined by the live feed off this thread; a join on a registry since
            // replaced is done again here.
            Event::Joined {
                view,
                generation,
                joined,
            } => {
                let joined = (generation == self.data.generation).then_some(*joined);
                self.on_live(*view, joined);
            }
            // The new feed joins with the context's environment: its next picture
            // applies it (a join here would hold the UI thread).
            Event::Switched {
                context,
                registry,
                back_to_start,
                environment,
                environment_chosen,
            } => {
                self.setting.environment = environment;
                self.setting.environment_chosen = environment_chosen;
                self.context = Some(context.clone());
                let back = if back_to_start {
                    " (the context names none: back to the session's first)"
                } else {
                    ""
                };
                let said = format!(
                    "context {}: env {}, registry {}{back}",
                    crate::core::visible::one_line(&context),
                    crate::core::visible::one_line(&self.setting.environment),
                    crate::core::visible::one_line(&registry)
                );
                self.message = Some(said.clone());
                self.switched = Some(said);
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

    /// A new live picture, with its join when the live feed made it.
    fn on_live(&mut self, v: crate::core::live::view::LiveView, joined: Option<crate::core::join::Joined>) {
        // The lag table re-sorts every sample: keep the cursor on its group and
        // topic, not on its row number.
        let keep = (self.screen().route == Route::Lag)
            .then(|| self.selected_lag_row())
            .flatten();
        if v.sampled() {
            self.setting.samples = self.setting.samples.saturating_add(1);
        }
        self.live = Some(v);
        self.live_at = Some(self.now_s);
        match joined {
            Some(j) => self.joined = j,
            None => self.rejoin(true),
        }
        self.refresh_items();
        if let Some((group, topic)) = keep {
            let rows = self.lag_rows();
            let s = self.screen();
            let at = s
                .items
                .rows()
                .iter()
                .position(|&i| rows[i].group == group && rows[i].topic == topic);
            if let Some(at) = at {
                self.screen_mut().selected = at;
                self.clamp();
            }
        }
    }

    /// Join the registry with the live picture again: on a new picture (`same_registry`:
    /// the message findings of unchanged tails are kept) and on a reload (everything is
    /// recomputed, since the join names services and topics by their ids in one registry).
    pub(super) fn rejoin(&mut self, same_registry: bool) {
        self.setting.now_ms = crate::core::time::now_ms();
        let seen = same_registry.then(|| self.joined.observed()).flatten();
        self.joined = crate::core::join::join(&self.data.reg, &self.data.topo, self.live.as_ref(), &self.setting, seen);
    }

    pub(super) fn on_reload(&mut self, c: Checked) {
        match c.usable() {
            None => {
                self.switched = None;
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
                let old = self.data.reg.clone();
                let generation = self.data.generation + 1;
                self.data = Data::new(reg).with_checks(&c.source, &c.diagnostics);
                self.data.generation = generation;
                // Drift's links, staleness and the group index name services and topics
                // of the old registry by id: joined again before anything is drawn.
                self.rejoin(false);
                // Screens follow what they show by name: a service inserted above the
                // open one must not make the screen show another service. Screens about
                // things that no longer exist, and impact screens, are dropped.
                let new = self.data.reg.clone();
                self.stack.retain_mut(|s| match carry(&old, &new, &s.route) {
                    Some(route) => {
                        s.route = route;
                        true
                    }
                    None => false,
                });
                self.out.push(Effect::Watch {
                    generation: self.data.generation,
                    registry: self.data.reg.clone(),
                });
                if matches!(self.popup, Some(Popup::Diagnostics(_))) {
                    self.popup = None;
                }
                for i in 0..self.stack.len() {
                    self.stack[i].impact = self.impact_for(&self.stack[i].route);
                }
                if self.stack.is_empty() {
                    self.push(Route::Topics);
                }
                self.refresh_items();
                self.message = Some(match self.switched.take() {
                    Some(said) => format!("{said} · loaded"),
                    None => "registry reloaded".into(),
                });
            }
        }
    }

    /// (group, topic) of the selected `:lag` row.
    pub(super) fn selected_lag_row(&self) -> Option<(String, String)> {
        let s = self.screen();
        let rows = self.lag_rows();
        let g = s.items.rows().get(s.selected).and_then(|&i| rows.get(i))?;
        Some((g.group.clone(), g.topic.clone()))
    }

    pub(super) fn refresh_items(&mut self) {
        let s = self.screen().clone();
        let items = self.items_for(&s);
        self.screen_mut().items = items;
        let s = self.screen().clone();
        let group = self.group_data(&s);
        self.screen_mut().group = group;
        self.clamp();
    }

    /// A group screen's data from the picture of now (None on other screens).
    fn group_data(&self, s: &Screen) -> Option<std::sync::Arc<super::group_data::GroupData>> {
        if !matches!(s.route, Route::Group(_)) {
            return None;
        }
        let live = self.live.as_ref();
        let rows: Vec<(usize, &crate::core::live::view::GroupTopicLag)> = s
            .items
            .rows()
            .iter()
            .filter_map(|&i| Some((i, live?.groups.get(i)?)))
            .collect();
        Some(std::sync::Arc::new(super::group_data::GroupData::new(&rows)))
    }
}

/// A screen's route in the reloaded registry: the same service or topic by name (its
/// position may have changed), None when it is gone or the screen is an impact one.
fn carry(old: &Registry, new: &Registry, route: &Route) -> Option<Route> {
    let node = |n: Node| match n {
        Node::Service(i) => new.service_by_key(&old.services[i].key).map(Node::Service),
        Node::Topic(i) => new.topic_index(&old.topics[i].name).map(Node::Topic),
    };
    let topic = |i: TopicId| new.topic_index(&old.topics[i].name);
    Some(match route {
        Route::Service(i) => Route::Service(new.service_by_key(&old.services[*i].key)?),
        Route::Topic(i) => Route::Topic(topic(*i)?),
        Route::Messages(i) => Route::Messages(topic(*i)?),
        Route::Graph(n) => Route::Graph(node(*n)?),
        Route::Impact(..) => return None,
        // Gone with the last topic that carried it.
        Route::Event(e) if !new.topics.iter().any(|t| t.events.iter().any(|x| &x.name == e)) => return None,
        r => r.clone(),
    })
}

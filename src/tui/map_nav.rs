//! Moving about the `:map`: the selection along edges, focus, zoom, free panning
//! (Shift+arrows, mouse drag and wheel), clicks on boxes. The view (`views::map`) and
//! the mouse agree on where things are through `map_area` and `map_origin`.

use super::state::{App, Route};
use crate::core::impact::{self, Dir, Target};
use crate::core::map::plan::Layout;
use crate::core::map::Zoom;
use crate::core::topology::Node;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::Rect;

/// Rows under the map for the selection's edges and their live numbers.
pub const INFO_ROWS: u16 = 4;

impl App {
    /// The current zoom's layout, when laid out.
    pub fn map_layout(&self) -> Option<&Layout> {
        self.data.map_at(self.screen().map.zoom)
    }

    /// Where the map's cells are drawn: the body minus its title row and the info rows.
    pub fn map_area(&self) -> Rect {
        let b = self.layout().body;
        Rect::new(b.x, b.y + 1, b.width, b.height.saturating_sub(1 + INFO_ROWS))
    }

    /// The map cell at the area's top-left: where the user panned to, or so that the
    /// selected box is centred, clamped to the map.
    pub fn map_origin(&self) -> (u32, u32) {
        let Some(m) = self.map_layout() else { return (0, 0) };
        let area = self.map_area();
        let (w, h) = (u32::from(area.width), u32::from(area.height));
        let clamp = |(x, y): (u32, u32)| (x.min(m.width.saturating_sub(w)), y.min(m.height.saturating_sub(h)));
        let s = self.screen();
        if let Some(p) = s.map.pan {
            return clamp(p);
        }
        let Some(p) = s.items.rows().get(s.selected).map(|&i| &m.nodes[i]) else {
            return (0, 0);
        };
        let g = m.geo;
        clamp((
            (p.x + g.box_w / 2).saturating_sub(w / 2),
            (p.y + g.box_h / 2).saturating_sub(h / 2),
        ))
    }

    /// Shift+arrows pan the map (the key table has no modifiers). True when handled.
    pub(super) fn map_key(&mut self, k: KeyEvent) -> bool {
        if self.screen().route != Route::Map {
            return false;
        }
        let area = self.map_area();
        let (dx, dy) = (i64::from(area.width / 2), i64::from(area.height / 2));
        let shift = k.modifiers.contains(KeyModifiers::SHIFT);
        match k.code {
            KeyCode::Left if shift => self.map_pan(-dx, 0),
            KeyCode::Right if shift => self.map_pan(dx, 0),
            KeyCode::Up if shift => self.map_pan(0, -dy),
            KeyCode::Down if shift => self.map_pan(0, dy),
            _ => return false,
        }
        true
    }

    /// `+` `-` and `z` (cycle) on the map.
    pub(super) fn map_zoom(&mut self, a: crate::tui::keys::Action) {
        use crate::tui::keys::Action;
        if self.screen().route != Route::Map {
            self.message = Some("+ - z zoom the :map".into());
            return;
        }
        let z = self.screen().map.zoom;
        self.set_zoom(match a {
            Action::ZoomIn => z.zoom_in(),
            Action::ZoomOut => z.out(),
            _ if z == Zoom::Overview => Zoom::Full,
            _ => z.out(),
        });
    }

    fn set_zoom(&mut self, z: Zoom) {
        let s = self.screen_mut();
        s.map.zoom = z;
        // A new scale: show the selection again.
        s.map.pan = None;
        self.message = Some(format!("zoom: {}", z.name()));
    }

    /// Move the view by cells, leaving the selection where it is.
    fn map_pan(&mut self, dx: i64, dy: i64) {
        let (x, y) = self.map_origin();
        let moved = (
            (i64::from(x) + dx).clamp(0, i64::from(u32::MAX)) as u32,
            (i64::from(y) + dy).clamp(0, i64::from(u32::MAX)) as u32,
        );
        self.screen_mut().map.pan = Some(moved);
        // Clamp now, so a pan past the edge does not have to be undone.
        let clamped = self.map_origin();
        self.screen_mut().map.pan = Some(clamped);
    }

    /// Drag to pan, wheel to scroll (Shift+wheel sideways), click to select a box.
    pub(super) fn map_mouse(&mut self, m: MouseEvent) {
        let area = self.map_area();
        let inside =
            m.column >= area.x && m.column < area.x + area.width && m.row >= area.y && m.row < area.y + area.height;
        match m.kind {
            MouseEventKind::ScrollDown if m.modifiers.contains(KeyModifiers::SHIFT) => self.map_pan(4, 0),
            MouseEventKind::ScrollUp if m.modifiers.contains(KeyModifiers::SHIFT) => self.map_pan(-4, 0),
            MouseEventKind::ScrollDown => self.map_pan(0, 3),
            MouseEventKind::ScrollUp => self.map_pan(0, -3),
            MouseEventKind::ScrollRight => self.map_pan(4, 0),
            MouseEventKind::ScrollLeft => self.map_pan(-4, 0),
            MouseEventKind::Down(MouseButton::Left) if inside => {
                self.screen_mut().map.drag = Some((m.column, m.row));
                let (ox, oy) = self.map_origin();
                let at = (ox + u32::from(m.column - area.x), oy + u32::from(m.row - area.y));
                let hit = self.map_layout().and_then(|l| {
                    let g = l.geo;
                    l.nodes
                        .iter()
                        .position(|p| at.0 >= p.x && at.0 < p.x + g.box_w && at.1 >= p.y && at.1 < p.y + g.box_h)
                });
                if let Some(pos) = hit.and_then(|j| self.screen().items.rows().iter().position(|&i| i == j)) {
                    // Select without moving the view under the pointer.
                    let keep = self.map_origin();
                    self.move_to(pos);
                    self.screen_mut().map.pan = Some(keep);
                }
            }
            MouseEventKind::Drag(MouseButton::Left) => {
                if let Some((x0, y0)) = self.screen().map.drag {
                    let (dx, dy) = (i64::from(x0) - i64::from(m.column), i64::from(y0) - i64::from(m.row));
                    self.map_pan(dx, dy);
                    self.screen_mut().map.drag = Some((m.column, m.row));
                }
            }
            MouseEventKind::Up(_) => self.screen_mut().map.drag = None,
            _ => {}
        }
    }

    /// Focus on the selection (what feeds it and what it feeds; the rest dims), or
    /// leave focus.
    pub(super) fn map_focus(&mut self) {
        let s = self.screen();
        let focus = match (s.impact.is_some(), self.selected_node()) {
            (false, Some(Node::Service(i))) => Some(Target::Service(i)),
            (false, Some(Node::Topic(i))) => Some(Target::Topic(i)),
            _ => None,
        };
        let imp = focus.map(|t| impact::impact(&self.data.reg, &self.data.topo, &t, Dir::Both, None));
        self.screen_mut().impact = imp;
    }

    /// Move the selection along an edge, downstream (right) or upstream (left), to the
    /// neighbour nearest in its column; the view follows.
    pub(super) fn map_step(&mut self, downstream: bool) {
        let Some(n) = self.selected_node() else { return };
        let Some(m) = self.data.map() else { return };
        let Some(&at) = m.index.get(&n) else { return };
        let here = &m.nodes[at];
        let next = m
            .edges
            .iter()
            .filter_map(|e| match downstream {
                true if e.from == at => Some(e.to),
                false if e.to == at => Some(e.from),
                _ => None,
            })
            .min_by_key(|&j| {
                (
                    m.nodes[j].layer.abs_diff(here.layer),
                    m.nodes[j].order.abs_diff(here.order),
                )
            });
        if let Some(j) = next {
            if let Some(pos) = self.screen().items.rows().iter().position(|&i| i == j) {
                self.move_to(pos);
            }
        }
    }
}

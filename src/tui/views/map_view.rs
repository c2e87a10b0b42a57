//! What the map view draws through: the window of map cells on screen, and how a box
//! looks (selected, faint). Shared by the map view and its boxes.

use crate::core::map::plan::{Path, Placed};
use ratatui::layout::Rect;

#[derive(Clone, Copy)]
pub(super) struct Look {
    pub(super) selected: bool,
    pub(super) faint: bool,
}

/// Map cells (u32: a 10,000-topic map is wider than a terminal's u16) to screen cells.
pub(super) struct View {
    pub(super) area: Rect,
    pub(super) origin: (u32, u32),
}

impl View {
    pub(super) fn cell(&self, x: u32, y: u32) -> Option<(u16, u16)> {
        let (vx, vy) = (x.checked_sub(self.origin.0)?, y.checked_sub(self.origin.1)?);
        (vx < u32::from(self.area.width) && vy < u32::from(self.area.height))
            .then(|| (self.area.x + vx as u16, self.area.y + vy as u16))
    }
    pub(super) fn clip(&self) -> (u32, u32, u32, u32) {
        (
            self.origin.0,
            self.origin.1,
            u32::from(self.area.width),
            u32::from(self.area.height),
        )
    }
    /// Whether any part of a path can be in view (its bounding box meets the view).
    pub(super) fn meets(&self, p: &Path) -> bool {
        let (ox, oy, w, h) = self.clip();
        let (mut x0, mut y0, mut x1, mut y1) = (u32::MAX, u32::MAX, 0, 0);
        for &(x, y) in &p.points {
            (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x), y1.max(y));
        }
        x1 >= ox && x0 < ox.saturating_add(w) && y1 >= oy && y0 < oy.saturating_add(h)
    }
    pub(super) fn shows(&self, p: &Placed, g: crate::core::map::plan::Geometry) -> bool {
        let (ox, oy, w, h) = self.clip();
        p.x + g.box_w > ox && p.x < ox + w && p.y + g.box_h > oy && p.y < oy + h
    }
}

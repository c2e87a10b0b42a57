//! Where things go on screen, computed from the terminal size alone, so `update`
//! (mouse clicks, paging) and `render` agree without sharing state.
//!
//! ```text
//! ┌ header: ktopo · breadcrumb ··················· broker ┐  row 0
//! │ body (table, detail panes, graph)                      │
//! │ status: counts · message                               │  row h-2
//! └ keys or the / filter and : command line                ┘  row h-1
//! ```

use ratatui::layout::Rect;

pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;

#[derive(Debug, Clone, Copy)]
pub struct Layout {
    pub area: Rect,
    pub header: Rect,
    pub body: Rect,
    pub status: Rect,
    pub footer: Rect,
}

impl Layout {
    pub fn new(width: u16, height: u16) -> Self {
        let area = Rect::new(0, 0, width, height);
        let h = height.max(4);
        Layout {
            area,
            header: Rect::new(0, 0, width, 1),
            body: Rect::new(0, 1, width, h - 3),
            status: Rect::new(0, h - 2, width, 1),
            footer: Rect::new(0, h - 1, width, 1),
        }
    }

    pub fn too_small(&self) -> bool {
        self.area.width < MIN_WIDTH || self.area.height < MIN_HEIGHT
    }

    /// Data rows a bordered table with a header row shows.
    pub fn list_rows(&self) -> usize {
        self.body.height.saturating_sub(3) as usize
    }

    /// Rows of the `:lag` table, which has 62% of the body (its partitions the rest);
    /// rounded down, so the cursor never leaves the visible rows.
    pub fn lag_rows(&self) -> usize {
        (self.body.height as usize * 62 / 100).saturating_sub(3)
    }

    pub fn page_rows(&self) -> usize {
        self.list_rows().saturating_sub(1).max(1)
    }

    /// The list row (0-based among visible rows) at a terminal row, if any.
    pub fn list_row_at(&self, y: u16) -> Option<usize> {
        let first = self.body.y + 2;
        (y >= first && y < first + self.list_rows() as u16).then(|| (y - first) as usize)
    }
}

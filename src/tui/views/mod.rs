//! One file per screen; each is a free function of `&App` and an area.

pub mod detail;
pub mod drift;
pub mod graph;
pub mod group;
pub mod impact;
pub mod lag;
pub mod lists;
pub mod map;
mod map_boxes;
mod map_info;
mod map_view;
pub mod messages;
pub mod platform;
pub mod popup;
pub mod stale;

use super::state::App;
use crate::core::live::view::Health;
use crate::core::registry::TopicId;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Row, Table};
use ratatui::Frame;

/// A bordered table that builds only the rows it can show.
pub struct ListTable<'a> {
    pub title: String,
    pub header: &'a [&'a str],
    pub widths: &'a [Constraint],
    pub len: usize,
    pub selected: usize,
    pub offset: usize,
    pub focused: bool,
    /// A line about the selected row, in the bottom border (left; the position is right).
    pub detail: Option<String>,
}

impl<'a> ListTable<'a> {
    /// The table of the current list screen: its items, selection and scroll.
    pub fn for_screen(app: &App, title: String, header: &'a [&'a str], widths: &'a [Constraint]) -> Self {
        let s = app.screen();
        ListTable {
            title,
            header,
            widths,
            len: s.items.len(),
            selected: s.selected,
            offset: s.offset,
            focused: true,
            detail: None,
        }
    }

    pub fn render<'r>(self, app: &App, f: &mut Frame, area: Rect, mut row: impl FnMut(usize) -> Vec<Cell<'r>>) {
        let t = &app.theme;
        let visible = area.height.saturating_sub(3) as usize;
        let end = (self.offset + visible).min(self.len);
        let rows: Vec<Row> = (self.offset..end)
            .map(|i| {
                let r = Row::new(row(i));
                if i == self.selected && self.focused {
                    r.style(t.selected())
                } else {
                    r
                }
            })
            .collect();
        let mut pos = if self.len == 0 {
            "empty".to_string()
        } else if self.focused && self.selected < self.len {
            format!("{}/{}", self.selected + 1, self.len)
        } else {
            self.len.to_string()
        };
        // A cut list says so: how many rows are out of sight below.
        if end < self.len {
            pos = format!("↓{} more · {pos}", self.len - end);
        }
        let mut block = Block::default()
            .borders(Borders::ALL)
            .border_style(if self.focused { t.focus_border() } else { t.border() })
            .title(Span::styled(format!(" {} ", self.title), t.title()));
        if let Some(d) = &self.detail {
            // Room for the corners, the position and a gap of one.
            let room = (area.width as usize).saturating_sub(pos.chars().count() + 8);
            let d = crate::core::words::cut(&crate::core::visible::one_line(d), room);
            block = block.title_bottom(Line::from(format!(" {d} ")).left_aligned());
        }
        let block = block.title_bottom(Line::from(format!(" {pos} ")).right_aligned());
        let header = Row::new(self.header.iter().map(|h| Cell::from(*h))).style(t.header());
        f.render_widget(
            Table::new(rows, self.widths)
                .header(header)
                .block(block)
                .column_spacing(1),
            area,
        );
    }
}

/// `1.2k`-style counts for narrow columns.
pub fn human(n: i64) -> String {
    let a = n.unsigned_abs() as f64;
    let s = if a >= 1e9 {
        format!("{:.1}G", a / 1e9)
    } else if a >= 1e6 {
        format!("{:.1}M", a / 1e6)
    } else if a >= 1e4 {
        format!("{:.1}k", a / 1e3)
    } else {
        return n.to_string();
    };
    if n < 0 {
        format!("-{s}")
    } else {
        s
    }
}

pub fn rate(r: Option<f64>) -> String {
    match r {
        None => "—".into(),
        Some(r) if r >= 100.0 => format!("{r:.0}"),
        Some(r) => format!("{r:.1}"),
    }
}

pub fn opt(n: Option<i64>) -> String {
    n.map_or("—".into(), human)
}

/// A text sparkline from the last `width` values, from zero to the highest. A
/// constant series is drawn flat (mid-height, or on the floor when it is zero): full
/// blocks would read as a peak.
pub fn spark(values: &[u64], width: usize) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let tail = &values[values.len().saturating_sub(width)..];
    let (min, max) = (
        tail.iter().copied().min().unwrap_or(0),
        tail.iter().copied().max().unwrap_or(0),
    );
    if min == max {
        let flat = if max == 0 { BARS[0] } else { BARS[3] };
        return std::iter::repeat_n(flat, tail.len()).collect();
    }
    tail.iter()
        .map(|&v| BARS[(v.saturating_mul(7)).checked_div(max).unwrap_or(0).min(7) as usize])
        .collect()
}

pub fn health_cell<'a>(app: &App, h: Option<Health>) -> Cell<'a> {
    let t = &app.theme;
    match h {
        None => Cell::from("—"),
        Some(h) => {
            let style = match h {
                Health::Ok | Health::Idle => t.ok(),
                Health::Unknown => Style::default(),
                Health::Warn => t.warn(),
                _ => t.error(),
            };
            Cell::from(Span::styled(h.label(), style))
        }
    }
}

/// What the cluster shows beyond the registry on the topics `on` accepts, one line each.
pub fn observed_on(app: &App, on: impl Fn(TopicId) -> bool) -> Vec<String> {
    let Some(d) = &app.joined.drift else { return Vec::new() };
    d.links
        .iter()
        .filter(|l| on(l.topic))
        .map(|l| l.line(&app.data.reg))
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_constant_sparkline_is_flat_and_a_rising_one_rises() {
        assert_eq!(super::spark(&[12, 12, 12], 12), "▄▄▄");
        assert_eq!(super::spark(&[0, 0], 12), "▁▁");
        assert_eq!(super::spark(&[0, 7, 14], 12), "▁▄█");
        assert_eq!(super::spark(&[1, 2, 3, 4], 2), "▆█", "only the last `width`");
    }
}

//! One file per screen; each is a free function of `&App` and an area.

pub mod check;
pub mod connector;
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
mod topic_schema;

use super::state::App;
use crate::core::live::view::Health;
use crate::core::registry::TopicId;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Row, Table};
use ratatui::Frame;
use unicode_width::UnicodeWidthStr;

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

    pub fn render<'r>(self, app: &App, f: &mut Frame, area: Rect, mut row: impl FnMut(usize) -> Vec<Line<'r>>) {
        let t = &app.theme;
        let visible = area.height.saturating_sub(3) as usize;
        let end = (self.offset + visible).min(self.len);
        let lines: Vec<Vec<Line>> = (self.offset..end).map(&mut row).collect();
        let widths = fit_columns(self.widths, self.header, &lines, area.width.saturating_sub(2));
        let rows: Vec<Row> = lines
            .into_iter()
            .zip(self.offset..)
            .map(|(cells, i)| {
                // A cut cell ends in `…`, so a cut name never passes for a whole one.
                let cells = cells.into_iter().zip(&widths).map(|(l, &w)| Cell::from(ellipsis(l, w)));
                let r = Row::new(cells);
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
            Table::new(rows, widths.iter().map(|&w| Constraint::Length(w)))
                .header(header)
                .block(block)
                .column_spacing(1),
            area,
        );
    }
}

/// Column widths sized by what the rows shown hold: each column gets at least its
/// declared width (a `Length` or `Min`, a `Percentage` of the row), then spare room
/// goes to the columns whose content is wider, the narrowest need first, and what is
/// left to the first `Min` column. When the declared widths do not fit, ratatui's own
/// solver shares the room as the constraints say.
fn fit_columns(constraints: &[Constraint], header: &[&str], rows: &[Vec<Line>], total: u16) -> Vec<u16> {
    let n = constraints.len();
    let gaps = n.saturating_sub(1) as u16;
    let room = total.saturating_sub(gaps);
    let base: Vec<u16> = constraints
        .iter()
        .map(|c| match *c {
            Constraint::Length(w) | Constraint::Min(w) | Constraint::Max(w) => w,
            Constraint::Percentage(p) => (u32::from(room) * u32::from(p) / 100) as u16,
            _ => 0,
        })
        .collect();
    let declared: u32 = base.iter().map(|&w| u32::from(w)).sum();
    if declared > u32::from(room) {
        let r = Rect::new(0, 0, total, 1);
        let split = ratatui::layout::Layout::horizontal(constraints.iter().copied())
            .flex(ratatui::layout::Flex::Start)
            .spacing(1)
            .split(r);
        return split.iter().map(|c| c.width).collect();
    }
    let want: Vec<u16> = (0..n)
        .map(|k| {
            let cells = rows.iter().filter_map(|r| r.get(k)).map(|l| l.width());
            let head = header.get(k).map_or(0, |h| h.width());
            cells.chain([head]).max().unwrap_or(0).min(usize::from(u16::MAX)) as u16
        })
        .collect();
    let mut widths = base.clone();
    let mut spare = room - declared as u16;
    let mut needy: Vec<usize> = (0..n).filter(|&k| want[k] > base[k]).collect();
    needy.sort_by_key(|&k| want[k] - base[k]);
    let mut left = needy.len() as u16;
    for k in needy {
        // An equal share of what is left for each column still in need.
        let give = (want[k] - base[k]).min(spare / left.max(1));
        widths[k] += give;
        spare -= give;
        left -= 1;
    }
    let first_min = constraints
        .iter()
        .position(|c| matches!(c, Constraint::Min(_)))
        .unwrap_or(0);
    if let Some(w) = widths.get_mut(first_min) {
        *w += spare;
    }
    widths
}

/// A cell's line in at most `width` columns, a cut one ending in `…`.
fn ellipsis(line: Line<'_>, width: u16) -> Line<'_> {
    let width = usize::from(width);
    if line.width() <= width {
        return line;
    }
    let mut out = Vec::new();
    let mut used = 0;
    for span in line.spans {
        let mut kept = String::new();
        for c in span.content.chars() {
            let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
            if used + w + 1 > width {
                break;
            }
            kept.push(c);
            used += w;
        }
        let full = kept.len() == span.content.len();
        out.push(Span::styled(kept, span.style));
        if !full {
            out.push(Span::styled("…", span.style));
            break;
        }
    }
    Line::from(out).style(line.style)
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

pub fn health_cell<'a>(app: &App, h: Option<Health>) -> Line<'a> {
    let t = &app.theme;
    match h {
        None => Line::from("—"),
        Some(h) => {
            let style = match h {
                Health::Ok | Health::Idle => t.ok(),
                Health::Unknown => Style::default(),
                Health::Warn => t.warn(),
                _ => t.error(),
            };
            Line::from(Span::styled(h.label(), style))
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

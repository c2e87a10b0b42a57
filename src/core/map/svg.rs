//! The map as SVG (`ktopo export --format svg`): the same layout and edge paths as the
//! TUI's `:map`, one cell = 8 x 16 px, so the picture can go into a document without
//! Graphviz. Crossings are bridged (a white gap in the horizontal line). Names are XML-escaped, control and invisible characters made visible first,
//! and wrapped to their box by display width; a map wider than a page is wrapped onto
//! strips (`svg_pages`).

use super::plan::{Layout, Line};
use crate::core::registry::{Registry, Status};
use crate::core::topology::Node;
use std::fmt::Write;

use super::pixels::{px, CH, CW};

/// XML 1.0's characters (its `Char` production): anything else makes the file invalid.
fn xml_char(c: char) -> bool {
    matches!(c as u32, 0x9 | 0xA | 0xD | 0x20..=0xD7FF | 0xE000..=0xFFFD | 0x10000..=0x10FFFF)
}

/// A name on one line, its control and invisible characters visible (`\u{202e}`).
fn shown(s: &str) -> String {
    crate::core::visible::one_line(s).into_owned()
}

/// Text for an element or a quoted attribute. Whatever `shown` lets through that XML
/// forbids, or that reorders or hides text (bidi overrides), becomes U+FFFD.
fn xml(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&apos;"),
            c if !xml_char(c) || c.is_control() || crate::core::visible::is_invisible(c) => o.push('\u{fffd}'),
            c => o.push(c),
        }
    }
    o
}

/// Width of a page the SVG export fits by default, in pixels: a browser window or a
/// landscape page at 100%.
pub const PAGE_PX: u32 = 1280;
/// Lines a name may take in its box; longer names end in `…` (the tooltip has it all).
pub const NAME_LINES: usize = 4;
const NAME_MIN: u32 = 22;
const NAME_MAX: u32 = 38;

/// The SVG's box geometry: as wide as the longest name needs (22 to 38 cells of
/// text), and as tall as the most lines a name wraps to, so no name is cut.
pub fn geometry(reg: &Registry, part: &crate::core::part::Part) -> super::plan::Geometry {
    let names: Vec<String> = reg
        .service_ids()
        .map(Node::Service)
        .chain(reg.topic_ids().map(Node::Topic))
        .filter(|&n| part.has(n))
        .map(|n| shown(&label(reg, n).0))
        .collect();
    let longest = names
        .iter()
        .map(|n| super::text::width(n).min(NAME_MAX))
        .fold(NAME_MIN, u32::max);
    let lines = names
        .iter()
        .map(|n| super::text::wrap(n, longest, NAME_LINES).len())
        .max()
        .unwrap_or(1)
        .max(1) as u32;
    super::plan::Geometry {
        box_w: longest + 2,
        box_h: lines + 2,
        ..super::plan::FULL
    }
}

/// A node's name, what it is, its fill and its border's dashes.
fn label(reg: &Registry, n: Node) -> (String, &'static str, &'static str, &'static str) {
    match n {
        Node::Service(i) => (reg.services[i].label(), "service", "#eef4ff", ""),
        Node::Topic(i) => {
            let t = &reg.topics[i];
            match t.status {
                Status::Active => (t.name.clone(), "topic", "#f3fbef", ""),
                Status::Deprecated => (
                    t.name.clone(),
                    "deprecated topic",
                    "#f4f4f4",
                    r#" stroke-dasharray="5 3""#,
                ),
                Status::Proposed => (
                    t.name.clone(),
                    "proposed topic",
                    "#fffbe6",
                    r#" stroke-dasharray="2 2""#,
                ),
            }
        }
    }
}

/// The map, wrapped onto strips stacked down the page when it is wider than
/// `page_px` (0: one strip however wide). Each strip is a range of columns; a line
/// that leaves a strip ends in a numbered mark that the next strip's line begins
/// with (`svg_pages`).
pub fn render(reg: &Registry, l: &Layout, page_px: u32) -> String {
    if let Some(n) = l.refused {
        return format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"640\" height=\"40\"><text x=\"8\" y=\"24\">{n} edges: more than {} cannot be drawn legibly; export a domain's registry instead</text></svg>\n",
            super::plan::MAX_EDGES
        );
    }
    let body = body(reg, l);
    let (w, h) = (f64::from(l.width) * CW, f64::from(l.height) * CH);
    let strips = super::svg_pages::strips(l, page_px);
    if strips.len() <= 1 {
        let (w, h) = (w + 16.0, h + 16.0);
        let mut o = String::new();
        let _ = writeln!(
            o,
            r##"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="-8 -8 {w} {h}" font-family="monospace" font-size="12">"##
        );
        o.push_str(DEFS);
        let _ = writeln!(o, r##"<rect x="-8" y="-8" width="{w}" height="{h}" fill="white"/>"##);
        o.push_str(&body);
        o.push_str("</svg>\n");
        return o;
    }
    super::svg_pages::render(&strips, &body, DEFS)
}

const DEFS: &str = "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"8\" markerHeight=\"8\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#444\"/></marker></defs>\n";

/// Lines, crossings and boxes in map coordinates (one cell = 8 x 16 px).
fn body(reg: &Registry, l: &Layout) -> String {
    let mut o = String::new();
    for p in &l.paths {
        let pts: Vec<String> = p
            .points
            .iter()
            .enumerate()
            .map(|(i, &(x, y))| format!("{:.0},{:.0}", px(i, x), (f64::from(y) + 0.5) * CH))
            .collect();
        let dash = match p.line {
            Line::Replacement | Line::Candidate => r#" stroke-dasharray="6 4""#,
            Line::Pattern => r#" stroke-dasharray="2 3""#,
            Line::Data => "",
        };
        let _ = writeln!(
            o,
            r##"<polyline points="{}" fill="none" stroke="#444" stroke-width="1.2"{dash} marker-end="url(#arrow)"/>"##,
            pts.join(" ")
        );
    }
    // Crossings bridged as in the TUI: the horizontal line is cut by a white gap where
    // the vertical one passes, so a crossing never looks like a junction (`+`).
    for ((x, y), (d, _)) in super::route::cells_in(&l.paths, (0, 0, l.width, l.height)) {
        if d & super::route::CROSS != 0 {
            let (cx, cy) = ((f64::from(x) + 0.5) * CW, (f64::from(y) + 0.5) * CH);
            let _ = writeln!(
                o,
                r##"<g class="crossing"><rect x="{:.0}" y="{:.0}" width="{:.0}" height="4" fill="white"/><line x1="{cx:.0}" y1="{:.0}" x2="{cx:.0}" y2="{:.0}" stroke="#444" stroke-width="1.2"/></g>"##,
                cx - CW * 0.45,
                cy - 2.0,
                CW * 0.9,
                cy - CH * 0.5,
                cy + CH * 0.5
            );
        }
    }
    for p in &l.nodes {
        let (name, kind, fill, dash) = label(reg, p.node);
        // Wrapped to the box by display width (a CJK character takes two cells), after
        // the escapes that make hidden characters visible have lengthened it.
        let name = shown(&name);
        let lines = super::text::wrap(&name, l.geo.box_w.saturating_sub(2), NAME_LINES);
        let (x, y) = (f64::from(p.x) * CW, f64::from(p.y) * CH);
        let (bw, bh) = (f64::from(l.geo.box_w) * CW, f64::from(l.geo.box_h) * CH);
        // The lines centred in the box, one text row (16 px) each.
        let top = y + (bh - CH * lines.len() as f64) / 2.0;
        let mut text = String::new();
        for (i, line) in lines.iter().enumerate() {
            let _ = write!(
                text,
                r#"<text x="{}" y="{}">{}</text>"#,
                x + 6.0,
                top + CH * i as f64 + 12.0,
                xml(line)
            );
        }
        let _ = writeln!(
            o,
            r##"<g><title>{kind}: {}</title><rect x="{x}" y="{y}" width="{bw}" height="{bh}" rx="4" fill="{fill}" stroke="#333"{dash}/>{text}</g>"##,
            xml(&name),
        );
    }
    o
}

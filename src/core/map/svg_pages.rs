//! A map wider than a page, wrapped: its columns cut into strips that fit the page,
//! stacked top to bottom, each cropped to the rows it uses. The map is drawn once (in
//! `<defs>`) and each strip shows it through a clip, so a strip is exactly the map's
//! own drawing. Where a line crosses a cut, the strip it leaves and the strip it
//! enters carry the same numbered mark at the same line.

use super::pixels::{px, CH, CW};
use super::plan::Layout;
use std::fmt::Write;
/// Room either side of a strip for the marks.
const MARGIN: f64 = 32.0;
/// Above each strip: its caption.
const CAPTION: f64 = 24.0;
/// Between strips.
const GAP: f64 = 16.0;

/// One strip: the map's pixels `x0..x1` by `y0..y1`, and the lines that cross its
/// cuts (pixel y and mark number) on the way in (left) and out (right).
#[derive(Debug, Clone, PartialEq)]
pub struct Strip {
    pub x0: f64,
    pub x1: f64,
    pub y0: f64,
    pub y1: f64,
    /// Columns shown (first, last), counted from 0.
    pub layers: (usize, usize),
    pub marks_in: Vec<(f64, usize)>,
    pub marks_out: Vec<(f64, usize)>,
}

/// The path's points in pixels, as `svg::body` draws them (`svg::px`).
fn points(p: &super::plan::Path) -> Vec<(f64, f64)> {
    p.points
        .iter()
        .enumerate()
        .map(|(i, &(x, y))| (px(i, x), (f64::from(y) + 0.5) * CH))
        .collect()
}

/// The strips of `l` for a page `page_px` wide (one strip when it fits, or when
/// `page_px` is 0). Cuts fall just right of a column's boxes, where every line is
/// horizontal (lanes turn only further right, in the gap).
pub fn strips(l: &Layout, page_px: u32) -> Vec<Strip> {
    let width = f64::from(l.width) * CW;
    let room = f64::from(page_px) - 2.0 * MARGIN;
    let mut right: Vec<f64> = vec![0.0; l.layers];
    for p in &l.nodes {
        if let Some(r) = right.get_mut(p.layer) {
            *r = r.max(f64::from(p.x + l.geo.box_w) * CW + 2.0);
        }
    }
    let mut cuts: Vec<(f64, usize)> = Vec::new();
    if page_px > 0 && width + 16.0 > f64::from(page_px) {
        let mut start = 0.0;
        // The right edge of the last column that fits in the strip being filled.
        let mut fits: Option<(f64, usize)> = None;
        for (k, &r) in right.iter().enumerate().take(l.layers.saturating_sub(1)) {
            if r - start > room {
                // Column k does not fit: the strip ends after the last one that did
                // (or after k itself, when one column is wider than the page).
                let cut = fits.take().unwrap_or((r, k));
                cuts.push(cut);
                start = cut.0;
            }
            if r > start {
                fits = Some((r, k));
            }
        }
        if width - start > room {
            cuts.extend(fits);
        }
    }
    let paths: Vec<Vec<(f64, f64)>> = l.paths.iter().map(points).collect();
    // Each line that crosses a cut gets one number for all the cuts it crosses (a long
    // edge passing several strips keeps it), in the order lines first leave a strip;
    // lines on the same row at a cut (one box's fan-out) share the lowest number.
    let crossing = |pts: &[(f64, f64)], cut: f64| {
        pts.windows(2).find_map(|w| {
            let ((ax, ay), (bx, by)) = (w[0], w[1]);
            (ay == by && ax.min(bx) < cut && ax.max(bx) > cut).then_some(ay)
        })
    };
    let mut first: Vec<(usize, f64, usize)> = Vec::new();
    for (k, pts) in paths.iter().enumerate() {
        if let Some((c, y)) = cuts
            .iter()
            .enumerate()
            .find_map(|(c, &(x, _))| crossing(pts, x).map(|y| (c, y)))
        {
            first.push((c, y, k));
        }
    }
    first.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
    let mut number = vec![0usize; paths.len()];
    for (n, &(_, _, k)) in first.iter().enumerate() {
        number[k] = n + 1;
    }
    let marks_at = |cut: f64| -> Vec<(f64, usize)> {
        let mut at: Vec<(f64, usize)> = Vec::new();
        for (k, pts) in paths.iter().enumerate() {
            if let Some(y) = crossing(pts, cut) {
                at.push((y, number[k]));
            }
        }
        at.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        at.dedup_by(|b, a| a.0 == b.0);
        at
    };
    let mut out = Vec::new();
    let mut x0 = 0.0;
    let mut first = 0;
    let mut marks_in = Vec::new();
    for i in 0..=cuts.len() {
        let (x1, last) = cuts.get(i).copied().unwrap_or((width, l.layers.saturating_sub(1)));
        let marks_out = if i < cuts.len() { marks_at(x1) } else { Vec::new() };
        let (y0, y1) = rows_used(l, &paths, x0, x1, &marks_in, &marks_out);
        out.push(Strip {
            x0,
            x1,
            y0,
            y1,
            layers: (first, last),
            marks_in: std::mem::take(&mut marks_in),
            marks_out: marks_out.clone(),
        });
        marks_in = marks_out;
        x0 = x1;
        first = last + 1;
    }
    out
}

/// The pixel rows the map uses between `x0` and `x1`, with a little room for arrow
/// heads: boxes, lines and the marks.
fn rows_used(
    l: &Layout,
    paths: &[Vec<(f64, f64)>],
    x0: f64,
    x1: f64,
    a: &[(f64, usize)],
    b: &[(f64, usize)],
) -> (f64, f64) {
    let (mut lo, mut hi) = (f64::MAX, f64::MIN);
    let (bw, bh) = (f64::from(l.geo.box_w) * CW, f64::from(l.geo.box_h) * CH);
    for p in &l.nodes {
        let (x, y) = (f64::from(p.x) * CW, f64::from(p.y) * CH);
        if x < x1 && x + bw > x0 {
            lo = lo.min(y);
            hi = hi.max(y + bh);
        }
    }
    for pts in paths {
        for w in pts.windows(2) {
            let ((ax, ay), (bx, by)) = (w[0], w[1]);
            if ax.min(bx) < x1 && ax.max(bx) > x0 || (ax == bx && ax >= x0 && ax < x1) {
                lo = lo.min(ay.min(by));
                hi = hi.max(ay.max(by));
            }
        }
    }
    for &(y, _) in a.iter().chain(b) {
        lo = lo.min(y);
        hi = hi.max(y);
    }
    if lo > hi {
        return (0.0, CH);
    }
    ((lo - 8.0).max(-8.0), hi + 8.0)
}

/// The strips stacked on one page: the body once, shown through each strip's clip,
/// each with a caption and its marks.
pub fn render(strips: &[Strip], body: &str, defs: &str) -> String {
    let w = strips.iter().map(|s| s.x1 - s.x0).fold(0.0, f64::max) + 2.0 * MARGIN;
    let h: f64 = strips.iter().map(|s| CAPTION + (s.y1 - s.y0) + GAP).sum();
    let layers = strips.last().map_or(0, |s| s.layers.1 + 1);
    let mut o = String::new();
    let _ = writeln!(
        o,
        r##"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="{w:.0}" height="{h:.0}" viewBox="0 0 {w:.0} {h:.0}" font-family="monospace" font-size="12">"##
    );
    o.push_str(defs);
    let _ = writeln!(o, r#"<defs><g id="map">"#);
    o.push_str(body);
    o.push_str("</g>\n");
    for (i, s) in strips.iter().enumerate() {
        let _ = writeln!(
            o,
            r#"<clipPath id="strip{}"><rect x="{:.0}" y="{:.0}" width="{:.0}" height="{:.0}"/></clipPath>"#,
            i + 1,
            s.x0,
            s.y0,
            s.x1 - s.x0,
            s.y1 - s.y0
        );
    }
    o.push_str("</defs>\n");
    let _ = writeln!(
        o,
        r##"<rect x="0" y="0" width="{w:.0}" height="{h:.0}" fill="white"/>"##
    );
    let mut top = 0.0;
    for (i, s) in strips.iter().enumerate() {
        let _ = writeln!(
            o,
            r##"<text x="{MARGIN:.0}" y="{:.0}" fill="#666">part {} of {}: columns {}-{} of {layers}{}</text>"##,
            top + 16.0,
            i + 1,
            strips.len(),
            s.layers.0 + 1,
            s.layers.1 + 1,
            if s.marks_out.is_empty() {
                ""
            } else {
                "; numbered lines go on in the next part"
            }
        );
        let (dx, dy) = (MARGIN - s.x0, top + CAPTION - s.y0);
        let _ = writeln!(
            o,
            r##"<g transform="translate({dx:.0},{dy:.0})"><use xlink:href="#map" href="#map" clip-path="url(#strip{})"/>"##,
            i + 1
        );
        for &(y, n) in &s.marks_in {
            let _ = writeln!(
                o,
                r##"<text class="mark-in" x="{:.0}" y="{:.0}" font-size="10" fill="#b34700" text-anchor="end">{n}&#x25B8;</text>"##,
                s.x0 - 2.0,
                y + 3.5
            );
        }
        for &(y, n) in &s.marks_out {
            let _ = writeln!(
                o,
                r##"<text class="mark-out" x="{:.0}" y="{:.0}" font-size="10" fill="#b34700">&#x25B8;{n}</text>"##,
                s.x1 + 2.0,
                y + 3.5
            );
        }
        o.push_str("</g>\n");
        top += CAPTION + (s.y1 - s.y0) + GAP;
    }
    o.push_str("</svg>\n");
    o
}

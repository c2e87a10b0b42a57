//! Names as the cells a terminal gives them, for the map's boxes (TUI and SVG): a
//! combining mark shares its base character's cell, a CJK character takes two, so
//! widths and truncation count cells, never characters.

use unicode_width::UnicodeWidthStr;

/// One character of a name as shown: its symbol (the character and any zero-width
/// marks that combine with it) and its width in cells, 1 or 2.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Glyph {
    pub symbol: String,
    pub width: u32,
}

/// A name's glyphs: control characters as pictures (`␛`), invisible ones (bidi
/// overrides, zero-width spaces: `visible::is_invisible`) dropped, so the text shows in
/// its stored order; zero-width marks join the glyph before them (dropped when none
/// is); emoji variation selectors dropped, since terminals disagree on what width they
/// give their base.
pub fn glyphs(s: &str) -> Vec<Glyph> {
    let mut out: Vec<Glyph> = Vec::new();
    for c in s.chars() {
        if crate::core::visible::is_invisible(c) || matches!(c, '\u{fe0e}' | '\u{fe0f}') {
            continue;
        }
        let c = if c.is_control() {
            crate::core::visible::picture(c)
        } else {
            c
        };
        let mut buf = [0; 4];
        let one: &str = c.encode_utf8(&mut buf);
        if one.width() == 0 {
            if let Some(g) = out.last_mut() {
                g.symbol.push(c);
                // The width the renderer measures: the cell's whole symbol.
                g.width = (g.symbol.width() as u32).clamp(1, 2);
            }
            continue;
        }
        out.push(Glyph {
            symbol: one.to_string(),
            width: (one.width() as u32).clamp(1, 2),
        });
    }
    out
}

/// Width in cells.
pub fn width(s: &str) -> u32 {
    glyphs(s).iter().map(|g| g.width).sum()
}

/// The glyphs that fit in `max` cells; with `ellipsis`, a cut name ends in `…`. A wide
/// glyph that would straddle the limit is left out (the cell stays blank).
pub fn fit(s: &str, max: u32, ellipsis: bool) -> Vec<Glyph> {
    let all = glyphs(s);
    if all.iter().map(|g| g.width).sum::<u32>() <= max {
        return all;
    }
    let room = if ellipsis { max.saturating_sub(1) } else { max };
    let mut used = 0;
    let mut out: Vec<Glyph> = all
        .into_iter()
        .take_while(|g| {
            used += g.width;
            used <= room
        })
        .collect();
    if ellipsis && max > 0 {
        out.push(Glyph {
            symbol: "…".into(),
            width: 1,
        });
    }
    out
}

/// The glyphs as one string.
pub fn join(g: &[Glyph]) -> String {
    g.iter().map(|g| g.symbol.as_str()).collect()
}

/// A name on lines of at most `max` cells, broken after a separator (`_ . - / :` or a
/// space) when one falls in the last third of a line, else anywhere; at most `lines`
/// lines, the last ending in `…` when the name is longer still.
pub fn wrap(s: &str, max: u32, lines: usize) -> Vec<String> {
    let max = max.max(2);
    let all = glyphs(s);
    let mut out: Vec<String> = Vec::new();
    let mut rest: &[Glyph] = &all;
    while !rest.is_empty() && out.len() < lines {
        let mut used = 0;
        let mut end = 0;
        while end < rest.len() && used + rest[end].width <= max {
            used += rest[end].width;
            end += 1;
        }
        if end < rest.len() {
            let floor = end - end / 3;
            if let Some(b) = (floor..end)
                .rev()
                .find(|&i| matches!(rest[i].symbol.as_str(), "_" | "." | "-" | "/" | ":" | " "))
            {
                end = b + 1;
            }
        }
        let mut line: Vec<Glyph> = rest[..end.max(1)].to_vec();
        rest = &rest[end.max(1)..];
        if out.len() + 1 == lines && !rest.is_empty() {
            // The last line allowed: cut it to make room for the ellipsis.
            while line.iter().map(|g| g.width).sum::<u32>() + 1 > max {
                line.pop();
            }
            line.push(Glyph {
                symbol: "…".into(),
                width: 1,
            });
            rest = &[];
        }
        out.push(join(&line).trim_end().to_string());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_wrap_after_separators_and_end_in_an_ellipsis_only_past_the_last_line() {
        assert_eq!(wrap("billing_events", 20, 4), ["billing_events"]);
        assert_eq!(
            wrap("customer_success_engagement_events", 20, 4),
            ["customer_success_", "engagement_events"]
        );
        assert_eq!(wrap("abcdefghij", 4, 4), ["abcd", "efgh", "ij"]);
        assert_eq!(wrap("abcdefghijklmnop", 4, 2), ["abcd", "efg…"]);
        assert_eq!(wrap("請求請求請求", 5, 4), ["請求", "請求", "請求"]);
        assert!(wrap("", 10, 4).is_empty());
    }

    #[test]
    fn widths_count_cells() {
        assert_eq!(width("abc"), 3);
        assert_eq!(width("e\u{301}te\u{301}"), 3, "combining marks share a cell");
        assert_eq!(width("請求"), 4);
        assert_eq!(width("a\u{200b}\u{202e}b"), 2, "invisible characters take none");
        assert_eq!(width("\u{301}x"), 1, "a mark with nothing to combine with is dropped");
        assert_eq!(width("a\x1bb"), 3, "a control character is one picture");
        let g = glyphs("e\u{301}\u{34f}");
        assert_eq!(g.len(), 1);
        assert_eq!(g[0].symbol, "e\u{301}\u{34f}");
    }

    #[test]
    fn fitting_never_splits_a_wide_glyph() {
        assert_eq!(join(&fit("請求サ", 5, false)), "請求");
        assert_eq!(join(&fit("請求サ", 5, true)), "請求…");
        assert_eq!(join(&fit("請求", 4, true)), "請求");
        assert_eq!(join(&fit("abcdef", 4, true)), "abc…");
        assert_eq!(join(&fit("e\u{301}e\u{301}e\u{301}", 2, false)), "e\u{301}e\u{301}");
        assert!(fit("abc", 0, true).is_empty());
    }
}

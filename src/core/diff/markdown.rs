//! The report as a pull request comment: the counts, then one table row per change
//! with where it is and whom to call. Every value is escaped with `impact_markdown::md`
//! (a `|` cannot split a cell, a `<` cannot open HTML, a `[` cannot make a link).

use super::change::Report;
use super::text::{affects, call};
use crate::core::impact_markdown::md;
use std::fmt::Write;

pub fn render(r: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "## Registry changes: {} → {}\n",
        md(&r.old.shown),
        md(&r.new.shown)
    );
    if r.changes.is_empty() {
        out.push_str("No changes.\n");
        return out;
    }
    let _ = writeln!(out, "{}.\n", r.summary());
    out.push_str("| level | change | where | affects | call |\n|---|---|---|---|---|\n");
    for c in &r.changes {
        let (who, owners) = if c.affects.is_empty() {
            ("—".to_string(), "—".to_string())
        } else {
            (md(&affects(c)), md(&call(&c.affects)))
        };
        let _ = writeln!(
            out,
            "| **{}** `{}` | {} | {} | {who} | {owners} |",
            c.level.as_str(),
            c.code,
            md(&c.message),
            md(&r.place(c)),
        );
    }
    out
}

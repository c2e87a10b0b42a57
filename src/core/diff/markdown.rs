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
            sentence(&c.message),
            md(&r.place(c)),
        );
    }
    out
}

/// A message with its `names` as code spans: the text around them escaped with `md`,
/// the names on one line with `|` escaped (it would split a table cell even inside a
/// code span). Unpaired backticks: all of it escaped as text.
fn sentence(message: &str) -> String {
    let parts: Vec<&str> = message.split('`').collect();
    if parts.len().is_multiple_of(2) {
        return md(message);
    }
    parts
        .iter()
        .enumerate()
        .map(|(i, p)| {
            if i % 2 == 0 {
                md(p)
            } else {
                format!("`{}`", crate::core::visible::one_line(p).replace('|', "\\|"))
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn names_are_code_spans_that_cannot_split_a_cell() {
        assert_eq!(super::sentence("topic `a|b` <gone>"), "topic `a\\|b` \\<gone\\>");
        assert_eq!(super::sentence("odd ` tick"), "odd \\` tick");
    }
}

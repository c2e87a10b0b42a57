//! The report as JSON (docs/diff-json.md): the counts, then every change with its
//! file, line and column. Serialized straight from these structs (no intermediate
//! tree: a large diff is megabytes).

use super::change::{Level, Party, Report, Side};
use serde::Serialize;

#[derive(Serialize)]
struct Doc<'a> {
    old: &'a str,
    new: &'a str,
    breaking: usize,
    warnings: usize,
    infos: usize,
    changes: Vec<Row<'a>>,
}

#[derive(Serialize)]
struct Row<'a> {
    level: Level,
    code: &'a str,
    subject: &'a str,
    message: &'a str,
    side: Side,
    file: &'a str,
    line: Option<u32>,
    column: Option<u32>,
    affects: &'a [Party],
}

/// Pretty-printed, with a final newline.
pub fn render(r: &Report) -> String {
    let doc = Doc {
        old: &r.old.shown,
        new: &r.new.shown,
        breaking: r.count(Level::Breaking),
        warnings: r.count(Level::Warning),
        infos: r.count(Level::Info),
        changes: r
            .changes
            .iter()
            .map(|c| Row {
                level: c.level,
                code: c.code,
                subject: &c.subject,
                message: &c.message,
                side: c.side,
                file: &r.named(c.side).shown,
                line: c.loc.map(|l| l.line),
                column: c.loc.map(|l| l.col),
                affects: &c.affects,
            })
            .collect(),
    };
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

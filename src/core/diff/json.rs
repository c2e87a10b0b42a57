//! The report as JSON (docs/diff-json.md): the counts, then every change with its
//! file, line and column.

use super::change::Report;
use serde_json::{json, Value};

pub fn to_json(r: &Report) -> Value {
    let changes: Vec<Value> = r
        .changes
        .iter()
        .map(|c| {
            let named = r.named(c.side);
            json!({
                "level": c.level,
                "code": c.code,
                "subject": c.subject,
                "message": c.message,
                "side": c.side,
                "file": named.shown,
                "line": c.loc.map(|l| l.line),
                "column": c.loc.map(|l| l.col),
                "affects": c.affects,
            })
        })
        .collect();
    json!({
        "old": r.old.shown,
        "new": r.new.shown,
        "breaking": r.count(super::Level::Breaking),
        "warnings": r.count(super::Level::Warning),
        "infos": r.count(super::Level::Info),
        "changes": changes,
    })
}

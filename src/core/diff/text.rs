//! The report for a terminal or a log, shaped like `ktopo check`'s findings: the
//! level and code, the sentence, where, and whom it affects. Every value from the
//! files stays on its line (`visible::one_line`).

use super::change::{Change, Level, Party, Report};
use crate::core::visible::one_line;
use crate::core::words::count;
use std::fmt::Write;

pub fn render(r: &Report, color: bool) -> String {
    let mut out = String::new();
    for c in &r.changes {
        let level = c.level.as_str();
        let level = if color {
            let code = match c.level {
                Level::Breaking => "1;31",
                Level::Warning => "1;33",
                Level::Info => "1;36",
            };
            format!("\x1b[{code}m{level}\x1b[0m")
        } else {
            level.to_string()
        };
        let _ = writeln!(out, "{level}[{}]: {}", c.code, one_line(&c.message));
        let _ = writeln!(out, "  --> {}", one_line(&r.place(c)));
        if !c.affects.is_empty() {
            let _ = writeln!(out, "  = affects: {}", one_line(&affects(c)));
            let _ = writeln!(out, "  = call: {}", one_line(&call(&c.affects)));
        }
        out.push('\n');
    }
    let _ = writeln!(
        out,
        "{} → {}: {}",
        one_line(&r.old.shown),
        one_line(&r.new.shown),
        if r.changes.is_empty() {
            "no changes".to_string()
        } else {
            r.summary()
        }
    );
    out
}

/// Names shown per change in the human formats (JSON lists them all): a default or
/// the envelope can affect thousands of consumers.
const SHOWN: usize = 10;

/// `a, b, c` and, past `SHOWN`, `and N more`.
fn some(names: &[&str]) -> String {
    let mut s = names.iter().take(SHOWN).copied().collect::<Vec<_>>().join(", ");
    if names.len() > SHOWN {
        s.push_str(&format!(" and {} more", names.len() - SHOWN));
    }
    s
}

/// `3 services: A (1), B (2), C (3)`.
pub(super) fn affects(c: &Change) -> String {
    let labels: Vec<&str> = c.affects.iter().map(|p| p.service.as_str()).collect();
    format!("{}: {}", count(labels.len(), "service", "services"), some(&labels))
}

/// The owners to call, each once with its on-call: `team-a (pd:a), no owner declared: B (2)`.
pub(super) fn call(parties: &[Party]) -> String {
    let mut owners: Vec<(Option<&str>, Option<&str>, Vec<&str>)> = Vec::new();
    for p in parties {
        let owner = p.owner.as_deref();
        match owners.iter_mut().find(|(o, _, _)| *o == owner) {
            Some((_, oncall, who)) => {
                if oncall.is_none() {
                    *oncall = p.oncall.as_deref();
                }
                who.push(&p.service);
            }
            None => owners.push((owner, p.oncall.as_deref(), vec![&p.service])),
        }
    }
    if owners.iter().all(|(o, _, _)| o.is_none()) {
        return "no owner declared".to_string();
    }
    let shown = owners.len().min(SHOWN);
    let more = owners.len() - shown;
    let mut out = owners[..shown]
        .iter()
        .map(|(o, oncall, who)| match (o, oncall) {
            (Some(o), Some(c)) => format!("{o} (on-call {c})"),
            (Some(o), None) => format!("{o} (no on-call declared)"),
            (None, _) => format!("no owner declared for {}", some(who)),
        })
        .collect::<Vec<_>>()
        .join("; ");
    if more > 0 {
        out.push_str(&format!("; and {} more", count(more, "owner", "owners")));
    }
    out
}

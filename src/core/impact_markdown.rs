//! `ktopo impact --format markdown`: the impact of a change as a design doc or a pull
//! request comment wants it: a heading per hop, a table per hop with each entry's
//! path, owner and on-call, and who to call. Names come from the registry file, so
//! they are escaped: a `|` cannot split a table cell, a `<` cannot open HTML, a
//! `[` cannot make a link.

use crate::core::impact::{node_label, owner_of, owners, via, Dir, Impact};
use crate::core::registry::Registry;
use crate::core::topology::Node;
use crate::core::words::count;
use std::fmt::Write;

/// Text safe inside Markdown (a table cell too): one line, the markup that could
/// change it escaped (tables, HTML, links, code, emphasis).
pub fn md(s: &str) -> String {
    let line = crate::core::visible::one_line(s);
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len());
    for (i, &c) in chars.iter().enumerate() {
        // An underscore inside a word never emphasises (GFM): `config_events` stays
        // readable; one at a word's edge is escaped.
        let word = |j: Option<&char>| j.is_some_and(|c| c.is_alphanumeric());
        let edge_underscore =
            c == '_' && !(word(i.checked_sub(1).and_then(|j| chars.get(j))) && word(chars.get(i + 1)));
        if edge_underscore || matches!(c, '\\' | '`' | '*' | '[' | ']' | '<' | '>' | '|' | '~') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

pub fn to_markdown(reg: &Registry, imp: &Impact) -> String {
    let mut out = String::new();
    let (ns, nt) = imp.counts();
    let depth = match imp.max_depth {
        None => "all hops".to_string(),
        Some(n) => format!("at most {}", count(n, "hop", "hops")),
    };
    let _ = writeln!(out, "# Impact of {}\n", md(&imp.target.describe(reg)));
    let _ = writeln!(
        out,
        "{} and {} affected, {} ({depth}).",
        count(ns, "service", "services"),
        count(nt, "topic", "topics"),
        imp.dir.as_str()
    );
    if imp.affected.is_empty() {
        out.push_str("\nNothing is affected.\n");
        return out;
    }
    let mut last: Option<(Dir, usize)> = None;
    for a in &imp.affected {
        if last != Some((a.dir, a.depth)) {
            let _ = writeln!(
                out,
                "\n## {} {}\n\n| kind | name | path (as data flows) | owner | on-call |\n|---|---|---|---|---|",
                capital(a.dir.as_str()),
                count(a.depth, "hop", "hops")
            );
            last = Some((a.dir, a.depth));
        }
        let kind = if matches!(a.node, Node::Service(_)) {
            "service"
        } else {
            "topic"
        };
        let (owner, oncall) = owner_of(reg, a.node);
        let _ = writeln!(
            out,
            "| {kind} | {} | {} | {} | {} |",
            md(&node_label(reg, a.node)),
            md(&via(reg, imp, a)),
            owner.map_or("—".to_string(), md),
            oncall.map_or("—".to_string(), md)
        );
    }
    let owned = owners(reg, imp);
    if owned.iter().any(|o| o.owner.is_some()) {
        out.push_str("\n## Who to call\n\n| owner | on-call | affected |\n|---|---|---|\n");
        for o in &owned {
            let names: Vec<String> = o
                .services
                .iter()
                .chain(&o.topics)
                .map(|n| format!("`{}`", n.replace('`', "'")))
                .collect();
            let _ = writeln!(
                out,
                "| {} | {} | {} |",
                o.owner.as_deref().map_or("(no owner declared)".to_string(), md),
                o.oncall.as_deref().map_or("—".to_string(), md),
                crate::core::visible::one_line(&names.join(", ")).replace('|', "\\|")
            );
        }
    }
    out
}

fn capital(s: &str) -> String {
    let mut c = s.chars();
    c.next().map_or(String::new(), |f| f.to_uppercase().chain(c).collect())
}

#[cfg(test)]
mod tests {
    #[test]
    fn markup_in_names_is_escaped() {
        assert_eq!(super::md("a|b"), "a\\|b");
        assert_eq!(super::md("<script>"), "\\<script\\>");
        assert_eq!(super::md("[x](http://e)"), "\\[x\\](http://e)");
        assert_eq!(super::md("config_events"), "config_events");
        assert_eq!(super::md("_private"), "\\_private");
        assert_eq!(super::md("line\nbreak"), "line\\\\nbreak");
    }
}

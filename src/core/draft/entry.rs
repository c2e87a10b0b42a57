//! Items added to a list inside an entry the registry already has (a topic's
//! `producers:`/`consumers:`, a connector's `topics:`), as text: the list written as a
//! block list gets lines after its last item, a one-line flow list the items before its
//! `]` (the guesses in comment lines above it), a missing one is added at the entry's
//! end. Every other line stays as it is. What cannot be edited so (an entry written as
//! a flow mapping, a flow list over several lines) is said, not guessed at.

/// Items to add to list `key` of the entry whose name is written at byte `offset`.
#[derive(Debug, Clone)]
pub struct Addition {
    pub offset: usize,
    pub key: &'static str,
    /// Each item as flow YAML (`"billing"`, `{ service: "x", group: "g" }`), and why
    /// it is guessed.
    pub items: Vec<(String, String)>,
    /// The entry, for what cannot be edited (`topic \`orders\``).
    pub what: String,
}

fn indent(l: &str) -> usize {
    l.len() - l.trim_start_matches(' ').len()
}

/// The first `n` bytes of a line (all of it when `n` is not a character boundary).
fn head(l: &str, n: usize) -> &str {
    l.get(..n).unwrap_or(l)
}

fn blank_or_comment(l: &str) -> bool {
    let t = l.trim();
    t.is_empty() || t.starts_with('#')
}

/// Apply every addition (offsets are of `text`): the result, what was left out and
/// how many items were added.
pub fn apply(text: &str, mut adds: Vec<Addition>, stamp: &str) -> (String, Vec<String>, usize) {
    let mut lines: Vec<String> = text.split_inclusive('\n').map(str::to_string).collect();
    if lines.last().is_some_and(|l| !l.ends_with('\n')) {
        if let Some(l) = lines.last_mut() {
            l.push('\n');
        }
    }
    // Line starts, to turn offsets into (line, byte in line).
    let mut starts = Vec::with_capacity(lines.len());
    let mut at = 0;
    for l in &lines {
        starts.push(at);
        at += l.len();
    }
    // Last entries first, so the positions of those before stay right.
    adds.sort_by_key(|a| std::cmp::Reverse(a.offset));
    let mut skipped = Vec::new();
    let mut added = 0;
    let mut shift: Option<(usize, usize)> = None; // (entry offset, lines inserted above its name)
    for a in adds {
        let line = starts.partition_point(|&s| s <= a.offset).saturating_sub(1);
        let byte = a.offset - starts.get(line).copied().unwrap_or(0);
        let moved = match shift {
            Some((o, n)) if o == a.offset => n,
            _ => 0,
        };
        match add(&mut lines, line + moved, byte, &a, stamp) {
            Ok(above) => {
                shift = Some((a.offset, moved + above));
                added += a.items.len();
            }
            Err(why) => skipped.push(format!("{}: {why}", a.what)),
        }
    }
    (lines.concat(), skipped, added)
}

/// One addition to the entry named on line `nl` at byte `byte`; Ok: lines inserted
/// above that line.
fn add(lines: &mut Vec<String>, nl: usize, byte: usize, a: &Addition, stamp: &str) -> Result<usize, String> {
    let name_line = lines.get(nl).ok_or("its position is past the end of the file")?;
    let before = name_line.get(..byte).ok_or("its position is not in the file")?;
    let key_at = before
        .trim_end()
        .strip_suffix(':')
        .and_then(|b| b.trim_end().strip_suffix("name"))
        .map(str::len)
        .ok_or("its name is not written as `name: …`")?;
    let lead = &name_line[..key_at];
    if !lead.chars().all(|c| c == ' ' || c == '-') {
        return Err("it is written as a flow mapping (`{ … }`): add the entries by hand".into());
    }
    let fi = key_at;
    // The entry: from its `- ` line to the first line indented less than its keys.
    let start = if lead.contains('-') {
        nl
    } else {
        (0..nl)
            .rev()
            .find(|&i| !blank_or_comment(&lines[i]) && (indent(&lines[i]) < fi || head(&lines[i], fi).contains('-')))
            .filter(|&i| head(&lines[i], fi).trim_start().starts_with('-'))
            .ok_or("its entry does not start with `- `")?
    };
    let end = (nl + 1..lines.len())
        .find(|&i| !blank_or_comment(&lines[i]) && indent(&lines[i]) < fi)
        .unwrap_or(lines.len());
    let last = (nl..end).rev().find(|&i| !blank_or_comment(&lines[i])).unwrap_or(nl);
    let pad = " ".repeat(fi);
    let at_key = |l: &str| {
        l.get(..fi).is_some_and(|h| h.chars().all(|c| c == ' ' || c == '-'))
            && l.get(fi..)
                .and_then(|r| r.strip_prefix(a.key))
                .is_some_and(|r| r.starts_with(':'))
    };
    let Some(k) = (start..end).find(|&i| at_key(&lines[i])) else {
        let mut block = format!("{pad}{}:  {stamp}\n", a.key);
        for (item, why) in &a.items {
            block.push_str(&format!("{pad}  - {item}  # guess: {why}\n"));
        }
        lines.insert(last + 1, block);
        return Ok(0);
    };
    let rest = lines[k][fi + a.key.len() + 1..].to_string();
    let value = rest.trim_start();
    if value.starts_with('[') {
        let open = lines[k].len() - rest.len() + (rest.len() - value.len());
        let close =
            closing(&lines[k], open).ok_or("its list is a flow list over several lines: add the entries by hand")?;
        let inner = lines[k][open + 1..close].trim().to_string();
        let items: Vec<&str> = a.items.iter().map(|(i, _)| i.as_str()).collect();
        let insert = if inner.is_empty() {
            items.join(", ")
        } else {
            format!(", {}", items.join(", "))
        };
        let l = &mut lines[k];
        let cut = if inner.is_empty() { open + 1 } else { close };
        let mut edited = l[..cut].to_string();
        edited.push_str(&insert);
        edited.push_str(&l[close..]);
        *l = edited;
        let mut comments = String::new();
        for (item, why) in &a.items {
            comments.push_str(&format!("{pad}# guess: `{}` added to `{}`: {why}\n", item, a.key));
        }
        lines.insert(k, comments);
        return Ok(usize::from(k <= nl));
    }
    if !(value.is_empty() || value.starts_with('#')) {
        return Err(format!("its `{}:` is not a list", a.key));
    }
    // A block list: after its last item, at its items' indentation.
    let first = (k + 1..end).find(|&i| !blank_or_comment(&lines[i]));
    let item_indent = first
        .filter(|&i| lines[i].trim_start().starts_with('-') && indent(&lines[i]) >= fi)
        .map(|i| indent(&lines[i]));
    let (after, ind) = match item_indent {
        None => (k, fi + 2),
        Some(ind) => {
            let stop = (k + 1..end)
                .find(|&i| {
                    !blank_or_comment(&lines[i])
                        && (indent(&lines[i]) < ind
                            || (indent(&lines[i]) == ind && !lines[i].trim_start().starts_with('-')))
                })
                .unwrap_or(end);
            let last_item = (k + 1..stop).rev().find(|&i| !blank_or_comment(&lines[i])).unwrap_or(k);
            (last_item, ind)
        }
    };
    let item_pad = " ".repeat(ind);
    let mut block = String::new();
    for (item, why) in &a.items {
        block.push_str(&format!("{item_pad}- {item}  # guess: {why}\n"));
    }
    lines.insert(after + 1, block);
    Ok(0)
}

/// The byte of the `]` closing the `[` at `open`, on the same line (quotes skipped).
fn closing(line: &str, open: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for (i, c) in line[open..].char_indices() {
        if let Some(q) = quote {
            if escaped {
                escaped = false;
            } else if c == '\\' && q == '"' {
                escaped = true;
            } else if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '"' | '\'' => quote = Some(c),
            '[' | '{' => depth += 1,
            ']' | '}' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return (c == ']').then_some(open + i);
                }
            }
            '#' if line[..open + i].ends_with([' ', '\t']) => return None,
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn add(text: &str, name: &str, key: &'static str, items: &[&str]) -> (String, Vec<String>) {
        let offset = text.find(&format!("name: {name}")).unwrap() + "name: ".len();
        let (out, skipped, _) = apply(
            text,
            vec![Addition {
                offset,
                key,
                items: items.iter().map(|i| (i.to_string(), "seen".to_string())).collect(),
                what: format!("topic `{name}`"),
            }],
            "# added",
        );
        (out, skipped)
    }

    #[test]
    fn a_flow_list_gets_the_items_before_its_bracket_and_the_guesses_above() {
        let text = "topics:\n  - name: a\n    consumers: [1, \"x]\"]  # kept\n  - name: b\n";
        let (out, skipped) = add(text, "a", "consumers", &["\"ops\""]);
        assert!(skipped.is_empty(), "{skipped:?}");
        assert_eq!(
            out,
            "topics:\n  - name: a\n    # guess: `\"ops\"` added to `consumers`: seen\n    consumers: [1, \"x]\", \"ops\"]  # kept\n  - name: b\n"
        );
        let (out, _) = add("topics:\n- name: a\n  producers: []\n", "a", "producers", &["\"p\""]);
        assert!(out.ends_with("  producers: [\"p\"]\n"), "{out}");
    }

    #[test]
    fn a_block_list_gets_lines_after_its_last_item_and_a_missing_one_is_added() {
        let text = "topics:\n  - name: a\n    consumers:\n      - { service: s }  # mine\n\n      # trailing\n    events: [x]\n  - name: b\n    partitions: 1\n\n# next\nservices: []\n";
        let (out, _) = add(text, "a", "consumers", &["\"ops\""]);
        assert!(
            out.contains(
                "      - { service: s }  # mine\n      - \"ops\"  # guess: seen\n\n      # trailing\n    events: [x]\n"
            ),
            "{out}"
        );
        let (out, _) = add(text, "b", "producers", &["\"p\""]);
        assert!(
            out.ends_with(
                "    partitions: 1\n    producers:  # added\n      - \"p\"  # guess: seen\n\n# next\nservices: []\n"
            ),
            "{out}"
        );
    }

    #[test]
    fn keys_before_the_name_and_two_lists_of_one_entry() {
        let text = "topics:\n  - domain: d\n    consumers: [1]\n    name: a\n    producers:\n    - 0\n";
        let offset = text.find("name: a").unwrap() + 6;
        let adds = vec![
            Addition {
                offset,
                key: "consumers",
                items: vec![("\"c\"".into(), "why".into())],
                what: "topic `a`".into(),
            },
            Addition {
                offset,
                key: "producers",
                items: vec![("\"p\"".into(), "why".into())],
                what: "topic `a`".into(),
            },
        ];
        let (out, skipped, added) = apply(text, adds, "# added");
        assert_eq!(added, 2);
        assert!(skipped.is_empty(), "{skipped:?}");
        assert_eq!(
            out,
            "topics:\n  - domain: d\n    # guess: `\"c\"` added to `consumers`: why\n    consumers: [1, \"c\"]\n    name: a\n    producers:\n    - 0\n    - \"p\"  # guess: why\n"
        );
    }

    #[test]
    fn a_flow_mapping_and_a_list_over_lines_are_said_not_edited() {
        let (out, skipped) = add(
            "topics:\n  - { name: a, consumers: [1] }\n",
            "a",
            "consumers",
            &["\"c\""],
        );
        assert_eq!(out, "topics:\n  - { name: a, consumers: [1] }\n");
        assert!(skipped[0].contains("flow mapping"), "{skipped:?}");
        let (_, skipped) = add(
            "topics:\n  - name: a\n    consumers: [1,\n      2]\n",
            "a",
            "consumers",
            &["\"c\""],
        );
        assert!(skipped[0].contains("several lines"), "{skipped:?}");
    }
}

//! `init --merge`: what the cluster has and a registry lacks (topics, and the services
//! they name), inserted as text at the end of the file's own `services:` and `topics:`
//! lists, so every comment and the order stay; the result is parsed again to prove it
//! still loads. Consumers and producers of topics the registry already declares are
//! not added (an edit inside a declared topic is a person's call).

use super::{Consumer, Draft, CONVENTION};
use crate::core::registry::model::group_id;
use crate::core::registry::Registry;

/// The merged text, or why the file cannot take the insertion.
pub fn merge(text: &str, reg: &Registry, d: &Draft, from: &str) -> Result<String, String> {
    let topics: Vec<_> = d
        .topics
        .iter()
        .filter(|t| reg.topic(&t.name).is_none())
        .map(|t| {
            let mut t = t.clone();
            // The registry's own convention may differ: every group is written out.
            for c in &mut t.consumers {
                *c = Consumer {
                    group: Some(
                        c.group
                            .clone()
                            .unwrap_or_else(|| group_id(CONVENTION, &c.service, &t.name)),
                    ),
                    ..c.clone()
                };
            }
            t
        })
        .collect();
    let mut wanted: Vec<&str> = topics
        .iter()
        .flat_map(|t| {
            t.producers
                .iter()
                .map(|p| p.service.as_str())
                .chain(t.consumers.iter().map(|c| c.service.as_str()))
        })
        .filter(|k| reg.service_by_key(k).is_none())
        .collect();
    wanted.sort();
    wanted.dedup();
    let stamp = format!(
        "# added by `ktopo init --merge` from {}",
        crate::core::visible::one_line(from)
    );
    let services: Vec<String> = wanted
        .iter()
        .map(|k| super::yaml::service(k, d.services.get(*k).map(Vec::as_slice).unwrap_or(&[])))
        .collect();
    let topic_text: Vec<String> = topics.iter().map(super::yaml::topic).collect();
    let mut out = text.to_string();
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out = append_to_list(&out, "services", &services, &stamp)?;
    out = append_to_list(&out, "topics", &topic_text, &stamp)?;
    Ok(out)
}

/// Insert `entries` (written with two spaces before `-`) at the end of the top-level
/// block list `key:`, re-indented like its items; the list is made when absent.
fn append_to_list(text: &str, key: &str, entries: &[String], stamp: &str) -> Result<String, String> {
    if entries.is_empty() {
        return Ok(text.to_string());
    }
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let is_top_key =
        |l: &str| !l.starts_with([' ', '\t', '#', '\n', '\r', '-']) && !l.trim().is_empty() && !l.starts_with("---");
    let start = lines.iter().position(|l| {
        l.strip_prefix(key)
            .and_then(|r| r.strip_prefix(':'))
            .is_some_and(|r| r.trim().is_empty() || r.trim_start().starts_with('#') || r.trim().starts_with('['))
    });
    let Some(start) = start else {
        let mut out = text.to_string();
        out.push_str(&format!("\n{key}:\n  {stamp}\n"));
        out.extend(entries.iter().cloned());
        return Ok(out);
    };
    let after_key = lines[start][key.len() + 1..].trim();
    if after_key.starts_with('[') {
        if after_key.starts_with("[]") {
            // An empty flow list becomes a block list.
            let mut out: String = lines[..start].concat();
            out.push_str(&format!("{key}:\n  {stamp}\n"));
            out.extend(entries.iter().cloned());
            out.push_str(&lines[start + 1..].concat());
            return Ok(out);
        }
        return Err(format!(
            "`{key}:` is a flow list (`[…]`): write it as a block list (`- …` lines) to merge into it"
        ));
    }
    let end = (start + 1..lines.len())
        .find(|&i| is_top_key(lines[i]))
        .unwrap_or(lines.len());
    // The items' indentation, from the first of them.
    let indent = lines[start + 1..end]
        .iter()
        .find(|l| l.trim_start().starts_with('-'))
        .map_or(2, |l| l.len() - l.trim_start().len());
    // After the last item's last line: blank lines and comments before the next key stay.
    let mut at = end;
    while at > start + 1 && {
        let t = lines[at - 1].trim();
        t.is_empty() || (t.starts_with('#') && lines[at - 1].len() - lines[at - 1].trim_start().len() == 0)
    } {
        at -= 1;
    }
    let pad = " ".repeat(indent);
    let mut block = format!("{pad}{stamp}\n");
    for e in entries {
        for l in e.split_inclusive('\n') {
            block.push_str(&pad);
            block.push_str(l.strip_prefix("  ").unwrap_or(l));
        }
    }
    let mut out: String = lines[..at].concat();
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out.push_str(&block);
    out.push_str(&lines[at..].concat());
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::append_to_list;

    fn entry() -> Vec<String> {
        vec!["  - name: \"t\"\n    partitions: 1\n".to_string()]
    }

    #[test]
    fn entries_go_after_the_last_item_indented_like_it_before_trailing_comments() {
        let text = "topics:\n- name: a # first\n  partitions: 2\n\n# about what follows\nservices: []\n";
        let out = append_to_list(text, "topics", &entry(), "# added").unwrap();
        assert_eq!(
            out,
            "topics:\n- name: a # first\n  partitions: 2\n# added\n- name: \"t\"\n  partitions: 1\n\n# about what follows\nservices: []\n"
        );
    }

    #[test]
    fn an_empty_flow_list_becomes_a_block_a_full_one_is_refused_a_missing_one_is_made() {
        let out = append_to_list("topics: []\nservices:\n", "topics", &entry(), "# added").unwrap();
        assert!(out.starts_with("topics:\n  # added\n  - name: \"t\"\n"), "{out}");
        let e = append_to_list("topics: [{name: a}]\n", "topics", &entry(), "# added").unwrap_err();
        assert!(e.contains("flow list"), "{e}");
        let out = append_to_list("platform: {}\n", "topics", &entry(), "# added").unwrap();
        assert_eq!(
            out,
            "platform: {}\n\ntopics:\n  # added\n  - name: \"t\"\n    partitions: 1\n"
        );
    }
}

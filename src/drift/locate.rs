//! Where in the registry file a drift finding points: a topic's `name:` value, or the
//! convention key its expectation comes from, read once per registry (the TUI keeps
//! them with its data).

use crate::diag::Source;
use crate::registry::load;
use crate::registry::loc::Loc;
use std::collections::HashMap;

#[derive(Debug, Default, Clone)]
pub struct Places {
    topics: HashMap<String, Loc>,
    keys: HashMap<&'static str, Loc>,
}

/// Keys under `conventions` whose position findings cite.
const KEYS: [&str; 6] = [
    "topic_defaults",
    "partitions",
    "replication",
    "retention_days",
    "audit_retention_days",
    "compression",
];

impl Places {
    pub fn read(source: &Source) -> Places {
        let parsed = load::parse_str(&source.path, source.text.clone());
        let mut topics = HashMap::new();
        if let Some(f) = &parsed.file {
            let names = f
                .topics
                .iter()
                .map(|t| &t.name)
                .chain(f.deprecated_topics.iter().map(|t| &t.name))
                .chain(f.proposed_topics.iter().map(|t| &t.name));
            for n in names {
                topics.insert(n.value.clone(), n.loc);
            }
        }
        Places {
            topics,
            keys: convention_keys(&source.text),
        }
    }

    pub fn topic(&self, name: &str) -> Option<Loc> {
        self.topics.get(name).copied()
    }

    /// `topic_defaults` itself, or one of its keys.
    pub fn default_key(&self, key: &'static str) -> Option<Loc> {
        self.keys.get(key).or_else(|| self.keys.get("topic_defaults")).copied()
    }
}

/// Positions of `topic_defaults:` and the keys right under it, found in the text (the
/// parsed defaults keep no positions). Only the block's own indented lines are read.
fn convention_keys(text: &str) -> HashMap<&'static str, Loc> {
    let mut out = HashMap::new();
    let mut block_indent: Option<usize> = None;
    let mut offset = 0usize;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        let loc = |key_len: usize| Loc {
            line: i as u32 + 1,
            col: indent as u32 + 1,
            offset: (offset + indent) as u32,
            len: key_len as u32,
        };
        match block_indent {
            None if trimmed.starts_with("topic_defaults:") => {
                out.insert("topic_defaults", loc("topic_defaults".len()));
                block_indent = Some(indent);
            }
            Some(b) if !trimmed.trim().is_empty() && !trimmed.starts_with('#') => {
                if indent <= b {
                    break;
                }
                for k in KEYS {
                    if trimmed.strip_prefix(k).is_some_and(|r| r.starts_with(':')) && !out.contains_key(k) {
                        out.insert(k, loc(k.len()));
                    }
                }
            }
            _ => {}
        }
        offset += line.len();
    }
    out
}

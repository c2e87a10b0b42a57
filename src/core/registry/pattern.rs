//! Topic subscription patterns: globs (`db.changes.*`, `*`) or `re:REGEX`, as Kafka
//! clients subscribe by regular expression.

use regex::Regex;

#[derive(Debug, Clone)]
pub struct Pattern(Regex);

/// A pattern that does not compile, said in the regex engine's own last line (its
/// earlier lines repeat the pattern with a caret).
#[derive(Debug, Clone, thiserror::Error)]
#[error("{}", last_line(.0))]
pub struct InvalidPattern(regex::Error);

fn last_line(e: &regex::Error) -> String {
    e.to_string()
        .lines()
        .last()
        .unwrap_or("invalid regular expression")
        .to_string()
}

impl Pattern {
    /// Parse a glob, or a regular expression after `re:`. The error says what is wrong.
    pub fn parse(text: &str) -> Result<Self, InvalidPattern> {
        let source = match text.strip_prefix("re:") {
            Some(re) => format!("^(?:{re})$"),
            None => {
                let mut s = String::from("^");
                for c in text.chars() {
                    match c {
                        '*' => s.push_str(".*"),
                        '?' => s.push('.'),
                        c => s.push_str(&regex::escape(&c.to_string())),
                    }
                }
                s.push('$');
                s
            }
        };
        regex::RegexBuilder::new(&source)
            .size_limit(1 << 20)
            .build()
            .map(Pattern)
            .map_err(InvalidPattern)
    }

    pub fn matches(&self, topic: &str) -> bool {
        self.0.is_match(topic)
    }
}

/// A topic naming convention such as `{domain}_events`: each `{placeholder}` stands
/// for one or more lowercase letters, digits, `_`, `.` or `-`.
pub fn naming_regex(pattern: &str) -> Option<Regex> {
    let mut s = String::from("^");
    let mut rest = pattern;
    while let Some(open) = rest.find('{') {
        s.push_str(&regex::escape(&rest[..open]));
        let close = rest[open..].find('}')? + open;
        s.push_str("[a-z0-9][a-z0-9_.-]*");
        rest = &rest[close + 1..];
    }
    s.push_str(&regex::escape(rest));
    s.push('$');
    Regex::new(&s).ok()
}

//! Reading a registry file: size and input budgets, YAML parsing, structural findings.

use super::format::RegistryFile;
use super::loc::Loc;
use super::spanned::{self, Sp};
use super::structure::{Node, Walker};
use crate::core::diag::{Diagnostic, Source};
use std::path::Path;

/// Registries larger than this are refused before parsing (the 17-service registry
/// is ~25 KB; a generated 10,000-topic one is ~4 MB).
pub const MAX_BYTES: usize = 32 * 1024 * 1024;

/// Why a file could not be read as YAML at all (exit status 2).
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("cannot read {path}: {reason}")]
    Unreadable { path: String, reason: String },
}

/// Outcome of parsing: the file when its structure is valid, and findings either way.
#[derive(Debug)]
pub struct Parsed {
    pub source: Source,
    pub file: Option<RegistryFile>,
    pub diagnostics: Vec<Diagnostic>,
    /// True when the text is not usable YAML (syntax error, budget exceeded, not text).
    pub fatal: bool,
}

pub fn read(path: &Path) -> Result<Parsed, LoadError> {
    let shown = path.display().to_string();
    let unreadable = |reason: String| LoadError::Unreadable {
        path: shown.clone(),
        reason,
    };
    let meta = std::fs::metadata(path).map_err(|e| unreadable(io_reason(&e)))?;
    if meta.is_dir() {
        return Err(unreadable("it is a directory; pass a registry .yaml file".into()));
    }
    if meta.len() > MAX_BYTES as u64 {
        let src = Source {
            path: shown.clone(),
            text: String::new(),
        };
        let d = Diagnostic::error(
            "too-large",
            format!(
                "registry is {:.1} MB; ktopo reads registries up to {} MB",
                meta.len() as f64 / 1e6,
                MAX_BYTES / (1024 * 1024)
            ),
        )
        .hint("split the registry or remove generated content");
        return Ok(Parsed {
            source: src,
            file: None,
            diagnostics: vec![d],
            fatal: true,
        });
    }
    // Bounded whatever the path is: /dev/zero, a pipe, a FIFO without a writer.
    let bytes = match crate::core::input::read_bounded(path, MAX_BYTES) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::FileTooLarge => {
            let d = Diagnostic::error(
                "too-large",
                format!(
                    "the registry is larger than {} MB, the most ktopo reads",
                    MAX_BYTES / (1024 * 1024)
                ),
            )
            .hint("split the registry or remove generated content");
            return Ok(Parsed {
                source: Source {
                    path: shown.clone(),
                    text: String::new(),
                },
                file: None,
                diagnostics: vec![d],
                fatal: true,
            });
        }
        Err(e) => return Err(unreadable(io_reason(&e))),
    };
    Ok(parse_bytes(&shown, bytes))
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => {
            "no such file; pass --registry FILE or run from the directory holding registry.yaml".into()
        }
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

pub fn parse_bytes(path: &str, bytes: Vec<u8>) -> Parsed {
    match String::from_utf8(bytes) {
        Ok(text) => parse_str(path, text),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(&e.into_bytes()[..at]).into_owned();
            let loc = loc_of_offset(&text, at);
            let d = Diagnostic::error(
                "not-text",
                format!("the file is not UTF-8 text (invalid byte at offset {at})"),
            )
            .at(loc)
            .hint("a registry is a YAML text file; check that the right file was passed");
            fatal(path, text, d)
        }
    }
}

fn fatal(path: &str, text: String, d: Diagnostic) -> Parsed {
    Parsed {
        source: Source {
            path: path.to_string(),
            text,
        },
        file: None,
        diagnostics: vec![d],
        fatal: true,
    }
}

/// Parser options with the input budgets every registry is read under.
pub fn options() -> serde_saphyr::Options {
    let budget = serde_saphyr::budget! {
        max_depth: 64,
        max_events: 4_000_000,
        max_nodes: 4_000_000,
        max_aliases: 10_000,
        max_anchors: 10_000,
    };
    let alias_limits = serde_saphyr::alias_limits! {
        max_total_replayed_events: 100_000,
        max_replay_stack_depth: 16,
    };
    serde_saphyr::options! {
        budget: budget,
        alias_limits: alias_limits,
        with_snippet: false,
    }
}

/// Parse registry text; every value records where it is (findings point at it).
pub fn parse_str(path: &str, text: String) -> Parsed {
    // Only comments is as empty as only whitespace.
    if text.lines().all(|l| {
        let l = l.trim();
        l.is_empty() || l.starts_with('#') || l == "---" || l == "..."
    }) {
        let d = Diagnostic::error("empty", "the registry file is empty")
            .hint("start from `ktopo schema` and docs/registry-format.md, or copy registry.yaml");
        return fatal(path, text, d);
    }
    let parsed = serde_saphyr::from_str_with_options::<RegistryFile>(&text, options());
    match parsed {
        Ok(file) => Parsed {
            source: Source {
                path: path.to_string(),
                text,
            },
            file: Some(file),
            diagnostics: Vec::new(),
            fatal: false,
        },
        Err(first) => structural(path, text, first),
    }
}

/// serde stopped at the first problem: find out whether the text is YAML at all,
/// and if it is, list every structural problem.
fn structural(path: &str, text: String, first: serde_saphyr::Error) -> Parsed {
    let tree = serde_saphyr::from_str_with_options::<Sp<Node>>(&text, options());
    let (diagnostics, fatal) = match tree {
        Err(e) => (vec![from_saphyr("yaml-syntax", &e, &text)], true),
        Ok(tree) => {
            let schema = super::schema::json_schema();
            let mut w = Walker::new(&schema);
            w.walk(&tree, &schema, "");
            for d in &mut w.found {
                // The root has no key to name.
                d.message = d.message.replace("`` ", "the registry's top level ");
            }
            if w.found.is_empty() {
                // The walker knows less than serde (e.g. integer ranges): keep serde's word.
                w.found.push(from_saphyr("invalid", &first, &text));
            }
            w.found.sort_by_key(|d| d.loc.map(|l| (l.line, l.col)));
            (w.found, false)
        }
    };
    Parsed {
        source: Source {
            path: path.to_string(),
            text,
        },
        file: None,
        diagnostics,
        fatal,
    }
}

/// The parser's own words for a few problems name its internals ("set
/// DuplicateKeyPolicy in Options", "budget breached: Depth { depth: 65 }"): say what is
/// wrong with the file instead, and what to do.
fn plain_words(code: &'static str, msg: String) -> (&'static str, String, Option<String>) {
    if let Some(rest) = msg.strip_prefix("duplicate mapping key: ") {
        let key = rest.split(',').next().unwrap_or(rest).trim();
        return (
            "duplicate-key",
            format!("the key `{key}` appears twice in the same mapping"),
            Some("keep one: YAML would silently drop the other".into()),
        );
    }
    if msg.contains("non-finite float") {
        return (
            "wrong-type",
            "`.nan` and `.inf` are not numbers ktopo can use".into(),
            Some("write a finite number".into()),
        );
    }
    if msg.contains("budget breached") && msg.contains("Depth") {
        return (
            "too-deep",
            "the YAML nests more than 64 levels deep".into(),
            Some("a registry is a few levels deep: look for runaway brackets or indentation".into()),
        );
    }
    if msg.contains("budget breached") {
        return (
            "too-large",
            "the YAML is larger than ktopo reads (too many nodes, aliases or events)".into(),
            Some("split the registry or remove generated content".into()),
        );
    }
    if let Some(t) = msg
        .strip_prefix("invalid ")
        .filter(|t| matches!(*t, "u8" | "u16" | "u32" | "u64" | "i32" | "i64"))
    {
        let max = match t {
            "u8" => "255",
            "u16" => "65535",
            "u32" => "4294967295",
            "i32" => "2147483647",
            _ => "9223372036854775807",
        };
        return (
            "wrong-type",
            format!("this number does not fit: ktopo expects a whole number from 0 to {max}"),
            None,
        );
    }
    (code, msg, None)
}

fn from_saphyr(code: &'static str, e: &serde_saphyr::Error, text: &str) -> Diagnostic {
    let inner = e.without_snippet();
    let msg = inner.to_string();
    // The message may repeat the position; ours is shown by the renderer.
    let msg = msg.split(" at line ").next().unwrap_or(&msg).trim().to_string();
    let (code, msg, hint) = plain_words(code, msg);
    let mut d = Diagnostic::error(code, msg);
    if let Some(h) = hint {
        d = d.hint(h);
    }
    if let Some(l) = inner.location() {
        let mut loc = spanned::loc(l);
        if loc.offset == 0 && loc.line > 1 {
            loc.offset = offset_of_line_col(text, loc.line, loc.col) as u32;
        }
        d = d.at(loc);
    }
    if code == "yaml-syntax" && d.hint.is_none() {
        d = d.hint("fix the YAML syntax here: check indentation, a missing `:` or an unclosed quote or bracket");
    }
    d
}

fn offset_of_line_col(text: &str, line: u32, col: u32) -> usize {
    let mut off = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line as usize {
            return off
                + l.char_indices()
                    .nth(col.saturating_sub(1) as usize)
                    .map_or(l.len(), |(b, _)| b);
        }
        off += l.len();
    }
    text.len()
}

fn loc_of_offset(text: &str, offset: usize) -> Loc {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() as u32 + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u32 + 1;
    Loc {
        line,
        col,
        offset: offset as u32,
        len: 1,
    }
}

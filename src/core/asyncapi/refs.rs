//! One AsyncAPI document read under bounds, and its local `$ref`s followed (JSON
//! pointers within the document), with cycles and dangling pointers as errors that
//! say file:line:col.

use super::tree::Node;
use crate::core::diag::{Diagnostic, Source};
use crate::core::registry::loc::Loc;
use std::path::Path;

/// AsyncAPI documents are a few hundred KB at most; this leaves room for generated ones.
pub const MAX_BYTES: usize = 16 * 1024 * 1024;
/// How many `$ref`s one value may go through before ktopo calls it a loop.
const MAX_HOPS: usize = 64;

/// Why a document cannot be imported: one finding in one file.
#[derive(Debug, Clone)]
pub struct ImportError {
    /// Boxed: errors travel through every reading function's `Result`.
    pub source: Box<Source>,
    pub diagnostic: Box<Diagnostic>,
}

impl ImportError {
    /// Rendered like `ktopo check`'s findings (escaped: no control characters).
    pub fn render(&self, color: bool) -> String {
        crate::core::diag::render(&self.source, std::slice::from_ref(&self.diagnostic), color)
    }
    /// `file:line:col: error[code]: message`.
    pub fn one_line(&self) -> String {
        crate::core::diag::one_line(&self.source, &self.diagnostic)
    }
}

/// A parsed document: its text (for quoting) and its tree.
#[derive(Debug)]
pub struct Doc {
    pub source: Source,
    pub root: Node,
}

impl Doc {
    /// A fatal finding at `loc`.
    pub fn error(&self, loc: Loc, code: &'static str, message: String, hint: &str) -> ImportError {
        ImportError {
            source: Box::new(self.source.clone()),
            diagnostic: Box::new(Diagnostic::error(code, message).at(loc).hint(hint)),
        }
    }

    /// `file:line:col` of a value, for the list of what was not imported.
    pub fn at(&self, loc: Loc) -> String {
        format!("{}:{}:{}", self.source.path, loc.line, loc.col)
    }

    /// The value itself, or what its `$ref` points at (through chains of refs).
    pub fn deref<'a>(&'a self, node: &'a Node) -> Result<&'a Node, ImportError> {
        let mut at = node;
        let mut seen: Vec<&str> = Vec::new();
        while let Some(r) = at.get("$ref") {
            let Some(target) = r.str() else {
                return Err(self.error(
                    r.loc,
                    "bad-ref",
                    format!("`$ref` must be a string, not {}", r.kind()),
                    "write a JSON pointer such as '#/components/messages/NAME'",
                ));
            };
            if seen.contains(&target) || seen.len() >= MAX_HOPS {
                seen.push(target);
                return Err(self.error(
                    r.loc,
                    "ref-cycle",
                    format!("`$ref` loops back on itself: {}", seen.join(" -> ")),
                    "point one of these references at the definition itself",
                ));
            }
            seen.push(target);
            at = self.pointer(target, r.loc)?;
        }
        Ok(at)
    }

    /// The value under `key` of `node`, with refs followed on both.
    pub fn field<'a>(&'a self, node: &'a Node, key: &str) -> Result<Option<&'a Node>, ImportError> {
        match self.deref(node)?.get(key) {
            Some(v) => self.deref(v).map(Some),
            None => Ok(None),
        }
    }

    /// The value a local reference (`#/a/b`) names.
    fn pointer<'a>(&'a self, target: &str, at: Loc) -> Result<&'a Node, ImportError> {
        let Some(path) = target.strip_prefix('#') else {
            return Err(self.error(
                at,
                "external-ref",
                format!("`{target}` refers to another file or URL; ktopo follows references within a document only"),
                "bundle the document first (`asyncapi bundle`), which inlines other files",
            ));
        };
        let mut node = &self.root;
        let mut walked = String::from("#");
        for raw in path.split('/').skip(1) {
            let key = unescape(raw);
            let next = match &node.value {
                super::tree::Val::Map(_) => node.get(&key),
                super::tree::Val::Seq(items) => key.parse::<usize>().ok().and_then(|i| items.get(i)),
                _ => None,
            };
            node = next.ok_or_else(|| {
                self.error(
                    at,
                    "missing-ref",
                    format!("`$ref: {target}` points at nothing: there is no `{key}` under `{walked}`"),
                    "fix the pointer or add the definition it names",
                )
            })?;
            walked.push('/');
            walked.push_str(raw);
        }
        Ok(node)
    }
}

/// A JSON pointer segment: `~1` is `/`, `~0` is `~`, and URI escapes (`%7B`) decoded.
pub(super) fn unescape(raw: &str) -> String {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push((h * 16 + l) as u8);
                    i += 3;
                    continue;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).replace("~1", "/").replace("~0", "~")
}

/// Read and parse one document (YAML or JSON) under the registry loader's budgets.
pub fn read(path: &Path) -> Result<Doc, ImportError> {
    let shown = path.display().to_string();
    let fail = |text: String, d: Diagnostic| ImportError {
        source: Box::new(Source {
            path: shown.clone(),
            text,
        }),
        diagnostic: Box::new(d),
    };
    let bytes = crate::core::input::read_bounded(path, MAX_BYTES).map_err(|e| {
        let why = match e.kind() {
            std::io::ErrorKind::NotFound => "no such file".to_string(),
            std::io::ErrorKind::FileTooLarge => {
                format!(
                    "it is larger than {} MB, the most ktopo reads",
                    MAX_BYTES / (1024 * 1024)
                )
            }
            _ => e.to_string(),
        };
        fail(
            String::new(),
            Diagnostic::error("unreadable", format!("cannot read {shown}: {why}"))
                .hint("pass an AsyncAPI 2.x or 3.0 document (YAML or JSON)"),
        )
    })?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        fail(
            String::new(),
            Diagnostic::error(
                "not-text",
                format!("the file is not UTF-8 text (invalid byte at offset {at})"),
            )
            .hint("an AsyncAPI document is YAML or JSON text"),
        )
    })?;
    parse(&shown, text)
}

/// Parse document text already in memory.
pub fn parse(path: &str, text: String) -> Result<Doc, ImportError> {
    let source = Source {
        path: path.to_string(),
        text,
    };
    let parsed = serde_saphyr::from_str_with_options::<Node>(&source.text, crate::core::registry::load::options());
    match parsed {
        Ok(root) if root.is_map() => Ok(Doc { source, root }),
        Ok(root) => {
            let d = Diagnostic::error(
                "not-asyncapi",
                format!(
                    "the document is {}, not a mapping with `asyncapi:` at its top",
                    root.kind()
                ),
            )
            .at(root.loc)
            .hint("pass an AsyncAPI 2.x or 3.0 document");
            Err(ImportError {
                source: Box::new(source),
                diagnostic: Box::new(d),
            })
        }
        Err(e) => {
            let inner = e.without_snippet();
            let msg = inner.to_string();
            let msg = msg.split(" at line ").next().unwrap_or(&msg).trim().to_string();
            let (code, msg) = if msg.contains("budget breached") {
                (
                    "too-large",
                    "the document nests too deep or has too many nodes or aliases for ktopo to read".to_string(),
                )
            } else {
                ("yaml-syntax", msg)
            };
            let mut d = Diagnostic::error(code, msg).hint("an AsyncAPI document is YAML or JSON: fix the syntax here");
            if let Some(l) = inner.location() {
                d = d.at(crate::core::registry::spanned::loc(l));
            }
            Err(ImportError {
                source: Box::new(source),
                diagnostic: Box::new(d),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn pointer_segments_unescape() {
        assert_eq!(super::unescape("a~1b~0c"), "a/b~c");
        assert_eq!(super::unescape("orders.%7Bid%7D"), "orders.{id}");
        assert_eq!(super::unescape("100%"), "100%");
        assert_eq!(super::unescape("%4"), "%4");
    }
}

//! Findings about a registry file: what is wrong, where, and how to fix it.
//! Rendered like rustc diagnostics (codespan-reporting) or emitted as JSON.

use crate::core::registry::loc::Loc;
use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label, Severity as CsSeverity};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::{self, termcolor};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Note,
}

/// One finding. `loc` points at the exact offending value when it is known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Stable machine-readable code, e.g. `unknown-service`.
    pub code: &'static str,
    pub message: String,
    pub loc: Option<Loc>,
    /// What to do about it.
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn new(severity: Severity, code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity,
            code,
            message: message.into(),
            loc: None,
            hint: None,
        }
    }
    pub fn error(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, code, message)
    }
    pub fn warning(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, code, message)
    }
    pub fn note(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(Severity::Note, code, message)
    }
    pub fn at(mut self, loc: Loc) -> Self {
        if !loc.is_unknown() {
            self.loc = Some(loc);
        }
        self
    }
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// The registry text, kept so findings can quote it.
#[derive(Debug, Clone)]
pub struct Source {
    pub path: String,
    pub text: String,
}

impl Source {
    /// The text a finding points at: its span, or the token that starts there.
    pub fn excerpt(&self, loc: &Loc) -> String {
        let start = self.clamp(loc.offset as usize);
        let end = if loc.len > 0 {
            self.clamp(loc.offset as usize + loc.len as usize)
        } else {
            let rest = &self.text[start..];
            start + rest.find(['\n', '\r']).unwrap_or(rest.len())
        };
        self.text[start..end].lines().next().unwrap_or("").trim().to_string()
    }

    /// Byte range of a finding, widened to its token when the parser gave no length.
    fn range(&self, loc: &Loc) -> std::ops::Range<usize> {
        let start = self.clamp(loc.offset as usize);
        let len = if loc.len > 0 {
            loc.len as usize
        } else {
            self.excerpt(loc).len().max(1)
        };
        start..self.clamp(start + len)
    }

    fn clamp(&self, mut i: usize) -> usize {
        i = i.min(self.text.len());
        while !self.text.is_char_boundary(i) {
            i -= 1;
        }
        i
    }
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    severity: Severity,
    code: &'a str,
    message: &'a str,
    file: &'a str,
    line: Option<u32>,
    column: Option<u32>,
    text: Option<String>,
    hint: Option<&'a str>,
}

/// Findings as JSON data: the same facts the text report shows.
pub fn to_json(source: &Source, diags: &[Diagnostic]) -> serde_json::Value {
    let findings: Vec<_> = diags
        .iter()
        .map(|d| JsonFinding {
            severity: d.severity,
            code: d.code,
            message: &d.message,
            file: &source.path,
            line: d.loc.map(|l| l.line),
            column: d.loc.map(|l| l.col),
            text: d.loc.map(|l| source.excerpt(&l)),
            hint: d.hint.as_deref(),
        })
        .collect();
    let count = |s| diags.iter().filter(|d| d.severity == s).count();
    serde_json::json!({
        "file": source.path,
        "errors": count(Severity::Error),
        "warnings": count(Severity::Warning),
        "notes": count(Severity::Note),
        "findings": findings,
    })
}

/// Findings in rustc style: `error[code]: message`, then ` --> file:line:col` and the line.
pub fn render(source: &Source, diags: &[Diagnostic], color: bool) -> String {
    use crate::core::visible::{escape, same_length};
    // The snippet keeps its byte offsets; messages and paths are escaped.
    let path = escape(&source.path);
    let text = same_length(&source.text);
    let file = SimpleFile::new(path.as_ref(), text.as_ref());
    let mut out = if color {
        termcolor::Buffer::ansi()
    } else {
        termcolor::Buffer::no_color()
    };
    let config = term::Config::default();
    for d in diags {
        let sev = match d.severity {
            Severity::Error => CsSeverity::Error,
            Severity::Warning => CsSeverity::Warning,
            Severity::Note => CsSeverity::Note,
        };
        let mut cs = CsDiagnostic::new(sev)
            .with_code(d.code)
            .with_message(escape(&d.message));
        if let Some(loc) = d.loc {
            cs = cs.with_labels(vec![Label::primary((), source.range(&loc))]);
        } else {
            cs = cs.with_notes(vec![format!("in {path}")]);
        }
        if let Some(h) = &d.hint {
            cs.notes.push(format!("help: {}", escape(h)));
        }
        // Writing to an in-memory buffer cannot fail for a valid range.
        let _ = term::emit(&mut out, &config, &file, &cs);
    }
    String::from_utf8_lossy(out.as_slice()).into_owned()
}

/// A one-line form for status bars and popups: `file:line:col: error[code]: message`.
pub fn one_line(source: &Source, d: &Diagnostic) -> String {
    let sev = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    };
    let at = match d.loc {
        Some(l) => format!("{}:{}:{}", source.path, l.line, l.col),
        None => source.path.clone(),
    };
    let hint = d.hint.as_ref().map(|h| format!(" (help: {h})")).unwrap_or_default();
    let line = format!("{at}: {sev}[{}]: {}{hint}", d.code, d.message);
    crate::core::visible::escape(&line).into_owned()
}

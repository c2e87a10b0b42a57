//! Contexts: named clusters in `config.yaml` (brokers, properties, Schema Registry,
//! Connect, the registry and drift environment that go with them), so `--context prod`
//! replaces `-b -X -F -r --env`. `locate` finds the file, `parse` reads and validates it
//! (secrets only by reference), `resolve` turns the chosen context into settings.

pub mod apply;
pub mod format;
pub mod locate;
pub mod parse;
pub mod resolve;

use crate::core::diag::{Diagnostic, Source};
use crate::core::registry::loc::Loc;
use std::path::PathBuf;

/// The contexts file as read and checked.
#[derive(Debug, Clone)]
pub struct Contexts {
    pub source: Source,
    /// Relative paths in the file are taken from here (the file's directory).
    pub dir: PathBuf,
    pub current: Option<(String, Loc)>,
    /// By name.
    pub list: Vec<Context>,
}

impl Contexts {
    pub fn get(&self, name: &str) -> Option<&Context> {
        self.list.iter().find(|c| c.name == name)
    }
    pub fn names(&self) -> impl Iterator<Item = &str> + Clone {
        self.list.iter().map(|c| c.name.as_str())
    }
}

/// One context, checked, its secrets still references.
#[derive(Debug, Clone, Default)]
pub struct Context {
    pub name: String,
    pub loc: Loc,
    pub cluster: Option<String>,
    pub brokers: Option<String>,
    /// In the file's order (sorted by key), each with where it was written.
    pub properties: Vec<Property>,
    pub properties_file: Option<(PathBuf, Loc)>,
    pub schema_registry: Option<(Value, Loc)>,
    /// `URL` or `NAME=URL`, checked.
    pub connect: Vec<(String, Loc)>,
    pub registry: Option<PathBuf>,
    pub env: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Property {
    pub key: String,
    pub value: Value,
    pub loc: Loc,
}

/// A value as written: text, or a reference read when the context is used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Text(String),
    /// `${NAME}`: the environment variable NAME.
    Env(String),
    /// `KEY_file: PATH`: the file's content, without its trailing newline.
    File(PathBuf),
}

impl Value {
    /// For listings: a reference as written, text only when the key is not secret.
    pub fn shown(&self, key: &str) -> String {
        match self {
            Value::Env(n) => format!("${{{n}}}"),
            Value::File(p) => format!("file {}", p.display()),
            Value::Text(_) if crate::cluster::kafka::config::is_secret(key) => "******".into(),
            Value::Text(t) => crate::cluster::kafka::config::masked(key, t)
                .split_once('=')
                .map_or_else(String::new, |(_, v)| v.to_string()),
        }
    }
}

/// A context ready to apply: references read, paths absolute.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Resolved {
    pub name: String,
    pub cluster: Option<String>,
    pub brokers: Option<String>,
    /// The properties file's, then the context's own (later ones win).
    pub properties: Vec<(String, String)>,
    pub schema_registry: Option<String>,
    pub connect: Vec<String>,
    pub registry: Option<PathBuf>,
    pub env: Option<String>,
}

/// Why the contexts file, or the context asked for, cannot be used: every problem,
/// each with file:line:col and what to do.
#[derive(Debug, Clone)]
pub struct ContextError {
    pub source: Source,
    pub problems: Vec<Diagnostic>,
}

impl ContextError {
    pub fn one(path: &str, d: Diagnostic) -> Self {
        ContextError {
            source: Source {
                path: path.to_string(),
                text: String::new(),
            },
            problems: vec![d],
        }
    }
}

impl std::fmt::Display for ContextError {
    /// One line per problem, never the file's text (a literal secret must not be
    /// quoted back).
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        let lines: Vec<String> = self
            .problems
            .iter()
            .map(|d| {
                let at = match d.loc {
                    Some(l) => format!("{}:{}:{}", self.source.path, l.line, l.col),
                    None => self.source.path.clone(),
                };
                let hint = d.hint.as_ref().map(|h| format!(" (help: {h})")).unwrap_or_default();
                let line = format!("{at}: {} [{}]{hint}", d.message, d.code);
                crate::core::visible::one_line(&line).into_owned()
            })
            .collect();
        f.write_str(&lines.join("\n"))
    }
}

impl std::error::Error for ContextError {}

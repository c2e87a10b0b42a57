//! Reading and checking the contexts file: YAML errors and unknown keys with
//! file:line:col and a did-you-mean, every literal secret refused with how to reference
//! it instead. Every problem of the file at once.

use super::format::{ConfigFile, ContextFile};
use super::{Context, ContextError, Contexts, Property, Value};
use crate::core::diag::{Diagnostic, Source};
use crate::core::registry::spanned::Sp;
use std::path::{Path, PathBuf};

/// A contexts file is a few kilobytes; more is not one.
pub const MAX_BYTES: usize = 1024 * 1024;

/// Read and check the file at `path`.
pub fn read(path: &Path) -> Result<Contexts, ContextError> {
    let shown = path.display().to_string();
    let bytes = crate::core::input::read_bounded(path, MAX_BYTES).map_err(|e| {
        let why = match e.kind() {
            std::io::ErrorKind::NotFound => "no such file".to_string(),
            std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
            _ => e.to_string(),
        };
        ContextError::one(
            &shown,
            Diagnostic::error("unreadable", format!("cannot read the contexts file: {why}"))
                .hint("create it (see `ktopo contexts --help`), or point KTOPO_CONFIG at it"),
        )
    })?;
    let text = String::from_utf8(bytes).map_err(|_| {
        ContextError::one(
            &shown,
            Diagnostic::error("not-text", "the contexts file is not UTF-8 text")
                .hint("it is a YAML file: check that KTOPO_CONFIG names the right one"),
        )
    })?;
    let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    parse(&shown, text, &dir)
}

/// Check contexts text; `dir` is where relative paths start.
pub fn parse(path: &str, text: String, dir: &Path) -> Result<Contexts, ContextError> {
    let source = Source {
        path: path.to_string(),
        text,
    };
    let only_comments = source.text.lines().all(|l| {
        let l = l.trim();
        l.is_empty() || l.starts_with('#') || l == "---"
    });
    let file = if only_comments {
        ConfigFile {
            current_context: None,
            contexts: Default::default(),
        }
    } else {
        match serde_saphyr::from_str_with_options::<ConfigFile>(&source.text, crate::core::registry::load::options()) {
            Ok(f) => f,
            Err(e) => {
                let d = from_saphyr(&e);
                return Err(ContextError {
                    source,
                    problems: vec![d],
                });
            }
        }
    };
    let mut problems = Vec::new();
    let mut list = Vec::new();
    for (name, c) in &file.contexts {
        list.push(context(name, c, dir, &mut problems));
    }
    let current = file.current_context.map(|c| (c.value.clone(), c.loc));
    if let Some((name, loc)) = &current {
        if !file.contexts.contains_key(name) {
            problems.push(unknown_context(name, list.iter().map(|c| c.name.as_str())).at(*loc));
        }
    }
    if problems.is_empty() {
        Ok(Contexts {
            source,
            dir: dir.to_path_buf(),
            current,
            list,
        })
    } else {
        Err(ContextError { source, problems })
    }
}

/// `name` is not a context: the known ones, the closest first.
pub fn unknown_context<'a>(name: &str, known: impl Iterator<Item = &'a str> + Clone) -> Diagnostic {
    let all: Vec<&str> = known.clone().collect();
    let listed = if all.is_empty() {
        "none are defined".to_string()
    } else {
        format!("known: {}", all.join(", "))
    };
    let hint = match crate::core::suggest::closest(name, known) {
        Some(s) => format!("did you mean `{s}`? ({listed})"),
        None => format!("{listed}; add it under `contexts:`"),
    };
    Diagnostic::error("unknown-context", format!("there is no context `{name}`")).hint(hint)
}

fn context(name: &str, c: &Sp<ContextFile>, dir: &Path, problems: &mut Vec<Diagnostic>) -> Context {
    let loc = c.loc;
    if name.trim().is_empty() || name.chars().any(char::is_control) {
        problems.push(
            Diagnostic::error("bad-name", "a context name must be visible text")
                .at(loc)
                .hint("name it like `dev` or `prod-eu`"),
        );
    }
    let mut out = Context {
        name: name.to_string(),
        loc,
        cluster: c.cluster.as_ref().map(|s| s.value.clone()),
        env: c.env.as_ref().map(|s| s.value.clone()),
        registry: c.registry.as_ref().map(|s| in_dir(dir, &s.value)),
        ..Context::default()
    };
    if let Some(b) = &c.brokers {
        let problem = if b.trim().is_empty() {
            Some("`brokers` is empty".to_string())
        } else {
            crate::cluster::connect::check_brokers(&b.value)
                .err()
                .map(|e| e.to_string())
        };
        match problem {
            Some(p) => problems.push(
                Diagnostic::error("bad-brokers", p)
                    .at(b.loc)
                    .hint("write host:port[,host:port…]"),
            ),
            None => out.brokers = Some(b.value.clone()),
        }
    }
    for (key, v) in &c.properties {
        if let Some(p) = property(key, v, dir, problems) {
            out.properties.push(p);
        }
    }
    if let Some(f) = &c.properties_file {
        out.properties_file = Some((in_dir(dir, &f.value), f.loc));
    }
    if let Some(u) = &c.schema_registry {
        match reference(&u.value) {
            Ok(Value::Text(t)) if has_user_info(&t) => problems.push(
                Diagnostic::error("literal-secret", "the Schema Registry URL holds credentials (`user:password@`)")
                    .at(u.loc)
                    .hint("drop them from the URL and set `schema.registry.basic.auth.user.info: ${SR_USER_INFO}` under `properties`"),
            ),
            Ok(v) => out.schema_registry = Some((v, u.loc)),
            Err(d) => problems.push(d.at(u.loc)),
        }
    }
    let mut names = std::collections::BTreeSet::new();
    for entry in &c.connect {
        match connect_entry(&entry.value) {
            Ok(n) if !names.insert(n.clone()) => problems.push(
                Diagnostic::error("duplicate-connect", format!("two Connect clusters are named `{n}`"))
                    .at(entry.loc)
                    .hint("write NAME=URL with a different NAME for each"),
            ),
            Ok(_) => out.connect.push((entry.value.clone(), entry.loc)),
            Err(d) => problems.push(d.at(entry.loc)),
        }
    }
    out
}

fn property(
    key: &str,
    v: &Sp<crate::cluster::context::format::Scalar>,
    dir: &Path,
    problems: &mut Vec<Diagnostic>,
) -> Option<Property> {
    let text = &v.value.0;
    if let Some(base) = key.strip_suffix("_file") {
        if text.trim().is_empty() {
            problems.push(
                Diagnostic::error("empty-path", format!("`{key}` names no file"))
                    .at(v.loc)
                    .hint(format!("write `{key}: /path/to/the/{base}`")),
            );
            return None;
        }
        return Some(Property {
            key: base.to_string(),
            value: Value::File(in_dir(dir, text)),
            loc: v.loc,
        });
    }
    match reference(text) {
        Ok(Value::Text(t)) if crate::cluster::kafka::config::is_secret(key) && !t.is_empty() => {
            problems.push(
                Diagnostic::error("literal-secret", format!("`{key}` is a secret written in the file"))
                    .at(v.loc)
                    .hint(format!(
                        "reference it: `{key}: ${{{}}}` (from the environment) or `{key}_file: /path/to/file`",
                        env_name(key)
                    )),
            );
            None
        }
        Ok(value) => Some(Property {
            key: key.to_string(),
            value,
            loc: v.loc,
        }),
        Err(d) => {
            problems.push(d.at(v.loc));
            None
        }
    }
}

/// `sasl.password` → `SASL_PASSWORD`: the variable name a hint suggests.
fn env_name(key: &str) -> String {
    key.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect()
}

/// Text, or `${NAME}` as the whole value.
fn reference(text: &str) -> Result<Value, Diagnostic> {
    if let Some(name) = text.strip_prefix("${").and_then(|r| r.strip_suffix('}')) {
        let ok = !name.is_empty()
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && !name.starts_with(|c: char| c.is_ascii_digit());
        if ok {
            return Ok(Value::Env(name.to_string()));
        }
    }
    if text.contains("${") {
        return Err(
            Diagnostic::error("bad-reference", "`${` starts a reference that is not `${NAME}`")
                .hint("a reference is the whole value, `${NAME}` with NAME made of letters, digits and `_`"),
        );
    }
    Ok(Value::Text(text.to_string()))
}

fn has_user_info(url: &str) -> bool {
    url.split_once("://")
        .map(|(_, rest)| rest.split(['/', '?', '#']).next().unwrap_or("").contains('@'))
        .unwrap_or(false)
}

/// `URL` or `NAME=URL`; the name (`default` when none) for duplicate checks.
fn connect_entry(entry: &str) -> Result<String, Diagnostic> {
    let (name, url) = match entry.split_once('=') {
        Some((n, u)) if !n.contains("://") => (n.trim().to_string(), u.trim()),
        _ => ("default".to_string(), entry.trim()),
    };
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || "._-".contains(c)) {
        return Err(Diagnostic::error(
            "bad-connect",
            "a Connect cluster's name is letters, digits, `.`, `_` or `-`",
        )
        .hint("write NAME=URL, e.g. `cdc=http://127.0.0.1:8083`"));
    }
    if !(url.starts_with("http://") || url.starts_with("https://")) {
        return Err(
            Diagnostic::error("bad-connect", "a Connect URL starts with http:// or https://")
                .hint("write NAME=URL or URL, e.g. `http://127.0.0.1:8083`"),
        );
    }
    if has_user_info(url) {
        return Err(
            Diagnostic::error("literal-secret", "a Connect URL holds credentials (`user:password@`)")
                .hint("drop them from the URL; basic auth goes through `properties` with a `${ENV}` reference"),
        );
    }
    Ok(name)
}

/// A path as written, from the config file's directory (`~/` from the home).
fn in_dir(dir: &Path, p: &str) -> PathBuf {
    if let (Some(rest), Some(home)) = (p.strip_prefix("~/"), std::env::var_os("HOME")) {
        return PathBuf::from(home).join(rest);
    }
    let p = PathBuf::from(p);
    if p.is_absolute() {
        p
    } else {
        dir.join(p)
    }
}

/// The keys of the file's top level and of a context (serde's message does not list them).
const TOP_KEYS: &[&str] = &["current-context", "contexts"];
const CONTEXT_KEYS: &[&str] = &[
    "cluster",
    "brokers",
    "properties",
    "properties-file",
    "schema-registry",
    "connect",
    "registry",
    "env",
];

/// The parser's error, in the file's words: an unknown key with the closest known one.
fn from_saphyr(e: &serde_saphyr::Error) -> Diagnostic {
    let inner = e.without_snippet();
    let msg = inner.to_string();
    let msg = msg.split(" at line ").next().unwrap_or(&msg).trim().to_string();
    let loc = inner.location().map(crate::core::registry::spanned::loc);
    let mut d = match unknown_field(&msg) {
        Some(field) => {
            // A key at the first column is the top level's.
            let known = if loc.is_some_and(|l| l.col == 1) {
                TOP_KEYS
            } else {
                CONTEXT_KEYS
            };
            let hint = match crate::core::suggest::closest(&field, known.iter().copied()) {
                Some(s) => format!("did you mean `{s}`? (known keys: {})", known.join(", ")),
                None => format!("known keys: {}", known.join(", ")),
            };
            Diagnostic::error("unknown-key", format!("unknown key `{field}`")).hint(hint)
        }
        None if msg.contains("duplicate") => {
            Diagnostic::error("duplicate-key", msg).hint("keep one: YAML would silently drop the other")
        }
        None => Diagnostic::error("yaml", msg)
            .hint("a contexts file is `current-context: NAME` and `contexts:` mapping names to brokers, properties, …"),
    };
    if let Some(l) = loc {
        d = d.at(l);
    }
    d
}

/// The field of serde's "unknown field `x`, …".
fn unknown_field(msg: &str) -> Option<String> {
    let rest = &msg[msg.find("unknown field `")? + "unknown field `".len()..];
    Some(rest.split_once('`')?.0.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_text(t: &str) -> Result<Contexts, ContextError> {
        parse("config.yaml", t.to_string(), Path::new("/etc/ktopo"))
    }

    #[test]
    fn an_unknown_key_names_the_closest_known_one_and_its_position() {
        let e = parse_text("contexts:\n  dev:\n    brokrs: a:9092\n").unwrap_err();
        let s = e.to_string();
        assert!(s.starts_with("config.yaml:3:"), "{s}");
        assert!(
            s.contains("unknown key `brokrs`") && s.contains("did you mean `brokers`?"),
            "{s}"
        );
    }

    #[test]
    fn a_literal_secret_is_refused_without_being_quoted() {
        let e = parse_text("contexts:\n  prod:\n    properties:\n      sasl.password: hunter2\n").unwrap_err();
        let s = e.to_string();
        assert!(s.contains("config.yaml:4:22") && s.contains("${SASL_PASSWORD}"), "{s}");
        assert!(s.contains("sasl.password_file"), "{s}");
        assert!(!s.contains("hunter2"), "{s}");
    }

    #[test]
    fn references_and_relative_paths() {
        let c = parse_text(
            "current-context: dev\ncontexts:\n  dev:\n    registry: reg.yaml\n    properties:\n      sasl.password: ${PW}\n      ssl.key.password_file: key.pw\n      socket.timeout.ms: 1000\n",
        )
        .unwrap();
        let dev = c.get("dev").unwrap();
        assert_eq!(dev.registry.as_deref(), Some(Path::new("/etc/ktopo/reg.yaml")));
        let v: Vec<_> = dev
            .properties
            .iter()
            .map(|p| (p.key.as_str(), p.value.clone()))
            .collect();
        assert_eq!(
            v,
            [
                ("sasl.password", Value::Env("PW".into())),
                ("socket.timeout.ms", Value::Text("1000".into())),
                ("ssl.key.password", Value::File("/etc/ktopo/key.pw".into())),
            ]
        );
    }

    #[test]
    fn current_context_must_exist_and_connect_urls_are_checked() {
        let e = parse_text(
            "current-context: stagng\ncontexts:\n  staging:\n    connect: [\"cdc=http://a:8083\", \"cdc=http://b:8083\", \"ftp://x\", \"http://u:p@h:1\"]\n",
        )
        .unwrap_err();
        let codes: Vec<_> = e.problems.iter().map(|d| d.code).collect();
        assert_eq!(
            codes,
            ["duplicate-connect", "bad-connect", "literal-secret", "unknown-context"]
        );
        assert!(e.to_string().contains("did you mean `staging`?"), "{e}");
        assert!(!e.to_string().contains("u:p"), "{e}");
    }
}

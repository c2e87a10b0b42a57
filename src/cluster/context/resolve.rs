//! The chosen context, its references read: `${NAME}` from the environment, `KEY_file`
//! and `properties-file` from disk (bounded). Only the context in use is resolved, so
//! another context's unset variable never stops a command.

use super::{Context, ContextError, Contexts, Resolved, Value};
use crate::core::diag::Diagnostic;

/// A secret file is a line or a key; more is not one.
const MAX_SECRET_BYTES: usize = 64 * 1024;

/// Resolve `ctx` of `file`, reading the environment through `env`.
pub fn resolve(file: &Contexts, ctx: &Context, env: impl Fn(&str) -> Option<String>) -> Result<Resolved, ContextError> {
    let mut problems = Vec::new();
    let value = |v: &Value, what: &str, loc, problems: &mut Vec<Diagnostic>| -> Option<String> {
        match v {
            Value::Text(t) => Some(t.clone()),
            Value::Env(n) => match env(n) {
                Some(x) => Some(x),
                None => {
                    problems.push(
                        Diagnostic::error("unset-variable", format!("{what} reads `${{{n}}}`, which is not set"))
                            .at(loc)
                            .hint(format!(
                                "export {n}=… before running ktopo, or reference a file instead"
                            )),
                    );
                    None
                }
            },
            Value::File(p) => match crate::core::input::read_bounded(p, MAX_SECRET_BYTES) {
                Ok(b) => match String::from_utf8(b) {
                    Ok(s) => Some(s.strip_suffix('\n').unwrap_or(&s).trim_end_matches('\r').to_string()),
                    Err(_) => {
                        problems.push(
                            Diagnostic::error("secret-file", format!("{what}: {} is not text", p.display())).at(loc),
                        );
                        None
                    }
                },
                Err(e) => {
                    problems.push(
                        Diagnostic::error("secret-file", format!("{what}: cannot read {}: {e}", p.display()))
                            .at(loc)
                            .hint("check the path (relative paths start at the contexts file's directory)"),
                    );
                    None
                }
            },
        }
    };
    let mut out = Resolved {
        name: ctx.name.clone(),
        cluster: ctx.cluster.clone(),
        brokers: ctx.brokers.clone(),
        connect: ctx.connect.iter().map(|(c, _)| c.clone()).collect(),
        registry: ctx.registry.clone(),
        env: ctx.env.clone(),
        ..Resolved::default()
    };
    if let Some((path, loc)) = &ctx.properties_file {
        let mut p = crate::cluster::kafka::config::Properties::default();
        match p.read_file(path) {
            Ok(()) => out.properties.extend(p.0),
            Err(e) => problems.push(
                Diagnostic::error("properties-file", e.to_string())
                    .at(*loc)
                    .hint("check the path (relative paths start at the contexts file's directory)"),
            ),
        }
    }
    for p in &ctx.properties {
        if let Some(v) = value(&p.value, &format!("`{}`", p.key), p.loc, &mut problems) {
            out.properties.push((p.key.clone(), v));
        }
    }
    if let Some((v, loc)) = &ctx.schema_registry {
        out.schema_registry = value(v, "`schema-registry`", *loc, &mut problems);
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(ContextError {
            source: file.source.clone(),
            problems,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unset_variable_and_a_missing_file_are_both_told_where() {
        let dir = tempfile::tempdir().unwrap();
        let text = "contexts:\n  prod:\n    schema-registry: ${SR}\n    properties:\n      sasl.password: ${PW}\n      ssl.key.password_file: nowhere.pw\n";
        let c = super::super::parse::parse("c.yaml", text.into(), dir.path()).unwrap();
        let e = resolve(&c, c.get("prod").unwrap(), |_| None).unwrap_err();
        let s = e.to_string();
        assert!(s.contains("c.yaml:5:22: `sasl.password` reads `${PW}`"), "{s}");
        assert!(s.contains("c.yaml:6:30: `ssl.key.password`: cannot read"), "{s}");
        assert!(s.contains("c.yaml:3:22: `schema-registry` reads `${SR}`"), "{s}");
        std::fs::write(dir.path().join("nowhere.pw"), "s3cret\n").unwrap();
        let r = resolve(&c, c.get("prod").unwrap(), |k| Some(format!("<{k}>"))).unwrap();
        assert_eq!(
            r.properties,
            [
                ("sasl.password".to_string(), "<PW>".to_string()),
                ("ssl.key.password".to_string(), "s3cret".to_string())
            ]
        );
        assert_eq!(r.schema_registry.as_deref(), Some("<SR>"));
    }
}

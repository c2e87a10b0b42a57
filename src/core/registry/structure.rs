//! Structural checking of a registry that serde rejected: every unknown key, wrong type
//! and missing field at once, instead of serde's first error only.
//!
//! The file is read into a generic tree of positioned values and walked against the
//! JSON Schema derived from the format structs, so the format has one definition.

use super::loc::Loc;
use super::spanned::Sp;
use crate::core::diag::Diagnostic;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::Value;
use std::fmt;

/// Any YAML value, with positions all the way down.
#[derive(Debug)]
pub enum Node {
    Null,
    Bool,
    Int(i128),
    Float,
    Str(String),
    Seq(Vec<Sp<Node>>),
    Map(Vec<(Sp<Node>, Sp<Node>)>),
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Node;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any YAML value")
            }
            fn visit_unit<E: de::Error>(self) -> Result<Node, E> {
                Ok(Node::Null)
            }
            fn visit_none<E: de::Error>(self) -> Result<Node, E> {
                Ok(Node::Null)
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Node, D::Error> {
                Node::deserialize(d)
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Node, E> {
                Ok(Node::Bool)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Node, E> {
                Ok(Node::Int(v.into()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Node, E> {
                Ok(Node::Int(v.into()))
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Node, E> {
                Ok(Node::Float)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Node, E> {
                Ok(Node::Str(v.to_string()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut s: A) -> Result<Node, A::Error> {
                let mut items = Vec::new();
                while let Some(n) = s.next_element::<Sp<Node>>()? {
                    items.push(n);
                }
                Ok(Node::Seq(items))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Node, A::Error> {
                let mut entries = Vec::new();
                while let Some(k) = m.next_key::<Sp<Node>>()? {
                    entries.push((k, m.next_value::<Sp<Node>>()?));
                }
                Ok(Node::Map(entries))
            }
        }
        d.deserialize_any(V)
    }
}

impl Node {
    fn kind(&self) -> &'static str {
        match self {
            Node::Null => "null",
            Node::Bool => "boolean",
            Node::Int(_) => "integer",
            Node::Float => "number",
            Node::Str(_) => "string",
            Node::Seq(_) => "array",
            Node::Map(_) => "object",
        }
    }
    fn matches_type(&self, t: &str) -> bool {
        let k = self.kind();
        k == t || (t == "number" && k == "integer")
    }
}

/// Walks a tree against the registry's JSON Schema, collecting findings.
pub struct Walker<'a> {
    root: &'a Value,
    pub found: Vec<Diagnostic>,
}

impl<'a> Walker<'a> {
    pub fn new(schema: &'a Value) -> Self {
        Walker {
            root: schema,
            found: Vec::new(),
        }
    }

    fn resolve(&self, mut s: &'a Value) -> &'a Value {
        // Follow local `$ref`s; a bounded loop guards against a self-referencing schema.
        for _ in 0..16 {
            match s.get("$ref").and_then(Value::as_str) {
                Some(r) => {
                    let name = r.rsplit('/').next().unwrap_or("");
                    match self.root.get("$defs").and_then(|d| d.get(name)) {
                        Some(t) => s = t,
                        None => return s,
                    }
                }
                None => return s,
            }
        }
        s
    }

    pub fn walk(&mut self, node: &Sp<Node>, schema: &'a Value, path: &str) {
        let schema = self.resolve(schema);
        if let Some(alts) = schema.get("anyOf").or_else(|| schema.get("oneOf")) {
            return self.walk_alternatives(node, alts, path);
        }
        if let Some(allowed) = schema.get("enum").and_then(Value::as_array) {
            let ok = matches!(&node.value, Node::Str(s) if allowed.iter().any(|a| a == s));
            if !ok {
                let names: Vec<_> = allowed.iter().filter_map(Value::as_str).collect();
                self.found.push(
                    Diagnostic::error("invalid-value", format!("`{path}` has a value that is not allowed"))
                        .at(node.loc)
                        .hint(format!("use one of: {}", names.join(", "))),
                );
            }
            return;
        }
        if let Some(c) = schema.get("const") {
            if !matches!(&node.value, Node::Str(s) if c == s) {
                self.found
                    .push(Diagnostic::error("invalid-value", format!("`{path}` must be {c}")).at(node.loc));
            }
            return;
        }
        if let Some(t) = schema.get("type") {
            let types: Vec<&str> = match t {
                Value::String(s) => vec![s.as_str()],
                Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
                _ => vec![],
            };
            if !types.is_empty() && !types.iter().any(|t| node.matches_type(t)) {
                self.found.push(
                    Diagnostic::error(
                        "wrong-type",
                        format!("`{path}` must be {}, found {}", types.join(" or "), node.kind()),
                    )
                    .at(node.loc)
                    .hint(type_hint(&types)),
                );
                return;
            }
        }
        if let (Node::Int(v), Some(min)) = (&node.value, schema.get("minimum").and_then(Value::as_i64)) {
            if *v < i128::from(min) {
                self.found.push(
                    Diagnostic::error("wrong-type", format!("`{path}` must be at least {min}, found {v}")).at(node.loc),
                );
            }
        }
        match &node.value {
            Node::Map(entries) => self.walk_map(node.loc, entries, schema, path),
            Node::Seq(items) => {
                if let Some(item) = schema.get("items") {
                    for (i, n) in items.iter().enumerate() {
                        self.walk(n, item, &format!("{path}[{i}]"));
                    }
                }
            }
            _ => {}
        }
    }

    fn walk_alternatives(&mut self, node: &Sp<Node>, alts: &'a Value, path: &str) {
        let Some(alts) = alts.as_array() else { return };
        // Take the alternative with the fewest findings; report its findings.
        let mut best: Option<Vec<Diagnostic>> = None;
        for alt in alts {
            let mut w = Walker::new(self.root);
            w.walk(node, alt, path);
            if w.found.is_empty() {
                return;
            }
            if best.as_ref().is_none_or(|b| w.found.len() < b.len()) {
                best = Some(w.found);
            }
        }
        self.found.extend(best.unwrap_or_default());
    }

    fn walk_map(&mut self, at: Loc, entries: &[(Sp<Node>, Sp<Node>)], schema: &'a Value, path: &str) {
        let props = schema.get("properties").and_then(Value::as_object);
        let extra = schema.get("additionalProperties");
        let mut seen = Vec::new();
        for (k, v) in entries {
            let key = match &k.value {
                Node::Str(s) => s.clone(),
                Node::Int(i) => i.to_string(),
                other => {
                    self.found.push(
                        Diagnostic::error(
                            "wrong-type",
                            format!("keys in `{path}` must be text, found {}", other.kind()),
                        )
                        .at(k.loc),
                    );
                    continue;
                }
            };
            let child = join(path, &key);
            if let Some(p) = props.and_then(|p| p.get(&key)) {
                seen.push(key);
                self.walk(v, p, &child);
            } else if let Some(e) = extra.filter(|e| e.is_object()) {
                self.walk(v, e, &child);
            } else if props.is_some() || extra == Some(&Value::Bool(false)) {
                let known: Vec<&str> = props
                    .map(|p| p.keys().map(String::as_str).collect())
                    .unwrap_or_default();
                let mut d = Diagnostic::error(
                    "unknown-key",
                    format!("unknown key `{key}` in `{}`", display_path(path)),
                )
                .at(k.loc);
                d = match crate::core::suggest::closest(&key, known.iter().copied()) {
                    Some(s) => d.hint(format!("did you mean `{s}`?")),
                    None => d.hint(format!("known keys here: {}", known.join(", "))),
                };
                self.found.push(d);
            }
        }
        if let Some(req) = schema.get("required").and_then(Value::as_array) {
            for r in req.iter().filter_map(Value::as_str) {
                if !seen.iter().any(|s| s == r) {
                    self.found.push(
                        Diagnostic::error("missing-key", format!("`{}` needs a `{r}` key", display_path(path)))
                            .at(at)
                            .hint(format!("add `{r}: ...` to this mapping")),
                    );
                }
            }
        }
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

fn display_path(path: &str) -> &str {
    if path.is_empty() {
        "the top level"
    } else {
        path
    }
}

fn type_hint(types: &[&str]) -> String {
    if types.contains(&"array") {
        "write a list: `- item` lines, or `[a, b]`".into()
    } else if types.contains(&"object") {
        "write a mapping of `key: value` lines".into()
    } else if types.contains(&"integer") {
        "write a whole number without quotes".into()
    } else if types.contains(&"string") {
        "write text; quote it if it looks like a number or boolean".into()
    } else {
        format!("expected {}", types.join(" or "))
    }
}

//! An AsyncAPI document as a tree of values that remember where they were written
//! (YAML and JSON alike: JSON is read as YAML), so every error names file:line:col.

use crate::core::registry::loc::Loc;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use std::fmt;

/// One value and where it is written.
#[derive(Debug, Clone)]
pub struct Node {
    pub value: Val,
    pub loc: Loc,
}

#[derive(Debug, Clone)]
pub enum Val {
    Null,
    Bool(bool),
    Num(serde_json::Number),
    Str(String),
    Seq(Vec<Node>),
    /// Keys as text, in document order.
    Map(Vec<(String, Node)>),
}

impl Node {
    /// The value under `key` of a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            Val::Map(m) => m.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }
    pub fn str(&self) -> Option<&str> {
        match &self.value {
            Val::Str(s) => Some(s),
            _ => None,
        }
    }
    /// A string, or a number or boolean written bare (`version: 1.0`).
    pub fn text(&self) -> Option<String> {
        match &self.value {
            Val::Str(s) => Some(s.clone()),
            Val::Num(n) => Some(n.to_string()),
            Val::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }
    pub fn u64(&self) -> Option<u64> {
        match &self.value {
            Val::Num(n) => n.as_u64(),
            Val::Str(s) => s.trim().parse().ok(),
            _ => None,
        }
    }
    pub fn i64(&self) -> Option<i64> {
        match &self.value {
            Val::Num(n) => n.as_i64(),
            Val::Str(s) => s.trim().parse().ok(),
            _ => None,
        }
    }
    pub fn bool(&self) -> Option<bool> {
        match &self.value {
            Val::Bool(b) => Some(*b),
            _ => None,
        }
    }
    pub fn entries(&self) -> &[(String, Node)] {
        match &self.value {
            Val::Map(m) => m,
            _ => &[],
        }
    }
    pub fn items(&self) -> &[Node] {
        match &self.value {
            Val::Seq(s) => s,
            _ => &[],
        }
    }
    pub fn is_map(&self) -> bool {
        matches!(self.value, Val::Map(_))
    }
    /// The kind of value, for error messages.
    pub fn kind(&self) -> &'static str {
        match self.value {
            Val::Null => "null",
            Val::Bool(_) => "a boolean",
            Val::Num(_) => "a number",
            Val::Str(_) => "a string",
            Val::Seq(_) => "a list",
            Val::Map(_) => "a mapping",
        }
    }
    /// The value as JSON (examples are kept as JSON text).
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value;
        match &self.value {
            Val::Null => Value::Null,
            Val::Bool(b) => Value::Bool(*b),
            Val::Num(n) => Value::Number(n.clone()),
            Val::Str(s) => Value::String(s.clone()),
            Val::Seq(s) => Value::Array(s.iter().map(Node::to_json).collect()),
            Val::Map(m) => Value::Object(m.iter().map(|(k, v)| (k.clone(), v.to_json())).collect()),
        }
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = serde_saphyr::Spanned::<Val>::deserialize(d)?;
        Ok(Node {
            value: s.value,
            loc: crate::core::registry::spanned::loc(s.referenced),
        })
    }
}

impl<'de> Deserialize<'de> for Val {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Val;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any YAML value")
            }
            fn visit_unit<E: de::Error>(self) -> Result<Val, E> {
                Ok(Val::Null)
            }
            fn visit_none<E: de::Error>(self) -> Result<Val, E> {
                Ok(Val::Null)
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Val, D::Error> {
                Val::deserialize(d)
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Val, E> {
                Ok(Val::Bool(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Val, E> {
                Ok(Val::Num(v.into()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Val, E> {
                Ok(Val::Num(v.into()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Val, E> {
                // `.nan` and `.inf` have no JSON form.
                Ok(serde_json::Number::from_f64(v).map_or(Val::Null, Val::Num))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Val, E> {
                Ok(Val::Str(v.to_string()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut s: A) -> Result<Val, A::Error> {
                let mut items = Vec::new();
                while let Some(n) = s.next_element::<Node>()? {
                    items.push(n);
                }
                Ok(Val::Seq(items))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Val, A::Error> {
                let mut entries = Vec::new();
                while let Some(k) = m.next_key::<Node>()? {
                    let key = k.text().unwrap_or_default();
                    entries.push((key, m.next_value::<Node>()?));
                }
                Ok(Val::Map(entries))
            }
        }
        d.deserialize_any(V)
    }
}

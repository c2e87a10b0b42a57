//! The JSON Schema of the registry format, derived from the format structs.

use super::format::RegistryFile;
use serde_json::Value;
use std::sync::OnceLock;

pub fn json_schema() -> Value {
    static SCHEMA: OnceLock<Value> = OnceLock::new();
    SCHEMA
        .get_or_init(|| {
            let mut v = serde_json::to_value(schemars::schema_for!(RegistryFile)).unwrap_or_default();
            if let Some(o) = v.as_object_mut() {
                o.insert("title".into(), "ktopo topic registry".into());
                o.insert(
                    "description".into(),
                    "Services, topics, deprecated and proposed topics, conventions. See docs/registry-format.md."
                        .into(),
                );
            }
            v
        })
        .clone()
}

//! Values that remember where they were written, and the hand-written deserializers
//! for the registry's "scalar or mapping" spellings (serde's `untagged` would lose
//! the positions of everything nested inside).

use super::format::{EndpointDetail, EndpointSpec, ServiceRef};
use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde::de::{self, value::MapAccessDeserializer, Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use std::borrow::Cow;
use std::fmt;

/// A position in the registry file (1-based line and column, 0-based byte range).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Loc {
    pub line: u32,
    pub col: u32,
    /// u32 is plenty: registries are at most 32 MiB (`load::MAX_BYTES`).
    pub offset: u32,
    pub len: u32,
}

impl Loc {
    /// True for values built in code rather than read from a file.
    pub fn is_unknown(&self) -> bool {
        self.line == 0
    }

    pub fn from_saphyr(l: serde_saphyr::Location) -> Self {
        let span = l.span();
        Loc {
            line: l.line() as u32,
            col: l.column() as u32,
            offset: span.byte_offset().unwrap_or(0) as u32,
            len: span.byte_len().unwrap_or(0) as u32,
        }
    }
}

/// A value with the position of its text in the registry file.
#[derive(Debug, Clone)]
pub struct Sp<T> {
    pub value: T,
    pub loc: Loc,
}

impl<T> Sp<T> {
    pub fn new(value: T, loc: Loc) -> Self {
        Sp { value, loc }
    }
}

impl<T> std::ops::Deref for Sp<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

impl<T: PartialEq> PartialEq for Sp<T> {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Sp<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = serde_saphyr::Spanned::<T>::deserialize(d)?;
        Ok(Sp {
            value: s.value,
            loc: Loc::from_saphyr(s.referenced),
        })
    }
}

impl<T: JsonSchema> JsonSchema for Sp<T> {
    fn schema_name() -> Cow<'static, str> {
        T::schema_name()
    }
    fn json_schema(g: &mut SchemaGenerator) -> Schema {
        T::json_schema(g)
    }
    fn inline_schema() -> bool {
        T::inline_schema()
    }
}

impl<'de> Deserialize<'de> for ServiceRef {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = ServiceRef;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a service id (number) or service key (string)")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<ServiceRef, E> {
                u32::try_from(v)
                    .map(ServiceRef::Id)
                    .map_err(|_| E::custom(format!("service id {v} is too large")))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<ServiceRef, E> {
                u32::try_from(v)
                    .map(ServiceRef::Id)
                    .map_err(|_| E::custom(format!("service id {v} must be 0 or more")))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<ServiceRef, E> {
                Ok(ServiceRef::Key(v.to_string()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<ServiceRef, E> {
                Ok(ServiceRef::Key(v))
            }
        }
        d.deserialize_any(V)
    }
}

impl JsonSchema for ServiceRef {
    fn schema_name() -> Cow<'static, str> {
        "ServiceRef".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A service's numeric id or its key.",
            "anyOf": [{"type": "integer", "minimum": 0}, {"type": "string"}]
        })
    }
}

impl<'de> Deserialize<'de> for EndpointSpec {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = EndpointSpec;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a service id, a service key, or a mapping with `service:`")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<EndpointSpec, E> {
                Ok(EndpointSpec::Bare(ServiceRef::deserialize(
                    de::value::U64Deserializer::<E>::new(v),
                )?))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<EndpointSpec, E> {
                Ok(EndpointSpec::Bare(ServiceRef::deserialize(
                    de::value::I64Deserializer::<E>::new(v),
                )?))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<EndpointSpec, E> {
                Ok(EndpointSpec::Bare(ServiceRef::Key(v.to_string())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<EndpointSpec, E> {
                Ok(EndpointSpec::Bare(ServiceRef::Key(v)))
            }
            fn visit_map<A: MapAccess<'de>>(self, m: A) -> Result<EndpointSpec, A::Error> {
                EndpointDetail::deserialize(MapAccessDeserializer::new(m)).map(|d| EndpointSpec::Detailed(Box::new(d)))
            }
        }
        d.deserialize_any(V)
    }
}

impl JsonSchema for EndpointSpec {
    fn schema_name() -> Cow<'static, str> {
        "Endpoint".into()
    }
    fn json_schema(g: &mut SchemaGenerator) -> Schema {
        let detail = g.subschema_for::<EndpointDetail>();
        json_schema!({
            "description": "A service id or key, or a mapping with `service` and details.",
            "anyOf": [{"type": "integer", "minimum": 0}, {"type": "string"}, detail]
        })
    }
}

//! How the file writes a producer or consumer: a bare service id or key, or a mapping
//! with `service:` and details. Deserialized by hand (serde's `untagged` would lose
//! the positions of everything nested inside).

use super::model::ServiceRef;
use super::spanned::Sp;
use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde::de::{self, value::MapAccessDeserializer, Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use std::borrow::Cow;
use std::fmt;

/// A producer or consumer of a topic: a bare service id/key, or a mapping with details.
pub type Endpoint = Sp<EndpointSpec>;

/// The two spellings of an endpoint. Deserialized by hand (not `untagged`) so the
/// YAML positions of nested values survive.
#[derive(Debug)]
pub enum EndpointSpec {
    Bare(ServiceRef),
    /// Boxed: most endpoints are bare, and the list elements stay small.
    Detailed(Box<EndpointDetail>),
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EndpointDetail {
    pub service: Sp<ServiceRef>,
    /// Explicit consumer group id, when it breaks the convention.
    pub group: Option<Sp<String>>,
    /// `false` for a consumer that keeps its offsets outside Kafka (a stream processor
    /// with its own checkpoints): it never commits, so drift never calls it MISSING and
    /// lag shows no committed offsets for it.
    pub commits: Option<bool>,
    /// Role or condition, e.g. `client self-service`.
    pub note: Option<String>,
    /// Infrastructure it goes through, e.g. `kafka_connect`.
    pub via: Option<String>,
}

impl Sp<EndpointSpec> {
    /// The referenced service with the position of the reference itself.
    pub fn service(&self) -> Sp<&ServiceRef> {
        match &self.value {
            EndpointSpec::Bare(s) => Sp::new(s, self.loc),
            EndpointSpec::Detailed(d) => Sp::new(&d.service.value, d.service.loc),
        }
    }
    fn detail(&self) -> Option<&EndpointDetail> {
        match &self.value {
            EndpointSpec::Bare(_) => None,
            EndpointSpec::Detailed(d) => Some(d),
        }
    }
    pub fn group(&self) -> Option<&Sp<String>> {
        self.detail().and_then(|d| d.group.as_ref())
    }
    /// False when the consumer declares it keeps its offsets outside Kafka.
    pub fn commits(&self) -> bool {
        self.detail().and_then(|d| d.commits).unwrap_or(true)
    }
    pub fn note(&self) -> Option<&str> {
        self.detail().and_then(|d| d.note.as_deref())
    }
    pub fn via(&self) -> Option<&str> {
        self.detail().and_then(|d| d.via.as_deref())
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

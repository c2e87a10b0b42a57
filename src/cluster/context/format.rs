//! The contexts file's format (`config.yaml`): serde structs, every value with the
//! position it was written at so errors point at it.

use crate::core::registry::spanned::Sp;
use serde::Deserialize;
use std::collections::BTreeMap;

/// The whole file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ConfigFile {
    /// The context used when neither `--context` nor `KTOPO_CONTEXT` names one.
    #[serde(default)]
    pub current_context: Option<Sp<String>>,
    #[serde(default)]
    pub contexts: BTreeMap<String, Sp<ContextFile>>,
}

/// One named cluster and what goes with it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ContextFile {
    /// A label shown instead of the broker list (`production (eu-west-1)`).
    #[serde(default)]
    pub cluster: Option<Sp<String>>,
    #[serde(default)]
    pub brokers: Option<Sp<String>>,
    /// librdkafka properties; a secret's value is `${ENV}`, or `KEY_file: PATH`.
    #[serde(default)]
    pub properties: BTreeMap<String, Sp<Scalar>>,
    /// A properties file (`-F`), relative to the config file's directory.
    #[serde(default)]
    pub properties_file: Option<Sp<String>>,
    #[serde(default)]
    pub schema_registry: Option<Sp<String>>,
    /// Kafka Connect REST URLs, `URL` or `NAME=URL`.
    #[serde(default)]
    pub connect: Vec<Sp<String>>,
    /// The registry file, relative to the config file's directory.
    #[serde(default)]
    pub registry: Option<Sp<String>>,
    /// The drift environment (`--env`).
    #[serde(default)]
    pub env: Option<Sp<String>>,
}

/// A property value: YAML writes `1000` and `true` unquoted; librdkafka takes text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scalar(pub String);

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Scalar;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a text, number or boolean property value")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

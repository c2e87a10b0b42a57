//! Schema Registry records, pure: the Confluent wire format (`wire`), and records
//! decoded to JSON with the schema's own field names: Avro (`avro`), Protobuf
//! (`protobuf`), JSON Schema (the JSON after the header). The schema texts come from
//! the cluster layer's client; nothing here does I/O.

pub mod avro;
pub mod framing;
pub mod protobuf;
pub mod wire;

use serde_json::Value;

/// A schema's type, as the registry's `schemaType` names it (absent: Avro).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Avro,
    Protobuf,
    Json,
}

impl Format {
    /// From the registry's `schemaType`.
    pub fn from_schema_type(t: Option<&str>) -> Option<Format> {
        match t.map(str::to_ascii_uppercase).as_deref() {
            None | Some("AVRO") => Some(Format::Avro),
            Some("PROTOBUF") => Some(Format::Protobuf),
            Some("JSON") => Some(Format::Json),
            Some(_) => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Format::Avro => "avro",
            Format::Protobuf => "protobuf",
            Format::Json => "json",
        }
    }
}

/// How far a record may take the decoder.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Nesting of values (records, arrays, unions, references).
    pub max_depth: usize,
    /// Values in one record (nulls take no bytes, so bytes alone do not bound them).
    pub max_values: usize,
    /// Bytes of a decoded record as JSON text.
    pub max_json: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_depth: 64,
            max_values: 200_000,
            max_json: 1 << 20,
        }
    }
}

/// Bytes of schema text accepted from the registry (a schema and its references each).
pub const MAX_SCHEMA_BYTES: usize = 1 << 20;

/// Why a schema cannot decode anything.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SchemaError {
    #[error("the schema does not parse: {0}")]
    Parse(String),
    #[error("schema text of {0} bytes is over the {MAX_SCHEMA_BYTES} byte cap")]
    TooLarge(usize),
    #[error("unknown schemaType `{0}` (AVRO, PROTOBUF or JSON)")]
    UnknownType(String),
}

/// A schema as the registry serves it: its type, its text, and the texts of the
/// schemas it references by name (Protobuf import paths; Avro names).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    pub format: Format,
    pub schema: String,
    pub references: Vec<(String, String)>,
}

/// A schema ready to decode records.
pub enum Compiled {
    Avro(Box<avro::Compiled>),
    Protobuf(protobuf::Compiled),
    Json,
}

/// Parse or compile a schema, its size checked first.
pub fn compile(t: &Text) -> Result<Compiled, SchemaError> {
    for s in std::iter::once(&t.schema).chain(t.references.iter().map(|(_, s)| s)) {
        if s.len() > MAX_SCHEMA_BYTES {
            return Err(SchemaError::TooLarge(s.len()));
        }
    }
    Ok(match t.format {
        Format::Avro => {
            let refs: Vec<String> = t.references.iter().map(|(_, s)| s.clone()).collect();
            Compiled::Avro(Box::new(avro::compile(&t.schema, &refs)?))
        }
        Format::Protobuf => Compiled::Protobuf(protobuf::compile(&t.schema, &t.references)?),
        Format::Json => {
            // The schema must at least be JSON; records are not validated against it.
            serde_json::from_str::<serde::de::IgnoredAny>(&t.schema)
                .map_err(|e| SchemaError::Parse(format!("JSON Schema: {e}")))?;
            Compiled::Json
        }
    })
}

/// A decoded record, and for Protobuf the message that decoded it.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    pub value: Value,
    pub message: Option<String>,
}

/// Decode the record after the wire-format header (Protobuf's index path included).
pub fn decode(c: &Compiled, body: &[u8], limits: &Limits) -> Result<Record, String> {
    let (value, message) = match c {
        Compiled::Avro(a) => (a.decode(body, limits)?, None),
        Compiled::Protobuf(p) => {
            let (path, rest) = wire::message_indexes(body).map_err(|e| e.to_string())?;
            let (name, v) = p.decode(&path, rest)?;
            (v, Some(name))
        }
        Compiled::Json => (
            serde_json::from_slice(body).map_err(|e| format!("not JSON after the header: {e}"))?,
            None,
        ),
    };
    let size = serde_json::to_vec(&value).map_or(usize::MAX, |v| v.len());
    if size > limits.max_json {
        return Err(format!(
            "decoded record of {size} bytes is over the {} byte cap",
            limits.max_json
        ));
    }
    Ok(Record { value, message })
}

/// Which schema a record was decoded with, as far as the registry said.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
pub struct About {
    /// `id 7` or `guid …`, as the record named it.
    pub named: String,
    pub id: Option<u32>,
    pub guid: Option<String>,
    pub subject: Option<String>,
    pub version: Option<u32>,
    pub format: Option<Format>,
}

impl About {
    /// `id 7 · orders-value v3 · avro`, for a line of its own.
    pub fn line(&self) -> String {
        let mut parts = vec![self.named.clone()];
        if let Some(s) = &self.subject {
            parts.push(match self.version {
                Some(v) => format!("{s} v{v}"),
                None => s.clone(),
            });
        }
        if let Some(f) = self.format {
            parts.push(f.name().to_string());
        }
        crate::core::visible::one_line(&parts.join(" · ")).into_owned()
    }
}

/// What became of one key or value.
#[derive(Debug, Clone, PartialEq)]
pub enum Decoding {
    /// Not in wire format: shown as bytes.
    Plain,
    Decoded {
        about: About,
        record: Record,
    },
    /// In wire format, but not decoded: why, for the person reading.
    Failed {
        about: Option<About>,
        note: String,
    },
}

//! Avro records decoded to readable JSON by walking the schema `apache-avro` parsed
//! (named types and references resolved there): our own walk, so that depth, item
//! counts and output are bounded however the bytes or a recursive schema try.
//! Unions give the chosen branch's plain value; logical types read as people write
//! them (dates, timestamps in RFC 3339, decimals as exact strings, UUIDs); bytes and
//! fixed as base64.

use super::{Limits, SchemaError};
use apache_avro::schema::{Name, Namespace, ResolvedSchema, Schema};
use serde_json::{Map, Value};
use std::collections::HashMap;

/// A parsed schema with its references, ready to decode records.
pub struct Compiled {
    schema: Schema,
    /// Every named type of the schema and its references, by full name.
    names: HashMap<Name, Schema>,
}

/// Parse a schema and the schemas it references (their texts, as the registry serves
/// them).
pub fn compile(text: &str, references: &[String]) -> Result<Compiled, SchemaError> {
    let (schema, others) =
        Schema::parse_str_with_list(text, references.iter()).map_err(|e| SchemaError::Parse(format!("Avro: {e}")))?;
    // Every name must resolve now, not at the first record; references first, as
    // names resolve in order.
    let all: Vec<&Schema> = others.iter().chain(std::iter::once(&schema)).collect();
    let names = ResolvedSchema::try_from(all)
        .map_err(|e| SchemaError::Parse(format!("Avro: {e}")))?
        .get_names()
        .iter()
        .map(|(n, s)| (n.clone(), (*s).clone()))
        .collect();
    Ok(Compiled { schema, names })
}

impl Compiled {
    /// One record as JSON; every byte must belong to it.
    pub fn decode(&self, bytes: &[u8], limits: &Limits) -> Result<Value, String> {
        let mut w = Walk {
            names: &self.names,
            rest: bytes,
            nodes: 0,
            limits,
        };
        let v = w.value(&self.schema, &None, 0)?;
        if !w.rest.is_empty() {
            return Err(format!("{} bytes left after the record", w.rest.len()));
        }
        Ok(v)
    }
}

struct Walk<'a> {
    names: &'a HashMap<Name, Schema>,
    rest: &'a [u8],
    /// Values made so far: items that take no bytes (nulls) cannot grow without bound.
    nodes: usize,
    limits: &'a Limits,
}

impl Walk<'_> {
    fn take(&mut self, n: usize) -> Result<&[u8], String> {
        if n > self.rest.len() {
            let want = crate::core::words::count(n, "byte", "bytes");
            return Err(format!("truncated: {want} wanted, {} left", self.rest.len()));
        }
        let (a, b) = self.rest.split_at(n);
        self.rest = b;
        Ok(a)
    }

    fn long(&mut self) -> Result<i64, String> {
        let mut v: u64 = 0;
        for shift in 0..10 {
            let b = self.take(1)?[0];
            v |= u64::from(b & 0x7f) << (7 * shift);
            if b & 0x80 == 0 {
                return Ok((v >> 1) as i64 ^ -((v & 1) as i64));
            }
        }
        Err("a varint longer than 10 bytes".into())
    }

    fn int(&mut self) -> Result<i32, String> {
        let v = self.long()?;
        i32::try_from(v).map_err(|_| format!("int out of range: {v}"))
    }

    fn len(&mut self) -> Result<usize, String> {
        let n = self.long()?;
        usize::try_from(n).map_err(|_| format!("negative length {n}"))
    }

    fn bytes(&mut self) -> Result<Vec<u8>, String> {
        let n = self.len()?;
        Ok(self.take(n)?.to_vec())
    }

    fn string(&mut self) -> Result<String, String> {
        let b = self.bytes()?;
        String::from_utf8(b).map_err(|_| "a string that is not UTF-8".into())
    }

    fn count(&mut self) -> Result<(), String> {
        self.nodes += 1;
        if self.nodes > self.limits.max_values {
            return Err(format!("more than {} values in one record", self.limits.max_values));
        }
        Ok(())
    }

    /// Block counts of an array or a map, each block read by `item`.
    fn blocks(&mut self, mut item: impl FnMut(&mut Self) -> Result<(), String>) -> Result<(), String> {
        loop {
            let mut n = self.long()?;
            if n == 0 {
                return Ok(());
            }
            if n < 0 {
                // A negative count is followed by the block's size in bytes.
                n = n.checked_neg().ok_or("block count out of range")?;
                self.len()?;
            }
            for _ in 0..n {
                self.count()?;
                item(self)?;
            }
        }
    }

    fn value(&mut self, s: &Schema, ns: &Namespace, depth: usize) -> Result<Value, String> {
        if depth > self.limits.max_depth {
            return Err(format!("nested deeper than {} levels", self.limits.max_depth));
        }
        self.count()?;
        let d = depth + 1;
        Ok(match s {
            Schema::Null => Value::Null,
            Schema::Boolean => match self.take(1)?[0] {
                0 => Value::Bool(false),
                1 => Value::Bool(true),
                b => return Err(format!("boolean byte {b}")),
            },
            Schema::Int => self.int()?.into(),
            Schema::Long => self.long()?.into(),
            Schema::Float => {
                let b = self.take(4)?;
                float(f64::from(f32::from_le_bytes([b[0], b[1], b[2], b[3]])))
            }
            Schema::Double => {
                let b: [u8; 8] = self.take(8)?.try_into().map_err(|_| "double")?;
                float(f64::from_le_bytes(b))
            }
            Schema::Bytes => base64(&self.bytes()?),
            Schema::String => self.string()?.into(),
            Schema::Uuid => {
                let b = self.bytes()?;
                match <[u8; 16]>::try_from(b.as_slice()) {
                    Ok(g) => super::wire::guid(&g).into(),
                    Err(_) => String::from_utf8(b).map_err(|_| "a uuid that is not UTF-8")?.into(),
                }
            }
            Schema::Array(a) => {
                let mut out = Vec::new();
                self.blocks(|w| {
                    out.push(w.value(&a.items, ns, d)?);
                    Ok(())
                })?;
                Value::Array(out)
            }
            Schema::Map(m) => {
                let mut out = Map::new();
                self.blocks(|w| {
                    let k = w.string()?;
                    let v = w.value(&m.types, ns, d)?;
                    out.insert(k, v);
                    Ok(())
                })?;
                Value::Object(out)
            }
            Schema::Union(u) => {
                let i = self.long()?;
                let branch = usize::try_from(i)
                    .ok()
                    .and_then(|i| u.variants().get(i))
                    .ok_or_else(|| format!("union branch {i} of {}", u.variants().len()))?;
                self.value(branch, ns, d)?
            }
            Schema::Record(r) => {
                let inner = &r.name.namespace.clone().or_else(|| ns.clone());
                let mut out = Map::new();
                for f in &r.fields {
                    let v = self.value(&f.schema, inner, d)?;
                    out.insert(f.name.clone(), v);
                }
                Value::Object(out)
            }
            Schema::Enum(e) => {
                let i = self.long()?;
                usize::try_from(i)
                    .ok()
                    .and_then(|i| e.symbols.get(i))
                    .ok_or_else(|| format!("enum symbol {i} of {}", e.symbols.len()))?
                    .clone()
                    .into()
            }
            Schema::Fixed(f) => base64(self.take(f.size)?),
            Schema::Decimal(dec) => {
                let raw = match &*dec.inner {
                    Schema::Fixed(f) => self.take(f.size)?.to_vec(),
                    _ => self.bytes()?,
                };
                decimal(&raw, dec.scale)
            }
            Schema::BigDecimal => base64(&self.bytes()?),
            Schema::Date => {
                let days = self.int()?;
                jiff::civil::Date::new(1970, 1, 1)
                    .ok()
                    .and_then(|e| e.checked_add(jiff::Span::new().days(days)).ok())
                    .map_or(Value::from(days), |d| d.to_string().into())
            }
            Schema::TimeMillis => time_of_day(i64::from(self.int()?) * 1_000_000),
            Schema::TimeMicros => time_of_day(self.long()?.saturating_mul(1000)),
            Schema::TimestampMillis | Schema::LocalTimestampMillis => instant(
                i128::from(self.long()?) * 1_000_000,
                matches!(s, Schema::TimestampMillis),
            ),
            Schema::TimestampMicros | Schema::LocalTimestampMicros => {
                instant(i128::from(self.long()?) * 1000, matches!(s, Schema::TimestampMicros))
            }
            Schema::TimestampNanos | Schema::LocalTimestampNanos => {
                instant(i128::from(self.long()?), matches!(s, Schema::TimestampNanos))
            }
            Schema::Duration => {
                let b = self.take(12)?;
                let u = |i: usize| u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]);
                serde_json::json!({ "months": u(0), "days": u(4), "millis": u(8) })
            }
            Schema::Ref { name } => {
                let full: Name = name.fully_qualified_name(ns);
                let target = self
                    .names
                    .get(&full)
                    .ok_or_else(|| format!("unknown type {}", full.fullname(None)))?;
                self.value(target, &full.namespace, d)?
            }
        })
    }
}

/// JSON has no NaN or infinities: those are written as strings.
fn float(f: f64) -> Value {
    serde_json::Number::from_f64(f).map_or_else(|| Value::String(f.to_string()), Value::Number)
}

fn base64(b: &[u8]) -> Value {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(b).into()
}

/// An exact decimal string from the big-endian two's-complement unscaled value.
fn decimal(raw: &[u8], scale: usize) -> Value {
    if raw.len() > 16 || raw.is_empty() {
        return base64(raw);
    }
    let fill = if raw[0] & 0x80 != 0 { 0xff } else { 0 };
    let mut b = [fill; 16];
    b[16 - raw.len()..].copy_from_slice(raw);
    let n = i128::from_be_bytes(b);
    let digits = n.unsigned_abs().to_string();
    let sign = if n < 0 { "-" } else { "" };
    if scale == 0 {
        return format!("{sign}{digits}").into();
    }
    let padded = format!("{digits:0>width$}", width = scale + 1);
    let (int, frac) = padded.split_at(padded.len() - scale);
    format!("{sign}{int}.{frac}").into()
}

fn time_of_day(nanos: i64) -> Value {
    jiff::civil::Time::MIN
        .checked_add(jiff::SignedDuration::from_nanos(nanos))
        .ok()
        .filter(|_| (0..86_400_000_000_000).contains(&nanos))
        .map_or(Value::from(nanos), |t| t.to_string().into())
}

/// RFC 3339 in UTC (`Z`) for an instant; a local timestamp without the zone.
fn instant(nanos: i128, utc: bool) -> Value {
    match jiff::Timestamp::from_nanosecond(nanos) {
        Ok(t) if utc => t.to_string().into(),
        Ok(t) => t.to_zoned(jiff::tz::TimeZone::UTC).datetime().to_string().into(),
        Err(_) => Value::String(nanos.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits() -> Limits {
        Limits::default()
    }

    #[test]
    fn decimals_are_exact() {
        assert_eq!(decimal(&[0x30, 0x39], 2), Value::from("123.45"));
        assert_eq!(decimal(&[0xff, 0xfe], 3), Value::from("-0.002"));
        assert_eq!(decimal(&[7], 0), Value::from("7"));
    }

    #[test]
    fn a_recursive_schema_stops_at_the_depth_cap() {
        let c = compile(
            r#"{"type":"record","name":"Node","fields":[{"name":"next","type":["null","Node"]}]}"#,
            &[],
        )
        .unwrap();
        // Branch 1 (Node) a thousand times, then null.
        let mut b = vec![2u8; 1000];
        b.push(0);
        let e = c.decode(&b, &limits()).unwrap_err();
        assert!(e.contains("deeper than"), "{e}");
        assert_eq!(
            c.decode(&[2, 2, 0], &limits()).unwrap(),
            serde_json::json!({"next": {"next": {"next": null}}})
        );
    }

    #[test]
    fn null_items_cannot_grow_without_bound() {
        let c = compile(r#"{"type":"array","items":"null"}"#, &[]).unwrap();
        // A block of 2^62 nulls costs 9 bytes.
        let b = [0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f, 0];
        let e = c.decode(&b, &limits()).unwrap_err();
        assert!(e.contains("more than"), "{e}");
    }
}

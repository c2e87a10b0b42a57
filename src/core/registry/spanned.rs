//! Values that remember where they were written: [`Sp`] a value, [`Keyed`] a mapping
//! whose keys findings point at. Generic over what they hold: the format's types use
//! them, they know none of the format's types.

use super::loc::Loc;
use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde::de::{value::MapAccessDeserializer, DeserializeSeed, Deserializer, IntoDeserializer, MapAccess, Visitor};
use serde::Deserialize;
use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

/// The position the parser reports, as a [`Loc`].
pub fn loc(l: serde_saphyr::Location) -> Loc {
    let span = l.span();
    Loc {
        line: l.line() as u32,
        col: l.column() as u32,
        offset: span.byte_offset().unwrap_or(0) as u32,
        len: span.byte_len().unwrap_or(0) as u32,
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
            loc: loc(s.referenced),
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
/// A mapping read into `T`, with where each of its keys is written: a finding about a
/// value can point at its key (`partitions:` under `topic_defaults`) even where the
/// value came from a default.
#[derive(Debug, Default)]
pub struct Keyed<T> {
    pub value: T,
    /// Each key as written, in file order.
    pub keys: Vec<(String, Loc)>,
}

impl<T> Keyed<T> {
    /// Where `key` is written, if it is.
    pub fn key(&self, key: &str) -> Option<Loc> {
        self.keys.iter().find(|(k, _)| k == key).map(|(_, l)| *l)
    }
}

impl<T> std::ops::Deref for Keyed<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Keyed<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = Keyed<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a mapping")
            }
            fn visit_map<A: MapAccess<'de>>(self, m: A) -> Result<Keyed<T>, A::Error> {
                let mut keys = Vec::new();
                let value = T::deserialize(MapAccessDeserializer::new(KeysNoted {
                    inner: m,
                    keys: &mut keys,
                }))?;
                Ok(Keyed { value, keys })
            }
        }
        d.deserialize_map(V(PhantomData))
    }
}

/// Hands a mapping on to `T`'s own deserializer, noting where each key is written.
struct KeysNoted<'k, A> {
    inner: A,
    keys: &'k mut Vec<(String, Loc)>,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for KeysNoted<'_, A> {
    type Error = A::Error;
    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, A::Error> {
        let Some(key) = self.inner.next_key::<Sp<String>>()? else {
            return Ok(None);
        };
        self.keys.push((key.value.clone(), key.loc));
        seed.deserialize(key.value.into_deserializer()).map(Some)
    }
    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        self.inner.next_value_seed(seed)
    }
    fn size_hint(&self) -> Option<usize> {
        self.inner.size_hint()
    }
}

impl<T: JsonSchema> JsonSchema for Keyed<T> {
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

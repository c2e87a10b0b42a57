//! Values that remember where they were written. Generic over what they hold: the
//! format's types use them, they know none of the format's types.

use super::loc::Loc;
use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde::de::Deserializer;
use serde::Deserialize;
use std::borrow::Cow;

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

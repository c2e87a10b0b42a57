//! The Confluent wire format, every length checked: a magic byte 0 and a big-endian
//! schema id before the record, or (Confluent Platform 8) the id in a header as 0x01
//! and a 16-byte GUID, the value then the bare record. Protobuf records start with
//! the message-index path.

/// Which schema a record names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SchemaRef {
    Id(u32),
    Guid([u8; 16]),
}

impl SchemaRef {
    /// `id 7`, or `guid 0f8fad5b-d9cb-469f-a165-70867728950e`.
    pub fn label(&self) -> String {
        match self {
            SchemaRef::Id(id) => format!("id {id}"),
            SchemaRef::Guid(g) => format!("guid {}", guid(g)),
        }
    }
}

/// A GUID as the registry writes it in URLs.
pub fn guid(g: &[u8; 16]) -> String {
    uuid::Uuid::from_bytes(*g).hyphenated().to_string()
}

/// A record in wire format: its schema and the encoded record after the header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Framed<'a> {
    pub schema: SchemaRef,
    pub body: &'a [u8],
}

/// Why bytes that claim the wire format cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WireError {
    #[error("truncated wire-format header: {0} of 5 bytes (magic byte 0, then a 4-byte schema id)")]
    Truncated(usize),
    #[error("schema-id header of {0} bytes: expected 0x01 and a 16-byte GUID, or 0x00 and a 4-byte id")]
    BadHeader(usize),
    #[error("Protobuf message indexes: {0}")]
    Indexes(&'static str),
}

/// The record header that names the value's schema (Confluent Platform 8).
pub const VALUE_HEADER: &str = "__value_schema_id";
/// The record header that names the key's schema.
pub const KEY_HEADER: &str = "__key_schema_id";

/// The schema a record names, from its header (when it has one) or its first bytes.
/// `Ok(None)`: not in wire format (no header, and no magic byte 0), shown as bytes.
pub fn frame<'a>(bytes: &'a [u8], header: Option<&[u8]>) -> Result<Option<Framed<'a>>, WireError> {
    if let Some(h) = header {
        return match h {
            [1, rest @ ..] if rest.len() == 16 => {
                let mut g = [0u8; 16];
                g.copy_from_slice(rest);
                Ok(Some(Framed {
                    schema: SchemaRef::Guid(g),
                    body: bytes,
                }))
            }
            [0, a, b, c, d] => Ok(Some(Framed {
                schema: SchemaRef::Id(u32::from_be_bytes([*a, *b, *c, *d])),
                body: bytes,
            })),
            _ => Err(WireError::BadHeader(h.len())),
        };
    }
    match bytes {
        [0, a, b, c, d, body @ ..] => Ok(Some(Framed {
            schema: SchemaRef::Id(u32::from_be_bytes([*a, *b, *c, *d])),
            body,
        })),
        [0, ..] => Err(WireError::Truncated(bytes.len())),
        _ => Ok(None),
    }
}

/// Deepest message-index path taken: Protobuf nesting is rarely past a handful.
pub const MAX_INDEXES: usize = 64;

/// The message-index path before a Protobuf record, and the record after it: a
/// zigzag-varint count then that many indexes; a count of 0 (the single byte 0x00)
/// stands for `[0]`, the file's first message.
pub fn message_indexes(body: &[u8]) -> Result<(Vec<usize>, &[u8]), WireError> {
    let mut rest = body;
    let count = zigzag(&mut rest)?;
    if count == 0 {
        return Ok((vec![0], rest));
    }
    if count < 0 {
        return Err(WireError::Indexes("negative count"));
    }
    if count as u64 > MAX_INDEXES as u64 {
        return Err(WireError::Indexes("more than 64 levels"));
    }
    let mut path = Vec::with_capacity(count as usize);
    for _ in 0..count {
        let i = zigzag(&mut rest)?;
        let i = usize::try_from(i).map_err(|_| WireError::Indexes("negative index"))?;
        path.push(i);
    }
    Ok((path, rest))
}

/// One zigzag varint (at most 10 bytes), consumed from `b`.
fn zigzag(b: &mut &[u8]) -> Result<i64, WireError> {
    let mut v: u64 = 0;
    for shift in 0..10 {
        let Some((&byte, rest)) = b.split_first() else {
            return Err(WireError::Indexes("truncated varint"));
        };
        *b = rest;
        v |= u64::from(byte & 0x7f) << (7 * shift);
        if byte & 0x80 == 0 {
            return Ok((v >> 1) as i64 ^ -((v & 1) as i64));
        }
    }
    Err(WireError::Indexes("varint longer than 10 bytes"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_forms_and_every_short_header() {
        assert_eq!(
            frame(&[0, 0, 0, 1, 2, 9, 9], None),
            Ok(Some(Framed {
                schema: SchemaRef::Id(258),
                body: &[9, 9]
            }))
        );
        assert_eq!(frame(b"{\"a\":1}", None), Ok(None));
        assert_eq!(frame(b"", None), Ok(None));
        for n in 1..5 {
            assert_eq!(frame(&[0u8; 5][..n], None), Err(WireError::Truncated(n)));
        }
        let mut h = vec![1u8];
        h.extend(1..=16u8);
        let f = frame(b"rec", Some(&h)).unwrap().unwrap();
        assert_eq!(f.body, b"rec");
        assert_eq!(f.schema.label(), "guid 01020304-0506-0708-090a-0b0c0d0e0f10");
        assert_eq!(frame(b"rec", Some(&h[..16])), Err(WireError::BadHeader(16)));
        assert_eq!(frame(b"", Some(&[2; 17])), Err(WireError::BadHeader(17)));
        assert_eq!(
            frame(b"r", Some(&[0, 0, 0, 0, 7])).unwrap().unwrap().schema,
            SchemaRef::Id(7)
        );
    }

    #[test]
    fn message_indexes_with_the_single_zero_shortcut() {
        assert_eq!(message_indexes(&[0, 8, 1]), Ok((vec![0], &[8u8, 1][..])));
        // [1, 0]: count 2, then 1 and 0, zigzag-encoded.
        assert_eq!(message_indexes(&[4, 2, 0, 8]), Ok((vec![1, 0], &[8u8][..])));
        assert_eq!(message_indexes(&[2, 6]), Ok((vec![3], &[][..])));
        assert!(message_indexes(&[]).is_err());
        assert!(message_indexes(&[4, 2]).is_err(), "truncated path");
        assert!(message_indexes(&[1]).is_err(), "negative count");
        assert!(message_indexes(&[2, 1]).is_err(), "negative index");
        assert!(message_indexes(&[0xff; 11]).is_err());
        assert!(message_indexes(&[200, 1]).is_err(), "a 100-level path");
    }
}

//! How the sampled values (and keys) of the topics that declare a subject are framed,
//! from the bytes as read: in wire format under which id, by which GUID, or not in
//! wire format. Counted before decoding (decoding replaces a value with its record's
//! JSON).

use super::wire;
use crate::core::sample::message::{Header, RawMessage};
use crate::core::sample::schemas::{At, Declared, Framing, Part};

/// One `Framing` per declared topic and part, in the order declared; a topic without
/// sampled messages has zero counts.
pub fn framing(declared: &[Declared], tails: &[(String, Vec<RawMessage>)]) -> Vec<Framing> {
    declared
        .iter()
        .map(|d| {
            let mut f = Framing {
                topic: d.topic.clone(),
                part: d.part,
                subject: d.subject.clone(),
                ..Framing::default()
            };
            let msgs = tails.iter().filter(|(t, _)| *t == d.topic).flat_map(|(_, m)| m);
            for m in msgs {
                let (bytes, header) = match d.part {
                    Part::Value => (m.value.as_deref(), header(m, wire::VALUE_HEADER)),
                    Part::Key => (m.key.as_ref().map(|k| k.bytes.as_slice()), header(m, wire::KEY_HEADER)),
                };
                let Some(bytes) = bytes else { continue };
                f.sampled += 1;
                let at = (m.partition, m.offset);
                match wire::frame(bytes, header) {
                    Ok(Some(w)) => match w.schema {
                        wire::SchemaRef::Id(id) => first(f.ids.entry(id).or_insert((0, at)), at),
                        wire::SchemaRef::Guid(g) => first(f.guids.entry(wire::guid(&g)).or_insert((0, at)), at),
                    },
                    // A header that does not parse is no wire format a deserializer reads.
                    Ok(None) | Err(_) => {
                        f.plain += 1;
                        f.first_plain = Some(f.first_plain.map_or(at, |p| p.min(at)));
                    }
                }
            }
            f
        })
        .collect()
}

/// One more, and the first by (partition, offset), whatever the read order.
fn first(e: &mut (usize, At), at: At) {
    e.0 += 1;
    e.1 = e.1.min(at);
}

fn header<'a>(m: &'a RawMessage, name: &str) -> Option<&'a [u8]> {
    m.headers.iter().find_map(|h| match h {
        Header::Kept(k, Some(v)) if k.bytes == name.as_bytes() => Some(v.bytes.as_slice()),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use crate::core::sample::message::RawMessage;
    use crate::core::sample::message::{Cut, Header};
    use crate::core::sample::schemas::{Declared, Part};

    fn msg(offset: i64, value: Option<&[u8]>) -> RawMessage {
        RawMessage {
            partition: 0,
            offset,
            timestamp_ms: None,
            key: None,
            headers: Vec::new(),
            value: value.map(<[u8]>::to_vec),
            value_len: value.map_or(0, <[u8]>::len),
            schema: None,
        }
    }

    #[test]
    fn framing_counts_ids_plain_values_and_truncated_headers_not_tombstones() {
        let declared = [Declared {
            topic: "t".into(),
            part: Part::Value,
            subject: "t-value".into(),
        }];
        let tails = vec![(
            "t".to_string(),
            vec![
                msg(4, Some(&[0, 0, 0, 0, 7, 1])),
                msg(2, Some(&[0, 0, 0, 0, 7])),
                msg(3, Some(b"{}")),
                msg(5, Some(&[0, 1])),
                msg(6, None),
                msg(1, Some(&[0, 0, 0, 0, 9, 2])),
            ],
        )];
        let f = &super::framing(&declared, &tails)[0];
        assert_eq!(f.sampled, 5, "the tombstone is not a value");
        assert_eq!(
            f.ids.get(&7),
            Some(&(2, (0, 2))),
            "the first by offset, whatever the order read"
        );
        assert_eq!(f.ids.get(&9), Some(&(1, (0, 1))));
        assert_eq!(
            (f.plain, f.first_plain),
            (2, Some((0, 3))),
            "JSON and a truncated header"
        );
    }

    #[test]
    fn framing_counts_guid_headers_and_keys_apart_from_values() {
        let declared = [
            Declared {
                topic: "t".into(),
                part: Part::Value,
                subject: "t-value".into(),
            },
            Declared {
                topic: "t".into(),
                part: Part::Key,
                subject: "t-key".into(),
            },
        ];
        let cut = |b: &[u8]| Cut {
            bytes: b.to_vec(),
            len: b.len(),
        };
        let named = |name: &str, v: &[u8]| Header::Kept(cut(name.as_bytes()), Some(cut(v)));
        let mut guid = vec![1u8];
        guid.extend([7u8; 16]);
        let mut a = msg(8, Some(b"bare record"));
        a.headers.push(named("__value_schema_id", &guid));
        a.key = Some(cut(&[0, 0, 0, 0, 3, 1]));
        let mut b = msg(6, Some(b"bare record"));
        b.headers.push(named("__value_schema_id", &guid));
        b.headers.push(named("__key_schema_id", &guid));
        b.key = Some(cut(b"bare key"));
        let mut c = msg(7, Some(&[0, 0, 0, 0, 3, 1]));
        c.key = Some(cut(b"plain key"));
        let tails = vec![("t".to_string(), vec![a, b, c, msg(9, None)])];
        let f = super::framing(&declared, &tails);
        let g = "07070707-0707-0707-0707-070707070707".to_string();
        assert_eq!((f[0].part, f[0].sampled, f[0].plain), (Part::Value, 3, 0));
        assert_eq!(f[0].guids.get(&g), Some(&(2, (0, 6))));
        assert_eq!(f[0].ids.get(&3), Some(&(1, (0, 7))));
        assert_eq!((f[1].part, f[1].subject.as_str()), (Part::Key, "t-key"));
        assert_eq!(f[1].sampled, 3, "a message without a key has no key");
        assert_eq!(f[1].guids.get(&g), Some(&(1, (0, 6))), "the key's own header");
        assert_eq!(f[1].ids.get(&3), Some(&(1, (0, 8))));
        assert_eq!((f[1].plain, f[1].first_plain), (1, Some((0, 7))));
    }
}

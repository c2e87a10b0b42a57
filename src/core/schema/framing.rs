//! How the sampled values of the topics that declare a subject are framed, from the
//! bytes as read: in wire format under which id, by GUID, or not in wire format.
//! Counted before decoding (decoding replaces a value with its record's JSON).

use super::wire;
use crate::core::sample::message::{Header, RawMessage};
use crate::core::sample::schemas::{Declared, Framing};

/// One `Framing` per declared topic, in the order declared; a topic without sampled
/// messages has zero counts.
pub fn framing(declared: &[Declared], tails: &[(String, Vec<RawMessage>)]) -> Vec<Framing> {
    declared
        .iter()
        .map(|d| {
            let mut f = Framing {
                topic: d.topic.clone(),
                subject: d.subject.clone(),
                ..Framing::default()
            };
            let msgs = tails.iter().filter(|(t, _)| *t == d.topic).flat_map(|(_, m)| m);
            for m in msgs {
                let Some(value) = &m.value else { continue };
                f.sampled += 1;
                let at = (m.partition, m.offset);
                match wire::frame(value, value_header(m)) {
                    Ok(Some(w)) => match w.schema {
                        wire::SchemaRef::Id(id) => {
                            // The first of each id by (partition, offset), whatever the read order.
                            let e = f.ids.entry(id).or_insert((0, at));
                            e.0 += 1;
                            e.1 = e.1.min(at);
                        }
                        wire::SchemaRef::Guid(_) => f.guids += 1,
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

fn value_header(m: &RawMessage) -> Option<&[u8]> {
    m.headers.iter().find_map(|h| match h {
        Header::Kept(k, Some(v)) if k.bytes == wire::VALUE_HEADER.as_bytes() => Some(v.bytes.as_slice()),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use crate::core::sample::message::RawMessage;
    use crate::core::sample::schemas::Declared;

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
}

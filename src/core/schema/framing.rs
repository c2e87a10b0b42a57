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

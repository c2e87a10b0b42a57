//! Messages as read from a topic, every byte field cut at a cap: what `ktopo peek` shows
//! and what the observed-events checks read from sampled tails. Plain data.

/// Bytes of a message cut at a cap (at a character boundary where they are UTF-8
/// text): those kept, and the full size.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
pub struct Cut {
    pub bytes: Vec<u8>,
    /// The full size in bytes.
    pub len: usize,
}

impl Cut {
    /// All of `b`, nothing cut.
    pub fn whole(b: &[u8]) -> Cut {
        Cut {
            bytes: b.to_vec(),
            len: b.len(),
        }
    }

    /// `b` cut at `cap` bytes, before a character `cap` would split.
    pub fn of(b: &[u8], cap: usize) -> Cut {
        Cut {
            bytes: b[..cut_at(b, cap)].to_vec(),
            len: b.len(),
        }
    }

    /// Bytes not kept.
    pub fn more(&self) -> usize {
        self.len.saturating_sub(self.bytes.len())
    }
}

/// A message's header, or how many of them were not kept.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub enum Header {
    /// Its name and value (`None`: a null value), each cut.
    Kept(Cut, Option<Cut>),
    /// The headers past the reader's count or byte caps: counted, not kept. Only ever
    /// the last entry.
    NotKept(usize),
}

/// One message read from a topic, its byte fields cut at the caps.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct RawMessage {
    pub partition: i32,
    pub offset: i64,
    pub timestamp_ms: Option<i64>,
    pub key: Option<Cut>,
    /// Names and values of all headers together are cut at the per-value cap.
    pub headers: Vec<Header>,
    /// The value, cut at the cap. Not a `Cut`, as code elsewhere builds messages with
    /// these two fields.
    pub value: Option<Vec<u8>>,
    /// The value's full size.
    pub value_len: usize,
    /// The schema that decoded a wire-format value (`id 7 · orders-value v3 · avro`),
    /// which `value` then holds as the record's JSON; None: the bytes as read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
}

impl RawMessage {
    /// Bytes kept of the key, the header names and values, and the value: what the caps
    /// count.
    pub fn kept(&self) -> usize {
        let headers: usize = self
            .headers
            .iter()
            .map(|h| match h {
                Header::Kept(name, value) => name.bytes.len() + value.as_ref().map_or(0, |v| v.bytes.len()),
                Header::NotKept(_) => 0,
            })
            .sum();
        self.key.as_ref().map_or(0, |k| k.bytes.len()) + headers + self.value.as_ref().map_or(0, Vec::len)
    }
}

/// Where to cut `b` to at most `cap` bytes without splitting a UTF-8 character: at
/// `cap`, or up to 3 bytes before it where a character that `cap` would split starts.
/// Bytes that are not text are cut at `cap`.
pub fn cut_at(b: &[u8], cap: usize) -> usize {
    if b.len() <= cap {
        return b.len();
    }
    for start in (cap.saturating_sub(3)..cap).rev() {
        let width = match b[start] {
            0x80..=0xBF => continue,
            0xC2..=0xDF => 2,
            0xE0..=0xEF => 3,
            0xF0..=0xF4 => 4,
            _ => return cap,
        };
        let split = start + width > cap
            && b.get(start..start + width)
                .is_some_and(|c| std::str::from_utf8(c).is_ok());
        return if split { start } else { cap };
    }
    cap
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_fall_between_characters() {
        let s = "xé€𝄞".as_bytes(); // 1, 2, 3 and 4 bytes
        let cuts: Vec<usize> = (0..=10).map(|cap| cut_at(s, cap)).collect();
        assert_eq!(cuts, [0, 1, 1, 3, 3, 3, 6, 6, 6, 6, 10]);
        // Not text: cut where the cap says; a valid character among other bytes is kept whole.
        assert_eq!(cut_at(&[0xff, 0xfe, 0xfd], 2), 2);
        assert_eq!(cut_at(&[0xff, 0xc3, 0xa9, 0x00], 2), 1);
        assert_eq!(
            cut_at(&[0x41, 0xe2, 0x82, 0x41], 2),
            2,
            "an invalid sequence is not backed off"
        );
        assert_eq!(cut_at(&[0x80, 0x80, 0x80, 0x80, 0x80], 4), 4);
        let c = Cut::of("aéb".as_bytes(), 2);
        assert_eq!((c.bytes, c.len), (b"a".to_vec(), 4));
    }
}

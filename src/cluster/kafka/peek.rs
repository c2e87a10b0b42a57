//! Peek, strictly read-only: the last N messages of a topic's partitions, read by
//! assigning partitions at explicit offsets with a client that has no group id, never
//! subscribes and never commits, so no group on the cluster changes. Bounded in
//! messages per partition, bytes kept per value and in all, and time.

use super::admin::{Admin, AdminError, ClientError, Spec};
use super::config::{scrub, Properties};
use rdkafka::consumer::Consumer;
use std::time::Duration;

/// Why nothing could be read.
#[derive(Debug, thiserror::Error)]
pub enum PeekError {
    #[error(transparent)]
    Client(#[from] ClientError),
    #[error("topic `{0}` does not exist on the cluster")]
    NoTopic(String),
    #[error("topic `{topic}` has no partition {partition} (it has {count})")]
    NoPartition {
        topic: String,
        partition: i32,
        count: usize,
    },
    #[error("offsets: {0}")]
    Offsets(AdminError),
    #[error(transparent)]
    Read(AdminError),
}

/// What to read.
#[derive(Debug, Clone)]
pub struct Request {
    pub topic: String,
    /// Messages per partition, from the end.
    pub last: u32,
    /// One partition, or all.
    pub partition: Option<i32>,
    pub timeout: Duration,
    /// Bytes kept of each key, of each value, and of a message's headers together
    /// (names and values): the rest is counted, not kept.
    pub value_cap: usize,
    /// Bytes kept in all, headers included; reading stops there.
    pub total_cap: usize,
}

pub use crate::cluster::schema_registry::decoder::Decoded;
/// One message as read; bytes are data from outside (see `visible` before showing).
pub use crate::core::sample::message::RawMessage as Peeked;
pub use crate::core::sample::message::{Cut, Header};
use crate::core::schema::Decoding;

/// Messages newest first, and notes on anything left unread (timeouts, caps).
pub fn peek(props: &Properties, req: &Request) -> Result<(Vec<Peeked>, Vec<String>), PeekError> {
    let mut cfg = props.to_client_config();
    // No group.id: this client cannot join, commit for or look up any group.
    cfg.set("enable.auto.commit", "false")
        .set("enable.auto.offset.store", "false")
        .set("enable.partition.eof", "false")
        .set("fetch.wait.max.ms", "10")
        .set("client.id", props.get("client.id").unwrap_or("ktopo-peek"))
        // librdkafka refuses a fetch.max.bytes below message.max.bytes (1,000,000).
        .set("fetch.max.bytes", req.total_cap.clamp(1_000_000, 50 << 20).to_string())
        .set(
            "max.partition.fetch.bytes",
            req.total_cap.clamp(1024, 10 << 20).to_string(),
        );
    let admin = Admin::create(&cfg).map_err(|e| ClientError::Create(scrub(&e.to_string(), props)))?;
    let md = admin
        .client()
        .fetch_metadata(Some(&req.topic), req.timeout)
        .map_err(|e| ClientError::Metadata(scrub(&e.to_string(), props)))?;
    let t = md
        .topics()
        .iter()
        .find(|t| t.name() == req.topic && t.error().is_none())
        .ok_or_else(|| PeekError::NoTopic(req.topic.clone()))?;
    let mut parts: Vec<i32> = t.partitions().iter().map(|p| p.id()).collect();
    if let Some(p) = req.partition {
        if !parts.contains(&p) {
            return Err(PeekError::NoPartition {
                topic: req.topic.clone(),
                partition: p,
                count: parts.len(),
            });
        }
        parts = vec![p];
    }
    let list: Vec<(&str, i32)> = parts.iter().map(|&p| (req.topic.as_str(), p)).collect();
    let offsets = admin.list_offsets(&list, &[Spec::Earliest, Spec::Latest], req.timeout);
    let bounds = |i: usize| -> Result<std::collections::HashMap<i32, i64>, PeekError> {
        let listed = offsets[i].as_ref().map_err(|e| PeekError::Offsets(e.clone()))?;
        Ok(listed
            .iter()
            .filter_map(|l| l.result.as_ref().ok().map(|r| (l.partition, r.0)))
            .collect())
    };
    let (low, high) = (bounds(0)?, bounds(1)?);
    let ranges: Vec<(i32, i64, i64)> = parts
        .iter()
        .filter_map(|p| {
            let (lo, hi) = (*low.get(p)?, *high.get(p)?);
            Some((*p, (hi - i64::from(req.last)).max(lo), hi))
        })
        .collect();
    let read = admin
        .read_ranges(&req.topic, &ranges, req.timeout, req.value_cap, req.total_cap)
        .map_err(PeekError::Read)?;
    let capped = read
        .capped
        .map(|cap| format!("stopped at the {} byte cap", grouped(cap)));
    let notes: Vec<String> = read.problems.iter().chain(&capped).map(|n| scrub(n, props)).collect();
    let mut out: Vec<Peeked> = read.messages;
    // Newest first, as a person reads a tail.
    out.sort_by(|a, b| {
        b.timestamp_ms
            .cmp(&a.timestamp_ms)
            .then(b.offset.cmp(&a.offset))
            .then(a.partition.cmp(&b.partition))
    });
    Ok((out, notes))
}

/// `2026-11-24T04:31:07.123Z` from milliseconds since the epoch.
pub use crate::core::time::rfc3339 as iso;

/// A count with thousands grouped: `1,234,567`.
pub fn grouped(n: usize) -> String {
    let digits = n.to_string();
    let mut o = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            o.push(',');
        }
        o.push(c);
    }
    o
}

/// ` … 1,234 more bytes` after a cut field, nothing after a whole one.
pub fn more(n: usize) -> String {
    match n {
        0 => String::new(),
        1 => " … 1 more byte".into(),
        n => format!(" … {} more bytes", grouped(n)),
    }
}

/// What is shown of a field, then what is not: `abc … 12 more bytes`, or only the
/// count when nothing is shown.
pub fn shown(text: String, not_shown: usize) -> String {
    if text.is_empty() {
        more(not_shown).trim_start().to_string()
    } else {
        text + &more(not_shown)
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect::<Vec<_>>().join(" ")
}

/// Bytes for a person: JSON objects and arrays re-indented (every token as written),
/// else text, else hex; control characters visible. Newlines stay: for values shown on
/// lines of their own.
pub fn show(bytes: &[u8]) -> String {
    let text = match std::str::from_utf8(bytes) {
        Ok(s) => pretty(s).unwrap_or_else(|| s.to_string()),
        Err(_) => hex(bytes),
    };
    crate::core::visible::escape(&text).into_owned()
}

/// Bytes for a field on one line (a key, a header): text, else hex, with newlines and
/// tabs escaped too, so that nothing in them starts a line.
pub fn line(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(s) => crate::core::visible::one_line(s).into_owned(),
        Err(_) => hex(bytes),
    }
}

/// A header name for one line; names are strings in Kafka, so shown as text always.
pub fn name(bytes: &[u8]) -> String {
    crate::core::visible::one_line(&String::from_utf8_lossy(bytes)).into_owned()
}

/// Levels of nesting that indent; deeper ones stay at this indentation, so the output
/// stays linear in the input however deep it nests.
const INDENTS: usize = 32;

/// A JSON object or array re-indented as `serde_json::to_string_pretty` would, each
/// token copied as written: numbers keep every digit (`1e400`, 30-digit integers), keys
/// keep their order and duplicates, strings their escapes. Parsing to a `Value` would
/// change all three and reject nesting deeper than 128; `IgnoredAny` validates without
/// recursion and without a depth limit, and re-indenting needs none either.
pub fn pretty(s: &str) -> Option<String> {
    let t = s.trim_start_matches([' ', '\t', '\n', '\r']);
    if !(t.starts_with('{') || t.starts_with('[')) || serde_json::from_str::<serde::de::IgnoredAny>(t).is_err() {
        return None;
    }
    let b = t.as_bytes();
    let ws = |c: u8| matches!(c, b' ' | b'\t' | b'\n' | b'\r');
    let mut o = String::with_capacity(t.len() * 2);
    let newline = |o: &mut String, depth: usize| {
        o.push('\n');
        o.extend(std::iter::repeat_n("  ", depth.min(INDENTS)));
    };
    let (mut i, mut depth) = (0, 0usize);
    while i < b.len() {
        match b[i] {
            c if ws(c) => i += 1,
            open @ (b'{' | b'[') => {
                let close = if open == b'{' { b'}' } else { b']' };
                let next = i + 1 + b[i + 1..].iter().take_while(|&&c| ws(c)).count();
                if b.get(next) == Some(&close) {
                    o.push(open as char);
                    o.push(close as char);
                    i = next + 1;
                } else {
                    o.push(open as char);
                    depth += 1;
                    newline(&mut o, depth);
                    i += 1;
                }
            }
            close @ (b'}' | b']') => {
                depth = depth.saturating_sub(1);
                newline(&mut o, depth);
                o.push(close as char);
                i += 1;
            }
            b',' => {
                o.push(',');
                newline(&mut o, depth);
                i += 1;
            }
            b':' => {
                o.push_str(": ");
                i += 1;
            }
            b'"' => {
                // To the closing quote; an escape's second byte is ASCII.
                let mut j = i + 1;
                while j < b.len() && b[j] != b'"' {
                    j += if b[j] == b'\\' { 2 } else { 1 };
                }
                let end = (j + 1).min(b.len());
                o.push_str(&t[i..end]);
                i = end;
            }
            _ => {
                // A number or a literal: up to the next delimiter.
                let len = b[i..]
                    .iter()
                    .take_while(|&&c| !ws(c) && !matches!(c, b',' | b':' | b'}' | b']'))
                    .count();
                o.push_str(&t[i..i + len]);
                i += len;
            }
        }
    }
    Some(o)
}

/// A message's value as one copyable text (what `y` copies in the TUI): UTF-8 with
/// control characters made visible, else hex.
pub fn value_text(m: &Peeked) -> String {
    match &m.value {
        None => String::new(),
        Some(v) => match std::str::from_utf8(v) {
            Ok(s) => crate::core::visible::escape(s).into_owned(),
            Err(_) => v.iter().map(|b| format!("{b:02x}")).collect(),
        },
    }
}

/// Where a value's lines start in `text`: a gutter, so that no line of a value can
/// pass for a message's header line, a header of it or a note.
const GUTTER: &str = "   │ ";

/// The messages as text, newest first. Only ktopo writes at the start of a line
/// (`── ` for each message, `note:`, the count); whatever a message holds is on
/// indented lines below its own, keys and headers on one line each.
pub fn text(topic: &str, msgs: &[Peeked], notes: &[String]) -> String {
    text_decoded(topic, msgs, &[], notes)
}

/// `text`, with each message's key and value as its Schema Registry decoding says
/// (`decoded[i]` for `msgs[i]`; none: as bytes): the schema on a line of its own, the
/// record as JSON in the gutter, or why it was not decoded and the bytes.
pub fn text_decoded(topic: &str, msgs: &[Peeked], decoded: &[Decoded], notes: &[String]) -> String {
    use std::fmt::Write;
    let mut o = String::new();
    for (i, m) in msgs.iter().enumerate() {
        let d = decoded.get(i);
        let ts = m.timestamp_ms.map_or("-".into(), iso);
        let key = match (d.map(|d| &d.key), &m.key) {
            (Some(Decoding::Decoded { record, .. }), _) => {
                crate::core::visible::one_line(&record.value.to_string()).into_owned()
            }
            (_, k) => k.as_ref().map_or("-".into(), |k| shown(line(&k.bytes), k.more())),
        };
        let _ = writeln!(
            o,
            "── {} [{}] @{} · {ts} · key {key}",
            crate::core::visible::one_line(topic),
            m.partition,
            m.offset
        );
        for h in &m.headers {
            let _ = match h {
                Header::Kept(k, v) => writeln!(
                    o,
                    "   {}: {}",
                    shown(name(&k.bytes), k.more()),
                    v.as_ref().map_or("-".into(), |v| shown(line(&v.bytes), v.more()))
                ),
                Header::NotKept(n) => writeln!(o, "   … {} more headers not kept", grouped(*n)),
            };
        }
        if let Some(d) = d {
            about_lines(&mut o, "key", &d.key);
            about_lines(&mut o, "value", &d.value);
        }
        match (d.map(|d| &d.value), &m.value) {
            (Some(Decoding::Decoded { record, .. }), _) => {
                let pretty = serde_json::to_string_pretty(&record.value).unwrap_or_default();
                gutter(&mut o, &crate::core::visible::escape(&pretty));
                continue;
            }
            // Wire-format bytes are binary: their first bytes in hex say enough.
            (Some(Decoding::Failed { .. }), Some(v)) => {
                let head = &v[..v.len().min(FAILED_HEX)];
                gutter(&mut o, &shown(hex(head), m.value_len.saturating_sub(head.len())));
                continue;
            }
            _ => {}
        }
        match &m.value {
            None => {
                let _ = writeln!(o, "   (no value: a tombstone)");
            }
            Some(v) => {
                for l in show(v).split('\n') {
                    // An empty line gets the gutter without its trailing space.
                    let gutter = if l.is_empty() { GUTTER.trim_end() } else { GUTTER };
                    let _ = writeln!(o, "{gutter}{l}");
                }
                if m.value_len > v.len() {
                    let _ = writeln!(o, "  {} not shown", more(m.value_len - v.len()));
                }
            }
        }
    }
    for n in notes {
        let _ = writeln!(o, "note: {}", crate::core::visible::one_line(n));
    }
    let _ = writeln!(
        o,
        "{} from {}",
        crate::core::words::count(msgs.len(), "message", "messages"),
        crate::core::visible::one_line(topic)
    );
    o
}

/// The messages as JSON: bytes as UTF-8 text where they are, else base-16 (`hex`),
/// with the bytes not kept (`more_bytes`); headers past the caps counted in
/// `headers_not_kept`.
pub fn json(topic: &str, msgs: &[Peeked], notes: &[String]) -> serde_json::Value {
    json_decoded(topic, msgs, &[], notes)
}

/// `json`, with `key_decoded` and `value_decoded` for each message of `decoded`:
/// null when not in wire format, else the schema, and the record or why not.
pub fn json_decoded(topic: &str, msgs: &[Peeked], decoded: &[Decoded], notes: &[String]) -> serde_json::Value {
    let field = |b: &[u8], more: usize| -> serde_json::Value {
        match std::str::from_utf8(b) {
            Ok(s) => serde_json::json!({ "text": s, "more_bytes": more }),
            Err(_) => {
                serde_json::json!({ "hex": b.iter().map(|x| format!("{x:02x}")).collect::<String>(), "more_bytes": more })
            }
        }
    };
    let cut = |c: &Option<Cut>| {
        c.as_ref()
            .map_or(serde_json::Value::Null, |c| field(&c.bytes, c.more()))
    };
    let messages: Vec<_> = msgs
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let d = decoded.get(i);
            let headers: Vec<_> = m
                .headers
                .iter()
                .filter_map(|h| match h {
                    Header::Kept(k, v) => Some(serde_json::json!({
                        "key": String::from_utf8_lossy(&k.bytes), "key_more_bytes": k.more(), "value": cut(v),
                    })),
                    Header::NotKept(_) => None,
                })
                .collect();
            let not_kept: usize = m
                .headers
                .iter()
                .map(|h| if let Header::NotKept(n) = h { *n } else { 0 })
                .sum();
            let value = m.value.as_ref().map_or(serde_json::Value::Null, |v| {
                field(v, m.value_len.saturating_sub(v.len()))
            });
            let mut o = serde_json::json!({
                "partition": m.partition, "offset": m.offset, "timestamp_ms": m.timestamp_ms,
                "key": cut(&m.key), "headers": headers, "headers_not_kept": not_kept,
                "value": value, "value_len": m.value_len,
            });
            if let Some(d) = d {
                o["key_decoded"] = decoding_json(&d.key);
                o["value_decoded"] = decoding_json(&d.value);
            }
            o
        })
        .collect();
    serde_json::json!({ "topic": topic, "messages": messages, "notes": notes })
}

/// Bytes of a value that did not decode shown, in hex.
const FAILED_HEX: usize = 64;

/// A value's lines behind the gutter.
fn gutter(o: &mut String, text: &str) {
    use std::fmt::Write;
    for l in text.split('\n') {
        // An empty line gets the gutter without its trailing space.
        let g = if l.is_empty() { GUTTER.trim_end() } else { GUTTER };
        let _ = writeln!(o, "{g}{l}");
    }
}

/// `   value schema: id 7 · orders-value v3 · avro`, or why it was not decoded.
fn about_lines(o: &mut String, what: &str, d: &Decoding) {
    use std::fmt::Write;
    let one = |s: &str| crate::core::visible::one_line(s).into_owned();
    match d {
        Decoding::Plain => {}
        Decoding::Decoded { about, record } => {
            let message = record
                .message
                .as_deref()
                .map(|m| format!(" · {}", one(m)))
                .unwrap_or_default();
            let _ = writeln!(o, "   {what} schema: {}{message}", about.line());
        }
        Decoding::Failed { about, note } => {
            if let Some(a) = about {
                let _ = writeln!(o, "   {what} schema: {}", a.line());
            }
            let _ = writeln!(o, "   {what} not decoded: {}", one(note));
        }
    }
}

/// A decoding for `--json`.
fn decoding_json(d: &Decoding) -> serde_json::Value {
    match d {
        Decoding::Plain => serde_json::Value::Null,
        Decoding::Decoded { about, record } => serde_json::json!({
            "schema": about, "message": record.message, "record": record.value,
        }),
        Decoding::Failed { about, note } => serde_json::json!({ "schema": about, "note": note }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_is_reindented_as_written() {
        let s = r#" {"n":123456789012345678901234567890,"e":1e400,"f":-1.50E+3,"a":1,"a":[true,null,{}],
            "s":"x,y:}]\"{[","u":"\u00e9", "empty" : [ ] }"#;
        let want = r#"{
  "n": 123456789012345678901234567890,
  "e": 1e400,
  "f": -1.50E+3,
  "a": 1,
  "a": [
    true,
    null,
    {}
  ],
  "s": "x,y:}]\"{[",
  "u": "\u00e9",
  "empty": []
}"#;
        assert_eq!(pretty(s).as_deref(), Some(want));
        // What serde_json would print, where parsing changes nothing.
        for doc in [
            r#"[1,"a",{"b":[{"c":{}}],"d":[]},-0.5,false]"#,
            r#"{"a b":{"c":"\n"}}"#,
            "[[[]]]",
        ] {
            let v: serde_json::Value = serde_json::from_str(doc).unwrap();
            assert_eq!(pretty(doc).unwrap(), serde_json::to_string_pretty(&v).unwrap(), "{doc}");
        }
    }

    #[test]
    fn deep_json_is_pretty_and_the_output_stays_linear() {
        let deep = format!("{}1{}", "[".repeat(100_000), "]".repeat(100_000));
        let out = pretty(&deep).expect("valid, however deep");
        assert_eq!(out.lines().count(), 200_001);
        assert!(out.len() < deep.len() * (2 * INDENTS + 2), "{} bytes", out.len());
        assert!(out.contains(&format!("\n{}1\n", "  ".repeat(INDENTS))));
    }

    #[test]
    fn only_valid_objects_and_arrays_are_reindented() {
        for s in [
            "12",
            "\"a\"",
            "[1,]",
            "{\"a\":1} x",
            "[01]",
            "{\"a\"}",
            "[\"\u{1}\"]",
            "",
            "[",
            "]",
        ] {
            assert_eq!(pretty(s), None, "{s:?}");
        }
        assert_eq!(show(b"[1,\n2]"), "[\n  1,\n  2\n]");
        assert_eq!(show(b"1e400"), "1e400");
        assert_eq!(show(&[0xff, 0x41]), "ff 41");
    }

    #[test]
    fn cuts_are_said_with_their_size() {
        assert_eq!(
            [0, 999, 1000, 1_234_567].map(grouped),
            ["0", "999", "1,000", "1,234,567"]
        );
        assert_eq!(shown("abc".into(), 1234), "abc … 1,234 more bytes");
        assert_eq!(shown(String::new(), 1), "… 1 more byte");
        assert_eq!(shown("abc".into(), 0), "abc");
        assert_eq!(line(b"a\nb\t\x1b"), "a\\nb\\t\\u{1b}");
        assert_eq!(name(&[b'a', 0xff, b'\n']), "a\u{fffd}\\n");
    }
}

//! Peek, strictly read-only: the last N messages of a topic's partitions, read by
//! assigning partitions at explicit offsets with a client that has no group id, never
//! subscribes and never commits, so no group on the cluster changes. Bounded in
//! messages per partition, bytes kept per value and in all, and time.

use super::admin::{Admin, Spec};
use super::config::{scrub, Properties};
use rdkafka::consumer::Consumer;
use std::time::Duration;

/// What to read.
#[derive(Debug, Clone)]
pub struct Request {
    pub topic: String,
    /// Messages per partition, from the end.
    pub last: u32,
    /// One partition, or all.
    pub partition: Option<i32>,
    pub timeout: Duration,
    /// Bytes kept of each key, header and value (the rest is counted, not kept).
    pub value_cap: usize,
    /// Bytes kept in all; reading stops there.
    pub total_cap: usize,
}

/// One message as read; bytes are data from outside (see `visible` before showing).
pub use super::admin::RawMessage as Peeked;

/// Messages newest first, and notes on anything left unread (timeouts, caps).
pub fn peek(props: &Properties, req: &Request) -> Result<(Vec<Peeked>, Vec<String>), String> {
    let mut cfg = props.to_client_config();
    // No group.id: this client cannot join, commit for or look up any group.
    cfg.set("enable.auto.commit", "false")
        .set("enable.auto.offset.store", "false")
        .set("enable.partition.eof", "false")
        .set("fetch.wait.max.ms", "10")
        .set("client.id", props.get("client.id").unwrap_or("ktopo-peek"))
        .set("fetch.max.bytes", req.total_cap.clamp(1024, 50 << 20).to_string())
        .set(
            "max.partition.fetch.bytes",
            req.total_cap.clamp(1024, 10 << 20).to_string(),
        );
    let admin = Admin::create(&cfg).map_err(|e| scrub(&format!("cannot create a Kafka client: {e}"), props))?;
    let md = admin
        .client()
        .fetch_metadata(Some(&req.topic), req.timeout)
        .map_err(|e| scrub(&format!("metadata: {e}"), props))?;
    let t = md
        .topics()
        .iter()
        .find(|t| t.name() == req.topic && t.error().is_none())
        .ok_or_else(|| format!("topic `{}` does not exist on the cluster", req.topic))?;
    let mut parts: Vec<i32> = t.partitions().iter().map(|p| p.id()).collect();
    if let Some(p) = req.partition {
        if !parts.contains(&p) {
            return Err(format!(
                "topic `{}` has no partition {p} (it has {})",
                req.topic,
                parts.len()
            ));
        }
        parts = vec![p];
    }
    let list: Vec<(&str, i32)> = parts.iter().map(|&p| (req.topic.as_str(), p)).collect();
    let offsets = admin.list_offsets(&list, &[Spec::Earliest, Spec::Latest], req.timeout);
    let bounds = |i: usize| -> Result<std::collections::HashMap<i32, i64>, String> {
        let listed = offsets[i].as_ref().map_err(|e| format!("offsets: {e}"))?;
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
    let (raw, notes) = admin.read_ranges(&req.topic, &ranges, req.timeout, req.value_cap, req.total_cap)?;
    let notes: Vec<String> = notes.iter().map(|n| scrub(n, props)).collect();
    let mut out: Vec<Peeked> = raw;
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
pub fn iso(ms: i64) -> String {
    let (secs, milli) = (ms.div_euclid(1000), ms.rem_euclid(1000));
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Days to a civil date (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{milli:03}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Bytes for a person: pretty JSON, else text, else hex; control characters visible.
pub fn show(bytes: &[u8]) -> String {
    let text = match std::str::from_utf8(bytes) {
        Ok(s) => match serde_json::from_str::<serde_json::Value>(s) {
            Ok(v) if v.is_object() || v.is_array() => {
                serde_json::to_string_pretty(&v).unwrap_or_else(|_| s.to_string())
            }
            _ => s.to_string(),
        },
        Err(_) => bytes.iter().map(|b| format!("{b:02x}")).collect::<Vec<_>>().join(" "),
    };
    crate::visible::escape(&text).into_owned()
}

/// A message's value as one copyable text (what `y` copies in the TUI): UTF-8 with
/// control characters made visible, else hex.
pub fn value_text(m: &Peeked) -> String {
    match &m.value {
        None => String::new(),
        Some(v) => match std::str::from_utf8(v) {
            Ok(s) => crate::visible::escape(s).into_owned(),
            Err(_) => v.iter().map(|b| format!("{b:02x}")).collect(),
        },
    }
}

/// The messages as text, newest first.
pub fn text(topic: &str, msgs: &[Peeked], notes: &[String]) -> String {
    use std::fmt::Write;
    let mut o = String::new();
    for m in msgs {
        let ts = m.timestamp_ms.map_or("-".into(), iso);
        let key = m.key.as_deref().map_or("-".into(), show);
        let _ = writeln!(
            o,
            "── {} [{}] @{} · {ts} · key {key}",
            crate::visible::escape(topic),
            m.partition,
            m.offset
        );
        for (k, v) in &m.headers {
            let _ = writeln!(
                o,
                "   {}: {}",
                crate::visible::escape(k),
                v.as_deref().map_or("-".into(), show)
            );
        }
        match &m.value {
            None => {
                let _ = writeln!(o, "   (no value: a tombstone)");
            }
            Some(v) => {
                let _ = writeln!(o, "{}", show(v));
                if m.value_len > v.len() {
                    let _ = writeln!(o, "   … {} more bytes not shown", m.value_len - v.len());
                }
            }
        }
    }
    for n in notes {
        let _ = writeln!(o, "note: {}", crate::visible::escape(n));
    }
    let _ = writeln!(o, "{} messages from {}", msgs.len(), crate::visible::escape(topic));
    o
}

/// The messages as JSON: bytes as UTF-8 text where they are, else base-16 (`*_hex`).
pub fn json(topic: &str, msgs: &[Peeked], notes: &[String]) -> serde_json::Value {
    let field = |b: &Option<Vec<u8>>| -> serde_json::Value {
        match b {
            None => serde_json::Value::Null,
            Some(b) => match std::str::from_utf8(b) {
                Ok(s) => serde_json::json!({ "text": s }),
                Err(_) => serde_json::json!({ "hex": b.iter().map(|x| format!("{x:02x}")).collect::<String>() }),
            },
        }
    };
    let messages: Vec<_> = msgs
        .iter()
        .map(|m| {
            serde_json::json!({
                "partition": m.partition, "offset": m.offset, "timestamp_ms": m.timestamp_ms,
                "key": field(&m.key),
                "headers": m.headers.iter().map(|(k, v)| serde_json::json!({ "key": k, "value": field(v) })).collect::<Vec<_>>(),
                "value": field(&m.value), "value_len": m.value_len,
            })
        })
        .collect();
    serde_json::json!({ "topic": topic, "messages": messages, "notes": notes })
}

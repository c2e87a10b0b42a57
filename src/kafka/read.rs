//! Reading messages strictly read-only, for `ktopo peek` and the sampled tails the
//! observed-events checks use: librdkafka's simple consumer on the one Admin handle (no
//! group id, no subscription, no commit), every field cut at a cap.

use super::admin::{err_text, Admin, Queue};
use rdkafka::bindings as rd;
use std::ffi::{c_void, CStr, CString};
use std::time::{Duration, Instant};

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
    /// The headers past `HEADERS_KEPT` or past the byte caps: counted, not kept. Only
    /// ever the last entry.
    NotKept(usize),
}

/// Headers kept of one message; the rest are counted (`Header::NotKept`).
pub const HEADERS_KEPT: usize = 256;

/// What `Admin::read_ranges` read: the messages, what was cut (caps), and what could
/// not be read (partitions, timeouts, messages librdkafka could not decode).
#[derive(Debug, Default)]
pub struct Read {
    pub messages: Vec<RawMessage>,
    pub notes: Vec<String>,
    pub problems: Vec<String>,
}

/// One message read by `Admin::read_ranges`, its byte fields cut at the caps.
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

impl Admin {
    /// Read offsets [from, to) of each partition with librdkafka's simple consumer: no
    /// group id, no subscription, no commit, so no group on the cluster is involved
    /// (a consumer's `assign` needs a group id, and with one librdkafka looks up its
    /// coordinator). Stops at every range's end, at `timeout`, or at `total_cap` bytes
    /// kept. Of each message the key, the value and all headers together are each cut
    /// at `value_cap` bytes, and at what is left of `total_cap`.
    pub fn read_ranges(
        &self,
        topic: &str,
        ranges: &[(i32, i64, i64)],
        timeout: Duration,
        value_cap: usize,
        total_cap: usize,
    ) -> Result<Read, String> {
        let name = CString::new(topic).map_err(|_| "a topic name cannot contain NUL".to_string())?;
        // SAFETY: `rk` is live; the topic handle and queue are ours and released below,
        // after every partition was stopped.
        let rkt = unsafe { rd::rd_kafka_topic_new(self.rk(), name.as_ptr(), std::ptr::null_mut()) };
        if rkt.is_null() {
            return Err(format!("cannot open topic `{topic}`"));
        }
        let queue = Queue(unsafe { rd::rd_kafka_queue_new(self.rk()) });
        let mut left: std::collections::HashMap<i32, i64> = Default::default();
        let (mut notes, mut problems) = (Vec::new(), Vec::new());
        for &(p, from, to) in ranges.iter().filter(|r| r.1 < r.2) {
            // SAFETY: live topic handle and queue.
            if unsafe { rd::rd_kafka_consume_start_queue(rkt, p, from, queue.0) } == -1 {
                problems.push(format!("partition {p} could not be read"));
            } else {
                left.insert(p, to);
            }
        }
        let started: Vec<i32> = left.keys().copied().collect();
        let deadline = Instant::now() + timeout;
        let (mut out, mut kept) = (Vec::new(), 0usize);
        while !left.is_empty() {
            let Some(wait) = deadline.checked_duration_since(Instant::now()) else {
                problems.push(format!(
                    "stopped after {timeout:?}: {} partitions not read to the end",
                    left.len()
                ));
                break;
            };
            // SAFETY: polling our live queue; the message is destroyed below.
            let m = unsafe { rd::rd_kafka_consume_queue(queue.0, wait.as_millis().clamp(1, 200) as i32) };
            if m.is_null() {
                continue;
            }
            // SAFETY: `m` is a live message until destroyed; its buffers are copied.
            let read = unsafe { copy_message(m, value_cap, total_cap - kept) };
            unsafe { rd::rd_kafka_message_destroy(m) };
            match read {
                Err(rd::rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR__PARTITION_EOF) => {}
                // A message that cannot be read (a compression codec missing, a corrupt
                // batch) is no message to check: a problem, never silence.
                Err(code) => problems.push(err_text(code)),
                Ok(msg) => {
                    let end = ranges.iter().find(|r| r.0 == msg.partition).map_or(0, |r| r.2);
                    if msg.offset + 1 >= end {
                        left.remove(&msg.partition);
                    }
                    // Messages written after the range was fixed are not part of it.
                    if msg.offset < end {
                        kept += msg.kept();
                        out.push(msg);
                    }
                    if kept >= total_cap {
                        notes.push(format!("stopped at the {} byte cap", super::peek::grouped(total_cap)));
                        break;
                    }
                }
            }
        }
        for p in started {
            // SAFETY: stopping what was started on the live topic handle.
            unsafe { rd::rd_kafka_consume_stop(rkt, p) };
        }
        drop(queue);
        // SAFETY: created above; no partition is being consumed any more.
        unsafe { rd::rd_kafka_topic_destroy(rkt) };
        Ok(Read {
            messages: out,
            notes,
            problems,
        })
    }
}

/// A consumed message copied into owned memory (or its error code): the key, the value
/// and all headers together each cut at `cap` bytes, and all of them at `budget`.
///
/// SAFETY: `m` is a live message.
unsafe fn copy_message(
    m: *mut rd::rd_kafka_message_t,
    cap: usize,
    budget: usize,
) -> Result<RawMessage, rd::rd_kafka_resp_err_t> {
    let msg = &*m;
    if msg.err != rd::rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR_NO_ERROR {
        return Err(msg.err);
    }
    let mut left = budget;
    // `cap` and what is left of the budget: the bytes kept are taken from the budget.
    let take = |b: &[u8], cap: usize, left: &mut usize| -> Cut {
        let c = Cut::of(b, cap.min(*left));
        *left -= c.bytes.len();
        c
    };
    let slice = |p: *const c_void, len: usize| -> Option<&[u8]> {
        (!p.is_null()).then(|| {
            if len == 0 {
                &[][..]
            } else {
                std::slice::from_raw_parts(p as *const u8, len)
            }
        })
    };
    let key = slice(msg.key, msg.key_len).map(|k| take(k, cap, &mut left));
    let value = slice(msg.payload, msg.len).map(|v| take(v, cap, &mut left).bytes);
    let mut tstype = rd::rd_kafka_timestamp_type_t::RD_KAFKA_TIMESTAMP_NOT_AVAILABLE;
    let ts = rd::rd_kafka_message_timestamp(m, &mut tstype);
    let mut headers = Vec::new();
    let mut hdrs: *mut rd::rd_kafka_headers_t = std::ptr::null_mut();
    if rd::rd_kafka_message_headers(m, &mut hdrs) == rd::rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR_NO_ERROR
        && !hdrs.is_null()
    {
        let count = rd::rd_kafka_header_cnt(hdrs);
        // All headers of a message share one per-value cap, so many headers cannot
        // keep more than one value would.
        let mut hleft = cap.min(left);
        let mut not_kept = 0;
        for i in 0..count {
            if headers.len() == HEADERS_KEPT || hleft == 0 {
                not_kept += count - i;
                break;
            }
            let (mut name, mut value, mut size) = (std::ptr::null(), std::ptr::null(), 0usize);
            if rd::rd_kafka_header_get_all(hdrs, i, &mut name, &mut value, &mut size)
                != rd::rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR_NO_ERROR
            {
                not_kept += 1;
                continue;
            }
            let name = if name.is_null() {
                &[][..]
            } else {
                CStr::from_ptr(name).to_bytes()
            };
            let name = take(name, usize::MAX, &mut hleft);
            let value = slice(value, size).map(|v| take(v, usize::MAX, &mut hleft));
            headers.push(Header::Kept(name, value));
        }
        if not_kept > 0 {
            headers.push(Header::NotKept(not_kept));
        }
    }
    Ok(RawMessage {
        partition: msg.partition,
        offset: msg.offset,
        timestamp_ms: (ts >= 0).then_some(ts),
        key,
        headers,
        value,
        value_len: if msg.payload.is_null() { 0 } else { msg.len },
    })
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

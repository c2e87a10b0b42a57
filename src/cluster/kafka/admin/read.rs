//! Reading messages strictly read-only, for `ktopo peek` and the sampled tails the
//! observed-events checks use: librdkafka's simple consumer on the one Admin handle (no
//! group id, no subscription, no commit), every field cut at a cap.

use super::error::{AdminError, RdError};
use super::ffi::Queue;
use super::handle::Admin;
use crate::core::sample::message::{Cut, Header, RawMessage};
use rdkafka::bindings as rd;
use std::ffi::{c_void, CStr, CString};
use std::time::{Duration, Instant};

/// Headers kept of one message; the rest are counted (`Header::NotKept`).
pub const HEADERS_KEPT: usize = 256;

/// What `Admin::read_ranges` read: the messages, whether reading stopped at the byte
/// cap, and what could not be read (partitions, timeouts, messages librdkafka could not
/// decode).
#[derive(Debug, Default)]
pub struct Read {
    pub messages: Vec<RawMessage>,
    /// Reading stopped at this many bytes kept (the `total_cap` asked for).
    pub capped: Option<usize>,
    pub problems: Vec<String>,
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
    ) -> Result<Read, AdminError> {
        let name = CString::new(topic).map_err(|_| AdminError::NulInName)?;
        // SAFETY: `rk` is live; the topic handle and queue are ours and released below,
        // after every partition was stopped.
        let rkt = unsafe { rd::rd_kafka_topic_new(self.rk(), name.as_ptr(), std::ptr::null_mut()) };
        if rkt.is_null() {
            return Err(AdminError::CannotOpen(topic.to_string()));
        }
        let queue = Queue::new(self.rk());
        let mut left: std::collections::HashMap<i32, i64> = Default::default();
        let (mut capped, mut problems) = (None, Vec::new());
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
                    "stopped after {timeout:?}: {} not read to the end",
                    crate::core::words::count(left.len(), "partition", "partitions")
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
                Err(code) => problems.push(RdError::of(code).to_string()),
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
                        capped = Some(total_cap);
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
            capped,
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
        schema: None,
    })
}

//! Reading messages strictly read-only, for `ktopo peek` and the sampled tails the
//! observed-events checks use: librdkafka's simple consumer on the one Admin handle (no
//! group id, no subscription, no commit), every field cut at a cap.

use super::admin::{err_text, text, Admin, Queue};
use rdkafka::bindings as rd;
use std::ffi::{c_void, CString};
use std::time::{Duration, Instant};

/// One message read by `Admin::read_ranges`, its byte fields cut at a cap.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct RawMessage {
    pub partition: i32,
    pub offset: i64,
    pub timestamp_ms: Option<i64>,
    pub key: Option<Vec<u8>>,
    pub headers: Vec<(String, Option<Vec<u8>>)>,
    pub value: Option<Vec<u8>>,
    /// The value's full size (it is cut at the cap).
    pub value_len: usize,
}

impl Admin {
    /// Read offsets [from, to) of each partition with librdkafka's simple consumer: no
    /// group id, no subscription, no commit, so no group on the cluster is involved
    /// (a consumer's `assign` needs a group id, and with one librdkafka looks up its
    /// coordinator). Stops at every range's end, at `timeout`, or at `total_cap` bytes.
    pub fn read_ranges(
        &self,
        topic: &str,
        ranges: &[(i32, i64, i64)],
        timeout: Duration,
        value_cap: usize,
        total_cap: usize,
    ) -> Result<(Vec<RawMessage>, Vec<String>), String> {
        let name = CString::new(topic).map_err(|_| "a topic name cannot contain NUL".to_string())?;
        // SAFETY: `rk` is live; the topic handle and queue are ours and released below,
        // after every partition was stopped.
        let rkt = unsafe { rd::rd_kafka_topic_new(self.rk(), name.as_ptr(), std::ptr::null_mut()) };
        if rkt.is_null() {
            return Err(format!("cannot open topic `{topic}`"));
        }
        let queue = Queue(unsafe { rd::rd_kafka_queue_new(self.rk()) });
        let mut left: std::collections::HashMap<i32, i64> = Default::default();
        let mut notes = Vec::new();
        for &(p, from, to) in ranges.iter().filter(|r| r.1 < r.2) {
            // SAFETY: live topic handle and queue.
            if unsafe { rd::rd_kafka_consume_start_queue(rkt, p, from, queue.0) } == -1 {
                notes.push(format!("partition {p} could not be read"));
            } else {
                left.insert(p, to);
            }
        }
        let started: Vec<i32> = left.keys().copied().collect();
        let deadline = Instant::now() + timeout;
        let (mut out, mut kept) = (Vec::new(), 0usize);
        while !left.is_empty() {
            let Some(wait) = deadline.checked_duration_since(Instant::now()) else {
                notes.push(format!(
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
            let read = unsafe { copy_message(m, value_cap) };
            unsafe { rd::rd_kafka_message_destroy(m) };
            match read {
                Err(rd::rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR__PARTITION_EOF) => {}
                Err(code) => notes.push(err_text(code)),
                Ok(msg) => {
                    let end = ranges.iter().find(|r| r.0 == msg.partition).map_or(0, |r| r.2);
                    if msg.offset + 1 >= end {
                        left.remove(&msg.partition);
                    }
                    // Messages written after the range was fixed are not part of it.
                    if msg.offset < end {
                        kept += msg.value.as_ref().map_or(0, Vec::len) + msg.key.as_ref().map_or(0, Vec::len);
                        out.push(msg);
                    }
                    if kept >= total_cap {
                        notes.push(format!("stopped at the {total_cap} byte cap"));
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
        Ok((out, notes))
    }
}

/// A consumed message copied into owned memory (or its error code).
///
/// SAFETY: `m` is a live message.
unsafe fn copy_message(m: *mut rd::rd_kafka_message_t, cap: usize) -> Result<RawMessage, rd::rd_kafka_resp_err_t> {
    let msg = &*m;
    if msg.err != rd::rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR_NO_ERROR {
        return Err(msg.err);
    }
    let bytes = |p: *mut c_void, len: usize| -> Option<Vec<u8>> {
        (!p.is_null()).then(|| std::slice::from_raw_parts(p as *const u8, len.min(cap)).to_vec())
    };
    let mut tstype = rd::rd_kafka_timestamp_type_t::RD_KAFKA_TIMESTAMP_NOT_AVAILABLE;
    let ts = rd::rd_kafka_message_timestamp(m, &mut tstype);
    let mut headers = Vec::new();
    let mut hdrs: *mut rd::rd_kafka_headers_t = std::ptr::null_mut();
    if rd::rd_kafka_message_headers(m, &mut hdrs) == rd::rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR_NO_ERROR
        && !hdrs.is_null()
    {
        for i in 0..rd::rd_kafka_header_cnt(hdrs).min(256) {
            let (mut name, mut value, mut size) = (std::ptr::null(), std::ptr::null(), 0usize);
            if rd::rd_kafka_header_get_all(hdrs, i, &mut name, &mut value, &mut size)
                == rd::rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR_NO_ERROR
            {
                let v =
                    (!value.is_null()).then(|| std::slice::from_raw_parts(value as *const u8, size.min(cap)).to_vec());
                headers.push((text(name).chars().take(256).collect(), v));
            }
        }
    }
    Ok(RawMessage {
        partition: msg.partition,
        offset: msg.offset,
        timestamp_ms: (ts >= 0).then_some(ts),
        key: bytes(msg.key, msg.key_len),
        headers,
        value: bytes(msg.payload, msg.len),
        value_len: if msg.payload.is_null() { 0 } else { msg.len },
    })
}

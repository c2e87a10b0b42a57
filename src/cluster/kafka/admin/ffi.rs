//! The raw pieces every wrapper shares: owned librdkafka objects destroyed on drop, and
//! copies out of what an event owns. Safety: see the module doc of `admin`.

use super::error::{AdminError, RdError};
use rdkafka::bindings as rd;
use std::ffi::{c_char, CStr, CString};

/// Our queue for one batch of requests; destroyed on drop.
pub(super) struct Queue(pub(super) *mut rd::rd_kafka_queue_t);

impl Queue {
    /// A new queue on the live handle `rk`.
    pub(super) fn new(rk: *mut rd::rd_kafka_t) -> Queue {
        // SAFETY: `rk` is live (see the module doc); the queue is ours until dropped.
        Queue(unsafe { rd::rd_kafka_queue_new(rk) })
    }
}

impl Drop for Queue {
    fn drop(&mut self) {
        // SAFETY: the pointer came from rd_kafka_queue_new and is destroyed once.
        unsafe { rd::rd_kafka_queue_destroy(self.0) }
    }
}

/// An owned partition list, destroyed on drop.
pub(super) struct Partitions(pub(super) *mut rd::rd_kafka_topic_partition_list_t);

impl Partitions {
    pub(super) fn new<'a>(items: impl IntoIterator<Item = (&'a str, i32, i64)>) -> Partitions {
        // SAFETY: a fresh list; `add` copies the topic name, which lives for the call.
        unsafe {
            let list = rd::rd_kafka_topic_partition_list_new(0);
            for (topic, partition, offset) in items {
                let Ok(t) = CString::new(topic) else { continue };
                let el = rd::rd_kafka_topic_partition_list_add(list, t.as_ptr(), partition);
                (*el).offset = offset;
            }
            Partitions(list)
        }
    }
}

impl Drop for Partitions {
    fn drop(&mut self) {
        // SAFETY: created by rd_kafka_topic_partition_list_new, destroyed once.
        unsafe { rd::rd_kafka_topic_partition_list_destroy(self.0) }
    }
}

/// Copy a C string owned by librdkafka; null reads as "".
///
/// SAFETY: `p` is null or a NUL-terminated string valid for the duration of the call.
pub(super) unsafe fn text(p: *const c_char) -> String {
    if p.is_null() {
        String::new()
    } else {
        CStr::from_ptr(p).to_string_lossy().into_owned()
    }
}

/// A code that is not NO_ERROR, as an error.
pub(super) fn failure(code: rd::rd_kafka_resp_err_t) -> Option<RdError> {
    (code != rd::rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR_NO_ERROR).then(|| RdError::of(code))
}

/// An `rd_kafka_error_t` copied: its code and its words.
///
/// SAFETY: `e` is a live error object.
pub(super) unsafe fn error(e: *const rd::rd_kafka_error_t) -> RdError {
    RdError {
        code: rd::rd_kafka_error_code(e).into(),
        text: text(rd::rd_kafka_error_string(e)),
    }
}

/// The elements of a partition list owned by an event.
///
/// SAFETY: `list` is null or a valid list that outlives the returned slice.
pub(super) unsafe fn elements<'a>(
    list: *const rd::rd_kafka_topic_partition_list_t,
) -> &'a [rd::rd_kafka_topic_partition_t] {
    if list.is_null() || (*list).cnt <= 0 || (*list).elems.is_null() {
        return &[];
    }
    std::slice::from_raw_parts((*list).elems, (*list).cnt as usize)
}

/// A result array returned by librdkafka as (pointer, count).
///
/// SAFETY: `ptr` is null or points to `cnt` elements that outlive the returned slice.
pub(super) unsafe fn array<'a, T>(ptr: *mut *const T, cnt: usize) -> &'a [*const T] {
    if ptr.is_null() || cnt == 0 {
        &[]
    } else {
        std::slice::from_raw_parts(ptr as *const *const T, cnt)
    }
}

/// The request-level error of a result event, if any.
///
/// SAFETY: `ev` is a live event.
pub(super) unsafe fn event_error(ev: *mut rd::rd_kafka_event_t) -> Option<RdError> {
    let mut e = failure(rd::rd_kafka_event_error(ev))?;
    let s = text(rd::rd_kafka_event_error_string(ev));
    if !s.is_empty() {
        e.text = s;
    }
    Some(e)
}

/// What a result event holds: its request-level error, or its result of the type `get`
/// reads (an event of another type reads as null: an unexpected answer to `api`).
///
/// SAFETY: `ev` is a live event; the result belongs to it.
pub(super) unsafe fn event_result<T>(
    ev: *mut rd::rd_kafka_event_t,
    get: unsafe extern "C" fn(*mut rd::rd_kafka_event_t) -> *const T,
    api: &'static str,
) -> Result<*const T, AdminError> {
    if let Some(e) = event_error(ev) {
        return Err(e.into());
    }
    let r = get(ev);
    if r.is_null() {
        return Err(AdminError::Unexpected(api));
    }
    Ok(r)
}

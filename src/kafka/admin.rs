//! librdkafka's Admin API for consumer groups and offsets, which the rdkafka crate does
//! not wrap: ListConsumerGroups, DescribeConsumerGroups, ListConsumerGroupOffsets,
//! ListOffsets (and AlterConsumerGroupOffsets, used only by the demo's simulated
//! consumers). Every request of a batch goes out at once on ONE client handle and the
//! results come back as events on a queue of our own, so thousands of groups cost one
//! handle, its broker connections and a few round trips.
//!
//! This is the only `unsafe` code in ktopo. The invariants every block relies on:
//! - `rk` comes from a live rdkafka client that `Admin` owns, so it outlives every call;
//! - librdkafka copies request arguments (strings, partition lists, options) before the
//!   call returns, so we free ours right after submitting;
//! - pointers read out of a result event belong to that event and are only read (and
//!   copied into owned Rust values) before `rd_kafka_event_destroy`;
//! - a queue holds a reference of its own in librdkafka, so a request still in flight
//!   when we give up and destroy our handle on the queue completes harmlessly.

pub use super::read::RawMessage;
pub use crate::live::metrics::Member;
use rdkafka::bindings as rd;
use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::types::RDKafkaErrorCode;
use std::ffi::{c_char, c_void, CStr, CString};
use std::time::{Duration, Instant};

/// A group as ListConsumerGroups reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupListing {
    pub group: String,
    pub state: String,
    /// "Classic", "Consumer" (KIP-848) or "Unknown".
    pub kind: String,
    pub simple: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct GroupDescription {
    pub group: String,
    pub state: String,
    pub kind: String,
    pub assignor: String,
    pub coordinator: Option<i32>,
    pub members: Vec<Member>,
}

/// A group and the offsets to commit for it: (topic, partition, offset).
pub type GroupCommit<'a> = (String, Vec<(&'a str, i32, i64)>);
/// A group and the partitions to read its commits for (None: every one it has).
pub type OffsetsRequest<'a> = (String, Option<Vec<(&'a str, i32)>>);
/// (topic, partition, committed offset or None, this partition's error).
pub type CommittedRow = (String, i32, Option<i64>, Option<String>);

/// Which offset ListOffsets asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Spec {
    Earliest,
    Latest,
    /// The offset of the record with the newest timestamp (brokers 3.0+).
    MaxTimestamp,
}

impl Spec {
    fn code(self) -> i64 {
        match self {
            Spec::Earliest => -2,
            Spec::Latest => -1,
            Spec::MaxTimestamp => -3,
        }
    }
}

/// One partition's answer to ListOffsets: (offset, timestamp ms or -1) or its error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    pub topic: String,
    pub partition: i32,
    pub result: Result<(i64, i64), String>,
}

/// Admin requests outstanding at once. Tens of thousands at once (a registry declaring
/// 40,000 group-topic pairs) trip a use-after-free in librdkafka's coordinator request
/// path (confluentinc/librdkafka#4605, fix proposed in #5397) and abort the process;
/// a window keeps every request in flight that matters for speed.
const IN_FLIGHT: usize = 1_000;

/// Partitions per ListOffsets call.
const LIST_CHUNK: usize = 200;

/// A client handle used for admin requests (and metadata, through `client()`).
pub struct Admin {
    client: BaseConsumer<Transport>,
}

/// Remembers the last connection failure librdkafka logged, so an error can say why
/// (connection refused, timed out, name not resolved, TLS, authentication) rather than
/// only "BrokerTransportFailure". librdkafka logs from its own threads, so this works
/// without polling the client.
#[derive(Default)]
pub struct Transport {
    last: std::sync::Mutex<Option<String>>,
}

impl rdkafka::ClientContext for Transport {
    fn log(&self, level: rdkafka::config::RDKafkaLogLevel, fac: &str, message: &str) {
        use rdkafka::config::RDKafkaLogLevel as L;
        let serious = matches!(level, L::Emerg | L::Alert | L::Critical | L::Error | L::Warning);
        if serious && matches!(fac, "FAIL" | "ERROR" | "SASL" | "SSL" | "AUTH" | "BROKERFAIL") {
            // Without librdkafka's thread tag; bounded: a broker's name could be anything.
            let m = match message.strip_prefix("[thrd:").and_then(|r| r.split_once("]: ")) {
                Some((_, rest)) => rest,
                None => message,
            };
            let m: String = m.chars().take(300).collect();
            if let Ok(mut last) = self.last.lock() {
                *last = Some(m);
            }
        }
    }
    fn error(&self, _error: rdkafka::error::KafkaError, _reason: &str) {}
}

impl rdkafka::consumer::ConsumerContext for Transport {}

/// Our queue for one batch of requests; destroyed on drop.
pub(super) struct Queue(pub(super) *mut rd::rd_kafka_queue_t);

impl Drop for Queue {
    fn drop(&mut self) {
        // SAFETY: the pointer came from rd_kafka_queue_new and is destroyed once.
        unsafe { rd::rd_kafka_queue_destroy(self.0) }
    }
}

/// An owned partition list, destroyed on drop.
struct Partitions(*mut rd::rd_kafka_topic_partition_list_t);

impl Partitions {
    fn new<'a>(items: impl IntoIterator<Item = (&'a str, i32, i64)>) -> Partitions {
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

pub(super) fn err_text(code: rd::rd_kafka_resp_err_t) -> String {
    RDKafkaErrorCode::from(code).to_string()
}

/// The elements of a partition list owned by an event.
///
/// SAFETY: `list` is null or a valid list that outlives the returned slice.
unsafe fn elements<'a>(list: *const rd::rd_kafka_topic_partition_list_t) -> &'a [rd::rd_kafka_topic_partition_t] {
    if list.is_null() || (*list).cnt <= 0 || (*list).elems.is_null() {
        return &[];
    }
    std::slice::from_raw_parts((*list).elems, (*list).cnt as usize)
}

/// A result array returned by librdkafka as (pointer, count).
///
/// SAFETY: `ptr` is null or points to `cnt` elements that outlive the returned slice.
unsafe fn array<'a, T>(ptr: *mut *const T, cnt: usize) -> &'a [*const T] {
    if ptr.is_null() || cnt == 0 {
        &[]
    } else {
        std::slice::from_raw_parts(ptr as *const *const T, cnt)
    }
}

/// The request-level error of a result event, if any.
///
/// SAFETY: `ev` is a live event.
unsafe fn event_error(ev: *mut rd::rd_kafka_event_t) -> Option<String> {
    let code = rd::rd_kafka_event_error(ev);
    if code == rd::rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR_NO_ERROR {
        return None;
    }
    let s = text(rd::rd_kafka_event_error_string(ev));
    Some(if s.is_empty() { err_text(code) } else { s })
}

/// A (topic, partition) committed offset list copied out of an event.
///
/// SAFETY: as `elements`.
unsafe fn committed_list(list: *const rd::rd_kafka_topic_partition_list_t) -> Vec<CommittedRow> {
    elements(list)
        .iter()
        .map(|el| {
            let err = (el.err != rd::rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR_NO_ERROR).then(|| err_text(el.err));
            (text(el.topic), el.partition, (el.offset >= 0).then_some(el.offset), err)
        })
        .collect()
}

impl Admin {
    /// A handle from `config` (which must not carry a group.id for the sampler).
    pub fn create(config: &rdkafka::ClientConfig) -> Result<Admin, rdkafka::error::KafkaError> {
        Ok(Admin {
            client: config.create_with_context(Transport::default())?,
        })
    }

    /// The underlying client, for Metadata.
    pub fn client(&self) -> &BaseConsumer<Transport> {
        &self.client
    }

    /// The last connection failure librdkafka reported, if any. Its logs and errors wait
    /// on the client's queue; serving them cannot join a group (this handle has none).
    pub fn last_failure(&self) -> Option<String> {
        for _ in 0..64 {
            match self.client.poll(Duration::ZERO) {
                None => break,
                Some(Err(e)) => {
                    if let Ok(mut last) = self.client.context().last.lock() {
                        last.get_or_insert_with(|| e.to_string());
                    }
                }
                Some(Ok(_)) => {}
            }
        }
        self.client.context().last.lock().ok().and_then(|l| l.clone())
    }

    pub(super) fn rk(&self) -> *mut rd::rd_kafka_t {
        self.client.client().native_ptr()
    }

    /// Submit `n` requests, at most `IN_FLIGHT` outstanding at a time, each with
    /// options carrying its index, and collect one result event per request until all
    /// have answered or `timeout` (plus a grace for librdkafka's own timeout event)
    /// has passed since the last submission. `None`: no answer in time.
    fn batch<R>(
        &self,
        op: rd::rd_kafka_admin_op_t,
        n: usize,
        timeout: Duration,
        mut submit: impl FnMut(usize, *const rd::rd_kafka_AdminOptions_t, *mut rd::rd_kafka_queue_t),
        mut read: impl FnMut(usize, *mut rd::rd_kafka_event_t) -> R,
    ) -> Vec<Option<R>> {
        let mut out: Vec<Option<R>> = (0..n).map(|_| None).collect();
        if n == 0 {
            return out;
        }
        let ms = timeout.as_millis().clamp(1, i32::MAX as u128) as i32;
        // SAFETY: `rk` is live (see module doc); the queue is ours until dropped.
        let queue = Queue(unsafe { rd::rd_kafka_queue_new(self.rk()) });
        let mut send = |i: usize| {
            // SAFETY: options are created for this handle, used for one call (which
            // copies them) and destroyed right after. The opaque is an index, never
            // dereferenced; +1 keeps it non-null.
            unsafe {
                let opts = rd::rd_kafka_AdminOptions_new(self.rk(), op);
                let mut errbuf = [0 as c_char; 256];
                rd::rd_kafka_AdminOptions_set_request_timeout(opts, ms, errbuf.as_mut_ptr(), errbuf.len());
                rd::rd_kafka_AdminOptions_set_opaque(opts, (i + 1) as *mut c_void);
                submit(i, opts, queue.0);
                rd::rd_kafka_AdminOptions_destroy(opts);
            }
        };
        let mut sent = n.min(IN_FLIGHT);
        (0..sent).for_each(&mut send);
        let grace = timeout + Duration::from_millis(500);
        let mut deadline = Instant::now() + grace;
        let mut left = n;
        while left > 0 {
            let now = Instant::now();
            if now >= deadline {
                break;
            }
            let wait = (deadline - now).as_millis().clamp(1, 100) as i32;
            // SAFETY: polling our own live queue; the event is destroyed below.
            let ev = unsafe { rd::rd_kafka_queue_poll(queue.0, wait) };
            if ev.is_null() {
                continue;
            }
            // SAFETY: a live event; the opaque is the index we set.
            let idx = unsafe { rd::rd_kafka_event_opaque(ev) } as usize;
            if (1..=n).contains(&idx) && out[idx - 1].is_none() {
                out[idx - 1] = Some(read(idx - 1, ev));
                left -= 1;
                // One answered, one more goes out.
                if sent < n {
                    send(sent);
                    sent += 1;
                    deadline = Instant::now() + grace;
                }
            }
            // SAFETY: destroyed once, after `read` copied what it needs.
            unsafe { rd::rd_kafka_event_destroy(ev) };
        }
        out
    }

    /// Every group the cluster knows (ListGroups on every broker). Partial failures
    /// (one broker not answering) come back in the second element.
    pub fn list_groups(&self, timeout: Duration) -> Result<(Vec<GroupListing>, Vec<String>), String> {
        let res = self.batch(
            rd::rd_kafka_admin_op_t::RD_KAFKA_ADMIN_OP_LISTCONSUMERGROUPS,
            1,
            timeout,
            // SAFETY: live handle, options and queue (see `batch`).
            |_, opts, q| unsafe { rd::rd_kafka_ListConsumerGroups(self.rk(), opts, q) },
            // SAFETY: the result and its listings belong to the live event.
            |_, ev| unsafe {
                if let Some(e) = event_error(ev) {
                    return Err(e);
                }
                let r = rd::rd_kafka_event_ListConsumerGroups_result(ev);
                if r.is_null() {
                    return Err("unexpected answer to ListConsumerGroups".to_string());
                }
                let mut cnt = 0usize;
                let valid = array(rd::rd_kafka_ListConsumerGroups_result_valid(r, &mut cnt), cnt);
                let groups = valid
                    .iter()
                    .map(|&g| GroupListing {
                        group: text(rd::rd_kafka_ConsumerGroupListing_group_id(g)),
                        state: text(rd::rd_kafka_consumer_group_state_name(
                            rd::rd_kafka_ConsumerGroupListing_state(g),
                        )),
                        kind: text(rd::rd_kafka_consumer_group_type_name(
                            rd::rd_kafka_ConsumerGroupListing_type(g),
                        )),
                        simple: rd::rd_kafka_ConsumerGroupListing_is_simple_consumer_group(g) != 0,
                    })
                    .collect();
                let mut ecnt = 0usize;
                let errors = array(rd::rd_kafka_ListConsumerGroups_result_errors(r, &mut ecnt), ecnt)
                    .iter()
                    .map(|&e| text(rd::rd_kafka_error_string(e)))
                    .collect();
                Ok((groups, errors))
            },
        );
        res.into_iter()
            .next()
            .flatten()
            .unwrap_or_else(|| Err(format!("ListConsumerGroups: no answer within {timeout:?}")))
    }

    /// Describe groups (state, members, assignments), `chunk` groups per request, every
    /// request in flight at once. One result per group, in order.
    pub fn describe_groups(
        &self,
        groups: &[String],
        chunk: usize,
        timeout: Duration,
    ) -> Vec<Result<GroupDescription, String>> {
        let chunks: Vec<&[String]> = groups.chunks(chunk.max(1)).collect();
        let answers = self.batch(
            rd::rd_kafka_admin_op_t::RD_KAFKA_ADMIN_OP_DESCRIBECONSUMERGROUPS,
            chunks.len(),
            timeout,
            |i, opts, q| {
                let names: Vec<CString> = chunks[i].iter().filter_map(|g| CString::new(g.as_str()).ok()).collect();
                let mut ptrs: Vec<*const c_char> = names.iter().map(|c| c.as_ptr()).collect();
                // SAFETY: the name array lives for the call, which copies it.
                unsafe { rd::rd_kafka_DescribeConsumerGroups(self.rk(), ptrs.as_mut_ptr(), ptrs.len(), opts, q) }
            },
            // SAFETY: descriptions and members belong to the live event.
            |_, ev| unsafe {
                if let Some(e) = event_error(ev) {
                    return Err(e);
                }
                let r = rd::rd_kafka_event_DescribeConsumerGroups_result(ev);
                if r.is_null() {
                    return Err("unexpected answer to DescribeConsumerGroups".to_string());
                }
                let mut cnt = 0usize;
                Ok(
                    array(rd::rd_kafka_DescribeConsumerGroups_result_groups(r, &mut cnt), cnt)
                        .iter()
                        .map(|&d| describe_one(d))
                        .collect::<Vec<_>>(),
                )
            },
        );
        let mut by_name: std::collections::HashMap<String, Result<GroupDescription, String>> = Default::default();
        let mut failed: Vec<Option<String>> = vec![None; chunks.len()];
        for (i, a) in answers.into_iter().enumerate() {
            match a {
                Some(Ok(list)) => {
                    for (name, d) in list {
                        by_name.insert(name, d);
                    }
                }
                Some(Err(e)) => failed[i] = Some(e),
                None => failed[i] = Some(format!("DescribeConsumerGroups: no answer within {timeout:?}")),
            }
        }
        let mut out = Vec::with_capacity(groups.len());
        for (i, c) in chunks.iter().enumerate() {
            for g in c.iter() {
                out.push(match (&failed[i], by_name.remove(g)) {
                    (_, Some(d)) => d,
                    (Some(e), None) => Err(e.clone()),
                    (None, None) => Err("not in the broker's answer".to_string()),
                });
            }
        }
        out
    }

    /// Committed offsets of each group, one request per group, all in flight at once.
    /// `partitions[i]` None asks for every partition group i committed on (a real
    /// broker answers with all; librdkafka's mock cluster answers with none).
    pub fn group_offsets(
        &self,
        groups: &[OffsetsRequest],
        timeout: Duration,
    ) -> Vec<Result<Vec<CommittedRow>, String>> {
        let answers = self.batch(
            rd::rd_kafka_admin_op_t::RD_KAFKA_ADMIN_OP_LISTCONSUMERGROUPOFFSETS,
            groups.len(),
            timeout,
            |i, opts, q| {
                let (g, parts) = &groups[i];
                let Ok(name) = CString::new(g.as_str()) else { return };
                let list = parts
                    .as_ref()
                    .map(|ps| Partitions::new(ps.iter().map(|&(t, p)| (t, p, -1001))));
                let lp = list.as_ref().map_or(std::ptr::null(), |l| l.0 as *const _);
                // SAFETY: the request object copies the name and list; it is destroyed
                // after the call, which copies it again (see module doc).
                unsafe {
                    let mut req = rd::rd_kafka_ListConsumerGroupOffsets_new(name.as_ptr(), lp);
                    rd::rd_kafka_ListConsumerGroupOffsets(self.rk(), &mut req, 1, opts, q);
                    rd::rd_kafka_ListConsumerGroupOffsets_destroy(req);
                }
            },
            // SAFETY: group results and their lists belong to the live event.
            |_, ev| unsafe {
                if let Some(e) = event_error(ev) {
                    return Err(e);
                }
                let r = rd::rd_kafka_event_ListConsumerGroupOffsets_result(ev);
                if r.is_null() {
                    return Err("unexpected answer to ListConsumerGroupOffsets".to_string());
                }
                let mut cnt = 0usize;
                let res = array(rd::rd_kafka_ListConsumerGroupOffsets_result_groups(r, &mut cnt), cnt);
                let Some(&g) = res.first() else {
                    return Err("empty answer to ListConsumerGroupOffsets".to_string());
                };
                let e = rd::rd_kafka_group_result_error(g);
                if !e.is_null() {
                    return Err(text(rd::rd_kafka_error_string(e)));
                }
                Ok(committed_list(rd::rd_kafka_group_result_partitions(g)))
            },
        );
        answers
            .into_iter()
            .map(|a| a.unwrap_or_else(|| Err(format!("no answer within {timeout:?}"))))
            .collect()
    }

    /// ListOffsets for every partition under each spec, all requests in flight at once
    /// (librdkafka sends one request per leader broker for each). Large lists go in
    /// chunks of `LIST_CHUNK` partitions: librdkafka's per-call bookkeeping grows faster
    /// than linearly with the list. A partition whose leader fails carries its own
    /// error; the others are exact. One result per spec.
    pub fn list_offsets(
        &self,
        partitions: &[(&str, i32)],
        specs: &[Spec],
        timeout: Duration,
    ) -> Vec<Result<Vec<Listed>, String>> {
        let chunks: Vec<&[(&str, i32)]> = partitions.chunks(LIST_CHUNK).collect();
        let jobs: Vec<(usize, &[(&str, i32)])> = (0..specs.len())
            .flat_map(|s| chunks.iter().map(move |c| (s, *c)))
            .collect();
        let answers = self.batch(
            rd::rd_kafka_admin_op_t::RD_KAFKA_ADMIN_OP_LISTOFFSETS,
            jobs.len(),
            timeout,
            |i, opts, q| {
                let (spec, chunk) = jobs[i];
                let list = Partitions::new(chunk.iter().map(|&(t, p)| (t, p, specs[spec].code())));
                // SAFETY: the call copies the list, which we free on drop after it.
                unsafe { rd::rd_kafka_ListOffsets(self.rk(), list.0, opts, q) }
            },
            // SAFETY: result infos and their partitions belong to the live event.
            |_, ev| unsafe {
                if let Some(e) = event_error(ev) {
                    return Err(e);
                }
                let r = rd::rd_kafka_event_ListOffsets_result(ev);
                if r.is_null() {
                    return Err("unexpected answer to ListOffsets".to_string());
                }
                let mut cnt = 0usize;
                Ok(array(rd::rd_kafka_ListOffsets_result_infos(r, &mut cnt), cnt)
                    .iter()
                    .map(|&info| {
                        let tp = &*rd::rd_kafka_ListOffsetsResultInfo_topic_partition(info);
                        let result = if tp.err == rd::rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR_NO_ERROR {
                            Ok((tp.offset, rd::rd_kafka_ListOffsetsResultInfo_timestamp(info)))
                        } else {
                            Err(err_text(tp.err))
                        };
                        Listed {
                            topic: text(tp.topic),
                            partition: tp.partition,
                            result,
                        }
                    })
                    .collect::<Vec<_>>())
            },
        );
        let mut out: Vec<Result<Vec<Listed>, String>> = specs.iter().map(|_| Ok(Vec::new())).collect();
        for ((spec, chunk), a) in jobs.iter().zip(answers) {
            let a = a.unwrap_or_else(|| Err(format!("no answer within {timeout:?}")));
            match (&mut out[*spec], a) {
                (Ok(all), Ok(mut got)) => all.append(&mut got),
                // A chunk that failed as a whole: its partitions carry the error.
                (Ok(all), Err(e)) => all.extend(chunk.iter().map(|&(t, p)| Listed {
                    topic: t.to_string(),
                    partition: p,
                    result: Err(e.clone()),
                })),
                (Err(_), _) => {}
            }
        }
        out
    }

    /// Commit offsets for groups without joining them (AlterConsumerGroupOffsets). Only
    /// the demo cluster's simulated consumers use this; the sampler never writes.
    pub fn alter_group_offsets(&self, commits: &[GroupCommit], timeout: Duration) -> Vec<Result<(), String>> {
        let answers = self.batch(
            rd::rd_kafka_admin_op_t::RD_KAFKA_ADMIN_OP_ALTERCONSUMERGROUPOFFSETS,
            commits.len(),
            timeout,
            |i, opts, q| {
                let (g, offsets) = &commits[i];
                let Ok(name) = CString::new(g.as_str()) else { return };
                let list = Partitions::new(offsets.iter().copied());
                // SAFETY: as in `group_offsets`: everything is copied by the calls.
                unsafe {
                    let mut req = rd::rd_kafka_AlterConsumerGroupOffsets_new(name.as_ptr(), list.0);
                    rd::rd_kafka_AlterConsumerGroupOffsets(self.rk(), &mut req, 1, opts, q);
                    rd::rd_kafka_AlterConsumerGroupOffsets_destroy(req);
                }
            },
            // SAFETY: the event is live.
            |_, ev| unsafe { event_error(ev).map_or(Ok(()), Err) },
        );
        answers
            .into_iter()
            .map(|a| a.unwrap_or_else(|| Err(format!("no answer within {timeout:?}"))))
            .collect()
    }
}

impl Admin {
    /// The classic DescribeGroups view of one group (members, hosts, client ids and the
    /// consumer protocol's assignment), for brokers whose DescribeConsumerGroups answer
    /// omits the members of a classic group that ListGroups reports active.
    pub fn describe_classic(&self, group: &str, timeout: Duration) -> Result<GroupDescription, String> {
        let list = self
            .client
            .fetch_group_list(Some(group), timeout)
            .map_err(|e| e.to_string())?;
        let g = list
            .groups()
            .iter()
            .find(|g| g.name() == group)
            .ok_or_else(|| "not in the broker's answer".to_string())?;
        Ok(GroupDescription {
            group: group.to_string(),
            state: g.state().to_string(),
            kind: "Classic".into(),
            assignor: g.protocol().to_string(),
            coordinator: None,
            members: g
                .members()
                .iter()
                .map(|m| Member {
                    consumer_id: m.id().to_string(),
                    client_id: m.client_id().to_string(),
                    host: m.client_host().to_string(),
                    instance_id: None,
                    assignment: m.assignment().map(parse_assignment).unwrap_or_default(),
                })
                .collect(),
        })
    }
}

/// The consumer protocol's member assignment (version i16, then [topic string,
/// [partition i32]], then user data), read defensively: the bytes come from the
/// cluster, so every length is checked and anything malformed yields what was read.
pub fn parse_assignment(b: &[u8]) -> Vec<(String, i32)> {
    struct Reader<'a>(&'a [u8]);
    impl Reader<'_> {
        fn take(&mut self, n: usize) -> Option<&[u8]> {
            (self.0.len() >= n).then(|| {
                let (h, t) = self.0.split_at(n);
                self.0 = t;
                h
            })
        }
        fn i16(&mut self) -> Option<i16> {
            self.take(2).map(|b| i16::from_be_bytes([b[0], b[1]]))
        }
        fn i32(&mut self) -> Option<i32> {
            self.take(4).map(|b| i32::from_be_bytes([b[0], b[1], b[2], b[3]]))
        }
    }
    let mut r = Reader(b);
    let mut out = Vec::new();
    let _version = r.i16();
    let Some(topics) = r.i32() else { return out };
    for _ in 0..topics.max(0) {
        let Some(len) = r.i16() else { break };
        let Some(name) = r.take(len.max(0) as usize) else { break };
        let name = String::from_utf8_lossy(name).into_owned();
        let Some(n) = r.i32() else { break };
        for _ in 0..n.max(0) {
            let Some(p) = r.i32() else { return out };
            out.push((name.clone(), p));
        }
    }
    out
}

/// One group description copied out of its event.
///
/// SAFETY: `d` is a live description owned by a live event.
unsafe fn describe_one(
    d: *const rd::rd_kafka_ConsumerGroupDescription_t,
) -> (String, Result<GroupDescription, String>) {
    let name = text(rd::rd_kafka_ConsumerGroupDescription_group_id(d));
    let e = rd::rd_kafka_ConsumerGroupDescription_error(d);
    if !e.is_null() {
        return (name, Err(text(rd::rd_kafka_error_string(e))));
    }
    let members = (0..rd::rd_kafka_ConsumerGroupDescription_member_count(d))
        .map(|i| {
            let m = rd::rd_kafka_ConsumerGroupDescription_member(d, i);
            let a = rd::rd_kafka_MemberDescription_assignment(m);
            let parts = if a.is_null() {
                std::ptr::null()
            } else {
                rd::rd_kafka_MemberAssignment_partitions(a)
            };
            let instance = rd::rd_kafka_MemberDescription_group_instance_id(m);
            Member {
                consumer_id: text(rd::rd_kafka_MemberDescription_consumer_id(m)),
                client_id: text(rd::rd_kafka_MemberDescription_client_id(m)),
                host: text(rd::rd_kafka_MemberDescription_host(m)),
                instance_id: (!instance.is_null()).then(|| text(instance)),
                assignment: elements(parts)
                    .iter()
                    .map(|el| (text(el.topic), el.partition))
                    .collect(),
            }
        })
        .collect();
    let coord = rd::rd_kafka_ConsumerGroupDescription_coordinator(d);
    (
        name.clone(),
        Ok(GroupDescription {
            group: name,
            state: text(rd::rd_kafka_consumer_group_state_name(
                rd::rd_kafka_ConsumerGroupDescription_state(d),
            )),
            kind: text(rd::rd_kafka_consumer_group_type_name(
                rd::rd_kafka_ConsumerGroupDescription_type(d),
            )),
            assignor: text(rd::rd_kafka_ConsumerGroupDescription_partition_assignor(d)),
            coordinator: (!coord.is_null()).then(|| rd::rd_kafka_Node_id(coord)),
            members,
        }),
    )
}

/// The mock cluster behind a client created with `test.mock.num.brokers`. librdkafka's
/// mock API only queues an operation for the mock thread and waits for its reply, so it
/// may be called from any thread.
#[derive(Clone, Copy)]
struct MockPtr(*mut rd::rd_kafka_mock_cluster_t);
// SAFETY: see above: every call through it is a thread-safe queue operation.
unsafe impl Send for MockPtr {}
unsafe impl Sync for MockPtr {}

/// Create topics on the mock cluster owned by `client`, many at once. One at a time, a
/// creation can wait for the mock thread's one-second timer (its wake-up is sometimes
/// missed), which made a 300-topic demo take minutes to start; concurrent requests are
/// all served at the next wake-up.
pub fn create_mock_topics<C: rdkafka::ClientContext>(
    client: &rdkafka::client::Client<C>,
    topics: &[(String, i32)],
) -> Result<(), String> {
    // SAFETY: `client` is live for this call and owns the mock cluster (or has none).
    let mock = MockPtr(unsafe { rd::rd_kafka_handle_mock_cluster(client.native_ptr()) });
    if mock.0.is_null() {
        return Err("this client has no mock cluster".into());
    }
    let errors: Vec<String> = std::thread::scope(|s| {
        let jobs: Vec<_> = topics
            .chunks(topics.len().div_ceil(256).max(1))
            .map(|chunk| {
                s.spawn(move || {
                    let mock = mock;
                    chunk
                        .iter()
                        .filter_map(|(name, partitions)| {
                            let c = CString::new(name.as_str()).ok()?;
                            // SAFETY: the cluster outlives this scope (the client does);
                            // the call copies the name.
                            let err = unsafe { rd::rd_kafka_mock_topic_create(mock.0, c.as_ptr(), *partitions, 1) };
                            (err != rd::rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR_NO_ERROR)
                                .then(|| format!("cannot create topic {name}: {}", err_text(err)))
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        jobs.into_iter().flat_map(|j| j.join().unwrap_or_default()).collect()
    });
    errors.into_iter().next().map_or(Ok(()), Err)
}

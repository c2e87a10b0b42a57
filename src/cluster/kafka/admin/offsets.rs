//! Offsets: ListConsumerGroupOffsets (what groups committed), ListOffsets (log starts,
//! ends and newest timestamps), and AlterConsumerGroupOffsets (only the demo's
//! simulated consumers write).

use super::error::{AdminError, RdError};
use super::ffi::{array, elements, error, event_error, event_result, failure, text, Partitions};
use super::handle::Admin;
use rdkafka::bindings as rd;
use rdkafka::types::RDKafkaErrorCode;
use std::ffi::CString;
use std::time::Duration;

/// A group and the offsets to commit for it: (topic, partition, offset).
pub type GroupCommit<'a> = (String, Vec<(&'a str, i32, i64)>);
/// A group and the partitions to read its commits for (None: every one it has).
pub type OffsetsRequest<'a> = (String, Option<Vec<(&'a str, i32)>>);
/// (topic, partition, committed offset or None, this partition's error).
pub type CommittedRow = (String, i32, Option<i64>, Option<RDKafkaErrorCode>);

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
    pub result: Result<(i64, i64), AdminError>,
}

/// Partitions per ListOffsets call.
const LIST_CHUNK: usize = 200;

/// A (topic, partition) committed offset list copied out of an event.
///
/// SAFETY: as `elements`.
unsafe fn committed_list(list: *const rd::rd_kafka_topic_partition_list_t) -> Vec<CommittedRow> {
    elements(list)
        .iter()
        .map(|el| {
            let err = (el.err != rd::rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR_NO_ERROR).then(|| el.err.into());
            (text(el.topic), el.partition, (el.offset >= 0).then_some(el.offset), err)
        })
        .collect()
}

/// Each answer, or that none came within `timeout`.
fn answered<T>(answers: Vec<Option<Result<T, AdminError>>>, timeout: Duration) -> Vec<Result<T, AdminError>> {
    answers
        .into_iter()
        .map(|a| {
            a.unwrap_or(Err(AdminError::NoAnswer {
                api: None,
                within: timeout,
            }))
        })
        .collect()
}

impl Admin {
    /// Committed offsets of each group, one request per group, all in flight at once.
    /// `partitions[i]` None asks for every partition group i committed on (a real
    /// broker answers with all; librdkafka's mock cluster answers with none).
    pub fn group_offsets(
        &self,
        groups: &[OffsetsRequest],
        timeout: Duration,
    ) -> Vec<Result<Vec<CommittedRow>, AdminError>> {
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
                let r = event_result(
                    ev,
                    rd::rd_kafka_event_ListConsumerGroupOffsets_result,
                    "ListConsumerGroupOffsets",
                )?;
                let mut cnt = 0usize;
                let res = array(rd::rd_kafka_ListConsumerGroupOffsets_result_groups(r, &mut cnt), cnt);
                let Some(&g) = res.first() else {
                    return Err(AdminError::Empty("ListConsumerGroupOffsets"));
                };
                let e = rd::rd_kafka_group_result_error(g);
                if !e.is_null() {
                    return Err(error(e).into());
                }
                Ok(committed_list(rd::rd_kafka_group_result_partitions(g)))
            },
        );
        answered(answers, timeout)
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
    ) -> Vec<Result<Vec<Listed>, AdminError>> {
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
                let r = event_result(ev, rd::rd_kafka_event_ListOffsets_result, "ListOffsets")?;
                let mut cnt = 0usize;
                Ok(array(rd::rd_kafka_ListOffsets_result_infos(r, &mut cnt), cnt)
                    .iter()
                    .map(|&info| {
                        let tp = &*rd::rd_kafka_ListOffsetsResultInfo_topic_partition(info);
                        let result = match failure(tp.err) {
                            None => Ok((tp.offset, rd::rd_kafka_ListOffsetsResultInfo_timestamp(info))),
                            Some(e) => Err(e.into()),
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
        let mut out: Vec<Result<Vec<Listed>, AdminError>> = specs.iter().map(|_| Ok(Vec::new())).collect();
        for ((spec, chunk), a) in jobs.iter().zip(answered(answers, timeout)) {
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
    pub fn alter_group_offsets(&self, commits: &[GroupCommit], timeout: Duration) -> Vec<Result<(), AdminError>> {
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
            |_, ev| unsafe { event_error(ev).map_or(Ok(()), |e: RdError| Err(e.into())) },
        );
        answered(answers, timeout)
    }
}

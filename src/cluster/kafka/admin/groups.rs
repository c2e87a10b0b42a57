//! ListConsumerGroups and DescribeConsumerGroups (and the classic DescribeGroups view,
//! for brokers whose answer to the first omits a classic group's members).

use super::assignment::parse_assignment;
use super::error::{AdminError, RdError};
use super::ffi::{array, elements, error, event_result, text};
use super::handle::Admin;
use crate::core::sample::Member;
use rdkafka::bindings as rd;
use std::ffi::{c_char, CString};
use std::time::Duration;

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

impl Admin {
    /// Every group the cluster knows (ListGroups on every broker). Partial failures
    /// (one broker not answering) come back in the second element.
    pub fn list_groups(&self, timeout: Duration) -> Result<(Vec<GroupListing>, Vec<RdError>), AdminError> {
        let res = self.batch(
            rd::rd_kafka_admin_op_t::RD_KAFKA_ADMIN_OP_LISTCONSUMERGROUPS,
            1,
            timeout,
            // SAFETY: live handle, options and queue (see `batch`).
            |_, opts, q| unsafe { rd::rd_kafka_ListConsumerGroups(self.rk(), opts, q) },
            // SAFETY: the result and its listings belong to the live event.
            |_, ev| unsafe {
                let r = event_result(ev, rd::rd_kafka_event_ListConsumerGroups_result, "ListConsumerGroups")?;
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
                    .map(|&e| error(e))
                    .collect();
                Ok((groups, errors))
            },
        );
        res.into_iter().next().flatten().unwrap_or(Err(AdminError::NoAnswer {
            api: Some("ListConsumerGroups"),
            within: timeout,
        }))
    }

    /// Describe groups (state, members, assignments), `chunk` groups per request, every
    /// request in flight at once. One result per group, in order.
    pub fn describe_groups(
        &self,
        groups: &[String],
        chunk: usize,
        timeout: Duration,
    ) -> Vec<Result<GroupDescription, AdminError>> {
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
                let r = event_result(
                    ev,
                    rd::rd_kafka_event_DescribeConsumerGroups_result,
                    "DescribeConsumerGroups",
                )?;
                let mut cnt = 0usize;
                Ok(
                    array(rd::rd_kafka_DescribeConsumerGroups_result_groups(r, &mut cnt), cnt)
                        .iter()
                        .map(|&d| describe_one(d))
                        .collect::<Vec<_>>(),
                )
            },
        );
        let mut by_name: std::collections::HashMap<String, Result<GroupDescription, AdminError>> = Default::default();
        let mut failed: Vec<Option<AdminError>> = vec![None; chunks.len()];
        for (i, a) in answers.into_iter().enumerate() {
            match a {
                Some(Ok(list)) => {
                    for (name, d) in list {
                        by_name.insert(name, d);
                    }
                }
                Some(Err(e)) => failed[i] = Some(e),
                None => {
                    failed[i] = Some(AdminError::NoAnswer {
                        api: Some("DescribeConsumerGroups"),
                        within: timeout,
                    })
                }
            }
        }
        let mut out = Vec::with_capacity(groups.len());
        for (i, c) in chunks.iter().enumerate() {
            for g in c.iter() {
                out.push(match (&failed[i], by_name.remove(g)) {
                    (_, Some(d)) => d,
                    (Some(e), None) => Err(e.clone()),
                    (None, None) => Err(AdminError::NotInAnswer),
                });
            }
        }
        out
    }

    /// The classic DescribeGroups view of one group (members, hosts, client ids and the
    /// consumer protocol's assignment), for brokers whose DescribeConsumerGroups answer
    /// omits the members of a classic group that ListGroups reports active.
    pub fn describe_classic(&self, group: &str, timeout: Duration) -> Result<GroupDescription, AdminError> {
        use rdkafka::consumer::Consumer;
        let list = self.client().fetch_group_list(Some(group), timeout)?;
        let g = list
            .groups()
            .iter()
            .find(|g| g.name() == group)
            .ok_or(AdminError::NotInAnswer)?;
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

/// One group description copied out of its event.
///
/// SAFETY: `d` is a live description owned by a live event.
unsafe fn describe_one(
    d: *const rd::rd_kafka_ConsumerGroupDescription_t,
) -> (String, Result<GroupDescription, AdminError>) {
    let name = text(rd::rd_kafka_ConsumerGroupDescription_group_id(d));
    let e = rd::rd_kafka_ConsumerGroupDescription_error(d);
    if !e.is_null() {
        return (name, Err(error(e).into()));
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

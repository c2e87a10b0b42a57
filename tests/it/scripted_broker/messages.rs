//! The messages the scripted broker speaks: which versions it advertises, how it
//! parses each request and encodes each answer (every one classic, non-flexible; the
//! comment above each says which schema version it encodes), and where the script's
//! faults change an answer.

use super::script::{Act, Member, On, Script, UNKNOWN_TOPIC_OR_PARTITION};
use super::wire::{Parsed, Reader, Writer};
use std::collections::BTreeMap;

/// The one broker's node id: leader of every partition, coordinator of every group.
pub const NODE: i32 = 1;

const LIST_OFFSETS: i16 = 2;
const METADATA: i16 = 3;
const OFFSET_FETCH: i16 = 9;
const FIND_COORDINATOR: i16 = 10;
const DESCRIBE_GROUPS: i16 = 15;
const LIST_GROUPS: i16 = 16;
pub const API_VERSIONS: i16 = 18;

/// (api key, min, max) as ApiVersions advertises them: only classic, non-flexible
/// versions. librdkafka 2.12 uses the highest version it knows in each range, so it
/// sends ListOffsets v2, Metadata v4, OffsetFetch v5, FindCoordinator v2,
/// DescribeGroups v2, ListGroups v2. What is not listed it does not send: no
/// ConsumerGroupDescribe (KIP-848 describe; librdkafka falls back to DescribeGroups),
/// no DescribeConfigs (drift says "not computed"), no Fetch (the sampler reads topic
/// tails only from its third round; a test here samples twice at most).
pub const ADVERTISED: [(i16, i16, i16); 7] = [
    (LIST_OFFSETS, 1, 2),
    (METADATA, 1, 4),
    (OFFSET_FETCH, 1, 5),
    (FIND_COORDINATOR, 0, 2),
    (DESCRIBE_GROUPS, 0, 2),
    (LIST_GROUPS, 0, 2),
    (API_VERSIONS, 0, 2),
];

pub const UNSUPPORTED_VERSION: i16 = 35;

/// Whether ApiVersions advertises this version of this request.
pub fn advertised(key: i16, version: i16) -> bool {
    ADVERTISED
        .iter()
        .any(|&(k, lo, hi)| k == key && (lo..=hi).contains(&version))
}

/// The requests spoken here, as far as their answers depend on them.
pub enum Request {
    ApiVersions,
    /// None: every topic; Some(empty): brokers only.
    Metadata(Option<Vec<String>>),
    /// (topic, [(partition, timestamp)]).
    ListOffsets(Vec<(String, Vec<(i32, i64)>)>),
    FindCoordinator,
    /// The group, and (topic, partitions) asked for; None: everything it committed.
    OffsetFetch(String, Option<Vec<(String, Vec<i32>)>>),
    ListGroups,
    DescribeGroups(Vec<String>),
}

impl Request {
    pub fn on(&self) -> Option<On> {
        Some(match self {
            Request::ApiVersions => return None,
            Request::Metadata(_) => On::Metadata,
            Request::ListOffsets(topics) => match topics.first().and_then(|(_, p)| p.first()) {
                Some((_, -2)) => On::ListOffsetsEarliest,
                Some((_, -1)) => On::ListOffsetsLatest,
                _ => return None,
            },
            Request::FindCoordinator => On::FindCoordinator,
            Request::OffsetFetch(..) => On::OffsetFetch,
            Request::ListGroups => On::ListGroups,
            Request::DescribeGroups(_) => On::DescribeGroups,
        })
    }
}

fn name(r: &mut Reader) -> Parsed<String> {
    r.string()?.ok_or_else(|| "a null name".to_string())
}

/// Parse a request body of an advertised version.
pub fn parse(key: i16, version: i16, r: &mut Reader) -> Parsed<Request> {
    Ok(match key {
        API_VERSIONS => Request::ApiVersions,
        // Metadata v1-v4: topics (nullable) [name]; v4 adds allow_auto_topic_creation.
        METADATA => Request::Metadata(match r.array_len()? {
            None => None,
            Some(n) => Some((0..n).map(|_| name(r)).collect::<Parsed<_>>()?),
        }),
        // ListOffsets v1: replica_id, topics [name, partitions [partition_index,
        // timestamp]]; v2 adds isolation_level after replica_id.
        LIST_OFFSETS => {
            r.i32()?;
            if version >= 2 {
                r.i8()?;
            }
            Request::ListOffsets(r.array(|r| Ok((name(r)?, r.array(|r| Ok((r.i32()?, r.i64()?)))?)))?)
        }
        // FindCoordinator v0: key; v1/v2 add key_type.
        FIND_COORDINATOR => Request::FindCoordinator,
        // OffsetFetch v1-v5: group_id, topics (nullable from v2) [name, partition_indexes].
        OFFSET_FETCH => {
            let group = name(r)?;
            let topics = match r.array_len()? {
                None => None,
                Some(n) => Some(
                    (0..n)
                        .map(|_| Ok((name(r)?, r.array(|r| r.i32())?)))
                        .collect::<Parsed<_>>()?,
                ),
            };
            Request::OffsetFetch(group, topics)
        }
        // ListGroups v0-v2: no fields.
        LIST_GROUPS => Request::ListGroups,
        // DescribeGroups v0-v2: groups [group_id].
        DESCRIBE_GROUPS => Request::DescribeGroups(r.array(name)?),
        _ => return Err("no parser".into()),
    })
}

/// The request-level error the faults give, if any.
fn request_error(acts: &[Act]) -> Option<i16> {
    acts.iter().find_map(|a| match a {
        Act::Error(code) => Some(*code),
        _ => None,
    })
}

/// A partition's error from the faults, if any.
fn partition_error(acts: &[Act], topic: &str, partition: i32) -> Option<i16> {
    acts.iter().find_map(|a| match a {
        Act::PartitionError {
            topic: t,
            partition: p,
            code,
        } if t == topic && *p == partition => Some(*code),
        _ => None,
    })
}

/// ApiVersions v0: error_code, api_keys [api_key, min_version, max_version];
/// v1/v2 add throttle_time_ms at the end.
pub fn api_versions(version: i16, error: i16) -> Vec<u8> {
    let mut w = Writer::default();
    w.i16(error).array(ADVERTISED, |w, (k, lo, hi)| {
        w.i16(k).i16(lo).i16(hi);
    });
    if version >= 1 {
        w.i32(0);
    }
    w.buf
}

/// ConsumerProtocolAssignment v0: version, assigned_partitions [topic, partitions],
/// user_data (bytes).
fn assignment(m: &Member) -> Vec<u8> {
    let mut w = Writer::default();
    w.i16(0).array(&m.assignment, |w, (t, ps)| {
        w.string(t).array(ps, |w, p| {
            w.i32(*p);
        });
    });
    w.bytes(&[]);
    w.buf
}

/// The body of the answer to `req` in its `version`, from the script (ListOffsets
/// LATEST grows the log ends it read), with `acts` (the faults that apply) put in.
pub fn answer(req: &Request, version: i16, script: &mut Script, acts: &[Act], port: u16) -> Vec<u8> {
    let mut w = Writer::default();
    let error = request_error(acts);
    match req {
        Request::ApiVersions => return api_versions(version, 0),
        // Metadata v1: brokers [node_id, host, port, rack], controller_id, topics
        // [error_code, name, is_internal, partitions [error_code, partition_index,
        // leader_id, replica_nodes, isr_nodes]]; v2 adds cluster_id after the brokers,
        // v3/v4 throttle_time_ms first.
        Request::Metadata(asked) => {
            if version >= 3 {
                w.i32(0);
            }
            w.array([NODE], |w, node| {
                w.i32(node)
                    .string("127.0.0.1")
                    .i32(i32::from(port))
                    .nullable_string(None);
            });
            if version >= 2 {
                w.nullable_string(Some("scripted"));
            }
            w.i32(NODE);
            let names: Vec<String> = match asked {
                Some(names) => names.clone(),
                None => script.topics.iter().map(|t| t.name.clone()).collect(),
            };
            w.array(names, |w, name| {
                let t = script.topic(&name);
                let code = match (error, t) {
                    (Some(e), _) => e,
                    (None, None) => UNKNOWN_TOPIC_OR_PARTITION,
                    (None, Some(_)) => 0,
                };
                let parts = if code == 0 {
                    t.map_or(0, |t| t.partitions.len())
                } else {
                    0
                };
                w.i16(code).string(&name).bool(false).array(0..parts, |w, p| {
                    w.i16(0).i32(p as i32).i32(NODE);
                    w.array([NODE], |w, n| {
                        w.i32(n);
                    });
                    w.array([NODE], |w, n| {
                        w.i32(n);
                    });
                });
            });
        }
        // ListOffsets v1: topics [name, partitions [partition_index, error_code,
        // timestamp, offset]]; v2 adds throttle_time_ms first. Timestamp -2 asks for
        // the log start, -1 for the log end.
        Request::ListOffsets(topics) => {
            if version >= 2 {
                w.i32(0);
            }
            w.array(topics, |w, (name, parts)| {
                w.string(name).array(parts, |w, &(p, ts)| {
                    let found = script
                        .topics
                        .iter_mut()
                        .find(|t| &t.name == name)
                        .and_then(|t| t.partitions.get_mut(p as usize));
                    let (code, offset) = match (error.or(partition_error(acts, name, p)), found) {
                        (Some(code), _) => (code, -1),
                        (None, None) => (UNKNOWN_TOPIC_OR_PARTITION, -1),
                        (None, Some(part)) if ts == -2 => (0, part.log_start),
                        (None, Some(part)) if ts == -1 => {
                            let end = part.log_end;
                            part.log_end = end.saturating_add(part.growth);
                            (0, end)
                        }
                        // A timestamp: no record at or after it.
                        (None, Some(_)) => (0, -1),
                    };
                    w.i32(p).i16(code).i64(-1).i64(offset);
                });
            });
        }
        // FindCoordinator v0: error_code, node_id, host, port; v1/v2 add
        // throttle_time_ms first and error_message after error_code.
        Request::FindCoordinator => {
            if version >= 1 {
                w.i32(0);
            }
            w.i16(error.unwrap_or(0));
            if version >= 1 {
                w.nullable_string(None);
            }
            match error {
                None => w.i32(NODE).string("127.0.0.1").i32(i32::from(port)),
                Some(_) => w.i32(-1).string("").i32(-1),
            };
        }
        // OffsetFetch v1: topics [name, partitions [partition_index, committed_offset,
        // metadata, error_code]]; v2 adds error_code at the end, v3 throttle_time_ms
        // first, v5 committed_leader_epoch after committed_offset. A partition without
        // a commit answers -1.
        Request::OffsetFetch(group, asked) => {
            if version >= 3 {
                w.i32(0);
            }
            let commits: Vec<(String, i32, i64)> = script.group(group).map(|g| g.committed.clone()).unwrap_or_default();
            let mut rows: BTreeMap<String, Vec<(i32, i64)>> = BTreeMap::new();
            match asked {
                _ if error.is_some() => {}
                None => {
                    for (t, p, o) in &commits {
                        rows.entry(t.clone()).or_default().push((*p, *o));
                    }
                }
                Some(asked) => {
                    for (t, ps) in asked {
                        let row = rows.entry(t.clone()).or_default();
                        for &p in ps {
                            let c = commits.iter().find(|(ct, cp, _)| ct == t && *cp == p);
                            row.push((p, c.map_or(-1, |c| c.2)));
                        }
                    }
                }
            }
            w.array(rows, |w, (t, parts)| {
                w.string(&t).array(parts, |w, (p, offset)| {
                    let code = partition_error(acts, &t, p).unwrap_or(0);
                    w.i32(p).i64(if code == 0 { offset } else { -1 });
                    if version >= 5 {
                        w.i32(-1);
                    }
                    w.nullable_string(Some("")).i16(code);
                });
            });
            if version >= 2 {
                w.i16(error.unwrap_or(0));
            }
        }
        // ListGroups v0: error_code, groups [group_id, protocol_type]; v1/v2 add
        // throttle_time_ms first.
        Request::ListGroups => {
            if version >= 1 {
                w.i32(0);
            }
            let listed = if error.is_some() { &[][..] } else { &script.groups[..] };
            w.i16(error.unwrap_or(0)).array(listed, |w, g| {
                w.string(&g.id).string("consumer");
            });
        }
        // DescribeGroups v0: groups [error_code, group_id, group_state, protocol_type,
        // protocol_data, members [member_id, client_id, client_host, member_metadata,
        // member_assignment]]; v1/v2 add throttle_time_ms first. A group the broker
        // does not know is "Dead", as Kafka answers.
        Request::DescribeGroups(ids) => {
            if version >= 1 {
                w.i32(0);
            }
            w.array(ids, |w, id| {
                w.i16(error.unwrap_or(0)).string(id);
                match script.group(id) {
                    Some(g) => {
                        let assignor = if g.members.is_empty() { "" } else { "range" };
                        w.string(&g.state).string("consumer").string(assignor);
                        w.array(&g.members, |w, m| {
                            w.string(&m.id).string(&m.client_id).string(&m.host);
                            w.bytes(&[]).bytes(&assignment(m));
                        });
                    }
                    None => {
                        w.string("Dead").string("").string("");
                        w.array(std::iter::empty::<()>(), |_, _| {});
                    }
                }
            });
        }
    }
    w.buf
}

//! The Connect REST API's JSON, parsed under bounds: `GET /connectors?expand=status&
//! expand=info` (every connector in one answer), an old worker's plain list of names
//! with each connector's `/status` and `/connectors/{name}`, and KIP-558's
//! `/connectors/{name}/topics`. The client caps each answer's size; these caps bound
//! what is kept of it. Text is kept as sent and escaped where shown.

use super::{Connector, Kind, State, Task, Topics, Trace};
use serde_json::Value;

/// Connectors kept of one cluster; the rest are counted.
pub const MAX_CONNECTORS: usize = 10_000;
/// Tasks kept of one connector.
pub const MAX_TASKS: usize = 1_000;
/// Topics kept of one connector.
pub const MAX_TOPICS: usize = 10_000;
/// A longer connector name, worker id, class or topic is not a name: dropped (a name
/// is also sent back in paths, so it is never cut).
pub const MAX_NAME_BYTES: usize = 1_024;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{what}: {why}")]
pub struct ParseError {
    pub what: String,
    pub why: String,
}

fn error(what: &str, why: impl Into<String>) -> ParseError {
    ParseError {
        what: what.to_string(),
        why: why.into(),
    }
}

/// What `GET /connectors?expand=status&expand=info` answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Listing {
    /// A worker that expands: every connector whole (topics still to read).
    Expanded(Vec<Connector>),
    /// An old worker ignores `expand` and lists names: each is read on its own.
    Names(Vec<String>),
}

/// The listing, and how many entries were dropped (past the caps, or names too long).
pub fn listing(v: &Value) -> Result<(Listing, usize), ParseError> {
    let mut dropped = 0;
    match v {
        Value::Object(m) => {
            let mut out = Vec::new();
            for (name, entry) in m {
                if out.len() >= MAX_CONNECTORS || name.len() > MAX_NAME_BYTES {
                    dropped += 1;
                    continue;
                }
                out.push(connector(name, entry.get("info"), entry.get("status")));
            }
            out.sort_by(|a, b| a.name.cmp(&b.name));
            Ok((Listing::Expanded(out), dropped))
        }
        Value::Array(a) => {
            let mut out = Vec::new();
            for n in a {
                let n = n
                    .as_str()
                    .ok_or_else(|| error("GET /connectors", "a list holding something else than names"))?;
                if out.len() >= MAX_CONNECTORS || n.len() > MAX_NAME_BYTES {
                    dropped += 1;
                    continue;
                }
                out.push(n.to_string());
            }
            out.sort();
            out.dedup();
            Ok((Listing::Names(out), dropped))
        }
        _ => Err(error(
            "GET /connectors",
            "neither an object of connectors nor a list of names",
        )),
    }
}

fn text<'a>(v: Option<&'a Value>, key: &str) -> Option<&'a str> {
    v?.get(key)?.as_str().filter(|s| s.len() <= MAX_NAME_BYTES)
}

/// One connector from its `info` (`GET /connectors/{name}`) and `status`
/// (`/status`) objects, either of which may be missing or malformed: what is missing
/// reads as unknown, never as RUNNING. Topics are left for the reader.
pub fn connector(name: &str, info: Option<&Value>, status: Option<&Value>) -> Connector {
    let config = info.and_then(|i| i.get("config"));
    let own = status.and_then(|s| s.get("connector"));
    let state = match own.and_then(|c| c.get("state")).and_then(Value::as_str) {
        Some(s) => State::parse(s),
        None => State::Unknown(if status.is_some() {
            "no state".into()
        } else {
            "status unread".into()
        }),
    };
    let kind = text(status, "type")
        .or_else(|| text(info, "type"))
        .map_or(Kind::Unknown(String::new()), Kind::parse);
    let mut tasks = Vec::new();
    let mut tasks_dropped = 0;
    if let Some(list) = status.and_then(|s| s.get("tasks")).and_then(Value::as_array) {
        for (i, t) in list.iter().enumerate() {
            if tasks.len() >= MAX_TASKS {
                tasks_dropped += 1;
                continue;
            }
            tasks.push(Task {
                id: t.get("id").and_then(Value::as_i64).unwrap_or(i as i64),
                state: t
                    .get("state")
                    .and_then(Value::as_str)
                    .map_or(State::Unknown("no state".into()), State::parse),
                worker: text(Some(t), "worker_id").map(str::to_string),
                trace: t.get("trace").and_then(Value::as_str).map(Trace::new),
            });
        }
    } else if let Some(n) = info.and_then(|i| i.get("tasks")).and_then(Value::as_array) {
        // Status unread: the tasks the config made, in no known state.
        for (i, t) in n.iter().take(MAX_TASKS).enumerate() {
            tasks.push(Task {
                id: t.get("task").and_then(Value::as_i64).unwrap_or(i as i64),
                state: State::Unknown("status unread".into()),
                worker: None,
                trace: None,
            });
        }
        tasks_dropped = n.len().saturating_sub(MAX_TASKS);
    }
    let mut config_topics: Vec<String> = text(config, "topics")
        .map(|t| {
            t.split(',')
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    config_topics.truncate(MAX_TOPICS);
    Connector {
        name: name.to_string(),
        kind,
        class: text(config, "connector.class").map(str::to_string),
        state,
        worker: text(own, "worker_id").map(str::to_string),
        trace: own.and_then(|c| c.get("trace")).and_then(Value::as_str).map(Trace::new),
        tasks,
        tasks_dropped,
        group_override: text(config, "consumer.override.group.id")
            .filter(|g| !g.is_empty())
            .map(str::to_string),
        config_topics,
        config_topics_regex: text(config, "topics.regex").map(str::to_string),
        topics: Topics::Unread("not read".into()),
    }
}

/// `GET /connectors/{name}/topics`: `{name: {"topics": [...]}}`.
pub fn topics(name: &str, v: &Value) -> Result<Vec<String>, ParseError> {
    let what = "GET /connectors/{name}/topics";
    let list = v
        .get(name)
        .or_else(|| v.as_object().filter(|m| m.len() == 1).and_then(|m| m.values().next()))
        .and_then(|e| e.get("topics"))
        .and_then(Value::as_array)
        .ok_or_else(|| error(what, "no `topics` list"))?;
    let mut out: Vec<String> = list
        .iter()
        .filter_map(Value::as_str)
        .filter(|t| t.len() <= MAX_NAME_BYTES)
        .take(MAX_TOPICS)
        .map(str::to_string)
        .collect();
    out.sort();
    out.dedup();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_expanded_listing_keeps_states_tasks_traces_and_only_the_config_keys_read() {
        let v = json!({"wh": {
            "info": {"name": "wh", "type": "sink", "tasks": [{"connector": "wh", "task": 0}],
                     "config": {"connector.class": "io.x.JdbcSink", "topics": "a, b,,c",
                                "connection.password": "hunter2", "consumer.override.group.id": "g"}},
            "status": {"name": "wh", "type": "sink",
                       "connector": {"state": "RUNNING", "worker_id": "10.0.0.1:8083"},
                       "tasks": [{"id": 0, "state": "FAILED", "worker_id": "10.0.0.2:8083", "trace": "E: x\n\tat y"}]}}});
        let (Listing::Expanded(cs), 0) = listing(&v).unwrap() else {
            panic!("expanded")
        };
        let c = &cs[0];
        assert_eq!((c.kind.clone(), c.state.clone()), (Kind::Sink, State::Running));
        assert_eq!(c.class.as_deref(), Some("io.x.JdbcSink"));
        assert_eq!(c.config_topics, ["a", "b", "c"]);
        assert_eq!(c.group().as_deref(), Some("g"));
        assert_eq!(c.tasks[0].state, State::Failed);
        assert_eq!(c.tasks[0].trace.as_ref().unwrap().first_line(80), "E: x");
        assert!(!format!("{c:?}").contains("hunter2"), "the config is not kept");
    }

    #[test]
    fn an_old_workers_names_missing_parts_and_caps() {
        let (l, dropped) = listing(&json!(["b", "a", "a", "x".repeat(MAX_NAME_BYTES + 1)])).unwrap();
        assert_eq!(l, Listing::Names(vec!["a".into(), "b".into()]));
        assert_eq!(dropped, 1);
        assert!(listing(&json!([1])).is_err());
        assert!(listing(&json!("x")).is_err());
        let c = connector("c", None, None);
        assert_eq!(c.state, State::Unknown("status unread".into()));
        assert!(!c.health().is_healthy());
        let many: Vec<Value> = (0..MAX_TASKS + 5)
            .map(|i| json!({"id": i, "state": "RUNNING"}))
            .collect();
        let c = connector(
            "c",
            None,
            Some(&json!({"connector": {"state": "RUNNING"}, "tasks": many})),
        );
        assert_eq!((c.tasks.len(), c.tasks_dropped), (MAX_TASKS, 5));
    }

    #[test]
    fn topics_in_use() {
        let v = json!({"wh": {"topics": ["b", "a", 3]}});
        assert_eq!(topics("wh", &v).unwrap(), ["a", "b"]);
        assert!(topics("wh", &json!({})).is_err());
    }
}

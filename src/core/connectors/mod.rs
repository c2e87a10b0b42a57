//! Kafka Connect connectors as plain data: their states and tasks (`state`), what a
//! worker's REST API answers parsed under bounds (`parse`), and the roll-up that calls
//! a connector healthy only when it and every task run (a RUNNING connector with a
//! FAILED task is the complaint users of other tools make most).

pub mod drift;
pub mod live;
pub mod parse;
pub mod report;
pub mod state;

pub use state::{Health, Kind, State, Trace};

/// A task of a connector.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Task {
    pub id: i64,
    pub state: State,
    /// `host:port` of the worker running it, as the worker says.
    pub worker: Option<String>,
    pub trace: Option<Trace>,
}

/// The topics a connector really uses (KIP-558), or why they are not known.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Topics {
    Used(Vec<String>),
    /// The worker does not serve `/connectors/{name}/topics` (before Kafka 2.5, or
    /// `topic.tracking.enable=false`): said, not an error.
    NotServed(String),
    /// The request failed.
    Unread(String),
}

/// One connector as its Connect cluster reports it. Its configuration is not kept
/// (it holds database passwords in plain text): only the keys ktopo reads.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Connector {
    pub name: String,
    pub kind: Kind,
    /// `connector.class`.
    pub class: Option<String>,
    pub state: State,
    pub worker: Option<String>,
    /// The connector's own trace, when it failed.
    pub trace: Option<Trace>,
    pub tasks: Vec<Task>,
    /// Tasks past `parse::MAX_TASKS`, counted and not kept.
    pub tasks_dropped: usize,
    /// `consumer.override.group.id` (a sink's group, when set).
    pub group_override: Option<String>,
    /// A sink's `topics` (comma-separated list) and `topics.regex` from its config.
    pub config_topics: Vec<String>,
    pub config_topics_regex: Option<String>,
    pub topics: Topics,
}

impl Connector {
    /// Healthy only when the connector and every task run: a RUNNING connector with
    /// no task does no work either.
    pub fn health(&self) -> Health {
        let mut why = Vec::new();
        if self.state != State::Running {
            why.push(format!("connector {}", self.state.word()));
        }
        let total = self.tasks.len() + self.tasks_dropped;
        let running = self.tasks.iter().filter(|t| t.state == State::Running).count();
        if total == 0 {
            why.push("no task".to_string());
        } else if running < self.tasks.len() || self.tasks_dropped > 0 {
            let mut states: Vec<String> = Vec::new();
            for t in self.tasks.iter().filter(|t| t.state != State::Running) {
                let w = t.state.word().into_owned();
                if !states.contains(&w) {
                    states.push(w);
                }
            }
            let mut line = format!("{running}/{total} tasks running");
            if !states.is_empty() {
                line.push_str(&format!(" ({})", states.join(", ")));
            }
            why.push(line);
        }
        if why.is_empty() {
            Health::Healthy
        } else {
            Health::Unhealthy(why)
        }
    }

    /// The one state that sums the connector up, at a glance: RUNNING only when it and
    /// every task run, else the worst of its own state and its tasks' (FAILED worst); a
    /// RUNNING connector without a task is UNASSIGNED (nothing does its work).
    pub fn rolled_up(&self) -> State {
        let worst = std::iter::once(&self.state)
            .chain(self.tasks.iter().map(|t| &t.state))
            .max_by_key(|s| s.rank())
            .cloned()
            .unwrap_or(State::Running);
        if worst == State::Running && self.tasks.len() + self.tasks_dropped == 0 {
            return State::Unassigned;
        }
        worst
    }

    /// A sink's consumer group: `connect-<name>` unless `consumer.override.group.id`
    /// says otherwise. Sources have none.
    pub fn group(&self) -> Option<String> {
        (self.kind == Kind::Sink).then(|| {
            self.group_override
                .clone()
                .unwrap_or_else(|| format!("connect-{}", self.name))
        })
    }

    /// The topics to show and join: those in use where the worker tells, else a sink's
    /// configured list.
    pub fn known_topics(&self) -> &[String] {
        match &self.topics {
            Topics::Used(t) => t,
            _ => &self.config_topics,
        }
    }

    /// The first failed trace, the connector's or a task's.
    pub fn first_trace(&self) -> Option<&Trace> {
        self.trace
            .as_ref()
            .or_else(|| self.tasks.iter().find_map(|t| t.trace.as_ref()))
    }
}

/// What one Connect cluster answered in one read.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ClusterRead {
    /// The name given (`NAME=URL`), else the URL's host and port.
    pub name: String,
    /// The URL as shown: never its user info.
    pub url: String,
    /// Every connector, sorted by name; Err: why the cluster could not be read.
    pub connectors: Result<Vec<Connector>, String>,
    /// What the reader had to do differently ("an old worker without `expand`").
    pub notes: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn connector(state: State, tasks: &[State]) -> Connector {
        Connector {
            name: "c".into(),
            kind: Kind::Sink,
            class: None,
            state,
            worker: None,
            trace: None,
            tasks: tasks
                .iter()
                .enumerate()
                .map(|(i, s)| Task {
                    id: i as i64,
                    state: s.clone(),
                    worker: None,
                    trace: None,
                })
                .collect(),
            tasks_dropped: 0,
            group_override: None,
            config_topics: vec![],
            config_topics_regex: None,
            topics: Topics::NotServed("old".into()),
        }
    }

    #[test]
    fn healthy_only_when_the_connector_and_every_task_run() {
        use State::*;
        assert_eq!(connector(Running, &[Running, Running]).health(), Health::Healthy);
        assert_eq!(
            connector(Running, &[Running, Failed]).health(),
            Health::Unhealthy(vec!["1/2 tasks running (FAILED)".into()])
        );
        assert_eq!(
            connector(Paused, &[Paused]).health(),
            Health::Unhealthy(vec!["connector PAUSED".into(), "0/1 tasks running (PAUSED)".into()])
        );
        assert_eq!(
            connector(Running, &[]).health(),
            Health::Unhealthy(vec!["no task".into()])
        );
        let odd = connector(State::parse("DEGRADED\x1b[2J"), &[Running]);
        assert_eq!(
            odd.health(),
            Health::Unhealthy(vec!["connector DEGRADED\\u{1b}[2J".into()])
        );
        let mut many = connector(Running, &[Running]);
        many.tasks_dropped = 3;
        assert_eq!(many.health(), Health::Unhealthy(vec!["1/4 tasks running".into()]));
    }

    #[test]
    fn the_rolled_up_state_is_the_worst_of_the_connector_and_its_tasks() {
        use State::*;
        assert_eq!(connector(Running, &[Running, Running]).rolled_up(), Running);
        assert_eq!(connector(Running, &[Running, Failed]).rolled_up(), Failed);
        assert_eq!(connector(Paused, &[Paused]).rolled_up(), Paused);
        assert_eq!(connector(Running, &[Unassigned, Paused]).rolled_up(), Unassigned);
        assert_eq!(connector(Running, &[]).rolled_up(), Unassigned);
        assert_eq!(connector(Failed, &[]).rolled_up(), Failed);
    }

    #[test]
    fn a_sinks_group_is_connect_name_unless_overridden() {
        let mut c = connector(State::Running, &[]);
        c.name = "warehouse".into();
        assert_eq!(c.group().as_deref(), Some("connect-warehouse"));
        c.group_override = Some("wh-sink".into());
        assert_eq!(c.group().as_deref(), Some("wh-sink"));
        c.kind = Kind::Source;
        assert_eq!(c.group(), None);
    }
}

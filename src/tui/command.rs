//! The `:` command line: commands, aliases and completion.

use super::state::Route;

/// A command the user can type after `:`.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// Open one of the list views.
    Go(Route),
    Impact(Option<String>),
    Graph(Option<String>),
    Help,
    Quit,
    /// `:ctx` lists the contexts, `:ctx NAME` switches to one.
    Context(Option<String>),
}

/// (name, aliases, takes a target, description)
pub const COMMANDS: &[(&str, &[&str], bool, &str)] = &[
    ("services", &["svc", "s"], false, "all services"),
    ("topics", &["t", "topic"], false, "all topics"),
    ("events", &["ev", "e"], false, "all event types"),
    ("deprecated", &["dep", "d", "migrations"], false, "migrations"),
    ("lag", &["l", "groups"], false, "consumer lag, worst first"),
    ("drift", &["dr"], false, "registry against the cluster"),
    (
        "check",
        &["ch", "lint"],
        false,
        "the registry's own checks, with file:line",
    ),
    ("map", &[], false, "the whole platform as a flow diagram"),
    ("stale", &["st"], false, "who serves stale data right now, worst first"),
    ("platform", &["p", "conventions", "info"], false, "conventions, infra"),
    ("impact", &["i"], true, "impact of target/selection"),
    ("graph", &["g"], true, "graph of target/selection"),
    ("ctx", &["context"], false, "list contexts, or switch: ctx NAME"),
    ("help", &["h"], false, "key and command help"),
    ("quit", &["q", "q!"], false, "quit ktopo"),
];

/// A typed command that is not one.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CommandError {
    #[error("unknown command `{word}`: did you mean `:{closest}`?")]
    Closest { word: String, closest: String },
    #[error("unknown command `{word}`: try {all}")]
    Unknown { word: String, all: String },
}

pub fn parse(line: &str) -> Result<Command, CommandError> {
    let line = line.trim();
    let (word, arg) = match line.split_once(char::is_whitespace) {
        Some((w, a)) => (w, Some(a.trim().to_string()).filter(|a| !a.is_empty())),
        None => (line, None),
    };
    let name = COMMANDS
        .iter()
        .find(|(n, aliases, ..)| *n == word || aliases.contains(&word))
        .map(|c| c.0)
        .ok_or_else(|| {
            let names: Vec<&str> = COMMANDS.iter().map(|c| c.0).collect();
            let word = word.to_string();
            match crate::core::suggest::closest(&word, names.iter().copied()) {
                Some(s) => CommandError::Closest {
                    word,
                    closest: s.to_string(),
                },
                None => CommandError::Unknown {
                    word,
                    all: names.join(", "),
                },
            }
        })?;
    Ok(match name {
        "services" => Command::Go(Route::Services),
        "topics" => Command::Go(Route::Topics),
        "events" => Command::Go(Route::Events),
        "deprecated" => Command::Go(Route::Deprecated),
        "lag" => Command::Go(Route::Lag),
        "drift" => Command::Go(Route::Drift),
        "check" => Command::Go(Route::Check),
        "map" => Command::Go(Route::Map),
        "stale" => Command::Go(Route::Stale),
        "platform" => Command::Go(Route::Platform),
        "impact" => Command::Impact(arg),
        "graph" => Command::Graph(arg),
        "help" => Command::Help,
        "ctx" => Command::Context(arg),
        _ => Command::Quit,
    })
}

/// Commands (and for `impact`/`graph`, targets) that complete what is typed so far.
pub fn completions(line: &str, targets: &[String]) -> Vec<String> {
    match line.split_once(' ') {
        None => COMMANDS
            .iter()
            .filter(|c| c.0.starts_with(line))
            .map(|c| c.0.to_string())
            .collect(),
        Some((cmd, arg)) => {
            let takes_target = COMMANDS.iter().any(|c| (c.0 == cmd || c.1.contains(&cmd)) && c.2);
            if !takes_target {
                return Vec::new();
            }
            targets
                .iter()
                .filter(|t| t.starts_with(arg) || t.split_once(':').is_some_and(|(_, n)| n.starts_with(arg)))
                .take(50)
                .map(|t| format!("{cmd} {t}"))
                .collect()
        }
    }
}

/// The longest common prefix of the completions, to extend the typed text with Tab.
pub fn complete(line: &str, targets: &[String]) -> String {
    let all = completions(line, targets);
    let Some(first) = all.first() else {
        return line.to_string();
    };
    let mut prefix = first.clone();
    for c in &all[1..] {
        while !c.starts_with(&prefix) {
            prefix.pop();
        }
    }
    if all.len() == 1 && !prefix.contains(' ') {
        prefix.push(' ');
    }
    if prefix.len() >= line.len() {
        prefix
    } else {
        line.to_string()
    }
}

//! A topic's Schema Registry facts in its detail: the subjects it declares (value, key), with the
//! registry's latest version and compatibility (asked on the sampler's thread with the
//! tails, never here), and the last sampled message as its schema decoded it. The
//! value is data from outside: one line, escaped, cut at `SHOWN` bytes.

use crate::cluster::kafka::peek::{line, shown};
use crate::core::registry::TopicId;
use crate::core::sample::message::cut_at;
use crate::core::sample::schemas::Subject;
use crate::core::visible::one_line;
use crate::tui::state::App;

/// Bytes of the last value shown in the detail (the messages screen shows it whole).
const SHOWN: usize = 512;

/// (label, value) lines for the topic's detail.
pub fn facts(app: &App, ti: TopicId) -> Vec<(&'static str, String)> {
    let t = &app.data.reg.topics[ti];
    let declared = t.declared_subject();
    let mut out = Vec::new();
    if let Some(subject) = &declared {
        out.push((
            "subject",
            format!("{} · {}", one_line(subject), subject_state(app, subject)),
        ));
    }
    if let Some(subject) = t.declared_key_subject() {
        out.push((
            "key subject",
            format!("{} · {}", one_line(&subject), subject_state(app, &subject)),
        ));
    }
    let msgs = app.messages(ti);
    // The messages are newest first.
    let Some(m) = msgs.first() else {
        if declared.is_some() && app.live.as_ref().is_some_and(|l| l.tails.is_some()) {
            out.push(("last value", "no message sampled".into()));
        }
        return out;
    };
    if m.schema.is_none() && declared.is_none() {
        return out;
    }
    let how = match &m.schema {
        Some(s) => one_line(s).into_owned(),
        None if m.value.is_none() => "a tombstone".into(),
        None => "not decoded (not in wire format, or see the messages screen: M)".into(),
    };
    out.push((
        "last value",
        format!("partition {} · offset {} · {how}", m.partition, m.offset),
    ));
    if let Some(v) = &m.value {
        let n = cut_at(v, SHOWN);
        out.push(("", shown(line(&v[..n]), m.value_len.saturating_sub(n))));
    }
    out
}

/// What the Schema Registry said of `subject`, in words.
fn subject_state(app: &App, subject: &str) -> String {
    let Some(schemas) = app.live.as_ref().and_then(|l| l.schemas.as_ref()) else {
        return "not asked yet".into();
    };
    let Some(r) = &schemas.registry else {
        return "no schema registry given (--schema-registry URL)".into();
    };
    if let Some(why) = &r.unreachable {
        return format!("the schema registry is unreachable ({})", one_line(why));
    }
    match r.subjects.get(subject) {
        None => "not asked yet".into(),
        Some(Subject::Missing) => "not in the schema registry".into(),
        Some(Subject::Failed(why)) => one_line(why).into_owned(),
        Some(Subject::Found {
            latest,
            id,
            compatibility,
        }) => {
            let id = id.map(|i| format!(" (id {i})")).unwrap_or_default();
            let level = match compatibility {
                Ok(c) if c.global => format!("compatibility {} (global)", c.level),
                Ok(c) => format!("compatibility {}", c.level),
                Err(why) => format!("compatibility unknown: {}", one_line(why)),
            };
            format!("latest version {latest}{id} · {level}")
        }
    }
}

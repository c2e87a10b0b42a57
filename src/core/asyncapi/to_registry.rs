//! The imported platform as registry YAML: a comment listing what was not imported,
//! then `platform`, `conventions`, `services` and the active, deprecated and proposed
//! topics. Parameterized channels become naming patterns and subscriptions, the
//! registry's two spellings of topic patterns.

use super::model::{Link, Platform, Topic};
use serde_json::{json, Map, Value};

pub fn render(p: &Platform) -> String {
    let mut unsupported = p.unsupported.clone();
    let doc = registry(p, &mut unsupported);
    let mut out = String::from("# Imported by `ktopo import asyncapi` from:\n");
    for f in &p.files {
        out.push_str(&format!("#   {}\n", comment(f)));
    }
    if unsupported.is_empty() {
        out.push_str("# Everything in the documents was imported.\n");
    } else {
        out.push_str("# Not imported (no place for it in a registry):\n");
        for u in &unsupported {
            out.push_str(&format!("#   {}\n", comment(u)));
        }
    }
    out.push_str(&serde_saphyr::to_string(&doc).unwrap_or_default());
    out
}

/// What was left out, as `render` lists it (the command prints it on stderr too).
pub fn unsupported(p: &Platform) -> Vec<String> {
    let mut u = p.unsupported.clone();
    registry(p, &mut u);
    u
}

fn comment(s: &str) -> String {
    crate::core::visible::one_line(s).into_owned()
}

fn registry(p: &Platform, unsupported: &mut Vec<String>) -> Value {
    let extras = p.extras.as_ref();
    let from = |k: &str| extras.and_then(|x| x.get(k)).cloned();
    let mut root = Map::new();
    let mut platform = match from("platform") {
        Some(Value::Object(m)) => m,
        _ => Map::new(),
    };
    if !platform.contains_key("name") {
        let names: Vec<_> = p.services.iter().map(|s| s.name.clone()).collect();
        platform.insert("name".into(), names.join(", ").into());
    }
    if !platform.contains_key("source") {
        platform.insert("source".into(), format!("AsyncAPI: {}", p.files.join(", ")).into());
    }
    root.insert("platform".into(), Value::Object(platform));
    let mut conventions = match from("conventions") {
        Some(Value::Object(m)) => m,
        // AsyncAPI names groups only where a document says `groupId`: derive no others.
        _ => Map::from_iter([("consumer_group".to_string(), json!("unknown"))]),
    };
    let mut naming: Vec<Value> = match conventions.remove("topic_naming") {
        Some(Value::Array(a)) => a,
        _ => Vec::new(),
    };
    // Services: the export's facts when it carried them, else what the documents say.
    let known: Vec<Value> = match from("services") {
        Some(Value::Array(a)) => a,
        _ => Vec::new(),
    };
    // Connectors a ktopo export declared: their links come back from their own
    // `topics`, so the operations' links to them are left out of the topics.
    let connectors: Vec<Value> = match from("connectors") {
        Some(Value::Array(a)) => a,
        _ => Vec::new(),
    };
    let connector_keys: Vec<&str> = connectors.iter().filter_map(|c| c.get("name")?.as_str()).collect();
    // The export's order first, then services only the documents name.
    let mut services: Vec<Map<String, Value>> = known.iter().filter_map(|k| k.as_object().cloned()).collect();
    for s in &p.services {
        if connector_keys.contains(&s.key.as_str())
            || services
                .iter()
                .any(|x| x.get("key").and_then(Value::as_str) == Some(s.key.as_str()))
        {
            continue;
        }
        let mut m = Map::new();
        m.insert("key".into(), s.key.clone().into());
        m.insert("name".into(), s.name.clone().into());
        if let Some(d) = &s.description {
            m.insert("description".into(), d.clone().into());
        }
        services.push(m);
    }
    let (mut active, mut deprecated, mut proposed) = (Vec::new(), Vec::new(), Vec::new());
    for t in &p.topics {
        if t.pattern {
            pattern_channel(t, &mut naming, &mut services, unsupported);
            continue;
        }
        let status = t.extras.as_ref().and_then(|x| x.get("status")).and_then(Value::as_str);
        let replaced_by = fields(t).get("replaced_by").cloned();
        match status {
            Some("proposed") => proposed.push(proposed_topic(t)),
            _ if t.deprecated && replaced_by.is_some() && t.producers.is_empty() && t.consumers.is_empty() => {
                deprecated.push(deprecated_topic(t))
            }
            _ => {
                if t.deprecated {
                    unsupported.push(format!(
                        "topic `{}` is deprecated: kept active with a note (a registry's deprecated topic names its replacement and has no producers or consumers)",
                        comment(&t.name)
                    ));
                }
                active.push(active_topic(t, &connector_keys));
            }
        }
    }
    if !naming.is_empty() {
        conventions.insert("topic_naming".into(), Value::Array(naming));
    }
    root.insert("conventions".into(), Value::Object(conventions));
    if let Some(d) = from("domains") {
        root.insert("domains".into(), d);
    }
    root.insert(
        "services".into(),
        Value::Array(services.into_iter().map(Value::Object).collect()),
    );
    root.insert("topics".into(), Value::Array(active));
    if !deprecated.is_empty() {
        root.insert("deprecated_topics".into(), Value::Array(deprecated));
    }
    if !proposed.is_empty() {
        root.insert("proposed_topics".into(), Value::Array(proposed));
    }
    if !connectors.is_empty() {
        root.insert("connectors".into(), Value::Array(connectors.clone()));
    }
    for k in ["infrastructure", "data_flows"] {
        if let Some(v) = from(k) {
            root.insert(k.into(), v);
        }
    }
    Value::Object(root)
}

/// `x-ktopo-topic.fields`: the registry's own words for the topic.
fn fields(t: &Topic) -> Map<String, Value> {
    match t.extras.as_ref().and_then(|x| x.get("fields")) {
        Some(Value::Object(m)) => m.clone(),
        _ => Map::new(),
    }
}

fn overridden(t: &Topic, key: &str) -> bool {
    match t.extras.as_ref().and_then(|x| x.get("overridden")) {
        Some(Value::Array(a)) => a.iter().any(|v| v.as_str() == Some(key)),
        // A plain AsyncAPI document: every value it gives is the topic's own.
        _ => true,
    }
}

fn active_topic(t: &Topic, connectors: &[&str]) -> Value {
    let mut m = Map::new();
    m.insert("name".into(), t.name.clone().into());
    let mut f = fields(t);
    for k in ["domain", "summary"] {
        if let Some(v) = f.remove(k) {
            m.insert(k.into(), v);
        }
    }
    match f.remove("purpose") {
        Some(v) => {
            m.insert("purpose".into(), v);
        }
        None if t.extras.is_none() => {
            if let Some(d) = &t.description {
                m.insert("purpose".into(), d.clone().into());
            }
        }
        None => {}
    }
    m.insert("producers".into(), links(&t.producers, connectors));
    m.insert("consumers".into(), links(&t.consumers, connectors));
    m.insert(
        "events".into(),
        Value::Array(t.events.iter().map(|e| e.name.clone().into()).collect()),
    );
    let described: Map<String, Value> = t
        .events
        .iter()
        .filter_map(|e| e.description.clone().map(|d| (e.name.clone(), d.into())))
        .collect();
    if !described.is_empty() {
        m.insert("event_descriptions".into(), Value::Object(described));
    }
    if let Some(n) = t.partitions.filter(|_| overridden(t, "partitions")) {
        m.insert("partitions".into(), n.into());
    }
    if let Some(n) = t.retention_days.filter(|_| overridden(t, "retention_days")) {
        m.insert("retention_days".into(), n.into());
    }
    if let Some(n) = t.replicas.filter(|_| overridden(t, "replication")) {
        m.insert("replication".into(), n.into());
    }
    let mut notes: Vec<Value> = match f.remove("notes") {
        Some(Value::Array(a)) => a,
        _ => Vec::new(),
    };
    if t.extras.is_none() {
        notes.extend(t.notes.iter().map(|n| Value::from(n.clone())));
        if t.deprecated {
            notes.push("Deprecated in its AsyncAPI document".into());
        }
        for e in t.events.iter().filter(|e| e.deprecated) {
            notes.push(format!("Event type `{}` is deprecated in its AsyncAPI document", e.name).into());
        }
    }
    if !notes.is_empty() {
        m.insert("notes".into(), Value::Array(notes));
    }
    let mut examples: Vec<Value> = t
        .events
        .iter()
        .flat_map(|e| &e.examples)
        .map(|(name, json)| json!({ "name": name, "json": json }))
        .collect();
    // Examples a ktopo export could not place on an event type.
    if let Some(Value::Array(more)) = f.remove("examples") {
        examples.extend(more);
    }
    if !examples.is_empty() {
        m.insert("examples".into(), Value::Array(examples));
    }
    // What else the registry said (owner, schema, message format...).
    for (k, v) in f {
        if !matches!(k.as_str(), "replaced_by") {
            m.insert(k, v);
        }
    }
    Value::Object(m)
}

fn deprecated_topic(t: &Topic) -> Value {
    let mut m = Map::new();
    m.insert("name".into(), t.name.clone().into());
    m.extend(fields(t));
    Value::Object(m)
}

fn proposed_topic(t: &Topic) -> Value {
    let mut m = Map::new();
    m.insert("name".into(), t.name.clone().into());
    m.extend(fields(t));
    if !m.contains_key("candidate_events") && !t.events.is_empty() {
        m.insert(
            "candidate_events".into(),
            Value::Array(t.events.iter().map(|e| e.name.clone().into()).collect()),
        );
    }
    Value::Object(m)
}

/// Producers or consumers: a key, or a mapping when there is more to say. Links that a
/// subscription pattern made are the service's subscription, not listed by name.
/// A topic's links as registry entries, leaving out pattern subscriptions (they come
/// back as the service's `subscriptions`) and declared connectors (their `topics`).
fn links(list: &[Link], connectors: &[&str]) -> Value {
    let mut out = Vec::new();
    for l in list {
        let x = l.extras.as_ref();
        let get = |k: &str| x.and_then(|x| x.get(k));
        if get("pattern").is_some() || connectors.contains(&l.service.as_str()) {
            continue;
        }
        let mut m = Map::new();
        m.insert("service".into(), l.service.clone().into());
        if let Some(g) = &l.group {
            if get("derived_group") != Some(&Value::Bool(true)) {
                m.insert("group".into(), g.clone().into());
            }
        }
        for k in ["via", "note", "commits"] {
            if let Some(v) = get(k) {
                m.insert(k.into(), v.clone());
            }
        }
        out.push(if m.len() == 1 {
            l.service.clone().into()
        } else {
            Value::Object(m)
        });
    }
    Value::Array(out)
}

/// A parameterized address (`orders-{env}-v{version}`): a naming convention in the
/// registry's `{placeholder}` spelling, and a glob subscription for each receiver.
/// Senders and events have no place without a concrete topic: listed.
fn pattern_channel(
    t: &Topic,
    naming: &mut Vec<Value>,
    services: &mut [Map<String, Value>],
    unsupported: &mut Vec<String>,
) {
    let shown = comment(&t.name);
    let mut entry = Map::new();
    entry.insert("pattern".into(), t.name.clone().into());
    if let Some(d) = &t.description {
        entry.insert("description".into(), crate::core::words::cut(d, 200).into());
    }
    if !naming
        .iter()
        .any(|n| n.get("pattern") == Some(&Value::from(t.name.clone())))
    {
        naming.push(Value::Object(entry));
    }
    let glob = glob(&t.name);
    for c in &t.consumers {
        let Some(s) = services
            .iter_mut()
            .find(|s| s.get("key").and_then(Value::as_str) == Some(c.service.as_str()))
        else {
            continue;
        };
        let subs = s.entry("subscriptions").or_insert_with(|| Value::Array(Vec::new()));
        let mut sub = Map::new();
        sub.insert("pattern".into(), glob.clone().into());
        if let Some(g) = &c.group {
            sub.insert("group".into(), g.clone().into());
        }
        sub.insert("note".into(), format!("AsyncAPI channel `{}`", t.name).into());
        if let Value::Array(a) = subs {
            if !a.iter().any(|x| x.get("pattern") == sub.get("pattern")) {
                a.push(Value::Object(sub));
            }
        }
    }
    for p in &t.producers {
        unsupported.push(format!(
            "`{}` sends to the parameterized channel `{shown}`: a registry lists producers of concrete topics (add them once the topics exist)",
            comment(&p.service)
        ));
    }
    if !t.events.is_empty() {
        let names: Vec<_> = t.events.iter().map(|e| comment(&e.name)).collect();
        unsupported.push(format!(
            "event types of the parameterized channel `{shown}` ({}): a registry lists events on concrete topics",
            names.join(", ")
        ));
    }
}

/// Each `{placeholder}` as `*`.
fn glob(pattern: &str) -> String {
    let mut out = String::new();
    let mut depth = 0;
    for c in pattern.chars() {
        match c {
            '{' => {
                if depth == 0 {
                    out.push('*');
                }
                depth += 1;
            }
            '}' if depth > 0 => depth -= 1,
            c if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn placeholders_become_stars() {
        assert_eq!(super::glob("orders-{env}-v{version}"), "orders-*-v*");
        assert_eq!(super::glob("plain"), "plain");
    }
}

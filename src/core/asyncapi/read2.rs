//! AsyncAPI 2.x: each channel's key is its address (or the Kafka binding's `topic`),
//! and its operations are read from the application's side, as the 2.x spec defines
//! them: `subscribe` "defines the messages produced by the application and sent to the
//! channel" (the application produces), `publish` "the messages consumed by the
//! application from the channel" (it consumes). The names read the other way round;
//! 3.0 replaced them with `send` and `receive` for that reason.

use super::channel::{self, extension, kafka_binding, name, ref_name, text};
use super::model::{Link, Platform, Role, Topic};
use super::refs::{Doc, ImportError};
use super::tree::Node;

pub fn read(doc: &Doc) -> Result<Platform, ImportError> {
    let (app, mut p) = super::application::platform(doc)?;
    let Some(channels) = doc.field(&doc.root, "channels")? else {
        return Ok(p);
    };
    for (key, ch) in channels.entries() {
        let ch = doc.deref(ch)?;
        let mut t = Topic::default();
        let mut address = name(
            doc,
            &Node {
                value: super::tree::Val::Str(key.clone()),
                loc: ch.loc,
            },
            "a channel's name",
        )?;
        if let Some(topic) = kafka_binding(doc, ch, &mut t, &mut p.unsupported)? {
            address = topic;
        }
        t.pattern = address.contains('{');
        t.description = text(ch.get("description"));
        for (verb, role) in [("subscribe", Role::Produce), ("publish", Role::Consume)] {
            let Some(op) = doc.field(ch, verb)? else {
                continue;
            };
            let (service, group) = channel::operation_service_and_group(doc, op, &app, &mut p)?;
            if let Some(m) = op.get("message") {
                let fallback = ref_name(m)
                    .or_else(|| op.get("operationId").and_then(Node::text))
                    .unwrap_or_else(|| format!("{address} message"));
                let resolved = doc.deref(m)?;
                match doc.field(resolved, "oneOf")? {
                    Some(list) => {
                        for (i, one) in list.items().iter().enumerate() {
                            let fallback = ref_name(one).unwrap_or_else(|| format!("{fallback}_{}", i + 1));
                            t.merge_event(channel::event(doc, one, &fallback, &mut p.unsupported)?);
                        }
                    }
                    None => t.merge_event(channel::event(doc, m, &fallback, &mut p.unsupported)?),
                }
            }
            t.add(
                role,
                Link {
                    service,
                    group: if role == Role::Consume { group } else { None },
                    extras: extension(op, "x-ktopo-endpoint"),
                },
            );
        }
        t.name = address;
        t.extras = extension(ch, "x-ktopo-topic");
        t.deprecated = t.marked_deprecated();
        p.topics.push(t);
    }
    Ok(p)
}

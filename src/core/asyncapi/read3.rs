//! AsyncAPI 3.x: channels (`address`, or the Kafka binding's `topic`) with their
//! messages, and operations (`send`: the application produces, `receive`: it consumes,
//! and a `reply` the other way) on them.

use super::channel::{self, extension, kafka_binding, name, text};
use super::model::{Link, Platform, Role, Service, Topic};
use super::refs::{Doc, ImportError};

pub fn read(doc: &Doc) -> Result<Platform, ImportError> {
    let (app, mut p) = super::application::platform(doc)?;
    // Each channel's key, by the topic it became.
    let mut keys: Vec<String> = Vec::new();
    if let Some(channels) = doc.field(&doc.root, "channels")? {
        for (key, ch) in channels.entries() {
            let ch = doc.deref(ch)?;
            let mut t = Topic::default();
            let mut address = match ch.get("address").filter(|a| a.str().is_some()) {
                Some(a) => name(doc, a, "a channel's `address`")?,
                // A null address is dynamic or unknown: the channel's key names it.
                None => name(doc, &key_node(ch, key), "a channel's key")?,
            };
            if let Some(topic) = kafka_binding(doc, ch, &mut t, &mut p.unsupported)? {
                address = topic;
            }
            t.pattern = address.contains('{');
            t.name = address;
            t.description = text(ch.get("description"))
                .or_else(|| text(ch.get("summary")))
                .or_else(|| text(ch.get("title")));
            if let Some(messages) = doc.field(ch, "messages")? {
                for (mkey, m) in messages.entries() {
                    let e = channel::event(doc, m, mkey, &mut p.unsupported)?;
                    t.merge_event(e);
                }
            }
            t.extras = extension(ch, "x-ktopo-topic");
            t.deprecated = t.marked_deprecated();
            p.topics.push(t);
            keys.push(key.clone());
        }
    }
    if let Some(ops) = doc.field(&doc.root, "operations")? {
        for (_, op) in ops.entries() {
            let op = doc.deref(op)?;
            operation(doc, op, &app, &keys, &mut p)?;
        }
    }
    Ok(p)
}

fn operation(
    doc: &Doc,
    op: &super::tree::Node,
    app: &Service,
    keys: &[String],
    p: &mut Platform,
) -> Result<(), ImportError> {
    let role = match op.get("action").and_then(|a| a.str()) {
        Some("send") => Role::Produce,
        Some("receive") => Role::Consume,
        _ => {
            return Err(doc.error(
                op.get("action").map_or(op.loc, |a| a.loc),
                "invalid-value",
                "an operation's `action` must be `send` or `receive`".into(),
                "AsyncAPI 3.0 operations say what the application does: send or receive",
            ))
        }
    };
    let (service, group) = channel::operation_service_and_group(doc, op, app, p)?;
    let at = topic_of(doc, op, keys)?;
    let link = Link {
        service: service.clone(),
        group: if role == Role::Consume { group } else { None },
        extras: extension(op, "x-ktopo-endpoint"),
    };
    p.topics[at].add(role, link);
    if let Some(reply) = doc.field(op, "reply")? {
        if reply.get("channel").is_some() {
            let back = topic_of(doc, reply, keys)?;
            p.topics[back].add(
                role.other(),
                Link {
                    service,
                    group: None,
                    extras: None,
                },
            );
        }
        if let Some(a) = reply.get("address") {
            p.unsupported.push(format!(
                "{}: a reply address chosen at run time (the reply's channel is linked)",
                doc.at(a.loc)
            ));
        }
    }
    Ok(())
}

/// The topic an operation's (or reply's) `channel: {$ref: '#/channels/KEY'}` names.
fn topic_of(doc: &Doc, op: &super::tree::Node, keys: &[String]) -> Result<usize, ImportError> {
    let Some(ch) = op.get("channel") else {
        return Err(doc.error(
            op.loc,
            "missing-key",
            "an operation has no `channel`".into(),
            "add `channel: {$ref: '#/channels/NAME'}`",
        ));
    };
    let key = ch
        .get("$ref")
        .and_then(|r| r.str())
        .and_then(|r| r.strip_prefix("#/channels/"))
        .map(super::refs::unescape);
    // The reference must resolve (a missing channel is the usual missing-ref error).
    doc.deref(ch)?;
    key.and_then(|k| keys.iter().position(|x| *x == k)).ok_or_else(|| {
        doc.error(
            ch.loc,
            "invalid-value",
            "an operation's `channel` must be a `$ref` to one of `#/channels`".into(),
            "write `channel: {$ref: '#/channels/NAME'}`",
        )
    })
}

/// A channel's key as a node (for its name check), placed at the channel.
fn key_node(ch: &super::tree::Node, key: &str) -> super::tree::Node {
    super::tree::Node {
        value: super::tree::Val::Str(key.to_string()),
        loc: ch.loc,
    }
}

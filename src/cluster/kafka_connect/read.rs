//! One read of a Connect cluster: every connector with its status and config in one
//! request where the worker expands (`?expand=status&expand=info`, Kafka 2.3+), else a
//! request per connector; then the topics each uses (KIP-558, Kafka 2.5+). A worker
//! that stops answering ends the read (later requests would each wait the timeout
//! too); one that lacks an endpoint is said so, not failed.

use super::client::{Client, Fetch};
use crate::cluster::schema_registry::client::segment;
use crate::core::connectors::parse::{self, Listing};
use crate::core::connectors::{ClusterRead, Connector, Topics};

pub fn read(client: &mut Client) -> ClusterRead {
    let mut notes = Vec::new();
    let connectors = connectors(client, &mut notes);
    ClusterRead {
        name: client.settings.name.clone(),
        url: client.settings.base.clone(),
        connectors,
        notes,
    }
}

fn connectors(client: &mut Client, notes: &mut Vec<String>) -> Result<Vec<Connector>, String> {
    let first = client
        .get("/connectors?expand=status&expand=info")
        .map_err(|e| say(&e))?;
    let (listing, dropped) = parse::listing(&first).map_err(|e| e.to_string())?;
    if dropped > 0 {
        notes.push(format!(
            "{} left out (past {} connectors, or a name longer than {} bytes)",
            crate::core::words::count(dropped, "connector", "connectors"),
            parse::MAX_CONNECTORS,
            parse::MAX_NAME_BYTES
        ));
    }
    let mut list = match listing {
        Listing::Expanded(list) => list,
        Listing::Names(names) => {
            notes.push("an old worker (before Kafka 2.3, no `expand`): each connector read on its own".into());
            one_by_one(client, &names, notes)
        }
    };
    used_topics(client, &mut list, notes);
    Ok(list)
}

/// `GET /connectors/{name}/status` and `/connectors/{name}` for each name.
fn one_by_one(client: &mut Client, names: &[String], notes: &mut Vec<String>) -> Vec<Connector> {
    let mut out = Vec::with_capacity(names.len());
    let mut silent = None;
    for name in names {
        let base = format!("/connectors/{}", segment(name));
        let (mut status, mut info) = (None, None);
        if silent.is_none() {
            match client.get(&format!("{base}/status")) {
                Ok(v) => status = Some(v),
                Err(e) if e.no_answer() => silent = Some(e),
                Err(e) => notes.push(format!("{}: status unread: {}", shown(name), say(&e))),
            }
        }
        if silent.is_none() {
            match client.get(&base) {
                Ok(v) => info = Some(v),
                Err(e) if e.no_answer() => silent = Some(e),
                Err(e) => notes.push(format!("{}: config unread: {}", shown(name), say(&e))),
            }
        }
        out.push(parse::connector(name, info.as_ref(), status.as_ref()));
    }
    if let Some(e) = silent {
        notes.push(format!(
            "the worker stopped answering ({}): the rest is unread",
            say(&e)
        ));
    }
    out
}

/// KIP-558's topics per connector; 404 (before Kafka 2.5) and 403
/// (`topic.tracking.enable=false`) are said once and end the asking.
fn used_topics(client: &mut Client, list: &mut [Connector], notes: &mut Vec<String>) {
    let mut unserved: Option<String> = None;
    for c in list.iter_mut() {
        if let Some(why) = &unserved {
            c.topics = Topics::NotServed(why.clone());
            continue;
        }
        c.topics = match client.get(&format!("/connectors/{}/topics", segment(&c.name))) {
            Ok(v) => match parse::topics(&c.name, &v) {
                Ok(t) => Topics::Used(t),
                Err(e) => Topics::Unread(e.to_string()),
            },
            Err(Fetch::Status { status: 404, .. }) => {
                let why = "the worker does not serve /connectors/{name}/topics (before Kafka 2.5)".to_string();
                notes.push(format!("topics in use unknown: {why}"));
                unserved = Some(why.clone());
                Topics::NotServed(why)
            }
            Err(Fetch::Status { status: 403, .. }) => {
                let why = "topic tracking is disabled on the worker (topic.tracking.enable=false)".to_string();
                notes.push(format!("topics in use unknown: {why}"));
                unserved = Some(why.clone());
                Topics::NotServed(why)
            }
            Err(e) if e.no_answer() => {
                let why = format!("the worker stopped answering ({})", say(&e));
                notes.push(format!("topics in use unread: {why}"));
                unserved = Some(why.clone());
                Topics::Unread(why)
            }
            Err(e) => Topics::Unread(say(&e)),
        };
    }
}

/// A fetch error in words, with a hint where one helps.
fn say(e: &Fetch) -> String {
    match e {
        Fetch::Status { status: 401 | 403, .. } => format!(
            "{e}: set connect.basic.auth.user.info=USER:PASSWORD with -X or -F (or connect.NAME.basic.auth.user.info)"
        ),
        e => e.to_string(),
    }
}

fn shown(name: &str) -> String {
    crate::core::words::cut(&crate::core::visible::one_line(name), 120)
}

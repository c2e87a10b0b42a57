//! One read of a Connect cluster: every connector with its status and config in one
//! request where the worker expands (`?expand=status&expand=info`, Kafka 2.3+), else a
//! request per connector; then the topics each uses (KIP-558, Kafka 2.5+). A worker
//! that stops answering ends the read (later requests would each wait the timeout
//! too); one that lacks an endpoint is said so, not failed. A read has a deadline and a
//! byte budget (`BUDGET`): an old or hostile worker answering each of 10,000 requests
//! just in time would otherwise hold a read for hours and gigabytes; what is left
//! unread is said in a note.

use super::client::{Client, Fetch};
use crate::cluster::http::segment;
use crate::core::connectors::parse::{self, Listing};
use crate::core::connectors::{ClusterRead, Connector, Topics};
use std::time::{Duration, Instant};

/// What one read of a cluster may spend.
#[derive(Debug, Clone, Copy)]
pub struct Budget {
    /// The whole read's time: each request is cut to what is left.
    pub time: Duration,
    /// Bytes of answers, all requests together.
    pub bytes: u64,
}

/// A read every 30 s (the live session) stays well inside its interval's reach, and
/// holds far less than a worker could send.
pub const BUDGET: Budget = Budget {
    time: Duration::from_secs(20),
    bytes: 32 << 20,
};

/// One read under `BUDGET`, its time at least one request's (a cluster given a longer
/// `connect.request.timeout.ms` gets that).
pub fn read(client: &mut Client) -> ClusterRead {
    let time = BUDGET.time.max(client.timeout());
    read_within(client, Budget { time, ..BUDGET })
}

/// One read under `budget`.
pub fn read_within(client: &mut Client, budget: Budget) -> ClusterRead {
    let mut notes = Vec::new();
    client.until = Instant::now().checked_add(budget.time);
    let spent = Spent {
        budget,
        until: client.until,
        bytes_until: client.received.saturating_add(budget.bytes),
    };
    let connectors = connectors(client, &spent, &mut notes);
    client.until = None;
    ClusterRead {
        name: client.settings.name.clone(),
        url: client.settings.base.clone(),
        connectors,
        notes,
    }
}

/// Whether the read's budget is spent, and how to say it.
struct Spent {
    budget: Budget,
    until: Option<Instant>,
    bytes_until: u64,
}

impl Spent {
    fn why(&self, client: &Client) -> Option<String> {
        if self.until.is_some_and(|u| Instant::now() >= u) {
            Some(format!("the read's {} s ran out", self.budget.time.as_secs_f64()))
        } else if client.received >= self.bytes_until {
            let b = self.budget.bytes;
            Some(if b.is_multiple_of(1 << 20) {
                format!("the read's {} MiB of answers were spent", b >> 20)
            } else {
                format!("the read's {b} bytes of answers were spent")
            })
        } else {
            None
        }
    }
}

fn connectors(client: &mut Client, spent: &Spent, notes: &mut Vec<String>) -> Result<Vec<Connector>, String> {
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
            one_by_one(client, &names, spent, notes)
        }
    };
    used_topics(client, &mut list, spent, notes);
    Ok(list)
}

/// `GET /connectors/{name}/status` and `/connectors/{name}` for each name.
fn one_by_one(client: &mut Client, names: &[String], spent: &Spent, notes: &mut Vec<String>) -> Vec<Connector> {
    let mut out = Vec::with_capacity(names.len());
    let mut silent = None;
    let mut unread = 0;
    let mut over = None;
    for name in names {
        if silent.is_none() && over.is_none() {
            over = spent.why(client);
        }
        if over.is_some() {
            unread += 1;
            out.push(parse::connector(name, None, None));
            continue;
        }
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
    if let Some(why) = over {
        notes.push(format!(
            "{why}: {} of {} unread (state and config unknown)",
            crate::core::words::count(unread, "connector", "connectors"),
            names.len()
        ));
    } else if let Some(e) = silent {
        // A request cut by the deadline is the deadline's, not the worker's silence.
        let why = spent
            .why(client)
            .unwrap_or_else(|| format!("the worker stopped answering ({})", say(&e)));
        notes.push(format!("{why}: the rest is unread"));
    }
    out
}

/// KIP-558's topics per connector; 404 (before Kafka 2.5) and 403
/// (`topic.tracking.enable=false`) are said once and end the asking.
fn used_topics(client: &mut Client, list: &mut [Connector], spent: &Spent, notes: &mut Vec<String>) {
    let mut unserved: Option<String> = None;
    let mut over: Option<(String, usize)> = None;
    for c in list.iter_mut() {
        if let Some(why) = &unserved {
            c.topics = Topics::NotServed(why.clone());
            continue;
        }
        if over.is_none() {
            over = spent.why(client).map(|w| (w, 0));
        }
        if let Some((why, n)) = &mut over {
            *n += 1;
            c.topics = Topics::Unread(why.clone());
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
                let why = spent
                    .why(client)
                    .unwrap_or_else(|| format!("the worker stopped answering ({})", say(&e)));
                notes.push(format!("topics in use unread: {why}"));
                unserved = Some(why.clone());
                Topics::Unread(why)
            }
            Err(e) => Topics::Unread(say(&e)),
        };
    }
    if let Some((why, n)) = over {
        notes.push(format!(
            "{why}: topics in use unread for {}",
            crate::core::words::count(n, "connector", "connectors")
        ));
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

//! `ktopo peek`: the last messages of a topic, read without joining a group.

use super::args::*;
use super::common::*;
use crate::cluster::connect::ConnArgs;
use crate::core::registry::Registry;

pub(super) fn peek_cmd(reg: &Registry, conn: &ConnArgs, a: &PeekArgs) -> i32 {
    let c = match cluster_for(conn, reg, "peek", crate::cluster::connect::Reads::Once) {
        Ok(c) => c,
        Err(code) => return code,
    };
    if c.demo.is_some() {
        // The demo cluster was created empty a moment ago: let its producers write.
        std::thread::sleep(std::time::Duration::from_secs(2));
    }
    let req = crate::cluster::kafka::peek::Request {
        topic: a.topic.clone(),
        last: a.last,
        partition: a.partition,
        timeout: std::time::Duration::from_secs(10),
        value_cap: 64 * 1024,
        total_cap: 16 << 20,
    };
    let mut decoder = match crate::cluster::schema_registry::settings::from_properties(&c.props) {
        Ok(s) if !a.raw => s.map(crate::cluster::schema_registry::decoder::Decoder::new),
        Ok(_) => None,
        Err(e) => {
            fatal(&e.to_string());
            std::mem::forget(c);
            return crate::core::exit::USAGE;
        }
    };
    let code = match crate::cluster::kafka::peek::peek(&c.props, &req) {
        Err(e) => {
            fatal(&e.to_string());
            crate::core::exit::CLUSTER
        }
        Ok((msgs, mut notes)) => {
            let decoded: Vec<_> = match decoder.as_mut() {
                Some(d) => {
                    let out = msgs.iter().map(|m| d.message(m)).collect();
                    notes.extend(d.take_notes());
                    out
                }
                None => Vec::new(),
            };
            let out = if a.json {
                let j = crate::cluster::kafka::peek::json_decoded(&a.topic, &msgs, &decoded, &notes);
                let mut s = serde_json::to_string_pretty(&j).unwrap_or_default();
                s.push('\n');
                s
            } else {
                crate::cluster::kafka::peek::text_decoded(&a.topic, &msgs, &decoded, &notes)
            };
            crate::cli::output::stdout(&out)
        }
    };
    std::mem::forget(c);
    code
}

//! `ktopo peek`: the last messages of a topic, read without joining a group.

use super::args::*;
use super::common::*;
use crate::cluster::connect::ConnArgs;
use crate::core::registry::Registry;

pub(super) fn peek_cmd(reg: &Registry, conn: &ConnArgs, a: &PeekArgs) -> i32 {
    let c = match cluster_for(conn, reg, "peek") {
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
    let code = match crate::cluster::kafka::peek::peek(&c.props, &req) {
        Err(e) => {
            fatal(&e.to_string());
            crate::core::exit::CLUSTER
        }
        Ok((msgs, notes)) => {
            let out = if a.json {
                let mut s = serde_json::to_string_pretty(&crate::cluster::kafka::peek::json(&a.topic, &msgs, &notes))
                    .unwrap_or_default();
                s.push('\n');
                s
            } else {
                crate::cluster::kafka::peek::text(&a.topic, &msgs, &notes)
            };
            crate::cli::output::stdout(&out)
        }
    };
    std::mem::forget(c);
    code
}

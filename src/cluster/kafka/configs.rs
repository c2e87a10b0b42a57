//! Topic configuration (DescribeConfigs, read-only) for drift: `retention.ms`,
//! `compression.type` and friends. One short-lived admin handle per call, bounded by a
//! timeout; brokers that do not serve DescribeConfigs (the mock cluster) give an error
//! that drift reports as "not computed".

use super::config::{scrub, Properties};
use crate::core::sample::ConfigsError;
use rdkafka::admin::{AdminClient, AdminOptions, ResourceSpecifier};
use rdkafka::client::DefaultClientContext;
use std::collections::HashMap;
use std::time::Duration;

/// Keys drift compares; the rest of a topic's configuration is not kept.
const KEYS: [&str; 4] = [
    "retention.ms",
    "compression.type",
    "cleanup.policy",
    "min.insync.replicas",
];

/// Configuration of `topics`, by topic name.
pub fn topic_configs(
    props: &Properties,
    topics: &[String],
    timeout: Duration,
) -> Result<HashMap<String, HashMap<String, String>>, ConfigsError> {
    if topics.is_empty() {
        return Ok(HashMap::new());
    }
    let mut cfg = props.to_client_config();
    cfg.set("client.id", props.get("client.id").unwrap_or("ktopo"));
    let admin: AdminClient<DefaultClientContext> = cfg
        .create()
        .map_err(|e| ConfigsError::Client(scrub(&e.to_string(), props)))?;
    let specs: Vec<ResourceSpecifier> = topics.iter().map(|t| ResourceSpecifier::Topic(t)).collect();
    let opts = AdminOptions::new().request_timeout(Some(timeout));
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .map_err(|e| ConfigsError::Runtime(e.to_string()))?;
    let answer = rt.block_on(async {
        tokio::time::timeout(
            timeout + Duration::from_millis(500),
            admin.describe_configs(&specs, &opts),
        )
        .await
    });
    let results = match answer {
        Err(_) => return Err(ConfigsError::Timeout(timeout)),
        Ok(Err(e)) => return Err(ConfigsError::Failed(scrub(&e.to_string(), props))),
        Ok(Ok(r)) => r,
    };
    let mut out = HashMap::new();
    for (topic, r) in topics.iter().zip(results) {
        if let Ok(res) = r {
            let entries = res
                .entries
                .into_iter()
                .filter(|e| KEYS.contains(&e.name.as_str()))
                .filter_map(|e| e.value.map(|v| (e.name, v)))
                .collect();
            out.insert(topic.clone(), entries);
        }
    }
    Ok(out)
}

//! Connectors drafted from what each Connect cluster answered: name, type, class, the
//! drafted topics each uses and, a guess, the service that owns it. A sink's group
//! (`connect-NAME` or its override) is the connector's, never a service of its own.

use super::ConnectorDraft;
use crate::core::connectors::{ClusterRead, Kind, Topics};
use crate::core::registry::model::ConnectorType;
use crate::core::visible::one_line;
use std::collections::{BTreeMap, BTreeSet};

/// The groups sink connectors consume with.
pub fn sink_groups(reads: &[ClusterRead]) -> BTreeSet<String> {
    reads
        .iter()
        .filter_map(|r| r.connectors.as_ref().ok())
        .flatten()
        .filter_map(|c| c.group())
        .collect()
}

/// The owner of connector `name`: the longest of `keys` its name starts or ends with
/// (`billing-sink` → `billing`), else one named after it (`warehouse-sink` →
/// `warehouse`, `cdc` → `cdc_owner`). With why, for the `# guess:` comment.
pub fn guess_owner<'a>(name: &str, keys: impl Iterator<Item = &'a str>) -> (String, String) {
    let n = super::key::service_key(name);
    let sep = |c: char| c == '_' || c == '-';
    let named = keys
        .filter(|k| !k.is_empty() && *k != n && *k != name)
        .filter(|k| {
            n.strip_prefix(*k).is_some_and(|r| r.starts_with(sep))
                || n.strip_suffix(*k).is_some_and(|r| r.ends_with(sep))
        })
        .max_by_key(|k| k.len());
    if let Some(k) = named {
        return (k.to_string(), format!("the connector's name starts or ends with `{k}`"));
    }
    let mut base = n.as_str();
    while let Some(b) = ["-sink", "_sink", "-source", "_source", "-connector", "_connector"]
        .iter()
        .find_map(|s| base.strip_suffix(s))
    {
        base = b;
    }
    let key = if base.is_empty() || base == n || base == name {
        format!("{n}_owner")
    } else {
        base.to_string()
    };
    (
        key,
        "named after the connector: no service's name is part of its name".into(),
    )
}

/// Every connector of `reads` that can be declared, on the drafted `topics`; the new
/// owners are added to `services`, what is left out said in `notes`.
pub fn connectors(
    reads: &[ClusterRead],
    topics: &BTreeSet<&str>,
    services: &mut BTreeMap<String, Vec<String>>,
    notes: &mut Vec<String>,
) -> Vec<ConnectorDraft> {
    let mut out: Vec<ConnectorDraft> = Vec::new();
    let several = reads.len() > 1;
    let owners: Vec<String> = services.keys().cloned().collect();
    for r in reads {
        let cluster = one_line(&r.name);
        for n in &r.notes {
            notes.push(format!("Connect cluster {cluster}: {}", one_line(n)));
        }
        let list = match &r.connectors {
            Ok(l) => l,
            Err(e) => {
                notes.push(format!(
                    "Connect cluster {cluster} not read ({}): no connector of it drafted",
                    one_line(e)
                ));
                continue;
            }
        };
        for c in list {
            let shown = one_line(&c.name);
            let kind = match c.kind {
                Kind::Source => ConnectorType::Source,
                Kind::Sink => ConnectorType::Sink,
                Kind::Unknown(ref k) => {
                    notes.push(format!(
                        "connector `{shown}` has type `{}`, neither source nor sink",
                        one_line(k)
                    ));
                    continue;
                }
            };
            if c.name.trim().is_empty() || services.contains_key(&c.name) || out.iter().any(|o| o.name == c.name) {
                notes.push(format!(
                    "connector `{shown}` on {cluster}: its name is empty, a service's or another connector's"
                ));
                continue;
            }
            let (listed, unknown): (Vec<&String>, Vec<&String>) =
                c.known_topics().iter().partition(|t| topics.contains(t.as_str()));
            if !unknown.is_empty() {
                notes.push(format!(
                    "connector `{shown}` uses {} not on the cluster: not listed",
                    crate::core::words::count(unknown.len(), "topic", "topics")
                ));
            }
            let mut names: Vec<String> = listed.into_iter().cloned().collect();
            let topics_why = match &c.topics {
                Topics::Used(_) => "the topics it uses, as its worker reports them".to_string(),
                Topics::NotServed(why) | Topics::Unread(why) if !names.is_empty() => {
                    format!("its `topics` configuration (topics in use unknown: {})", one_line(why))
                }
                Topics::NotServed(why) | Topics::Unread(why) => match &c.config_topics_regex {
                    Some(re) if crate::core::registry::pattern::Pattern::parse(&format!("re:{re}")).is_ok() => {
                        names.push(format!("re:{re}"));
                        "its `topics.regex` configuration".to_string()
                    }
                    _ => format!("no topics known: {}", one_line(why)),
                },
            };
            let (owner, owner_why) = guess_owner(&c.name, owners.iter().map(String::as_str));
            out.push(ConnectorDraft {
                name: c.name.clone(),
                kind,
                class: c.class.clone(),
                owner,
                owner_why,
                topics: names,
                topics_why,
                group: c.group_override.clone().filter(|_| kind == ConnectorType::Sink),
                connect: several.then(|| r.name.clone()),
            });
        }
    }
    // An owner named like another connector would be a duplicate name.
    let names: BTreeSet<String> = out.iter().map(|c| c.name.clone()).collect();
    for c in &mut out {
        if names.contains(&c.owner) {
            c.owner.push_str("_owner");
        }
        services.entry(c.owner.clone()).or_default().push(format!(
            "owns connector `{}` ({})",
            one_line(&c.name),
            c.owner_why
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::guess_owner;

    #[test]
    fn an_owner_named_in_the_connector_else_one_named_after_it() {
        let keys = ["billing", "bill", "orders"];
        assert_eq!(guess_owner("billing-sink", keys.iter().copied()).0, "billing");
        assert_eq!(guess_owner("s3-orders", keys.iter().copied()).0, "orders");
        assert_eq!(guess_owner("warehouse-sink", keys.iter().copied()).0, "warehouse");
        assert_eq!(
            guess_owner("Warehouse_Source_Connector", keys.iter().copied()).0,
            "warehouse"
        );
        assert_eq!(guess_owner("cdc", keys.iter().copied()).0, "cdc_owner");
        // A service of the connector's own name is not its owner.
        assert_eq!(guess_owner("orders", keys.iter().copied()).0, "orders_owner");
    }
}

//! The comparisons: topics, configuration, consumers, the expected-consumer contract
//! and deprecated topics still in use. Pure: registry + facts in, findings out.

use super::facts::Facts;
use super::out::Out;
use super::{Finding, Report};
use crate::core::diag::Severity;
use crate::core::registry::model::group_id;
use crate::core::registry::{Registry, Status};
use crate::core::time::{ago, days, rfc3339};

/// What drift is run with besides the registry and the facts.
#[derive(Debug, Clone)]
pub struct Options {
    /// Environment whose replication factor is expected (`--env`).
    pub environment: String,
    /// True when the user chose it; the output says when it is the default.
    pub environment_chosen: bool,
    /// Now, as ms since 1970-01-01 UTC (deprecation periods, last writes).
    pub now_ms: i64,
}

impl Options {
    /// Today, as days since 1970-01-01.
    pub fn today(&self) -> i64 {
        self.now_ms.div_euclid(86_400_000)
    }
}

/// Topics Kafka and its ecosystem create for themselves: never "undeclared".
pub fn internal(topic: &str) -> bool {
    topic.starts_with("__")
        || topic.starts_with("_confluent")
        || topic == "_schemas"
        || topic.starts_with("connect-")
        || topic.ends_with("-changelog")
        || topic.ends_with("-repartition")
}

pub fn compute(reg: &Registry, facts: &Facts, opts: &Options) -> Report {
    let mut out = Out {
        findings: Vec::new(),
        reg,
    };
    let mut not_computed = Vec::new();
    let mut failed = Vec::new();
    topics(reg, facts, opts, &mut out);
    configuration(reg, facts, opts, &mut out, &mut not_computed);
    consumers(reg, facts, &mut out, &mut not_computed, &mut failed);
    deprecated_in_use(reg, facts, &mut out);
    super::schemas::schemas(reg, facts, &mut out, &mut not_computed, &mut failed);
    if facts.samples < 2 {
        not_computed.push("produce rates (writes to deprecated topics) need two samples or more".into());
    }
    if facts.tails.is_none() {
        not_computed.push("observed events and producers: no messages sampled yet".into());
    }
    for p in &facts.tail_problems {
        failed.push(format!(
            "observed events and producers: messages of {} could not be read",
            crate::core::visible::one_line(p)
        ));
    }
    let mut findings = out.findings;
    super::sort(&mut findings);
    Report {
        findings,
        not_computed,
        failed,
        environment: if opts.environment_chosen {
            opts.environment.clone()
        } else {
            format!("{} (the default; choose with --env)", opts.environment)
        },
        samples: facts.samples,
    }
}

fn topics(reg: &Registry, facts: &Facts, opts: &Options, out: &mut Out) {
    let ignored: Vec<crate::core::registry::pattern::Pattern> = reg
        .conventions
        .drift_ignore
        .iter()
        .filter_map(|p| crate::core::registry::pattern::Pattern::parse(p).ok())
        .collect();
    let ignore = |n: &str| internal(n) || ignored.iter().any(|p| p.matches(n));
    for (name, _) in facts.topics.iter().filter(|(n, _)| !ignore(n)) {
        if reg.topic(name).is_none() {
            out.add(
                "undeclared-topic",
                Severity::Warning,
                Some(name),
                name,
                format!("`{name}` exists on the cluster but the registry does not declare it: add it to `topics`, or delete it"),
            );
        }
    }
    let period = reg.conventions.deprecation_period_days;
    for t in &reg.topics {
        let on_cluster = facts.topics.contains_key(&t.name);
        match (t.status, on_cluster) {
            (Status::Active, false) => {
                let users: Vec<&str> = t
                    .producers
                    .iter()
                    .chain(&t.consumers)
                    .map(|e| reg.services[e.service].key.as_str())
                    .collect();
                out.add(
                    "missing-topic",
                    Severity::Error,
                    Some(&t.name),
                    &t.name,
                    format!("`{}` is declared active but does not exist on the cluster", t.name),
                )
                .about(&users);
            }
            (Status::Proposed, true) => {
                out.add(
                    "proposed-created",
                    Severity::Warning,
                    Some(&t.name),
                    &t.name,
                    format!(
                        "`{}` is only proposed in the registry but already exists on the cluster: record the decision",
                        t.name
                    ),
                );
            }
            (Status::Deprecated, true) => {
                let replaced = t.replaced_by().unwrap_or("its replacement");
                let since = t
                    .deprecation
                    .as_ref()
                    .and_then(|d| d.deprecated_on.as_deref())
                    .and_then(days);
                let when = match (since, period) {
                    (Some(s), Some(p)) => {
                        let left = s + i64::from(p) - opts.today();
                        if left >= 0 {
                            format!("; {left} of the {p}-day deprecation period left")
                        } else {
                            format!("; the {p}-day deprecation period ended {} days ago", -left)
                        }
                    }
                    (None, Some(p)) => format!("; the registry does not date the deprecation ({p}-day period)"),
                    _ => String::new(),
                };
                let written = match facts.topics.get(&t.name).and_then(|f| f.last_write_ms) {
                    Some(ms) => format!("; last written {} ({} ago)", rfc3339(ms), ago(opts.now_ms - ms)),
                    None => String::new(),
                };
                out.add(
                    "deprecated-present",
                    Severity::Note,
                    Some(&t.name),
                    &t.name,
                    format!(
                        "deprecated `{}` still exists on the cluster (replaced by `{replaced}`){when}{written}",
                        t.name
                    ),
                );
            }
            _ => {}
        }
    }
}

fn configuration(reg: &Registry, facts: &Facts, opts: &Options, out: &mut Out, not_computed: &mut Vec<String>) {
    let defaults = &reg.conventions.defaults;
    for t in reg.topics.iter().filter(|t| t.status != Status::Proposed) {
        let Some(f) = facts.topics.get(&t.name) else { continue };
        let origin = |key: &'static str| -> String {
            if t.config.overridden.contains(&key) {
                format!("the topic's own `{key}`")
            } else {
                "the registry's default".to_string()
            }
        };
        if let Some(want) = t.config.partitions {
            if f.partitions != want as usize {
                let from = origin("partitions");
                let d = out.add(
                    "partitions",
                    Severity::Warning,
                    Some(&t.name),
                    &t.name,
                    format!(
                        "`{}` has {} partitions on the cluster; {from} is {want}",
                        t.name, f.partitions
                    ),
                );
                if !t.config.overridden.contains(&"partitions") {
                    d.loc = reg.conventions.default_at("partitions");
                }
            }
        }
        let want_rf = t.config.replication.get(&opts.environment).copied();
        if let (Some(want), Some(have)) = (want_rf, f.replication) {
            if have != want as usize {
                out.add(
                    "replication",
                    Severity::Warning,
                    Some(&t.name),
                    &t.name,
                    format!(
                        "`{}` has replication factor {have}; the registry expects {want} in {}",
                        t.name, opts.environment
                    ),
                );
            }
        }
        let Some(cfg) = &f.configs else { continue };
        let retention_days = if t.audit {
            defaults.audit_retention_days.or(t.config.retention_days)
        } else {
            t.config.retention_days
        };
        if let (Some(days), Some(ms)) = (
            retention_days,
            cfg.get("retention.ms").and_then(|v| v.parse::<i64>().ok()),
        ) {
            let want = i64::from(days) * 86_400_000;
            if ms != want {
                let have = if ms < 0 {
                    "unlimited".to_string()
                } else {
                    format!("{:.1} days", ms as f64 / 86_400_000.0)
                };
                let d = out.add(
                    "retention",
                    Severity::Warning,
                    Some(&t.name),
                    &t.name,
                    format!(
                        "`{}` keeps messages {have} (retention.ms={ms}); the registry expects {days} days",
                        t.name
                    ),
                );
                if t.audit {
                    d.loc = reg.conventions.default_at("audit_retention_days");
                } else if !t.config.overridden.contains(&"retention_days") {
                    d.loc = reg.conventions.default_at("retention_days");
                }
            }
        }
        if let (Some(want), Some(have)) = (&t.config.compression, cfg.get("compression.type")) {
            if !have.eq_ignore_ascii_case(want) {
                out.add(
                    "compression",
                    Severity::Note,
                    Some(&t.name),
                    &t.name,
                    format!("`{}` uses compression.type={have}; the registry expects {want}", t.name),
                );
            }
        }
    }
    if let Some(why) = &facts.configs_missing {
        not_computed.push(format!("retention and compression drift: {why}"));
    }
}

fn consumers(reg: &Registry, facts: &Facts, out: &mut Out, not_computed: &mut Vec<String>, failed: &mut Vec<String>) {
    let format = reg.conventions.group_format().unwrap_or("");
    let convention = reg
        .conventions
        .group_format()
        .and_then(crate::core::registry::pattern::naming_regex);
    for (group, g) in &facts.groups {
        for topic in g.committed_on.union(&g.members_on) {
            let declared = g.declared_on.contains(topic) || reg.consumer_by_group(topic, group).is_some();
            if declared || reg.topic(topic).is_none_or(|t| t.status == Status::Deprecated) {
                // Deprecated topics are reported as migrations below.
                continue;
            }
            // A service's conventional group on a topic it no longer declares.
            let owner = reg
                .services
                .iter()
                .find(|s| s.group.as_deref() == Some(group.as_str()) || group_id(format, &s.key, topic) == *group);
            match owner {
                Some(s) if g.members_on.contains(topic) => {
                    out.add(
                        "undeclared-consumer",
                        Severity::Warning,
                        Some(topic),
                        group,
                        format!("group `{group}` of service `{}` has live members on `{topic}`, which the registry does not list it as consuming", s.key),
                    ).about(&[&s.key]);
                }
                Some(s) => {
                    out.add(
                        "abandoned-group",
                        Severity::Note,
                        Some(topic),
                        group,
                        format!("group `{group}` still has commits on `{topic}`, which service `{}` no longer declares: ABANDONED (delete its offsets when done)", s.key),
                    ).about(&[&s.key]);
                }
                None => {
                    let naming = match &convention {
                        Some(re) if !re.is_match(group) => format!("; its name breaks the convention `{format}`"),
                        _ => String::new(),
                    };
                    out.add(
                        "undeclared-consumer",
                        Severity::Warning,
                        Some(topic),
                        group,
                        format!(
                            "group `{group}` consumes `{topic}` but no service in the registry declares it{naming}"
                        ),
                    );
                }
            }
        }
        if let Some(e) = &g.error {
            // Unreadable is not absent: no MISSING for a group whose offsets were denied.
            failed.push(format!(
                "consumer group `{}`: {}",
                crate::core::visible::one_line(group),
                crate::core::visible::one_line(e)
            ));
            continue;
        }
        for topic in &g.declared_on {
            let on_cluster = facts.topics.contains_key(topic);
            let active = reg.topic(topic).is_some_and(|t| t.status == Status::Active);
            if on_cluster && active && !g.committed_on.contains(topic) && !g.members_on.contains(topic) {
                let pattern = reg
                    .topic(topic)
                    .and_then(|t| t.consumers.iter().find(|c| c.group.as_deref() == Some(group)))
                    .and_then(|c| c.pattern.clone())
                    .map(|p| format!(" (subscribed through the pattern `{p}`)"))
                    .unwrap_or_default();
                let owner: Vec<&str> = g
                    .service
                    .as_deref()
                    .or_else(|| {
                        reg.consumer_by_group(topic, group)
                            .map(|c| reg.services[c.service].key.as_str())
                    })
                    .into_iter()
                    .collect();
                out.add(
                    "missing-consumer",
                    Severity::Error,
                    Some(topic),
                    group,
                    format!("MISSING: declared consumer group `{group}` has no commits and no members on `{topic}`{pattern}: the consumer is not running, or its offsets expired"),
                ).about(&owner);
            }
        }
    }
    match &facts.groups_unlisted {
        Some(super::facts::Unlisted::Cannot(_)) => {
            not_computed.push("undeclared and abandoned consumers: this cluster does not list its groups".into())
        }
        Some(super::facts::Unlisted::Failed(e)) => failed.push(format!(
            "undeclared and abandoned consumers: the cluster's groups could not all be listed ({})",
            crate::core::visible::one_line(e)
        )),
        None => {}
    }
}

fn deprecated_in_use(reg: &Registry, facts: &Facts, out: &mut Out) {
    for t in reg.topics.iter().filter(|t| t.status == Status::Deprecated) {
        let Some(f) = facts.topics.get(&t.name) else { continue };
        let replaced = t.replaced_by().unwrap_or("its replacement");
        let producers: Vec<&str> = t
            .producers
            .iter()
            .map(|p| reg.services[p.service].key.as_str())
            .collect();
        // The last interval's rate, else the session's: rare writes are writes too.
        let rate = match (f.produce_rate, f.session_rate) {
            (Some(r), _) if r > 0.0 => Some(format!("{r:.1} msg/s")),
            (_, Some(r)) if r > 0.0 => Some(format!("{} since ktopo started watching", rate_words(r))),
            _ => None,
        };
        if let Some(rate) = rate {
            out.add(
                "deprecated-written",
                Severity::Warning,
                Some(&t.name),
                &t.name,
                format!(
                    "deprecated `{}` still receives writes: {rate}; its producers must move to `{replaced}`",
                    t.name
                ),
            )
            .about(&producers);
        }
        let reading: Vec<(&String, &super::facts::GroupFacts)> = facts
            .groups
            .iter()
            .filter(|(_, g)| g.committed_on.contains(&t.name) || g.members_on.contains(&t.name))
            .collect();
        let readers: Vec<&str> = reading.iter().map(|(n, _)| n.as_str()).collect();
        let services: Vec<&str> = reading.iter().filter_map(|(_, g)| g.service.as_deref()).collect();
        if !readers.is_empty() {
            out.add(
                "deprecated-consumed",
                Severity::Warning,
                Some(&t.name),
                &t.name,
                format!(
                    "deprecated `{}` is still read by {} group(s) that must migrate to `{replaced}`: {}",
                    t.name,
                    readers.len(),
                    readers.join(", ")
                ),
            )
            .about(&services);
        }
    }
}

/// What the topics' last messages show against the registry (`observe/`), placed
/// at their topics. Apart from `compute` because it changes only when new messages
/// are sampled (once a minute): the TUI keeps it between samples.
pub fn observed(reg: &Registry, tails: &crate::core::sample::Tails) -> Vec<Finding> {
    let observations: Vec<_> = tails
        .iter()
        .map(|(topic, msgs)| crate::core::observe::observe(reg, topic, msgs))
        .collect();
    let mut out = crate::core::observe::findings(reg, &observations);
    for f in &mut out {
        f.loc = f.topic.as_deref().and_then(|t| reg.topic(t)).map(|t| t.loc);
    }
    out
}

/// Migration progress of a deprecated topic, for the deprecated view: groups still on
/// the old topic, and the residual write rate.
pub fn migration(facts: &Facts, topic: &str) -> Option<(usize, Option<f64>)> {
    let f = facts.topics.get(topic)?;
    let readers = facts
        .groups
        .values()
        .filter(|g| g.committed_on.contains(topic) || g.members_on.contains(topic))
        .count();
    Some((readers, f.produce_rate))
}

/// A small rate with the digits or the unit that keep it non-zero (0.020 msg/s, not
/// 0.0; one message in two hours is 0.5 msg/h, not 0.000 msg/s).
fn rate_words(r: f64) -> String {
    if r >= 0.1 {
        format!("{r:.1} msg/s")
    } else if r >= 0.001 {
        format!("{r:.3} msg/s")
    } else {
        format!("{:.1} msg/h", r * 3600.0)
    }
}

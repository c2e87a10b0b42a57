//! `ktopo diff OLD NEW` through the real binary: every rule on both seed registries
//! (edited copies written into tempdirs), renames, additions only, identical files, a
//! git revision, a bad one, every format, hostile names and the exit codes.

use crate::common;
use assert_cmd::Command;
use std::path::Path;

const MAIN: &str = "registry.yaml";
const ENTERPRISE: &str = "assets/registries/enterprise-agent-platform.yaml";

fn seed(rel: &str) -> String {
    std::fs::read_to_string(common::root().join(rel)).unwrap()
}

fn ktopo(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("ktopo").unwrap();
    c.current_dir(dir).env_remove("KTOPO_REGISTRY");
    c
}

/// `from` replaced by `to`, once; the edit must apply.
fn once(s: &str, from: &str, to: &str) -> String {
    assert!(s.contains(from), "the seed no longer has {from:?}");
    s.replacen(from, to, 1)
}

/// The topic block that starts at `  - name: NAME` removed, up to the next entry,
/// comment or top-level key.
fn cut_topic(s: &str, name: &str) -> String {
    let start_line = format!("  - name: {name}\n");
    let start = s.find(&start_line).unwrap_or_else(|| panic!("no topic {name}"));
    let rest = &s[start + start_line.len()..];
    let mut end = rest.len();
    let mut off = 0;
    for line in rest.split_inclusive('\n') {
        if line.starts_with("  - ") || line.starts_with("  #") || (!line.starts_with(' ') && line.trim() != "") {
            end = off;
            break;
        }
        off += line.len();
    }
    format!("{}{}", &s[..start], &rest[end..])
}

/// `line` inserted after the first line equal to `after`.
fn after(s: &str, after: &str, line: &str) -> String {
    once(s, after, &format!("{after}{line}"))
}

/// A topic block inserted at the end of `topics:` (before the next section).
fn add_topic(s: &str, block: &str) -> String {
    for marker in ["\n# These topics were consolidated", "\ninfrastructure:"] {
        if s.contains(marker) {
            return once(s, marker, &format!("\n{block}{marker}"));
        }
    }
    panic!("no end of topics")
}

/// A deprecated topic added (R2 has no `deprecated_topics:` section).
fn add_deprecated(s: &str, block: &str) -> String {
    if s.contains("\ndeprecated_topics:\n") {
        return once(s, "\ndeprecated_topics:\n", &format!("\ndeprecated_topics:\n{block}"));
    }
    once(
        s,
        "\ninfrastructure:",
        &format!("\ndeprecated_topics:\n{block}\ninfrastructure:"),
    )
}

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

/// `ktopo diff old.yaml new.yaml --format json --fail-on LEVEL` in a tempdir: the
/// exit status and the parsed report.
fn diff_json(old: &str, new: &str, fail_on: &str) -> (i32, serde_json::Value) {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "old.yaml", old);
    write(dir.path(), "new.yaml", new);
    let out = ktopo(dir.path())
        .args(["diff", "old.yaml", "new.yaml", "--format", "json", "--fail-on", fail_on])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {stdout}\nstderr: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code().unwrap(), v)
}

fn changes(v: &serde_json::Value) -> &Vec<serde_json::Value> {
    v["changes"].as_array().unwrap()
}

fn codes(v: &serde_json::Value) -> Vec<String> {
    changes(v)
        .iter()
        .map(|c| c["code"].as_str().unwrap().to_string())
        .collect()
}

type Edit = fn(&str) -> String;

struct Case {
    name: &'static str,
    seed: &'static str,
    /// Applied to both sides (so the rule has something to compare).
    base: Option<Edit>,
    /// Applied to NEW only.
    edit: Edit,
    code: &'static str,
    level: &'static str,
    /// A service key the change must name among those it affects.
    affects: Option<&'static str>,
}

fn no_base(s: &str) -> String {
    s.to_string()
}

fn cases() -> Vec<Case> {
    let c = |name, seed, base, edit, code, level, affects| Case {
        name,
        seed,
        base,
        edit,
        code,
        level,
        affects,
    };
    vec![
        // --- registry.yaml ---
        c(
            "main: consumed topic removed",
            MAIN,
            None,
            |s| cut_topic(s, "billing_events"),
            "topic-removed",
            "breaking",
            Some("voice_agent"),
        ),
        c(
            "main: consumed topic renamed",
            MAIN,
            None,
            |s| once(s, "  - name: billing_events\n", "  - name: invoicing_events\n"),
            "topic-renamed",
            "breaking",
            Some("agent_copilot"),
        ),
        c(
            "main: event type removed",
            MAIN,
            None,
            |s| once(s, "research_completed, research_failed]", "research_completed]"),
            "event-removed",
            "breaking",
            Some("demo_generator"),
        ),
        c(
            "main: event type renamed",
            MAIN,
            None,
            |s| once(s, "[ticket_created,", "[ticket_opened,"),
            "event-renamed",
            "breaking",
            Some("customer_success"),
        ),
        c(
            "main: last producer removed",
            MAIN,
            None,
            |s| {
                once(
                    s,
                    "producers: [1]\n    consumers: [2, 21]",
                    "producers: []\n    consumers: [2, 21]",
                )
            },
            "last-producer-removed",
            "breaking",
            Some("demo_generator"),
        ),
        c(
            "main: partitions reduced",
            MAIN,
            None,
            |s| after(s, "  - name: research_events\n", "    partitions: 4\n"),
            "partitions-reduced",
            "breaking",
            Some("agent_copilot"),
        ),
        c(
            "main: retention reduced",
            MAIN,
            None,
            |s| after(s, "  - name: research_events\n", "    retention_days: 1\n"),
            "retention-reduced",
            "breaking",
            Some("agent_copilot"),
        ),
        c(
            "main: default partitions reduced",
            MAIN,
            None,
            |s| once(s, "    partitions: 10\n", "    partitions: 6\n"),
            "partitions-reduced",
            "breaking",
            Some("agent_copilot"),
        ),
        c(
            "main: deprecated topic removed before its sunset",
            MAIN,
            Some(|s| after(s, "  - name: nda_events\n", "    deprecated_on: \"2999-01-01\"\n")),
            |s| cut_topic(s, "nda_events"),
            "removed-before-sunset",
            "breaking",
            None,
        ),
        c(
            "main: deprecated topic removed after its sunset",
            MAIN,
            Some(|s| after(s, "  - name: nda_events\n", "    deprecated_on: \"2020-01-01\"\n")),
            |s| cut_topic(s, "nda_events"),
            "deprecated-topic-removed",
            "info",
            None,
        ),
        c(
            "main: deprecated topic removed, no date",
            MAIN,
            None,
            |s| cut_topic(s, "nda_events"),
            "removed-sunset-unknown",
            "warning",
            None,
        ),
        c(
            "main: envelope field removed",
            MAIN,
            None,
            |s| once(s, "    - { name: tenant_id, type: uuid }\n", ""),
            "envelope-field-removed",
            "breaking",
            Some("billing"),
        ),
        c(
            "main: envelope field type changed",
            MAIN,
            None,
            |s| once(s, "{ name: version, type: semver }", "{ name: version, type: string }"),
            "envelope-type-changed",
            "breaking",
            Some("billing"),
        ),
        c(
            "main: consumer group id changed",
            MAIN,
            None,
            |s| {
                once(
                    s,
                    "consumers: [1, 2, 21]",
                    "consumers: [{ service: 1, group: research_auth_v2 }, 2, 21]",
                )
            },
            "group-changed",
            "breaking",
            Some("research_engine"),
        ),
        c(
            "main: group convention changed",
            MAIN,
            None,
            |s| {
                once(
                    s,
                    "consumer_group: \"{service_name}_{topic_name}_consumer\"",
                    "consumer_group: \"{service_name}.{topic_name}\"",
                )
            },
            "group-convention-changed",
            "breaking",
            Some("agent_copilot"),
        ),
        c(
            "main: deprecated without a replacement",
            MAIN,
            None,
            |s| {
                add_deprecated(
                    &cut_topic(s, "research_events"),
                    "  - name: research_events\n    domain: presales\n    replaced_by: demo_events\n",
                )
            },
            "deprecated-no-replacement",
            "warning",
            Some("demo_generator"),
        ),
        c(
            "main: new topic without consumers",
            MAIN,
            None,
            |s| {
                add_topic(
                    s,
                    "  - name: shiny_events\n    domain: presales\n    producers: [1]\n    events: [shiny_made]\n",
                )
            },
            "new-topic-no-consumers",
            "warning",
            None,
        ),
        c(
            "main: new topic without owner",
            MAIN,
            None,
            |s| {
                add_topic(
                    s,
                    "  - name: shiny_events\n    domain: presales\n    producers: [1]\n    consumers: [2]\n",
                )
            },
            "new-topic-no-owner",
            "warning",
            Some("demo_generator"),
        ),
        c(
            "main: service removed that still owns topics",
            MAIN,
            None,
            |s| {
                once(
                    &once(
                        s,
                        "  - { id: 15, key: crm_integration, name: CRM Integration, domain: crm }\n",
                        "",
                    ),
                    "producers: [15]",
                    "producers: []",
                )
            },
            "service-removed-owning-topics",
            "warning",
            Some("crm_integration"),
        ),
        c(
            "main: topic added",
            MAIN,
            None,
            |s| {
                add_topic(s, "  - name: shiny_events\n    domain: presales\n    owner: team-presales\n    producers: [1]\n    consumers: [2]\n")
            },
            "topic-added",
            "info",
            Some("demo_generator"),
        ),
        c(
            "main: event added",
            MAIN,
            None,
            |s| once(s, "[ticket_created,", "[ticket_reopened, ticket_created,"),
            "event-added",
            "info",
            None,
        ),
        c(
            "main: description changed",
            MAIN,
            None,
            |s| once(s, "summary: Ticket management", "summary: Ticket lifecycle"),
            "description-changed",
            "info",
            None,
        ),
        c(
            "main: service added",
            MAIN,
            None,
            |s| {
                after(
                    s,
                    "services:\n",
                    "  - { id: 30, key: fraud_scoring, name: Fraud Scoring, domain: presales }\n",
                )
            },
            "service-added",
            "info",
            None,
        ),
        // --- the enterprise agent platform ---
        c(
            "enterprise: consumed topic removed",
            ENTERPRISE,
            None,
            |s| cut_topic(s, "external.crm.events"),
            "topic-removed",
            "breaking",
            Some("warehouse-sync"),
        ),
        c(
            "enterprise: consumed topic renamed",
            ENTERPRISE,
            None,
            |s| {
                once(
                    s,
                    "  - name: external.market.data\n",
                    "  - name: external.market.feed\n",
                )
            },
            "topic-renamed",
            "breaking",
            Some("warehouse-sync"),
        ),
        c(
            "enterprise: event type removed",
            ENTERPRISE,
            None,
            |s| once(s, "events: [INSERT, UPDATE, DELETE]", "events: [INSERT, UPDATE]"),
            "event-removed",
            "breaking",
            Some("audit_service"),
        ),
        c(
            "enterprise: event type renamed",
            ENTERPRISE,
            None,
            |s| {
                once(
                    s,
                    "events: [INSERT, UPDATE, DELETE]",
                    "events: [INSERT, UPDATE, REMOVE]",
                )
            },
            "event-renamed",
            "breaking",
            Some("analytics_service"),
        ),
        c(
            "enterprise: last producer removed",
            ENTERPRISE,
            None,
            |s| once(s, "producers: [governance_engine]", "producers: []"),
            "last-producer-removed",
            "breaking",
            Some("siem_integration"),
        ),
        c(
            "enterprise: partitions reduced",
            ENTERPRISE,
            None,
            |s| after(s, "  - name: agent.executions\n", "    partitions: 1\n"),
            "partitions-reduced",
            "breaking",
            Some("audit_service"),
        ),
        c(
            "enterprise: retention reduced",
            ENTERPRISE,
            None,
            |s| after(s, "  - name: agent.executions\n", "    retention_days: 1\n"),
            "retention-reduced",
            "breaking",
            Some("audit_service"),
        ),
        c(
            "enterprise: deprecated topic removed before its sunset",
            ENTERPRISE,
            Some(|s| {
                add_deprecated(&after(s, "  consumer_group: unknown\n", "  deprecation_period_days: 90\n"), "  - name: legacy.alerts\n    domain: compliance\n    replaced_by: compliance.alerts\n    deprecated_on: \"2999-01-01\"\n")
            }),
            |s| {
                once(s, "\ndeprecated_topics:\n  - name: legacy.alerts\n    domain: compliance\n    replaced_by: compliance.alerts\n    deprecated_on: \"2999-01-01\"\n", "\n")
            },
            "removed-before-sunset",
            "breaking",
            None,
        ),
        c(
            "enterprise: envelope field removed",
            ENTERPRISE,
            None,
            |s| once(s, "    - { name: timestamp, type: ISO 8601 }\n", ""),
            "envelope-field-removed",
            "breaking",
            Some("siem_integration"),
        ),
        c(
            "enterprise: envelope field type changed",
            ENTERPRISE,
            None,
            |s| {
                once(
                    s,
                    "_metadata.message_id, type: string",
                    "_metadata.message_id, type: uuid",
                )
            },
            "envelope-type-changed",
            "breaking",
            Some("siem_integration"),
        ),
        c(
            "enterprise: consumer group id changed",
            ENTERPRISE,
            Some(|s| {
                once(
                    s,
                    "{ service: analytics_service, note: real-time metrics }",
                    "{ service: analytics_service, group: analytics_rt, note: real-time metrics }",
                )
            }),
            |s| once(s, "group: analytics_rt,", "group: analytics_rt_v2,"),
            "group-changed",
            "breaking",
            Some("analytics_service"),
        ),
        c(
            "enterprise: group convention changed",
            ENTERPRISE,
            None,
            |s| {
                once(
                    s,
                    "consumer_group: unknown",
                    "consumer_group: \"{service_name}.{topic_name}\"",
                )
            },
            "group-convention-changed",
            "breaking",
            Some("audit_service"),
        ),
        c(
            "enterprise: deprecated without a replacement",
            ENTERPRISE,
            None,
            |s| {
                add_deprecated(
                    &cut_topic(s, "db.changes.conversations"),
                    "  - name: db.changes.conversations\n    domain: cdc\n    replaced_by: external.crm.events\n",
                )
            },
            "deprecated-no-replacement",
            "warning",
            Some("audit_service"),
        ),
        c(
            "enterprise: new topic without consumers",
            ENTERPRISE,
            Some(|s| once(s, "    topics: [\"*\"]\n", "    topics: []\n")),
            |s| {
                add_topic(
                    s,
                    "  - name: agent.audit\n    domain: agent\n    producers: [card_agent]\n",
                )
            },
            "new-topic-no-consumers",
            "warning",
            None,
        ),
        c(
            "enterprise: new topic without owner",
            ENTERPRISE,
            None,
            |s| {
                add_topic(
                    s,
                    "  - name: agent.audit\n    domain: agent\n    producers: [card_agent]\n",
                )
            },
            "new-topic-no-owner",
            "warning",
            Some("warehouse-sync"),
        ),
        c(
            "enterprise: service removed that still owns topics",
            ENTERPRISE,
            None,
            |s| {
                once(
                    &once(s, "  - { key: mcp_tools_market_data,", "  - { key: gone_tool,"),
                    "producers: [mcp_tools_market_data]",
                    "producers: []",
                )
            },
            "service-removed-owning-topics",
            "warning",
            Some("mcp_tools_market_data"),
        ),
        c(
            "enterprise: topic added",
            ENTERPRISE,
            None,
            |s| {
                add_topic(
                    s,
                    "  - name: agent.audit\n    domain: agent\n    owner: team-agents\n    producers: [card_agent]\n",
                )
            },
            "topic-added",
            "info",
            Some("warehouse-sync"),
        ),
        c(
            "enterprise: consumer added",
            ENTERPRISE,
            None,
            |s| {
                once(
                    s,
                    "      - { service: audit_service, note: logs to audit trail }\n",
                    "      - { service: audit_service, note: logs to audit trail }\n      - analytics_service\n",
                )
            },
            "consumer-added",
            "info",
            Some("analytics_service"),
        ),
        // A service keyed anew keeps its id: its derived group ids move with the key.
        c(
            "main: service key changed",
            MAIN,
            None,
            |s| once(s, "    key: agent_copilot\n", "    key: copilot\n"),
            "service-renamed",
            "breaking",
            Some("copilot"),
        ),
    ]
}

/// Every rule, on both seeds: the change is found at its level, points into a file,
/// names whom it affects, and trips `--fail-on` at its level (and not above it).
#[test]
fn every_rule_on_both_seeds() {
    for case in cases() {
        let base = case.base.unwrap_or(no_base)(&seed(case.seed));
        let new = (case.edit)(&base);
        let (code, v) = diff_json(&base, &new, case.level);
        let hit = changes(&v)
            .iter()
            .find(|c| c["code"] == case.code)
            .unwrap_or_else(|| panic!("{}: no `{}` in {:?}", case.name, case.code, codes(&v)));
        assert_eq!(hit["level"], case.level, "{}: {hit}", case.name);
        assert_eq!(code, 1, "{}: --fail-on {} must trip", case.name, case.level);
        let file = hit["file"].as_str().unwrap();
        assert!(file == "old.yaml" || file == "new.yaml", "{}: {hit}", case.name);
        assert_eq!(file == "old.yaml", hit["side"] == "old", "{}: {hit}", case.name);
        if let Some(key) = case.affects {
            let keys: Vec<&str> = hit["affects"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p["key"].as_str().unwrap())
                .collect();
            assert!(keys.contains(&key), "{}: {key} not in {keys:?}", case.name);
        }
        // Nothing more serious than the rule's own level comes of this edit alone,
        // except where the edit itself is two changes (a service removed leaves its
        // topics without their producer).
        if case.level != "breaking" && !case.code.starts_with("service-removed") {
            let worse = changes(&v).iter().filter(|c| c["level"] == "breaking").count();
            assert_eq!(worse, 0, "{}: {:?}", case.name, codes(&v));
        }
    }
}

/// Positions: a removal points at OLD's line of the name, the rest at NEW's.
#[test]
fn changes_point_at_the_line_of_what_changed() {
    let old = seed(MAIN);
    let line_of = |s: &str, needle: &str| s.lines().position(|l| l.contains(needle)).unwrap() as u64 + 1;
    let new = cut_topic(&old, "billing_events");
    let (_, v) = diff_json(&old, &new, "breaking");
    let c = &changes(&v)[0];
    assert_eq!(
        (c["code"].as_str(), c["side"].as_str()),
        (Some("topic-removed"), Some("old"))
    );
    assert_eq!(c["line"], line_of(&old, "name: billing_events"));
    assert_eq!(c["column"], 11);
    let new = once(&old, "[ticket_created,", "[ticket_opened,");
    let (_, v) = diff_json(&old, &new, "breaking");
    let c = &changes(&v)[0];
    assert_eq!(c["line"], line_of(&new, "ticket_opened"));
    assert_eq!(c["side"], "new");
}

/// A rename is a rename, on both seeds: no removal, no addition beside it.
#[test]
fn a_rename_is_not_a_removal_and_an_addition() {
    for (rel, from, to) in [
        (MAIN, "  - name: billing_events\n", "  - name: invoicing_events\n"),
        (
            ENTERPRISE,
            "  - name: external.market.data\n",
            "  - name: external.market.feed\n",
        ),
    ] {
        let old = seed(rel);
        let (code, v) = diff_json(&old, &once(&old, from, to), "breaking");
        assert_eq!(code, 1);
        let found = codes(&v);
        assert!(found.contains(&"topic-renamed".to_string()), "{found:?}");
        assert!(
            !found.iter().any(|c| c == "topic-removed" || c == "topic-added"),
            "{found:?}"
        );
    }
    // A topic that loses its consumers on the way is no rename: removed and added.
    let old = seed(MAIN);
    let new = once(
        &once(&old, "  - name: billing_events\n", "  - name: invoicing_events\n"),
        "consumers: [8, 9, 13, 20, 21]",
        "consumers: [8]",
    );
    let (_, v) = diff_json(&old, &new, "breaking");
    let found = codes(&v);
    assert!(found.contains(&"topic-removed".to_string()), "{found:?}");
    assert!(!found.contains(&"topic-renamed".to_string()), "{found:?}");
}

#[test]
fn additions_only_are_info() {
    let old = seed(MAIN);
    let new = add_topic(
        &after(
            &once(&old, "[ticket_created,", "[ticket_reopened, ticket_created,"),
            "services:\n",
            "  - { id: 30, key: fraud_scoring, name: Fraud Scoring, domain: presales, owner: team-risk, oncall: \"pagerduty:risk\" }\n",
        ),
        "  - name: fraud_events\n    domain: presales\n    producers: [30]\n    consumers: [22]\n    events: [fraud_suspected]\n",
    );
    let (code, v) = diff_json(&old, &new, "warning");
    assert_eq!(code, 0, "{v}");
    assert_eq!((v["breaking"].as_u64(), v["warnings"].as_u64()), (Some(0), Some(0)));
    let mut found = codes(&v);
    found.sort();
    // The new topic's own events come with it, not one by one.
    assert_eq!(found, ["event-added", "service-added", "topic-added"]);
    let (code, _) = diff_json(&old, &new, "info");
    assert_eq!(code, 1, "--fail-on info trips on additions");
}

#[test]
fn identical_files_have_no_changes() {
    for rel in [MAIN, ENTERPRISE] {
        let text = seed(rel);
        let (code, v) = diff_json(&text, &text, "info");
        assert_eq!(code, 0);
        assert!(changes(&v).is_empty(), "{v}");
        let out = ktopo(&common::root()).args(["diff", rel, rel]).output().unwrap();
        assert_eq!(out.status.code(), Some(0));
        let text = String::from_utf8(out.stdout).unwrap();
        assert_eq!(text, format!("{rel} → {rel}: no changes\n"));
    }
}

fn git(dir: &Path, args: &[&str]) {
    let out = std::process::Command::new("git")
        .args([
            "-c",
            "user.name=ktopo test",
            "-c",
            "user.email=test@example.invalid",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git must be installed to run the diff tests");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `ktopo diff HEAD:registry.yaml registry.yaml` in a repository made for the test.
#[test]
fn a_git_revision_against_the_working_file() {
    let dir = tempfile::tempdir().unwrap();
    let old = seed(MAIN);
    write(dir.path(), "registry.yaml", &old);
    git(dir.path(), &["init", "-q"]);
    git(dir.path(), &["add", "registry.yaml"]);
    git(dir.path(), &["commit", "-q", "-m", "registry"]);
    write(dir.path(), "registry.yaml", &cut_topic(&old, "billing_events"));
    let out = ktopo(dir.path())
        .args(["diff", "HEAD:registry.yaml", "registry.yaml", "--format", "github"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1), "{text}");
    let line = text.lines().next().unwrap();
    // The annotation names the file in the repository, and OLD's line for a removal.
    let at = old.lines().position(|l| l.contains("name: billing_events")).unwrap() + 1;
    assert!(
        line.starts_with(&format!(
            "::error file=registry.yaml,line={at},col=11,title=ktopo diff breaking topic-removed::"
        )),
        "{line}"
    );
    // The same revision on both sides: nothing changed.
    ktopo(dir.path())
        .args(["diff", "HEAD:registry.yaml", "HEAD:registry.yaml", "--fail-on", "info"])
        .assert()
        .code(0);
}

#[test]
fn a_bad_revision_or_side_says_which_and_why() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "registry.yaml", &seed(MAIN));
    git(dir.path(), &["init", "-q"]);
    let run = |args: &[&str]| {
        let out = ktopo(dir.path()).args(args).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr).to_string();
        assert!(!err.contains("panicked"), "{err}");
        (out.status.code().unwrap(), err)
    };
    let (code, err) = run(&["diff", "nope:registry.yaml", "registry.yaml"]);
    assert_eq!(code, 3, "{err}");
    assert!(
        err.contains("the OLD side `nope:registry.yaml` cannot be read from git"),
        "{err}"
    );
    assert!(err.contains("nope"), "git's reason is shown: {err}");
    let (code, err) = run(&["diff", "registry.yaml", "missing.yaml"]);
    assert_eq!(code, 3, "{err}");
    assert!(err.contains("the NEW side `missing.yaml`: no such file"), "{err}");
    write(dir.path(), "broken.yaml", "topics: [\n");
    let (code, err) = run(&["diff", "registry.yaml", "broken.yaml"]);
    assert_eq!(code, 3, "{err}");
    assert!(
        err.contains("the NEW side `broken.yaml` is not a usable registry"),
        "{err}"
    );
    let (code, _) = run(&["diff", "registry.yaml"]);
    assert_eq!(code, 2, "one side is a usage error");
    let (code, _) = run(&["diff", "registry.yaml", "registry.yaml", "--format", "yaml"]);
    assert_eq!(code, 2);
    let (code, _) = run(&["diff", "registry.yaml", "registry.yaml", "--fail-on", "never"]);
    assert_eq!(code, 2);
}

/// One diff with a change of every level, in each format.
fn sample_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    // An owner whose name would split a Markdown cell.
    let old = after(
        &seed(MAIN),
        "    key: agent_copilot\n",
        "    owner: \"team|copilot\"\n    oncall: \"pagerduty:copilot\"\n",
    );
    let new = once(&old, "  - name: billing_events\n", "  - name: invoicing_events\n");
    let new = once(&new, "research_completed, research_failed]", "research_completed]");
    let new = add_topic(
        &new,
        "  - name: shiny_events\n    domain: presales\n    producers: [1]\n",
    );
    let new = once(&new, "summary: Ticket management", "summary: Ticket lifecycle");
    write(dir.path(), "old.yaml", &old);
    write(dir.path(), "new.yaml", &new);
    dir
}

fn render(dir: &Path, format: &str) -> String {
    let out = ktopo(dir)
        .args(["diff", "old.yaml", "new.yaml", "--format", format])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn text_format() {
    let dir = sample_dir();
    let text = render(dir.path(), "text");
    assert!(!text.contains('\x1b'), "no color when not a terminal");
    insta::assert_snapshot!("diff_text", text);
}

#[test]
fn markdown_format() {
    let dir = sample_dir();
    insta::assert_snapshot!("diff_markdown", render(dir.path(), "markdown"));
}

#[test]
fn github_format() {
    let dir = sample_dir();
    insta::assert_snapshot!("diff_github", render(dir.path(), "github"));
}

#[test]
fn json_format() {
    let dir = sample_dir();
    let v: serde_json::Value = serde_json::from_str(&render(dir.path(), "json")).unwrap();
    assert_eq!(
        (v["old"].as_str(), v["new"].as_str()),
        (Some("old.yaml"), Some("new.yaml"))
    );
    for (key, level) in [("breaking", "breaking"), ("warnings", "warning"), ("infos", "info")] {
        let n = changes(&v).iter().filter(|c| c["level"] == level).count();
        assert_eq!(v[key].as_u64(), Some(n as u64), "{key}");
        assert!(n > 0, "the sample has a change of level {level}");
    }
    let renamed = changes(&v).iter().find(|c| c["code"] == "topic-renamed").unwrap();
    assert_eq!(renamed["subject"], "billing_events → invoicing_events");
    let billing = renamed["affects"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["key"] == "agent_orchestration")
        .unwrap();
    assert_eq!(billing["service"], "Agent Orchestration (8)");
    assert!(billing["owner"].is_null());
    let owned = changes(&v).iter().find(|c| c["code"] == "event-removed").unwrap();
    assert!(owned["line"].as_u64().is_some() && owned["column"].as_u64().is_some());
}

/// Names with terminal escapes, forged annotations and Markdown table syntax (Kafka
/// refuses such topic names, so a service and its owner carry them): escaped in every
/// format.
#[test]
fn hostile_names_are_escaped_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let old = seed(MAIN);
    let new = after(
        &old,
        "services:\n",
        "  - { id: 30, key: evil, name: \"evil\\e]52;c;aGk=\\a|x\\n::error::forged\", domain: presales, owner: \"<b>team\" }\n",
    );
    let new = add_topic(
        &new,
        "  - name: evil_events\n    domain: presales\n    producers: [1]\n    consumers: [30]\n",
    );
    write(dir.path(), "old.yaml", &old);
    write(dir.path(), "new.yaml", &new);
    for format in ["text", "markdown", "github", "json"] {
        let out = ktopo(dir.path())
            .args(["diff", "old.yaml", "new.yaml", "--format", format])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(!text.contains('\x1b') && !text.contains('\x07'), "{format}: {text:?}");
        assert!(text.contains("evil"), "{format}");
        match format {
            "markdown" => {
                assert!(
                    text.contains("evil\\\\u{1b}\\]52;c;aGk=\\\\u{7}\\|x\\\\n::error::forged"),
                    "{text}"
                );
                assert!(text.contains("\\<b\\>team"), "{text}");
            }
            "github" => {
                assert!(!text.lines().any(|l| l.starts_with("::error::forged")), "{text}");
                assert!(text.contains("%0A::error::forged"), "{text}");
            }
            "text" => assert!(!text.lines().any(|l| l.starts_with("::error")), "{text}"),
            _ => {}
        }
    }
}

/// `--live` on the demo cluster (OLD's groups watched): the groups still reading a
/// topic NEW renames, its producer still writing, lag on a topic that shrinks.
#[test]
fn live_shows_who_still_reads_and_writes_a_removed_topic() {
    let old = seed(MAIN);
    let new = once(&old, "  - name: billing_events\n", "  - name: invoicing_events\n");
    let new = after(&new, "  - name: voice_events\n", "    partitions: 1\n");
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "old.yaml", &old);
    write(dir.path(), "new.yaml", &new);
    let out = ktopo(dir.path())
        .args([
            "diff",
            "old.yaml",
            "new.yaml",
            "--live",
            "--interval",
            "1",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let of = |code: &str| -> Vec<&serde_json::Value> { changes(&v).iter().filter(|c| c["code"] == code).collect() };
    let reading = of("live-consumer-still-reading");
    assert!(
        reading
            .iter()
            .any(|c| c["subject"] == "billing_events/voice_agent_billing_events_consumer"
                && c["affects"][0]["key"] == "voice_agent"
                && c["side"] == "old"),
        "{reading:?}"
    );
    let writing = of("live-producer-still-writing");
    assert_eq!(writing.len(), 1, "{v}");
    assert_eq!(writing[0]["subject"], "billing_events");
    let shrink = of("live-lag-on-shrinking-topic");
    assert_eq!(shrink.len(), 1, "{v}");
    assert_eq!(shrink[0]["subject"], "voice_events");
    // Without a cluster, --live is a usage error; --samples needs --live.
    ktopo(dir.path())
        .args(["diff", "old.yaml", "new.yaml", "--live", "--offline"])
        .assert()
        .code(2);
    ktopo(dir.path())
        .args(["diff", "old.yaml", "new.yaml", "--samples", "3"])
        .assert()
        .code(2);
}

/// Compared on the model, not as text: topics in another order, another layout and
/// comments change nothing.
#[test]
fn moving_and_reformatting_changes_nothing() {
    let old = seed(MAIN);
    let block = |s: &str, name: &str| {
        let without = cut_topic(s, name);
        let start = s.find(&format!("  - name: {name}\n")).unwrap();
        s[start..start + (s.len() - without.len())].to_string()
    };
    let auth = block(&old, "auth_events");
    let new = add_topic(&cut_topic(&old, "auth_events"), &auth);
    let new = once(
        &new,
        "    producers: [0]\n    consumers: [1, 2, 21]\n",
        "    # reordered\n    producers:\n      - 0\n    consumers: [1, 2, 21]\n",
    );
    assert_ne!(old, new);
    let (code, v) = diff_json(&old, &new, "info");
    assert_eq!(code, 0, "{v}");
    assert!(changes(&v).is_empty(), "{v}");
}

/// A default many topics take is one change at the default; a proposal's candidates
/// lose nothing on the cluster (info).
#[test]
fn a_default_is_one_change_and_proposals_are_info() {
    let old = seed(MAIN);
    let new = once(&old, "    partitions: 10\n", "    partitions: 6\n");
    let (_, v) = diff_json(&old, &new, "breaking");
    assert_eq!(changes(&v).len(), 1, "{v}");
    let c = &changes(&v)[0];
    assert_eq!(c["subject"], "topic_defaults.partitions");
    let line = new.lines().position(|l| l == "    partitions: 6").unwrap() + 1;
    assert_eq!(c["line"], line as u64);
    assert!(c["message"].as_str().unwrap().contains("28 topics"), "{c}");
    let new = once(&old, "pattern_identified, best_practice_shared]", "pattern_identified]");
    let (code, v) = diff_json(&old, &new, "warning");
    assert_eq!(code, 0);
    assert_eq!(codes(&v), ["event-removed"]);
    assert_eq!(changes(&v)[0]["level"], "info");
}

/// The human formats name at most 10 services per change (a default or the envelope
/// can affect thousands); JSON lists them all.
#[test]
fn long_lists_are_cut_in_text_but_whole_in_json() {
    let old = seed(MAIN);
    let new = once(&old, "    - { name: tenant_id, type: uuid }\n", "");
    let (_, v) = diff_json(&old, &new, "breaking");
    assert_eq!(changes(&v)[0]["affects"].as_array().unwrap().len(), 14);
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "old.yaml", &old);
    write(dir.path(), "new.yaml", &new);
    let text = render(dir.path(), "text");
    let line = text.lines().find(|l| l.contains("= affects:")).unwrap();
    assert!(
        line.contains("14 services: ") && line.ends_with(" and 4 more"),
        "{line}"
    );
    assert_eq!(line.matches(" (").count(), 10, "{line}");
}

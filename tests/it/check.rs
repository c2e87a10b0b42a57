//! `ktopo check` findings over fixture registries: every error and warning, with
//! the exact line and column of the offending value.

use ktopo::core::diag::Severity::{self, Error, Note, Warning};
use std::path::Path;

type Expected = &'static [(Severity, &'static str, u32, u32, &'static str)];

fn findings(fixture: &str) -> Vec<(Severity, &'static str, u32, u32, String)> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(fixture);
    let c = ktopo::core::registry::load(&path).expect("fixture is readable");
    c.diagnostics
        .iter()
        .map(|d| {
            let l = d.loc.expect("every fixture finding has a position");
            (d.severity, d.code, l.line, l.col, c.source.excerpt(&l))
        })
        .collect()
}

fn assert_findings(fixture: &str, expected: Expected) {
    let got = findings(fixture);
    let want: Vec<_> = expected
        .iter()
        .map(|(s, c, l, col, t)| (*s, *c, *l, *col, t.to_string()))
        .collect();
    assert_eq!(got, want, "findings of {fixture}");
}

#[test]
fn clean_registry_has_no_findings() {
    assert_findings("base.yaml", &[]);
}

#[test]
fn unknown_keys_and_missing_keys_are_all_reported() {
    assert_findings(
        "unknown_key.yaml",
        &[
            (Error, "missing-key", 2, 5, "id: 0"),
            (Error, "unknown-key", 4, 5, "nmae"),
            (Error, "unknown-key", 7, 5, "producer"),
        ],
    );
}

#[test]
fn wrong_types_point_at_the_value() {
    assert_findings(
        "wrong_type.yaml",
        &[
            (Error, "wrong-type", 2, 9, "zero"),
            (Error, "wrong-type", 7, 16, "0"),
            (Error, "wrong-type", 8, 17, "ten"),
        ],
    );
}

#[test]
fn unknown_references_point_inside_lists() {
    assert_findings(
        "unknown_refs.yaml",
        &[
            (Error, "unknown-service", 7, 20, "7"),
            (Error, "unknown-service", 7, 23, "reserch"),
            (Error, "unknown-topic", 10, 18, "auht_events"),
        ],
    );
}

#[test]
fn duplicates_are_errors() {
    assert_findings(
        "duplicates.yaml",
        &[
            (Error, "duplicate-service-id", 3, 11, "0"),
            (Error, "duplicate-service-key", 4, 19, "identity"),
            (Error, "duplicate-topic", 9, 11, "auth_events"),
        ],
    );
}

#[test]
fn deprecation_chains_cycles_and_active_users() {
    assert_findings(
        "deprecation.yaml",
        &[
            (Error, "replacement-cycle", 11, 18, "b_events"),
            (Error, "replacement-cycle", 13, 18, "a_events"),
            (Error, "replacement-deprecated", 15, 18, "a_events"),
            (Warning, "moved-event-missing", 19, 34, "user_deleted"),
            (Error, "deprecated-in-use", 20, 17, "0"),
            (Error, "deprecated-in-use", 21, 17, "research"),
        ],
    );
}

#[test]
fn conventions_and_usage_warnings() {
    assert_findings(
        "warnings.yaml",
        &[
            (Warning, "self-consumption", 12, 17, "0"),
            (Warning, "group-naming", 12, 41, "research-auth"),
            (Warning, "topic-naming", 14, 11, "AuthStream"),
            (Note, "duplicate-event", 17, 14, "user_signed_up"),
            (Warning, "no-consumers", 18, 11, "audit_events"),
            (
                Note,
                "open-decision",
                24,
                15,
                "Define producer, consumer, and event schemas",
            ),
        ],
    );
}

#[test]
fn patterns_and_examples_are_validated() {
    assert_findings(
        "patterns.yaml",
        &[
            (Error, "invalid-pattern", 7, 18, "\"re:[unclosed\""),
            (Warning, "pattern-matches-nothing", 8, 18, "\"nothing.*\""),
            (Error, "invalid-example", 23, 15, "\"{not json\""),
        ],
    );
}

#[test]
fn descriptions_must_name_listed_events() {
    assert_findings(
        "descriptions.yaml",
        &[(Error, "unknown-event", 11, 19, "typo in the event name")],
    );
}

#[test]
fn yaml_syntax_error_is_fatal_with_position() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/syntax.yaml");
    let c = ktopo::core::registry::load(&path).unwrap();
    assert!(c.fatal);
    assert_eq!(c.exit_code(), 3, "not YAML: the registry is unusable");
    assert_eq!(findings("syntax.yaml")[0].1, "yaml-syntax");
    assert_eq!((findings("syntax.yaml")[0].2, findings("syntax.yaml")[0].3), (4, 10));
}

#[test]
fn hints_name_the_likely_fix() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/unknown_refs.yaml");
    let c = ktopo::core::registry::load(&path).unwrap();
    let hints: Vec<_> = c
        .diagnostics
        .iter()
        .map(|d| d.hint.clone().unwrap_or_default())
        .collect();
    assert_eq!(hints[0], "no service has id 7; known ids: 0, 1");
    assert_eq!(hints[1], "did you mean `research`?");
    assert_eq!(hints[2], "did you mean `auth_events`?");
}

#[test]
fn connectors_are_checked_like_services() {
    assert_findings(
        "connectors.yaml",
        &[
            (Warning, "self-consumption", 8, 17, "shop"),
            (Error, "duplicate-connector", 10, 13, "shop"),
            (Error, "unknown-service", 11, 38, "shpo"),
            (Error, "unknown-topic", 11, 53, "ordrs"),
            (Warning, "pattern-matches-nothing", 11, 60, "\"x.*\""),
            (Error, "duplicate-connector", 12, 13, "wh"),
            (Warning, "group-on-source", 12, 71, "g"),
        ],
    );
}

//! Drift: what the registry declares against what the cluster has and does. One core
//! for `ktopo drift` and the TUI's `:drift` view: `facts.rs` gathers the cluster side
//! from the live picture (plus topic configs where the cluster serves them), `rules.rs`
//! compares and points each finding at its place in the registry file (the model keeps
//! where topics and defaults are written).

pub mod facts;
mod out;
pub mod rules;
mod schemas;

use crate::core::diag::Severity;
use crate::core::registry::loc::Loc;
use serde::Serialize;

/// One disagreement between the registry and the cluster.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// Stable machine-readable kind, e.g. `undeclared-topic`, `missing-consumer`.
    pub kind: &'static str,
    pub severity: Severity,
    /// The topic or group it is about.
    pub subject: String,
    /// The topic it concerns (for badges and detail sections).
    pub topic: Option<String>,
    /// Keys of the registry services it concerns (their badges and detail sections).
    pub services: Vec<String>,
    /// Where the registry says otherwise, when it says anything.
    #[serde(skip)]
    pub loc: Option<Loc>,
    /// What the cluster shows, in words a person can act on.
    pub message: String,
}

/// Everything one drift run found, and what it could not look at.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    pub findings: Vec<Finding>,
    /// Findings that could not be computed, and why (e.g. no DescribeConfigs).
    pub not_computed: Vec<String>,
    /// Checks that could not run because reading the cluster failed this round: a
    /// gate never passes on them.
    pub failed: Vec<String>,
    /// Which environment's replication factor was expected, and whether it was chosen.
    pub environment: String,
    pub samples: u32,
}

/// Worst first, then by kind and subject.
pub fn sort(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        a.severity
            .cmp(&b.severity)
            .then(a.kind.cmp(b.kind))
            .then(a.subject.cmp(&b.subject))
    });
}

impl Report {
    /// Add findings computed apart (observed events), keeping the order.
    pub fn merge(&mut self, more: &[Finding]) {
        self.findings.extend_from_slice(more);
        sort(&mut self.findings);
    }
    pub fn count(&self, s: Severity) -> usize {
        self.findings.iter().filter(|f| f.severity == s).count()
    }
    /// Findings about one topic, for badges and detail sections.
    pub fn for_topic<'a>(&'a self, topic: &'a str) -> impl Iterator<Item = &'a Finding> + 'a {
        self.findings.iter().filter(move |f| f.topic.as_deref() == Some(topic))
    }
    /// Findings about one service (its groups, its migrations).
    pub fn for_service<'a>(&'a self, key: &'a str) -> impl Iterator<Item = &'a Finding> + 'a {
        self.findings
            .iter()
            .filter(move |f| f.services.iter().any(|s| s == key))
    }
    /// The counts in one line, for the text report and the TUI alike. A check that
    /// could not run leaves them incomplete: the line says so first, so it never reads
    /// as a clean run.
    pub fn summary(&self) -> String {
        use crate::core::words::count;
        let incomplete = match self.failed.len() {
            0 => String::new(),
            n => format!("INCOMPLETE, {} could not run · ", count(n, "check", "checks")),
        };
        format!(
            "{incomplete}{}, {}, {} · environment {} · {}",
            count(self.count(Severity::Error), "error", "errors"),
            count(self.count(Severity::Warning), "warning", "warnings"),
            count(self.count(Severity::Note), "note", "notes"),
            self.environment,
            count(self.samples as usize, "sample", "samples"),
        )
    }
    /// Exit status like `check`: 1 when a finding is at or above `fail_on`, or when a
    /// check could not run (a gate never passes because ktopo could not see).
    pub fn exit_code(&self, fail_on: Severity) -> i32 {
        if !self.failed.is_empty() || self.findings.iter().any(|f| f.severity <= fail_on) {
            crate::core::exit::TRIPPED
        } else {
            crate::core::exit::OK
        }
    }
}

fn word(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

/// `file:line:col` of a location.
pub fn place(path: &str, loc: &Option<Loc>) -> Option<String> {
    loc.filter(|l| !l.is_unknown())
        .map(|l| format!("{path}:{}:{}", l.line, l.col))
}

/// The report as text, one finding a line, worst first, then a summary.
pub fn text(r: &Report, path: &str) -> String {
    use std::fmt::Write;
    let mut o = String::new();
    for f in &r.findings {
        let at = place(path, &f.loc).map(|p| format!(" ({p})")).unwrap_or_default();
        // One finding, one line: names from the cluster cannot write a finding of their own.
        let msg = crate::core::visible::one_line(&f.message);
        let _ = writeln!(o, "{}[{}]: {msg}{at}", word(f.severity), f.kind);
    }
    for n in &r.not_computed {
        let _ = writeln!(o, "not computed: {}", crate::core::visible::one_line(n));
    }
    for n in &r.failed {
        let _ = writeln!(o, "could not check: {}", crate::core::visible::one_line(n));
    }
    let _ = writeln!(o, "{path} against the cluster: {}", r.summary());
    o
}

/// The report as JSON (docs/drift-json.md).
pub fn json(r: &Report, path: &str) -> serde_json::Value {
    let findings: Vec<_> = r
        .findings
        .iter()
        .map(|f| {
            serde_json::json!({
                "kind": f.kind, "severity": f.severity, "subject": f.subject, "topic": f.topic,
                "services": f.services,
                "message": f.message,
                "location": f.loc.filter(|l| !l.is_unknown())
                    .map(|l| serde_json::json!({"file": path, "line": l.line, "column": l.col})),
            })
        })
        .collect();
    serde_json::json!({
        "registry": path,
        "environment": r.environment,
        "samples": r.samples,
        "findings": findings,
        "not_computed": r.not_computed,
        "failed": r.failed,
        "counts": {
            "error": r.count(Severity::Error),
            "warning": r.count(Severity::Warning),
            "note": r.count(Severity::Note),
        },
    })
}

#[cfg(test)]
mod summary_tests {
    #[test]
    fn the_summary_says_incomplete_before_the_counts_and_counts_in_words() {
        let r = super::Report {
            failed: vec!["ListGroups: COORDINATOR_NOT_AVAILABLE".into()],
            environment: "production".into(),
            samples: 1,
            ..Default::default()
        };
        assert_eq!(
            r.summary(),
            "INCOMPLETE, 1 check could not run · 0 errors, 0 warnings, 0 notes · environment production · 1 sample"
        );
        let clean = super::Report {
            failed: Vec::new(),
            ..r
        };
        assert!(clean.summary().starts_with("0 errors"));
    }
}

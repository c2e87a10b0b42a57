//! Where the comparisons put their findings (`rules` and `schemas` alike), each
//! pointing at the registry line of its topic.

use super::Finding;
use crate::core::diag::Severity;
use crate::core::registry::Registry;

impl Finding {
    /// Name the registry services the finding concerns.
    pub(super) fn about(&mut self, services: &[&str]) {
        for s in services {
            if !self.services.iter().any(|x| x == s) {
                self.services.push(s.to_string());
            }
        }
    }
}

pub(super) struct Out<'a> {
    pub(super) findings: Vec<Finding>,
    pub(super) reg: &'a Registry,
}

impl Out<'_> {
    pub(super) fn add(
        &mut self,
        kind: &'static str,
        severity: Severity,
        topic: Option<&str>,
        subject: &str,
        message: String,
    ) -> &mut Finding {
        let loc = topic.and_then(|t| self.reg.topic(t)).map(|t| t.loc);
        self.findings.push(Finding {
            kind,
            severity,
            subject: subject.to_string(),
            topic: topic.map(str::to_string),
            services: Vec::new(),
            loc,
            message,
        });
        self.findings.last_mut().expect("just pushed")
    }
}

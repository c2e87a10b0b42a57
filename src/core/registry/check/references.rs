//! References between entries: services named by producers and consumers, topics named
//! by data flows and migrations, and the chains `replaced_by` forms.

use super::Checker;
use crate::core::diag::Diagnostic;
use crate::core::registry::endpoint::Endpoint;
use crate::core::registry::model::{ServiceRef, Status};
use crate::core::registry::spanned::Sp;
use crate::core::suggest::closest;
use foldhash::{HashSet, HashSetExt};

impl Checker<'_> {
    fn service_ref(&mut self, r: Sp<&ServiceRef>, context: &str) {
        if self.reg.service_index(r.value).is_some() {
            return;
        }
        let keys = self.reg.services.iter().map(|s| s.key.as_str());
        let hint = match r.value {
            ServiceRef::Id(id) => {
                let ids: Vec<String> = self
                    .reg
                    .services
                    .iter()
                    .filter_map(|s| s.id)
                    .map(|i| i.to_string())
                    .collect();
                format!("no service has id {id}; known ids: {}", ids.join(", "))
            }
            ServiceRef::Key(k) => match closest(k, keys) {
                Some(s) => format!("did you mean `{s}`?"),
                None => "add the service under `services:` or use an existing id or key".into(),
            },
        };
        self.push(
            Diagnostic::error(
                "unknown-service",
                format!("{context} refers to unknown service `{}`", r.value),
            )
            .at(r.loc)
            .hint(hint),
        );
    }

    fn topic_ref(&mut self, name: &Sp<String>, context: &str) -> bool {
        if self.reg.topic(&name.value).is_some() {
            return true;
        }
        let names = self.reg.topics.iter().map(|t| t.name.as_str());
        let hint = match closest(&name.value, names) {
            Some(s) => format!("did you mean `{s}`?"),
            None => "define the topic under `topics:` first".into(),
        };
        self.push(
            Diagnostic::error(
                "unknown-topic",
                format!("{context} refers to unknown topic `{}`", name.value),
            )
            .at(name.loc)
            .hint(hint),
        );
        false
    }

    fn endpoints(&mut self, list: &[Endpoint], context: String) {
        for e in list {
            self.service_ref(e.service(), &context);
        }
    }

    pub(super) fn references(&mut self) {
        let f = self.file;
        // The model resolved every service reference already: nothing to look up again.
        let flows_ok = f
            .data_flows
            .iter()
            .all(|fl| fl.topics.iter().all(|t| self.reg.topic(t).is_some()));
        if self.reg.unresolved_refs == 0 && flows_ok {
            return;
        }
        for t in &f.topics {
            self.endpoints(&t.producers, format!("a producer of `{}`", t.name.value));
            self.endpoints(&t.consumers, format!("a consumer of `{}`", t.name.value));
        }
        for t in &f.deprecated_topics {
            self.endpoints(&t.producers, format!("a producer of `{}`", t.name.value));
            self.endpoints(&t.consumers, format!("a consumer of `{}`", t.name.value));
        }
        for t in &f.proposed_topics {
            self.endpoints(
                &t.candidate_producers,
                format!("a candidate producer of `{}`", t.name.value),
            );
            self.endpoints(
                &t.candidate_consumers,
                format!("a candidate consumer of `{}`", t.name.value),
            );
        }
        for flow in &f.data_flows {
            for t in &flow.topics {
                self.topic_ref(t, &format!("data flow `{}`", flow.name));
            }
        }
    }

    pub(super) fn deprecations(&mut self) {
        let f = self.file;
        for t in &f.deprecated_topics {
            let target = &t.replaced_by;
            if self.topic_ref(target, &format!("deprecated topic `{}`", t.name.value)) {
                match self.reg.topic(&target.value).map(|x| x.status) {
                    Some(Status::Deprecated) => {
                        let chain = self.replacement_chain(&t.name.value);
                        if chain.last() == Some(&t.name.value.as_str()) {
                            self.push(
                                Diagnostic::error(
                                    "replacement-cycle",
                                    format!("deprecated topics replace each other in a cycle: {}", chain.join(" → ")),
                                )
                                .at(target.loc)
                                .hint("point `replaced_by` at an active topic"),
                            );
                        } else {
                            self.push(
                                Diagnostic::error(
                                    "replacement-deprecated",
                                    format!(
                                        "`{}` is replaced by `{}`, which is itself deprecated",
                                        t.name.value, target.value
                                    ),
                                )
                                .at(target.loc)
                                .hint(format!(
                                    "point `replaced_by` at the active end of the chain: {}",
                                    chain.join(" → ")
                                )),
                            );
                        }
                    }
                    Some(Status::Proposed) => self.push(
                        Diagnostic::error(
                            "replacement-proposed",
                            format!(
                                "`{}` is replaced by `{}`, which does not exist yet (proposed)",
                                t.name.value, target.value
                            ),
                        )
                        .at(target.loc)
                        .hint("a migration needs an active replacement; promote the proposed topic first"),
                    ),
                    _ => {}
                }
            }
            for m in &t.moves {
                let to = m.to.as_ref().unwrap_or(target);
                if m.to.is_some() && !self.topic_ref(to, &format!("a migration of `{}`", t.name.value)) {
                    continue;
                }
                let Some(dest) = self.reg.topic(&to.value) else {
                    continue;
                };
                for e in &m.events {
                    if !dest.events.iter().any(|x| x.name == e.value) {
                        self.push(
                            Diagnostic::warning(
                                "moved-event-missing",
                                format!("event `{}` moves to `{}`, which does not list it", e.value, to.value),
                            )
                            .at(e.loc)
                            .hint(format!(
                                "add `{}` to the events of `{}`, or fix the name",
                                e.value, to.value
                            )),
                        );
                    }
                }
            }
            let still = t
                .producers
                .iter()
                .map(|e| (e, "produces to"))
                .chain(t.consumers.iter().map(|e| (e, "consumes from")));
            for (e, verb) in still {
                let r = e.service();
                if let Some(si) = self.reg.service_index(r.value) {
                    let name = self.reg.services[si].label();
                    self.push(
                        Diagnostic::error(
                            "deprecated-in-use",
                            format!("{name} still {verb} deprecated topic `{}`", t.name.value),
                        )
                        .at(r.loc)
                        .hint(format!("migrate it to `{}` and remove it from this list", target.value)),
                    );
                }
            }
        }
    }

    /// Follow `replaced_by` from a deprecated topic until an active topic, a gap, or a repeat.
    fn replacement_chain<'b>(&'b self, start: &'b str) -> Vec<&'b str> {
        let mut chain = vec![start];
        let mut seen = HashSet::new();
        seen.insert(start);
        let mut cur = start;
        while let Some(next) = self.reg.topic(cur).and_then(|t| t.replaced_by()) {
            chain.push(next);
            if !seen.insert(next) {
                break;
            }
            cur = next;
        }
        chain
    }
}

//! What the file defines once: service keys and ids, topic names, the domains it uses,
//! and the counts its platform section announces.

use super::{topic_names, Checker};
use crate::core::diag::Diagnostic;
use crate::core::registry::loc::Loc;
use crate::core::registry::model::Status;
use crate::core::suggest::closest;
use foldhash::{HashMap, HashMapExt};

impl Checker<'_> {
    pub(super) fn duplicates(&mut self) {
        let mut keys: HashMap<&str, Loc> = HashMap::new();
        let mut ids: HashMap<u32, Loc> = HashMap::new();
        for s in &self.file.services {
            if let Some(first) = keys.insert(&s.key.value, s.key.loc) {
                keys.insert(&s.key.value, first);
                self.push(
                    Diagnostic::error(
                        "duplicate-service-key",
                        format!("service key `{}` is defined twice", s.key.value),
                    )
                    .at(s.key.loc)
                    .hint(format!(
                        "the first definition is on line {}; give each service its own key",
                        first.line
                    )),
                );
            }
            if let Some(id) = &s.id {
                if let Some(first) = ids.insert(id.value, id.loc) {
                    ids.insert(id.value, first);
                    self.push(
                        Diagnostic::error("duplicate-service-id", format!("service id {} is used twice", id.value))
                            .at(id.loc)
                            .hint(format!(
                                "service id {} is already used on line {}",
                                id.value, first.line
                            )),
                    );
                }
            }
        }
        let mut names: HashMap<&str, (Loc, Status)> = HashMap::new();
        for (name, status) in topic_names(self.file) {
            if let Some((first, st)) = names.get(name.value.as_str()).copied() {
                self.push(
                    Diagnostic::error("duplicate-topic", format!("topic `{}` is defined twice", name.value))
                        .at(name.loc)
                        .hint(format!(
                            "it is already a {} topic on line {}; keep one definition",
                            st.as_str(),
                            first.line
                        )),
                );
            } else {
                names.insert(&name.value, (name.loc, status));
            }
        }
    }

    pub(super) fn domains(&mut self) {
        if self.file.domains.is_empty() {
            return;
        }
        let known: Vec<&str> = self.file.domains.iter().map(|d| d.id.as_str()).collect();
        let uses = self
            .file
            .services
            .iter()
            .filter_map(|s| s.domain.as_ref())
            .chain(self.file.topics.iter().filter_map(|t| t.domain.as_ref()))
            .chain(self.file.deprecated_topics.iter().filter_map(|t| t.domain.as_ref()))
            .chain(self.file.proposed_topics.iter().filter_map(|t| t.domain.as_ref()));
        let mut found = Vec::new();
        for d in uses {
            if !known.contains(&d.value.as_str()) {
                let mut diag = Diagnostic::error("unknown-domain", format!("unknown domain `{}`", d.value)).at(d.loc);
                diag = match closest(&d.value, known.iter().copied()) {
                    Some(s) => diag.hint(format!("did you mean `{s}`? Domains are declared under `domains:`")),
                    None => diag.hint("declare it under `domains:` or use one that is declared"),
                };
                found.push(diag);
            }
        }
        self.out.extend(found);
    }

    pub(super) fn declared_counts(&mut self) {
        let p = &self.file.platform;
        let active = self.reg.count(Status::Active);
        if let Some(n) = p.declared_active_topics.filter(|&n| n != active) {
            self.push(
                Diagnostic::warning(
                    "count-mismatch",
                    format!("the registry announces {n} active topics but defines {active}"),
                )
                .hint("update `platform.declared_active_topics` or add the missing topics"),
            );
        }
        // Connectors are nodes too, but not the services a document counts.
        let services = self.reg.services.iter().filter(|s| s.connector.is_none()).count();
        if let Some(n) = p.declared_services.filter(|&n| n != services) {
            self.push(
                Diagnostic::warning(
                    "count-mismatch",
                    format!("the registry announces {n} services but defines {services}"),
                )
                .hint("update `platform.declared_services` or add the missing services"),
            );
        }
    }
}

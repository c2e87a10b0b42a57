//! Schema Registry drift: what the topics that declare a subject carry, against the
//! Schema Registry. Values naming a schema id not registered under the declared
//! subject, and values not in wire format, break a consumer that deserializes with
//! the registry now (errors); a missing subject, or one whose compatibility is NONE,
//! breaks nobody yet but leaves the contract unenforced (warnings).

use super::facts::Facts;
use super::out::Out;
use crate::core::diag::Severity;
use crate::core::registry::{Registry, Status};
use crate::core::sample::schemas::{Answers, Framing, Subject};
use crate::core::visible::one_line;
use crate::core::words::{count, cut};

pub(super) fn schemas(
    reg: &Registry,
    facts: &Facts,
    out: &mut Out,
    not_computed: &mut Vec<String>,
    failed: &mut Vec<String>,
) {
    let declared: Vec<_> = reg
        .topics
        .iter()
        .filter(|t| t.status != Status::Proposed)
        .filter_map(|t| t.declared_subject().map(|s| (t, s)))
        .collect();
    if declared.is_empty() {
        return;
    }
    let Some(s) = &facts.schemas else {
        not_computed.push("schema drift: the sampler has not read the declared subjects yet".into());
        return;
    };
    match &s.framing {
        Some(framing) => {
            for f in framing {
                wire_format(f, s.registry.as_ref(), out, failed);
            }
        }
        None => not_computed.push(
            "schema ids and wire format of messages: no messages sampled yet (read from the third sample on)".into(),
        ),
    }
    let Some(answers) = &s.registry else {
        not_computed.push(
            "schema subjects and compatibility: no Schema Registry given (--schema-registry URL, or schema.registry.url)"
                .into(),
        );
        return;
    };
    if let Some(why) = &answers.unreachable {
        failed.push(format!(
            "schema subjects and compatibility: the schema registry {} is unreachable ({})",
            answers.url,
            one_line(why)
        ));
        return;
    }
    let mut unasked = 0;
    for (t, subject) in &declared {
        match answers.subjects.get(subject) {
            None => unasked += 1,
            Some(Subject::Missing) => {
                out.add(
                    "schema-subject-missing",
                    Severity::Warning,
                    Some(&t.name),
                    &t.name,
                    format!(
                        "`{}` declares schema subject `{}`, which the schema registry {} does not have: register its schema, or correct `schema.subject`",
                        t.name,
                        one_line(subject),
                        answers.url
                    ),
                );
            }
            Some(Subject::Failed(why)) => failed.push(format!(
                "schema subject `{}` of `{}`: {}",
                one_line(subject),
                t.name,
                one_line(why)
            )),
            Some(Subject::Found {
                latest, compatibility, ..
            }) => match compatibility {
                Ok(c) if c.level.eq_ignore_ascii_case("NONE") => {
                    let whose = if c.global {
                        "the schema registry's global default"
                    } else {
                        "its own setting"
                    };
                    out.add(
                        "schema-compatibility-none",
                        Severity::Warning,
                        Some(&t.name),
                        &t.name,
                        format!(
                            "schema subject `{}` of `{}` (latest version {latest}) has compatibility NONE ({whose}): any new schema is accepted, so a producer can break its consumers; set BACKWARD or stricter",
                            one_line(subject),
                            t.name
                        ),
                    );
                }
                Ok(_) => {}
                Err(why) => failed.push(format!(
                    "compatibility of schema subject `{}`: {}",
                    one_line(subject),
                    one_line(why)
                )),
            },
        }
    }
    if unasked > 0 {
        not_computed.push(format!(
            "schema subjects: {} not asked yet (a few are asked each sample)",
            count(unasked, "subject", "subjects")
        ));
    }
}

/// One topic's sampled values: not in wire format, or naming an id not under its subject.
fn wire_format(f: &Framing, answers: Option<&Answers>, out: &mut Out, failed: &mut Vec<String>) {
    let subject = one_line(&f.subject);
    if f.plain > 0 {
        let at = f
            .first_plain
            .map(|(p, o)| format!(" (the first at partition {p} offset {o})"))
            .unwrap_or_default();
        out.add(
            "schema-not-wire-format",
            Severity::Error,
            Some(&f.topic),
            &f.topic,
            format!(
                "`{}` declares schema subject `{subject}`, but {} of the {} sampled {} not in the Schema Registry wire format{at}: their producer does not use the registry's serializer, and consumers that deserialize with it fail on them",
                f.topic,
                f.plain,
                count(f.sampled, "value", "values"),
                if f.plain == 1 { "is" } else { "are" },
            ),
        );
    }
    let Some(answers) = answers.filter(|a| a.unreachable.is_none()) else {
        return;
    };
    for (id, (n, (p, o))) in &f.ids {
        let under = match answers.ids.get(id) {
            Some(Ok(regs)) if regs.iter().any(|(s, _)| *s == f.subject) => continue,
            Some(Ok(regs)) if regs.is_empty() => "registered under no subject".to_string(),
            Some(Ok(regs)) => {
                // Names from the Schema Registry: one line each, cut, at most five.
                let names: Vec<String> = regs
                    .iter()
                    .take(5)
                    .map(|(s, v)| format!("`{}` v{v}", cut(&one_line(s), 120)))
                    .collect();
                let more = match regs.len().saturating_sub(5) {
                    0 => String::new(),
                    n => format!(" and {n} more"),
                };
                format!("registered under {}{more}", names.join(", "))
            }
            Some(Err(None)) => "which the schema registry does not have".to_string(),
            Some(Err(Some(why))) => {
                failed.push(format!("schema id {id} on `{}`: {}", f.topic, one_line(why)));
                continue;
            }
            None => continue,
        };
        out.add(
            "schema-subject-mismatch",
            Severity::Error,
            Some(&f.topic),
            &f.topic,
            format!(
                "`{}`: {} schema id {id}, {under}, not the declared subject `{subject}` (the first at partition {p} offset {o})",
                f.topic,
                count(*n, "sampled value names", "sampled values name"),
            ),
        );
    }
}

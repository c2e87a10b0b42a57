//! Schema Registry drift: what the topics that declare a subject carry, against the
//! Schema Registry. Values (or keys) naming a schema id or GUID not registered under
//! the declared subject, and values not in wire format, break a consumer that
//! deserializes with the registry now (errors); a missing subject, or one whose
//! compatibility is NONE, breaks nobody yet but leaves the contract unenforced
//! (warnings). Key findings say "key" so they are told from the value's.

use super::facts::Facts;
use super::out::Out;
use crate::core::diag::Severity;
use crate::core::registry::{Registry, Status};
use crate::core::sample::schemas::{Answers, Framing, GuidAnswer, Part, Subject};
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
        .flat_map(|t| {
            let value = t.declared_subject().map(|s| (t, Part::Value, s));
            value
                .into_iter()
                .chain(t.declared_key_subject().map(|s| (t, Part::Key, s)))
        })
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
                guids(f, s.registry.as_ref(), out, not_computed, failed);
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
    for (t, part, subject) in &declared {
        let (key, field) = match part {
            Part::Value => ("", "schema.subject"),
            Part::Key => ("key ", "schema.key_subject"),
        };
        match answers.subjects.get(subject) {
            None => unasked += 1,
            Some(Subject::Missing) => {
                out.add(
                    "schema-subject-missing",
                    Severity::Warning,
                    Some(&t.name),
                    &t.name,
                    format!(
                        "`{}` declares {key}schema subject `{}`, which the schema registry {} does not have: register its schema, or correct `{field}`",
                        t.name,
                        one_line(subject),
                        answers.url
                    ),
                );
            }
            Some(Subject::Failed(why)) => failed.push(format!(
                "{key}schema subject `{}` of `{}`: {}",
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
                            "{key}schema subject `{}` of `{}` (latest version {latest}) has compatibility NONE ({whose}): any new schema is accepted, so a producer can break its consumers; set BACKWARD or stricter",
                            one_line(subject),
                            t.name
                        ),
                    );
                }
                Ok(_) => {}
                Err(why) => failed.push(format!(
                    "compatibility of {key}schema subject `{}`: {}",
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

/// How a part is named in messages: (`value`, `values`, `` or `key `).
fn part_words(part: Part) -> (&'static str, &'static str, &'static str) {
    match part {
        Part::Value => ("value", "values", ""),
        Part::Key => ("key", "keys", "key "),
    }
}

/// One topic's sampled values (or keys): not in wire format, or naming an id not under
/// its subject.
fn wire_format(f: &Framing, answers: Option<&Answers>, out: &mut Out, failed: &mut Vec<String>) {
    let subject = one_line(&f.subject);
    let (one, many, key) = part_words(f.part);
    if f.plain > 0 {
        let at = f
            .first_plain
            .map(|(p, o)| format!(" (the first at partition {p} offset {o})"))
            .unwrap_or_default();
        let deserialize = match f.part {
            Part::Value => "",
            Part::Key => " keys",
        };
        out.add(
            "schema-not-wire-format",
            Severity::Error,
            Some(&f.topic),
            &f.topic,
            format!(
                "`{}` declares {key}schema subject `{subject}`, but {} of the {} sampled {} not in the Schema Registry wire format{at}: their producer does not use the registry's serializer, and consumers that deserialize{deserialize} with it fail on them",
                f.topic,
                f.plain,
                count(f.sampled, one, many),
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
            Some(Ok(regs)) => registrations(regs),
            Some(Err(None)) => "which the schema registry does not have".to_string(),
            Some(Err(Some(why))) => {
                failed.push(format!("{key}schema id {id} on `{}`: {}", f.topic, one_line(why)));
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
                "`{}`: {} schema id {id}, {under}, not the declared {key}subject `{subject}` (the first at partition {p} offset {o})",
                f.topic,
                count(*n, &format!("sampled {one} names"), &format!("sampled {many} name")),
            ),
        );
    }
}

/// Where an id is registered, in words: names from the Schema Registry, one line
/// each, cut, at most five.
fn registrations(regs: &[(String, u32)]) -> String {
    if regs.is_empty() {
        return "registered under no subject".to_string();
    }
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

/// One topic's sampled values (or keys) naming a GUID not under its subject, as ids are.
fn guids(
    f: &Framing,
    answers: Option<&Answers>,
    out: &mut Out,
    not_computed: &mut Vec<String>,
    failed: &mut Vec<String>,
) {
    let Some(answers) = answers.filter(|a| a.unreachable.is_none()) else {
        return;
    };
    let subject = one_line(&f.subject);
    let (one, many, key) = part_words(f.part);
    for (g, (n, (p, o))) in &f.guids {
        // The GUID was read from a header as 16 bytes and written as hex: nothing to escape.
        let named = count(*n, &format!("sampled {one} names"), &format!("sampled {many} name"));
        let first = format!("(the first at partition {p} offset {o})");
        let mismatch = match answers.guids.get(&(g.clone(), f.subject.clone())) {
            None | Some(GuidAnswer::Version(_)) => continue,
            Some(GuidAnswer::Id(_, Ok(regs))) if regs.iter().any(|(s, _)| *s == f.subject) => continue,
            Some(GuidAnswer::Id(id, Ok(regs))) => format!(
                "`{}`: {named} schema guid {g} (id {id}), {}, not the declared {key}subject `{subject}` {first}",
                f.topic,
                registrations(regs)
            ),
            Some(GuidAnswer::Id(id, Err(None))) => format!(
                "`{}`: {named} schema guid {g} (id {id}), an id which the schema registry does not have, not the declared {key}subject `{subject}` {first}",
                f.topic
            ),
            Some(GuidAnswer::Unknown) => format!(
                "`{}`: {named} schema guid {g}, which the schema registry does not have, not the declared {key}subject `{subject}` {first}",
                f.topic
            ),
            Some(GuidAnswer::NotInVersions(0)) => format!(
                "`{}`: {named} schema guid {g}, not the declared {key}subject `{subject}`, which the schema registry does not have {first}",
                f.topic
            ),
            Some(GuidAnswer::NotInVersions(v)) => format!(
                "`{}`: {named} schema guid {g}, which is none of the {} of the declared {key}subject `{subject}` {first}",
                f.topic,
                count(*v, "version", "versions")
            ),
            Some(GuidAnswer::CannotTell(why)) => {
                not_computed.push(format!(
                    "{key}schema guid {g} on `{}`: cannot tell whether it is under the declared {key}subject `{subject}`: {}",
                    f.topic,
                    one_line(why)
                ));
                continue;
            }
            Some(GuidAnswer::Id(_, Err(Some(why))) | GuidAnswer::Failed(why)) => {
                failed.push(format!("{key}schema guid {g} on `{}`: {}", f.topic, one_line(why)));
                continue;
            }
        };
        out.add(
            "schema-subject-mismatch",
            Severity::Error,
            Some(&f.topic),
            &f.topic,
            mismatch,
        );
    }
}

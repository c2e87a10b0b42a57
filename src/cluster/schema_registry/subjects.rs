//! What drift and the topic detail ask the Schema Registry about the registry's
//! declared subjects: the latest version (`GET /subjects/{s}/versions/latest`) and the
//! compatibility level (`GET /config/{s}`, else the registry's global `GET /config`),
//! and under which subjects the ids seen on those topics are registered (the decoder's
//! `registered`, each id once), and the GUIDs (`guids`). Each subject is asked once per `SUBJECTS_EVERY` (in a
//! `ktopo drift` run: once), at most `SUBJECTS_PER_ROUND` of them a round, so a registry
//! declaring thousands of subjects cannot hold the sampler's round.

use super::client::{segment, Fetch};
use super::decoder::{Decoder, Registered};
use super::rotation::Rotation;
use crate::core::sample::message::RawMessage;
use crate::core::sample::schemas::{Answers, Compatibility, Declared, Framing, Schemas, Subject};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How long a subject's answer is kept before it is asked again.
pub const SUBJECTS_EVERY: Duration = Duration::from_secs(300);
/// Subjects asked per round at most (the others in the next rounds).
pub const SUBJECTS_PER_ROUND: usize = 32;
/// Distinct ids asked about per round at most (sampled bytes choose the ids, so they
/// are taken in turns: `rotation`).
pub const IDS_PER_ROUND: usize = 64;

/// The declared subjects, the framing of the last tails, and the answers kept.
#[derive(Debug, Default)]
pub struct SchemaWatch {
    declared: Vec<Declared>,
    framing: Option<Vec<Framing>>,
    /// Each subject's answer and when it is due again.
    asked: HashMap<String, (Subject, Instant)>,
    /// The global compatibility level and when it is due again.
    global: Option<(Result<String, String>, Instant)>,
    guids: super::guids::GuidWatch,
    /// Which ids seen are asked this round, and the answers of those asked before.
    rotation: Rotation<u32>,
    kept: HashMap<u32, Registered>,
}

impl SchemaWatch {
    pub fn new(declared: Vec<Declared>) -> SchemaWatch {
        SchemaWatch {
            declared,
            ..SchemaWatch::default()
        }
    }

    /// Count how the tails just read are framed (before they are decoded).
    pub fn see(&mut self, tails: &[(String, Vec<RawMessage>)]) {
        if !self.declared.is_empty() {
            self.framing = Some(crate::core::schema::framing::framing(&self.declared, tails));
        }
    }

    /// This round's picture; None where the registry declares no subject.
    pub fn round(&mut self, decoder: Option<&mut Decoder>) -> Option<Arc<Schemas>> {
        if self.declared.is_empty() {
            return None;
        }
        let registry = decoder.map(|d| self.answers(d));
        Some(Arc::new(Schemas {
            declared: self.declared.clone(),
            framing: self.framing.clone(),
            registry,
        }))
    }

    fn answers(&mut self, d: &mut Decoder) -> Answers {
        let mut budget = SUBJECTS_PER_ROUND;
        let subjects: BTreeSet<String> = self.declared.iter().map(|x| x.subject.clone()).collect();
        for s in &subjects {
            let due = self.asked.get(s).is_none_or(|(_, at)| Instant::now() >= *at);
            if due && budget > 0 {
                budget -= 1;
                let (answer, transient) = self.subject(d, s);
                let keep = if transient { d.retry_after } else { SUBJECTS_EVERY };
                self.asked.insert(s.clone(), (answer, Instant::now() + keep));
            }
        }
        let mut seen: BTreeMap<u32, usize> = BTreeMap::new();
        for (id, (n, _)) in self.framing.iter().flatten().flat_map(|f| &f.ids) {
            *seen.entry(*id).or_default() += n;
        }
        let asked = self.rotation.pick(&seen, IDS_PER_ROUND);
        self.kept.retain(|id, _| seen.contains_key(id));
        let ids = seen
            .keys()
            .map(|&id| {
                let r = if asked.contains(&id) {
                    let r = d.registered(id);
                    self.kept.insert(id, r.clone());
                    r
                } else {
                    // Asked in an earlier round: its answer then (the decoder keeps it).
                    self.kept.get(&id).cloned().unwrap_or_else(|| {
                        Err(Some(format!(
                            "not asked yet: more than {IDS_PER_ROUND} schema ids sampled (the others in the next rounds)"
                        )))
                    })
                };
                (id, r)
            })
            .collect();
        let guids = self.guids.answers(d, self.framing.as_deref().unwrap_or_default());
        Answers {
            url: d.url().to_string(),
            unreachable: d.unreachable().map(String::from),
            subjects: subjects
                .iter()
                .filter_map(|s| self.asked.get(s).map(|(a, _)| (s.clone(), a.clone())))
                .collect(),
            ids,
            guids,
        }
    }

    /// One subject's latest version and compatibility, and whether a failure may pass.
    fn subject(&mut self, d: &mut Decoder, s: &str) -> (Subject, bool) {
        d.take_transient();
        let latest = d.get(&format!("/subjects/{}/versions/latest", segment(s)));
        let transient = d.take_transient();
        let v = match latest {
            Ok(v) => v,
            Err(Fetch::Status { status: 404, .. }) => return (Subject::Missing, false),
            Err(e) => return (Subject::Failed(words(&e)), transient),
        };
        let Some(latest) = v
            .get("version")
            .and_then(Value::as_u64)
            .and_then(|v| u32::try_from(v).ok())
        else {
            return (Subject::Failed("its latest version has no `version`".into()), false);
        };
        let id = v.get("id").and_then(Value::as_u64).and_then(|v| u32::try_from(v).ok());
        let (compatibility, transient) = self.compatibility(d, s);
        (
            Subject::Found {
                latest,
                id,
                compatibility,
            },
            transient,
        )
    }

    fn compatibility(&mut self, d: &mut Decoder, s: &str) -> (Result<Compatibility, String>, bool) {
        let own = d.get(&format!("/config/{}", segment(s)));
        let transient = d.take_transient();
        match own {
            Ok(v) => (level(&v).map(|level| Compatibility { level, global: false }), false),
            // No level of its own: the registry's global one applies.
            Err(Fetch::Status { status: 404, .. }) => {
                if let Some((g, at)) = &self.global {
                    if Instant::now() < *at {
                        return (g.clone().map(|level| Compatibility { level, global: true }), false);
                    }
                }
                let g = d.get("/config");
                let transient = d.take_transient();
                let g = g.map_err(|e| words(&e)).and_then(|v| level(&v));
                let keep = if transient { d.retry_after } else { SUBJECTS_EVERY };
                self.global = Some((g.clone(), Instant::now() + keep));
                (g.map(|level| Compatibility { level, global: true }), transient)
            }
            Err(e) => (Err(words(&e)), transient),
        }
    }
}

/// `{"compatibilityLevel": "BACKWARD"}` (or `compatibility`, as newer registries write it).
fn level(v: &Value) -> Result<String, String> {
    v.get("compatibilityLevel")
        .or_else(|| v.get("compatibility"))
        .and_then(Value::as_str)
        .map(|l| crate::core::words::cut(&crate::core::visible::one_line(l), 40))
        .ok_or_else(|| "the answer names no compatibility level".to_string())
}

fn words(e: &Fetch) -> String {
    match e {
        Fetch::Status {
            status: s @ (401 | 403),
            ..
        } => format!("the schema registry refused the request ({s}): check schema.registry.basic.auth.user.info or the bearer token"),
        e => e.to_string(),
    }
}

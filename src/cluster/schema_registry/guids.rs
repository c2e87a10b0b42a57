//! Under which subject the GUIDs seen on the declared topics are registered, strictly
//! with GETs. A GUID's answer (`GET /schemas/guids/{g}`, fetched once by the decoder
//! with its schema) names its schema id on Confluent Platform 8: that id's
//! registrations are the decoder's `registered`. An answer without an id is looked for
//! among the declared subject's newest `VERSIONS_SEARCHED` versions (`GET
//! /subjects/{s}/versions`, then `/subjects/{s}/versions/{n}`, whose answers carry the
//! version's `guid`), each version asked once a session; when those do not tell, it
//! says so rather than guess.

use super::client::{segment, Fetch};
use super::decoder::Decoder;
use super::rotation::Rotation;
use crate::core::sample::schemas::{Framing, GuidAnswer};
use crate::core::words::count;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant};

/// Distinct GUIDs asked about per round at most (sampled bytes choose the GUIDs, so
/// they are taken in turns: `rotation`).
pub const GUIDS_PER_ROUND: usize = 64;
/// Versions of a subject looked at for a GUID, newest first.
pub const VERSIONS_SEARCHED: usize = 16;

/// How long a subject's list of versions is kept (as long as its latest version is).
pub const VERSIONS_EVERY: Duration = Duration::from_secs(300);

/// A version's GUID (None: its answer carries none), or why it could not be read.
type VersionGuid = Result<Option<String>, String>;

/// A subject's versions, or why they could not be read (None: the subject is missing).
type Versions = Result<Vec<u32>, Option<String>>;

#[derive(Debug, Default)]
pub struct GuidWatch {
    /// Each subject's versions, and when they are due again.
    versions: HashMap<String, (Versions, Instant)>,
    /// Each (subject, version)'s GUID (None: its answer carries none), and for a
    /// failure when it is due again; a version's schema never changes.
    guids: HashMap<(String, u32), (VersionGuid, Option<Instant>)>,
    /// Which GUIDs seen are asked this round, and last round's answers (GUID, subject).
    rotation: Rotation<String>,
    kept: BTreeMap<(String, String), GuidAnswer>,
}

impl GuidWatch {
    /// What the registry says of each GUID seen, against its topic's declared subject.
    pub fn answers(&mut self, d: &mut Decoder, framing: &[Framing]) -> BTreeMap<(String, String), GuidAnswer> {
        let mut seen: BTreeMap<String, usize> = BTreeMap::new();
        for (g, (n, _)) in framing.iter().flat_map(|f| &f.guids) {
            *seen.entry(g.clone()).or_default() += n;
        }
        let asked = self.rotation.pick(&seen, GUIDS_PER_ROUND);
        let mut out = BTreeMap::new();
        for f in framing {
            for g in f.guids.keys() {
                let key = (g.clone(), f.subject.clone());
                if out.contains_key(&key) {
                    continue;
                }
                let a = if asked.contains(g) {
                    self.answer(d, g, &f.subject)
                } else {
                    // Asked in an earlier round: its answer then.
                    self.kept.get(&key).cloned().unwrap_or_else(|| {
                        GuidAnswer::Failed(format!(
                            "not asked yet: more than {GUIDS_PER_ROUND} schema GUIDs sampled (the others in the next rounds)"
                        ))
                    })
                };
                out.insert(key, a);
            }
        }
        // Only the answers of GUIDs seen this round are kept.
        self.kept = out.clone();
        out
    }

    fn answer(&mut self, d: &mut Decoder, guid: &str, subject: &str) -> GuidAnswer {
        let Ok(g) = uuid::Uuid::parse_str(guid) else {
            return GuidAnswer::Failed(format!("`{guid}` is not a GUID"));
        };
        match d.guid_id(*g.as_bytes()) {
            Ok(Some(id)) => GuidAnswer::Id(id, d.registered(id)),
            Ok(None) => match self.versions(d, subject) {
                Ok(versions) => search(guid, &versions, |v| self.version_guid(d, subject, v)),
                Err(None) => GuidAnswer::NotInVersions(0),
                Err(Some(why)) => GuidAnswer::CannotTell(format!(
                    "its answer names no schema id, and the subject's versions could not be read: {why}"
                )),
            },
            Err(None) => GuidAnswer::Unknown,
            Err(Some(why)) => GuidAnswer::Failed(why),
        }
    }

    /// `GET /subjects/{s}/versions`, kept as long as a subject's answer is.
    fn versions(&mut self, d: &mut Decoder, s: &str) -> Versions {
        if let Some((v, at)) = self.versions.get(s) {
            if Instant::now() < *at {
                return v.clone();
            }
        }
        d.take_transient();
        let got = d.get(&format!("/subjects/{}/versions", segment(s)));
        let transient = d.take_transient();
        let v = match got {
            Ok(v) => Ok(v
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|n| u32::try_from(n.as_u64()?).ok())
                .collect()),
            Err(Fetch::Status { status: 404, .. }) => Err(None),
            Err(e) => Err(Some(e.to_string())),
        };
        let keep = if transient { d.retry_after } else { VERSIONS_EVERY };
        self.versions.insert(s.to_string(), (v.clone(), Instant::now() + keep));
        v
    }

    /// `GET /subjects/{s}/versions/{n}`'s `guid`, asked once (a failure again after
    /// the decoder's `retry_after`).
    fn version_guid(&mut self, d: &mut Decoder, s: &str, v: u32) -> VersionGuid {
        let key = (s.to_string(), v);
        if let Some((g, retry)) = self.guids.get(&key) {
            if retry.is_none_or(|at| Instant::now() < at) {
                return g.clone();
            }
        }
        let g = d
            .get(&format!("/subjects/{}/versions/{v}", segment(s)))
            .map(|a| a.get("guid").and_then(Value::as_str).map(String::from))
            .map_err(|e| format!("version {v}: {e}"));
        let retry = g.is_err().then(|| Instant::now() + d.retry_after);
        self.guids.insert(key, (g.clone(), retry));
        g
    }
}

/// Whether `guid` is one of the newest `VERSIONS_SEARCHED` of `versions`, each
/// version's GUID from `guid_of`; when no version matches and not all could be
/// compared, why it cannot tell.
pub fn search(guid: &str, versions: &[u32], mut guid_of: impl FnMut(u32) -> VersionGuid) -> GuidAnswer {
    let mut newest = versions.to_vec();
    newest.sort_unstable_by(|a, b| b.cmp(a));
    newest.dedup();
    let all = newest.len();
    let (mut unread, mut unnamed) = (None, false);
    for v in newest.into_iter().take(VERSIONS_SEARCHED) {
        match guid_of(v) {
            Ok(Some(g)) if g.eq_ignore_ascii_case(guid) => return GuidAnswer::Version(v),
            Ok(Some(_)) => {}
            Ok(None) => unnamed = true,
            Err(why) => unread = unread.or(Some(why)),
        }
    }
    if let Some(why) = unread {
        return GuidAnswer::CannotTell(format!("a version of the subject could not be read ({why})"));
    }
    if unnamed {
        return GuidAnswer::CannotTell(
            "its answer names no schema id and the subject's versions carry no `guid` (a Schema Registry before Confluent Platform 8)".into(),
        );
    }
    if all > VERSIONS_SEARCHED {
        return GuidAnswer::CannotTell(format!(
            "its answer names no schema id, and it is none of the subject's newest {VERSIONS_SEARCHED} of {} (older ones are not looked at)",
            count(all, "version", "versions")
        ));
    }
    GuidAnswer::NotInVersions(all)
}

#[cfg(test)]
mod tests {
    use super::{search, VERSIONS_SEARCHED};
    use crate::core::sample::schemas::GuidAnswer;

    const G: &str = "0f8fad5b-d9cb-469f-a165-70867728950e";

    #[test]
    fn search_finds_the_version_newest_first_and_reads_no_more() {
        let mut asked = Vec::new();
        let a = search(G, &[1, 3, 2], |v| {
            asked.push(v);
            Ok(Some(if v == 2 { G.to_uppercase() } else { format!("other-{v}") }))
        });
        assert_eq!(a, GuidAnswer::Version(2));
        assert_eq!(asked, [3, 2], "newest first, stops at the match");
    }

    #[test]
    fn search_says_not_in_versions_only_when_it_compared_them_all() {
        assert_eq!(
            search(G, &[1, 2], |v| Ok(Some(format!("g{v}")))),
            GuidAnswer::NotInVersions(2)
        );
        assert_eq!(search(G, &[], |_| unreachable!()), GuidAnswer::NotInVersions(0));
        let many: Vec<u32> = (1..=40).collect();
        let mut asked = 0;
        let a = search(G, &many, |v| {
            asked += 1;
            Ok(Some(format!("g{v}")))
        });
        assert_eq!(asked, VERSIONS_SEARCHED, "bounded");
        let GuidAnswer::CannotTell(why) = a else {
            panic!("{a:?}")
        };
        assert!(why.contains("newest 16 of 40 versions"), "{why}");
        let a = search(G, &[1, 2], |v| if v == 2 { Ok(None) } else { Ok(Some("x".into())) });
        assert!(
            matches!(&a, GuidAnswer::CannotTell(w) if w.contains("carry no `guid`")),
            "{a:?}"
        );
        let a = search(G, &[1, 2], |v| {
            if v == 2 {
                Err("version 2: HTTP 500".into())
            } else {
                Ok(Some("x".into()))
            }
        });
        assert!(
            matches!(&a, GuidAnswer::CannotTell(w) if w.contains("HTTP 500")),
            "{a:?}"
        );
        // A match wins over a version that could not be read.
        let a = search(
            G,
            &[1, 2],
            |v| if v == 2 { Err("x".into()) } else { Ok(Some(G.into())) },
        );
        assert_eq!(a, GuidAnswer::Version(1));
    }
}

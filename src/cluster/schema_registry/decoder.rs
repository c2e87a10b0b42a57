//! Decoding a session's records: each schema fetched once (by id or GUID, its
//! references by subject and version) and kept, failures too, so a bad id costs one
//! request however many records name it. A failure that may pass (the registry
//! unreachable, a 5xx, a 429) is kept for `retry_after` only: a TUI or `serve` session
//! outlives a registry restart. An unreachable registry is said once per outage.
//! Message bytes choose the ids and GUIDs, so each cache (schemas, registrations, a
//! GUID's id) keeps at most `MAX_CACHED` entries, the schemas at most
//! `MAX_SCHEMA_BYTES` of schema text: past that the least recently used is dropped,
//! and fetched again if a later record names it (`lru`).

use super::client::{segment, Client, Fetch};
use super::lru::Lru;
use super::settings::Settings;
use crate::core::sample::message::{Header, RawMessage};
use crate::core::schema::{self, wire, About, Decoding, Format, Limits, SchemaError, Text};
use serde_json::Value;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How long a failure that may pass is kept before asking again.
pub const RETRY_AFTER: Duration = Duration::from_secs(60);

/// Entries each cache keeps at most.
pub const MAX_CACHED: usize = 4096;
/// Bytes of schema text (references included) the schema cache keeps at most.
pub const MAX_SCHEMA_BYTES: usize = 64 << 20;
/// What an entry costs beyond its text (its key, its compiled form's bookkeeping).
const ENTRY_BYTES: usize = 256;

/// References followed per schema at most (Protobuf imports of imports included).
const MAX_REFERENCES: usize = 64;

/// A schema fetched and compiled, or why it cannot decode.
type Loaded = Result<Arc<(About, schema::Compiled)>, (Option<About>, String)>;

pub struct Decoder {
    client: Client,
    /// Each schema as loaded, and when to ask again (a failure that may pass).
    schemas: Lru<wire::SchemaRef, (Loaded, Option<Instant>)>,
    /// Bytes of schema text the load in progress read (its cache weight).
    loaded_bytes: usize,
    /// Why the registry cannot be reached, and since when.
    unreachable: Option<(String, Instant)>,
    /// Whether the load in progress failed in a way that may pass.
    transient: bool,
    pub retry_after: Duration,
    /// Notes for the whole session (said once), taken by `take_notes`.
    notes: Vec<String>,
    pub limits: Limits,
    /// Each id's (subject, version) registrations, once asked (`/schemas/ids/{id}/versions`).
    registered: Lru<u32, (Registered, Option<Instant>)>,
    /// The schema id each GUID's answer named (None: it named none), kept when its
    /// schema is fetched; Err as `Registered`'s (None: 404).
    guid_ids: Lru<[u8; 16], Result<Option<u32>, Option<String>>>,
}

pub use crate::core::sample::schemas::Registered;

/// A key's and a value's decoding.
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded {
    pub key: Decoding,
    pub value: Decoding,
}

impl Decoder {
    pub fn new(settings: Settings) -> Decoder {
        Decoder {
            client: Client::new(settings, Duration::from_secs(5)),
            schemas: Lru::new(MAX_CACHED, MAX_SCHEMA_BYTES),
            loaded_bytes: 0,
            unreachable: None,
            transient: false,
            retry_after: RETRY_AFTER,
            notes: Vec::new(),
            limits: Limits::default(),
            registered: Lru::new(MAX_CACHED, MAX_SCHEMA_BYTES),
            guid_ids: Lru::new(MAX_CACHED, usize::MAX),
        }
    }

    /// The registry's URL (no user info).
    pub fn url(&self) -> &str {
        &self.client.settings.base
    }

    /// Bound each cache to `entries` (tests: fewer than `MAX_CACHED`).
    pub fn limit_cache(&mut self, entries: usize) {
        self.schemas.max_entries = entries;
        self.registered.max_entries = entries;
        self.guid_ids.max_entries = entries;
    }

    /// Entries kept in the schema, registration and GUID caches, and the schemas' bytes.
    pub fn cached(&self) -> (usize, usize, usize, usize) {
        (
            self.schemas.len(),
            self.registered.len(),
            self.guid_ids.len(),
            self.schemas.bytes(),
        )
    }

    /// Requests sent so far.
    pub fn requests(&self) -> usize {
        self.client.sent
    }

    /// Notes said once for the session (an unreachable registry), since the last take.
    pub fn take_notes(&mut self) -> Vec<String> {
        std::mem::take(&mut self.notes)
    }

    /// A message's key and value.
    pub fn message(&mut self, m: &RawMessage) -> Decoded {
        let header = |name: &str| {
            m.headers.iter().find_map(|h| match h {
                Header::Kept(k, Some(v)) if k.bytes == name.as_bytes() => Some(v.bytes.clone()),
                _ => None,
            })
        };
        let key = match &m.key {
            Some(k) => self.bytes(&k.bytes, k.more(), header(wire::KEY_HEADER).as_deref()),
            None => Decoding::Plain,
        };
        let value = match &m.value {
            Some(v) => self.bytes(
                v,
                m.value_len.saturating_sub(v.len()),
                header(wire::VALUE_HEADER).as_deref(),
            ),
            None => Decoding::Plain,
        };
        Decoded { key, value }
    }

    /// Sampled tails with their wire-format values decoded in place, as the JSON of
    /// the record, so the observed-event checks read an Avro or Protobuf record as
    /// they read JSON. Values that do not decode stay as read; what went wrong is said
    /// once per topic, with the session's notes.
    pub fn decode_tails(&mut self, tails: &mut [(String, Vec<RawMessage>)]) -> Vec<String> {
        let mut problems = Vec::new();
        for (topic, msgs) in tails.iter_mut() {
            let (mut failed, mut first) = (0usize, None);
            for m in msgs.iter_mut() {
                match self.message(m).value {
                    Decoding::Decoded { record, about } => {
                        let json = serde_json::to_vec(&record.value).unwrap_or_default();
                        m.value_len = json.len();
                        m.value = Some(json);
                        let message = record.message.map(|n| format!(" · {n}")).unwrap_or_default();
                        m.schema = Some(format!("{}{message}", about.line()));
                    }
                    Decoding::Failed { note, .. } => {
                        failed += 1;
                        first.get_or_insert(note);
                    }
                    Decoding::Plain => {}
                }
            }
            if let Some(note) = first {
                let n = crate::core::words::count(failed, "wire-format record", "wire-format records");
                problems.push(format!("`{topic}`: {n} not decoded ({note})"));
            }
        }
        problems.extend(self.take_notes());
        problems
    }

    /// One key or value (`cut`: bytes of it not kept).
    pub fn bytes(&mut self, bytes: &[u8], cut: usize, header: Option<&[u8]>) -> Decoding {
        let framed = match wire::frame(bytes, header) {
            Ok(None) => return Decoding::Plain,
            Ok(Some(f)) => f,
            Err(e) => {
                return Decoding::Failed {
                    about: None,
                    note: e.to_string(),
                }
            }
        };
        let loaded = self.schema(framed.schema);
        let (about, compiled) = match loaded {
            Ok(a) => (a.0.clone(), a),
            Err((about, note)) => return Decoding::Failed { about, note },
        };
        if cut > 0 {
            return Decoding::Failed {
                about: Some(about),
                note: format!("{} of it not kept", crate::core::words::count(cut, "byte", "bytes")),
            };
        }
        match schema::decode(&compiled.1, framed.body, &self.limits) {
            Ok(record) => Decoding::Decoded { about, record },
            Err(e) => Decoding::Failed {
                note: format!("does not decode with {}: {e}", about_label(&about)),
                about: Some(about),
            },
        }
    }

    /// The schema a record names, fetched once.
    fn schema(&mut self, r: wire::SchemaRef) -> Loaded {
        if let Some((l, retry)) = self.schemas.get(&r) {
            if retry.is_none_or(|at| Instant::now() < at) {
                return l.clone();
            }
        }
        self.transient = false;
        self.loaded_bytes = 0;
        let l = self.load(r);
        let retry = (l.is_err() && self.transient).then(|| Instant::now() + self.retry_after);
        let note = l.as_ref().err().map_or(0, |(_, n)| n.len());
        self.schemas
            .insert(r, (l.clone(), retry), ENTRY_BYTES + self.loaded_bytes + note);
        l
    }

    fn load(&mut self, r: wire::SchemaRef) -> Loaded {
        let mut about = About {
            named: r.label(),
            ..About::default()
        };
        let path = match r {
            wire::SchemaRef::Id(id) => {
                about.id = Some(id);
                format!("/schemas/ids/{id}")
            }
            wire::SchemaRef::Guid(g) => {
                about.guid = Some(wire::guid(&g));
                format!("/schemas/guids/{}", wire::guid(&g))
            }
        };
        let body = match self.get(&path) {
            Ok(b) => b,
            Err(e) => {
                let why = self.failed(&r, e.clone());
                if let wire::SchemaRef::Guid(g) = r {
                    let kept = match e {
                        Fetch::Status { status: 404, .. } => Err(None),
                        _ => Err(Some(why.clone())),
                    };
                    self.guid_ids.insert(g, kept, 0);
                }
                return Err((Some(about), why));
            }
        };
        if let wire::SchemaRef::Guid(g) = r {
            let id = body
                .get("id")
                .and_then(Value::as_u64)
                .and_then(|v| u32::try_from(v).ok());
            self.guid_ids.insert(g, Ok(id), 0);
        }
        let fail = |about: &About, e: String| Err((Some(about.clone()), e));
        let format = match Format::from_schema_type(body.get("schemaType").and_then(Value::as_str)) {
            Some(f) => f,
            None => {
                let t = body.get("schemaType").and_then(Value::as_str).unwrap_or_default();
                return fail(
                    &about,
                    SchemaError::UnknownType(crate::core::visible::one_line(t).into_owned()).to_string(),
                );
            }
        };
        about.format = Some(format);
        about.subject = body.get("subject").and_then(Value::as_str).map(String::from);
        about.version = body
            .get("version")
            .and_then(Value::as_u64)
            .and_then(|v| u32::try_from(v).ok());
        about.id = about.id.or(body
            .get("id")
            .and_then(Value::as_u64)
            .and_then(|v| u32::try_from(v).ok()));
        if about.subject.is_none() {
            if let Some(id) = about.id {
                // Which subject and version this id is (the first, when several share it).
                let transient = self.transient;
                if let Ok(Some((s, v))) = self.registered(id).map(|r| r.first().cloned()) {
                    about.subject = Some(s);
                    about.version = Some(v);
                }
                self.transient = transient;
            }
        }
        let Some(text) = body.get("schema").and_then(Value::as_str) else {
            return fail(&about, "the registry's answer has no `schema`".into());
        };
        let mut references = Vec::new();
        let mut seen = std::collections::HashSet::new();
        if let Err(e) = self.references(&body, &mut references, &mut seen) {
            return fail(&about, e);
        }
        self.loaded_bytes = text.len() + references.iter().map(|(n, t)| n.len() + t.len()).sum::<usize>();
        let t = Text {
            format,
            schema: text.to_string(),
            references,
        };
        match schema::compile(&t) {
            Ok(c) => Ok(Arc::new((about, c))),
            Err(e) => {
                let note = format!(
                    "{}: {}",
                    about_label(&about),
                    self.client.settings.scrub(&e.to_string())
                );
                fail(&about, crate::core::words::cut(&note, 400))
            }
        }
    }

    /// The texts of a schema's references, theirs first (depth first), each once.
    fn references(
        &mut self,
        body: &Value,
        out: &mut Vec<(String, String)>,
        seen: &mut std::collections::HashSet<(String, i64)>,
    ) -> Result<(), String> {
        let Some(refs) = body.get("references").and_then(Value::as_array) else {
            return Ok(());
        };
        for r in refs {
            let (Some(name), Some(subject)) = (
                r.get("name").and_then(Value::as_str),
                r.get("subject").and_then(Value::as_str),
            ) else {
                return Err("a reference without a name or subject".into());
            };
            let version = r.get("version").and_then(Value::as_i64).unwrap_or(-1);
            if !seen.insert((subject.to_string(), version)) {
                continue;
            }
            if seen.len() > MAX_REFERENCES {
                return Err(format!("more than {MAX_REFERENCES} references"));
            }
            let v = if version < 0 {
                "latest".to_string()
            } else {
                version.to_string()
            };
            let path = format!("/subjects/{}/versions/{v}", segment(subject));
            let shown = crate::core::visible::one_line(subject).into_owned();
            let got = self
                .get(&path)
                .map_err(|e| format!("reference {shown} version {v}: {e}"))?;
            self.references(&got, out, seen)?;
            let text = got
                .get("schema")
                .and_then(Value::as_str)
                .ok_or_else(|| format!("reference {shown} version {v}: no `schema`"))?;
            out.push((name.to_string(), text.to_string()));
        }
        Ok(())
    }

    /// The subjects and versions schema `id` is registered under, asked once (a
    /// failure that may pass, again after `retry_after`).
    pub fn registered(&mut self, id: u32) -> Registered {
        if let Some((r, retry)) = self.registered.get(&id) {
            if retry.is_none_or(|at| Instant::now() < at) {
                return r.clone();
            }
        }
        self.transient = false;
        let r: Registered = match self.get(&format!("/schemas/ids/{id}/versions")) {
            Ok(v) => Ok(v
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|e| {
                    let s = e.get("subject")?.as_str()?;
                    let v = u32::try_from(e.get("version")?.as_u64()?).ok()?;
                    Some((s.to_string(), v))
                })
                .collect()),
            Err(Fetch::Status { status: 404, .. }) => Err(None),
            Err(e) => Err(Some(self.failed(&wire::SchemaRef::Id(id), e))),
        };
        let retry = (r.is_err() && self.transient).then(|| Instant::now() + self.retry_after);
        let weight = match &r {
            Ok(v) => v.iter().map(|(s, _)| s.len() + 8).sum(),
            Err(why) => why.as_ref().map_or(0, String::len),
        };
        self.registered.insert(id, (r.clone(), retry), ENTRY_BYTES + weight);
        r
    }

    /// The schema id a GUID's answer names (`GET /schemas/guids/{g}`, the request that
    /// fetches its schema, so asked once with it): Ok(None) when it names none;
    /// Err(None) when the registry does not know the GUID.
    pub fn guid_id(&mut self, g: [u8; 16]) -> Result<Option<u32>, Option<String>> {
        // Fetches, or refetches a failure due again, and keeps the id on the way.
        let _ = self.schema(wire::SchemaRef::Guid(g));
        if self.guid_ids.get(&g).is_none() {
            // Its id was dropped from the cache, its schema kept: fetch both again.
            self.schemas.remove(&wire::SchemaRef::Guid(g));
            let _ = self.schema(wire::SchemaRef::Guid(g));
        }
        self.guid_ids.get(&g).cloned().unwrap_or(Ok(None))
    }

    /// Why the registry is unreachable, while it is.
    pub fn unreachable(&self) -> Option<&str> {
        self.unreachable.as_ref().map(|(why, _)| why.as_str())
    }

    /// Whether the last request failed in a way that may pass.
    pub(super) fn take_transient(&mut self) -> bool {
        std::mem::take(&mut self.transient)
    }

    pub(super) fn get(&mut self, path: &str) -> Result<Value, Fetch> {
        if let Some((why, since)) = &self.unreachable {
            if since.elapsed() < self.retry_after {
                self.transient = true;
                return Err(Fetch::Unreachable(why.clone()));
            }
        }
        let r = self.client.get(path);
        match &r {
            Err(e) if e.no_answer() => {
                let why = match e {
                    Fetch::Unreachable(why) => why.clone(),
                    e => e.to_string(),
                };
                self.transient = true;
                if self.unreachable.is_none() {
                    self.notes.push(format!(
                        "schema registry {} unreachable ({why}): wire-format records are not decoded",
                        self.client.settings.base
                    ));
                }
                self.unreachable = Some((why, Instant::now()));
            }
            Err(Fetch::Status { status, .. }) if *status >= 500 || *status == 429 => self.transient = true,
            Ok(_) => self.unreachable = None,
            Err(_) => {}
        }
        r
    }

    /// The per-record note for a schema that could not be fetched.
    fn failed(&self, r: &wire::SchemaRef, e: Fetch) -> String {
        let what = r.label();
        match e {
            e if e.no_answer() => "the schema registry is unreachable".into(),
            Fetch::Status { status: 404, .. } => format!("schema {what} is not in the schema registry (404)"),
            Fetch::Status {
                status: s @ (401 | 403),
                ..
            } => format!("the schema registry refused schema {what} ({s}): check schema.registry.basic.auth.user.info or the bearer token"),
            e => format!("schema {what}: {e}"),
        }
    }
}

fn about_label(a: &About) -> String {
    match &a.subject {
        Some(s) => format!("schema {} ({s})", a.named),
        None => format!("schema {}", a.named),
    }
}

//! Observed events: sampled messages checked against the registry. Pure: registry and
//! messages in, observations and drift findings out. Kafka cannot say who produces to
//! a topic, but the messages can: each envelope names its `source_service` and
//! `event_type` (or the fields a topic's `message:` format names instead).
//!
//! Only what a message shows is judged: a tombstone (no value) and a value cut at the
//! sampling cap are counted as not checked, never as format problems, and the values
//! are read by a scan that neither depth nor a number's size can make fail.

use crate::diag::Severity;
use crate::drift::Finding;
use crate::kafka::peek::Peeked;
use crate::registry::model::Topic;
use crate::registry::{Registry, Status};
use std::collections::BTreeMap;

/// Distinct event types or producers kept per topic; the rest are counted as one.
const DISTINCT: usize = 64;
/// Values quoted in findings are cut here (they come from outside).
const QUOTE: usize = 40;

/// What a sample of one topic's messages showed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Observation {
    pub topic: String,
    pub sampled: usize,
    /// Messages with every required field present and well formed.
    pub conforming: usize,
    /// Values that are not JSON objects.
    pub not_json: usize,
    /// Records with no value (tombstones: deletes on compacted topics): not checked.
    pub tombstones: usize,
    /// Values cut at the sampling cap (valid JSON as far as kept): not checked, but
    /// their event type and producer count where the kept part names them.
    pub too_large: usize,
    /// Required field → messages lacking it.
    pub missing: BTreeMap<String, usize>,
    /// Required field → (messages where it is malformed, an example value).
    pub malformed: BTreeMap<String, (usize, String)>,
    /// Event type → messages carrying it.
    pub events: BTreeMap<String, usize>,
    /// Producing service as the messages name it → messages.
    pub producers: BTreeMap<String, usize>,
}

/// A required field and the type it must have (`uuid`, `ISO 8601`, `semver`,
/// `object`, `string`; anything else: present).
struct Required {
    path: String,
    kind: String,
}

fn required(reg: &Registry, t: &Topic) -> Vec<Required> {
    let envelope = t.message.as_ref().and_then(|m| m.envelope).unwrap_or(true);
    let mut out: Vec<Required> = if envelope {
        reg.conventions
            .envelope
            .iter()
            .map(|f| Required {
                path: f.name.clone(),
                kind: f.kind.clone(),
            })
            .collect()
    } else {
        Vec::new()
    };
    for r in t.message.iter().flat_map(|m| &m.required) {
        if !out.iter().any(|o| &o.path == r) {
            out.push(Required {
                path: r.clone(),
                kind: String::new(),
            });
        }
    }
    out
}

fn uuid(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.len() == 5
        && [8, 4, 4, 4, 12].iter().zip(&parts).all(|(n, p)| p.len() == *n)
        && parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// `2024-11-27T00:00:00Z`, with optional fraction and offset.
fn iso8601(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| b.get(r).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    b.len() >= 20
        && digits(0..4)
        && b[4] == b'-'
        && digits(5..7)
        && b[7] == b'-'
        && digits(8..10)
        && (b[10] == b'T' || b[10] == b't')
        && digits(11..13)
        && b[13] == b':'
        && digits(14..16)
        && b[16] == b':'
        && digits(17..19)
        && (s.ends_with('Z') || s.ends_with('z') || s[19..].contains(['+', '-']))
}

fn semver(s: &str) -> bool {
    let core = s.split(['-', '+']).next().unwrap_or("");
    let nums: Vec<&str> = core.split('.').collect();
    nums.len() == 3
        && nums
            .iter()
            .all(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// Whether a value present at a field has the field's type (`b`: the message).
fn well_formed(kind: &str, b: &[u8], v: &Found) -> bool {
    let k = kind.to_ascii_lowercase();
    let s = || (v.kind == Kind::String).then(|| text(b, v, usize::MAX));
    match k.as_str() {
        "uuid" => s().is_some_and(|s| uuid(&s)),
        "iso 8601" | "iso8601" | "timestamp" => s().is_some_and(|s| iso8601(&s)),
        "semver" => s().is_some_and(|s| semver(&s)),
        "object" => v.kind == Kind::Object,
        "string" => v.kind == Kind::String,
        _ => true,
    }
}

/// A name on its line.
fn line(s: &str) -> std::borrow::Cow<'_, str> {
    crate::visible::one_line(s)
}

/// A name or value from a message, cut for a finding and kept on its line (a newline
/// in an event type must not write a finding line of its own).
fn shown(s: &str) -> String {
    let mut q: String = s.chars().take(QUOTE).collect();
    if s.chars().count() > QUOTE {
        q.push('…');
    }
    crate::visible::one_line(&q).into_owned()
}

/// Event types and producers are kept, and matched against the registry, whole up to
/// here (quoted in findings only up to `QUOTE`).
const KEY: usize = 256;

/// The kind of a JSON value found at a wanted path.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Object,
    Array,
    String,
    Number,
    Bool,
    Null,
}

/// A value found at a wanted path: its kind and its text (quotes included).
#[derive(Debug, Clone)]
struct Found {
    kind: Kind,
    span: std::ops::Range<usize>,
}

/// Why a scan stopped early.
#[derive(Debug, PartialEq)]
enum Stop {
    /// Valid JSON up to the end of the bytes, which came before the value's end.
    Short,
    /// Not JSON (or not an object at the top).
    Bad,
}

/// One JSON object checked against RFC 8259 as strictly as serde_json, without a parse
/// tree and without recursion, so neither depth nor numbers out of f64 range (`1e400`)
/// make valid JSON "not JSON": the only stack is one byte per open level, on the heap
/// and never more than the value's size. It keeps just the values at the wanted dotted
/// paths (the last of duplicate keys, as serde_json does).
struct Scanner<'a, 'w> {
    b: &'a [u8],
    i: usize,
    wanted: &'w [Vec<&'w str>],
    /// The longest wanted path: keys below it are not kept.
    deepest: usize,
    /// `{` or `[` per open level.
    stack: Vec<u8>,
    /// The current member's key of each open level above `deepest` (None in arrays).
    keys: Vec<Option<String>>,
    /// Where each open level up to `deepest` began.
    starts: Vec<usize>,
    found: Vec<Option<Found>>,
}

impl<'a, 'w> Scanner<'a, 'w> {
    fn new(b: &'a [u8], wanted: &'w [Vec<&'w str>]) -> Self {
        Scanner {
            b,
            i: 0,
            wanted,
            deepest: wanted.iter().map(Vec::len).max().unwrap_or(0),
            stack: Vec::new(),
            keys: Vec::new(),
            starts: Vec::new(),
            found: vec![None; wanted.len()],
        }
    }

    fn peek(&self) -> Result<u8, Stop> {
        self.b.get(self.i).copied().ok_or(Stop::Short)
    }

    fn ws(&mut self) {
        while matches!(self.b.get(self.i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.i += 1;
        }
    }

    fn expect(&mut self, c: u8) -> Result<(), Stop> {
        if self.peek()? != c {
            return Err(Stop::Bad);
        }
        self.i += 1;
        Ok(())
    }

    /// The wanted paths the value about to begin or just ended sits on or above:
    /// None when it sits on none (too deep, in an array, or under another key).
    fn on_path(&self) -> Option<impl Iterator<Item = (usize, bool)> + '_> {
        let d = self.stack.len();
        if d == 0 || d > self.deepest {
            return None;
        }
        let path: Option<Vec<&str>> = self.keys[..d].iter().map(Option::as_deref).collect();
        let path = path?;
        Some(
            self.wanted
                .iter()
                .enumerate()
                .filter(move |(_, w)| w.len() >= d && w[..d] == path[..])
                .map(move |(n, w)| (n, w.len() == d)),
        )
    }

    /// A value begins: what an earlier duplicate key left at or below it is gone.
    fn begin(&mut self) {
        let gone: Vec<usize> = self.on_path().map(|p| p.map(|(n, _)| n).collect()).unwrap_or_default();
        for n in gone {
            self.found[n] = None;
        }
    }

    /// A value that began at `start` ends here.
    fn end(&mut self, kind: Kind, start: usize) {
        let at: Vec<usize> = self
            .on_path()
            .map(|p| p.filter(|&(_, exact)| exact).map(|(n, _)| n).collect())
            .unwrap_or_default();
        for n in at {
            self.found[n] = Some(Found {
                kind,
                span: start..self.i,
            });
        }
    }

    fn open(&mut self, c: u8) {
        let d = self.stack.len();
        if d <= self.deepest {
            self.starts.push(self.i);
        }
        if d < self.deepest {
            self.keys.push(None);
        }
        self.stack.push(c);
        self.i += 1;
    }

    fn close(&mut self) {
        let c = self.stack.pop();
        let d = self.stack.len();
        if d < self.deepest {
            self.keys.pop();
        }
        self.i += 1;
        if d <= self.deepest {
            let start = self.starts.pop().unwrap_or(0);
            let kind = if c == Some(b'{') { Kind::Object } else { Kind::Array };
            self.end(kind, start);
        }
    }

    /// An object member's key and its colon.
    fn key(&mut self) -> Result<(), Stop> {
        let start = self.i;
        if self.peek()? != b'"' {
            return Err(Stop::Bad);
        }
        self.string()?;
        let level = self.stack.len() - 1;
        if level < self.deepest {
            self.keys[level] = Some(unescape(&self.b[start + 1..self.i - 1]));
        }
        self.ws();
        self.expect(b':')
    }

    fn string(&mut self) -> Result<(), Stop> {
        self.i += 1;
        loop {
            match self.peek()? {
                b'"' => {
                    self.i += 1;
                    return Ok(());
                }
                b'\\' => {
                    self.i += 1;
                    match self.peek()? {
                        b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => self.i += 1,
                        b'u' => {
                            self.i += 1;
                            for _ in 0..4 {
                                if !self.peek()?.is_ascii_hexdigit() {
                                    return Err(Stop::Bad);
                                }
                                self.i += 1;
                            }
                        }
                        _ => return Err(Stop::Bad),
                    }
                }
                0..=0x1f => return Err(Stop::Bad),
                _ => self.i += 1,
            }
        }
    }

    /// A number's syntax only: its size does not matter to the checks.
    fn number(&mut self) -> Result<(), Stop> {
        if self.peek()? == b'-' {
            self.i += 1;
        }
        match self.peek()? {
            b'0' => self.i += 1,
            b'1'..=b'9' => self.digits()?,
            _ => return Err(Stop::Bad),
        }
        if self.peek()? == b'.' {
            self.i += 1;
            self.digits()?;
        }
        if matches!(self.peek()?, b'e' | b'E') {
            self.i += 1;
            if matches!(self.peek()?, b'+' | b'-') {
                self.i += 1;
            }
            self.digits()?;
        }
        Ok(())
    }

    /// One digit or more. A number never ends the text (the top is an object), so its
    /// end at the bytes' end means cut.
    fn digits(&mut self) -> Result<(), Stop> {
        if !self.peek()?.is_ascii_digit() {
            return Err(Stop::Bad);
        }
        while self.peek()?.is_ascii_digit() {
            self.i += 1;
        }
        Ok(())
    }

    fn literal(&mut self, word: &[u8]) -> Result<(), Stop> {
        for &c in word {
            self.expect(c)?;
        }
        Ok(())
    }

    fn run(&mut self) -> Result<(), Stop> {
        self.ws();
        if self.peek()? != b'{' {
            return Err(Stop::Bad);
        }
        'value: loop {
            self.ws();
            let start = self.i;
            self.begin();
            match self.peek()? {
                c @ (b'{' | b'[') => {
                    let close = if c == b'{' { b'}' } else { b']' };
                    self.open(c);
                    self.ws();
                    if self.peek()? != close {
                        if c == b'{' {
                            self.key()?;
                        }
                        continue 'value;
                    }
                    self.close();
                }
                b'"' => {
                    self.string()?;
                    self.end(Kind::String, start);
                }
                b'-' | b'0'..=b'9' => {
                    self.number()?;
                    self.end(Kind::Number, start);
                }
                b't' => {
                    self.literal(b"true")?;
                    self.end(Kind::Bool, start);
                }
                b'f' => {
                    self.literal(b"false")?;
                    self.end(Kind::Bool, start);
                }
                b'n' => {
                    self.literal(b"null")?;
                    self.end(Kind::Null, start);
                }
                _ => return Err(Stop::Bad),
            }
            // After a value: the next member or element, or the end of open levels.
            loop {
                let Some(&top) = self.stack.last() else {
                    self.ws();
                    return if self.i == self.b.len() { Ok(()) } else { Err(Stop::Bad) };
                };
                self.ws();
                match (self.peek()?, top) {
                    (b',', b'{') => {
                        self.i += 1;
                        self.ws();
                        self.key()?;
                        continue 'value;
                    }
                    (b',', _) => {
                        self.i += 1;
                        continue 'value;
                    }
                    (b'}', b'{') | (b']', b'[') => self.close(),
                    _ => return Err(Stop::Bad),
                }
            }
        }
    }
}

/// Scan `b` as one JSON object, keeping the values at `wanted`: Ok when it is one,
/// Err(Short) with what was found when the bytes end before it does.
fn scan(b: &[u8], wanted: &[Vec<&str>]) -> (Result<(), Stop>, Vec<Option<Found>>) {
    // Not UTF-8 is not JSON; a character cut at the end is the cut's.
    let (b, cut_char) = match std::str::from_utf8(b) {
        Ok(_) => (b, false),
        Err(e) if e.error_len().is_none() => (&b[..e.valid_up_to()], true),
        Err(_) => return (Err(Stop::Bad), Vec::new()),
    };
    let mut s = Scanner::new(b, wanted);
    let r = match s.run() {
        // Bytes after a whole object, whatever the rest: not JSON.
        Ok(()) if cut_char => Err(Stop::Bad),
        r => r,
    };
    (r, s.found)
}

/// A JSON string's text (between its quotes, already checked) decoded; a lone
/// surrogate escape as U+FFFD.
fn unescape(b: &[u8]) -> String {
    let s = String::from_utf8_lossy(b);
    if !s.contains('\\') {
        return s.into_owned();
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    let hex = |chars: &mut std::str::Chars| -> u32 {
        let h: String = chars.by_ref().take(4).collect();
        u32::from_str_radix(&h, 16).unwrap_or(0xFFFD)
    };
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('b') => out.push('\u{8}'),
            Some('f') => out.push('\u{c}'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('t') => out.push('\t'),
            Some('u') => {
                let mut u = hex(&mut chars);
                if (0xD800..0xDC00).contains(&u) && chars.as_str().starts_with("\\u") {
                    let mut ahead = chars.clone();
                    ahead.nth(1);
                    let low = hex(&mut ahead);
                    if (0xDC00..0xE000).contains(&low) {
                        u = 0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00);
                        chars = ahead;
                    }
                }
                out.push(char::from_u32(u).unwrap_or('\u{FFFD}'));
            }
            Some(c) => out.push(c),
            None => {}
        }
    }
    out
}

/// A found value as text: a string decoded, anything else as compact JSON; at most
/// `cap` characters, `…` where cut.
fn text(b: &[u8], f: &Found, cap: usize) -> String {
    let raw = &b[f.span.clone()];
    let full = if f.kind == Kind::String {
        unescape(&raw[1..raw.len() - 1])
    } else {
        // Whitespace outside strings dropped; enough of it for the cap.
        let (mut o, mut n, mut in_str, mut escaped) = (String::new(), 0, false, false);
        for c in String::from_utf8_lossy(raw).chars() {
            if n > cap {
                break;
            }
            if in_str {
                in_str = escaped || c != '"';
                escaped = !escaped && c == '\\';
            } else if c.is_ascii_whitespace() {
                continue;
            } else {
                in_str = c == '"';
            }
            o.push(c);
            n += 1;
        }
        o
    };
    let mut q: String = full.chars().take(cap).collect();
    if full.chars().count() > cap {
        q.push('…');
    }
    q
}

fn count(map: &mut BTreeMap<String, usize>, key: String) {
    if map.len() >= DISTINCT && !map.contains_key(&key) {
        *map.entry("(other values)".into()).or_default() += 1;
    } else {
        *map.entry(key).or_default() += 1;
    }
}

/// Check one topic's sampled messages. Topics the registry does not declare are
/// observed against the envelope alone.
pub fn observe(reg: &Registry, topic: &str, messages: &[Peeked]) -> Observation {
    let t = reg.topic(topic);
    let fields = t.map(|t| required(reg, t)).unwrap_or_default();
    let event_field = t.map_or("event_type", |t| t.event_type_field());
    let producer_field = t.map_or("source_service", |t| t.producer_field());
    let mut o = Observation {
        topic: topic.to_string(),
        sampled: messages.len(),
        ..Observation::default()
    };
    let mut wanted: Vec<Vec<&str>> = fields.iter().map(|f| f.path.split('.').collect()).collect();
    let (event_at, producer_at) = (wanted.len(), wanted.len() + 1);
    wanted.push(event_field.split('.').collect());
    wanted.push(producer_field.split('.').collect());
    for m in messages {
        let Some(b) = m.value.as_deref() else {
            o.tombstones += 1;
            continue;
        };
        // The sampler keeps the first bytes of a large value and its full size.
        let cut = b.len() < m.value_len;
        let (r, found) = scan(b, &wanted);
        // A null field is as good as a missing one.
        let at = |n: usize| found.get(n).and_then(Option::as_ref).filter(|f| f.kind != Kind::Null);
        match r {
            Err(Stop::Bad) => {
                o.not_json += 1;
                continue;
            }
            Err(Stop::Short) if !cut => {
                o.not_json += 1;
                continue;
            }
            _ if cut => o.too_large += 1,
            _ => {
                let mut ok = true;
                for (n, f) in fields.iter().enumerate() {
                    match at(n) {
                        None => {
                            ok = false;
                            *o.missing.entry(f.path.clone()).or_default() += 1;
                        }
                        Some(x) if !well_formed(&f.kind, b, x) => {
                            ok = false;
                            let e = o.malformed.entry(f.path.clone()).or_insert((0, text(b, x, QUOTE)));
                            e.0 += 1;
                        }
                        Some(_) => {}
                    }
                }
                o.conforming += usize::from(ok);
            }
        }
        if let Some(e) = at(event_at) {
            count(&mut o.events, text(b, e, KEY));
        }
        if let Some(p) = at(producer_at) {
            count(&mut o.producers, text(b, p, KEY));
        }
    }
    o
}

/// A registry service named the way messages name it: its key, its name, or either
/// with `-` for `_` and any case.
fn service_named<'a>(reg: &'a Registry, name: &str) -> Option<&'a crate::registry::model::Service> {
    let norm = |s: &str| s.to_ascii_lowercase().replace(['-', ' '], "_");
    let n = norm(name);
    reg.services.iter().find(|s| norm(&s.key) == n || norm(&s.name) == n)
}

fn push<'a>(
    out: &'a mut Vec<Finding>,
    kind: &'static str,
    severity: Severity,
    o: &Observation,
    subject: &str,
    message: String,
) -> &'a mut Finding {
    out.push(Finding {
        kind,
        severity,
        subject: subject.to_string(),
        topic: Some(o.topic.clone()),
        services: Vec::new(),
        loc: None,
        message,
    });
    out.last_mut().expect("just pushed")
}

/// Drift findings from the observations: envelope problems, event types that are
/// undeclared, misrouted or unseen, and producers the registry does not declare.
pub fn findings(reg: &Registry, observations: &[Observation]) -> Vec<Finding> {
    let mut out = Vec::new();
    for o in observations.iter().filter(|o| o.sampled > 0) {
        let Some(t) = reg.topic(&o.topic) else { continue };
        let n = o.sampled;
        // Names from the registry and the messages alike stay on their line.
        let topic = line(&o.topic);
        // Format problems: not JSON, then missing fields, then malformed ones.
        let not_json = (o.not_json > 0).then(|| (o.not_json, "are not JSON objects".to_string()));
        let problems = not_json
            .into_iter()
            .chain(
                o.missing
                    .iter()
                    .map(|(field, k)| (*k, format!("lack `{}`", line(field)))),
            )
            .chain(o.malformed.iter().map(|(field, (k, example))| {
                (
                    *k,
                    format!("have a malformed `{}` (e.g. \"{}\")", line(field), line(example)),
                )
            }));
        for (k, what) in problems {
            push(
                &mut out,
                "message-format",
                Severity::Warning,
                o,
                &o.topic,
                format!("`{topic}`: {k} of {n} sampled messages {what}"),
            );
        }
        // What was not checked, and why: never a format problem.
        let unchecked = o.tombstones + o.too_large;
        if unchecked > 0 {
            let why: Vec<String> = [
                (
                    o.too_large,
                    "too large (cut at the sampling cap)",
                    "too large (cut at the sampling cap)",
                ),
                (o.tombstones, "tombstone (no value)", "tombstones (no value)"),
            ]
            .iter()
            .filter(|w| w.0 > 0)
            .map(|&(k, one, many)| format!("{k} {}", if k == 1 { one } else { many }))
            .collect();
            push(
                &mut out,
                "unchecked-messages",
                Severity::Note,
                o,
                &o.topic,
                format!(
                    "`{topic}`: {unchecked} of {n} sampled messages not checked: {}",
                    why.join(", ")
                ),
            );
        }
        let declared: Vec<&str> = t.events.iter().map(|e| e.name.as_str()).collect();
        // A topic that catalogues no event types has none to drift from.
        let catalogued = !declared.is_empty() || t.status == Status::Deprecated;
        for (event, k) in o.events.iter().filter(|_| catalogued) {
            if declared.contains(&event.as_str()) {
                continue;
            }
            let shown_event = shown(event);
            // Declared on another topic: misrouted (e.g. moved off a deprecated topic
            // but still written to it).
            let home: Vec<&str> = reg
                .topics
                .iter()
                .filter(|x| x.name != t.name && x.status == Status::Active && x.events.iter().any(|e| &e.name == event))
                .map(|x| x.name.as_str())
                .collect();
            if home.is_empty() {
                push(
                &mut out,
                    "undeclared-event",
                    Severity::Warning,
                    o,
                    event,
                    format!(
                        "`{topic}` carries event type `{shown_event}` ({k} of {n} sampled), which the registry does not declare anywhere"
                    ),
                );
            } else {
                let moved = t.status == Status::Deprecated;
                let why = if moved { "deprecated " } else { "" };
                push(
                &mut out,
                    "misrouted-event",
                    Severity::Warning,
                    o,
                    event,
                    format!(
                        "{why}`{topic}` carries event type `{shown_event}` ({k} of {n} sampled), which the registry declares on `{}`",
                        line(&home.join("`, `"))
                    ),
                );
            }
        }
        let unseen: Vec<&str> = declared
            .iter()
            .copied()
            .filter(|e| !o.events.contains_key(*e))
            .collect();
        // Nothing checked and no event type seen: nothing to say what was not seen.
        let blind = unchecked == n && o.events.is_empty();
        if !unseen.is_empty() && t.status == Status::Active && !blind {
            let shown: Vec<&str> = unseen.iter().copied().take(8).collect();
            let more = if unseen.len() > shown.len() {
                format!(" and {} more", unseen.len() - shown.len())
            } else {
                String::new()
            };
            let not_checked = if unchecked > 0 {
                format!(" ({unchecked} of them not checked)")
            } else {
                String::new()
            };
            push(
                &mut out,
                "unseen-event",
                Severity::Note,
                o,
                &o.topic,
                format!(
                    "`{topic}`: {} of {} declared event types not seen in {n} sampled messages{not_checked}: {}{more}",
                    unseen.len(),
                    declared.len(),
                    line(&shown.join(", "))
                ),
            );
        }
        for (producer, k) in &o.producers {
            let svc = service_named(reg, producer);
            let shown_producer = shown(producer);
            let declared_producer =
                svc.is_some_and(|s| t.producers.iter().any(|p| reg.services[p.service].key == s.key));
            if declared_producer {
                continue;
            }
            if t.status == Status::Deprecated {
                // Who still writes to a deprecated topic: who must migrate.
                let f = push(
                    &mut out,
                    "deprecated-producer",
                    Severity::Warning,
                    o,
                    producer,
                    format!(
                        "deprecated `{topic}`: {k} of {n} sampled messages come from `{shown_producer}`, which must move to `{}`",
                        line(t.replaced_by().unwrap_or("its replacement"))
                    ),
                );
                f.services.extend(svc.map(|s| s.key.clone()));
                continue;
            }
            let what = match svc {
                Some(s) => format!("service `{}` is not a declared producer of it", line(&s.key)),
                None => "no service in the registry has that name".to_string(),
            };
            let f = push(
                &mut out,
                "undeclared-producer",
                Severity::Warning,
                o,
                producer,
                format!("`{topic}`: {k} of {n} sampled messages come from `{shown_producer}`: {what}"),
            );
            if let Some(s) = svc {
                f.services.push(s.key.clone());
            }
        }
    }
    out
}

//! One JSON object read as strictly as serde_json, keeping only the values at the
//! wanted dotted paths: no parse tree, no recursion.

/// The kind of a JSON value found at a wanted path.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Kind {
    Object,
    Array,
    String,
    Number,
    Bool,
    Null,
}

/// A value found at a wanted path: its kind and its text (quotes included).
#[derive(Debug, Clone)]
pub(super) struct Found {
    pub(super) kind: Kind,
    span: std::ops::Range<usize>,
}

/// Why a scan stopped early.
#[derive(Debug, PartialEq)]
pub(super) enum Stop {
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
pub(super) fn scan(b: &[u8], wanted: &[Vec<&str>]) -> (Result<(), Stop>, Vec<Option<Found>>) {
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
pub(super) fn text(b: &[u8], f: &Found, cap: usize) -> String {
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

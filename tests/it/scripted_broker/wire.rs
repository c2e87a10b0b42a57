//! Kafka's classic (non-flexible) wire encoding, as much of it as the scripted broker
//! speaks: big-endian integers, STRING with an INT16 length (-1: null), ARRAY and BYTES
//! with an INT32 length (-1: null). Flexible versions (compact lengths, tagged fields)
//! are never advertised, so never needed, except to refuse ApiVersions v3 (whose body
//! is not read).

/// Reads a request body; every length is checked (a short body is an error, not a panic).
pub struct Reader<'a> {
    buf: &'a [u8],
}

pub type Parsed<T> = Result<T, String>;

impl<'a> Reader<'a> {
    pub fn new(buf: &'a [u8]) -> Self {
        Reader { buf }
    }

    fn take(&mut self, n: usize) -> Parsed<&'a [u8]> {
        if self.buf.len() < n {
            return Err(format!("short request: {n} bytes wanted, {} left", self.buf.len()));
        }
        let (head, tail) = self.buf.split_at(n);
        self.buf = tail;
        Ok(head)
    }

    pub fn i8(&mut self) -> Parsed<i8> {
        Ok(self.take(1)?[0] as i8)
    }

    pub fn i16(&mut self) -> Parsed<i16> {
        Ok(i16::from_be_bytes(self.take(2)?.try_into().expect("2 bytes")))
    }

    pub fn i32(&mut self) -> Parsed<i32> {
        Ok(i32::from_be_bytes(self.take(4)?.try_into().expect("4 bytes")))
    }

    pub fn i64(&mut self) -> Parsed<i64> {
        Ok(i64::from_be_bytes(self.take(8)?.try_into().expect("8 bytes")))
    }

    /// NULLABLE_STRING (a STRING reads the same; None only for length -1).
    pub fn string(&mut self) -> Parsed<Option<String>> {
        let len = self.i16()?;
        if len < 0 {
            return Ok(None);
        }
        Ok(Some(String::from_utf8_lossy(self.take(len as usize)?).into_owned()))
    }

    /// An ARRAY's element count; None for a null array (-1).
    pub fn array_len(&mut self) -> Parsed<Option<usize>> {
        let n = self.i32()?;
        Ok((n >= 0).then_some(n as usize))
    }

    /// An ARRAY of elements read by `f` (an empty Vec for a null array).
    pub fn array<T>(&mut self, mut f: impl FnMut(&mut Self) -> Parsed<T>) -> Parsed<Vec<T>> {
        let n = self.array_len()?.unwrap_or(0);
        (0..n).map(|_| f(self)).collect()
    }
}

/// Writes a response body.
#[derive(Default)]
pub struct Writer {
    pub buf: Vec<u8>,
}

impl Writer {
    pub fn i8(&mut self, v: i8) -> &mut Self {
        self.buf.push(v as u8);
        self
    }

    pub fn bool(&mut self, v: bool) -> &mut Self {
        self.i8(i8::from(v))
    }

    pub fn i16(&mut self, v: i16) -> &mut Self {
        self.buf.extend_from_slice(&v.to_be_bytes());
        self
    }

    pub fn i32(&mut self, v: i32) -> &mut Self {
        self.buf.extend_from_slice(&v.to_be_bytes());
        self
    }

    pub fn i64(&mut self, v: i64) -> &mut Self {
        self.buf.extend_from_slice(&v.to_be_bytes());
        self
    }

    /// STRING: whatever bytes the script holds, control characters included.
    pub fn string(&mut self, s: &str) -> &mut Self {
        let len = i16::try_from(s.len()).expect("a STRING is at most 32767 bytes");
        self.i16(len);
        self.buf.extend_from_slice(s.as_bytes());
        self
    }

    pub fn nullable_string(&mut self, s: Option<&str>) -> &mut Self {
        match s {
            Some(s) => self.string(s),
            None => self.i16(-1),
        }
    }

    pub fn bytes(&mut self, b: &[u8]) -> &mut Self {
        self.i32(i32::try_from(b.len()).expect("BYTES fit an INT32 length"));
        self.buf.extend_from_slice(b);
        self
    }

    /// An ARRAY: its count, then each element written by `f`.
    pub fn array<T>(&mut self, items: impl IntoIterator<Item = T>, mut f: impl FnMut(&mut Self, T)) -> &mut Self {
        let at = self.buf.len();
        self.i32(0);
        let mut n = 0i32;
        for item in items {
            f(self, item);
            n += 1;
        }
        self.buf[at..at + 4].copy_from_slice(&n.to_be_bytes());
        self
    }
}

#[test]
fn strings_arrays_and_short_input() {
    let mut w = Writer::default();
    w.string("a\nb").nullable_string(None).array([1i32, 2], |w, v| {
        w.i32(v);
    });
    let mut r = Reader::new(&w.buf);
    assert_eq!(r.string().unwrap().as_deref(), Some("a\nb"));
    assert_eq!(r.string().unwrap(), None);
    assert_eq!(r.array(|r| r.i32()).unwrap(), [1, 2]);
    assert!(r.i8().is_err(), "nothing left to read");
}

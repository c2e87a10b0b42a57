//! The consumer protocol's member assignment, parsed in safe code from the bytes the
//! classic DescribeGroups answer carries.

/// The consumer protocol's member assignment (version i16, then [topic string,
/// [partition i32]], then user data), read defensively: the bytes come from the
/// cluster, so every length is checked and anything malformed yields what was read.
pub fn parse_assignment(b: &[u8]) -> Vec<(String, i32)> {
    struct Reader<'a>(&'a [u8]);
    impl Reader<'_> {
        fn take(&mut self, n: usize) -> Option<&[u8]> {
            (self.0.len() >= n).then(|| {
                let (h, t) = self.0.split_at(n);
                self.0 = t;
                h
            })
        }
        fn i16(&mut self) -> Option<i16> {
            self.take(2).map(|b| i16::from_be_bytes([b[0], b[1]]))
        }
        fn i32(&mut self) -> Option<i32> {
            self.take(4).map(|b| i32::from_be_bytes([b[0], b[1], b[2], b[3]]))
        }
    }
    let mut r = Reader(b);
    let mut out = Vec::new();
    let _version = r.i16();
    let Some(topics) = r.i32() else { return out };
    for _ in 0..topics.max(0) {
        let Some(len) = r.i16() else { break };
        let Some(name) = r.take(len.max(0) as usize) else { break };
        let name = String::from_utf8_lossy(name).into_owned();
        let Some(n) = r.i32() else { break };
        for _ in 0..n.max(0) {
            let Some(p) = r.i32() else { return out };
            out.push((name.clone(), p));
        }
    }
    out
}

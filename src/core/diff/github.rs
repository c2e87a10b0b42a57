//! The report as GitHub Actions workflow commands: one annotation per change
//! (`::error` breaking, `::warning`, `::notice` info) on the file and line in the pull
//! request. The message is escaped as the runner requires (`%`, CR, LF), properties
//! also `:` and `,`; any other control character is made visible.

use super::change::{Level, Report};
use super::text::{affects, call};
use crate::core::visible::escape;
use std::fmt::Write;

/// A message (`data`) as the runner reads it back.
pub fn data(s: &str) -> String {
    let s = s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A");
    escape(&s).into_owned()
}

/// A property value (`file=`, `title=`).
pub fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

pub fn render(r: &Report) -> String {
    let mut out = String::new();
    for c in &r.changes {
        let command = match c.level {
            Level::Breaking => "error",
            Level::Warning => "warning",
            Level::Info => "notice",
        };
        let mut props = format!("file={}", property(&r.named(c.side).file));
        if let Some(l) = c.loc {
            let _ = write!(props, ",line={},col={}", l.line, l.col);
        }
        let _ = write!(
            props,
            ",title={}",
            property(&format!("ktopo diff {} {}", c.level.as_str(), c.code))
        );
        let mut msg = c.message.clone();
        if !c.affects.is_empty() {
            let _ = write!(msg, "\naffects {}\ncall: {}", affects(c), call(&c.affects));
        }
        let _ = writeln!(out, "::{command} {props}::{}", data(&msg));
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn escaped_as_the_runner_reads_it() {
        assert_eq!(super::data("50% of\r\nit"), "50%25 of%0D%0Ait");
        assert_eq!(super::property("a:b,c%"), "a%3Ab%2Cc%25");
        assert_eq!(super::data("x\x1b]0;t\x07"), "x\\u{1b}]0;t\\u{7}");
    }
}

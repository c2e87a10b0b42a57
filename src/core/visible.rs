//! Text from files, clusters and messages is hostile: before it reaches a person's
//! terminal every control character is made visible, so no registry value, group id or
//! message can set the window title, write the clipboard (OSC 52), clear the screen,
//! write a line of its own, or display as other text (bidi overrides).

use std::borrow::Cow;

/// Characters that change how text around them displays without showing themselves:
/// Unicode's format characters (bidi overrides and isolates such as U+202E, zero-width
/// spaces and joiners, the BOM...), the line and paragraph separators, and the
/// noncharacters U+FFFE and U+FFFF (invalid in XML). `order_\u{202e}detaerc` would
/// otherwise display as `order_created`.
pub fn is_invisible(c: char) -> bool {
    matches!(c as u32,
        0xAD | 0x600..=0x605 | 0x61C | 0x6DD | 0x70F | 0x890..=0x891 | 0x8E2 | 0x180E
        | 0x200B..=0x200F | 0x2028..=0x202E | 0x2060..=0x2064 | 0x2066..=0x206F
        | 0xFEFF | 0xFFF9..=0xFFFB | 0xFFFE | 0xFFFF | 0x110BD | 0x110CD
        | 0x13430..=0x1343F | 0x1BCA0..=0x1BCA3 | 0x1D173..=0x1D17A
        | 0xE0001 | 0xE0020..=0xE007F)
}

fn is_control(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t') || is_invisible(c)
}

/// Control and invisible characters as visible escapes (`\u{1b}`, `\u{202e}`); newlines
/// and tabs stay. For whole reports; single-line fields inside them use `one_line`.
pub fn escape(s: &str) -> Cow<'_, str> {
    escape_where(s, is_control)
}

/// For a value that must stay on its line (a group id, a topic name, a message key or
/// header in a table or a list): `escape`, and newlines, carriage returns and tabs as
/// `\n`, `\r`, `\t` too, so no value can write a line of its own (a forged OK row, a
/// fake finding).
pub fn one_line(s: &str) -> Cow<'_, str> {
    escape_where(s, |c| c == '\n' || c == '\t' || is_control(c))
}

fn escape_where(s: &str, bad: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !s.chars().any(&bad) {
        return Cow::Borrowed(s);
    }
    let mut o = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' if bad(c) => o.push_str("\\n"),
            '\r' => o.push_str("\\r"),
            '\t' if bad(c) => o.push_str("\\t"),
            c if bad(c) => o.push_str(&c.escape_unicode().to_string()),
            c => o.push(c),
        }
    }
    Cow::Owned(o)
}

/// One visible character for a control character, for places that must keep widths
/// or byte offsets (a terminal cell; a diagnostic's source snippet).
pub fn picture(c: char) -> char {
    match c as u32 {
        // Unicode's control pictures: ␀ … ␟ and ␡.
        n @ 0..=0x1f => char::from_u32(0x2400 + n).unwrap_or('?'),
        0x7f => '\u{2421}',
        _ => '\u{fffd}',
    }
}

/// The same text with every control character (newlines and tabs kept) as one byte,
/// `?`, so byte offsets into it stay valid.
pub fn same_length(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_control) {
        return Cow::Borrowed(s);
    }
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        if is_control(c) {
            o.extend(std::iter::repeat_n('?', c.len_utf8()));
        } else {
            o.push(c);
        }
    }
    Cow::Owned(o)
}

/// Make every terminal cell of a rendered frame visible text. Invisible characters
/// (bidi overrides, zero-width spaces) take no cell of their own, so they are dropped
/// rather than pictured: the text then shows in its stored order.
pub fn buffer(buf: &mut ratatui::buffer::Buffer) {
    for cell in buf.content.iter_mut() {
        let sym = cell.symbol();
        if sym.chars().any(|c| c.is_control() || is_invisible(c)) {
            let clean: String = sym
                .chars()
                .filter(|&c| !is_invisible(c))
                .map(|c| if c.is_control() { picture(c) } else { c })
                .collect();
            cell.set_symbol(if clean.is_empty() { " " } else { &clean });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_controls_and_invisible_characters() {
        assert_eq!(escape("a\x1b]52;c;aGk=\x07b"), "a\\u{1b}]52;c;aGk=\\u{7}b");
        assert_eq!(escape("order_\u{202e}detaerc"), "order_\\u{202e}detaerc");
        assert_eq!(escape("a\u{200b}b\u{2028}c\u{feff}"), "a\\u{200b}b\\u{2028}c\\u{feff}");
        assert_eq!(escape("x\u{fffe}"), "x\\u{fffe}");
        assert_eq!(escape("two\nlines\tand tabs"), "two\nlines\tand tabs");
        assert_eq!(escape("cr\r"), "cr\\r");
        assert!(matches!(escape("plain ünïcode 日本"), Cow::Borrowed(_)));
    }

    #[test]
    fn one_line_keeps_a_value_on_its_line() {
        assert_eq!(
            one_line("g\nOK   orders  0  forged"),
            "g\\nOK   orders  0  forged",
            "a newline cannot start a row of its own"
        );
        assert_eq!(one_line("a\r\tb"), "a\\r\\tb");
        assert_eq!(one_line("x\u{202e}"), "x\\u{202e}");
        assert!(matches!(one_line("billing_events"), Cow::Borrowed(_)));
    }

    #[test]
    fn frames_drop_invisible_characters_and_picture_controls() {
        let mut buf = ratatui::buffer::Buffer::empty(ratatui::layout::Rect::new(0, 0, 3, 1));
        buf[(0, 0)].set_symbol("a\u{202e}");
        buf[(1, 0)].set_symbol("\x1b");
        buf[(2, 0)].set_symbol("\u{200b}");
        buffer(&mut buf);
        assert_eq!(buf[(0, 0)].symbol(), "a");
        assert_eq!(buf[(1, 0)].symbol(), "\u{241b}");
        assert_eq!(buf[(2, 0)].symbol(), " ");
    }
}

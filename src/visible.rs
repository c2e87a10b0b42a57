//! Text from files, clusters and messages is hostile: before it reaches a person's
//! terminal every control character is made visible, so no registry value can set the
//! window title, write the clipboard (OSC 52) or clear the screen.

use std::borrow::Cow;

fn is_control(c: char) -> bool {
    c.is_control() && c != '\n' && c != '\t'
}

/// Control characters as visible escapes (`\u{1b}`); newlines and tabs stay.
pub fn escape(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_control) {
        return Cow::Borrowed(s);
    }
    let mut o = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if is_control(c) {
            o.push_str(&c.escape_unicode().to_string());
        } else {
            o.push(c);
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

/// Make every terminal cell of a rendered frame visible text.
pub fn buffer(buf: &mut ratatui::buffer::Buffer) {
    for cell in buf.content.iter_mut() {
        let sym = cell.symbol();
        if sym.chars().any(|c| c.is_control()) {
            let clean: String = sym
                .chars()
                .map(|c| if c.is_control() { picture(c) } else { c })
                .collect();
            cell.set_symbol(&clean);
        }
    }
}

//! Counts in words: one service, two services. The singular for one, everywhere.
//! And text that must fit: cut with `…`, or wrapped at words.

use unicode_width::UnicodeWidthStr;

/// `n` and the noun, singular for one: `count(1, "error", "errors")` is `1 error`.
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// At most `max` characters, a cut one ending in `…` (so a cut never passes for the
/// whole).
pub fn cut(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// Words of `text` in lines of at most `width` columns; a word wider than that is
/// split.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = vec![String::new()];
    for word in text.split_whitespace() {
        let cur = lines.last_mut().expect("one line at least");
        let need = if cur.is_empty() {
            word.width()
        } else {
            cur.width() + 1 + word.width()
        };
        if need <= width {
            if !cur.is_empty() {
                cur.push(' ');
            }
            cur.push_str(word);
            continue;
        }
        // Wider than a line: on lines of its own, split.
        if !cur.is_empty() {
            lines.push(String::new());
        }
        for c in word.chars() {
            let last = lines.last_mut().expect("one line at least");
            if !last.is_empty() && last.width() + c.to_string().width() > width {
                lines.push(String::new());
            }
            lines.last_mut().expect("one line at least").push(c);
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    #[test]
    fn one_is_singular() {
        assert_eq!(super::count(1, "group", "groups"), "1 group");
        assert_eq!(super::count(0, "group", "groups"), "0 groups");
        assert_eq!(super::count(2, "match", "matches"), "2 matches");
    }

    #[test]
    fn wrap_keeps_words_whole() {
        use super::wrap;
        assert_eq!(
            wrap("map: focus on what feeds and is fed by it", 20),
            ["map: focus on what", "feeds and is fed by", "it"]
        );
        assert_eq!(wrap("abcdefgh", 3), ["abc", "def", "gh"]);
        assert_eq!(wrap("", 3), [""]);
    }

    #[test]
    fn a_cut_ends_in_an_ellipsis() {
        assert_eq!(super::cut("voice_events", 20), "voice_events");
        assert_eq!(super::cut("voice_events", 6), "voice…");
    }
}

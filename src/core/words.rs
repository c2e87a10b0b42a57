//! Counts in words: one service, two services. The singular for one, everywhere.

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

#[cfg(test)]
mod tests {
    #[test]
    fn one_is_singular() {
        assert_eq!(super::count(1, "group", "groups"), "1 group");
        assert_eq!(super::count(0, "group", "groups"), "0 groups");
        assert_eq!(super::count(2, "match", "matches"), "2 matches");
    }

    #[test]
    fn a_cut_ends_in_an_ellipsis() {
        assert_eq!(super::cut("voice_events", 20), "voice_events");
        assert_eq!(super::cut("voice_events", 6), "voice…");
    }
}

//! The `/` and `:` prompts' line editing, as in a shell (readline's emacs keys) and
//! k9s: a cursor, words, kill and yank, and a history per prompt. Pure: a key in, the
//! edited line out; the app decides what the line means.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Lines kept per prompt's history.
const HISTORY: usize = 100;
/// The longest line a prompt takes (a pasted novel is cut, not kept).
pub const MAX_CHARS: usize = 4096;

/// What a key did to the line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edit {
    /// The text changed (a filter applies it at once).
    Changed,
    /// Only the cursor moved.
    Moved,
    /// Not an editing key: the caller handles it (Enter, Esc, Tab).
    Ignored,
}

/// A line being typed: its text, the cursor (in characters) and the history.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Prompt {
    chars: Vec<char>,
    cursor: usize,
    /// Older lines first; `recall` is the position while walking it with Up/Down.
    history: Vec<String>,
    recall: Option<usize>,
    /// The line being typed before walking the history, given back past its end.
    draft: Vec<char>,
    /// The last text killed (Ctrl-U/K/W), put back with Ctrl-Y.
    killed: Vec<char>,
}

impl Prompt {
    pub fn text(&self) -> String {
        self.chars.iter().collect()
    }
    pub fn is_empty(&self) -> bool {
        self.chars.is_empty()
    }
    /// The cursor, in characters from the start.
    pub fn cursor(&self) -> usize {
        self.cursor
    }
    /// Start over with `text`, the cursor at its end (history kept).
    pub fn set(&mut self, text: &str) {
        self.chars = text.chars().take(MAX_CHARS).collect();
        self.cursor = self.chars.len();
        self.recall = None;
    }
    pub fn clear(&mut self) {
        self.set("");
    }
    /// Remember the line (Enter): the last of its history, without repeats in a row.
    pub fn remember(&mut self) {
        let line = self.text();
        if !line.trim().is_empty() && self.history.last() != Some(&line) {
            self.history.push(line);
            if self.history.len() > HISTORY {
                self.history.remove(0);
            }
        }
        self.recall = None;
    }
    pub fn history(&self) -> &[String] {
        &self.history
    }

    /// Apply one key.
    pub fn key(&mut self, k: KeyEvent) -> Edit {
        let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
        let alt = k.modifiers.contains(KeyModifiers::ALT);
        let n = self.chars.len();
        match k.code {
            KeyCode::Char('a') if ctrl => self.go(0),
            KeyCode::Char('e') if ctrl => self.go(n),
            KeyCode::Char('b') if ctrl => self.go(self.cursor.saturating_sub(1)),
            KeyCode::Char('f') if ctrl => self.go((self.cursor + 1).min(n)),
            KeyCode::Char('b') if alt => self.go(self.word_left()),
            KeyCode::Char('f') if alt => self.go(self.word_right()),
            KeyCode::Left if ctrl || alt => self.go(self.word_left()),
            KeyCode::Right if ctrl || alt => self.go(self.word_right()),
            KeyCode::Left => self.go(self.cursor.saturating_sub(1)),
            KeyCode::Right => self.go((self.cursor + 1).min(n)),
            KeyCode::Home => self.go(0),
            KeyCode::End => self.go(n),
            KeyCode::Char('u') if ctrl => self.kill(0, self.cursor),
            KeyCode::Char('k') if ctrl => self.kill(self.cursor, n),
            KeyCode::Char('w') if ctrl => self.kill(self.word_left(), self.cursor),
            KeyCode::Char('d') if alt => self.kill(self.cursor, self.word_right()),
            KeyCode::Backspace if ctrl || alt => self.kill(self.word_left(), self.cursor),
            KeyCode::Char('h') if ctrl => self.delete_back(),
            KeyCode::Backspace => self.delete_back(),
            KeyCode::Char('d') if ctrl => self.delete_at(),
            KeyCode::Delete => self.delete_at(),
            KeyCode::Char('y') if ctrl => {
                let yank = self.killed.clone();
                self.insert(&yank)
            }
            KeyCode::Up => self.walk(true),
            KeyCode::Down => self.walk(false),
            // Other control and Alt chords are not text.
            KeyCode::Char(_) if ctrl || alt => Edit::Ignored,
            KeyCode::Char(c) => self.insert(&[c]),
            _ => Edit::Ignored,
        }
    }

    fn go(&mut self, at: usize) -> Edit {
        self.cursor = at.min(self.chars.len());
        Edit::Moved
    }

    fn insert(&mut self, what: &[char]) -> Edit {
        let room = MAX_CHARS.saturating_sub(self.chars.len());
        let what = &what[..what.len().min(room)];
        if what.is_empty() {
            return Edit::Moved;
        }
        self.chars.splice(self.cursor..self.cursor, what.iter().copied());
        self.cursor += what.len();
        Edit::Changed
    }

    fn kill(&mut self, from: usize, to: usize) -> Edit {
        if from >= to {
            return Edit::Moved;
        }
        self.killed = self.chars.drain(from..to).collect();
        self.cursor = from;
        Edit::Changed
    }

    fn delete_back(&mut self) -> Edit {
        if self.cursor == 0 {
            return Edit::Moved;
        }
        self.cursor -= 1;
        self.chars.remove(self.cursor);
        Edit::Changed
    }

    fn delete_at(&mut self) -> Edit {
        if self.cursor >= self.chars.len() {
            return Edit::Moved;
        }
        self.chars.remove(self.cursor);
        Edit::Changed
    }

    /// Where the word left of the cursor starts (spaces, then non-spaces).
    fn word_left(&self) -> usize {
        let mut i = self.cursor;
        while i > 0 && !is_word(self.chars[i - 1]) {
            i -= 1;
        }
        while i > 0 && is_word(self.chars[i - 1]) {
            i -= 1;
        }
        i
    }

    /// Where the word right of the cursor ends.
    fn word_right(&self) -> usize {
        let (mut i, n) = (self.cursor, self.chars.len());
        while i < n && !is_word(self.chars[i]) {
            i += 1;
        }
        while i < n && is_word(self.chars[i]) {
            i += 1;
        }
        i
    }

    /// Up: an older line; Down: a newer one, then the draft typed before.
    fn walk(&mut self, older: bool) -> Edit {
        let len = self.history.len();
        let next = match (self.recall, older) {
            (None, true) if len > 0 => {
                self.draft = self.chars.clone();
                Some(len - 1)
            }
            (None, _) => return Edit::Ignored,
            (Some(i), true) => Some(i.saturating_sub(1)),
            (Some(i), false) if i + 1 < len => Some(i + 1),
            (Some(_), false) => None,
        };
        self.recall = next;
        self.chars = match next {
            Some(i) => self.history[i].chars().collect(),
            None => std::mem::take(&mut self.draft),
        };
        self.cursor = self.chars.len();
        Edit::Changed
    }
}

/// Word characters for Alt-B/F and Ctrl-W: what names are made of.
fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(p: &mut Prompt, code: KeyCode, m: KeyModifiers) -> Edit {
        p.key(KeyEvent::new(code, m))
    }
    fn typed(text: &str) -> Prompt {
        let mut p = Prompt::default();
        for c in text.chars() {
            press(&mut p, KeyCode::Char(c), KeyModifiers::NONE);
        }
        p
    }
    const C: KeyModifiers = KeyModifiers::CONTROL;
    const A: KeyModifiers = KeyModifiers::ALT;
    const N: KeyModifiers = KeyModifiers::NONE;

    #[test]
    fn control_keys_edit_instead_of_inserting_letters() {
        let mut p = typed("hello world");
        assert_eq!(press(&mut p, KeyCode::Char('w'), C), Edit::Changed);
        assert_eq!(p.text(), "hello ");
        press(&mut p, KeyCode::Char('a'), C);
        press(&mut p, KeyCode::Char('X'), N);
        assert_eq!(p.text(), "Xhello ");
        press(&mut p, KeyCode::Char('e'), C);
        press(&mut p, KeyCode::Char('u'), C);
        assert_eq!(p.text(), "");
        // What was killed comes back with Ctrl-Y.
        press(&mut p, KeyCode::Char('y'), C);
        assert_eq!(p.text(), "Xhello ");
    }

    #[test]
    fn words_move_and_kill_from_the_cursor() {
        let mut p = typed("topic:crm_events more");
        press(&mut p, KeyCode::Char('b'), A);
        assert_eq!(p.cursor(), 17);
        press(&mut p, KeyCode::Char('b'), A);
        assert_eq!(p.cursor(), 6, "`crm_events` is one word");
        press(&mut p, KeyCode::Char('k'), C);
        assert_eq!(p.text(), "topic:");
        press(&mut p, KeyCode::Home, N);
        press(&mut p, KeyCode::Char('f'), A);
        assert_eq!(p.cursor(), 5);
        press(&mut p, KeyCode::Right, N);
        press(&mut p, KeyCode::Left, N);
        press(&mut p, KeyCode::Delete, N);
        assert_eq!(p.text(), "topic");
        press(&mut p, KeyCode::Backspace, N);
        assert_eq!(p.text(), "topi");
    }

    #[test]
    fn history_walks_back_and_gives_the_draft_back() {
        let mut p = Prompt::default();
        for line in ["lag", "map", "map", "drift"] {
            p.set(line);
            p.remember();
        }
        assert_eq!(p.history(), ["lag", "map", "drift"], "no repeat in a row");
        p.set("dr");
        press(&mut p, KeyCode::Up, N);
        assert_eq!(p.text(), "drift");
        press(&mut p, KeyCode::Up, N);
        press(&mut p, KeyCode::Up, N);
        press(&mut p, KeyCode::Up, N);
        assert_eq!(p.text(), "lag", "the oldest stays");
        press(&mut p, KeyCode::Down, N);
        press(&mut p, KeyCode::Down, N);
        press(&mut p, KeyCode::Down, N);
        assert_eq!(p.text(), "dr", "past the newest: what was being typed");
        assert_eq!(press(&mut p, KeyCode::Down, N), Edit::Ignored);
    }

    #[test]
    fn a_line_is_bounded_and_unicode_is_one_character_a_cursor_step() {
        let mut p = typed("é😀");
        press(&mut p, KeyCode::Left, N);
        press(&mut p, KeyCode::Backspace, N);
        assert_eq!(p.text(), "😀");
        p.set(&"x".repeat(10_000));
        assert_eq!(p.text().len(), MAX_CHARS);
        assert_eq!(
            press(&mut p, KeyCode::Char('y'), N),
            Edit::Moved,
            "full: nothing inserted"
        );
        assert_eq!(press(&mut p, KeyCode::Enter, N), Edit::Ignored);
    }
}

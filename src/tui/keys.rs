//! The one key table: every binding the app reacts to, and the help screen built from it.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Up,
    Down,
    Left,
    Right,
    PageUp,
    PageDown,
    Top,
    Bottom,
    Enter,
    Back,
    NextPane,
    Filter,
    Command,
    Help,
    Copy,
    Reload,
    Impact,
    Graph,
    Migration,
    Direction,
    /// Impact view: at most this many hops (0: all). The table binds it to `0`-`9`.
    Depth(u8),
    Lag,
    /// The consumer group of the selection, in its own screen.
    Group,
    /// The service that owns the selected group (what Enter did on `:lag`).
    Owner,
    Messages,
    Focus,
    ZoomIn,
    ZoomOut,
    Zoom,
    Suspend,
    Quit,
}

/// (keys as shown in help, matcher, action, what it does)
pub struct Binding {
    pub keys: &'static str,
    pub codes: &'static [KeyCode],
    /// Letters that trigger it with Ctrl held.
    pub ctrl: &'static [char],
    pub action: Action,
    pub help: &'static str,
}

macro_rules! b {
    ($keys:expr, [$($code:expr),*], $action:expr, $help:expr) => {
        b!($keys, [$($code),*], [], $action, $help)
    };
    ($keys:expr, [$($code:expr),*], [$($ctrl:expr),*], $action:expr, $help:expr) => {
        Binding { keys: $keys, codes: &[$($code),*], ctrl: &[$($ctrl),*], action: $action, help: $help }
    };
}

use KeyCode::*;

pub const KEYS: &[Binding] = &[
    b!("j ↓", [Char('j'), Down], Action::Down, "move down"),
    b!("k ↑", [Char('k'), Up], Action::Up, "move up"),
    b!("h ←", [Char('h'), Left], Action::Left, "left column / upstream"),
    b!("l →", [Char('l'), Right], Action::Right, "right column / downstream"),
    b!("PgDn ^f ^d", [PageDown], ['f', 'd'], Action::PageDown, "page down"),
    b!("PgUp ^b ^u", [PageUp], ['b', 'u'], Action::PageUp, "page up"),
    b!("g Home", [Char('g'), Home], Action::Top, "first row"),
    b!("G End", [Char('G'), End], Action::Bottom, "last row"),
    b!(
        "Enter",
        [Enter],
        Action::Enter,
        "open / re-centre the graph; on :lag the group's detail"
    ),
    b!("Esc ⌫", [Esc, Backspace], Action::Back, "back (clears filter first)"),
    b!(
        "Tab",
        [Tab],
        Action::NextPane,
        "next pane (:lag: the table ↔ its partitions; a detail view's facts too, then ↑↓ scroll them)"
    ),
    b!(
        "/",
        [Char('/')],
        Action::Filter,
        "filter names (re: a regex; COLUMN:text a column)"
    ),
    b!(":", [Char(':')], Action::Command, "command line (see below)"),
    b!("?", [Char('?')], Action::Help, "this help"),
    b!("y", [Char('y')], Action::Copy, "copy the name (OSC 52)"),
    b!("r", [Char('r')], Action::Reload, "reload the registry"),
    b!("i", [Char('i')], Action::Impact, "impact of the selection"),
    b!("v", [Char('v')], Action::Graph, "graph of the selection"),
    b!("m", [Char('m')], Action::Migration, "deprecated ↔ replacement"),
    b!("d", [Char('d')], Action::Direction, "impact direction ↓ ↑ both"),
    b!(
        "1-9 0",
        [
            Char('1'),
            Char('2'),
            Char('3'),
            Char('4'),
            Char('5'),
            Char('6'),
            Char('7'),
            Char('8'),
            Char('9'),
            Char('0')
        ],
        Action::Depth(0),
        "impact depth N (0 all)"
    ),
    b!("L", [Char('L')], Action::Lag, "consumer lag table"),
    b!(
        "c",
        [Char('c')],
        Action::Group,
        "the consumer group's detail (:lag row; service or topic: selected consumer line)"
    ),
    b!(
        "o",
        [Char('o')],
        Action::Owner,
        "the service that owns the group (:lag row, group detail)"
    ),
    b!(
        "M",
        [Char('M')],
        Action::Messages,
        "the topic's last messages (sampled)"
    ),
    b!(
        "f",
        [Char('f')],
        Action::Focus,
        "map: focus on what feeds and is fed by it"
    ),
    b!("+ =", [Char('+'), Char('=')], Action::ZoomIn, "map: zoom in"),
    b!("-", [Char('-')], Action::ZoomOut, "map: zoom out"),
    b!("z", [Char('z')], Action::Zoom, "map: next zoom; ⇧←→ pan"),
    b!("^z", [], ['z'], Action::Suspend, "suspend to the shell (fg resumes)"),
    b!("q ^c", [Char('q')], ['c'], Action::Quit, "quit"),
];

/// The action bound to a key press, if any.
pub fn action_for(key: KeyEvent) -> Option<Action> {
    if key.modifiers.contains(KeyModifiers::CONTROL) {
        let Char(c) = key.code else { return None };
        return KEYS.iter().find(|b| b.ctrl.contains(&c)).map(|b| b.action);
    }
    let action = KEYS.iter().find(|b| b.codes.contains(&key.code)).map(|b| b.action)?;
    Some(match (action, key.code) {
        // One binding for ten digits: the digit pressed is the depth.
        (Action::Depth(_), Char(c)) => Action::Depth(c.to_digit(10).map_or(0, |d| d as u8)),
        (a, _) => a,
    })
}

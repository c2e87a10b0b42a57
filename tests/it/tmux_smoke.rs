//! The real binary in a real terminal (tmux): start, drive with keys, read the screen,
//! quit, and check the terminal is restored. tmux is on a fresh machine.

use crate::common;
use std::process::Command;
use std::time::Duration;

/// How long a screen or a process may take to get where a test waits for it.
const WAIT: Duration = Duration::from_secs(20);

struct Tmux {
    socket: String,
}

impl Tmux {
    fn new(name: &str) -> Self {
        Tmux {
            socket: format!("ktopo-{name}-{}", std::process::id()),
        }
    }
    fn run(&self, args: &[&str]) -> String {
        let out = Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .output()
            .expect("tmux runs");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }
    fn screen(&self) -> String {
        self.run(&["capture-pane", "-p", "-t", "smoke"])
    }
    /// Wait (bounded) until the screen shows `text`.
    fn wait_for(&self, text: &str) -> String {
        self.wait_screen(&format!("{text:?}"), |s| s.contains(text))
    }
    /// Wait (bounded) until the screen passes `cond`; `what` names it if it never does.
    fn wait_screen(&self, what: &str, cond: impl Fn(&str) -> bool) -> String {
        let mut s = String::new();
        let seen = common::wait_until(WAIT, || {
            s = self.screen();
            cond(&s)
        });
        assert!(seen, "screen never showed {what}:\n{s}");
        s
    }
    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "smoke"];
        args.extend_from_slice(keys);
        self.run(&args);
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        self.run(&["kill-server"]);
    }
}

fn start(t: &Tmux, extra: &str) {
    let bin = env!("CARGO_BIN_EXE_ktopo");
    let reg = common::root().join("registry.yaml");
    let cmd = format!("{bin} --registry {} {extra}; echo EXITED=$?; sleep 60", reg.display());
    t.run(&["new-session", "-d", "-s", "smoke", "-x", "100", "-y", "30", &cmd]);
}

#[test]
fn tui_starts_navigates_and_restores_the_terminal() {
    let t = Tmux::new("nav");
    start(&t, "--offline");
    t.wait_for("topics (29)");
    assert_eq!(t.run(&["display", "-p", "-t", "smoke", "#{alternate_on}"]).trim(), "1");
    t.keys(&["/", "c", "r", "m", "Enter", "Enter"]);
    // The whole view, not its title: a capture can land mid-redraw.
    let s = t.wait_for("opportunity_created");
    assert!(s.contains("topic crm_events"), "{s}");
    t.keys(&["Escape", ":", "e", "v", "Enter"]);
    t.wait_for("events (130)");
    t.keys(&["q"]);
    let s = t.wait_for("EXITED=0");
    assert!(
        !s.contains("ktopo 17-microservice"),
        "UI left on screen after quit:\n{s}"
    );
    assert_eq!(t.run(&["display", "-p", "-t", "smoke", "#{alternate_on}"]).trim(), "0");
    assert_eq!(
        t.run(&["display", "-p", "-t", "smoke", "#{cursor_flag}"]).trim(),
        "1",
        "cursor is shown again"
    );
}

#[test]
fn ctrl_c_and_sigterm_restore_the_terminal() {
    let t = Tmux::new("sig");
    start(&t, "--offline");
    t.wait_for("topics (29)");
    t.keys(&["C-c"]);
    t.wait_for("EXITED=0");
    assert_eq!(t.run(&["display", "-p", "-t", "smoke", "#{alternate_on}"]).trim(), "0");

    let t = Tmux::new("term");
    start(&t, "--offline");
    t.wait_for("topics (29)");
    let pane = t.run(&["display", "-p", "-t", "smoke", "#{pane_pid}"]);
    // The pane runs `sh -c`; find its ktopo child in /proc and send it SIGTERM.
    let child = child_named(pane.trim(), "ktopo").expect("ktopo runs in the pane");
    let out = Command::new("sh")
        .args(["-c", &format!("kill -TERM {child}")])
        .status()
        .unwrap();
    assert!(out.success());
    // 128 + SIGTERM, as a shell expects.
    t.wait_for("EXITED=143");
    assert_eq!(t.run(&["display", "-p", "-t", "smoke", "#{alternate_on}"]).trim(), "0");
}

#[test]
fn other_signals_restore_the_terminal_and_exit_128_plus_signal() {
    for (sig, code) in [("INT", 130), ("QUIT", 131), ("HUP", 129), ("USR1", 138)] {
        let t = Tmux::new(&format!("sig{sig}"));
        start(&t, "--offline");
        t.wait_for("topics (29)");
        let pane = t.run(&["display", "-p", "-t", "smoke", "#{pane_pid}"]);
        let child = child_named(pane.trim(), "ktopo").expect("ktopo runs in the pane");
        let out = Command::new("sh")
            .args(["-c", &format!("kill -{sig} {child}")])
            .status()
            .unwrap();
        assert!(out.success());
        t.wait_for(&format!("EXITED={code}"));
        assert_eq!(
            t.run(&["display", "-p", "-t", "smoke", "#{alternate_on}"]).trim(),
            "0",
            "{sig}"
        );
        assert_eq!(
            t.run(&["display", "-p", "-t", "smoke", "#{mouse_any_flag}"]).trim(),
            "0",
            "{sig}"
        );
        assert_eq!(
            t.run(&["display", "-p", "-t", "smoke", "#{cursor_flag}"]).trim(),
            "1",
            "{sig}"
        );
    }
}

#[test]
fn ctrl_z_suspends_to_the_shell_and_fg_resumes_in_raw_mode() {
    let t = Tmux::new("tstp");
    t.run(&[
        "new-session",
        "-d",
        "-s",
        "smoke",
        "-x",
        "100",
        "-y",
        "30",
        "bash --norc --noprofile -i",
    ]);
    let bin = env!("CARGO_BIN_EXE_ktopo");
    let reg = common::root().join("registry.yaml");
    t.keys(&[
        &format!("{bin} --offline --registry {}; echo EXITED=$?", reg.display()),
        "Enter",
    ]);
    t.wait_for("topics (29)");
    t.keys(&["C-z"]);
    t.wait_for("Stopped");
    assert_eq!(
        t.run(&["display", "-p", "-t", "smoke", "#{alternate_on}"]).trim(),
        "0",
        "the shell gets its screen back"
    );
    t.keys(&["fg", "Enter"]);
    t.wait_for("topics (29)");
    assert_eq!(t.run(&["display", "-p", "-t", "smoke", "#{alternate_on}"]).trim(), "1");
    // Raw mode again: a key acts at once (no Enter needed) and is not echoed.
    t.keys(&[":", "e", "v", "Enter"]);
    t.wait_for("events (130)");
    // (bash drops the rest of a command line whose job was stopped: no EXITED line.)
    t.keys(&["q"]);
    assert!(
        common::wait_until(WAIT, || t
            .run(&["display", "-p", "-t", "smoke", "#{alternate_on}"])
            .trim()
            == "0"),
        "the UI did not quit after fg"
    );
    t.keys(&["echo STATUS=$?", "Enter"]);
    t.wait_for("STATUS=0");
}

/// The pid of a child process of `parent` whose command name is `name`.
fn child_named(parent: &str, name: &str) -> Option<String> {
    std::fs::read_dir("/proc").ok()?.flatten().find_map(|e| {
        let stat = std::fs::read_to_string(e.path().join("stat")).ok()?;
        // pid (comm) state ppid ...
        let (head, rest) = stat.split_once(") ")?;
        let comm = head.split_once(" (")?.1;
        let ppid = rest.split_whitespace().nth(1)?;
        (comm == name && ppid == parent).then(|| e.file_name().to_string_lossy().into_owned())
    })
}

#[test]
fn default_start_shows_live_data_from_the_demo_cluster() {
    let t = Tmux::new("demo");
    start(&t, "");
    // The UI opens before the demo cluster is up, then live columns fill in.
    t.wait_for("topics (29)");
    t.wait_for("● demo cluster");
    // A health word in the table: there only once samples gave rates (the first
    // picture, which lights the header, has none; topic names are there offline too).
    t.wait_for("✓ OK");
    t.keys(&[":", "l", "a", "g", "Enter"]);
    // 58 pairs commit from the start; the demo's undeclared reader of a deprecated
    // topic (prd_builder_nda_events_consumer) is listed from the second sample on,
    // before any group is OK.
    t.wait_for("consumer lag (59 group × topic rows)");
    t.keys(&["q"]);
    t.wait_for("EXITED=0");
    assert_eq!(t.run(&["display", "-p", "-t", "smoke", "#{alternate_on}"]).trim(), "0");
}

#[test]
fn a_watched_registry_swapped_for_a_fifo_never_freezes_the_screen() {
    let dir = tempfile::tempdir().unwrap();
    let reg = dir.path().join("registry.yaml");
    std::fs::copy(common::root().join("registry.yaml"), &reg).unwrap();
    let t = Tmux::new("fifo");
    let bin = env!("CARGO_BIN_EXE_ktopo");
    let cmd = format!("{bin} --offline --registry {}; echo EXITED=$?; sleep 60", reg.display());
    t.run(&["new-session", "-d", "-s", "smoke", "-x", "100", "-y", "30", &cmd]);
    t.wait_for("topics (29)");
    // The file becomes a FIFO whose writer stays silent for a minute: made beside it,
    // its writer in place, then renamed over it.
    let fifo = dir.path().join("registry.fifo");
    assert!(Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let mut writer = common::silent_writer(&fifo, 60);
    std::fs::rename(&fifo, &reg).unwrap();
    // The watcher notices within a second and the reload opens the FIFO, then waits
    // for data (up to 5 s): once ktopo holds it open, the reload is under way.
    let pane = t.run(&["display", "-p", "-t", "smoke", "#{pane_pid}"]);
    let ktopo: u32 = child_named(pane.trim(), "ktopo")
        .expect("ktopo runs in the pane")
        .parse()
        .unwrap();
    let reg = reg.canonicalize().unwrap();
    assert!(
        common::wait_until(WAIT, || common::holds_open(ktopo, &reg)),
        "the reload never opened the FIFO"
    );
    // The reload runs off the UI thread: keys still work meanwhile.
    t.keys(&[":", "e", "v", "Enter"]);
    t.wait_for("events (130)");
    t.keys(&["q"]);
    t.wait_for("EXITED=0");
    let _ = writer.kill();
    let _ = writer.wait();
}

/// Start with a fault injected (`KTOPO_INJECT_PANIC`), printing the terminal's line
/// discipline after the exit: `icanon` is cooked mode, `-icanon` raw.
fn start_faulted(t: &Tmux, side: &str, extra: &str) {
    let bin = env!("CARGO_BIN_EXE_ktopo");
    let reg = common::root().join("registry.yaml");
    let cmd = format!(
        "RUST_BACKTRACE=0 KTOPO_INJECT_PANIC={side} {bin} --registry {} {extra}; echo EXITED=$?; stty -a | grep -o -- ' -*icanon' | sed 's/^/MODE=/'; sleep 60",
        reg.display()
    );
    t.run(&["new-session", "-d", "-s", "smoke", "-x", "100", "-y", "30", &cmd]);
}

#[test]
fn a_panic_in_the_sampler_is_contained_and_the_ui_goes_on() {
    let t = Tmux::new("sampler-panic");
    start_faulted(&t, "sampler", "");
    let s = t.wait_for("STOPPED");
    assert!(s.contains("live data stopped after an intern"), "{s}");
    assert_eq!(t.run(&["display", "-p", "-t", "smoke", "#{alternate_on}"]).trim(), "1");
    // Still answering keys, on the alternate screen.
    t.keys(&[":", "e", "v", "Enter"]);
    t.wait_for("events (130)");
    t.keys(&["q"]);
    let s = t.wait_for("MODE=");
    assert!(s.contains("EXITED=0"), "{s}");
    assert!(s.contains("MODE= icanon"), "cooked mode after exit:\n{s}");
}

#[test]
fn a_panic_in_the_ui_restores_the_terminal_and_exits_101() {
    let t = Tmux::new("ui-panic");
    start_faulted(&t, "ui", "--offline");
    let s = t.wait_for("MODE=");
    assert!(s.contains("EXITED=101"), "{s}");
    assert!(s.contains("injected UI panic"), "{s}");
    assert!(s.contains("stopped after an internal error"), "{s}");
    assert!(s.contains("MODE= icanon"), "cooked mode after exit:\n{s}");
    for (flag, want) in [("alternate_on", "0"), ("mouse_any_flag", "0"), ("cursor_flag", "1")] {
        assert_eq!(
            t.run(&["display", "-p", "-t", "smoke", &format!("#{{{flag}}}")]).trim(),
            want,
            "{flag}"
        );
    }
}

#[test]
fn the_map_zooms_and_pans_in_a_real_terminal() {
    let t = Tmux::new("map");
    start(&t, "");
    t.wait_for("● demo cluster");
    t.keys(&[":", "m", "a", "p", "Enter"]);
    let boxes = t.wait_for("· boxes ·");
    assert!(boxes.contains('┌') && boxes.contains('▶'), "{boxes}");
    // Shift+Right pans: the boxes move sideways (live numbers change, boxes do not
    // move on their own). Columns where boxes start:
    let corners = |x: &str| -> std::collections::BTreeSet<usize> {
        map_rows(x)
            .lines()
            .flat_map(|l| {
                l.chars()
                    .enumerate()
                    .filter(|(_, c)| *c == '┌')
                    .map(|(i, _)| i)
                    .collect::<Vec<_>>()
            })
            .collect()
    };
    t.keys(&["S-Right"]);
    let panned = t.wait_screen("the boxes moved by Shift+Right", |s| {
        corners(s) != corners(&boxes) && !corners(s).is_empty()
    });
    assert!(panned.contains("· boxes ·"), "{panned}");
    t.keys(&["-"]);
    t.wait_for("· labels ·");
    t.keys(&["-"]);
    t.wait_for("· overview ·");
    // The overview draws a dot per node, live ones with their health: ✓ (OK) in the
    // map's own rows. The header's "● demo cluster" (or "○ broker: …" offline) is not
    // on them, so a map with no dots, or none lit by live data, fails here.
    t.wait_screen("live health dots on the map", |s| map_rows(s).contains('✓'));
    t.keys(&["q"]);
    t.wait_for("EXITED=0");
    assert_eq!(t.run(&["display", "-p", "-t", "smoke", "#{alternate_on}"]).trim(), "0");
}

/// The rows the map is drawn on (100x30): under the header and the map's title, above
/// its info rows.
fn map_rows(screen: &str) -> String {
    screen.lines().skip(2).take(20).map(|l| format!("{l}\n")).collect()
}

#[test]
fn y_copies_the_selected_name_through_osc_52() {
    let t = Tmux::new("osc52");
    start(&t, "--offline");
    // tmux keeps what an application sends by OSC 52 as a paste buffer.
    t.run(&["set", "-g", "set-clipboard", "on"]);
    t.wait_for("topics (29)");
    // The first three topics: 11, 12 and 10 bytes, each remainder of three bytes
    // (base64 pads each differently).
    for (n, name) in ["auth_events", "agent_events", "org_events"].into_iter().enumerate() {
        if n > 0 {
            t.keys(&["Down"]);
        }
        t.run(&["delete-buffer"]);
        t.keys(&["y"]);
        t.wait_for(&format!("copied {name}"));
        let mut copied = String::new();
        assert!(
            common::wait_until(WAIT, || {
                copied = t.run(&["show-buffer"]);
                !copied.is_empty()
            }),
            "nothing reached the clipboard for {name}"
        );
        assert_eq!(copied, name);
    }
    t.keys(&["q"]);
    t.wait_for("EXITED=0");
}

/// In a real 80x24 terminal: the prompts edit like a shell line (Ctrl-W, Ctrl-A, Ctrl-U
/// as tmux sends them), `:` lists the commands, and an unreachable broker is said to
/// be unreachable in the header, never as if a sample had arrived.
#[test]
fn prompts_edit_and_an_unreachable_broker_is_said_at_80x24() {
    let t = Tmux::new("prompts");
    let bin = env!("CARGO_BIN_EXE_ktopo");
    let reg = common::root().join("registry.yaml");
    let cmd = format!(
        "{bin} --registry {} -b 127.0.0.1:1; echo EXITED=$?; sleep 60",
        reg.display()
    );
    t.run(&["new-session", "-d", "-s", "smoke", "-x", "80", "-y", "24", &cmd]);
    t.wait_for("topics (29)");
    // Port 1 on loopback refuses: the header says so once the first round fails.
    let s = t.wait_for("cannot reach 127.0.0.1:1");
    assert!(!s.lines().next().unwrap_or("").contains("ago"), "{s}");
    t.keys(&[
        "/", "h", "e", "l", "l", "o", "Space", "w", "o", "r", "l", "d", "C-w", "C-a", "X",
    ]);
    let s = t.wait_screen("the edited filter", |s| s.lines().any(|l| l.starts_with("/Xhello")));
    assert!(!s.contains("worldw"), "Ctrl-W inserted a letter:\n{s}");
    t.keys(&["C-e", "C-u", "c", "r", "m"]);
    t.wait_screen("the filter after Ctrl-U", |s| s.lines().any(|l| l.starts_with("/crm")));
    // Esc alone (an Esc followed at once by `:` reads as Alt-:).
    t.keys(&["Escape"]);
    t.wait_for("topics (29)");
    t.keys(&[":"]);
    // Wait for the whole list, not its title: a capture can land mid-redraw.
    t.wait_screen("the command list down to :quit", |s| {
        s.contains("commands") && s.contains(":quit") && s.contains("quit ktopo")
    });
    t.keys(&["Escape"]);
    t.wait_screen("the prompt closed", |s| !s.contains("commands"));
    t.keys(&["q"]);
    t.wait_for("EXITED=0");
}

/// At 80x24 in a real terminal: a detail view's facts scroll to their end with Tab
/// and End, `:check` lists the registry's findings and Enter shows one, and `?`
/// scrolls down to the legend's last entry.
#[test]
fn facts_check_and_the_legend_scroll_at_80x24() {
    let t = Tmux::new("panes");
    let bin = env!("CARGO_BIN_EXE_ktopo");
    let reg = common::root().join("registry.yaml");
    let cmd = format!("{bin} --registry {} --offline; echo EXITED=$?; sleep 60", reg.display());
    t.run(&["new-session", "-d", "-s", "smoke", "-x", "80", "-y", "24", &cmd]);
    t.wait_for("topics (29)");
    let mut keys = vec!["/"];
    keys.extend("re:^client_events$".split("").filter(|k| !k.is_empty()));
    keys.extend(["Enter", "Enter"]);
    t.keys(&keys);
    t.wait_screen("the topic with its facts cut", |s| {
        s.contains("topic client_events") && s.contains("Tab to scroll")
    });
    // producers → consumers → facts, then to the end of the facts.
    t.keys(&["Tab", "Tab", "End"]);
    let s = t.wait_screen("the end of the facts", |s| {
        s.contains("agent_copilot_client_events_consumer") && s.contains(" above ")
    });
    assert!(s.contains("consumer groups"), "{s}");
    t.keys(&["Escape"]);
    t.wait_screen("back on the list", |s| {
        s.contains("topics (") && !s.contains("topic client_events")
    });
    t.keys(&[":", "c", "h", "e", "c", "k", "Enter"]);
    t.wait_screen("the check view", |s| {
        s.contains("0 errors, 3 warnings, 4 notes") && s.contains("self-consumption")
    });
    t.keys(&["Enter"]);
    t.wait_screen("the finding's snippet", |s| {
        s.contains("check finding") && s.contains("warning[")
    });
    t.keys(&["x"]);
    t.wait_screen("the popup closed", |s| !s.contains("check finding"));
    t.keys(&["?"]);
    t.wait_for(" help ");
    t.keys(&["G"]);
    // The last entry of the legend: the marks end it.
    let last = ktopo::tui::symbols::GLOBAL.last().unwrap().meaning;
    let tail: String = last.chars().take(20).collect();
    t.wait_screen("the legend's last entry", |s| s.contains(&tail) && s.contains("above"));
    t.keys(&["Escape"]);
    // ESC then a key at once reads as Alt+key: quit only once the help is closed.
    t.wait_screen("the help closed", |s| !s.contains(&tail));
    t.keys(&["q"]);
    t.wait_for("EXITED=0");
}

#[test]
fn ctx_switches_the_real_tui_to_another_cluster() {
    let (_pa, a) = common::mock_cluster(1, &[("alpha", 1)]);
    let (_pb, b) = common::mock_cluster(1, &[("beta", 1)]);
    let home = tempfile::tempdir().unwrap();
    let config = home.path().join("contexts.yaml");
    std::fs::write(
        &config,
        format!("contexts:\n  a:\n    cluster: cluster A\n    brokers: {a}\n  b:\n    cluster: cluster B\n    brokers: {b}\n"),
    )
    .unwrap();
    std::fs::set_permissions(&config, std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
    let t = Tmux::new("ctx");
    let bin = env!("CARGO_BIN_EXE_ktopo");
    let reg = common::root().join("registry.yaml");
    let cmd = format!(
        "HOME={} KTOPO_CONFIG={} {bin} --registry {} --context a --interval 0.5; echo EXITED=$?; sleep 60",
        home.path().display(),
        config.display(),
        reg.display()
    );
    t.run(&["new-session", "-d", "-s", "smoke", "-x", "120", "-y", "30", &cmd]);
    t.wait_for("ctx a · ● cluster A");
    t.keys(&[":", "c", "t", "x", "Enter"]);
    t.wait_for("contexts: *a, b · :ctx NAME switches");
    t.keys(&[":", "c", "t", "x", " ", "b", "Enter"]);
    t.wait_for("ctx b · ● cluster B");
    t.keys(&["q"]);
    t.wait_for("EXITED=0");
}

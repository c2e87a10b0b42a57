//! Helpers shared by the integration tests.
#![allow(dead_code)]

use ktopo::core::registry::{self, Registry};
use std::path::PathBuf;

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Load a registry that must be free of errors.
pub fn load(rel: &str) -> Registry {
    let c = registry::load(&root().join(rel)).expect("readable");
    assert_eq!(c.errors(), 0, "{rel} has errors: {:?}", c.diagnostics);
    c.registry.expect("structure is valid")
}

pub fn main_registry() -> Registry {
    load("registry.yaml")
}

/// The app on a registry file (with its source, so drift can say where), no colour.
pub fn app(rel: &str, width: u16, height: u16) -> ktopo::tui::state::App {
    let checked = registry::load(&root().join(rel)).expect("readable");
    let reg = checked.registry.clone().expect("structure is valid");
    let data = ktopo::tui::data::Data::new(reg).with_checks(&checked.source, &checked.diagnostics);
    ktopo::tui::state::App::new(data, width, height, ktopo::tui::theme::Theme { color: false })
}

pub fn fixture(name: &str) -> PathBuf {
    root().join("tests/fixtures").join(name)
}

/// The app drawn into a TestBackend, one trimmed line per row.
pub fn screen(app: &ktopo::tui::state::App) -> String {
    let buf = buffer(app);
    (0..buf.area.height)
        .map(|y| {
            let line: String = (0..buf.area.width).map(|x| buf[(x, y)].symbol().to_string()).collect();
            line.trim_end().to_string() + "\n"
        })
        .collect()
}

/// Press one key.
/// Press a key; returns the effects it asked for.
pub fn press(app: &mut ktopo::tui::state::App, code: crossterm::event::KeyCode) -> Vec<ktopo::tui::state::Effect> {
    let k = crossterm::event::KeyEvent::new(code, crossterm::event::KeyModifiers::NONE);
    app.update(ktopo::tui::state::Event::Key(k))
}

/// Type `:cmd` and Enter.
pub fn run_command(app: &mut ktopo::tui::state::App, cmd: &str) {
    use crossterm::event::KeyCode;
    if cmd == "map" {
        // The map is laid out on its own thread: tests draw it once it is there.
        app.data.lay_out_now();
    }
    press(app, KeyCode::Char(':'));
    for c in cmd.chars() {
        press(app, KeyCode::Char(c));
    }
    press(app, KeyCode::Enter);
}

/// API keys every mock broker received since request tracking started.
pub fn mock_api_keys(p: &rdkafka::producer::BaseProducer) -> std::collections::BTreeSet<i16> {
    use rdkafka::bindings as rd;
    use rdkafka::producer::Producer;
    let mut keys = std::collections::BTreeSet::new();
    // SAFETY (test fixture): the mock cluster belongs to the live producer `p`; the
    // request array is read, then freed once.
    unsafe {
        let mc = rd::rd_kafka_handle_mock_cluster(p.client().native_ptr());
        let mut n = 0usize;
        let reqs = rd::rd_kafka_mock_get_requests(mc, &mut n);
        for i in 0..n {
            keys.insert(rd::rd_kafka_mock_request_api_key(*reqs.add(i)));
        }
        rd::rd_kafka_mock_request_destroy_array(reqs, n);
    }
    keys
}

/// The buffer (with styles) as the app draws it.
pub fn buffer(a: &ktopo::tui::state::App) -> ratatui::buffer::Buffer {
    let mut t = ratatui::Terminal::new(ratatui::backend::TestBackend::new(a.width, a.height)).unwrap();
    t.draw(|f| ktopo::tui::ui::render(a, f)).unwrap();
    t.backend().buffer().clone()
}

/// For a test that measures the whole process (its threads, its memory): true in a
/// process running only that test, where the caller goes on; false in the test run,
/// after the same test ran alone in a child process and passed (it fails if not).
pub fn alone(test: &str) -> bool {
    const ALONE: &str = "KTOPO_TEST_ALONE";
    if std::env::var(ALONE).is_ok_and(|t| t == test) {
        return true;
    }
    let out = std::process::Command::new(std::env::current_exe().expect("the test binary"))
        .args([test, "--exact", "--test-threads=1", "--nocapture"])
        .env(ALONE, test)
        .output()
        .expect("the test binary runs");
    let text = String::from_utf8_lossy(&out.stdout) + String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{test}, run alone, failed:\n{text}");
    assert!(text.contains("1 passed"), "{test} did not run alone:\n{text}");
    false
}

/// Poll `cond` every 50 ms until it holds (true) or `within` has passed (false, after
/// one last look). For tests that wait on a state another process or thread reaches:
/// a fixed sleep is too short under load and needlessly long otherwise.
pub fn wait_until(within: std::time::Duration, mut cond: impl FnMut() -> bool) -> bool {
    let deadline = std::time::Instant::now() + within;
    loop {
        if cond() {
            return true;
        }
        if std::time::Instant::now() >= deadline {
            return cond();
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

/// Whether process `pid` has `path` open (its /proc fd links).
pub fn holds_open(pid: u32, path: &std::path::Path) -> bool {
    let Ok(fds) = std::fs::read_dir(format!("/proc/{pid}/fd")) else {
        return false;
    };
    fds.flatten()
        .any(|fd| std::fs::read_link(fd.path()).is_ok_and(|target| target == path))
}

/// A process holding the FIFO `fifo` open for writing that never writes, for `secs`
/// seconds; returned once it holds it, so whoever opens the FIFO next finds a writer
/// (no writer yet, a non-blocking reader would read an empty pipe at once). Opening a
/// FIFO for writing waits for a reader: one of ours is open meanwhile.
pub fn silent_writer(fifo: &std::path::Path, secs: u32) -> std::process::Child {
    use std::os::unix::fs::OpenOptionsExt;
    let reader = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(fifo)
        .expect("the FIFO opens for reading");
    // `exec`: the pid is the one holding the FIFO, and killing it closes it.
    let mut writer = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("exec sleep {secs} > '{}'", fifo.display()))
        .spawn()
        .expect("sh runs");
    let fifo = fifo.canonicalize().expect("the FIFO exists");
    let held = wait_until(std::time::Duration::from_secs(20), || holds_open(writer.id(), &fifo));
    drop(reader);
    if !held {
        let _ = writer.kill();
        panic!("the writer never opened {}", fifo.display());
    }
    writer
}

/// The app drawn with its styles as text: `styled_text` of its buffer.
pub fn styled(app: &ktopo::tui::state::App) -> String {
    styled_text(&buffer(app))
}

/// A buffer as text with style marks, for snapshots where style carries meaning (health
/// colours, dimming, focus, selection).
///
/// One line per row. Where the style changes, a tag in braces says what differs from
/// the terminal's default, and holds for the cells after it until the next tag:
/// `{fg:red,bold}` is red bold text, `{}` is back to the default. In a tag come `fg:`
/// then `bg:` (ratatui's colour names in snake case — `dark_gray` —, `#rrggbb`, or
/// `i<n>` for an indexed colour), then the modifiers in ratatui's order: `bold`, `dim`,
/// `italic`, `underlined`, `slow_blink`, `rapid_blink`, `reversed`, `hidden`,
/// `crossed_out`. (Underline colours are left out: no view uses them.) Every row starts
/// and ends in the default style: a styled run that reaches the row's end is closed by
/// `{}`, so styled blanks at the end (a selection bar) stay visible, and only unstyled
/// trailing blanks are trimmed. A `{` on screen is written `{{`. With its tags removed
/// (and `{{` read as `{`) each row is the row `screen` gives.
pub fn styled_text(buf: &ratatui::buffer::Buffer) -> String {
    use ratatui::style::{Color, Modifier};
    type Look = (Color, Color, Modifier);
    const PLAIN: Look = (Color::Reset, Color::Reset, Modifier::empty());
    fn colour(c: Color) -> String {
        match c {
            Color::Rgb(r, g, b) => format!("#{r:02x}{g:02x}{b:02x}"),
            Color::Indexed(i) => format!("i{i}"),
            named => {
                // DarkGray -> dark_gray
                let mut out = String::new();
                for (i, ch) in format!("{named:?}").chars().enumerate() {
                    if ch.is_uppercase() && i > 0 {
                        out.push('_');
                    }
                    out.push(ch.to_ascii_lowercase());
                }
                out
            }
        }
    }
    fn tag((fg, bg, m): Look) -> String {
        let mut parts = Vec::new();
        if fg != Color::Reset {
            parts.push(format!("fg:{}", colour(fg)));
        }
        if bg != Color::Reset {
            parts.push(format!("bg:{}", colour(bg)));
        }
        parts.extend(m.iter_names().map(|(name, _)| name.to_lowercase()));
        format!("{{{}}}", parts.join(","))
    }
    let mut out = String::new();
    for y in 0..buf.area.height {
        let mut line = String::new();
        let mut now = PLAIN;
        for x in 0..buf.area.width {
            let cell = &buf[(x, y)];
            let look = (cell.fg, cell.bg, cell.modifier);
            if look != now {
                line.push_str(&tag(look));
                now = look;
            }
            line.push_str(&cell.symbol().replace('{', "{{"));
        }
        if now == PLAIN {
            // Only blanks of the default style can trail: a tag ends in `}`.
            line.truncate(line.trim_end().len());
        } else {
            line.push_str("{}");
        }
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// `styled_text` without its tags: the plain text it marks up.
pub fn strip_style_tags(styled: &str) -> String {
    let mut out = String::new();
    let mut chars = styled.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '{' {
            out.push(c);
        } else if chars.peek() == Some(&'{') {
            chars.next();
            out.push('{');
        } else {
            for t in chars.by_ref() {
                if t == '}' {
                    break;
                }
            }
        }
    }
    out
}

/// A librdkafka mock cluster with these topics (name, partitions), on `brokers`
/// brokers; it lives as long as the producer returned with its bootstrap address.
pub fn mock_cluster(brokers: u32, topics: &[(&str, i32)]) -> (rdkafka::producer::BaseProducer, String) {
    let p: rdkafka::producer::BaseProducer = rdkafka::ClientConfig::new()
        .set("test.mock.num.brokers", brokers.to_string())
        .set("linger.ms", "0")
        .create()
        .unwrap();
    let bootstrap = {
        use rdkafka::producer::Producer;
        let m = p.client().mock_cluster().unwrap();
        for &(t, n) in topics {
            m.create_topic(t, n, 1).unwrap();
        }
        m.bootstrap_servers()
    };
    (p, bootstrap)
}

/// `n` messages `m0`, `m1`, ... to one partition, flushed.
pub fn produce(p: &rdkafka::producer::BaseProducer, topic: &str, partition: i32, n: usize) {
    use rdkafka::producer::Producer;
    for i in 0..n {
        let payload = format!("m{i}");
        p.send(
            rdkafka::producer::BaseRecord::<(), _>::to(topic)
                .partition(partition)
                .payload(&payload),
        )
        .unwrap();
    }
    p.flush(std::time::Duration::from_secs(10)).unwrap();
}

/// A standalone commit, as a test fixture (ktopo itself never commits).
pub fn commit(bootstrap: &str, group: &str, offsets: &[(&str, i32, i64)]) {
    use rdkafka::consumer::Consumer;
    let c: rdkafka::consumer::BaseConsumer = rdkafka::ClientConfig::new()
        .set("bootstrap.servers", bootstrap)
        .set("group.id", group)
        .set("enable.auto.commit", "false")
        .create()
        .unwrap();
    let mut tpl = rdkafka::TopicPartitionList::new();
    for &(t, p, o) in offsets {
        tpl.add_partition_offset(t, p, rdkafka::Offset::Offset(o)).unwrap();
    }
    c.commit(&tpl, rdkafka::consumer::CommitMode::Sync).unwrap();
}

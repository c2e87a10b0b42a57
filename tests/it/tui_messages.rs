//! The messages screen (`M` on a topic): the sampler's last messages of the topic,
//! newest first, the selected one in full; hostile bytes made visible; `y` copies.

use crate::common;
use crossterm::event::KeyCode;
use ktopo::cluster::kafka::peek::{Cut, Header, Peeked};
use ktopo::core::live::view::LiveView;
use ktopo::tui::data::Data;
use ktopo::tui::state::{App, Event, Route};
use ktopo::tui::theme::Theme;

fn msg(partition: i32, offset: i64, ts: i64, value: &[u8]) -> Peeked {
    Peeked {
        partition,
        offset,
        timestamp_ms: Some(ts),
        key: Some(Cut::whole(format!("k{offset}").as_bytes())),
        headers: vec![Header::Kept(Cut::whole(b"trace"), Some(Cut::whole(b"abc")))],
        value: Some(value.to_vec()),
        value_len: value.len(),
        schema: None,
    }
}

fn app_with_messages() -> App {
    let mut app = common::app("registry.yaml", 120, 40);
    let tails = vec![(
        "billing_events".to_string(),
        vec![
            msg(
                0,
                7,
                1_764_478_800_000,
                br#"{"event_type":"payment_succeeded","source_service":"rogue_writer","payload":{"amount":12}}"#,
            ),
            msg(1, 3, 1_764_478_860_000, b"\x1b]52;c;aGk=\x07\x1b[2Jboom"),
            msg(2, 9, 1_764_478_830_000, &[0xff, 0x00, 0x9b, 0x41]),
        ],
    )];
    let v = LiveView {
        sample_ms: Some(10),
        source: "demo cluster".into(),
        tails: Some(std::sync::Arc::new(tails)),
        ..LiveView::default()
    };
    app.update(Event::Tick(1.0));
    app.update(Event::Live(Box::new(v)));
    app
}

#[test]
fn messages_of_a_topic_newest_first_hostile_bytes_visible_and_copied() {
    let mut app = app_with_messages();
    common::run_command(&mut app, "topics");
    let ti = app.data.reg.topic_index("billing_events").unwrap();
    while app.screen().items.topics()[app.screen().selected] != ti {
        common::press(&mut app, KeyCode::Down);
    }
    common::press(&mut app, KeyCode::Enter);
    common::press(&mut app, KeyCode::Char('M'));
    assert_eq!(app.screen().route, Route::Messages(ti));
    let s = common::screen(&app);
    assert!(s.contains("messages of billing_events (3)"), "{s}");
    // Newest first: partition 1 (…860 000), then 2, then 0.
    let rows: Vec<&str> = s.lines().filter(|l| l.contains("2025-11-30T")).collect();
    assert_eq!(rows.len(), 3, "{s}");
    assert!(rows[0].starts_with("│1    3 "), "{}", rows[0]);
    assert!(rows[1].starts_with("│2    9 "), "{}", rows[1]);
    assert!(
        !s.chars().any(|c| c.is_control() && c != '\n'),
        "no control character reaches the screen"
    );
    assert!(s.contains("\\u{1b}]52;c;aGk="), "escapes shown, not sent:\n{s}");
    insta::assert_snapshot!("messages_120x40", s);

    let fx = common::press(&mut app, KeyCode::Char('y'));
    assert_eq!(
        fx.iter().find_map(|e| match e {
            ktopo::tui::state::Effect::Copy(t) => Some(t.as_str()),
            _ => None,
        }),
        Some("\\u{1b}]52;c;aGk=\\u{7}\\u{1b}[2Jboom"),
        "the value is copied with its control characters made visible"
    );
    // The JSON one, pretty printed below the table.
    common::press(&mut app, KeyCode::Down);
    common::press(&mut app, KeyCode::Down);
    let s = common::screen(&app);
    assert!(s.contains("\"event_type\": \"payment_succeeded\""), "{s}");
    assert!(s.contains("trace abc"), "headers shown: {s}");
}

#[test]
fn without_live_data_the_screen_says_why() {
    let checked = ktopo::core::registry::load(&common::root().join("registry.yaml")).unwrap();
    let reg = checked.registry.clone().unwrap();
    let mut app = App::new(Data::new(reg), 100, 30, Theme { color: false });
    common::run_command(&mut app, "topics");
    common::press(&mut app, KeyCode::Char('M'));
    let s = common::screen(&app);
    assert!(
        s.contains("messages of") && s.contains("(0)") && s.contains("no live data"),
        "{s}"
    );
}

#[test]
fn producers_only_the_messages_name_are_drawn_apart_in_the_graph() {
    let mut app = app_with_messages();
    common::run_command(&mut app, "graph topic:billing_events");
    let s = common::screen(&app);
    let left: Vec<&str> = s.lines().filter(|l| l.contains("rogue_writer")).collect();
    assert_eq!(left.len(), 1, "{s}");
    assert!(left[0].starts_with("│rogue_writer"), "on the producers' side: {s}");
    assert!(s.contains("writes · seen in messages") && s.contains("┄┄?▶"), "{s}");
    // The impact of the topic lists the observed producer apart from the declared paths.
    common::run_command(&mut app, "impact topic:billing_events");
    let s = common::screen(&app);
    assert!(s.contains("? observed, not declared"), "{s}");
    assert!(
        s.contains("┄┄?▶ `rogue_writer` writes billing_events (seen in its messages)"),
        "{s}"
    );
    // And among the drift findings, with the sample size.
    let d = app.joined.drift.as_ref().unwrap();
    assert!(
        d.report
            .findings
            .iter()
            .any(|f| f.message.contains("1 of 3 sampled messages come from `rogue_writer`")),
        "{:?}",
        d.report.findings
    );
}

/// The messages screen of billing_events on a wide and tall terminal (a key and a
/// header on one line each), with these messages.
fn messages_screen(msgs: Vec<Peeked>) -> App {
    let mut app = common::app("registry.yaml", 300, 80);
    let v = LiveView {
        sample_ms: Some(10),
        source: "demo cluster".into(),
        tails: Some(std::sync::Arc::new(vec![("billing_events".to_string(), msgs)])),
        ..LiveView::default()
    };
    app.update(Event::Tick(1.0));
    app.update(Event::Live(Box::new(v)));
    common::run_command(&mut app, "topics");
    let ti = app.data.reg.topic_index("billing_events").unwrap();
    while app.screen().items.topics()[app.screen().selected] != ti {
        common::press(&mut app, KeyCode::Down);
    }
    common::press(&mut app, KeyCode::Enter);
    common::press(&mut app, KeyCode::Char('M'));
    assert_eq!(app.screen().route, Route::Messages(ti));
    app
}

#[test]
fn text_cut_inside_a_character_is_cut_before_it_and_said() {
    // 'x' then two-byte characters: the 256-byte and 4 KiB cuts fall inside one.
    let short = format!("x{}", "é".repeat(200));
    let long = format!("x{}", "é".repeat(3000));
    let mut m = msg(0, 1, 1_764_478_800_000, long.as_bytes());
    m.key = Some(Cut::whole(short.as_bytes()));
    m.headers = vec![Header::Kept(Cut::whole(b"h"), Some(Cut::whole(short.as_bytes())))];
    let app = messages_screen(vec![m]);
    let s = common::screen(&app);
    assert!(!s.contains("c3 a9"), "text, not hex:\n{s}");
    let kept = format!("x{}", "é".repeat(127));
    assert!(s.contains(&format!("key {kept} … 146 more bytes")), "{s}");
    assert!(s.contains(&format!("h {kept} … 146 more bytes")), "{s}");
    assert!(s.contains("… 1,906 more bytes not shown"), "{s}");
}

#[test]
fn every_cut_is_said_keys_header_names_and_headers_past_the_count() {
    let mut m = msg(0, 1, 1_764_478_800_000, b"abc");
    // As the reader cuts them: the sizes say how much was not kept.
    m.key = Some(Cut {
        bytes: b"k".to_vec(),
        len: 5000,
    });
    m.headers = vec![
        Header::Kept(
            Cut {
                bytes: b"n".to_vec(),
                len: 300,
            },
            Some(Cut {
                bytes: Vec::new(),
                len: 7,
            }),
        ),
        Header::Kept(Cut::whole(b"line\nbreak"), None),
        Header::NotKept(1044),
    ];
    m.value_len = 10;
    let app = messages_screen(vec![m]);
    let s = common::screen(&app);
    for want in [
        "│key k … 4,999 more bytes ",
        "│n … 299 more bytes … 7 more bytes ",
        "│line\\nbreak - ",
        "│… 1,044 more headers not kept ",
        "│abc ",
        "│… 7 more bytes not shown ",
        "offset 1 · … 7 more bytes not shown · y copies",
    ] {
        assert!(s.contains(want), "{want:?} missing:\n{s}");
    }
    // The table says the key and the value were cut too.
    let row = s.lines().find(|l| l.contains("2025-11-30T")).unwrap();
    assert!(row.contains("k … 4,99") && row.contains("abc … 7 more bytes"), "{row}");
}

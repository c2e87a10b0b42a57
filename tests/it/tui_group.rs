//! The group detail screen and the `:lag` partition pane, through the real event loop,
//! with pictures from the real sampling loop (`live::session::run` over scripted
//! rounds: the metrics, statuses and trends are ktopo's own).

use crate::common;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseEvent, MouseEventKind};
use ktopo::core::live::metrics::Metrics;
use ktopo::core::live::session::{self, Pace, Source};
use ktopo::core::live::trend::POINTS;
use ktopo::core::live::view::LiveView;
use ktopo::core::sample::{Member, RawGroup, RawPartition, RawSample, RawTopic};
use ktopo::tui::state::{App, Event, Route};
use ktopo::tui::{event_loop, Io};
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use std::sync::atomic::AtomicBool;

const GROUP: &str = "agent_orchestration_config_events_consumer";
const TOPIC: &str = "config_events";
const PARTS: i32 = 12;
/// 2026-12-01T12:00:00Z.
const WALL0: i64 = 1_796_126_400_000;

/// Rounds 5 s apart: 10 messages a second per partition are produced; the group keeps
/// up until round `stop_at`, then commits nothing more (with its members still there).
struct Script {
    round: u32,
    stop_at: u32,
}

impl Source for Script {
    type Watch = ();
    type Error = String;
    fn sample(&mut self) -> Result<RawSample, String> {
        let r = i64::from(self.round);
        self.round += 1;
        let t = 5.0 * r as f64;
        let end = |p: i64| 1_000 + 50 * r + p;
        let at = i64::from(self.stop_at).min(r);
        let members = (0..3)
            .map(|m| Member {
                consumer_id: format!("consumer-{m}"),
                client_id: format!("orchestrator-{m}"),
                host: format!("/10.0.0.{m}"),
                instance_id: None,
                assignment: (0..PARTS)
                    .filter(|p| p % 3 == m)
                    .map(|p| (TOPIC.to_string(), p))
                    .collect(),
            })
            .collect();
        Ok(RawSample {
            time_s: t,
            offsets_at_s: t - 0.01,
            wall_ms: WALL0 + 5_000 * r,
            topics: vec![RawTopic {
                name: TOPIC.into(),
                partitions: (0..PARTS)
                    .map(|p| RawPartition {
                        id: p,
                        leader: 1,
                        log_start: Some(0),
                        log_end: Some(end(i64::from(p))),
                    })
                    .collect(),
                replication: Some(1),
                last_write_ms: None,
            }],
            groups: vec![
                // Another group on the topic, keeping up.
                RawGroup {
                    group: "audit_config_events_reader".into(),
                    topic: TOPIC.into(),
                    topic_on_cluster: true,
                    committed: (0..PARTS).map(|p| (p, Some(end(i64::from(p))))).collect(),
                    ..RawGroup::default()
                },
                RawGroup {
                    group: GROUP.into(),
                    topic: TOPIC.into(),
                    service: Some("agent_orchestration".into()),
                    declared: true,
                    state: Some("Stable".into()),
                    kind: Some("Classic".into()),
                    members: Some(members),
                    topic_on_cluster: true,
                    committed: (0..PARTS)
                        .map(|p| (p, Some(1_000 + 50 * at + i64::from(p) - 10 * i64::from(p))))
                        .collect(),
                    error: None,
                },
            ],
            groups_listed: true,
            ..RawSample::default()
        })
    }
    fn now_s(&self) -> f64 {
        5.0 * f64::from(self.round.saturating_sub(1))
    }
    fn set_watch(&mut self, _: ()) {}
}

/// The pictures of `rounds` rounds of the sampling loop.
fn pictures(rounds: u32, stop_at: u32) -> Vec<LiveView> {
    let mut metrics = Metrics::new("scripted", 5.0);
    let mut out = Vec::new();
    let pace = Pace {
        interval: std::time::Duration::ZERO,
        quick_rounds: 0,
    };
    session::run(
        &mut Script { round: 0, stop_at },
        &mut metrics,
        pace,
        &AtomicBool::new(false),
        None,
        |r| {
            out.push(r.view.clone());
            out.len() < rounds as usize
        },
    );
    out
}

fn key(c: KeyCode) -> Event {
    Event::Key(KeyEvent::new(c, KeyModifiers::NONE))
}

fn typed(s: &str) -> Vec<Event> {
    s.chars().map(|c| key(KeyCode::Char(c))).collect()
}

/// Run the app through the event loop on these events; the terminal it drew into.
fn run(app: &mut App, events: Vec<Event>) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(app.width, app.height)).unwrap();
    let mut events = events.into_iter();
    event_loop(
        &mut terminal,
        app,
        Io {
            next: Box::new(move || events.next()),
            effect: Box::new(|_| None),
        },
    )
    .unwrap();
    terminal
}

fn app(w: u16, h: u16, color: bool) -> App {
    App::new(
        ktopo::tui::data::Data::new(common::main_registry()),
        w,
        h,
        ktopo::tui::theme::Theme { color },
    )
}

/// Every picture arrives, then `:lag` and Enter on its worst row.
fn to_group(pics: Vec<LiveView>) -> Vec<Event> {
    let mut ev = vec![Event::Tick(1.0)];
    ev.extend(pics.into_iter().map(|v| Event::Live(Box::new(v))));
    ev.push(key(KeyCode::Char(':')));
    ev.extend(typed("lag"));
    ev.push(key(KeyCode::Enter));
    ev.push(key(KeyCode::Enter));
    ev
}

fn screen(t: &Terminal<TestBackend>) -> String {
    let buf = t.backend().buffer();
    (0..buf.area.height)
        .map(|y| {
            let line: String = (0..buf.area.width).map(|x| buf[(x, y)].symbol().to_string()).collect();
            line.trim_end().to_string() + "\n"
        })
        .collect()
}

/// Braille cells drawn inside the chart blocks (the plotted points).
fn plotted(s: &str) -> usize {
    s.chars().filter(|c| ('\u{2801}'..='\u{28ff}').contains(c)).count()
}

#[test]
fn enter_on_a_lag_row_opens_the_group_with_its_changes_chart_and_partitions() {
    for (w, h) in [(80, 24), (120, 40)] {
        let mut a = app(w, h, true);
        let t = run(&mut a, to_group(pictures(16, 8)));
        assert_eq!(a.screen().route, Route::Group(GROUP.into()));
        let s = screen(&t);
        // The key facts, uncut at 80x24: the group, state, members, status and since.
        assert!(s.contains(GROUP), "{s}");
        assert!(s.contains("Stable (Classic) · 3 members"), "{s}");
        assert!(
            s.contains("group (times UTC)") && s.contains("since 12:0"),
            "since when:\n{s}"
        );
        // The status changes, and the chart with points and HH:MM:SS UTC labels.
        assert!(s.contains("status changes (UTC, "), "{s}");
        assert!(s.contains("→"), "{s}");
        assert!(s.contains("lag (messages, 16 points)"), "{s}");
        assert!(
            s.contains("12:00:00") && s.contains("12:01:15"),
            "the session's first and last sample:\n{s}"
        );
        assert!(plotted(&s) > 10, "points on the charts:\n{s}");
        assert!(s.contains("consume") && s.contains("produce"), "{s}");
        // 12 partitions: the table says how many are out of sight.
        assert!(s.contains("partitions (12 on 1 topic)"), "{s}");
        assert!(s.contains("more ·"), "{s}");
        insta::assert_snapshot!(format!("group_{w}x{h}"), common::styled_text(t.backend().buffer()));
    }
}

#[test]
fn the_help_on_the_group_screen_names_its_columns_and_chart_lines() {
    let mut a = app(80, 24, false);
    run(&mut a, to_group(pictures(4, 8)));
    let help: String = ktopo::tui::views::popup::help_lines(&a, 200)
        .iter()
        .map(|l| l.to_string() + "\n")
        .collect();
    for sym in ktopo::tui::views::group::GROUP_MARKS {
        assert!(
            help.contains(sym.glyph) && help.contains(sym.meaning),
            "{sym:?}:\n{help}"
        );
    }
    for col in ktopo::tui::views::group::GROUP_COLUMNS {
        assert!(help.contains(col.name), "{col:?}:\n{help}");
    }
    assert!(help.contains("columns of group agent_orchestration"), "{help}");
    assert!(help.contains("the consumer group's detail"), "the c key:\n{help}");
}

#[test]
fn esc_goes_back_to_lag_and_o_opens_the_service_enter_opened_before() {
    let mut a = app(80, 24, false);
    let mut ev = to_group(pictures(4, 8));
    ev.push(key(KeyCode::Esc));
    run(&mut a, ev);
    assert_eq!(a.screen().route, Route::Lag);
    let mut ev = typed("o");
    run(&mut a, std::mem::take(&mut ev));
    let svc = a.data.reg.service_by_key("agent_orchestration").unwrap();
    assert_eq!(a.screen().route, Route::Service(svc));
}

#[test]
fn service_and_topic_views_reach_the_group_from_its_consumer_line() {
    // Tall enough for the topic's group lines, below its events.
    let mut a = app(160, 80, false);
    let mut ev = vec![Event::Tick(1.0)];
    ev.extend(pictures(8, 100).into_iter().map(|v| Event::Live(Box::new(v))));
    ev.push(key(KeyCode::Char('/')));
    ev.extend(typed(&format!("re:^{TOPIC}$")));
    ev.push(key(KeyCode::Enter));
    ev.push(key(KeyCode::Enter));
    let t = run(&mut a, ev);
    assert_eq!(a.screen().route, Route::Topic(a.data.reg.topic_index(TOPIC).unwrap()));
    let s = screen(&t);
    // The topic's group line says its status and since when.
    assert!(s.contains(&format!("• {GROUP}  ✓ OK for")), "{s}");
    // Tab to the consumers pane, select the service, c.
    let consumers = a.links(&a.screen().route)[1].1.clone();
    let svc = a.data.reg.service_by_key("agent_orchestration").unwrap();
    let at = consumers
        .iter()
        .position(|n| *n == ktopo::core::topology::Node::Service(svc))
        .unwrap();
    let mut ev = vec![key(KeyCode::Tab)];
    ev.extend((0..at).map(|_| key(KeyCode::Down)));
    ev.push(key(KeyCode::Char('c')));
    run(&mut a, ev);
    assert_eq!(a.screen().route, Route::Group(GROUP.into()));
    // From the service: its consumes pane, the topic selected.
    let mut ev = vec![key(KeyCode::Char('o'))];
    run(&mut a, std::mem::take(&mut ev));
    assert_eq!(a.screen().route, Route::Service(svc));
    let s = common::screen(&a);
    assert!(s.contains(&format!("{GROUP}  lag ")) && s.contains("✓ OK for "), "{s}");
    let inputs = a.links(&a.screen().route)[0].1.clone();
    let topic = a.data.reg.topic_index(TOPIC).unwrap();
    let at = inputs
        .iter()
        .position(|n| *n == ktopo::core::topology::Node::Topic(topic))
        .unwrap();
    let mut ev: Vec<Event> = (0..at).map(|_| key(KeyCode::Down)).collect();
    ev.push(key(KeyCode::Char('c')));
    run(&mut a, ev);
    assert_eq!(a.screen().route, Route::Group(GROUP.into()));
}

#[test]
fn the_trend_is_bounded_over_a_long_session() {
    let pics = pictures(POINTS as u32 * 3, 1_000);
    let last = pics.last().unwrap().clone();
    let g = last.groups.iter().find(|g| g.group == GROUP).unwrap();
    assert!(g.trend.len() <= POINTS, "{} points", g.trend.len());
    assert!(g.trend.len() > POINTS / 2);
    // The newest point is the last sample's; the oldest ones were dropped.
    let first = g.trend.points().next().unwrap().at_s;
    assert_eq!(g.trend.last().unwrap().at_s, 5.0 * (POINTS as f64 * 3.0 - 1.0));
    assert!(first > 5.0 * POINTS as f64, "oldest kept {first}");
    // The group screen plots what the ring holds, no more.
    let mut a = app(120, 40, false);
    let t = run(&mut a, to_group(pics));
    let s = screen(&t);
    assert!(s.contains(&format!("lag (messages, {} points)", g.trend.len())), "{s}");
}

#[test]
fn tab_focuses_the_lag_partition_pane_and_keys_and_wheel_scroll_it() {
    let mut a = app(80, 24, true);
    let mut ev = vec![Event::Tick(1.0)];
    ev.extend(pictures(4, 2).into_iter().map(|v| Event::Live(Box::new(v))));
    ev.push(key(KeyCode::Char(':')));
    ev.extend(typed("lag"));
    ev.push(key(KeyCode::Enter));
    let t = run(&mut a, ev);
    let before = common::styled_text(t.backend().buffer());
    let plain = screen(&t);
    assert!(plain.contains("more ·"), "the pane is cut at 80x24:\n{plain}");
    let shown = |s: &str| -> Vec<String> {
        // The partition numbers the pane shows, in order.
        let at = s.find("PARTITION").expect("the pane's header");
        s[at..]
            .lines()
            .skip(1)
            .filter_map(|l| l.trim_start_matches('│').split_whitespace().next())
            .take_while(|w| w.parse::<i32>().is_ok())
            .map(str::to_string)
            .collect()
    };
    let first = shown(&plain);
    assert!(first.len() >= 3 && first.len() < PARTS as usize, "{first:?}\n{plain}");
    // Tab: the pane's border takes the focus style; Down scrolls it, not the table.
    let selected = a.screen().selected;
    let t = run(&mut a, vec![key(KeyCode::Tab), key(KeyCode::Down)]);
    let after = common::styled_text(t.backend().buffer());
    assert_ne!(before, after);
    assert_eq!(a.screen().pane, 1);
    assert_eq!(a.screen().selected, selected, "the table's selection stays");
    let down = shown(&screen(&t));
    assert_eq!(down[0], first[1], "one row down");
    // End: the last rows, nothing more below; Home: back to the top.
    let t = run(&mut a, vec![key(KeyCode::End)]);
    let end = screen(&t);
    assert!(!end[end.find("PARTITION").unwrap()..].contains("more ·"), "{end}");
    assert_eq!(shown(&end).len(), first.len());
    let t = run(&mut a, vec![key(KeyCode::Home)]);
    assert_eq!(shown(&screen(&t)), first);
    insta::assert_snapshot!("lag_pane_focused_80x24", common::styled_text(t.backend().buffer()));
    // The wheel over the pane scrolls it (three rows), whatever has the focus.
    let (area, _) = ktopo::tui::views::lag::partition_pane(&a).unwrap();
    let wheel = Event::Mouse(MouseEvent {
        kind: MouseEventKind::ScrollDown,
        column: 10,
        row: area.y + 3,
        modifiers: KeyModifiers::NONE,
    });
    let t = run(&mut a, vec![key(KeyCode::Tab), wheel]);
    assert_eq!(a.screen().pane, 0);
    // Most behind first: partition 11 (10 × p behind) down to 0.
    assert_eq!(first[0], "11");
    assert_eq!(shown(&screen(&t))[0], "8");
    assert_eq!(a.screen().selected, selected);
    // Tab back: Down moves the table's selection again.
    run(&mut a, vec![key(KeyCode::Down)]);
    assert_eq!(a.screen().selected, selected + 1);
}

#[test]
fn a_declared_group_without_live_data_says_why_and_esc_goes_back() {
    let mut a = app(80, 24, false);
    let mut ev = vec![key(KeyCode::Char('/'))];
    ev.extend(typed(&format!("re:^{TOPIC}$")));
    ev.extend([
        key(KeyCode::Enter),
        key(KeyCode::Enter),
        key(KeyCode::Tab),
        key(KeyCode::Char('c')),
    ]);
    let t = run(&mut a, ev);
    let s = screen(&t);
    // The topic's first consumer, as the registry declares its group.
    assert!(matches!(a.screen().route, Route::Group(_)), "{s}");
    assert!(
        s.contains("_config_events_consumer") && s.contains("no live data: broker offline"),
        "{s}"
    );
    run(&mut a, vec![key(KeyCode::Esc)]);
    assert!(matches!(a.screen().route, Route::Topic(_)));
}

/// The same screen from librdkafka's mock cluster over the real protocol: the sampler's
/// rounds, ktopo's metrics, the trend and the chart.
#[test]
fn the_group_screen_from_the_mock_cluster_plots_every_sample() {
    use ktopo::cluster::kafka::config::Properties;
    use ktopo::cluster::kafka::sampler::{Sampler, Watched};
    use std::time::Duration;
    let (p, bootstrap) = crate::common::mock_cluster(1, &[(TOPIC, PARTS)]);
    let mut props = Properties::default();
    props.set("bootstrap.servers", &bootstrap);
    let watched = vec![Watched {
        group: GROUP.into(),
        topic: TOPIC.into(),
        service: Some("agent_orchestration".into()),
        probe: false,
    }];
    let mut s = Sampler::new(props, watched).unwrap();
    s.timeout = Duration::from_secs(3);
    let mut m = Metrics::new("mock", 1.0);
    let mut pics = Vec::new();
    for round in 1..=5i64 {
        for part in 0..PARTS {
            crate::common::produce(&p, TOPIC, part, (round * 4) as usize);
        }
        // Reads half of what was written so far: the lag grows (a standalone commit,
        // as a fixture: ktopo itself never commits).
        let written: i64 = (1..=round).map(|r| r * 4).sum();
        let offsets: Vec<(&str, i32, i64)> = (0..PARTS).map(|part| (TOPIC, part, written / 2)).collect();
        crate::common::commit(&bootstrap, GROUP, &offsets);
        std::thread::sleep(Duration::from_millis(200));
        let sample = s.sample().unwrap();
        let now = sample.time_s;
        m.absorb(sample);
        pics.push(m.picture(now));
    }
    let last = pics.last().unwrap().groups.iter().find(|g| g.group == GROUP).unwrap();
    assert_eq!(last.trend.len(), 5);
    assert_eq!(last.total_lag, Some(i64::from(PARTS) * 30), "half of 60 per partition");
    let mut a = app(80, 24, false);
    let t = run(&mut a, to_group(pics));
    let s = screen(&t);
    assert_eq!(a.screen().route, Route::Group(GROUP.into()), "{s}");
    assert!(s.contains("lag (messages, 5 points)"), "{s}");
    assert!(plotted(&s) > 5, "{s}");
    assert!(s.contains("partitions (12 on 1 topic)") && s.contains("360"), "{s}");
    drop(p);
}

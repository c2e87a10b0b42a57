//! The TUI rendered into ratatui's TestBackend from the real registry: every view at
//! 80x24 and 120x40, key-driven scenarios, reloads, and the event loop itself.

use crate::common;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ktopo::tui::data::Data;
use ktopo::tui::state::Effect;
use ktopo::tui::state::{App, Event, Popup, Route};
use ktopo::tui::theme::Theme;
use ktopo::tui::{event_loop, Io};
use ratatui::backend::TestBackend;
use ratatui::Terminal;

fn app(w: u16, h: u16) -> App {
    App::new(Data::new(common::main_registry()), w, h, Theme { color: false })
}

fn key(c: char) -> Event {
    Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

fn code(c: KeyCode) -> Event {
    Event::Key(KeyEvent::new(c, KeyModifiers::NONE))
}

fn keys(app: &mut App, s: &str) {
    for c in s.chars() {
        app.update(key(c));
    }
}

fn command(app: &mut App, cmd: &str) {
    app.update(key(':'));
    keys(app, cmd);
    app.update(code(KeyCode::Enter));
}

fn both_sizes(name: &str, setup: impl Fn(&mut App)) {
    for (w, h) in [(80, 24), (120, 40)] {
        let mut a = app(w, h);
        setup(&mut a);
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), common::screen(&a));
    }
}

#[test]
fn view_topics() {
    both_sizes("topics", |_| {});
}

#[test]
fn view_services() {
    both_sizes("services", |a| command(a, "services"));
}

#[test]
fn view_events() {
    both_sizes("events", |a| command(a, "events"));
}

#[test]
fn view_deprecated() {
    both_sizes("deprecated", |a| command(a, "deprecated"));
}

#[test]
fn view_lag_offline() {
    both_sizes("lag_offline", |a| command(a, "lag"));
}

#[test]
fn view_service_detail() {
    both_sizes("service_detail", |a| {
        command(a, "services");
        keys(a, "/orchestration");
        a.update(code(KeyCode::Enter));
        a.update(code(KeyCode::Enter));
    });
}

#[test]
fn view_topic_details() {
    for t in [
        "config_events",
        "crm_events",
        "nda_events",
        "knowledge_events",
        "agent_action_events",
    ] {
        both_sizes(&format!("topic_{t}"), |a| {
            keys(a, &format!("/{t}"));
            a.update(code(KeyCode::Enter));
            a.update(code(KeyCode::Enter));
        });
    }
}

#[test]
fn view_impact() {
    both_sizes("impact", |a| command(a, "impact topic:config_events"));
}

#[test]
fn view_graph() {
    both_sizes("graph", |a| command(a, "graph service:agent_orchestration"));
}

#[test]
fn view_help() {
    both_sizes("help", |a| keys(a, "?"));
}

#[test]
fn too_small_terminal_says_so() {
    let a = app(60, 20);
    let s = common::screen(&a);
    assert!(s.contains("terminal too small: 60x20"), "{s}");
    assert!(s.contains("at least 80x24"));
}

#[test]
fn resize_is_applied() {
    let mut a = app(120, 40);
    a.update(Event::Resize(70, 20));
    assert!(common::screen(&a).contains("terminal too small"));
    a.update(Event::Resize(80, 24));
    assert!(common::screen(&a).contains("topics (29)"));
}

#[test]
fn scenario_filter_drill_consumer_impact_and_back() {
    let mut a = app(120, 40);
    let mut step = 0;
    let mut snap = |a: &App, what: &str| {
        step += 1;
        insta::assert_snapshot!(format!("scenario_config_{step:02}_{what}"), common::screen(a));
    };
    keys(&mut a, "/config");
    snap(&a, "filtered");
    assert_eq!(a.screen().items.len(), 1);
    a.update(code(KeyCode::Enter)); // leave filter input
    a.update(code(KeyCode::Enter)); // open config_events
    snap(&a, "topic");
    a.update(code(KeyCode::Tab)); // consumers pane
    a.update(code(KeyCode::Enter)); // Agent Orchestration (8)
    assert!(matches!(a.screen().route, Route::Service(_)));
    snap(&a, "service");
    keys(&mut a, "i");
    snap(&a, "impact");
    keys(&mut a, "d");
    snap(&a, "impact_upstream");
    for _ in 0..3 {
        a.update(code(KeyCode::Esc));
    }
    assert_eq!(a.screen().route, Route::Topics);
    a.update(code(KeyCode::Esc)); // clears the filter
    snap(&a, "back_at_start");
    assert_eq!(a.screen().items.len(), 29);
}

#[test]
fn scenario_deprecated_to_replacement_and_back() {
    let mut a = app(120, 40);
    command(&mut a, "deprecated");
    insta::assert_snapshot!("scenario_migration_01_list", common::screen(&a));
    keys(&mut a, "m");
    assert_eq!(a.screen().route.title(&a.data), "sales_doc_events");
    insta::assert_snapshot!("scenario_migration_02_replacement", common::screen(&a));
    a.update(code(KeyCode::Enter)); // migration pane: nda_events
    assert_eq!(a.screen().route.title(&a.data), "nda_events");
    insta::assert_snapshot!("scenario_migration_03_deprecated", common::screen(&a));
    keys(&mut a, "m");
    assert_eq!(a.screen().route.title(&a.data), "sales_doc_events");
    // m went back to the screen on the stack: one Esc, not three, returns to the list.
    a.update(code(KeyCode::Esc));
    assert_eq!(a.screen().route, Route::Deprecated);
}

#[test]
fn scenario_walk_three_hops_in_the_graph() {
    let mut a = app(120, 40);
    command(&mut a, "graph topic:rag_events");
    insta::assert_snapshot!("scenario_graph_01_rag_events", common::screen(&a));
    // right column: Agent Orchestration (8) → re-centre
    keys(&mut a, "l");
    a.update(code(KeyCode::Enter));
    assert_eq!(a.screen().route.title(&a.data), "graph service:agent_orchestration");
    insta::assert_snapshot!("scenario_graph_02_agent_orchestration", common::screen(&a));
    // its outputs: conversation_events, cross_product_events
    keys(&mut a, "l");
    a.update(code(KeyCode::Enter));
    assert_eq!(a.screen().route.title(&a.data), "graph topic:conversation_events");
    insta::assert_snapshot!("scenario_graph_03_conversation_events", common::screen(&a));
    keys(&mut a, "lj");
    a.update(code(KeyCode::Enter));
    assert_eq!(a.screen().route.title(&a.data), "graph service:analytics");
    insta::assert_snapshot!("scenario_graph_04_analytics", common::screen(&a));
    a.update(code(KeyCode::Esc));
    assert_eq!(a.screen().route, Route::Topics);
}

#[test]
fn filter_regex_and_match_count() {
    let mut a = app(120, 40);
    keys(&mut a, "/re:^(auth|org)_");
    assert_eq!(a.screen().items.len(), 2);
    assert!(common::screen(&a).contains("/re:^(auth|org)_ → 2 matches"));
    a.update(code(KeyCode::Esc));
    assert_eq!(a.screen().items.len(), 29);
}

#[test]
fn command_completion_and_unknown_command() {
    let mut a = app(120, 40);
    a.update(key(':'));
    keys(&mut a, "dep");
    a.update(code(KeyCode::Tab));
    assert_eq!(a.command_line.text(), "deprecated ");
    a.update(code(KeyCode::Esc));
    command(&mut a, "servces");
    assert_eq!(
        a.message.as_deref(),
        Some("unknown command `servces`: did you mean `:services`?")
    );
    command(&mut a, "impact topic:nope");
    assert!(a
        .message
        .as_deref()
        .unwrap()
        .contains("no service, topic or event is called `nope`"));
}

#[test]
fn mouse_click_selects_and_wheel_scrolls() {
    use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
    let mut a = app(120, 40);
    let m = |kind, row| {
        Event::Mouse(MouseEvent {
            kind,
            column: 10,
            row,
            modifiers: KeyModifiers::NONE,
        })
    };
    a.update(m(MouseEventKind::Down(MouseButton::Left), 7)); // header at 2, first row at 3
    assert_eq!(a.screen().selected, 4);
    a.update(m(MouseEventKind::ScrollDown, 0));
    assert_eq!(a.screen().selected, 7);
}

#[test]
fn reload_broken_then_fixed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("registry.yaml");
    let good = std::fs::read_to_string(common::root().join("registry.yaml")).unwrap();
    std::fs::write(&path, &good).unwrap();
    let mut a = app(120, 40);
    // The sampler is told about every registry that replaces the current one.
    let mut told = Vec::new();
    let mut watch = |fx: Vec<ktopo::tui::state::Effect>| {
        for e in fx {
            if let ktopo::tui::state::Effect::Watch { registry: reg, .. } = e {
                told.push(
                    ktopo::cluster::connect::watched_groups(&reg)
                        .iter()
                        .filter(|w| !w.probe)
                        .count(),
                );
            }
        }
    };
    std::fs::write(
        &path,
        good.replace(
            "consumers: [8, 9, 21]\n    purpose: JSON",
            "consumers: [8, 99, 21]\n    purpose: JSON",
        ),
    )
    .unwrap();
    watch(a.update(Event::Reload(Box::new(ktopo::core::registry::load(&path).unwrap()))));
    let Some(Popup::Diagnostics(lines)) = &a.popup else {
        panic!("no popup")
    };
    assert_eq!(lines.len(), 1);
    assert!(lines[0].contains("registry.yaml:"), "{}", lines[0]);
    assert!(lines[0].contains("unknown service `99`"), "{}", lines[0]);
    insta::assert_snapshot!(
        "reload_broken",
        common::screen(&a).replace(&dir.path().display().to_string(), "TMP")
    );
    assert_eq!(a.data.reg.topics.len(), 29, "the last good registry stays");
    std::fs::write(
        &path,
        good.replace("name: Analytics, domain", "name: Analytics Service, domain"),
    )
    .unwrap();
    watch(a.update(Event::Reload(Box::new(ktopo::core::registry::load(&path).unwrap()))));
    assert_eq!(a.popup, None);
    assert_eq!(a.message.as_deref(), Some("registry reloaded"));
    assert!(a.data.reg.services.iter().any(|s| s.name == "Analytics Service"));
    assert_eq!(told, [58], "told once, after the good reload only");
}

#[test]
fn event_loop_drives_the_real_app() {
    let mut terminal = Terminal::new(TestBackend::new(100, 30)).unwrap();
    let mut a = app(100, 30);
    let mut events = vec![
        key('/'),
        key('c'),
        key('r'),
        key('m'),
        code(KeyCode::Enter),
        key('y'),
        key('r'),
        key('q'),
    ]
    .into_iter();
    let mut copied = Vec::new();
    let mut reloads = 0;
    event_loop(
        &mut terminal,
        &mut a,
        Io {
            next: Box::new(move || events.next()),
            effect: Box::new(|e| match e {
                Effect::Reload => {
                    reloads += 1;
                    let c = ktopo::core::registry::load(&common::root().join("registry.yaml")).unwrap();
                    Some(Event::Reload(Box::new(c)))
                }
                Effect::Copy(t) => {
                    copied.push(t);
                    None
                }
                _ => None,
            }),
        },
    )
    .unwrap();
    assert!(a.quit);
    assert_eq!(copied, ["crm_events"]);
    assert_eq!(reloads, 1);
}

#[test]
fn view_platform_conventions() {
    both_sizes("platform", |a| command(a, "platform"));
}

#[test]
fn platform_page_shows_every_non_topic_fact() {
    let reg = common::load("assets/registries/enterprise-agent-platform.yaml");
    let mut a = App::new(Data::new(reg), 120, 40, Theme { color: false });
    command(&mut a, "conventions");
    let all: String = ktopo::tui::views::platform::lines(&a.data)
        .into_iter()
        .map(|l| l.1 + "\n")
        .collect();
    for fact in [
        "KAFKA_ADVERTISED_LISTENERS=PLAINTEXT://kafka:9092,PLAINTEXT_HOST://localhost:9093",
        "Kafka Connect (Debezium) · CDC Connector",
        "→ Debezium CDC detects change",
        "data flow · Example 3: Compliance Alert",
        "serialization: JSON",
        "_metadata.message_id",
    ] {
        assert!(all.contains(fact), "missing {fact:?} in:\n{all}");
    }
    // j scrolls the page at once; G goes to its end.
    let first = common::screen(&a);
    keys(&mut a, "j");
    assert_ne!(common::screen(&a), first);
    keys(&mut a, "G");
    assert!(common::screen(&a).contains("SIEM integration consumes"));
}

#[test]
fn second_platform_topic_details() {
    for t in ["db.changes.users", "agent.executions", "compliance.alerts"] {
        let reg = common::load("assets/registries/enterprise-agent-platform.yaml");
        let mut a = App::new(Data::new(reg), 120, 40, Theme { color: false });
        keys(&mut a, &format!("/{t}"));
        a.update(code(KeyCode::Enter));
        a.update(code(KeyCode::Enter));
        let s = common::screen(&a);
        insta::assert_snapshot!(format!("enterprise_topic_{t}"), s);
    }
    let reg = common::load("assets/registries/enterprise-agent-platform.yaml");
    let mut a = App::new(Data::new(reg), 120, 40, Theme { color: false });
    command(&mut a, "impact topic:db.changes.users");
    let s = common::screen(&a);
    assert!(s.contains("warehouse-sync") && s.contains("Audit Service"), "{s}");
}

#[test]
fn reload_of_a_vanished_file_keeps_the_registry_and_says_why() {
    let mut a = app(120, 40);
    let gone = common::root().join("tests/fixtures/no-such-registry.yaml");
    a.update(Event::Reload(Box::new(ktopo::tui::reload_registry(&gone))));
    let Some(Popup::Diagnostics(lines)) = &a.popup else {
        panic!("no popup")
    };
    assert!(
        lines[0].contains("error[unreadable]: cannot read") && lines[0].contains("no such file"),
        "{}",
        lines[0]
    );
    assert_eq!(a.data.reg.topics.len(), 29);
}

/// The `/` and `:` prompts edit like a shell line (they used to insert the letters of
/// Ctrl-U, Ctrl-W and Ctrl-A: `/hello worldwuabcaX`), and `:` remembers its lines.
#[test]
fn prompts_edit_like_a_shell_and_remember_commands() {
    let mut a = app(80, 24);
    let ctrl = |c| Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL));
    a.update(key('/'));
    for c in "hello world".chars() {
        a.update(key(c));
    }
    a.update(ctrl('w'));
    a.update(ctrl('a'));
    a.update(key('X'));
    assert_eq!(a.filter_line.text(), "Xhello ");
    assert_eq!(a.screen().filter.text, "Xhello ", "the filter follows every edit");
    assert!(common::screen(&a).lines().last().unwrap().starts_with("/Xhello"));
    a.update(ctrl('u'));
    assert_eq!(a.filter_line.text(), "hello ", "Ctrl-U kills to the start");
    a.update(code(KeyCode::Esc));
    assert_eq!(a.screen().filter.text, "");
    // `:lag`, then `:` and Up gives it back.
    a.update(key(':'));
    for c in "lag".chars() {
        a.update(key(c));
    }
    a.update(code(KeyCode::Enter));
    assert_eq!(a.screen().route, Route::Lag);
    a.update(key(':'));
    a.update(code(KeyCode::Up));
    assert_eq!(a.command_line.text(), "lag");
    a.update(code(KeyCode::Left));
    a.update(code(KeyCode::Left));
    a.update(code(KeyCode::Backspace));
    assert_eq!(a.command_line.text(), "ag");
}

/// Plain `/text` and `/re:` match names; `COLUMN:TEXT` any column of the view.
#[test]
fn filters_match_names_or_the_column_they_name() {
    let mut a = app(120, 40);
    let typed = |a: &mut App, text: &str| {
        a.update(code(KeyCode::Esc));
        a.update(key('/'));
        for c in text.chars() {
            a.update(key(c));
        }
        a.screen().items.len()
    };
    // Names only: the regex runs on the name, not on the domain after it.
    assert_eq!(
        typed(&mut a, "re:_events$"),
        a.data.reg.topics.iter().filter(|t| t.name.ends_with("_events")).count()
    );
    // A column, even while its value is still being typed.
    let deprecated = a
        .data
        .reg
        .topics
        .iter()
        .filter(|t| t.status == ktopo::core::registry::Status::Deprecated)
        .count();
    assert!(deprecated > 0);
    assert_eq!(typed(&mut a, "status:"), a.data.reg.topics.len());
    assert_eq!(typed(&mut a, "status:deprecated"), deprecated);
    assert_eq!(typed(&mut a, "status:re:^dep"), deprecated);
    assert_eq!(typed(&mut a, "nosuchcolumn:x"), 0);
    let presales = a
        .data
        .reg
        .topics
        .iter()
        .filter(|t| t.domain.as_deref() == Some("presales"))
        .count();
    assert_eq!(typed(&mut a, "domain:presales"), presales);
}

/// Going to a screen already on the stack goes back to it (k9s): `:services :topics
/// :services` and `m` pressed again and again never pile up history; `m` works on a
/// topic's own screen whatever its panes select.
#[test]
fn going_to_a_screen_on_the_stack_goes_back_to_it() {
    let mut a = app(80, 24);
    for c in ["services", "topics", "services"] {
        command(&mut a, c);
    }
    assert_eq!(a.stack.len(), 2, "topics › services");
    command(&mut a, "topics");
    assert_eq!(a.stack.len(), 1);
    let nda = a.data.reg.topic_index("nda_events").unwrap();
    let sales = a.data.reg.topic_index("sales_doc_events").unwrap();
    a.push(Route::Topic(nda));
    let depth = a.stack.len();
    // On nda_events (deprecated): m goes to its replacement, m again back.
    a.update(key('m'));
    assert_eq!(a.screen().route, Route::Topic(sales));
    a.update(key('m'));
    a.update(key('m'));
    a.update(key('m'));
    assert!(a.stack.len() <= depth + 1, "{} screens after four m", a.stack.len());
    // On the replacement with its producers pane focused (a service selected), m
    // acts on the topic: it replaces three, so its migration pane gets the focus.
    command(&mut a, "topics");
    a.push(Route::Topic(sales));
    assert!(matches!(
        a.selected_node(),
        Some(ktopo::core::topology::Node::Service(_))
    ));
    a.update(key('m'));
    assert_eq!(a.message, None);
    assert_eq!(a.screen().route, Route::Topic(sales));
    let panes = a.links(&a.screen().route);
    assert_eq!(panes[a.screen().pane].0, "migration");
}

/// `L` on a topic's screen opens `:lag` on that topic's groups.
#[test]
fn lag_from_a_topic_shows_its_groups() {
    let mut a = crate::tui_live::live_app_in(Theme { color: false }, 120, 40, false);
    command(&mut a, "topics");
    let t = a.data.reg.topic_index("voice_events").unwrap();
    a.push(Route::Topic(t));
    a.update(key('L'));
    assert_eq!(a.screen().route, Route::Lag);
    let rows = a.lag_rows();
    let shown: Vec<&str> = a
        .screen()
        .items
        .rows()
        .iter()
        .map(|&i| rows[i].topic.as_str())
        .collect();
    assert!(
        !shown.is_empty() && shown.iter().all(|t| *t == "voice_events"),
        "{shown:?}"
    );
    assert!(rows.len() > shown.len(), "other topics' groups are filtered out");
}

/// Enter on an event opens the event's own view: the topics that carry it, their
/// producers and consumers, an example payload; `i` there is the event's impact.
#[test]
fn an_event_opens_its_own_view() {
    for (w, h) in [(80, 24), (120, 40)] {
        let mut a = app(w, h);
        command(&mut a, "events");
        let at = a
            .data
            .events
            .iter()
            .position(|(e, _)| e == "ticket_created")
            .expect("seed event");
        let row = a.screen().items.rows().iter().position(|&i| i == at).unwrap();
        a.stack.last_mut().unwrap().selected = row;
        a.update(code(KeyCode::Enter));
        assert_eq!(a.screen().route, Route::Event("ticket_created".into()));
        let s = common::screen(&a);
        assert!(s.contains("event ticket_created"), "{s}");
        assert!(s.contains("support_events"), "{s}");
        assert!(s.contains("producers") && s.contains("consumers"), "{s}");
        insta::assert_snapshot!(format!("event_ticket_created_{w}x{h}"), s);
        a.update(key('i'));
        assert!(matches!(
            a.screen().route,
            Route::Impact(ktopo::core::impact::Target::Event(..), _)
        ));
    }
}

/// `:` lists the commands with their aliases and what they do, narrowing as a name is
/// typed (at 80x24 every command fits).
#[test]
fn the_command_prompt_lists_commands_with_descriptions() {
    let mut a = app(80, 24);
    a.update(key(':'));
    let s = common::screen(&a);
    for (name, _, _, what) in ktopo::tui::command::COMMANDS {
        assert!(s.contains(&format!(":{name}")), "{name} missing:\n{s}");
        assert!(s.contains(what), "{what} missing:\n{s}");
    }
    a.update(key('m'));
    let s = common::screen(&a);
    assert!(
        s.contains(":map") && s.contains(":deprecated"),
        "map, and deprecated by its alias migrations:\n{s}"
    );
    assert!(!s.contains(":lag"), "{s}");
    insta::assert_snapshot!("command_list_m_80x24", s);
}

#[test]
fn impact_upstream_paths_read_producer_to_consumer() {
    let mut a = app(160, 40);
    command(&mut a, "impact service:customer_success");
    keys(&mut a, "d2");
    let screen = common::screen(&a);
    assert!(
        screen.contains("Support Engine (14) → support_events → Customer Success Service (13)"),
        "{screen}"
    );
    assert!(
        screen.contains("support_events → Customer Success Service (13)"),
        "{screen}"
    );
    assert!(
        !screen.contains("Customer Success Service (13) → support_events"),
        "{screen}"
    );
}

#[test]
fn impact_depth_keys_limit_hops() {
    let mut a = app(80, 24);
    command(&mut a, "impact service:agent_orchestration");
    let max = |a: &App| {
        a.screen()
            .impact
            .as_ref()
            .unwrap()
            .affected
            .iter()
            .map(|x| x.depth)
            .max()
    };
    let title = |a: &App| common::screen(a).lines().nth(1).unwrap().to_string();
    assert!(title(&a).contains("· all hops ·"), "{}", title(&a));
    keys(&mut a, "1");
    assert_eq!(max(&a), Some(1));
    assert_eq!(a.screen().items.len(), 2, "the topics Agent Orchestration produces");
    assert!(title(&a).contains("· 1 hop ·"), "{}", title(&a));
    keys(&mut a, "3");
    assert_eq!(max(&a), Some(3));
    assert!(title(&a).contains("· ≤3 hops ·"), "{}", title(&a));
    // The direction keeps the depth.
    keys(&mut a, "d");
    assert!(matches!(
        a.screen().route,
        Route::Impact(_, ktopo::core::impact::Dir::Upstream)
    ));
    assert_eq!(max(&a), Some(3));
    assert!(title(&a).contains("upstream · ≤3 hops"), "{}", title(&a));
    keys(&mut a, "0");
    assert_eq!(max(&a), Some(8));
    assert!(title(&a).contains("· all hops ·"), "{}", title(&a));
    // Elsewhere a digit says what it is for and changes nothing.
    a.update(code(KeyCode::Esc));
    keys(&mut a, "2");
    assert_eq!(a.message.as_deref(), Some("1-9 and 0 set the depth of an impact view"));
    assert_eq!(a.screen().route, Route::Topics);
}

#[test]
fn impact_view_shows_owner_and_oncall_of_the_selection() {
    let mut a = App::new(
        Data::new(common::load("tests/fixtures/owners.yaml")),
        80,
        24,
        Theme { color: false },
    );
    command(&mut a, "impact service:shop");
    let bottom = |a: &App| {
        let s = common::screen(a);
        let line = s.lines().find(|l| l.starts_with('└')).unwrap().to_string();
        assert!(line.chars().count() <= 80, "{line}");
        line
    };
    // orders_events, then Audit and Billing at depth 2, then payments_events.
    assert!(
        bottom(&a).contains("orders_events: owner team-storefront · no on-call declared"),
        "{}",
        bottom(&a)
    );
    keys(&mut a, "j");
    assert!(bottom(&a).contains("Audit"), "{}", bottom(&a));
    assert!(bottom(&a).contains("no owner declared"), "{}", bottom(&a));
    keys(&mut a, "j");
    assert!(
        bottom(&a).contains("owner team-payments · on-call pagerduty:payments"),
        "{}",
        bottom(&a)
    );
}

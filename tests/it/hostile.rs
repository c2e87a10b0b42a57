//! Hostile registry text never reaches a terminal raw: control characters in names,
//! purposes and events are made visible in every text output and on screen; JSON stays
//! exact. Output that cannot be written is an error, a closed pipe a quiet end.

use crate::common;
use assert_cmd::Command;
use ktopo::tui::data::Data;
use ktopo::tui::state::{App, Event};
use ktopo::tui::theme::Theme;

fn ktopo(args: &[&str]) -> std::process::Output {
    Command::cargo_bin("ktopo")
        .unwrap()
        .current_dir(common::root())
        .env_remove("KTOPO_REGISTRY")
        .args(args)
        .output()
        .unwrap()
}

/// No control character but newline and tab.
fn clean(out: &[u8]) -> bool {
    String::from_utf8_lossy(out)
        .chars()
        .all(|c| !c.is_control() || c == '\n' || c == '\t')
}

#[test]
fn text_outputs_make_control_characters_visible() {
    let escapes = "tests/fixtures/hostile/escapes.yaml";
    let raw = "tests/fixtures/hostile/raw.yaml";
    for args in [
        vec!["check", "-r", escapes],
        vec!["check", "-r", raw],
        vec!["impact", "service:shop", "-r", escapes],
        vec!["impact", "service:shop", "--both", "-r", escapes],
        vec!["export", "--format", "dot", "-r", escapes],
        vec!["export", "--format", "mermaid", "-r", escapes],
    ] {
        let out = ktopo(&args);
        assert!(
            clean(&out.stdout),
            "{args:?} printed a control character:\n{:?}",
            String::from_utf8_lossy(&out.stdout)
        );
        assert!(
            clean(&out.stderr),
            "{args:?} stderr:\n{:?}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let out = ktopo(&["export", "--format", "dot", "-r", escapes]);
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("Shop \\\\u{1b}]2;pwned"),
        "visible in DOT"
    );
    // JSON stays exact: serde escapes control characters itself.
    let out = ktopo(&["export", "--format", "json", "-r", escapes]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v.to_string().contains("Shop \\u001b]2;pwned\\u0007"), "{v}");
}

#[test]
fn the_screen_never_carries_control_characters() {
    let checked = ktopo::core::registry::load(&common::root().join("tests/fixtures/hostile/escapes.yaml")).unwrap();
    let reg = checked.registry.clone().unwrap();
    let mut app = App::new(Data::new(reg), 120, 40, Theme { color: false });
    for keys in ["", ":topics\n", "\n", ":events\n", ":services\n"] {
        for c in keys.chars() {
            let code = if c == '\n' {
                crossterm::event::KeyCode::Enter
            } else {
                crossterm::event::KeyCode::Char(c)
            };
            app.update(Event::Key(crossterm::event::KeyEvent::new(
                code,
                crossterm::event::KeyModifiers::NONE,
            )));
        }
        let s = common::screen(&app);
        assert!(clean(s.as_bytes()), "after {keys:?}:\n{s:?}");
    }
    let s = common::screen(&app);
    assert!(s.contains("␛"), "the escape is shown as a picture: {s}");
}

#[test]
fn a_full_disk_is_an_error_and_a_closed_pipe_a_quiet_end() {
    for args in [
        vec!["check"],
        vec!["impact", "topic:rag_events"],
        vec!["export", "--format", "json"],
        vec!["schema"],
    ] {
        let full = std::fs::File::create("/dev/full").unwrap();
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_ktopo"))
            .current_dir(common::root())
            .args(&args)
            .stdout(full)
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(5),
            "{args:?} on a full disk: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("No space left"),
            "{args:?}"
        );

        // The reader goes away before anything is written: no panic, exit 0.
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_ktopo"))
            .current_dir(common::root())
            .args(&args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.code().is_some_and(|c| c != 101),
            "{args:?} panicked: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"), "{args:?}");
    }
}

#[test]
fn impact_both_ways_counts_each_node_once_on_cycles() {
    let out = ktopo(&["impact", "service:alpha", "--both", "-r", "tests/fixtures/cycle.yaml"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.starts_with("Impact of service:alpha (both): 1 service, 2 topics"),
        "{text}"
    );
    let out = ktopo(&[
        "impact",
        "service:alpha",
        "--both",
        "--json",
        "-r",
        "tests/fixtures/cycle.yaml",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["distinct"], serde_json::json!({"services": 1, "topics": 2}));
    assert_eq!(
        v["topics"].as_array().unwrap().len(),
        4,
        "each direction still lists its path"
    );
}

#[test]
fn an_empty_broker_list_is_refused() {
    let out = ktopo(&["lag", "-b", ""]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("-b/--brokers is empty"));
}

#[test]
fn intervals_that_overflow_are_refused() {
    for i in ["1e300", "1e19", "inf", "0"] {
        let out = ktopo(&["lag", "--interval", i]);
        assert_eq!(out.status.code(), Some(2), "--interval {i}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("--interval must be between"),
            "{i}"
        );
    }
}

#[test]
fn reads_of_special_files_are_bounded_in_size_and_time() {
    let out = ktopo(&["check", "-r", "/dev/zero"]);
    assert_eq!(out.status.code(), Some(3));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("larger than 32 MB"),
        "{out:?}"
    );
    let out = ktopo(&["lag", "-F", "/dev/zero"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("larger than 1 MB"),
        "{out:?}"
    );
    // A FIFO nobody ever opens for writing reads as empty at once; one whose writer
    // stays silent is given up after a few seconds instead of hanging.
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("registry.fifo");
    assert!(std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let out = ktopo(&["check", "-r", fifo.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(3));
    let mut writer = common::silent_writer(&fifo, 20);
    let out = ktopo(&["check", "-r", fifo.to_str().unwrap()]);
    let _ = writer.kill();
    let _ = writer.wait();
    assert_eq!(out.status.code(), Some(3));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("no data within 5 s"),
        "{out:?}"
    );
}

#[test]
fn property_values_never_appear_in_errors() {
    // `-X key:value` is not kcat's syntax: the error names the key only.
    let out = ktopo(&["lag", "-X", "sasl.password:hunter2"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("`sasl.password` needs a value") && !err.contains("hunter2"),
        "{err}"
    );
    // A misspelt property: librdkafka's complaint must not carry its value.
    let out = ktopo(&["lag", "-b", "127.0.0.1:1", "-X", "sasl.pasword=hunter2"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("sasl.pasword") && !err.contains("hunter2"), "{err}");
}

#[test]
fn properties_files_are_read_the_way_java_reads_them() {
    use ktopo::cluster::kafka::config::parse_properties;
    let text = "# comment\n! also a comment\n  sasl.password:hunter2\nsasl.username = ops\nclient.id  ktopo\\\n    -east\nssl.ca.location=/etc/ca\\u0041.pem\nkey\\=with\\:seps=v\\tx\nempty\n";
    let got = parse_properties(text);
    let want: Vec<(String, String)> = [
        ("sasl.password", "hunter2"),
        ("sasl.username", "ops"),
        ("client.id", "ktopo-east"),
        ("ssl.ca.location", "/etc/caA.pem"),
        ("key=with:seps", "v\tx"),
        ("empty", ""),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    assert_eq!(got, want);
}

#[test]
fn output_files_replace_only_regular_files_and_keep_their_mode() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let reg = dir.path().join("registry.yaml");
    std::fs::copy(common::root().join("registry.yaml"), &reg).unwrap();
    let before = std::fs::read(&reg).unwrap();
    let r = reg.to_str().unwrap();
    // Never over the registry being read, also through a symlink.
    let link = dir.path().join("link.json");
    std::os::unix::fs::symlink(&reg, &link).unwrap();
    for target in [r, link.to_str().unwrap()] {
        let out = ktopo(&["export", "--format", "json", "-r", r, "-o", target]);
        assert_eq!(out.status.code(), Some(5), "{target}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("registry being read"));
    }
    assert_eq!(std::fs::read(&reg).unwrap(), before, "the registry is untouched");
    // A symlink is followed: the link stays, its target gets the content.
    let real = dir.path().join("real.dot");
    std::fs::write(&real, "old").unwrap();
    std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o640)).unwrap();
    let link = dir.path().join("out.dot");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let out = ktopo(&["export", "--format", "dot", "-o", link.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
    assert!(std::fs::read_to_string(&real).unwrap().starts_with("digraph"));
    assert_eq!(
        std::fs::metadata(&real).unwrap().permissions().mode() & 0o777,
        0o640,
        "mode kept"
    );
    // A new file gets the umask's mode (the test runner's umask is 022 or 002), not 0600.
    let new = dir.path().join("new.json");
    assert_eq!(ktopo(&["schema", "-o", new.to_str().unwrap()]).status.code(), Some(0));
    let mode = std::fs::metadata(&new).unwrap().permissions().mode() & 0o777;
    assert!(mode & 0o044 != 0, "readable by others as the umask allows: {mode:o}");
    // A character device is written into, never replaced: /dev/full says the disk is full.
    let out = ktopo(&["export", "--format", "dot", "-o", "/dev/full"]);
    assert_eq!(out.status.code(), Some(5));
    use std::os::unix::fs::FileTypeExt;
    assert!(std::fs::metadata("/dev/full").unwrap().file_type().is_char_device());
    // No temporary file is left behind.
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn values_kafka_would_refuse_fail_check_where_they_are_written() {
    let out = ktopo(&["check", "--json", "-r", "tests/fixtures/hostile/kafka_limits.yaml"]);
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let found: Vec<(String, Option<u64>)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] != "no-consumers")
        .map(|f| (f["code"].as_str().unwrap().to_string(), f["line"].as_u64()))
        .collect();
    let want: Vec<(String, Option<u64>)> = [
        ("invalid-naming-pattern", Some(3)),
        ("self-consumption", Some(13)),
        ("invalid-topic-name", Some(15)),
        ("invalid-topic-name", Some(17)),
        ("invalid-topic-name", Some(19)),
        ("invalid-partitions", Some(21)),
        ("invalid-partitions", None),
        ("invalid-retention", None),
    ]
    .iter()
    .map(|(c, l)| (c.to_string(), *l))
    .collect();
    assert_eq!(found, want, "{v}");
    // A file of comments only is as empty as one of whitespace.
    let out = ktopo(&["check", "-r", "tests/fixtures/hostile/comments_only.yaml"]);
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stdout).contains("error[empty]"));
}

#[test]
fn parser_problems_are_said_in_words_a_user_can_act_on() {
    for (file, code, words) in [
        (
            "duplicate_key.yaml",
            "duplicate-key",
            "the key `services` appears twice",
        ),
        ("nan.yaml", "wrong-type", "`.nan` and `.inf` are not numbers"),
        ("deep.yaml", "too-deep", "nests more than 64 levels"),
        ("too_big_number.yaml", "wrong-type", "from 0 to 4294967295"),
        (
            "top_level_list.yaml",
            "wrong-type",
            "the registry's top level must be object",
        ),
    ] {
        let out = ktopo(&["check", "-r", &format!("tests/fixtures/hostile/{file}")]);
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            text.contains(&format!("error[{code}]")) && text.contains(words),
            "{file}:\n{text}"
        );
        for internal in [
            "DuplicateKeyPolicy",
            "reject_non_finite",
            "budget breached",
            "Depth {",
            "invalid u32",
            "``",
        ] {
            assert!(!text.contains(internal), "{file} shows {internal}:\n{text}");
        }
    }
}

#[test]
fn json_commands_print_json_even_on_a_fatal_error() {
    // 2: a usage error; 3: the registry is unreadable or has errors.
    for (args, code) in [
        (vec!["check", "--json", "-r", "/nonexistent/registry.yaml"], 3),
        (vec!["impact", "--json", "no_such_thing"], 2),
        (
            vec!["export", "--format", "json", "-r", "tests/fixtures/unknown_refs.yaml"],
            3,
        ),
        (vec!["lag", "--json", "--group", "re:("], 2),
        (vec!["drift", "--json", "--offline"], 2),
    ] {
        let out = ktopo(&args);
        assert_eq!(out.status.code(), Some(code), "{args:?}");
        let v: serde_json::Value =
            serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{args:?}: {e}: {:?}", out.stdout));
        assert!(v["error"].as_str().is_some_and(|e| !e.is_empty()), "{args:?}: {v}");
    }
}

/// A chain of `n` services and topics closing into a ring: every impact path is long.
fn ring(n: usize) -> String {
    let mut y = String::from("services:\n");
    for i in 0..n {
        y.push_str(&format!("  - {{ id: {i}, key: s{i}, name: S{i} }}\n"));
    }
    y.push_str("topics:\n");
    for i in 0..n {
        y.push_str(&format!(
            "  - {{ name: t{i}_events, producers: [s{i}], consumers: [s{}] }}\n",
            (i + 1) % n
        ));
    }
    y
}

#[test]
fn work_grows_with_the_answer_not_with_paths_or_pairs() {
    let dir = tempfile::tempdir().unwrap();
    // 10,000-topic ring: impact JSON names each entry's parent instead of its whole
    // path (it was 550 MB; the paths alone are 10,000 x 10,000 steps).
    let ring_path = dir.path().join("ring.yaml");
    std::fs::write(&ring_path, ring(10_000)).unwrap();
    let out = ktopo(&["impact", "s0", "--json", "-r", ring_path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.len() < 8 << 20, "{} bytes", out.stdout.len());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let last = v["services"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["key"], "s9999");
    assert_eq!(last["depth"], 19_998);
    assert_eq!(last["parent"], "topic:t9998_events", "a parent pointer, not a path");
    // Text shows long paths by their ends.
    let out = ktopo(&["impact", "s0", "-r", ring_path.to_str().unwrap()]);
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text
        .lines()
        .find(|l| l.contains("t9998_events") && l.contains("topic"))
        .unwrap();
    assert!(line.len() < 400 && line.contains("more)"), "{line}");
    // Staleness on the ring: one group minutes behind makes all 20,000 nodes stale,
    // 19,999 hops deep at most. JSON names parents, text shows long paths by their
    // ends: whole paths would be 200 million steps.
    let ring_reg = ktopo::core::registry::load(&ring_path).unwrap().registry.unwrap();
    let view = ktopo::core::live::view::LiveView {
        groups: vec![ktopo::core::live::view::GroupTopicLag {
            group: "s1_t0_events".into(),
            topic: "t0_events".into(),
            service: Some("s1".into()),
            total_lag: Some(10),
            time_lag_s: Some(300.0),
            status: ktopo::core::live::view::Health::Stop,
            ..Default::default()
        }],
        ..Default::default()
    };
    let topo = ktopo::core::topology::Topology::build(&ring_reg);
    let st = ktopo::core::stale::propagate(&ring_reg, &topo, &view, 10.0);
    assert_eq!(st.stale.len(), 20_000);
    let json = serde_json::to_string(&ktopo::core::stale::to_json(&ring_reg, &st, None, "ring")).unwrap();
    assert!(json.len() < 16 << 20, "{} bytes", json.len());
    let text = ktopo::core::stale::to_text(&ring_reg, &st, None, "ring");
    let longest = text.lines().map(str::len).max().unwrap();
    assert!(longest < 400, "{longest}");
    assert!(text.contains("more)"));

    // The TUI's impact screen on the ring: the count and the first rows, and a closed
    // screen leaves nothing behind.
    let reg = ktopo::core::registry::load(&ring_path).unwrap().registry.unwrap();
    let mut app = App::new(Data::new(reg), 120, 40, Theme { color: false });
    common::run_command(&mut app, "impact service:s0");
    let s = common::screen(&app);
    assert!(s.contains("9999 services, 10000 topics"), "{s}");
    let depth = app.stack.len();
    common::press(&mut app, crossterm::event::KeyCode::Esc);
    assert_eq!(app.stack.len(), depth - 1, "the impact screen is dropped when closed");
    // The map of the ring: 20,000 boxes, wider than a terminal's u16 coordinates.
    common::run_command(&mut app, "map");
    let s = common::screen(&app);
    assert!(s.contains("map · 10000 services, 10000 topics"), "{s}");

    // 3,000 services subscribing `*` over 300 topics: 900,000 consumer links, each
    // resolved once (it took 133 s and 2 GB).
    let mut y = String::from("services:\n");
    for i in 0..3_000 {
        y.push_str(&format!(
            "  - {{ id: {i}, key: s{i}, name: S{i}, subscriptions: [{{ pattern: '*' }}] }}\n"
        ));
    }
    y.push_str("topics:\n");
    for i in 0..300 {
        y.push_str(&format!("  - {{ name: t{i}_events, producers: [s{i}] }}\n"));
    }
    let checked = ktopo::core::registry::load_str("star.yaml", y);
    let reg = checked.registry.as_ref().unwrap();
    let links: usize = reg.topics.iter().map(|t| t.consumers.len()).sum();
    assert_eq!(links, 900_000);
    assert_eq!(checked.errors(), 0, "{:?}", checked.diagnostics.first());
    // Too many edges to draw: the map says so instead of working for seconds.
    let mut app = App::new(Data::new(checked.registry.unwrap()), 100, 30, Theme { color: false });
    common::run_command(&mut app, "map");
    let s = common::screen(&app);
    assert!(s.contains("The map is not drawn: 900300 edges"), "{s}");
}

#[test]
fn a_map_past_fifty_thousand_edges_is_refused_at_once_not_laid_out_for_seconds() {
    // About 54,000 edges: just under the former cutoff (200,000) a layout took 18 s.
    let dir = tempfile::tempdir().unwrap();
    let reg = dir.path().join("big.yaml");
    std::fs::write(&reg, ktopo::core::synthetic::registry(2_000, 9_000)).unwrap();
    let svg = dir.path().join("map.svg");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_ktopo"))
        .args(["export", "--format", "svg", "-r"])
        .arg(&reg)
        .arg("-o")
        .arg(&svg)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = std::fs::read_to_string(&svg).unwrap();
    assert!(
        text.contains("edges: more than 50000 cannot be drawn legibly"),
        "{text}"
    );
}

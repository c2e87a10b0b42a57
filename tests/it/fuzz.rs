//! Property tests for the parsers that read hostile input: the registry loader (bytes,
//! and YAML-shaped text built from registry keys) and the `.properties` parser. They
//! must never panic, and what the properties parser returns must be what was written.
//! The default run is short; a long run: `PROPTEST_CASES=200000 cargo test --release
//! --test it fuzz::` (the issue note says how long it ran).

use ktopo::cluster::kafka::config::parse_properties;
use proptest::prelude::*;

/// YAML-ish text from the registry's own vocabulary, so the fuzzer reaches past the
/// YAML parser into building and checking.
fn registry_like() -> impl Strategy<Value = String> {
    let words = prop::sample::select(vec![
        "services:",
        "topics:",
        "deprecated_topics:",
        "proposed_topics:",
        "conventions:",
        "- ",
        "  ",
        "name: ",
        "key: ",
        "id: ",
        "producers: ",
        "consumers: ",
        "events: ",
        "replaced_by: ",
        "partitions: ",
        "topic_defaults:",
        "subscriptions:",
        "pattern: ",
        "\"*\"",
        "re:(",
        "{",
        "}",
        "[",
        "]",
        ",",
        "&a ",
        "*a",
        "0",
        "-1",
        "4294967296",
        "1e308",
        ".nan",
        "x_events",
        "svc",
        "\u{1b}]2;t\u{7}",
        "\n",
        ":",
        "'",
        "\"",
        "#",
        "!!str ",
        "~",
        "null",
    ]);
    prop::collection::vec(words, 0..120).prop_map(|w| w.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(256)
    ))]

    #[test]
    fn registry_loader_never_panics_on_text(text in registry_like()) {
        let checked = ktopo::core::registry::load_str("fuzz.yaml", text);
        // Whatever it found renders, and every location lies inside the text.
        let _ = ktopo::core::diag::render(&checked.source, &checked.diagnostics, false);
        for d in &checked.diagnostics {
            if let Some(l) = d.loc {
                prop_assert!(l.offset as usize <= checked.source.text.len());
            }
        }
    }

    #[test]
    fn registry_loader_never_panics_on_bytes(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        let parsed = ktopo::core::registry::load::parse_bytes("fuzz.yaml", bytes);
        let _ = parsed.diagnostics.len();
    }

    #[test]
    fn properties_parser_never_panics(text in "\\PC{0,400}") {
        let _ = parse_properties(&text);
    }

    #[test]
    fn properties_round_trip(pairs in prop::collection::vec(("[a-z][a-z.]{0,20}", "[ -~]{0,30}"), 0..20)) {
        // Written the way Java's Properties.store escapes them.
        let esc = |s: &str, key: bool| {
            let mut o = String::new();
            for (i, c) in s.chars().enumerate() {
                match c {
                    '\\' | '=' | ':' | '#' | '!' => { o.push('\\'); o.push(c) }
                    ' ' if key || i == 0 => o.push_str("\\ "),
                    c => o.push(c),
                }
            }
            o
        };
        let text: String = pairs.iter().map(|(k, v)| format!("{}={}\n", esc(k, true), esc(v, false))).collect();
        let got = parse_properties(&text);
        let want: Vec<(String, String)> = pairs.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
        prop_assert_eq!(got, want);
    }
}

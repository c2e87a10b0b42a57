//! DOT, Mermaid and JSON exports of the bundled registry.

use crate::common;
use ktopo::core::export::{self, Format};
use ktopo::core::topology::Topology;

fn render(f: Format) -> String {
    let reg = common::main_registry();
    export::render(f, &reg, &Topology::build(&reg))
}

#[test]
fn dot_distinguishes_kinds_statuses_and_domains() {
    let dot = render(Format::Dot);
    assert!(dot.starts_with("digraph ktopo {"));
    assert!(dot.contains("\"service:agent_orchestration\" [label=\"Agent Orchestration (8)\", shape=box"));
    assert!(dot.contains("\"topic:config_events\" [label=\"config_events\", shape=ellipse, style=filled"));
    assert!(dot
        .contains("\"topic:nda_events\" [label=\"nda_events\\n(deprecated)\", shape=ellipse, style=\"dashed,filled\""));
    assert!(dot.contains(
        "\"topic:nda_events\" -> \"topic:sales_doc_events\" [style=dashed, color=\"#888888\", label=\"replaced by\"];"
    ));
    assert!(dot.contains("\"topic:knowledge_events\" [label=\"knowledge_events\\n(proposed)\""));
    assert!(dot.contains("\"service:rag_pipeline\" -> \"topic:knowledge_events\" [style=dotted, label=\"candidate\"];"));
    assert_eq!(dot.matches("subgraph \"cluster_").count(), 8);
    // Graphviz decodes entities in labels: `&amp;` shows as `&`.
    assert!(dot.contains("label=\"Foundation &amp; Identity\""));
    // One edge per produce/consume link, replacement and candidate.
    assert_eq!(dot.matches(" -> ").count(), 26 + 58 + 5 + 2);
}

#[test]
fn mermaid_is_a_flowchart_with_classes() {
    let m = render(Format::Mermaid);
    assert!(m.starts_with("flowchart LR\n"));
    // `&` as Mermaid's entity code: labels are HTML.
    assert!(m.contains("  subgraph d0[\"Foundation #amp; Identity\"]"));
    assert!(m.contains("-.->|replaced by|"));
    assert!(m.contains("class t23,t24,t25,t26,t27 deprecated"));
    assert!(m.contains("class t28 proposed"));
    assert_eq!(m.matches(" --> ").count(), 26 + 58);
}

#[test]
fn json_is_the_normalised_model() {
    let v: serde_json::Value = serde_json::from_str(&render(Format::Json)).unwrap();
    assert_eq!(v["ktopo_export"], 1);
    assert_eq!(v["services"].as_array().unwrap().len(), 17);
    let topics = v["topics"].as_array().unwrap();
    assert_eq!(topics.len(), 29);
    let config = topics.iter().find(|t| t["name"] == "config_events").unwrap();
    assert_eq!(config["status"], "active");
    assert_eq!(config["producers"], serde_json::json!([7, 6]));
    assert_eq!(config["consumers"], serde_json::json!([8, 9, 21]));
    assert_eq!(config["events"].as_array().unwrap().len(), 14);
    assert_eq!(config["replaced_by"], serde_json::Value::Null);
    let nda = topics.iter().find(|t| t["name"] == "nda_events").unwrap();
    assert_eq!(nda["status"], "deprecated");
    assert_eq!(nda["replaced_by"], "sales_doc_events");
    let k = topics.iter().find(|t| t["name"] == "knowledge_events").unwrap();
    assert_eq!(k["status"], "proposed");
    // Candidates are candidates: neither producers nor what the services produce.
    assert_eq!(k["producers"], serde_json::json!([]));
    assert_eq!(k["candidate_producers"], serde_json::json!([17, 21]));
    assert_eq!(
        v["conventions"]["consumer_group"],
        "{service_name}_{topic_name}_consumer"
    );
    let copilot = v["services"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == 21)
        .unwrap();
    assert_eq!(copilot["consumes"].as_array().unwrap().len(), 21);
    assert!(!copilot["produces"]
        .as_array()
        .unwrap()
        .contains(&"knowledge_events".into()));
    assert_eq!(
        copilot["candidate_producer_of"],
        serde_json::json!(["knowledge_events"])
    );
}

#[test]
fn pattern_consumers_are_marked_in_exports() {
    let reg = common::load("assets/registries/enterprise-agent-platform.yaml");
    let topo = Topology::build(&reg);
    let dot = export::render(Format::Dot, &reg, &topo);
    assert!(dot.contains("\"topic:db.changes.users\" -> \"service:audit_service\" [style=dashed, label=\"pattern\"];"));
    let v: serde_json::Value = serde_json::from_str(&export::render(Format::Json, &reg, &topo)).unwrap();
    let t = &v["topics"][0];
    assert_eq!(
        t["consumers"],
        serde_json::json!(["analytics_service", "audit_service", "warehouse-sync"])
    );
    assert_eq!(t["consumer_details"][1]["pattern"], "db.changes.*");
}

/// Names, a domain and a platform title that try to leave their label.
fn hostile() -> (ktopo::core::registry::Registry, Topology) {
    let reg = common::load("tests/fixtures/hostile_labels.yaml");
    let topo = Topology::build(&reg);
    (reg, topo)
}

/// What Mermaid shows for a quoted label: its entity codes (`#lt;`, `#35;`) decoded.
fn mermaid_text(label: &str) -> String {
    let re = regex::Regex::new(r"#(\w+);").unwrap();
    re.replace_all(label, |c: &regex::Captures| {
        let code = &c[1];
        let named = match code {
            "lt" => Some('<'),
            "gt" => Some('>'),
            "amp" => Some('&'),
            "quot" => Some('"'),
            _ => None,
        };
        named
            .or_else(|| code.parse().ok().and_then(char::from_u32))
            .map_or_else(|| c[0].to_string(), String::from)
    })
    .into_owned()
}

#[test]
fn mermaid_labels_carry_no_html_directive_or_syntax() {
    let (reg, topo) = hostile();
    let m = export::render(Format::Mermaid, &reg, &topo);
    // Every line is one of the statements the exporter writes: no name can end its
    // label, write a line of its own or turn into Markdown.
    let label = r#""[^"<>&%`\n]*""#;
    let line = regex::Regex::new(&format!(
        r"^(flowchart LR|  subgraph d\d+\[{label}\]|  end|\s+[st]\d+\[{label}\]|\s+t\d+\(\[{label}\]\)|  [st]\d+ (-->|-\.->\|[a-z ]+\|) [st]\d+|  classDef .*|  class [st0-9,]+ \w+)$"
    ))
    .unwrap();
    for l in m.lines() {
        assert!(line.is_match(l), "unexpected Mermaid line: {l:?}\n{m}");
    }
    // `%%` opens a directive (`%%{init: ...}%%`, which can restyle and load CSS) or a
    // comment; Mermaid's own placeholders for entity codes (ﬂ°, ¶ß) could forge one.
    assert!(!m.contains("%%"), "{m}");
    assert!(!m.contains('ﬂ') && !m.contains('¶'), "{m}");
    assert!(
        m.contains(r#"s0["Billing#lt;img src=x onerror=alert(1)#gt; (0)"]"#),
        "{m}"
    );
    // Each label shows its name as written (control and invisible characters visible).
    let labels = regex::Regex::new(r#"\["([^"]*)"\]"#).unwrap();
    let shown: Vec<String> = labels.captures_iter(&m).map(|c| mermaid_text(&c[1])).collect();
    let mut want: Vec<String> = reg
        .services
        .iter()
        .map(|s| s.label())
        .chain(reg.domains.iter().map(|d| d.name.clone()))
        .chain(reg.topics.iter().map(|t| t.name.clone()))
        .map(|s| ktopo::core::visible::one_line(&s).into_owned())
        .collect();
    let mut got = shown.clone();
    want.sort();
    got.sort();
    assert_eq!(got, want);
}

/// What Graphviz shows for a quoted label: entities (`&amp;`) decoded, then escapes
/// (`\\`, `\"`, `\n`).
fn graphviz_text(quoted: &str) -> String {
    let re = regex::Regex::new(r"&(#\d+|[a-zA-Z]+);").unwrap();
    let decoded = re.replace_all(quoted, |c: &regex::Captures| {
        let named = match &c[1] {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            n => n
                .strip_prefix('#')
                .and_then(|d| d.parse().ok())
                .and_then(char::from_u32),
        };
        named.map_or_else(|| c[0].to_string(), String::from)
    });
    let mut out = String::new();
    let mut it = decoded.chars();
    while let Some(c) = it.next() {
        match (c, c == '\\') {
            (_, true) => match it.next() {
                Some('n' | 'l' | 'r') => out.push('\n'),
                Some(c) => out.push(c),
                None => out.push('\\'),
            },
            (c, false) => out.push(c),
        }
    }
    out
}

#[test]
fn dot_labels_show_ampersands_quotes_backslashes_and_newlines_as_written() {
    let (reg, topo) = hostile();
    let dot = export::render(Format::Dot, &reg, &topo);
    // Quoted strings: `\"` and `\\` inside, nothing else escapes the quotes.
    let label = regex::Regex::new(r#"label="((?:[^"\\\n]|\\.)*)""#).unwrap();
    let shown: Vec<String> = label.captures_iter(&dot).map(|c| graphviz_text(&c[1])).collect();
    for want in [
        "Plat \"form\" \\N R&amp;D",
        "<script>alert(1)</script> & #9829; %%{init: {}}%%",
        "Billing<img src=x onerror=alert(1)> (0)",
        // The name's own newline stays on the line, as `\n`.
        "Say \"hi\" \\ R&amp;D\\nline\"] --> x[\" (2)",
        "`**bold**` \\u{202e}evil ﬂ°lt¶ß (3)",
    ] {
        assert!(shown.iter().any(|s| s == want), "{want:?} not among {shown:#?}\n{dot}");
    }
    // One statement a line: a name cannot start one.
    for l in dot.lines() {
        let unescaped_quotes = l.replace("\\\\", "").replace("\\\"", "").matches('"').count();
        assert_eq!(unescaped_quotes % 2, 0, "{l}");
    }
}

/// XML 1.0's characters (`Char`).
fn xml_char(c: char) -> bool {
    matches!(c as u32, 0x9 | 0xA | 0xD | 0x20..=0xD7FF | 0xE000..=0xFFFD | 0x10000..=0x10FFFF)
}

#[test]
fn svg_text_is_valid_xml_escaped_and_fits_its_box() {
    let (mut reg, topo) = hostile();
    reg.services[0].name = "A\u{fffe}\u{ffff}\u{1}\u{202e}b<>&\"'\u{85}\u{b}".into();
    reg.services[1].name = "請求サービス請求サービス請求サービス".into();
    reg.services[3].name = "e\u{301}\u{301}\u{301}'q'\u{200b}x".into();
    let svg = export::render(Format::Svg, &reg, &topo);
    for c in svg.chars() {
        assert!(xml_char(c), "{:?} is not an XML character\n{svg}", c);
        assert!(!ktopo::core::visible::is_invisible(c), "{c:?} reached the SVG\n{svg}");
    }
    let text = regex::Regex::new(r"<(text|title)[^>]*>([^<]*)</(text|title)>").unwrap();
    let entity = regex::Regex::new(r"&(amp|lt|gt|quot|apos);").unwrap();
    let unescape = |s: &str| {
        entity
            .replace_all(s, |e: &regex::Captures| match &e[1] {
                "amp" => "&",
                "lt" => "<",
                "gt" => ">",
                "quot" => "\"",
                _ => "'",
            })
            .into_owned()
    };
    for c in text.captures_iter(&svg) {
        let content = &c[2];
        assert!(!content.contains(['>', '"', '\'', '\n']), "{content:?}");
        assert_eq!(
            content.matches('&').count(),
            entity.find_iter(content).count(),
            "every & starts an entity: {content:?}"
        );
    }
    // Each box: its name's lines, each within the box, together the whole name.
    let geo = ktopo::core::map::svg::geometry(&reg, &ktopo::core::part::Part::All);
    let boxed =
        regex::Regex::new(r"<g><title>[^:]*: ([^<]*)</title><rect [^>]*/>((?:<text[^>]*>[^<]*</text>)+)</g>").unwrap();
    let line = regex::Regex::new(r"<text[^>]*>([^<]*)</text>").unwrap();
    let mut boxes = 0;
    for b in boxed.captures_iter(&svg) {
        boxes += 1;
        let lines: Vec<String> = line.captures_iter(&b[2]).map(|l| unescape(&l[1])).collect();
        for l in &lines {
            let w = unicode_width::UnicodeWidthStr::width(l.as_str());
            assert!(
                w + 2 <= geo.box_w as usize,
                "{l:?} is {w} cells wide, its box has {}",
                geo.box_w
            );
        }
        let name = unescape(&b[1]);
        let joined: String = lines.concat();
        let strip = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
        assert_eq!(strip(&joined), strip(&name), "the box shows its whole name");
    }
    assert_eq!(boxes, reg.services.len() + reg.topics.len());
    assert!(svg.contains("請求サービス請求サービス請求サービス"), "{svg}");
}

#[test]
fn svg_bridges_every_crossing_of_the_map() {
    let reg = common::load("assets/registries/enterprise-agent-platform.yaml");
    let topo = Topology::build(&reg);
    let svg = export::render(Format::Svg, &reg, &topo);
    let all = ktopo::core::part::Part::All;
    let l = ktopo::core::map::layout::layout_part_at(&reg, &topo, &all, ktopo::core::map::svg::geometry(&reg, &all));
    let crossings = ktopo::core::map::route::cells_in(&l.paths, (0, 0, l.width, l.height))
        .into_iter()
        .filter(|(_, (d, _))| d & ktopo::core::map::route::CROSS != 0)
        .count();
    assert!(crossings > 0, "the enterprise map has crossings");
    assert_eq!(svg.matches(r#"<g class="crossing">"#).count(), crossings, "{svg}");
    // One polyline per edge.
    assert_eq!(svg.matches("<polyline").count(), l.edges.len());
}

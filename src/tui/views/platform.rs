//! `:platform`: everything the registry says that is not a service or topic:
//! conventions and defaults, the event envelope, policies, references, messaging
//! facts, infrastructure and data flows. A scrollable page.

use crate::tui::data::Data;
use crate::tui::state::App;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

/// The page as plain (heading?, text) lines; `update` scrolls over the same lines.
pub fn lines(data: &Data) -> Vec<(bool, String)> {
    let reg = &data.reg;
    let p = &reg.platform;
    let c = &reg.conventions;
    let mut out: Vec<(bool, String)> = Vec::new();
    let head = |out: &mut Vec<(bool, String)>, t: &str| {
        if !out.is_empty() {
            out.push((false, String::new()));
        }
        out.push((true, t.to_string()));
    };
    head(&mut out, "platform");
    for (k, v) in [
        ("name", &p.name),
        ("about", &p.description),
        ("source", &p.source),
        ("owner", &p.owner),
        ("updated", &p.last_updated),
        ("reviewed", &p.last_reviewed),
        ("review", &p.review_frequency),
    ] {
        if let Some(v) = v {
            out.push((false, format!("  {k:<10} {v}")));
        }
    }
    for (name, d) in &p.references {
        out.push((
            false,
            format!(
                "  see        {name}{}",
                d.as_ref().map(|d| format!(": {d}")).unwrap_or_default()
            ),
        ));
    }
    for (k, v) in &p.messaging {
        out.push((false, format!("  {k}: {v}")));
    }
    head(&mut out, "conventions");
    for n in &c.topic_naming {
        let ex = if n.examples.is_empty() {
            String::new()
        } else {
            format!(" (e.g. {})", n.examples.join(", "))
        };
        out.push((
            false,
            format!(
                "  topic name {}  {}{ex}",
                n.pattern,
                n.description.clone().unwrap_or_default()
            ),
        ));
    }
    out.push((
        false,
        match c.group_format() {
            Some(f) => format!("  group id   {f}"),
            None => "  group id   unknown: the registry names no convention (only explicit ids are known)".into(),
        },
    ));
    if let Some(e) = &c.consumer_group_example {
        out.push((false, format!("             e.g. {e}")));
    }
    let d = &c.defaults;
    let opt = |v: Option<u32>| v.map_or("—".to_string(), |v| v.to_string());
    out.push((
        false,
        format!(
            "  partitions {} {}",
            opt(d.partitions),
            d.partitions_note.clone().unwrap_or_default()
        ),
    ));
    let repl: Vec<String> = d.replication.iter().map(|(k, v)| format!("{v} {k}")).collect();
    out.push((false, format!("  replication {}", repl.join(", "))));
    out.push((
        false,
        format!(
            "  retention  {} days, {} days for audit topics",
            opt(d.retention_days),
            opt(d.audit_retention_days)
        ),
    ));
    if let Some(comp) = &d.compression {
        out.push((
            false,
            format!(
                "  compression {comp} {}",
                d.compression_note.clone().unwrap_or_default()
            ),
        ));
    }
    if let Some(days) = c.deprecation_period_days {
        out.push((false, format!("  deprecated topics are removed after {days} days")));
    }
    if !c.envelope.is_empty() {
        head(&mut out, "event envelope");
        for f in &c.envelope {
            let desc = f.description.as_ref().map(|d| format!("  {d}")).unwrap_or_default();
            out.push((false, format!("  {:<28} {}{desc}", f.name, f.kind)));
        }
    }
    for pol in &c.policies {
        head(&mut out, &pol.title.to_lowercase());
        out.extend(pol.rules.iter().map(|r| (false, format!("  • {r}"))));
    }
    if !reg.infrastructure.is_empty() {
        head(&mut out, "infrastructure");
        for i in &reg.infrastructure {
            let mut facts = vec![i.kind.clone(), i.version.clone(), i.deployment.clone()];
            facts.push((!i.ports.is_empty()).then(|| format!("ports {}", i.ports.join(", "))));
            facts.push((!i.depends_on.is_empty()).then(|| format!("needs {}", i.depends_on.join(", "))));
            let facts: Vec<String> = facts.into_iter().flatten().collect();
            out.push((false, format!("  {} · {}", i.name, facts.join(" · "))));
            if let Some(pur) = &i.purpose {
                out.push((false, format!("      {pur}")));
            }
            out.extend(i.config.iter().map(|(k, v)| (false, format!("      {k}={v}"))));
        }
    }
    for flow in &reg.data_flows {
        head(&mut out, &format!("data flow · {}", flow.name));
        out.extend(flow.steps.iter().map(|s| (false, format!("  → {s}"))));
    }
    out
}

pub fn render(app: &App, f: &mut Frame, area: Rect) {
    let t = &app.theme;
    let all = lines(&app.data);
    let s = app.screen();
    // The selection is the top line, so j/k scroll at once.
    let visible = area.height.saturating_sub(2) as usize;
    let top = s.selected.min(all.len().saturating_sub(visible));
    let shown: Vec<Line> = all
        .iter()
        .skip(top)
        .take(area.height.saturating_sub(2) as usize)
        .map(|(h, text)| {
            if *h {
                Line::styled(text.clone(), t.header())
            } else {
                Line::from(text.clone())
            }
        })
        .collect();
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(t.border())
        .title(Span::styled(
            " platform, conventions, infrastructure · j/k scroll ",
            t.title(),
        ))
        .title_bottom(Line::from(format!(" {}-{} of {} ", top + 1, top + shown.len(), all.len())).right_aligned());
    f.render_widget(Paragraph::new(shown).block(block), area);
}

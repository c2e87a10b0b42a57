//! The document's application, which its operations make a producer or consumer: named
//! by an `x-ktopo-service` extension (on the root or `info`), else by `info.title`.
//! Also what every document may have that a registry does not hold (servers, security).

use super::channel::{name, text};
use super::model::{key_of, Service};
use super::refs::{Doc, ImportError};

pub fn application(doc: &Doc) -> Result<Service, ImportError> {
    let Some(info) = doc.field(&doc.root, "info")? else {
        return Err(doc.error(
            doc.root.loc,
            "missing-key",
            "the document has no `info`, so its application has no name".into(),
            "add `info: {title: …, version: …}` (AsyncAPI requires it)",
        ));
    };
    let title = match info.get("title") {
        Some(t) => name(doc, t, "`info.title`")?,
        None => {
            return Err(doc.error(
                info.loc,
                "missing-key",
                "`info` has no `title`, so the application has no name".into(),
                "add `title:` (AsyncAPI requires it)",
            ))
        }
    };
    let key = match doc.root.get("x-ktopo-service").or_else(|| info.get("x-ktopo-service")) {
        Some(k) => name(doc, k, "`x-ktopo-service`")?,
        None => key_of(&title),
    };
    Ok(Service {
        key,
        name: title,
        description: text(info.get("description")),
    })
}

/// Top-level parts a registry has no place for, said once each.
pub fn unsupported(doc: &Doc, out: &mut Vec<String>) {
    let words = crate::core::words::count;
    if let Some(s) = doc.root.get("servers") {
        out.push(format!(
            "{}: {} (a registry names no brokers: pass -b to ktopo's live commands)",
            doc.at(s.loc),
            words(s.entries().len(), "server", "servers")
        ));
    }
    if let Some(c) = doc.root.get("components") {
        if let Some(s) = c.get("securitySchemes") {
            out.push(format!(
                "{}: {} (credentials are given with -X/-F, never in a registry)",
                doc.at(s.loc),
                words(s.entries().len(), "security scheme", "security schemes")
            ));
        }
    }
}

/// The document's application and the platform it starts (2.x and 3.0 alike): a ktopo
/// export names each operation's service, so its document is no service itself.
pub fn platform(doc: &Doc) -> Result<(Service, super::model::Platform), ImportError> {
    let app = application(doc)?;
    let extras = super::channel::extension(&doc.root, "x-ktopo-platform");
    let services = if extras.is_some() {
        Vec::new()
    } else {
        vec![app.clone()]
    };
    let mut p = super::model::Platform {
        services,
        extras,
        ..super::model::Platform::default()
    };
    unsupported(doc, &mut p.unsupported);
    Ok((app, p))
}

//! AsyncAPI in and out: `ktopo import asyncapi` reads 2.x and 3.0 documents (YAML or
//! JSON, local `$ref`s) into a registry; `ktopo export --format asyncapi` writes one
//! AsyncAPI 3.0 document for the platform, with `x-ktopo-…` extensions for what the
//! registry knows and AsyncAPI lacks, so import reads it back to the same registry.

pub mod application;
pub mod channel;
pub mod merge;
pub mod model;
pub mod read2;
pub mod read3;
pub mod refs;
pub mod to_registry;
pub mod tree;
pub mod write;

pub use refs::ImportError;
use std::path::Path;

/// The registry YAML made from the documents, and what was not imported.
#[derive(Debug)]
pub struct Imported {
    pub yaml: String,
    pub unsupported: Vec<String>,
    pub platform: model::Platform,
}

/// Read every document and merge them into one registry.
pub fn import(paths: &[&Path]) -> Result<Imported, ImportError> {
    let mut docs = Vec::new();
    for p in paths {
        docs.push(refs::read(p)?);
    }
    import_docs(&docs)
}

/// The same from documents already parsed (tests, text in memory).
pub fn import_docs(docs: &[refs::Doc]) -> Result<Imported, ImportError> {
    let mut parts = Vec::new();
    for doc in docs {
        let mut p = read(doc)?;
        p.files.push(doc.source.path.clone());
        parts.push(p);
    }
    let platform = merge::merge(parts);
    Ok(Imported {
        yaml: to_registry::render(&platform),
        unsupported: to_registry::unsupported(&platform),
        platform,
    })
}

/// One document, by its `asyncapi:` version.
fn read(doc: &refs::Doc) -> Result<model::Platform, ImportError> {
    let Some(v) = doc.root.get("asyncapi") else {
        return Err(doc.error(
            doc.root.loc,
            "not-asyncapi",
            "the document has no `asyncapi:` version at its top".into(),
            "pass an AsyncAPI 2.x or 3.0 document (it starts with `asyncapi: 3.0.0`)",
        ));
    };
    let version = v.text().unwrap_or_default();
    let major = version.split('.').next().unwrap_or("");
    match major {
        "2" => read2::read(doc),
        "3" => read3::read(doc),
        _ => Err(doc.error(
            v.loc,
            "wrong-version",
            format!(
                "AsyncAPI `{}` is not a version ktopo reads",
                crate::core::visible::one_line(&version)
            ),
            "ktopo reads AsyncAPI 2.x (2.0 to 2.6) and 3.x; convert older documents with `asyncapi convert`",
        )),
    }
}

//! `ktopo import asyncapi FILE… [-o FILE]`: a registry from AsyncAPI documents,
//! checked before it is written (it must load without errors).

use super::args::ImportFrom;
use super::common::{emit, fatal};
use crate::core::{asyncapi, diag, exit, registry, visible, words};
use std::io::IsTerminal;
use std::path::Path;

pub(super) fn import_cmd(from: &ImportFrom) -> i32 {
    let ImportFrom::Asyncapi { files, output } = from;
    let paths: Vec<&Path> = files.iter().map(|p| p.as_path()).collect();
    if let Some(out) = output {
        if let Some(same) = paths.iter().find(|p| same_file(p, out)) {
            fatal(&format!(
                "{} is one of the documents being read; write the registry somewhere else",
                same.display()
            ));
            return exit::USAGE;
        }
    }
    let imported = match asyncapi::import(&paths) {
        Ok(i) => i,
        Err(e) => {
            eprint!("{}", e.render(std::io::stderr().is_terminal()));
            fatal(&format!("{}: not imported", e.source.path));
            return exit::REGISTRY;
        }
    };
    for u in &imported.unsupported {
        eprintln!("not imported: {}", visible::one_line(u));
    }
    // What ktopo writes, ktopo must read: never hand over a registry `check` rejects.
    let shown = output
        .as_ref()
        .map_or_else(|| "the imported registry".to_string(), |p| p.display().to_string());
    let checked = registry::load_str(&shown, imported.yaml.clone());
    let errors: Vec<_> = checked.diagnostics.iter().filter(|d| d.is_error()).cloned().collect();
    if !errors.is_empty() {
        eprint!(
            "{}",
            diag::render(&checked.source, &errors, std::io::stderr().is_terminal())
        );
        fatal(&format!(
            "the registry made from these documents has {}; nothing written",
            words::count(errors.len(), "error", "errors")
        ));
        return exit::REGISTRY;
    }
    if let Some(reg) = checked.registry.as_ref() {
        // Connectors are nodes among the services: counted apart, as `check` does.
        let connectors = reg.services.iter().filter(|s| s.connector.is_some()).count();
        let also = match connectors {
            0 => String::new(),
            n => format!(", {}", words::count(n, "connector", "connectors")),
        };
        eprintln!(
            "imported {}{also} and {} from {}",
            words::count(reg.services.len() - connectors, "service", "services"),
            words::count(reg.topics.len(), "topic", "topics"),
            words::count(paths.len(), "document", "documents")
        );
    }
    emit(output.as_deref(), &imported.yaml, None)
}

fn same_file(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(x), Ok(y)) => x.dev() == y.dev() && x.ino() == y.ino(),
        _ => false,
    }
}

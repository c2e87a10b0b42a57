//! Where the contexts file is: `KTOPO_CONFIG`, else `$XDG_CONFIG_HOME/ktopo/config.yaml`,
//! else `~/.config/ktopo/config.yaml`, on every OS (one place to document, and the
//! place k9s and rpk users already look).

use std::path::PathBuf;

/// The file, and whether the user named it (`KTOPO_CONFIG`: then it must exist).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub path: PathBuf,
    pub named: bool,
}

/// From the environment `get` reads; None when there is no home to look in.
pub fn config_path(get: impl Fn(&str) -> Option<String>) -> Option<Location> {
    let set = |k: &str| get(k).filter(|v| !v.is_empty());
    if let Some(p) = set("KTOPO_CONFIG") {
        return Some(Location {
            path: PathBuf::from(p),
            named: true,
        });
    }
    // The XDG spec ignores a relative XDG_CONFIG_HOME.
    let base = match set("XDG_CONFIG_HOME").map(PathBuf::from).filter(|p| p.is_absolute()) {
        Some(x) => x,
        None => PathBuf::from(set("HOME")?).join(".config"),
    };
    Some(Location {
        path: base.join("ktopo").join("config.yaml"),
        named: false,
    })
}

/// The process environment's location.
pub fn from_env() -> Option<Location> {
    config_path(|k| std::env::var(k).ok())
}

/// A warning when others than the owner can read the file: it may name secret files
/// or hold credentials someone wrote in by mistake.
pub fn permission_warning(path: &std::path::Path) -> Option<String> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path).ok()?.permissions().mode() & 0o777;
    (mode & 0o044 != 0).then(|| {
        format!(
            "{} is readable by {} (mode {mode:03o}); it names where secrets are: run `chmod 600 {}`",
            crate::core::visible::escape(&path.display().to_string()),
            match (mode & 0o040 != 0, mode & 0o004 != 0) {
                (true, true) => "group and others",
                (true, false) => "its group",
                _ => "others",
            },
            crate::core::visible::escape(&path.display().to_string()),
        )
    })
}

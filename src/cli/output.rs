//! Writing output files: atomically (a temporary file in the same directory, then a
//! rename) over regular files, so a reader never sees a half-written file and a failure
//! leaves none; directly into devices and FIFOs, which must never be replaced; through
//! symlinks to their targets; with the existing file's mode, or the umask's for a new one.

use std::io::Write;
use std::os::unix::fs::{MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// Write `contents` to `path`. `protect` names a file that must not be overwritten
/// (the registry being read).
pub fn write_atomic(path: &Path, contents: &[u8], protect: Option<&Path>) -> std::io::Result<()> {
    let target = resolve(path);
    let existing = std::fs::metadata(&target).ok();
    if let (Some(m), Some(p)) = (&existing, protect.and_then(|p| std::fs::metadata(p).ok())) {
        if m.dev() == p.dev() && m.ino() == p.ino() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::AlreadyExists,
                "that is the registry being read; write the output somewhere else",
            ));
        }
    }
    match &existing {
        // A device or FIFO (`-o /dev/stdout`, a named pipe): write into it, never replace it.
        Some(m) if !m.is_file() => {
            let mut f = std::fs::OpenOptions::new().write(true).open(&target)?;
            f.write_all(contents)?;
            f.flush()
        }
        _ => replace(&target, contents, existing.map(|m| m.permissions())),
    }
}

/// Follow a symlink to the file it names (even one that does not exist yet).
fn resolve(path: &Path) -> PathBuf {
    let mut p = path.to_path_buf();
    for _ in 0..40 {
        match std::fs::read_link(&p) {
            Ok(to) => {
                p = if to.is_absolute() {
                    to
                } else {
                    p.parent().unwrap_or(Path::new(".")).join(to)
                }
            }
            Err(_) => return p,
        }
    }
    p
}

fn replace(target: &Path, contents: &[u8], mode: Option<std::fs::Permissions>) -> std::io::Result<()> {
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.ktopo-{}.tmp", std::process::id()));
    // Created like any new file (0666 less the umask); an existing file's mode is kept.
    let written = (|| {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o666)
            .open(&tmp)?;
        f.write_all(contents)?;
        if let Some(m) = &mode {
            f.set_permissions(std::fs::Permissions::from_mode(m.mode()))?;
        }
        f.sync_all()?;
        std::fs::rename(&tmp, target)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

/// Write to standard output. A closed pipe (`| head`) ends quietly with status 0, like
/// other Unix tools; any other failure (a full disk) is reported and gives
/// `exit::OUTPUT`, so output is never lost silently.
pub fn stdout(text: &str) -> i32 {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Ok(()) => 0,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => 0,
        Err(e) => {
            eprintln!("error: cannot write to standard output: {e}");
            crate::core::exit::OUTPUT
        }
    }
}

//! `ktopo diff OLD NEW`: each side a registry file or `REV:PATH` read from git, both
//! loaded and checked like any registry, compared by `core::diff`.

use super::args::{DiffArgs, DiffFormat};
use super::common::{fatal, refuse, sample_view};
use crate::cluster::connect::ConnArgs;
use crate::core::diff::{self, Named};
use crate::core::exit;
use crate::core::registry::{self, load::MAX_BYTES, Checked};
use std::io::{IsTerminal, Read};
use std::path::Path;
use std::process::{Command, Stdio};

pub(super) fn diff_cmd(a: &DiffArgs, conn: &ConnArgs) -> i32 {
    let old = match side(&a.old, "OLD") {
        Ok(s) => s,
        Err(code) => return code,
    };
    let new = match side(&a.new, "NEW") {
        Ok(s) => s,
        Err(code) => return code,
    };
    let (Some(o), Some(n)) = (old.0.usable(), new.0.usable()) else {
        return exit::REGISTRY;
    };
    let today = crate::core::time::now_ms().div_euclid(86_400_000);
    let mut report = diff::diff(o, n, old.1, new.1, today);
    if a.live {
        let (view, _) = match sample_view(conn, o, "diff --live", a.samples, false) {
            Ok(v) => v,
            Err(code) => return code,
        };
        diff::live::add(&mut report, o, n, &view);
    }
    // Every value from the files is escaped by the renderers (JSON by serde).
    let out = match a.format {
        DiffFormat::Text => diff::text::render(&report, std::io::stdout().is_terminal()),
        DiffFormat::Markdown => diff::markdown::render(&report),
        DiffFormat::Github => diff::github::render(&report),
        DiffFormat::Json => diff::json::render(&report),
    };
    let code = crate::cli::output::stdout(&out);
    if code != 0 {
        return code;
    }
    if report.trips(a.fail_on) {
        exit::TRIPPED
    } else {
        exit::OK
    }
}

/// One side, loaded and checked; the exit status after saying which side and why.
fn side(arg: &str, which: &str) -> Result<(Checked, Named), i32> {
    let shown = crate::core::visible::one_line(arg).into_owned();
    let git = (!Path::new(arg).exists()).then(|| arg.split_once(':')).flatten();
    let (checked, file) = match git {
        Some((rev, path)) => {
            let text = git_show(rev, path).map_err(|why| {
                fatal(&format!("the {which} side `{shown}` cannot be read from git: {why}"));
                exit::REGISTRY
            })?;
            let file = path.trim_start_matches("./").to_string();
            (registry::load_str(arg, text), file)
        }
        None if !Path::new(arg).exists() => {
            fatal(&format!(
                "the {which} side `{shown}`: no such file (a registry in git is written REV:PATH, e.g. main:registry.yaml)"
            ));
            return Err(exit::REGISTRY);
        }
        None => {
            let checked = registry::load(Path::new(arg)).map_err(|e| {
                fatal(&format!("the {which} side: {e}"));
                exit::REGISTRY
            })?;
            (checked, arg.to_string())
        }
    };
    if checked.usable().is_none() {
        eprintln!("error: the {which} side `{shown}` is not a usable registry:");
        return Err(refuse(&checked));
    }
    Ok((checked, Named { shown, file }))
}

/// `git show REV:PATH`, its output read up to the registry size limit.
fn git_show(rev: &str, path: &str) -> Result<String, String> {
    if rev.is_empty() || rev.starts_with('-') {
        return Err(format!(
            "`{rev}` is not a revision (write REV:PATH, e.g. main:registry.yaml)"
        ));
    }
    let mut child = Command::new("git")
        .args(["--no-pager", "show", "--no-textconv", &format!("{rev}:{path}")])
        // Local objects only: a partial clone would otherwise fetch a missing blob
        // over the network, or ask for credentials on the terminal.
        .env("GIT_NO_LAZY_FETCH", "1")
        .env("GIT_TERMINAL_PROMPT", "0")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run git ({e}); install git or pass a file"))?;
    let mut stderr = child.stderr.take().expect("piped");
    // Read on a thread of its own: a full stderr pipe would block git, and then us.
    let errors = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = (&mut stderr).take(64 * 1024).read_to_end(&mut buf);
        String::from_utf8_lossy(&buf).trim().to_string()
    });
    let mut out = Vec::new();
    let read = child
        .stdout
        .take()
        .expect("piped")
        .take(MAX_BYTES as u64 + 1)
        .read_to_end(&mut out);
    if out.len() > MAX_BYTES {
        let _ = child.kill();
        let _ = child.wait();
        return Err(format!(
            "it is larger than {} MB, the most ktopo reads",
            MAX_BYTES / (1024 * 1024)
        ));
    }
    let status = child.wait().map_err(|e| e.to_string())?;
    let errors = errors.join().unwrap_or_default();
    read.map_err(|e| e.to_string())?;
    if !status.success() {
        let first = errors.lines().next().unwrap_or("git failed").to_string();
        return Err(first);
    }
    String::from_utf8(out).map_err(|_| "the file is not UTF-8 text".to_string())
}

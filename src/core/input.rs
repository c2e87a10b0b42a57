//! Reading user input (registries, `-F` properties files) with bounds, whatever the path
//! names: a size cap (`/dev/zero` or a 200 MB pipe is refused, not read whole) and a time
//! limit (a FIFO without a writer must not hang ktopo).

use std::io::{Error, ErrorKind, Read};
use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
use std::path::Path;
use std::time::{Duration, Instant};

/// How long a pipe may stay silent before ktopo gives up on it.
pub const PIPE_WAIT: Duration = Duration::from_secs(5);

/// The whole content of `path`, at most `cap` bytes (more is `FileTooLarge`).
pub fn read_bounded(path: &Path, cap: usize) -> std::io::Result<Vec<u8>> {
    let meta = std::fs::metadata(path)?;
    let ft = meta.file_type();
    if ft.is_dir() {
        return Err(Error::new(ErrorKind::IsADirectory, "it is a directory"));
    }
    let special = ft.is_fifo() || ft.is_char_device() || ft.is_socket() || ft.is_block_device();
    let mut opts = std::fs::OpenOptions::new();
    opts.read(true);
    if special {
        // Opening a FIFO blocks until a writer appears; non-blocking it returns at once.
        opts.custom_flags(libc::O_NONBLOCK);
    }
    let mut file = opts.open(path)?;
    let mut out = Vec::new();
    let mut chunk = vec![0u8; 64 * 1024];
    let started = Instant::now();
    loop {
        match file.read(&mut chunk) {
            Ok(0) => return Ok(out),
            Ok(n) => {
                if out.len() + n > cap {
                    return Err(Error::new(
                        ErrorKind::FileTooLarge,
                        format!("it is larger than {} MB", cap / (1024 * 1024)),
                    ));
                }
                out.extend_from_slice(&chunk[..n]);
            }
            Err(e) if e.kind() == ErrorKind::WouldBlock => {
                if started.elapsed() > PIPE_WAIT {
                    return Err(Error::new(
                        ErrorKind::TimedOut,
                        format!("no data within {} s (a pipe nobody writes to?)", PIPE_WAIT.as_secs()),
                    ));
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

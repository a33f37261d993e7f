//! Converters run in a child process, so that one bad file costs only itself.
//!
//! PDF, Word and HTML files are parsed by libraries that a hostile file can
//! drive into endless recursion (a form that draws itself), endless loops
//! (a page that is its own parent) or gigabytes of memory (a stream deflated
//! twice); `--pre` runs any program at all. In this process any of these
//! would abort or stall the whole batch. In a child it is bounded: a
//! wall-clock limit, an address-space limit and a cap on the text it may
//! return. A child that dies or overruns means its file is skipped.
//!
//! The child for PDF, Word and HTML is the running binary in a hidden mode
//! ([`serve`]): the file's bytes on its stdin, the text on its stdout.

use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

pub use crate::error::ConvertError;
use crate::read::published::{self, Kind};

/// What one conversion may take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Wall-clock time per file.
    pub timeout: Duration,
    /// Address space of the child in bytes (`None`: unlimited). Unix only.
    pub memory: Option<u64>,
    /// Bytes of text the child may return.
    pub text: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            timeout: Duration::from_secs(60),
            memory: Some(4 << 30),
            text: 256 << 20,
        }
    }
}

/// The exit code with which [`serve`] says the file has no text (the reason on stderr).
const REFUSED: u8 = 3;

/// How PDF, Word and HTML files are converted, and the limits of every child.
#[derive(Debug, Clone, Default)]
pub struct Converter {
    /// The shuliang binary to run in its hidden `convert` mode; `None`
    /// converts in this process, without limits (for library use and tests).
    pub exe: Option<PathBuf>,
    /// Arguments before `convert KIND` (the Python binding runs its
    /// interpreter with a line of code that serves the conversion).
    pub args: Vec<std::ffi::OsString>,
    /// The bounds of each child, `--pre` converters included.
    pub limits: Limits,
}

impl Converter {
    /// The text of a PDF, Word or HTML file whose bytes `source` gives.
    pub fn published(
        &self,
        kind: Kind,
        source: impl Read + Send + 'static,
    ) -> Result<String, ConvertError> {
        let Some(exe) = &self.exe else {
            let bytes = read_capped(source).map_err(|e| ConvertError::Refused(e.to_string()))?;
            return published::to_text(kind, &bytes)
                .map_err(|e| ConvertError::Refused(e.to_string()));
        };
        let mut cmd = Command::new(exe);
        cmd.args(&self.args)
            .arg("convert")
            .arg(kind.name())
            .env("RUST_BACKTRACE", "0");
        match run(cmd, Some(Box::new(source)), &self.limits) {
            Err(ConvertError::Exited { status, stderr })
                if status.code() == Some(i32::from(REFUSED)) =>
            {
                Err(ConvertError::Refused(stderr))
            }
            Err(e) => Err(e),
            Ok(text) => String::from_utf8(text)
                .map_err(|_| ConvertError::Refused("the converter's text is not UTF-8".into())),
        }
    }

    /// The output of the `--pre` command `cmd` on `path`: `{}` in `cmd` is
    /// the path, passed to `sh` as an argument and never spliced into the
    /// command line (so it must not be quoted); without `{}` the path is
    /// appended. A path that starts with `-` is passed as `./-…`, so that the
    /// converter cannot take it for an option.
    pub fn pre(&self, cmd: &str, path: &Path) -> Result<Vec<u8>, ConvertError> {
        let script = if cmd.contains("{}") {
            cmd.replace("{}", "\"$1\"")
        } else {
            format!("{cmd} \"$1\"")
        };
        let path = if path.as_os_str().as_encoded_bytes().starts_with(b"-") {
            Path::new(".").join(path)
        } else {
            path.to_path_buf()
        };
        let mut sh = Command::new("sh");
        sh.arg("-c").arg(script).arg("sh").arg(path);
        run(sh, None, &self.limits)
    }
}

/// Reads a published file whole, refusing one larger than [`published::PUBLISHED_LIMIT`]:
/// they are parsed whole, so the cap bounds memory.
fn read_capped(source: impl Read) -> Result<Vec<u8>, published::PublishedError> {
    let limit = published::PUBLISHED_LIMIT;
    let mut bytes = Vec::new();
    source
        .take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| published::PublishedError::Corrupt(e.to_string()))?;
    if bytes.len() as u64 > limit {
        return Err(published::PublishedError::TooLarge { limit });
    }
    Ok(bytes)
}

/// The child's side (`shuliang convert KIND`): the file on stdin, its text
/// on stdout; returns the exit code, [`REFUSED`] with the reason on stderr
/// when the file has no text.
pub fn serve(kind: &str) -> u8 {
    let kind = Kind::named(kind).unwrap_or(Kind::Text);
    let text = read_capped(io::stdin().lock()).and_then(|bytes| published::to_text(kind, &bytes));
    match text {
        Ok(text) => match io::stdout().lock().write_all(text.as_bytes()) {
            Ok(()) => 0,
            Err(e) => {
                eprintln!("{e}");
                REFUSED
            }
        },
        Err(e) => {
            eprintln!("{e}");
            REFUSED
        }
    }
}

/// Bytes of a child's stderr kept for the warning.
const STDERR_KEPT: u64 = 64 << 10;

/// Runs `cmd` within `limits`, `input` on its stdin, and returns its stdout.
/// The child and everything it starts form one process group, killed as a
/// whole when it overruns and when it is done (a stray grandchild would
/// otherwise hold the pipes open).
fn run(
    mut cmd: Command,
    input: Option<Box<dyn Read + Send>>,
    limits: &Limits,
) -> Result<Vec<u8>, ConvertError> {
    cmd.stdin(if input.is_some() {
        Stdio::piped()
    } else {
        Stdio::null()
    })
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    confine(&mut cmd, limits);
    let mut child = cmd.spawn().map_err(ConvertError::Spawn)?;
    let _interrupt = crate::interrupt::Group::new(child.id());
    if let (Some(mut input), Some(mut stdin)) = (input, child.stdin.take()) {
        // A child that stops reading (it died, or needs no more) ends the copy.
        std::thread::spawn(move || io::copy(&mut input, &mut stdin));
    }
    let overflow = Arc::new(AtomicBool::new(false));
    let stdout = child.stdout.take().expect("piped stdout");
    let cap = limits.text;
    let flag = overflow.clone();
    let out = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = stdout.take(cap + 1).read_to_end(&mut buf);
        if buf.len() as u64 > cap {
            flag.store(true, Ordering::Relaxed);
        }
        buf
    });
    let stderr = child.stderr.take().expect("piped stderr");
    let err = std::thread::spawn(move || {
        let mut stderr = stderr;
        let mut buf = Vec::new();
        let _ = (&mut stderr).take(STDERR_KEPT).read_to_end(&mut buf);
        let _ = io::copy(&mut stderr, &mut io::sink());
        buf
    });
    let deadline = Instant::now() + limits.timeout;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if !overflow.load(Ordering::Relaxed) && Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(10));
            }
            _ => break None,
        }
    };
    kill(&mut child);
    let _ = child.wait();
    let text = out.join().unwrap_or_default();
    let stderr = err.join().unwrap_or_default();
    if overflow.load(Ordering::Relaxed) {
        return Err(ConvertError::TooMuchText(cap));
    }
    let Some(status) = status else {
        return Err(ConvertError::TimedOut(limits.timeout.as_secs()));
    };
    if !status.success() {
        return Err(ConvertError::Exited {
            status,
            stderr: last_line(&stderr),
        });
    }
    Ok(text)
}

/// The last line of a child's stderr that says something, at most 300
/// characters (Rust's `note: run with RUST_BACKTRACE…` does not).
fn last_line(stderr: &[u8]) -> String {
    let text = String::from_utf8_lossy(stderr);
    let line = text
        .lines()
        .rev()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with("note: "));
    line.unwrap_or("").chars().take(300).collect()
}

/// Puts the child in its own process group, limits its address space, and
/// (on Linux) has it killed when the thread that waits on it dies: a
/// signal that ends shuliang between the spawn and the registration of the
/// group with [`crate::interrupt`] must not leave the converter running.
#[cfg(unix)]
fn confine(cmd: &mut Command, limits: &Limits) {
    use std::os::unix::process::CommandExt;
    cmd.process_group(0);
    let max = limits.memory.map(|bytes| bytes as libc::rlim_t);
    // SAFETY: between fork and exec only setrlimit and prctl, which are
    // async-signal-safe, are called.
    unsafe {
        cmd.pre_exec(move || {
            #[cfg(target_os = "linux")]
            if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) != 0 {
                return Err(io::Error::last_os_error());
            }
            if let Some(max) = max {
                let limit = libc::rlimit {
                    rlim_cur: max,
                    rlim_max: max,
                };
                if libc::setrlimit(libc::RLIMIT_AS, &limit) != 0 {
                    return Err(io::Error::last_os_error());
                }
            }
            Ok(())
        });
    }
}

#[cfg(not(unix))]
fn confine(_: &mut Command, _: &Limits) {}

/// Kills the child's whole process group.
fn kill(child: &mut Child) {
    #[cfg(unix)]
    // SAFETY: kill(2) with a negative pid signals the group the child leads.
    unsafe {
        libc::kill(-(child.id() as libc::pid_t), libc::SIGKILL);
    }
    let _ = child.kill();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(secs: u64, text: u64) -> Limits {
        Limits {
            timeout: Duration::from_secs(secs),
            memory: None,
            text,
        }
    }

    fn sh(script: &str) -> Command {
        let mut c = Command::new("sh");
        c.arg("-c").arg(script);
        c
    }

    #[test]
    fn children_are_bounded_in_time_and_output() {
        let got = run(sh("echo 增长3%"), None, &limits(5, 100)).unwrap();
        assert_eq!(got, "增长3%\n".as_bytes());
        let e = run(sh("sleep 30"), None, &limits(1, 100)).unwrap_err();
        assert!(matches!(e, ConvertError::TimedOut(1)), "{e}");
        let e = run(sh("yes"), None, &limits(30, 1000)).unwrap_err();
        assert!(matches!(e, ConvertError::TooMuchText(1000)), "{e}");
        // A grandchild left running does not hold the batch up.
        let got = run(sh("sleep 30 & echo ok"), None, &limits(30, 100)).unwrap();
        assert_eq!(got, b"ok\n");
        let e = run(sh("echo why >&2; exit 4"), None, &limits(5, 100)).unwrap_err();
        assert!(e.to_string().ends_with(": why"), "{e}");
    }

    #[test]
    fn pre_paths_that_look_like_options_are_made_relative() {
        let c = Converter::default();
        assert_eq!(c.pre("echo", Path::new("-n")).unwrap(), b"./-n\n");
        assert_eq!(c.pre("printf %s {}", Path::new("a b")).unwrap(), b"a b");
    }
}

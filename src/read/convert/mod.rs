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
use std::process::{Command, Stdio};
use std::time::Duration;

use wait_timeout::ChildExt;

use private::Private;

mod private;

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

    /// The output of the `--pre` command `cmd` on `path`. The command
    /// never sees the file's own name, which could be read as shell syntax
    /// or options: it gets a path of our own making, a private temporary
    /// folder holding a link to the file (or a copy) named `input.EXT`.
    /// `{}` in `cmd` stands for that path, quoted or not; without `{}` the
    /// path is appended.
    pub fn pre(&self, cmd: &str, path: &Path) -> Result<Vec<u8>, ConvertError> {
        let private = Private::new(path).map_err(ConvertError::Private)?;
        let at = private.path();
        // Our path is spliced in as it is when no shell would read anything
        // into it (quoted or not), else handed over as "$1".
        let plain = at
            .to_str()
            .filter(|p| {
                p.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"/._-+".contains(&b))
            })
            .map_or_else(|| "\"$1\"".to_string(), str::to_string);
        let script = if cmd.contains("{}") {
            cmd.replace("{}", &plain)
        } else {
            format!("{cmd} {plain}")
        };
        let mut sh = Command::new("sh");
        sh.arg("-c").arg(script).arg("sh").arg(at);
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

/// The longest a conversion may take (a year): more would overflow a clock.
const LONGEST: Duration = Duration::from_secs(365 * 24 * 3600);

/// How long the pipes of a finished child may stay open (by something it
/// started that we could not find) before its output is given up.
const GRACE: Duration = Duration::from_secs(2);

/// Runs `cmd` within `limits`, `input` on its stdin, and returns its stdout.
/// The child and everything it starts form one process group, and carry
/// one mark in their environment ([`crate::interrupt::MARK`]); when it
/// ends or overruns, the group and every marked process are killed, so a
/// daemon it left behind neither runs on nor holds its output open.
fn run(
    mut cmd: Command,
    input: Option<Box<dyn Read + Send>>,
    limits: &Limits,
) -> Result<Vec<u8>, ConvertError> {
    let mark = crate::interrupt::new_mark();
    cmd.env(crate::interrupt::MARK, &mark)
        .stdin(if input.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    confine(&mut cmd, limits);
    let mut child = cmd.spawn().map_err(ConvertError::Spawn)?;
    let group = crate::interrupt::Group::new(child.id(), &mark);
    if let (Some(mut input), Some(mut stdin)) = (input, child.stdin.take()) {
        // A child that stops reading (it died, or needs no more) ends the copy.
        std::thread::spawn(move || io::copy(&mut input, &mut stdin));
    }
    let cap = limits.text;
    // Past the cap the pipe is closed: the child dies of SIGPIPE or runs
    // into its timeout.
    let out = drain(child.stdout.take().expect("piped stdout"), cap + 1, 0);
    let err = drain(
        child.stderr.take().expect("piped stderr"),
        STDERR_KEPT,
        u64::MAX,
    );
    let timeout = limits.timeout.min(LONGEST);
    let status = child.wait_timeout(timeout).ok().flatten();
    group.kill();
    let _ = child.wait();
    // A process that was being started as the group was killed may still
    // hold the pipe: it is looked for again until the pipe closes.
    let held = std::time::Instant::now();
    let text = loop {
        match out.recv_timeout(Duration::from_millis(50)) {
            Ok(text) => break text,
            Err(_) if held.elapsed() < GRACE => group.kill(),
            Err(_) => return Err(ConvertError::Held),
        }
    };
    let stderr = err.recv_timeout(GRACE).unwrap_or_default();
    if text.len() as u64 > cap {
        return Err(ConvertError::TooMuchText(cap));
    }
    let Some(status) = status else {
        return Err(ConvertError::TimedOut(timeout.as_secs()));
    };
    if !status.success() {
        return Err(ConvertError::Exited {
            status,
            stderr: last_line(&stderr),
        });
    }
    Ok(text)
}

/// Reads up to `keep` bytes of `pipe` in a thread, then up to `discard`
/// more to nowhere (a chatty child must not block on a full pipe); the
/// bytes kept arrive on the channel when the pipe is closed.
fn drain(
    pipe: impl Read + Send + 'static,
    keep: u64,
    discard: u64,
) -> std::sync::mpsc::Receiver<Vec<u8>> {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut pipe = pipe;
        let mut buf = Vec::new();
        let _ = (&mut pipe).take(keep).read_to_end(&mut buf);
        let _ = io::copy(&mut pipe.take(discard), &mut io::sink());
        let _ = tx.send(buf);
    });
    rx
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

/// Puts the child in its own process group, limits its address space
/// (never above the hard limit the process already has: a `ulimit -v`
/// lower than `--memory` is kept, not refused), and (on Linux) has it
/// killed when the thread that waits on it dies: a signal that ends
/// shuliang between the spawn and the registration of the group with
/// [`crate::interrupt`] must not leave the converter running.
#[cfg(unix)]
fn confine(cmd: &mut Command, limits: &Limits) {
    use std::os::unix::process::CommandExt;
    cmd.process_group(0);
    let max = limits.memory.map(|bytes| bytes as libc::rlim_t);
    // SAFETY: between fork and exec only getrlimit, setrlimit and prctl,
    // which are async-signal-safe, are called.
    unsafe {
        cmd.pre_exec(move || {
            #[cfg(target_os = "linux")]
            if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) != 0 {
                return Err(io::Error::last_os_error());
            }
            if let Some(max) = max {
                let mut limit = libc::rlimit {
                    rlim_cur: 0,
                    rlim_max: 0,
                };
                if libc::getrlimit(libc::RLIMIT_AS, &mut limit) != 0 {
                    return Err(io::Error::last_os_error());
                }
                let max = if limit.rlim_max == libc::RLIM_INFINITY {
                    max
                } else {
                    max.min(limit.rlim_max)
                };
                limit.rlim_cur = max;
                limit.rlim_max = max;
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
    fn pre_converters_see_a_path_of_our_own() {
        let dir = tempfile::tempdir().unwrap();
        let c = Converter::default();
        for name in ["-n", "a b.doc", "x;touch PWNED.doc", "$(touch PWNED).doc"] {
            let path = dir.path().join(name);
            std::fs::write(&path, name).unwrap();
            for cmd in ["cat", "cat {}", "cat \"{}\"", "sh -c \"cat {}\""] {
                assert_eq!(c.pre(cmd, &path).unwrap(), name.as_bytes(), "{cmd} {name}");
            }
            let seen = String::from_utf8(c.pre("echo", &path).unwrap()).unwrap();
            assert!(
                seen.trim_end().ends_with("/input.doc") || seen.trim_end().ends_with("/input"),
                "{seen}"
            );
        }
        assert!(!dir.path().join("PWNED").exists());
        assert!(!std::path::Path::new("PWNED").exists());
    }
}

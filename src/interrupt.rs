//! What an interrupted run (SIGINT, SIGTERM, SIGHUP, SIGQUIT) cleans up
//! before it ends: temporary output files are removed and converter
//! children are killed with all they started. Without this, Ctrl-C or a
//! closed terminal would leave `.tmp` files beside the outputs and a
//! `--pre` converter running on.
//!
//! `signal-hook` hears the signals in a thread of its own, so the cleaning
//! is ordinary code; the signal's default action (the end of the process)
//! follows. The same kill ([`Group::kill`]) ends a converter that is done
//! or overran: its process group, and the processes it started that left
//! the group (a daemon `setsid` started), found by a mark in their
//! environment. Unix only; elsewhere nothing is done on a signal.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

/// The environment variable that marks every process a converter starts.
pub const MARK: &str = "SHULIANG_CONVERSION";

/// What a signal must clean up.
#[derive(Default)]
struct Pending {
    temps: HashSet<PathBuf>,
    groups: HashSet<(u32, String)>,
}

static PENDING: Mutex<Option<Pending>> = Mutex::new(None);

fn pending() -> MutexGuard<'static, Option<Pending>> {
    install();
    PENDING.lock().unwrap_or_else(|e| e.into_inner())
}

/// Starts the thread that hears the signals (once).
fn install() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(imp::listen);
}

/// Removes everything registered and kills every registered converter,
/// then does what `then` does (ends the process) with the registry still
/// locked: a thread that would register a new file or converter waits, and
/// so never makes it.
fn clean_up(then: impl FnOnce()) {
    let mut locked = PENDING.lock().unwrap_or_else(|e| e.into_inner());
    let taken = locked.take().unwrap_or_default();
    for path in &taken.temps {
        let _ = std::fs::remove_file(path).or_else(|_| std::fs::remove_dir_all(path));
    }
    for (pgid, mark) in &taken.groups {
        imp::kill(*pgid, mark);
    }
    then();
    drop(locked);
}

/// A temporary file (or folder) removed on a signal, while the guard lives.
pub struct TempFile(PathBuf);

impl TempFile {
    /// Removes `path` if the run is interrupted before the guard is dropped.
    pub fn new(path: &Path) -> TempFile {
        let path = path.to_path_buf();
        pending()
            .get_or_insert_with(Default::default)
            .temps
            .insert(path.clone());
        TempFile(path)
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if let Some(p) = pending().as_mut() {
            p.temps.remove(&self.0);
        }
    }
}

/// A converter: its process group, and `mark`, the value of [`MARK`] in
/// the environment of everything it starts. Killed on a signal while the
/// guard lives.
pub struct Group {
    pgid: u32,
    mark: String,
}

impl Group {
    /// Kills the process group `pgid` and the processes marked `mark` if
    /// the run is interrupted before the guard is dropped.
    pub fn new(pgid: u32, mark: &str) -> Group {
        let g = Group {
            pgid,
            mark: mark.to_string(),
        };
        pending()
            .get_or_insert_with(Default::default)
            .groups
            .insert((g.pgid, g.mark.clone()));
        g
    }

    /// Kills the group and every process that carries its mark.
    pub fn kill(&self) {
        imp::kill(self.pgid, &self.mark);
    }
}

impl Drop for Group {
    fn drop(&mut self) {
        if let Some(p) = pending().as_mut() {
            p.groups
                .remove(&(self.pgid, std::mem::take(&mut self.mark)));
        }
    }
}

/// A mark for [`MARK`] that no other run and no other converter of this
/// run uses.
pub fn new_mark() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    format!(
        "{}.{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

#[cfg(unix)]
mod imp {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGQUIT, SIGTERM};

    pub fn listen() {
        let Ok(mut signals) =
            signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP, SIGQUIT])
        else {
            return;
        };
        let spawned = std::thread::Builder::new()
            .name("shuliang-signals".into())
            .spawn(move || {
                if let Some(sig) = signals.forever().next() {
                    super::clean_up(|| {
                        let _ = signal_hook::low_level::emulate_default_handler(sig);
                        // A signal whose default is to go on (none of ours): end anyway.
                        std::process::exit(128 + sig);
                    });
                }
            });
        drop(spawned);
    }

    /// Kills the process group `pgid`, then every process of this user
    /// whose environment holds `MARK=mark` (a daemon that left the group),
    /// until none is left.
    pub fn kill(pgid: u32, mark: &str) {
        if let Ok(pgid) = libc::pid_t::try_from(pgid) {
            // SAFETY: kill(2) with a negative pid signals the group.
            unsafe {
                libc::kill(-pgid, libc::SIGKILL);
            }
        }
        let needle = format!("{}={mark}", super::MARK).into_bytes();
        // Killing one may let another escape by forking; a few rounds end them.
        for _ in 0..8 {
            let marked = marked(&needle);
            if marked.is_empty() {
                break;
            }
            for pid in marked {
                // SAFETY: kill(2) on a process id.
                unsafe {
                    libc::kill(pid, libc::SIGKILL);
                }
            }
        }
    }

    /// Processes (not zombies) whose environment holds `needle`
    /// (`NAME=value`), read from `/proc`; none where there is no `/proc`.
    fn marked(needle: &[u8]) -> Vec<libc::pid_t> {
        let Ok(dir) = std::fs::read_dir("/proc") else {
            return Vec::new();
        };
        let me = std::process::id();
        dir.filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
            .filter(|&pid| pid != me)
            .filter(|pid| {
                std::fs::read(format!("/proc/{pid}/environ"))
                    .is_ok_and(|env| env.split(|&b| b == 0).any(|kv| kv == needle))
            })
            .filter_map(|pid| libc::pid_t::try_from(pid).ok())
            .collect()
    }
}

#[cfg(not(unix))]
mod imp {
    pub fn listen() {}
    pub fn kill(_: u32, _: &str) {}
}

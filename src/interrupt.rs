//! What an interrupted run (SIGINT, SIGTERM) cleans up before it ends: the
//! output's temporary file is removed and converter children, each the
//! leader of its own process group, are killed with all they started.
//! Without this, Ctrl-C would leave a `.tmp` file beside the output and a
//! `--pre` converter running on. Unix only; elsewhere nothing is done.

/// The temporary file removed on a signal, while the guard lives.
pub struct TempFile(());

/// A converter's process group killed on a signal, while the guard lives.
pub struct Group(Option<usize>);

#[cfg(unix)]
mod imp {
    use std::ffi::CString;
    use std::path::Path;
    use std::sync::atomic::{AtomicI32, AtomicPtr, Ordering};

    /// The temporary file (a leaked C string; null: none).
    static TEMP: AtomicPtr<libc::c_char> = AtomicPtr::new(std::ptr::null_mut());
    /// Process groups of running converters (0: a free slot); as many as
    /// `--threads` allows conversions at once.
    static GROUPS: [AtomicI32; 1024] = [const { AtomicI32::new(0) }; 1024];

    extern "C" fn on_signal(sig: libc::c_int) {
        // SAFETY: only async-signal-safe calls (unlink, kill, signal, raise)
        // on a NUL-terminated path or null, and plain process group ids.
        unsafe {
            let p = TEMP.load(Ordering::SeqCst);
            if !p.is_null() {
                libc::unlink(p);
            }
            for g in &GROUPS {
                let pgid = g.load(Ordering::SeqCst);
                if pgid > 0 {
                    libc::kill(-pgid, libc::SIGKILL);
                }
            }
            libc::signal(sig, libc::SIG_DFL);
            libc::raise(sig);
        }
    }

    fn install() {
        static ONCE: std::sync::Once = std::sync::Once::new();
        ONCE.call_once(|| {
            let handler = on_signal as extern "C" fn(libc::c_int) as libc::sighandler_t;
            // SAFETY: the handler only calls async-signal-safe functions.
            unsafe {
                libc::signal(libc::SIGINT, handler);
                libc::signal(libc::SIGTERM, handler);
            }
        });
    }

    pub fn set_temp(path: Option<&Path>) {
        use std::os::unix::ffi::OsStrExt;
        install();
        let new = path
            .and_then(|p| CString::new(p.as_os_str().as_bytes()).ok())
            .map_or(std::ptr::null_mut(), CString::into_raw);
        // The old path is leaked, not freed: the handler may be reading it.
        TEMP.store(new, Ordering::SeqCst);
    }

    pub fn add_group(pgid: u32) -> Option<usize> {
        install();
        let pgid = i32::try_from(pgid).ok()?;
        GROUPS.iter().position(|g| {
            g.compare_exchange(0, pgid, Ordering::SeqCst, Ordering::SeqCst)
                .is_ok()
        })
    }

    pub fn remove_group(slot: usize) {
        GROUPS[slot].store(0, Ordering::SeqCst);
    }
}

#[cfg(not(unix))]
mod imp {
    pub fn set_temp(_: Option<&std::path::Path>) {}
    pub fn add_group(_: u32) -> Option<usize> {
        None
    }
    pub fn remove_group(_: usize) {}
}

impl TempFile {
    /// Removes `path` if the run is interrupted before the guard is dropped.
    pub fn new(path: &std::path::Path) -> TempFile {
        imp::set_temp(Some(path));
        TempFile(())
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        imp::set_temp(None);
    }
}

impl Group {
    /// Kills the process group `pgid` if the run is interrupted before the
    /// guard is dropped.
    pub fn new(pgid: u32) -> Group {
        Group(imp::add_group(pgid))
    }
}

impl Drop for Group {
    fn drop(&mut self) {
        if let Some(slot) = self.0 {
            imp::remove_group(slot);
        }
    }
}

//! Output files (`-o`, `--save-text`): checked against the inputs before a
//! run, written whole or not at all, and never harming what they replace.
//!
//! A regular file is written to a temporary file beside it that takes its
//! place only when all went well; the temporary file gets the mode a plain
//! create would give (the umask's) or the mode of the file it replaces, and
//! is removed if the run is interrupted ([`crate::interrupt`]). A symbolic link
//! is followed, so the file it points to is written and the link kept; a
//! file with other hard links is rewritten in place, so the links still
//! share it; a device or FIFO (`/dev/null`, `>(cmd)`) is written directly.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};

use crate::run::batch::Input;

/// Why an output cannot be written.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// It is one of the files being read: writing it would destroy an input.
    #[error("{0}: is also an input; refusing to overwrite it")]
    IsInput(String),
    /// The operating system refused.
    #[error("cannot write {path}: {source}")]
    Io {
        /// The output's path.
        path: String,
        /// The operating system's error.
        #[source]
        source: io::Error,
    },
}

/// Identifies a file whatever the path it is reached by.
#[cfg(unix)]
fn identity(path: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

#[cfg(not(unix))]
fn identity(path: &Path) -> Option<PathBuf> {
    std::fs::canonicalize(path).ok()
}

/// Refuses, before anything is read, outputs that would overwrite an
/// input: `output` (`-o`) naming one, or a file of `save_text` (the folder
/// of `--save-text`) landing on one.
pub fn check_not_inputs(
    inputs: &[Input],
    output: Option<&Path>,
    save_text: Option<&Path>,
) -> Result<(), OutputError> {
    let read: std::collections::HashSet<_> = inputs
        .iter()
        .filter_map(|i| i.path.as_deref().and_then(identity))
        .collect();
    let saved = save_text.into_iter().flat_map(|dir| {
        inputs
            .iter()
            .map(move |i| crate::run::batch::save_path(dir, i))
    });
    for out in output.map(Path::to_path_buf).into_iter().chain(saved) {
        if identity(&out).is_some_and(|id| read.contains(&id)) {
            return Err(OutputError::IsInput(out.display().to_string()));
        }
    }
    Ok(())
}

/// `rel` made relative and free of `.` and `..`, so that joined to a
/// folder it stays inside it (`sub/../../x.txt` is `x.txt`).
pub fn contained(rel: &str) -> PathBuf {
    let mut out = PathBuf::new();
    for c in Path::new(rel).components() {
        match c {
            Component::Normal(part) => out.push(part),
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir | Component::RootDir | Component::Prefix(_) => {}
        }
    }
    out
}

/// Runs `write` on the file at `path` (see the module's doc for how), and
/// returns what it returns.
pub fn write_file<T, E: From<OutputError>>(
    path: &Path,
    write: impl FnOnce(&mut (dyn Write + Send)) -> Result<T, E>,
) -> Result<T, E> {
    let fail = |source| OutputError::Io {
        path: path.display().to_string(),
        source,
    };
    // Follow a symbolic link to the file it names (which may not exist yet).
    let real = std::fs::canonicalize(path).unwrap_or_else(|_| match std::fs::read_link(path) {
        Ok(to) => path.parent().unwrap_or(Path::new("")).join(to),
        Err(_) => path.to_path_buf(),
    });
    let existing = std::fs::metadata(&real).ok();
    if existing.as_ref().is_some_and(|m| !m.is_file()) {
        let mut out = OpenOptions::new().write(true).open(&real).map_err(fail)?;
        let t = write(&mut out)?;
        out.flush().map_err(fail)?;
        return Ok(t);
    }
    let (tmp_path, file) = temp_beside(&real, existing.as_ref()).map_err(fail)?;
    let guard = Cleanup::new(tmp_path.clone());
    let mut out = io::BufWriter::with_capacity(1 << 16, file);
    let t = write(&mut out)?;
    out.into_inner()
        .map_err(|e| e.into_error())
        .and_then(|f| f.sync_all())
        .map_err(fail)?;
    if existing.as_ref().is_some_and(shared) {
        std::fs::copy(&tmp_path, &real).map_err(fail)?;
        drop(guard);
    } else {
        std::fs::rename(&tmp_path, &real).map_err(fail)?;
        guard.disarm();
    }
    Ok(t)
}

/// Runs `write` on standard output, or on the file `path` as
/// [`write_file`] does.
pub fn write_to<T, E: From<OutputError> + From<io::Error>>(
    path: Option<&Path>,
    write: impl FnOnce(&mut (dyn Write + Send)) -> Result<T, E>,
) -> Result<T, E> {
    let Some(path) = path else {
        let mut out = io::BufWriter::with_capacity(1 << 16, io::stdout());
        let t = write(&mut out)?;
        out.flush()?;
        return Ok(t);
    };
    write_file(path, write)
}

/// Whether a file has other hard links, which a rename would leave behind.
#[cfg(unix)]
fn shared(m: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    m.nlink() > 1
}

#[cfg(not(unix))]
fn shared(_: &std::fs::Metadata) -> bool {
    false
}

/// A new temporary file in `target`'s folder, created with the mode a
/// plain create gives (0666 less the umask), or `existing`'s mode.
fn temp_beside(target: &Path, existing: Option<&std::fs::Metadata>) -> io::Result<(PathBuf, File)> {
    let dir = target
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = target
        .file_name()
        .map_or("out".into(), |n| n.to_string_lossy().into_owned());
    for n in 0.. {
        let tmp = dir.join(format!(".{name}.{}.{n}.tmp", std::process::id()));
        match OpenOptions::new().write(true).create_new(true).open(&tmp) {
            Ok(f) => {
                if let Some(m) = existing {
                    f.set_permissions(m.permissions())?;
                }
                return Ok((tmp, f));
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && n < 100 => continue,
            Err(e) => return Err(e),
        }
    }
    unreachable!("the loop returns")
}

/// Removes a temporary file when dropped, and when the run is interrupted
/// while it exists.
struct Cleanup {
    path: PathBuf,
    _interrupt: crate::interrupt::TempFile,
}

impl Cleanup {
    fn new(path: PathBuf) -> Cleanup {
        let _interrupt = crate::interrupt::TempFile::new(&path);
        Cleanup { path, _interrupt }
    }

    /// The file became the output: nothing to remove.
    fn disarm(mut self) {
        self.path = PathBuf::new();
    }
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        if !self.path.as_os_str().is_empty() {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside_their_folder() {
        assert_eq!(contained("sub/../../x.txt"), Path::new("x.txt"));
        assert_eq!(contained("/etc/passwd"), Path::new("etc/passwd"));
        assert_eq!(contained("./a/./b.txt"), Path::new("a/b.txt"));
    }

    #[cfg(unix)]
    #[test]
    fn links_modes_and_devices_are_respected() {
        use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("t.csv");
        std::fs::write(&target, "old").unwrap();
        std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o644)).unwrap();
        let link = dir.path().join("link.csv");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        let hard = dir.path().join("hard.csv");
        std::fs::hard_link(&target, &hard).unwrap();
        let w = |p: &Path, s: &str| {
            write_file(p, |out| {
                out.write_all(s.as_bytes())
                    .map_err(|source| OutputError::Io {
                        path: String::new(),
                        source,
                    })
            })
        };
        w(&link, "new").unwrap();
        assert!(std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "new");
        assert_eq!(std::fs::read_to_string(&hard).unwrap(), "new");
        assert_eq!(std::fs::metadata(&target).unwrap().mode() & 0o777, 0o644);
        // A FIFO (as `>(cmd)` gives) is written, not replaced.
        let fifo = dir.path().join("fifo");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: mkfifo on a NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
        };
        w(&fifo, "x").unwrap();
        assert_eq!(reader.join().unwrap(), "x");
        assert!(std::fs::symlink_metadata(&fifo)
            .unwrap()
            .file_type()
            .is_fifo());
        let left = std::fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(left, 4, "a temporary file was left");
    }
}

//! Output files (`-o`, `--summary`, `--save-text`): checked against the
//! inputs and each other before a run, written whole or not at all, and
//! never harming what they replace or anything outside their folder.
//!
//! A regular file is written to a temporary file beside it (`tempfile`)
//! that takes its place only when all went well; the temporary file gets
//! the mode a plain create would give (the umask's) or the mode of the file
//! it replaces, and is removed if the run is interrupted
//! ([`crate::interrupt`]). For `-o` and `--summary` a symbolic link is
//! followed, so the file it points to is written and the link kept; a file
//! with other hard links is rewritten in place, so the links still share
//! it; a device or FIFO (`/dev/null`, `>(cmd)`) is written directly. A
//! saved text ([`SaveFolder`]) instead replaces whatever its name holds,
//! link or not, so that nothing outside its folder is ever written.

mod check;
mod save;

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

pub use check::{check_outputs, contained};
pub use save::SaveFolder;

/// Why an output cannot be written.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// It is one of the files being read: writing it would destroy an input.
    #[error("{0}: is also an input; refusing to overwrite it")]
    IsInput(String),
    /// Two outputs are one file: one would replace the other.
    #[error("{0} and {1} are the same file; give each output its own")]
    SameFile(String, String),
    /// Two documents' texts would be saved to one file (`a` and `a.txt`).
    #[error("{0}: the texts of two documents would be saved here; rename one")]
    Twice(String),
    /// A saved text would land outside its folder (a symbolic link to a
    /// folder elsewhere inside it).
    #[error("{path}: outside the --save-text folder {folder} (through a symbolic link); refusing to write it")]
    Outside {
        /// The file that would be written.
        path: String,
        /// The folder.
        folder: String,
    },
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

impl OutputError {
    pub(super) fn io(path: &Path) -> impl FnOnce(io::Error) -> OutputError + '_ {
        move |source| OutputError::Io {
            path: path.display().to_string(),
            source,
        }
    }
}

/// An output being written: a temporary file that takes the place of its
/// target at [`Pending::commit`], or a device written directly. Dropped
/// uncommitted, it leaves the target as it was.
pub struct Pending {
    target: PathBuf,
    how: How,
}

enum How {
    Direct(File),
    Temp {
        file: io::BufWriter<tempfile::NamedTempFile<File>>,
        /// Copy into the target (it has other hard links) instead of renaming.
        in_place: bool,
        _interrupt: crate::interrupt::TempFile,
    },
}

impl Pending {
    /// Starts writing `path` as `-o` and `--summary` are written: a link
    /// followed, hard links kept, a device written directly.
    pub fn create(path: &Path) -> Result<Pending, OutputError> {
        // Follow a symbolic link to the file it names (which may not exist yet).
        let real = std::fs::canonicalize(path).unwrap_or_else(|_| match std::fs::read_link(path) {
            Ok(to) => path.parent().unwrap_or(Path::new("")).join(to),
            Err(_) => path.to_path_buf(),
        });
        let existing = std::fs::metadata(&real).ok();
        if existing.as_ref().is_some_and(|m| !m.is_file()) {
            let file = OpenOptions::new()
                .write(true)
                .open(&real)
                .map_err(OutputError::io(path))?;
            return Ok(Pending {
                target: real,
                how: How::Direct(file),
            });
        }
        Pending::beside(real, existing.as_ref(), path)
    }

    /// A temporary file in `target`'s folder, with the mode a plain create
    /// gives (0666 less the umask) or `existing`'s; errors name `named`.
    pub(super) fn beside(
        target: PathBuf,
        existing: Option<&std::fs::Metadata>,
        named: &Path,
    ) -> Result<Pending, OutputError> {
        let dir = target
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let name = target
            .file_name()
            .map_or("out".into(), |n| n.to_string_lossy().into_owned());
        let prefix = format!(".{name}.");
        // Each name is registered for removal on a signal before the file
        // is made, so that no moment leaves it behind.
        let mut guards = Vec::new();
        let file = tempfile::Builder::new()
            .prefix(&prefix)
            .suffix(".tmp")
            .make_in(dir, |path| {
                guards.push(crate::interrupt::TempFile::new(path));
                let mut open = OpenOptions::new();
                open.write(true).create_new(true);
                #[cfg(unix)]
                std::os::unix::fs::OpenOptionsExt::mode(&mut open, 0o666);
                open.open(path)
            })
            .map_err(OutputError::io(named))?;
        let _interrupt = guards.pop().expect("registered before it was made");
        if let Some(m) = existing {
            file.as_file()
                .set_permissions(m.permissions())
                .map_err(OutputError::io(named))?;
        }
        Ok(Pending {
            how: How::Temp {
                file: io::BufWriter::with_capacity(1 << 16, file),
                in_place: existing.is_some_and(shared),
                _interrupt,
            },
            target,
        })
    }

    /// Flushes what was written to the disk, so that a full disk is told
    /// now, before anything is replaced.
    pub fn sync(&mut self) -> Result<(), OutputError> {
        let fail = OutputError::io(&self.target);
        match &mut self.how {
            How::Direct(f) => f.flush(),
            How::Temp { file, .. } => file
                .flush()
                .and_then(|()| file.get_ref().as_file().sync_all()),
        }
        .map_err(fail)
    }

    /// Puts what was written in the target's place.
    pub fn commit(mut self) -> Result<(), OutputError> {
        self.sync()?;
        let fail = |source| OutputError::Io {
            path: self.target.display().to_string(),
            source,
        };
        match self.how {
            How::Direct(_) => Ok(()),
            How::Temp { file, in_place, .. } => {
                let file = file.into_inner().map_err(|e| fail(e.into_error()))?;
                if in_place {
                    std::fs::copy(file.path(), &self.target)
                        .map(drop)
                        .map_err(fail)
                } else {
                    file.persist(&self.target)
                        .map(drop)
                        .map_err(|e| fail(e.error))
                }
            }
        }
    }
}

impl Write for Pending {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match &mut self.how {
            How::Direct(f) => f.write(buf),
            How::Temp { file, .. } => file.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.how {
            How::Direct(f) => f.flush(),
            How::Temp { file, .. } => file.flush(),
        }
    }
}

/// Runs `write` on the file at `path` (see the module's doc for how), and
/// returns what it returns.
pub fn write_file<T, E: From<OutputError>>(
    path: &Path,
    write: impl FnOnce(&mut (dyn Write + Send)) -> Result<T, E>,
) -> Result<T, E> {
    let mut out = Pending::create(path)?;
    let t = write(&mut out)?;
    out.commit()?;
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

#[cfg(test)]
mod tests {
    use super::*;

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

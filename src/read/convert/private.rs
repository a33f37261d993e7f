//! The path a `--pre` converter is given instead of the user's file name.

use std::io;
use std::path::{Path, PathBuf};

/// A private temporary folder holding the file a `--pre` converter reads
/// as `input.EXT` (the extension kept when it is plain letters and digits,
/// as converters go by it): a hard link, else a copy, else (not a regular
/// file) a symbolic link. Removed when dropped, and on a signal (it is
/// registered before it is made, so no moment leaves it behind).
pub(super) struct Private {
    dir: PathBuf,
    file: PathBuf,
    _interrupt: crate::interrupt::TempFile,
}

impl Private {
    pub(super) fn new(original: &Path) -> io::Result<Private> {
        let mark = crate::interrupt::new_mark();
        let dir = std::env::temp_dir().join(format!("shuliang-{mark}"));
        let _interrupt = crate::interrupt::TempFile::new(&dir);
        let mut mkdir = std::fs::DirBuilder::new();
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut mkdir, 0o700);
        mkdir.create(&dir)?;
        let ext = original
            .extension()
            .and_then(|e| e.to_str())
            .filter(|e| e.len() <= 16 && e.bytes().all(|b| b.is_ascii_alphanumeric()));
        let private = Private {
            file: dir.join(ext.map_or("input".into(), |ext| format!("input.{ext}"))),
            dir,
            _interrupt,
        };
        let original = std::fs::canonicalize(original)?;
        if std::fs::metadata(&original)?.is_file() {
            std::fs::hard_link(&original, &private.file)
                .or_else(|_| std::fs::copy(&original, &private.file).map(drop))?;
        } else {
            link(&original, &private.file)?;
        }
        Ok(private)
    }

    pub(super) fn path(&self) -> &Path {
        &self.file
    }
}

impl Drop for Private {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

#[cfg(unix)]
fn link(original: &Path, file: &Path) -> io::Result<()> {
    std::os::unix::fs::symlink(original, file)
}

#[cfg(not(unix))]
fn link(original: &Path, file: &Path) -> io::Result<()> {
    std::fs::copy(original, file).map(drop)
}

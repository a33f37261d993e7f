//! The folder of `--save-text`.

use std::io;
use std::path::{Path, PathBuf};

use super::{OutputError, Pending};

/// The folder of `--save-text`, made before the run; the files in it are
/// written whole (an interrupted or failed one leaves nothing) and never
/// through a link out of it.
#[derive(Debug, Clone)]
pub struct SaveFolder {
    given: PathBuf,
    real: PathBuf,
}

impl SaveFolder {
    /// Makes the folder `dir` (and its parents) if it is not there.
    pub fn new(dir: &Path) -> Result<SaveFolder, OutputError> {
        let fail = |source| OutputError::Io {
            path: format!("the --save-text folder {}", dir.display()),
            source,
        };
        std::fs::create_dir_all(dir).map_err(fail)?;
        let real = std::fs::canonicalize(dir).map_err(fail)?;
        Ok(SaveFolder {
            given: dir.to_path_buf(),
            real,
        })
    }

    /// The folder as given.
    pub fn path(&self) -> &Path {
        &self.given
    }

    /// Starts writing `path` (inside the folder): its folders are made, and
    /// refused if a link takes them outside; the file replaces whatever
    /// the name holds when it is committed.
    pub fn create(&self, path: &Path) -> Result<Pending, OutputError> {
        let dir = path.parent().unwrap_or(&self.given);
        std::fs::create_dir_all(dir).map_err(OutputError::io(path))?;
        let real_dir = std::fs::canonicalize(dir).map_err(OutputError::io(path))?;
        if !real_dir.starts_with(&self.real) {
            return Err(OutputError::Outside {
                path: path.display().to_string(),
                folder: self.given.display().to_string(),
            });
        }
        let name = path.file_name().ok_or_else(|| OutputError::Io {
            path: path.display().to_string(),
            source: io::ErrorKind::InvalidInput.into(),
        })?;
        Pending::beside(real_dir.join(name), None, path)
    }
}

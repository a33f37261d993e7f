//! A folder walked as `walkdir` walks it with `sort_by_file_name` and
//! `follow_links` (file-name order, symbolic links followed, loops and
//! unreadable entries reported with the same words), keeping of each
//! folder on the way down only its entries' names and types rather than a
//! path and an error slot each: a folder of a million files costs its
//! names, about 50 bytes a file, not ~300.

use std::ffi::OsStr;
use std::fs::FileType;
use std::io;
use std::path::{Path, PathBuf};

use same_file::Handle;

/// A folder open on the way down: what it is (for loops) and what is left
/// of it, errors first, then names in order.
struct Open {
    path: PathBuf,
    handle: Handle,
    errors: std::vec::IntoIter<Failure>,
    names: std::vec::IntoIter<(Box<OsStr>, FileType)>,
}

/// The walk of one folder (see the module's doc).
pub(super) struct Folder {
    stack: Vec<Open>,
    /// A failure to open the folder itself, given once.
    failed: Option<Failure>,
}

/// What went wrong, with the path where there is one, worded as `walkdir` words it.
pub(super) type Failure = (Option<PathBuf>, io::Error);

impl Folder {
    /// The walk of the folder at `root`.
    pub(super) fn new(root: &Path) -> Folder {
        let mut f = Folder {
            stack: Vec::new(),
            failed: None,
        };
        f.failed = f.push(root.to_path_buf()).err();
        f
    }

    /// Opens the folder at `path`, its entries read and sorted by name.
    fn push(&mut self, path: PathBuf) -> Result<(), Failure> {
        let read = match std::fs::read_dir(&path) {
            Ok(read) => read,
            Err(e) => return Err(at(path, e)),
        };
        let (mut errors, mut names) = (Vec::new(), Vec::new());
        for entry in read {
            match entry {
                Err(e) => errors.push((None, e)),
                Ok(entry) => match entry.file_type() {
                    Ok(ty) => names.push((entry.file_name().into_boxed_os_str(), ty)),
                    Err(e) => errors.push(at(entry.path(), e)),
                },
            }
        }
        names.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let handle = Handle::from_path(&path).map_err(|e| (None, e))?;
        self.stack.push(Open {
            path,
            handle,
            errors: errors.into_iter(),
            names: names.into_iter(),
        });
        Ok(())
    }

    /// The ancestor that `path`, a folder, is, if any: a loop.
    fn ancestor_of(&self, path: &Path) -> io::Result<Option<&Path>> {
        let handle = Handle::from_path(path)?;
        Ok(self
            .stack
            .iter()
            .rev()
            .find(|o| o.handle == handle)
            .map(|o| o.path.as_path()))
    }
}

/// An error about `path`, as `walkdir` words it.
fn at(path: PathBuf, e: io::Error) -> Failure {
    let words = format!("IO error for operation on {}: {e}", path.display());
    (Some(path), io::Error::new(e.kind(), words))
}

impl Iterator for Folder {
    type Item = Result<PathBuf, Failure>;

    fn next(&mut self) -> Option<Self::Item> {
        if let Some(failure) = self.failed.take() {
            return Some(Err(failure));
        }
        loop {
            let top = self.stack.last_mut()?;
            if let Some(failure) = top.errors.next() {
                return Some(Err(failure));
            }
            let Some((name, mut ty)) = top.names.next() else {
                self.stack.pop();
                continue;
            };
            let path = top.path.join(&*name);
            if ty.is_symlink() {
                match std::fs::metadata(&path) {
                    Ok(md) => ty = md.file_type(),
                    Err(e) => return Some(Err(at(path, e))),
                }
                if ty.is_dir() {
                    match self.ancestor_of(&path) {
                        Ok(None) => {}
                        Ok(Some(ancestor)) => {
                            let words = format!(
                                "File system loop found: {} points to an ancestor {}",
                                path.display(),
                                ancestor.display()
                            );
                            let e = io::Error::other(words);
                            return Some(Err((Some(path), e)));
                        }
                        Err(e) => return Some(Err((None, e))),
                    }
                }
            }
            if ty.is_dir() {
                if let Err(failure) = self.push(path) {
                    return Some(Err(failure));
                }
            } else if ty.is_file() {
                return Some(Ok(path));
            }
        }
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    /// Files, errors and their words in the order `walkdir` gives them.
    fn walkdir_says(root: &Path) -> Vec<String> {
        let walk = walkdir::WalkDir::new(root)
            .follow_links(true)
            .sort_by_file_name();
        walk.into_iter()
            .filter_map(|e| match e {
                Ok(e) if e.file_type().is_file() => Some(e.path().display().to_string()),
                Ok(_) => None,
                Err(e) => {
                    let path = e.path().map(Path::to_path_buf);
                    Some(format!("{path:?}: {}", io::Error::from(e)))
                }
            })
            .collect()
    }

    #[test]
    fn walks_as_walkdir_does() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for d in ["b", "a/c", "a/B"] {
            std::fs::create_dir_all(root.join(d)).unwrap();
        }
        for f in [
            "z.txt",
            "b/1.txt",
            "a/c/2.txt",
            "a/B/3.txt",
            "a/0.txt",
            "A.txt",
        ] {
            std::fs::write(root.join(f), "x").unwrap();
        }
        std::os::unix::fs::symlink(root, root.join("a/c/up")).unwrap();
        std::os::unix::fs::symlink(root.join("b"), root.join("a/side")).unwrap();
        std::os::unix::fs::symlink(root.join("gone"), root.join("dangling.txt")).unwrap();
        let ours: Vec<String> = Folder::new(root)
            .map(|e| match e {
                Ok(p) => p.display().to_string(),
                Err((p, e)) => format!("{p:?}: {e}"),
            })
            .collect();
        let theirs = walkdir_says(root);
        assert_eq!(ours, theirs);
        assert_eq!(ours.len(), 9, "{ours:#?}");
        assert!(ours.iter().any(|l| l.contains("loop found")), "{ours:#?}");
    }
}

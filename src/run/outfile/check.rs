//! Outputs checked against the inputs and one another before a run, and
//! saved texts' names kept inside their folder.

use std::path::{Component, Path, PathBuf};

use super::OutputError;

/// What identifies a file whatever the path it is reached by: device and
/// inode when it exists, else its path with the folder's resolved.
#[derive(Debug, PartialEq, Eq, Hash)]
enum Identity {
    #[cfg(unix)]
    Inode(u64, u64),
    Path(PathBuf),
}

fn identity(path: &Path) -> Option<Identity> {
    #[cfg(unix)]
    if let Ok(m) = std::fs::metadata(path) {
        use std::os::unix::fs::MetadataExt;
        return Some(Identity::Inode(m.dev(), m.ino()));
    }
    if let Ok(real) = std::fs::canonicalize(path) {
        return Some(Identity::Path(real));
    }
    let name = path.file_name()?;
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty());
    let dir = std::fs::canonicalize(dir.unwrap_or(Path::new("."))).ok()?;
    Some(Identity::Path(dir.join(name)))
}

/// Refuses, before anything is read, `outputs` (`-o`, `--summary`) and
/// `saved` (the files of `--save-text`) that would overwrite one of
/// `inputs` or one another (`-o` and `--summary` naming one file, two
/// documents whose texts would be saved to one file), whatever path or
/// link each is named by. Of the inputs, only those that are outputs are
/// held (a run may have millions).
pub fn check_outputs(
    inputs: impl IntoIterator<Item = impl AsRef<Path>>,
    outputs: &[PathBuf],
    saved: &[PathBuf],
) -> Result<(), OutputError> {
    let written: std::collections::HashSet<_> = outputs
        .iter()
        .chain(saved)
        .filter_map(|p| identity(p))
        .collect();
    if written.is_empty() {
        return Ok(());
    }
    let read: std::collections::HashSet<_> = inputs
        .into_iter()
        .filter_map(|p| identity(p.as_ref()))
        .filter(|id| written.contains(id))
        .collect();
    let mut seen = std::collections::HashMap::new();
    let all = outputs.iter().map(|p| (p, false));
    for (out, is_saved) in all.chain(saved.iter().map(|p| (p, true))) {
        let Some(id) = identity(out) else { continue };
        if read.contains(&id) {
            return Err(OutputError::IsInput(out.display().to_string()));
        }
        match seen.insert(id, (out, is_saved)) {
            Some(_) if is_device(out) => {}
            Some((_, true)) if is_saved => {
                return Err(OutputError::Twice(out.display().to_string()))
            }
            Some((first, _)) => {
                return Err(OutputError::SameFile(
                    first.display().to_string(),
                    out.display().to_string(),
                ))
            }
            None => {}
        }
    }
    Ok(())
}

/// `/dev/null` and the like, which any number of outputs may share.
fn is_device(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside_their_folder() {
        assert_eq!(contained("sub/../../x.txt"), Path::new("x.txt"));
        assert_eq!(contained("/etc/passwd"), Path::new("etc/passwd"));
        assert_eq!(contained("./a/./b.txt"), Path::new("a/b.txt"));
    }
}

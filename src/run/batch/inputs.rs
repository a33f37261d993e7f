//! Finding the inputs: the documents a command line names (folders walked,
//! files selected by glob), one at a time.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};

use super::doc_ids::{doc_of, text_of};
use super::folder::Folder;
use super::gather;
use crate::error::Error;
use crate::meaning::meta::Meta;
use crate::read::published;

/// One document to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    /// Where to read it; `None` is standard input.
    pub path: Option<PathBuf>,
    /// The `doc` column (SPEC §2): relative to a folder given, or the path as given.
    pub doc: String,
    /// Values of the format's extra columns for this document.
    pub fields: Vec<String>,
    /// Region and year from a manifest; read from the report when `None`.
    pub meta: Option<Meta>,
}

impl Input {
    /// The document at `path` (`None`: standard input), its `doc` column
    /// `doc`, without a manifest's columns.
    fn at(path: Option<PathBuf>, doc: String) -> Input {
        Input {
            path,
            doc,
            fields: Vec::new(),
            meta: None,
        }
    }

    /// The path as warnings name it (`-` for standard input).
    pub(crate) fn name(&self) -> String {
        self.path
            .as_ref()
            .map_or("-".into(), |p| p.display().to_string())
    }
}

/// Which files of a folder are read: by default those of
/// [`published::EXTENSIONS`], in any case.
#[derive(Debug, Clone)]
pub struct Selection {
    globs: GlobSet,
}

impl Selection {
    /// Files whose name (or path below the folder) matches any of
    /// `patterns`; no patterns: the default selection.
    pub fn new<S: AsRef<str>>(patterns: &[S]) -> Result<Selection, globset::Error> {
        if patterns.is_empty() {
            return Ok(Selection::default());
        }
        let mut b = GlobSetBuilder::new();
        for p in patterns {
            b.add(Glob::new(p.as_ref())?);
        }
        Ok(Selection { globs: b.build()? })
    }

    fn wants(&self, rel: &Path) -> bool {
        self.globs.is_match(rel) || rel.file_name().is_some_and(|n| self.globs.is_match(n))
    }
}

impl Default for Selection {
    /// Text, PDF, Word and HTML files: `*.txt`, `*.PDF`, `*.htm`….
    fn default() -> Self {
        let mut b = GlobSetBuilder::new();
        for (ext, _) in published::EXTENSIONS {
            let glob = globset::GlobBuilder::new(&format!("*.{ext}"))
                .case_insensitive(true)
                .build()
                .expect("valid glob");
            b.add(glob);
        }
        Selection {
            globs: b.build().expect("valid globs"),
        }
    }
}

/// Expands command-line arguments into documents, in a stable order:
/// arguments as given, folders walked recursively in file-name order
/// (symbolic links followed, loops reported). Paths that cannot be read
/// come back as errors; the rest still run. Every document gets a distinct
/// `doc` ([`super::doc_ids::DocIds`]). A run does not hold this list: it
/// walks the arguments again as it reads ([`gather`]).
pub fn inputs<S: AsRef<OsStr>>(args: &[S], sel: &Selection) -> (Vec<Input>, Vec<Error>) {
    let g = gather(args, sel, None::<(&str, &[u8])>).expect("no manifest to refuse");
    (g.inputs().collect(), g.warnings)
}

/// The documents of command-line arguments one at a time, in the order of
/// [`inputs`], each with the `doc` its own path gives it, without holding
/// the list: a folder's walk keeps only the entries of the folders it is in.
pub(super) struct Walk<'a, S> {
    args: std::slice::Iter<'a, S>,
    sel: &'a Selection,
    /// The folder being walked: the argument that names it, and the walk.
    folder: Option<(&'a OsStr, Folder)>,
}

impl<'a, S: AsRef<OsStr>> Walk<'a, S> {
    /// The walk of `args`, selecting a folder's files with `sel`.
    pub(super) fn new(args: &'a [S], sel: &'a Selection) -> Walk<'a, S> {
        Walk {
            args: args.iter(),
            sel,
            folder: None,
        }
    }

    /// The next document of the folder being walked; `None` at its end.
    fn next_in_folder(&mut self) -> Option<Result<Input, Error>> {
        let (arg, walk) = self.folder.as_mut()?;
        let root = Path::new(*arg);
        for entry in walk.by_ref() {
            match entry {
                Err((at, source)) => {
                    let path = at.map_or_else(|| text_of(arg), |p| text_of(p.as_os_str()));
                    return Some(Err(Error::Io { path, source }));
                }
                Ok(path) => {
                    let rel = path.strip_prefix(root).unwrap_or(&path);
                    if self.sel.wants(rel) {
                        let doc = doc_of(rel, text_of);
                        return Some(Ok(Input::at(Some(path), doc)));
                    }
                }
            }
        }
        self.folder = None;
        None
    }
}

impl<S: AsRef<OsStr>> Iterator for Walk<'_, S> {
    type Item = Result<Input, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(found) = self.next_in_folder() {
                return Some(found);
            }
            let arg = self.args.next()?.as_ref();
            if arg == "-" {
                return Some(Ok(Input::at(None, "-".into())));
            }
            let name = text_of(arg);
            let path = Path::new(arg);
            match std::fs::metadata(path) {
                Err(source) => return Some(Err(Error::Io { path: name, source })),
                Ok(md) if md.is_dir() => self.folder = Some((arg, Folder::new(path))),
                Ok(_) => {
                    let doc = if cfg!(windows) {
                        name.replace('\\', "/")
                    } else {
                        name
                    };
                    return Some(Ok(Input::at(Some(path.to_path_buf()), doc)));
                }
            }
        }
    }
}

/// The file the text of `input` is saved to under `dir` (`--save-text`):
/// the document's id, kept inside `dir`, `.txt` added unless it is there.
pub fn save_path(dir: &Path, input: &Input) -> PathBuf {
    let id = if input.doc == "-" {
        "stdin"
    } else {
        &input.doc
    };
    let mut rel = crate::run::outfile::contained(id).into_os_string();
    if !rel.to_string_lossy().ends_with(".txt") {
        rel.push(".txt");
    }
    dir.join(rel)
}

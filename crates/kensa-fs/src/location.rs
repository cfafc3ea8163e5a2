//! Where one file is: in the audited root, or at a path of the analyst's.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::{Meta, Root, RootFile, analyst};

/// One file to read: a root-relative path in an audited [`Root`], or a path the analyst
/// named outside it. A log set holds these, so the readers never see a path they could
/// open by themselves.
#[derive(Debug, Clone)]
pub enum Location {
    /// A file of the audited root, by its root-relative path (links in its directories
    /// already resolved inside the root).
    InRoot {
        /// The root it belongs to.
        root: Arc<Root>,
        /// Its path relative to the root (bytes as on disk: names need not be UTF-8).
        rel: PathBuf,
    },
    /// A file the analyst named outside the audited root.
    Analyst(PathBuf),
}

impl Location {
    /// A file of the analyst's at `path`.
    pub fn analyst(path: impl Into<PathBuf>) -> Location {
        Location::Analyst(path.into())
    }

    /// The file beside this one whose name is this one's plus `suffix` (SQLite's
    /// `wtmp.db-wal` beside `wtmp.db`).
    pub fn with_suffix(&self, suffix: &str) -> Location {
        match self {
            Location::InRoot { root, rel } => Location::InRoot {
                root: root.clone(),
                rel: path_with_suffix(rel, suffix),
            },
            Location::Analyst(path) => Location::Analyst(path_with_suffix(path, suffix)),
        }
    }

    /// At most `limit` bytes of the file; larger is `FileTooLarge`.
    pub fn read(&self, limit: u64) -> io::Result<Vec<u8>> {
        crate::read_whole(self.open()?, limit)
    }

    /// Opens the file to read (a regular file only, either way).
    pub fn open(&self) -> io::Result<RootFile> {
        match self {
            Location::InRoot { root, rel } => root.open_file(rel),
            Location::Analyst(path) => analyst::open(path),
        }
    }

    /// The file's own metadata (a final link described, not followed).
    pub fn lstat(&self) -> io::Result<Meta> {
        match self {
            Location::InRoot { root, rel } => root.lstat(rel),
            Location::Analyst(path) => analyst::lstat(path),
        }
    }

    /// A path that identifies the file between runs (the state database's key) and in
    /// debugging output: the root's path joined with the relative one, or the analyst's
    /// path. Never opened.
    pub fn identity(&self) -> PathBuf {
        match self {
            Location::InRoot { root, rel } => root.path().join(rel),
            Location::Analyst(path) => path.clone(),
        }
    }

    /// The root-relative path, for files of the root.
    pub fn rel(&self) -> Option<&Path> {
        match self {
            Location::InRoot { rel, .. } => Some(rel),
            Location::Analyst(_) => None,
        }
    }

    /// The analyst's path, for files named outside the root.
    pub fn analyst_path(&self) -> Option<&Path> {
        match self {
            Location::InRoot { .. } => None,
            Location::Analyst(path) => Some(path),
        }
    }
}

/// `path` with `suffix` appended to its last name.
fn path_with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

impl PartialEq for Location {
    fn eq(&self, other: &Location) -> bool {
        match (self, other) {
            (Location::InRoot { root: a, rel: x }, Location::InRoot { root: b, rel: y }) => {
                Arc::ptr_eq(a, b) && x == y
            }
            (Location::Analyst(a), Location::Analyst(b)) => a == b,
            _ => false,
        }
    }
}

impl Eq for Location {}

//! Reading the files a moderator edits, with the checks that keep a careless edit (or a hostile
//! one) from taking the bot down: size cap, UTF-8, and no symlink leading out of the directory.

use std::fs;
use std::path::{Path, PathBuf};

use super::problem::{line_at, Problem};

/// A fact base is a few hundred kilobytes at most; anything past this is a mistake (a video
/// dropped in the folder), refused before it is read into memory.
pub const MAX_FILE_BYTES: u64 = 10 * 1024 * 1024;

/// The knowledge directory, and the name each file is reported under.
pub struct KnowledgeDir {
    root: PathBuf,
    canonical_root: PathBuf,
}

impl KnowledgeDir {
    pub fn open(root: &Path) -> Result<Self, Problem> {
        let shown = root.display().to_string();
        let canonical_root = fs::canonicalize(root).map_err(|e| {
            Problem::new(
                shown.clone(),
                None,
                format!("cannot open the knowledge directory: {e}"),
            )
        })?;
        if !canonical_root.is_dir() {
            return Err(Problem::new(shown, None, "is not a directory"));
        }
        Ok(KnowledgeDir {
            root: root.to_path_buf(),
            canonical_root,
        })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// How a path is named in messages: relative to the knowledge directory.
    pub fn display(&self, path: &Path) -> String {
        path.strip_prefix(&self.root)
            .unwrap_or(path)
            .display()
            .to_string()
    }

    /// The files in `sub` ending in `.extension`, sorted so that loading is deterministic.
    pub fn list(&self, sub: &str, extension: &str) -> Vec<PathBuf> {
        let Ok(entries) = fs::read_dir(self.root.join(sub)) else {
            return Vec::new();
        };
        let mut paths: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|entry| entry.path())
            .filter(|path| path.extension().is_some_and(|e| e == extension))
            .collect();
        paths.sort();
        paths
    }

    pub fn read(&self, path: &Path) -> Result<String, Problem> {
        let name = self.display(path);
        let canonical = fs::canonicalize(path)
            .map_err(|e| Problem::new(name.clone(), None, format!("cannot read: {e}")))?;
        if !canonical.starts_with(&self.canonical_root) {
            return Err(Problem::new(
                name,
                None,
                "is a link to a file outside the knowledge directory; copy the file in instead",
            ));
        }
        let size = fs::metadata(&canonical)
            .map_err(|e| Problem::new(name.clone(), None, format!("cannot read: {e}")))?
            .len();
        if size > MAX_FILE_BYTES {
            return Err(Problem::new(
                name,
                None,
                format!("is {size} bytes, over the limit of {MAX_FILE_BYTES} bytes for a knowledge file"),
            ));
        }
        let bytes = fs::read(&canonical)
            .map_err(|e| Problem::new(name.clone(), None, format!("cannot read: {e}")))?;
        String::from_utf8(bytes).map_err(|e| {
            let valid = e.utf8_error().valid_up_to();
            let line = line_at(&String::from_utf8_lossy(&e.as_bytes()[..valid]), valid);
            Problem::new(
                name,
                Some(line),
                "is not UTF-8 text; save it as UTF-8 in your editor",
            )
        })
    }
}

//! Reading the files a moderator edits, with the checks that keep a careless edit (or a hostile
//! one) from taking the bot down: size cap, UTF-8, and no symlink leading out of the directory.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use super::problem::{line_at, Problem};

/// A fact base is a few hundred kilobytes at most; anything past this is a mistake (a video
/// dropped in the folder), refused before it is read into memory.
pub const MAX_FILE_BYTES: u64 = 10 * 1024 * 1024;

/// The knowledge directory, and the name each file is reported under.
pub struct KnowledgeDir {
    root: PathBuf,
    canonical_root: PathBuf,
    /// Each subdirectory read once per load: a load asks for `sources/` four times, and at
    /// 100,000 facts reading and sorting its 10,000 names was a good part of a refresh.
    listings: Mutex<Vec<(String, Arc<Listing>)>>,
}

/// A subdirectory's entries, sorted by name, each with its name and whether it is a symbolic
/// link.
type Listing = Vec<(std::ffi::OsString, PathBuf, bool)>;

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
            listings: Mutex::new(Vec::new()),
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
        self.listing(sub)
            .iter()
            .filter(|(name, _, _)| Path::new(name).extension().is_some_and(|e| e == extension))
            .map(|(_, path, _)| path.clone())
            .collect()
    }

    /// Whether `path`, in `sub`, is there, as `Path::exists` says, from the listing: only a
    /// symbolic link (which may lead nowhere) costs a look at the file system.
    pub fn exists_in(&self, sub: &str, path: &Path) -> bool {
        let Some(name) = path.file_name() else {
            return path.exists();
        };
        let listing = self.listing(sub);
        match listing.binary_search_by(|(listed, _, _)| listed.as_os_str().cmp(name)) {
            Ok(at) if listing[at].1 == path => !listing[at].2 || path.exists(),
            _ => false,
        }
    }

    fn listing(&self, sub: &str) -> Arc<Listing> {
        let mut listings = self
            .listings
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some((_, listing)) = listings.iter().find(|(name, _)| name == sub) {
            return listing.clone();
        }
        let mut entries: Vec<(std::ffi::OsString, PathBuf, bool)> =
            match fs::read_dir(self.root.join(sub)) {
                Ok(entries) => entries
                    .filter_map(Result::ok)
                    .map(|entry| {
                        let link = entry.file_type().is_ok_and(|t| t.is_symlink());
                        (entry.file_name(), entry.path(), link)
                    })
                    .collect(),
                Err(_) => Vec::new(),
            };
        // The entries share their parent, so by name is the order `Path`'s own comparison
        // gives, without splitting every path into components to compare.
        entries.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let listing = Arc::new(entries);
        listings.push((sub.to_string(), listing.clone()));
        listing
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

//! What a refresh remembers of the last load, so that it reads and checks again only the
//! files that changed: per source and per fact file, what loading it gave (the source or the
//! checked facts, with their problems and warnings), keyed by the file's [`Stamp`].
//!
//! Only the per-file work is remembered. Everything that spans files (duplicate ids,
//! `supersedes` links and cycles, aliases, topics, contradictions) is worked out again on every
//! load, so a change in one file that makes a fact in another invalid is still caught. A fact
//! file is also checked again when any source or `topics.toml` changed, since its quotes and
//! topics are checked against them.

use std::collections::hash_map::DefaultHasher;
use std::fs;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::SystemTime;

use rustc_hash::FxHashMap;

use super::Problem;

/// What says a file is unchanged: its size, modification and change times and inode. An edit
/// (or `/teach`'s rename over the file) changes the change time and usually the inode; a
/// symbolic link is never taken as unchanged, since where it points is checked on reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Stamp {
    len: u64,
    modified: Option<SystemTime>,
    changed: (i64, i64),
    inode: u64,
}

impl Stamp {
    /// `None` for a file that is not there; a symbolic link's stamp equals no other, so it is
    /// read afresh every time.
    pub fn of(path: &Path) -> Option<Stamp> {
        let meta = fs::symlink_metadata(path).ok()?;
        if meta.file_type().is_symlink() || !meta.is_file() {
            return Some(never_equal());
        }
        #[cfg(unix)]
        let (changed, inode) = {
            use std::os::unix::fs::MetadataExt;
            ((meta.ctime(), meta.ctime_nsec()), meta.ino())
        };
        #[cfg(not(unix))]
        let (changed, inode) = ((0, 0), 0);
        Some(Stamp {
            len: meta.len(),
            modified: meta.modified().ok(),
            changed,
            inode,
        })
    }
}

/// What loading one source gave; the source itself is the one in the base loaded with it.
#[derive(Clone)]
pub(super) struct SourceEntry {
    /// The stamps of the metadata and the article text.
    pub stamps: (Option<Stamp>, Option<Stamp>),
    pub id: Option<String>,
    pub warnings: Vec<Problem>,
}

/// What loading one fact file gave, checked against the sources and topics of `context`; its
/// facts are the ones of that file in the base loaded with it.
#[derive(Clone)]
pub(super) struct FactFileEntry {
    pub stamp: Option<Stamp>,
    pub context: u64,
    pub warnings: Vec<Problem>,
}

/// Hold one per knowledge directory, with the base last loaded through it, and pass both to
/// every [`super::KnowledgeBase::load_memo`] of that directory.
#[derive(Default, Clone)]
pub struct LoadMemo {
    // Fx: looked up for every file on every refresh, by the directory's own paths.
    pub(super) sources: FxHashMap<PathBuf, SourceEntry>,
    pub(super) facts: FxHashMap<PathBuf, FactFileEntry>,
    /// The stamp of `aliases.toml` (`Some(None)`: there was none): parsing 16,000 aliases is
    /// not a refresh's work when the file is as it was.
    pub(super) aliases: Option<Option<Stamp>>,
    /// How many files the last load read afresh, and how many it took from here.
    pub(super) read: usize,
    pub(super) reused: usize,
}

impl LoadMemo {
    /// (files read afresh, files taken from the memo) by the last load.
    pub fn last_load(&self) -> (usize, usize) {
        (self.read, self.reused)
    }
}

/// A stamp that equals no other: for a file that must be read afresh every time.
pub(super) fn never_equal() -> Stamp {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    Stamp {
        len: u64::MAX,
        modified: None,
        changed: (0, 0),
        inode: NEXT.fetch_add(1, Ordering::Relaxed),
    }
}

/// A number that changes whenever anything a fact file is checked against changes: the
/// sources (by their stamps) and the declared topics.
pub(super) fn context_of<'a>(
    sources: impl Iterator<Item = (&'a PathBuf, &'a (Option<Stamp>, Option<Stamp>))>,
    topics: Option<&super::topics::Topics>,
    topics_stamp: Option<Stamp>,
    unloaded: &std::collections::BTreeSet<String>,
) -> u64 {
    let mut hasher = DefaultHasher::new();
    unloaded.hash(&mut hasher);
    let mut sources: Vec<_> = sources.collect();
    // By bytes, not by `Path`'s components: any fixed order makes the same number.
    sources.sort_unstable_by(|a, b| a.0.as_os_str().cmp(b.0.as_os_str()));
    for (path, stamps) in sources {
        (path, stamps).hash(&mut hasher);
    }
    topics_stamp.hash(&mut hasher);
    if let Some(topics) = topics {
        for (name, line) in &topics.declared {
            (name, line).hash(&mut hasher);
        }
    }
    hasher.finish()
}

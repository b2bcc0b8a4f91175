//! Knowledge directories for tests: where the shipped and catalogue bases are, and copies of
//! them in temporary directories that a test may edit, break or swap.

#![allow(dead_code)] // Each test binary uses a different part of this module.

use std::fs;
use std::path::{Path, PathBuf};

/// The fact base the bot ships with.
pub fn shipped() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge")
}

/// Copies the directory tree `from` into `to` (created if needed).
pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

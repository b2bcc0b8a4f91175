//! The core knows nothing of Discord (ARCHITECTURE.md's first invariant), checked on the source:
//! no file of a core module names serenity or poise, or reaches into an adapter. A new core
//! module is added to `CORE` here as it is written.

use std::path::{Path, PathBuf};

/// The core: everything but the two adapters (`cli`, `discord`) and `synthetic` (bench data).
const CORE: &[&str] = &[
    "text",
    "knowledge",
    "matcher",
    "answer",
    "engine",
    "curation",
    "workflow",
    "cluster",
    "conversation",
];

/// What would tie a core module to Discord or to an adapter.
const FORBIDDEN: &[&str] = &["serenity", "poise", "crate::discord", "crate::cli"];

fn rust_files(path: &Path, out: &mut Vec<PathBuf>) {
    if path.is_dir() {
        for entry in std::fs::read_dir(path).unwrap() {
            rust_files(&entry.unwrap().path(), out);
        }
    } else if path.is_file() && path.extension().is_some_and(|ext| ext == "rs") {
        out.push(path.to_path_buf());
    }
}

#[test]
fn no_core_module_imports_serenity_poise_or_an_adapter() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    for module in CORE {
        rust_files(&src.join(module), &mut files);
        rust_files(&src.join(format!("{module}.rs")), &mut files);
    }
    assert!(
        files.len() >= CORE.len(),
        "every core module was found: {files:?}"
    );
    let mut offences = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        for (number, line) in text.lines().enumerate() {
            // Comments may name Discord; code may not.
            let code = line.split("//").next().unwrap_or("");
            for word in FORBIDDEN {
                if code.contains(word) {
                    offences.push(format!(
                        "{}:{}: {}",
                        file.display(),
                        number + 1,
                        line.trim()
                    ));
                }
            }
        }
    }
    assert!(
        offences.is_empty(),
        "the core names an adapter:\n{}",
        offences.join("\n")
    );
}

/// The check itself works: the adapter does name serenity.
#[test]
fn the_check_would_see_an_import() {
    let adapter = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/discord/reply.rs");
    let text = std::fs::read_to_string(adapter).unwrap();
    assert!(text.lines().any(|l| l.contains("poise::serenity_prelude")));
}

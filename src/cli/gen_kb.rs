//! `talkbot gen-kb --facts N [--seed S] DIR`: writes a synthetic fact base, for benchmarks and
//! for trying the bot at a size the real base has not reached.

use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;

use crate::knowledge::KnowledgeBase;
use crate::synthetic::{self, Options};

pub fn run(dir: &Path, options: &Options) -> anyhow::Result<ExitCode> {
    let summary = synthetic::write(dir, options).map_err(|error| {
        anyhow::anyhow!(
            "cannot write the synthetic base to {}: {error}",
            dir.display()
        )
    })?;
    // A report line that cannot be printed (`| head -1`) is no reason to fail: the base is
    // written either way.
    let mut out = io::stdout().lock();
    let _ = writeln!(
        out,
        "wrote {} facts from {} invented articles, {} aliases, to {} (seed {})",
        summary.facts,
        summary.sources,
        summary.aliases,
        dir.display(),
        options.seed
    );
    // The generator's promise is a base the real loader accepts; say so, or say why not.
    match KnowledgeBase::load(dir) {
        Ok(knowledge) => {
            let _ = writeln!(out, "{}", super::check::summary(&knowledge));
            Ok(ExitCode::SUCCESS)
        }
        Err(errors) => {
            eprintln!("the generated base does not load (a bug in the generator):\n{errors}");
            Ok(ExitCode::FAILURE)
        }
    }
}

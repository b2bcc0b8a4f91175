//! `talkbot gen-kb --facts N [--seed S] DIR`: writes a synthetic fact base, for benchmarks and
//! for trying the bot at a size the real base has not reached.

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
    println!(
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
            println!("{}", super::check::summary(&knowledge));
            Ok(ExitCode::SUCCESS)
        }
        Err(errors) => {
            eprintln!("the generated base does not load (a bug in the generator):\n{errors}");
            Ok(ExitCode::FAILURE)
        }
    }
}

//! The `talkbot` binary: parse arguments, run, turn errors into a message and an exit code.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = talkbot::cli::Cli::parse();
    match talkbot::cli::run(cli) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("talkbot: {error:#}");
            ExitCode::FAILURE
        }
    }
}

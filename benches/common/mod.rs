//! What the benches share: the fact bases measured, their question mixes, and the naive
//! baseline. Synthetic bases are generated afresh into a temporary directory on every run
//! (`talkbot gen-kb` is deterministic, so every run measures the same files).
//!
//! `TALKBOT_BENCH_FACTS` picks the synthetic sizes (default `1000,10000,100000`; `none` for the
//! shipped base alone).

// Each bench uses its own part of this module.
#![allow(dead_code)]

pub mod naive;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use criterion::Criterion;
use talkbot::synthetic::{self, Options, ProbeKind};

pub struct Question {
    pub text: String,
    /// `in`, `typo`, `out` or `near`, as in `tests/eval/questions.jsonl`.
    pub kind: &'static str,
    /// For a synthetic question: the id of the fact it was drafted for.
    pub fact: Option<String>,
}

pub struct Base {
    /// `shipped`, or the fact count of a synthetic base (`10k`).
    pub name: String,
    pub dir: PathBuf,
    pub questions: Vec<Question>,
    /// Keeps a generated base on disk until the bench is done with it.
    _temp: Option<tempfile::TempDir>,
}

/// `knowledge/` with the dev question set (answerable, misspelled, off-topic, near misses).
pub fn shipped() -> Base {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let lines = std::fs::read_to_string(root.join("tests/eval/questions.jsonl"))
        .expect("tests/eval/questions.jsonl is readable");
    let questions = lines
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            let case: serde_json::Value = serde_json::from_str(line).expect("each line is JSON");
            let kind = match case["cat"].as_str() {
                Some("in") => "in",
                Some("typo") => "typo",
                Some("out") => "out",
                _ => "near",
            };
            Question {
                text: case["q"]
                    .as_str()
                    .expect("each case has a question")
                    .to_string(),
                kind,
                fact: None,
            }
        })
        .collect();
    Base {
        name: "shipped".to_string(),
        dir: root.join("knowledge"),
        questions,
        _temp: None,
    }
}

/// A synthetic base of `facts` facts, with the question mix the generator drafted for it.
pub fn synthetic(facts: usize) -> Base {
    let temp = tempfile::Builder::new()
        .prefix(&format!("talkbot-bench-{facts}-"))
        .tempdir()
        .expect("a temporary directory");
    let dir = temp.path().join("knowledge");
    let started = Instant::now();
    let summary = synthetic::write(
        &dir,
        &Options {
            facts,
            seed: synthetic::DEFAULT_SEED,
        },
    )
    .expect("the synthetic base is written");
    eprintln!(
        "generated {} facts in {:.2?} at {}",
        summary.facts,
        started.elapsed(),
        dir.display()
    );
    let questions = summary
        .probes
        .into_iter()
        .map(|probe| Question {
            text: probe.question,
            kind: match probe.kind {
                ProbeKind::Answerable => "in",
                ProbeKind::Misspelled => "typo",
                ProbeKind::OffTopic => "out",
                ProbeKind::NearMiss => "near",
            },
            fact: probe.fact,
        })
        .collect();
    Base {
        name: size_name(facts),
        dir,
        questions,
        _temp: Some(temp),
    }
}

/// The synthetic sizes to measure.
pub fn sizes() -> Vec<usize> {
    let wanted =
        std::env::var("TALKBOT_BENCH_FACTS").unwrap_or_else(|_| "1000,10000,100000".into());
    wanted
        .split(',')
        .filter_map(|size| size.trim().parse().ok())
        .collect()
}

pub fn size_name(facts: usize) -> String {
    if facts % 1000 == 0 {
        format!("{}k", facts / 1000)
    } else {
        facts.to_string()
    }
}

/// Criterion's settings for a measurement whose one iteration takes about `per_iteration`:
/// enough samples for a stable median, without making the naive scan at 100k take minutes.
pub fn budget(per_iteration: Duration) -> (usize, Duration) {
    if per_iteration < Duration::from_millis(1) {
        (50, Duration::from_secs(3))
    } else if per_iteration < Duration::from_millis(50) {
        (20, Duration::from_secs(5))
    } else {
        (10, (per_iteration * 9).max(Duration::from_secs(5)))
    }
}

/// Median, 99th percentile and maximum of a set of durations.
pub fn percentiles(mut samples: Vec<Duration>) -> (Duration, Duration, Duration) {
    samples.sort();
    let at = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize];
    (at(0.5), at(0.99), samples[samples.len() - 1])
}

/// Runs `bench` on the shipped base, then on each synthetic size up to `largest` facts, and
/// prints criterion's summary: the shape of every bench's `main`.
pub fn over_bases(largest: usize, bench: fn(&mut Criterion, &Base)) {
    let mut criterion = Criterion::default().configure_from_args();
    bench(&mut criterion, &shipped());
    for facts in sizes().into_iter().filter(|&facts| facts <= largest) {
        bench(&mut criterion, &synthetic(facts));
    }
    criterion.final_summary();
}

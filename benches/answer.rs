//! Answer latency, talkbot beside the naive strsim scan in the same run: on the shipped base
//! over the dev question mix (answerable, misspelled, off-topic, near misses), and on synthetic
//! bases of 1k, 10k and 100k facts over the mix the generator drafted for them.
//!
//! One iteration answers the next question of the mix, so a criterion figure is the mean time
//! of one answer across the mix. Before each base, one line per matcher gives the spread of
//! single answers (median, 99th percentile, maximum) and what each matcher did with the mix.
//!
//!     cargo bench --bench answer
//!     TALKBOT_BENCH_FACTS=10000 cargo bench --bench answer -- 10k

mod common;

use std::hint::black_box;
use std::time::{Duration, Instant};

use common::naive::NaiveScan;
use common::{budget, percentiles, Base};
use criterion::{Criterion, SamplingMode, Throughput};
use talkbot::engine::Engine;

fn main() {
    common::over_bases(usize::MAX, bench_base);
}

fn bench_base(criterion: &mut Criterion, base: &Base) {
    let engine = Engine::load(&base.dir).unwrap_or_else(|e| panic!("{} loads: {e}", base.name));
    let naive = NaiveScan::new(engine.knowledge());
    let questions: Vec<&str> = base.questions.iter().map(|q| q.text.as_str()).collect();
    let talkbot_time = report_talkbot(base, &engine);
    let naive_time = report_naive(base, &naive, &engine);

    let mut group = criterion.benchmark_group(format!("answer/{}", base.name));
    group.throughput(Throughput::Elements(1));
    for (name, per_answer) in [("talkbot", talkbot_time), ("naive", naive_time)] {
        let (samples, time) = budget(per_answer);
        group
            .sample_size(samples)
            .measurement_time(time)
            .warm_up_time(per_answer.clamp(Duration::from_millis(500), Duration::from_secs(3)))
            .sampling_mode(if per_answer > Duration::from_millis(50) {
                SamplingMode::Flat
            } else {
                SamplingMode::Auto
            });
        let mut next = questions.iter().cycle();
        match name {
            "talkbot" => group.bench_function(name, |b| {
                b.iter(|| engine.ask(black_box(next.next().unwrap())))
            }),
            _ => group.bench_function(name, |b| {
                b.iter(|| naive.best(black_box(next.next().unwrap())))
            }),
        };
    }
    group.finish();
}

/// Times every question of the mix one by one, a few rounds, and says what talkbot did with
/// each kind. Returns the mean time per answer, to size criterion's run.
fn report_talkbot(base: &Base, engine: &Engine) -> Duration {
    let rounds = match engine.knowledge().facts.len() {
        0..=5_000 => 50,
        5_001..=50_000 => 10,
        _ => 3,
    };
    let mut samples = Vec::with_capacity(base.questions.len() * rounds);
    let mut by_question = vec![Vec::with_capacity(rounds); base.questions.len()];
    for _ in 0..rounds {
        for (question, times) in base.questions.iter().zip(&mut by_question) {
            let started = Instant::now();
            black_box(engine.ask(black_box(&question.text)));
            let took = started.elapsed();
            samples.push(took);
            times.push(took);
        }
    }
    let mean = samples.iter().sum::<Duration>() / samples.len() as u32;
    let (p50, p99, max) = percentiles(samples);
    report_slowest(base, by_question);
    let outcome = tally(base, |question| {
        let answer = engine.ask(question);
        let first = answer.facts.first().map(|fact| fact.id.clone());
        (answer.answered(), first)
    });
    println!(
        "answer/{} talkbot: {} questions, single answers p50 {p50:.2?} p99 {p99:.2?} max {max:.2?}; {outcome}",
        base.name,
        base.questions.len()
    );
    mean
}

/// The questions that are slow every time, not once by bad luck: the five with the highest
/// median over the rounds, and the first round's time, which pays for what is made lazily.
fn report_slowest(base: &Base, by_question: Vec<Vec<Duration>>) {
    let mut slowest: Vec<(Duration, Duration, &str)> = by_question
        .into_iter()
        .zip(&base.questions)
        .map(|(times, question)| {
            let first = times[0];
            (percentiles(times).0, first, question.text.as_str())
        })
        .collect();
    slowest.sort_by_key(|&(median, _, _)| std::cmp::Reverse(median));
    for (median, first, text) in slowest.into_iter().take(5) {
        let shown: String = text.chars().take(70).collect();
        let cut = if shown.len() < text.len() { "…" } else { "" };
        println!(
            "answer/{} slow: median {median:.2?} (first {first:.2?}), {} chars: {shown:?}{cut}",
            base.name,
            text.chars().count()
        );
    }
}

/// The same for the naive scan, on a part of the mix when the base is large (one naive answer
/// at 100k facts takes about a second).
fn report_naive(base: &Base, naive: &NaiveScan, engine: &Engine) -> Duration {
    let probe: Vec<&str> = base
        .questions
        .iter()
        .take(5)
        .map(|q| q.text.as_str())
        .collect();
    let started = Instant::now();
    for question in &probe {
        black_box(naive.best(question));
    }
    let mean = started.elapsed() / probe.len() as u32;
    if mean * base.questions.len() as u32 > Duration::from_secs(60) {
        println!(
            "answer/{} naive: about {mean:.2?} per answer; the whole mix would take over a minute, so its outcome is not tallied",
            base.name
        );
        return mean;
    }
    let outcome = tally(base, |question| {
        let best = naive.best(question);
        let answered = best.is_some_and(|(_, s)| s >= common::naive::NAIVE_THRESHOLD);
        (
            answered,
            best.map(|(fact, _)| engine.knowledge().facts[fact].id.clone()),
        )
    });
    println!("answer/{} naive: {outcome}", base.name);
    mean
}

/// What a matcher did with each kind of question: answerable and misspelled ones answered
/// (and, on a synthetic base, with the fact they were drafted for), the rest refused.
fn tally(base: &Base, mut ask: impl FnMut(&str) -> (bool, Option<String>)) -> String {
    let mut parts = Vec::new();
    for kind in ["in", "typo", "out", "near"] {
        let of_kind: Vec<&common::Question> =
            base.questions.iter().filter(|q| q.kind == kind).collect();
        if of_kind.is_empty() {
            continue;
        }
        let mut good = 0;
        let mut right_fact = 0;
        for question in &of_kind {
            let (answered, first) = ask(&question.text);
            let wanted = matches!(kind, "in" | "typo");
            if answered == wanted {
                good += 1;
            }
            if answered && question.fact.is_some() && first == question.fact {
                right_fact += 1;
            }
        }
        let verb = if matches!(kind, "in" | "typo") {
            "answered"
        } else {
            "refused"
        };
        let mut part = format!("{kind} {verb} {good}/{}", of_kind.len());
        if of_kind.iter().any(|q| q.fact.is_some()) {
            part.push_str(&format!(" (drafted fact first {right_fact})"));
        }
        parts.push(part);
    }
    parts.join(", ")
}

//! Start-up and refresh cost: reading, validating and indexing a fact base, for the shipped
//! base and the synthetic ones, beside the naive baseline's start-up (the same read and
//! validation, then its list of lower-cased alternate questions) in the same run.
//!
//!     cargo bench --bench load
//!     TALKBOT_BENCH_FACTS=none cargo bench --bench load      # shipped base only

mod common;

use std::hint::black_box;
use std::time::{Duration, Instant};

use common::naive::NaiveScan;
use common::{budget, Base};
use criterion::measurement::WallTime;
use criterion::{BatchSize, BenchmarkGroup, Criterion, SamplingMode};
use talkbot::engine::Engine;
use talkbot::knowledge::KnowledgeBase;

fn main() {
    common::over_bases(usize::MAX, bench_base);
}

fn bench_base(criterion: &mut Criterion, base: &Base) {
    let mut group = criterion.benchmark_group(format!("load/{}", base.name));
    // What `talkbot` pays at start and on every /refresh.
    let once = time_once(|| Engine::load(&base.dir).is_ok());
    configure(&mut group, once);
    group.bench_function("talkbot", |b| {
        b.iter(|| Engine::load(black_box(&base.dir)).is_ok())
    });
    // Its parts: reading and validating, then building the matcher. At the larger sizes one
    // run of each says enough.
    let knowledge = KnowledgeBase::load(&base.dir).expect("loaded above");
    if once < Duration::from_secs(1) {
        configure(&mut group, once);
        group.bench_function("talkbot-read-validate", |b| {
            b.iter(|| KnowledgeBase::load(black_box(&base.dir)).is_ok())
        });
        group.bench_function("talkbot-index", |b| {
            b.iter_batched(|| knowledge.clone(), Engine::new, BatchSize::LargeInput)
        });
    } else {
        let read = time_once(|| KnowledgeBase::load(&base.dir).is_ok());
        let index = time_once(|| Engine::new(knowledge.clone()));
        println!(
            "load/{}: one run, read and validate {read:.2?}, index {index:.2?}",
            base.name
        );
    }
    let naive_load = || {
        let knowledge = KnowledgeBase::load(black_box(&base.dir)).expect("loaded above");
        NaiveScan::new(&knowledge)
    };
    configure(&mut group, time_once(naive_load));
    group.bench_function("naive", |b| b.iter(naive_load));
    group.finish();
}

fn time_once<T>(work: impl FnOnce() -> T) -> Duration {
    let started = Instant::now();
    black_box(work());
    started.elapsed()
}

/// Criterion's settings for what takes about `once` a run.
fn configure(group: &mut BenchmarkGroup<'_, WallTime>, once: Duration) {
    let (samples, time) = budget(once);
    group
        .sample_size(samples)
        .measurement_time(time)
        .warm_up_time(once.clamp(Duration::from_millis(500), Duration::from_secs(3)))
        .sampling_mode(if once > Duration::from_millis(50) {
            SamplingMode::Flat
        } else {
            SamplingMode::Auto
        });
}

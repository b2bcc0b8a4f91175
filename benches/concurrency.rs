//! Many members asking at once while a moderator refreshes: throughput of four asker threads
//! with no refresh, and with one thread refreshing the base back to back (1 ms apart) for the
//! whole measurement, far more often than any moderator would.
//!
//! talkbot's askers read the current engine through an atomic pointer (`LiveEngine::current`)
//! and a refresh builds the new engine aside, then swaps it in. The naive baseline is the naive
//! scan behind an `RwLock`, refreshed in place under the write lock, as one would first write
//! it. Before each base, one line per setup gives single-answer latency, calm and during three
//! refreshes. On a 2-core machine four askers and a refresher share two cores, so a refresh
//! costs askers CPU either way; what differs is whether an answer waits for it.
//!
//!     cargo bench --bench concurrency

mod common;

use std::hint::black_box;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::RwLock;
use std::thread;
use std::time::{Duration, Instant};

use common::naive::NaiveScan;
use common::{percentiles, Base};
use criterion::{Criterion, SamplingMode, Throughput};
use talkbot::engine::LiveEngine;
use talkbot::knowledge::KnowledgeBase;

const ASKERS: usize = 4;
/// Between two refreshes: enough for a reader blocked behind the naive baseline's write lock to
/// get in, so the run ends; nothing next to a refresh's own time.
const REFRESH_PAUSE: Duration = Duration::from_millis(1);
/// Refreshes to wait for while measuring latency under refreshes.
const REFRESHES_SEEN: usize = 3;

fn main() {
    // A refresh at 100k facts takes seconds: 10k is the largest base refreshed in a loop here.
    common::over_bases(10_000, bench_base);
}

/// One way of serving answers while refreshing: how to answer, how to refresh.
trait Server: Sync {
    fn answer(&self, question: &str);
    fn refresh(&self);
}

struct Talkbot(LiveEngine);

impl Server for Talkbot {
    fn answer(&self, question: &str) {
        // One engine for the whole answer, as the bot does.
        let engine = self.0.current();
        black_box(engine.ask(question));
    }

    fn refresh(&self) {
        self.0.refresh().expect("the base stays valid");
    }
}

struct Naive {
    dir: std::path::PathBuf,
    scan: RwLock<NaiveScan>,
}

impl Server for Naive {
    fn answer(&self, question: &str) {
        black_box(self.scan.read().expect("not poisoned").best(question));
    }

    fn refresh(&self) {
        let mut scan = self.scan.write().expect("not poisoned");
        let knowledge = KnowledgeBase::load(&self.dir).expect("the base stays valid");
        *scan = NaiveScan::new(&knowledge);
    }
}

/// Answers `total` questions from `ASKERS` threads and returns the time until the last answer.
fn run(server: &dyn Server, questions: &[&str], total: u64) -> Duration {
    let started = Instant::now();
    thread::scope(|scope| {
        for asker in 0..ASKERS {
            // The first `total % ASKERS` askers take one more, so exactly `total` are answered.
            let share = total as usize / ASKERS + usize::from(asker < total as usize % ASKERS);
            scope.spawn(move || {
                for i in 0..share {
                    server.answer(questions[(asker * 7 + i) % questions.len()]);
                }
            });
        }
    });
    started.elapsed()
}

/// Runs `work` while a thread refreshes `server` back to back, if `refreshing`.
fn with_refreshes<T>(server: &dyn Server, refreshing: bool, work: impl FnOnce() -> T) -> T {
    let done = AtomicBool::new(false);
    thread::scope(|scope| {
        if refreshing {
            scope.spawn(|| {
                while !done.load(Ordering::Relaxed) {
                    server.refresh();
                    thread::sleep(REFRESH_PAUSE);
                }
            });
        }
        let result = work();
        done.store(true, Ordering::Relaxed);
        result
    })
}

/// Every answer's latency while `ASKERS` threads ask, with or without refreshes back to back,
/// and how many refreshes finished meanwhile. With refreshes, the askers go on until
/// `REFRESHES_SEEN` refreshes have finished; without, for `span`.
fn latencies(
    server: &dyn Server,
    questions: &[&str],
    span: Duration,
    refreshing: bool,
) -> (Vec<Duration>, usize, Duration) {
    let done = AtomicBool::new(false);
    let refreshes = AtomicUsize::new(0);
    let started = Instant::now();
    let enough = || {
        if refreshing {
            refreshes.load(Ordering::Relaxed) >= REFRESHES_SEEN
        } else {
            started.elapsed() >= span
        }
    };
    thread::scope(|scope| {
        if refreshing {
            scope.spawn(|| {
                while !done.load(Ordering::Relaxed) {
                    server.refresh();
                    refreshes.fetch_add(1, Ordering::Relaxed);
                    thread::sleep(REFRESH_PAUSE);
                }
            });
        }
        let askers: Vec<_> = (0..ASKERS)
            .map(|asker| {
                let enough = &enough;
                scope.spawn(move || {
                    let mut latencies = Vec::new();
                    let mut i = asker * 7;
                    while !enough() {
                        let asked = Instant::now();
                        server.answer(questions[i % questions.len()]);
                        latencies.push(asked.elapsed());
                        i += 1;
                    }
                    latencies
                })
            })
            .collect();
        let all: Vec<Duration> = askers
            .into_iter()
            .flat_map(|asker| asker.join().expect("an asker finished"))
            .collect();
        let elapsed = started.elapsed();
        done.store(true, Ordering::Relaxed);
        (all, refreshes.load(Ordering::Relaxed), elapsed)
    })
}

fn bench_base(criterion: &mut Criterion, base: &Base) {
    let questions: Vec<&str> = base.questions.iter().map(|q| q.text.as_str()).collect();
    let talkbot =
        Talkbot(LiveEngine::load(&base.dir).unwrap_or_else(|e| panic!("{} loads: {e}", base.name)));
    let naive = Naive {
        dir: base.dir.clone(),
        scan: RwLock::new(NaiveScan::new(talkbot.0.current().knowledge())),
    };
    let servers: [(&str, &dyn Server); 2] = [("talkbot", &talkbot), ("naive", &naive)];
    let mut group = criterion.benchmark_group(format!("concurrent/{}", base.name));
    group.throughput(Throughput::Elements(1));
    for (name, server) in servers {
        // Latency during a few refreshes, then for as long without; and the time per answer, to
        // size criterion's run.
        let (busy, refreshes, span) = latencies(server, &questions, Duration::ZERO, true);
        let (calm, _, _) = latencies(server, &questions, span, false);
        let per_answer = span / calm.len().max(1) as u32;
        let (p50, p99, max) = percentiles(calm);
        let (busy_p50, busy_p99, busy_max) = percentiles(busy);
        println!(
            "concurrent/{} {name}: answer latency p50/p99/max {p50:.2?}/{p99:.2?}/{max:.2?} calm, \
             {busy_p50:.2?}/{busy_p99:.2?}/{busy_max:.2?} during {refreshes} refreshes",
            base.name
        );
        let slow = per_answer > Duration::from_millis(5);
        group
            .sample_size(if slow { 10 } else { 30 })
            .measurement_time(if slow {
                per_answer * 200
            } else {
                Duration::from_secs(4)
            })
            .warm_up_time(Duration::from_secs(1))
            .sampling_mode(if slow {
                SamplingMode::Flat
            } else {
                SamplingMode::Auto
            });
        for refreshing in [false, true] {
            let label = if refreshing {
                format!("{name}-refreshing")
            } else {
                name.to_string()
            };
            // One refresher for the whole measurement, so every batch of answers meets a
            // refresh under way rather than waiting for one to start or end.
            with_refreshes(server, refreshing, || {
                group.bench_function(label, |b| {
                    b.iter_custom(|iters| run(server, &questions, iters))
                });
            });
        }
    }
    group.finish();
}

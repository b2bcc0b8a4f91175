//! What a `/refresh` and a `/teach` cost on a large base, beside the full reload every refresh
//! and teach did before the live engine remembered its files (the baseline, measured in the
//! same run through the same public calls the old code made):
//!
//! - `refresh-one-file`: one fact file edited, then `LiveEngine::refresh` (reads that file,
//!   analyses its facts, redoes the cross-file checks and the index);
//!   baseline `full-reload`: `Engine::load` of the whole directory plus `Changes::between`.
//! - `teach`: `LiveEngine::teach` of a new question (edit, one incremental load, swap);
//!   baseline `teach-full`: `add_question` (edit, whole-base load to check it) then
//!   `Engine::load` and `Changes::between`, as `LiveEngine::teach` did.
//! - `cold`: `Engine::load`, what `talkbot ask` pays at start, with the CPU time one load takes
//!   (all threads) and how many cores it kept busy: on a shared machine the wall time says
//!   more about the neighbours than about the load.
//!
//! Single runs are timed one by one and reported as median, p99 and max, since criterion's
//! iterations would each add a question to the same fact.
//!
//!     cargo bench --bench refresh                              # 10k and 100k facts
//!     TALKBOT_BENCH_FACTS=100000 cargo bench --bench refresh

mod common;

use std::fs;
use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use common::{percentiles, synthetic, Base};
use talkbot::engine::{Changes, Engine, LiveEngine};
use talkbot::knowledge::teach::add_question;
use talkbot::knowledge::KnowledgeBase;

fn main() {
    // The child a peak-RSS measurement runs: load, answer, say VmHWM, exit.
    if let Ok(dir) = std::env::var(RSS_CHILD) {
        // As `Engine::load` does, in its two steps, to tell what the memory goes to.
        let knowledge = KnowledgeBase::load(Path::new(&dir)).expect("the base loads");
        let loaded = status_mb("VmRSS");
        let engine = Engine::new(knowledge);
        black_box(engine.ask("who led the talks and where were they"));
        let show =
            |mb: Option<f64>| mb.map_or_else(|| "unknown".to_string(), |mb| format!("{mb:.1} MB"));
        println!(
            "{} (resident once the base was loaded, before the matcher: {})",
            show(status_mb("VmHWM")),
            show(loaded)
        );
        return;
    }
    let sizes = std::env::var("TALKBOT_BENCH_FACTS").unwrap_or_else(|_| "10000,100000".into());
    for facts in sizes.split(',').filter_map(|s| s.trim().parse().ok()) {
        bench(&synthetic(facts));
    }
}

fn bench(base: &Base) {
    let facts = KnowledgeBase::load(&base.dir)
        .expect("the base loads")
        .facts
        .len();
    let n = 15;
    // The full reloads take as long as a cold start: at 100k a few say enough.
    let n_full = if facts >= 50_000 { 2 } else { n };
    let cpu_before = cpu_time();
    let cold = timed(n_full.max(5), || Engine::load(&base.dir).is_ok());
    let cpu = cpu_time().saturating_sub(cpu_before);
    report(base, "cold (Engine::load)", &cold, None);
    // What the loads cost the cores, whatever else ran on them: on an idle machine the wall
    // time is this divided by the cores kept busy (the warm-up run is in both).
    let runs = cold.len() as u32 + u32::from(cold.len() > 2);
    let wall: Duration = cold.iter().sum::<Duration>() * runs / cold.len() as u32;
    println!(
        "refresh/{}/cold (Engine::load): {:.2?} of CPU per load, {:.2} cores busy on average",
        base.name,
        cpu / runs,
        cpu.as_secs_f64() / wall.as_secs_f64()
    );
    println!(
        "refresh/{}/peak RSS of a process that loads the base and answers once: {}",
        base.name,
        peak_rss_of_cold_load(&base.dir)
    );

    let live = LiveEngine::load(&base.dir).expect("the base loads");
    let file = first_fact_file(&base.dir);
    let mut edits = 0;
    let refresh = timed(n, || {
        edits += 1;
        touch(&file, edits);
        live.refresh().is_ok()
    });
    report(base, "refresh-one-file", &refresh, None);
    let full = timed(n_full, || {
        edits += 1;
        touch(&file, edits);
        let fresh = Engine::load(&base.dir).expect("loads");
        Changes::between(live.current().knowledge(), fresh.knowledge())
    });
    report(
        base,
        "refresh-one-file",
        &refresh,
        Some(("full-reload", &full)),
    );

    let fact_ids: Vec<String> = {
        let engine = live.current();
        let knowledge = engine.knowledge();
        (0..2 * n + 4)
            .map(|i| {
                knowledge.facts[(i * 7919) % knowledge.facts.len()]
                    .id
                    .clone()
            })
            .collect()
    };
    let mut taught = 0;
    let teach = timed(n, || {
        taught += 1;
        let question = format!("what happened in round {taught} of the bench");
        live.teach(&fact_ids[taught - 1], &question).is_ok()
    });
    report(base, "teach", &teach, None);
    let teach_full = timed(n_full, || {
        taught += 1;
        let question = format!("what happened in round {taught} of the bench");
        let before = Engine::load(&base.dir).expect("loads");
        add_question(
            &base.dir,
            before.knowledge(),
            &fact_ids[taught - 1],
            &question,
        )
        .expect("taught");
        let fresh = Engine::load(&base.dir).expect("loads");
        Changes::between(before.knowledge(), fresh.knowledge())
    });
    report(base, "teach", &teach, Some(("teach-full", &teach_full)));
}

const RSS_CHILD: &str = "TALKBOT_BENCH_RSS_CHILD";

/// Peak resident memory (`VmHWM`) of a fresh process (this bench, run again) that loads `dir`
/// as `talkbot ask` does and answers one question.
fn peak_rss_of_cold_load(dir: &Path) -> String {
    let output = std::process::Command::new(std::env::current_exe().unwrap())
        .env(RSS_CHILD, dir)
        .output()
        .expect("the bench runs itself");
    String::from_utf8_lossy(&output.stdout).trim().to_string()
}

/// CPU time (user and system) this process has used so far, all threads together.
fn cpu_time() -> Duration {
    // SAFETY: getrusage only writes the struct it is given.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_SELF, &mut usage);
        usage
    };
    let of = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    of(usage.ru_utime) + of(usage.ru_stime)
}

/// A line of `/proc/self/status` (Linux) in MB: `VmHWM` is this process's peak resident set,
/// `VmRSS` the resident set now.
fn status_mb(field: &str) -> Option<f64> {
    let status = fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| {
        l.strip_prefix(field)
            .is_some_and(|rest| rest.starts_with(':'))
    })?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// Rewrites `file` with a comment line that differs each time: a real edit, same facts.
fn touch(file: &Path, edit: usize) {
    let text = fs::read_to_string(file).unwrap();
    let body = text
        .lines()
        .filter(|line| !line.starts_with("# bench edit"))
        .collect::<Vec<_>>()
        .join("\n");
    fs::write(file, format!("# bench edit {edit}\n{body}\n")).unwrap();
}

fn first_fact_file(dir: &Path) -> std::path::PathBuf {
    let mut files: Vec<_> = fs::read_dir(dir.join("facts"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files.swap_remove(files.len() / 2)
}

/// `work` run `n` times (after one warm-up run when `n` is more than 2), each timed.
fn timed<T>(n: usize, mut work: impl FnMut() -> T) -> Vec<Duration> {
    if n > 2 {
        black_box(work());
    }
    (0..n)
        .map(|_| {
            let started = Instant::now();
            black_box(work());
            started.elapsed()
        })
        .collect()
}

fn report(base: &Base, name: &str, samples: &[Duration], baseline: Option<(&str, &[Duration])>) {
    let (p50, p99, max) = percentiles(samples.to_vec());
    print!(
        "refresh/{}/{name}: median {p50:.2?}, p99 {p99:.2?}, max {max:.2?} ({} runs)",
        base.name,
        samples.len()
    );
    if let Some((other, baseline)) = baseline {
        let (b50, b99, _) = percentiles(baseline.to_vec());
        print!(
            "; {other}: median {b50:.2?}, p99 {b99:.2?}; {:.1}x faster at the median",
            b50.as_secs_f64() / p50.as_secs_f64()
        );
    }
    println!();
}

//! `talkbot report [--days N] [--json]`: the curation reports, offline. The unanswered part is
//! [`curation::unanswered`], the function `/unanswered` calls, against the fact base in
//! `--knowledge`: questions that base now answers are left out and counted, in both.
//!
//! A report only reads: opening the store never prunes, so running one against the database
//! of a bot with a longer `RETENTION_DAYS` deletes nothing.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use serde::Serialize;

use crate::curation::{self, FactFeedback, Store, UnansweredGroup};
use crate::engine::Engine;

#[derive(Serialize)]
struct Report {
    days: u32,
    unanswered: Vec<UnansweredGroup>,
    /// Asked in the period but answered by the fact base now.
    now_answered: usize,
    feedback: Vec<FactFeedback>,
}

/// The report from the SQLite database in `data`, or from PostgreSQL at `database_url` when
/// set (`DATABASE_URL`, as the bot has it).
pub fn run(
    data: &Path,
    database_url: Option<&str>,
    knowledge: &Path,
    days: u32,
    json: bool,
) -> anyhow::Result<ExitCode> {
    if database_url.is_none() && !data.join(curation::DATABASE_FILE).exists() {
        anyhow::bail!(
            "no curation database in {} yet: it is created when `talkbot serve` runs (set DATA_DIR to look elsewhere)",
            data.display()
        );
    }
    let store =
        Store::open_configured(data, database_url).context("cannot read the curation database")?;
    let engine = Engine::load(knowledge)?;
    if store.is_read_only() {
        eprintln!(
            "note: {} is read-only, so the bot cannot record new questions or votes",
            store.describe()
        );
    }
    let now = curation::now();
    let since = curation::days_ago(now, days);
    let unanswered = curation::unanswered(&store, &engine, since, None)?;
    let report = Report {
        days,
        unanswered: unanswered.groups,
        now_answered: unanswered.now_answered,
        feedback: curation::fact_feedback(store.votes(since, None)?),
    };
    if json {
        println!("{}", serde_json::to_string(&report)?);
    } else {
        print!("{}", render(&report, now));
    }
    Ok(ExitCode::SUCCESS)
}

fn render(report: &Report, now: i64) -> String {
    let mut out = format!("Unanswered questions, last {} days:\n", report.days);
    if report.unanswered.is_empty() {
        out.push_str("  (none)\n");
    }
    if report.now_answered > 0 {
        out.push_str(&format!(
            "  ({} more asked in that time are answered by the fact base now)\n",
            report.now_answered
        ));
    }
    for group in &report.unanswered {
        out.push_str(&format!(
            "  {:>4}×  {}  ({}{})\n",
            group.count,
            group.question,
            ago(now, group.last_seen),
            if group.refused {
                ", refused"
            } else {
                ", low confidence"
            }
        ));
        for variant in &group.variants {
            out.push_str(&format!("         also: {variant}\n"));
        }
    }
    out.push_str(&format!(
        "\nFacts members found not helpful, last {} days:\n",
        report.days
    ));
    if report.feedback.is_empty() {
        out.push_str("  (none)\n");
    }
    for fact in &report.feedback {
        out.push_str(&format!(
            "  {:>4} not helpful, {} helpful  {}\n",
            fact.not_helpful, fact.helpful, fact.fact_id
        ));
        for question in &fact.questions {
            out.push_str(&format!("         asked: {question}\n"));
        }
    }
    out
}

/// "5 min ago", "3 h ago", "2 days ago": enough to tell a fresh miss from an old one.
pub fn ago(now: i64, then: i64) -> String {
    let seconds = (now - then).max(0);
    match seconds {
        0..=59 => "just now".to_string(),
        60..=3_599 => format!("{} min ago", seconds / 60),
        3_600..=86_399 => format!("{} h ago", seconds / 3_600),
        _ => format!("{} days ago", seconds / 86_400),
    }
}

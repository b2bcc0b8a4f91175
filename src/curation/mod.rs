//! The moderators' curation loop: what members asked that the bot could not answer, what they
//! found unhelpful, and the audit trail of questions moderators taught it. Kept in a database so
//! it survives restarts (SQLite in `DATA_DIR`, or PostgreSQL shared by several processes when
//! `DATABASE_URL` is set); nothing here matches questions or knows about Discord. Recording is
//! best effort: a database problem is logged and never stops an answer.
//!
//! Map: [`store`](Store) is the database, either backend; [`schema`] its migrations, one list
//! for both; [`policy`](record) decides what is recorded;
//! [`Curation`] is the store in service (one writer thread, nothing on an answer's path waits
//! for it); [`unanswered()`] and [`fact_feedback`] are the reports both adapters show.

mod policy;
mod report;
mod schema;
mod service;
mod store;
mod unanswered;

pub use policy::{normalize, record, LOW_CONFIDENCE, MAX_STORED_QUESTION_CHARS};
pub use report::{fact_feedback, group_unanswered, FactFeedback, UnansweredGroup};
pub use service::{Curation, Pruning, VoteOutcome, HELD, QUEUE};
pub use store::{
    days_ago, now, AnswerRecord, Miss, MissRow, Place, Retention, Store, StoreError, TeachRecord,
    Vote, VoteRow, DATABASE_FILE, DEFAULT_RETENTION_DAYS,
};
pub use unanswered::{still_unanswered, unanswered, Unanswered};

//! Conversations: a short line after an answer ("source?", "why?", "more", "and russia?", "2",
//! "really?") is read as a follow-up to that answer, the way people talk. Both adapters use
//! this: `talkbot chat` keeps one conversation for its session, the Discord bot one per
//! (channel, member) for reply chains and for mentions or `/ask` shortly after an answer.
//!
//! What is kept is small and short-lived: the last question and answer and the facts shown so
//! far, per key, in a capped LRU ([`lru`]) that forgets a conversation [`EXPIRY`] after its last
//! answer. The clock is injected ([`Clock`]), so expiry is tested without sleeping. A key names
//! one member in one place; nothing is ever shared between members.
//!
//! A follow-up with no conversation behind it is an ordinary question, with one exception:
//! "source?", "why?", "more" or "really?" alone refer to nothing, so they are refused rather than
//! matched (the matcher would otherwise answer "source?" with a fact that mentions a source).

mod follow;
mod kind;

use std::hash::Hash;
use std::num::NonZeroUsize;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use lru::LruCache;

use crate::answer::Answer;
use crate::engine::Engine;

pub use follow::{about, NOTHING_MORE, NO_CONTEXT};
pub use kind::{classify, FollowUp};

/// How long a conversation lasts after its last answer.
pub const EXPIRY: Duration = Duration::from_secs(10 * 60);

/// How many conversations are kept at once; the least recently used goes first. Each is a few
/// kilobytes (one answer), so this bounds the memory at a few tens of megabytes.
pub const CAPACITY: usize = 10_000;

/// What time it is; the bot uses the system's monotonic clock, tests a hand-moved one.
pub trait Clock: Send + Sync {
    fn now(&self) -> Instant;
}

pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Instant {
        Instant::now()
    }
}

/// A clock that moves only when told to: expiry tests without sleeps.
pub struct ManualClock {
    start: Instant,
    elapsed: Mutex<Duration>,
}

impl ManualClock {
    pub fn new() -> ManualClock {
        ManualClock {
            start: Instant::now(),
            elapsed: Mutex::new(Duration::ZERO),
        }
    }

    pub fn advance(&self, by: Duration) {
        *self.elapsed.lock().unwrap_or_else(|p| p.into_inner()) += by;
    }
}

impl Default for ManualClock {
    fn default() -> Self {
        ManualClock::new()
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Instant {
        self.start + *self.elapsed.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl<C: Clock + ?Sized> Clock for std::sync::Arc<C> {
    fn now(&self) -> Instant {
        (**self).now()
    }
}

/// A [`Clock`] to hand around (a setting of the bot, so tests can give theirs).
#[derive(Clone)]
pub struct SharedClock(pub std::sync::Arc<dyn Clock>);

impl SharedClock {
    pub fn system() -> SharedClock {
        SharedClock(std::sync::Arc::new(SystemClock))
    }
}

impl Default for SharedClock {
    fn default() -> Self {
        SharedClock::system()
    }
}

impl std::fmt::Debug for SharedClock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SharedClock")
    }
}

impl Clock for SharedClock {
    fn now(&self) -> Instant {
        self.0.now()
    }
}

/// What a conversation remembers of its last answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Context {
    /// The last question asked as a question ("and russia?" leaves the rewritten one here),
    /// which "and X?" rewrites.
    pub question: String,
    /// The last answer: what "source?", "why?", "really?" and a number refer to.
    pub answer: Answer,
    /// Every fact shown in this conversation, so "more" and "why?" never repeat one.
    pub shown: Vec<String>,
    /// The topics of the last question's answer: "more" after "why?" stays on them, rather
    /// than wandering off to the topic of an explanation.
    pub topics: Vec<String>,
}

impl Context {
    /// A conversation that starts with `answer`.
    pub fn new(answer: &Answer) -> Context {
        let mut context = Context {
            question: answer.question.clone(),
            answer: answer.clone(),
            shown: Vec::new(),
            topics: Vec::new(),
        };
        for fact in &answer.facts {
            if !context.topics.contains(&fact.topic) {
                context.topics.push(fact.topic.clone());
            }
        }
        context.saw(answer);
        context
    }

    fn saw(&mut self, answer: &Answer) {
        for fact in &answer.facts {
            if !self.shown.contains(&fact.id) {
                self.shown.push(fact.id.clone());
            }
        }
    }
}

/// One line answered in a conversation, and the conversation after it. A follow-up that had
/// nothing to refer to leaves the conversation as it was (none, or the refusal before it).
pub fn reply(engine: &Engine, context: Option<&Context>, line: &str) -> (Answer, Option<Context>) {
    let (answer, asked) = follow::answer(engine, context, line);
    if answer.answer == NO_CONTEXT {
        return (answer, context.cloned());
    }
    let next = match (context, answer.follow_up.as_ref()) {
        // "source?" and "really?" look at the answer; the conversation stays where it was.
        (Some(context), Some(note)) if note.kind == "source" || note.kind == "sure" => {
            context.clone()
        }
        // "why?" and "more" add facts to the same conversation: "more" again goes on from them.
        (Some(context), Some(note)) if note.kind == "why" || note.kind == "more" => {
            let mut next = context.clone();
            if answer.answered() {
                next.answer = answer.clone();
            }
            next.saw(&answer);
            next
        }
        // A new question, a suggestion picked, or "and X?": the conversation moves to it.
        (previous, _) => {
            let mut next = Context::new(&answer);
            next.question = asked;
            if let Some(previous) = previous.filter(|_| answer.follow_up.is_some()) {
                next.shown.extend(
                    previous
                        .shown
                        .iter()
                        .filter(|id| !next.shown.contains(id))
                        .cloned()
                        .collect::<Vec<_>>(),
                );
            }
            next
        }
    };
    (answer, Some(next))
}

/// The conversations in progress, by key (the bot's is (channel, member)), bounded and expiring.
pub struct Conversations<K: Hash + Eq> {
    kept: Mutex<LruCache<K, (Instant, Context)>>,
    clock: Box<dyn Clock>,
}

impl<K: Hash + Eq> Conversations<K> {
    pub fn new(capacity: usize, clock: Box<dyn Clock>) -> Conversations<K> {
        let capacity = NonZeroUsize::new(capacity).unwrap_or(NonZeroUsize::MIN);
        Conversations {
            kept: Mutex::new(LruCache::new(capacity)),
            clock,
        }
    }

    /// The conversation under `key`, if its last answer was less than [`EXPIRY`] ago.
    pub fn get(&self, key: &K) -> Option<Context> {
        let now = self.clock.now();
        let mut kept = self.lock();
        match kept.get(key) {
            Some((at, context)) if now.duration_since(*at) < EXPIRY => Some(context.clone()),
            Some(_) => {
                kept.pop(key);
                None
            }
            None => None,
        }
    }

    /// Remembers `context` under `key`, as of now.
    pub fn put(&self, key: K, context: Context) {
        let now = self.clock.now();
        self.lock().put(key, (now, context));
    }

    pub fn len(&self) -> usize {
        self.lock().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    // Held only for a map operation and a clone, never across an await.
    fn lock(&self) -> std::sync::MutexGuard<'_, LruCache<K, (Instant, Context)>> {
        self.kept.lock().unwrap_or_else(|p| p.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    fn context(question: &str) -> Context {
        Context::new(&Answer::new(question, 0.0, vec![], vec![]))
    }

    #[test]
    fn a_conversation_expires_ten_minutes_after_its_last_answer() {
        let clock = Arc::new(ManualClock::new());
        let kept = Conversations::new(10, Box::new(clock.clone()));
        kept.put((1, 7), context("Who led?"));
        clock.advance(EXPIRY - Duration::from_secs(1));
        assert_eq!(kept.get(&(1, 7)).unwrap().question, "Who led?");
        clock.advance(Duration::from_secs(1));
        assert_eq!(kept.get(&(1, 7)), None);
        assert!(kept.is_empty(), "an expired conversation is dropped");
    }

    #[test]
    fn members_never_share_a_conversation() {
        let kept = Conversations::new(10, Box::new(SystemClock));
        kept.put((1, 7), context("Who led?"));
        assert_eq!(kept.get(&(1, 8)), None);
        assert_eq!(kept.get(&(2, 7)), None);
    }

    #[test]
    fn the_least_recently_used_goes_when_full() {
        let kept = Conversations::new(2, Box::new(SystemClock));
        kept.put(1, context("a"));
        kept.put(2, context("b"));
        kept.get(&1);
        kept.put(3, context("c"));
        assert_eq!(kept.len(), 2);
        assert!(kept.get(&2).is_none());
        assert!(kept.get(&1).is_some() && kept.get(&3).is_some());
    }
}

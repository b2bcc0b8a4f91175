//! Per-member cooldown for mention answers, against one member flooding a channel through the
//! bot. The first mention inside the window gets one quiet notice; further ones are ignored, so
//! the bot never answers spam with spam.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use poise::serenity_prelude::UserId;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Answer,
    /// Too soon: say so once, with the time left.
    Notice(Duration),
    Ignore,
}

pub struct Cooldown {
    period: Duration,
    /// Last answer per member, and whether they were already told to wait.
    last: Mutex<HashMap<UserId, (Instant, bool)>>,
}

/// Past this many remembered members, expired entries are dropped so memory stays bounded.
const PRUNE_ABOVE: usize = 1024;

impl Cooldown {
    pub fn new(period: Duration) -> Cooldown {
        Cooldown {
            period,
            last: Mutex::new(HashMap::new()),
        }
    }

    pub fn check(&self, user: UserId, now: Instant) -> Verdict {
        // The lock is held for a map lookup only, never across an await.
        let mut last = self
            .last
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if last.len() > PRUNE_ABOVE {
            last.retain(|_, (at, _)| now.duration_since(*at) < self.period);
        }
        match last.get_mut(&user) {
            Some((at, noticed)) if now.duration_since(*at) < self.period => {
                if *noticed {
                    Verdict::Ignore
                } else {
                    *noticed = true;
                    Verdict::Notice(self.period - now.duration_since(*at))
                }
            }
            _ => {
                last.insert(user, (now, false));
                Verdict::Answer
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_answer_then_one_notice_then_silence_until_the_period_ends() {
        let cooldown = Cooldown::new(Duration::from_secs(5));
        let start = Instant::now();
        let member = UserId::new(1);
        assert_eq!(cooldown.check(member, start), Verdict::Answer);
        assert_eq!(
            cooldown.check(member, start + Duration::from_secs(1)),
            Verdict::Notice(Duration::from_secs(4))
        );
        assert_eq!(
            cooldown.check(member, start + Duration::from_secs(2)),
            Verdict::Ignore
        );
        assert_eq!(
            cooldown.check(member, start + Duration::from_secs(5)),
            Verdict::Answer
        );
    }

    #[test]
    fn members_do_not_share_a_cooldown() {
        let cooldown = Cooldown::new(Duration::from_secs(5));
        let now = Instant::now();
        assert_eq!(cooldown.check(UserId::new(1), now), Verdict::Answer);
        assert_eq!(cooldown.check(UserId::new(2), now), Verdict::Answer);
    }

    #[test]
    fn a_zero_period_never_holds_anyone_back() {
        let cooldown = Cooldown::new(Duration::ZERO);
        let now = Instant::now();
        assert_eq!(cooldown.check(UserId::new(1), now), Verdict::Answer);
        assert_eq!(cooldown.check(UserId::new(1), now), Verdict::Answer);
    }
}

//! `talkbot serve`'s settings, read once at start from the environment (and `.env`), failing
//! fast with the name of the variable that is wrong. `.env.example` documents each one.

use crate::conversation::SharedClock;
use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use poise::serenity_prelude::{GuildId, RoleId};

use crate::curation::DEFAULT_RETENTION_DAYS;

/// One mention answer per member per this long; see [`crate::discord::cooldown`].
pub const DEFAULT_MENTION_COOLDOWN: Duration = Duration::from_secs(5);

/// Where the curation database lives unless `DATA_DIR` says otherwise; the same default as
/// `talkbot report --data`, so the two find the same file.
pub const DEFAULT_DATA_DIR: &str = "data";

#[derive(Debug, Clone)]
pub struct Config {
    pub token: Token,
    /// A Discord-compatible REST endpoint (a rate-limit proxy, or a test's fake Discord).
    pub api_base: Option<String>,
    /// Register commands in this one server (immediate) instead of globally.
    pub guild_id: Option<GuildId>,
    /// Members with this role may `/refresh`, besides those with Manage Server.
    pub moderator_role_id: Option<RoleId>,
    pub knowledge_dir: PathBuf,
    pub mention_cooldown: Duration,
    /// The curation database's directory (`DATA_DIR`), created on first run.
    pub data_dir: PathBuf,
    /// Unanswered questions, answers and votes older than this many days are deleted.
    pub retention_days: u32,
    /// What conversations expire by: the system's clock, or a test's moved by hand.
    pub clock: SharedClock,
    /// The shards this process runs (`SHARDS` of `SHARD_COUNT`); `None`: as many as Discord
    /// recommends, all in this process.
    pub shards: Option<ShardRange>,
    /// The PostgreSQL database every process of the bot shares (`DATABASE_URL`); `None`: this
    /// process alone.
    pub database_url: Option<DatabaseUrl>,
}

/// Shards `first` to `last`, both included, of `count` shards in all the bot's processes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShardRange {
    pub first: u32,
    pub last: u32,
    pub count: u32,
}

impl ShardRange {
    /// Reads `SHARDS` (`0-3`, or one id: `2`) and `SHARD_COUNT`, which go together.
    fn parse(shards: Option<String>, count: Option<String>) -> Result<Option<Self>, ConfigError> {
        let (shards, count) = match (shards, count) {
            (None, None) => return Ok(None),
            (Some(shards), None) => return Err(ConfigError::ShardsWithoutCount(shards)),
            (None, Some(count)) => return Err(ConfigError::CountWithoutShards(count)),
            (Some(shards), Some(count)) => (shards, count),
        };
        let total = match count.parse::<u32>() {
            Ok(total) if total > 0 => total,
            _ => return Err(ConfigError::BadShardCount(count)),
        };
        let id = |part: &str| part.trim().parse::<u32>().ok();
        let (first, last) = match shards.split_once('-') {
            Some((first, last)) => (id(first), id(last)),
            None => (id(&shards), id(&shards)),
        };
        let (Some(first), Some(last)) = (first, last) else {
            return Err(ConfigError::BadShards(shards));
        };
        if last < first {
            return Err(ConfigError::BackwardShards { first, last });
        }
        if last >= total {
            return Err(ConfigError::ShardsBeyondCount {
                shards,
                last,
                count: total,
            });
        }
        Ok(Some(ShardRange {
            first,
            last,
            count: total,
        }))
    }

    /// How many shards this process runs.
    pub fn in_this_process(&self) -> u32 {
        self.last - self.first + 1
    }
}

impl fmt::Display for ShardRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{} of {}", self.first, self.last, self.count)
    }
}

/// A PostgreSQL URL. It may hold a password, so its `Debug` shows only that it is set.
#[derive(Clone, PartialEq, Eq)]
pub struct DatabaseUrl(String);

impl DatabaseUrl {
    pub fn new(url: impl Into<String>) -> DatabaseUrl {
        DatabaseUrl(url.into())
    }

    /// The URL itself, for the one place that needs it: connecting.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DatabaseUrl(<redacted>)")
    }
}

/// The bot token. Its `Debug` and `Display` never show it, so a logged config is safe.
#[derive(Clone)]
pub struct Token(String);

impl Token {
    pub fn new(token: impl Into<String>) -> Token {
        Token(token.into())
    }

    /// The token itself, for the one place that needs it: building the HTTP client.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(<redacted>)")
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    #[error(
        "DISCORD_TOKEN is not set; put the bot token in .env or the environment (see .env.example)"
    )]
    MissingToken,
    #[error("{name} must be a Discord id (a positive number), not `{value}`")]
    BadId { name: &'static str, value: String },
    #[error("DISCORD_API_BASE must start with http:// or https://, not `{0}`")]
    BadApiBase(String),
    #[error("RETENTION_DAYS must be a whole number of days from 1 to 36500, not `{0}`")]
    BadRetention(String),
    #[error(
        "SHARDS must be this process's shard ids as first-last, both included (e.g. SHARDS=0-3), or one id, not `{0}`"
    )]
    BadShards(String),
    #[error(
        "SHARDS={first}-{last} ends before it starts; write the lower id first: SHARDS={last}-{first}"
    )]
    BackwardShards { first: u32, last: u32 },
    #[error(
        "SHARDS={shards} needs shard {last}, but SHARD_COUNT={count} numbers the shards 0 to {}; raise SHARD_COUNT or end SHARDS at {}",
        count - 1,
        count - 1
    )]
    ShardsBeyondCount {
        shards: String,
        last: u32,
        count: u32,
    },
    #[error(
        "SHARDS={0} is set without SHARD_COUNT; set SHARD_COUNT to the number of shards of all the bot's processes together, the same in each"
    )]
    ShardsWithoutCount(String),
    #[error(
        "SHARD_COUNT={0} is set without SHARDS; set SHARDS to the shards this process runs as first-last (e.g. SHARDS=0-3), or unset both to let Discord decide"
    )]
    CountWithoutShards(String),
    #[error("SHARD_COUNT must be a whole number of shards from 1 up, not `{0}`")]
    BadShardCount(String),
    #[error(
        "DATABASE_URL must be a PostgreSQL URL starting with postgres:// or postgresql:// (e.g. postgres://talkbot:password@db-host/talkbot)"
    )]
    BadDatabaseUrl,
}

impl Config {
    /// Reads the process environment, after loading `.env` from the working directory if there
    /// is one (variables already set win over the file).
    pub fn from_env(knowledge_dir: PathBuf) -> Result<Config, ConfigError> {
        load_dotenv();
        Config::from_lookup(|name| std::env::var(name).ok(), knowledge_dir)
    }

    /// Reads settings through `lookup`, so tests need not touch the process environment. An
    /// empty value counts as unset: `.env.example` copied as it is must not break start-up.
    pub fn from_lookup(
        lookup: impl Fn(&str) -> Option<String>,
        knowledge_dir: PathBuf,
    ) -> Result<Config, ConfigError> {
        let get = |name: &str| {
            lookup(name)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        let token = get("DISCORD_TOKEN").ok_or(ConfigError::MissingToken)?;
        let api_base = match get("DISCORD_API_BASE") {
            Some(base) if base.starts_with("http://") || base.starts_with("https://") => {
                Some(base.trim_end_matches('/').to_string())
            }
            Some(base) => return Err(ConfigError::BadApiBase(base)),
            None => None,
        };
        Ok(Config {
            token: Token::new(token),
            api_base,
            guild_id: id(&get, "GUILD_ID")?.map(GuildId::new),
            moderator_role_id: id(&get, "MODERATOR_ROLE_ID")?.map(RoleId::new),
            knowledge_dir,
            mention_cooldown: DEFAULT_MENTION_COOLDOWN,
            data_dir: PathBuf::from(get("DATA_DIR").unwrap_or_else(|| DEFAULT_DATA_DIR.into())),
            retention_days: match get("RETENTION_DAYS") {
                None => DEFAULT_RETENTION_DAYS,
                Some(value) => match value.parse::<u32>() {
                    Ok(days) if (1..=36_500).contains(&days) => days,
                    _ => return Err(ConfigError::BadRetention(value)),
                },
            },
            clock: SharedClock::system(),
            shards: ShardRange::parse(get("SHARDS"), get("SHARD_COUNT"))?,
            database_url: match get("DATABASE_URL") {
                Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
                    Some(DatabaseUrl::new(url))
                }
                // The value is not shown: it may hold a password.
                Some(_) => return Err(ConfigError::BadDatabaseUrl),
                None => None,
            },
        })
    }
}

/// Loads `.env` once. Exposed so the CLI can load it before it settles `KNOWLEDGE_DIR`.
pub fn load_dotenv() {
    // A missing file is the normal case in production, where the environment is set directly.
    let _ = dotenvy::dotenv();
}

fn id(
    get: &impl Fn(&str) -> Option<String>,
    name: &'static str,
) -> Result<Option<u64>, ConfigError> {
    match get(name) {
        None => Ok(None),
        Some(value) => match value.parse::<u64>() {
            Ok(number) if number > 0 => Ok(Some(number)),
            _ => Err(ConfigError::BadId { name, value }),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let vars: Vec<(String, String)> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup(
            |name| vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()),
            PathBuf::from("knowledge"),
        )
    }

    #[test]
    fn a_missing_token_is_named() {
        let error = config(&[]).unwrap_err();
        assert_eq!(error, ConfigError::MissingToken);
        assert!(error.to_string().starts_with("DISCORD_TOKEN is not set"));
        assert_eq!(
            config(&[("DISCORD_TOKEN", "  ")]).unwrap_err(),
            ConfigError::MissingToken
        );
    }

    #[test]
    fn debug_never_shows_the_token() {
        let config = config(&[("DISCORD_TOKEN", "secret-token-value")]).unwrap();
        let shown = format!("{config:?}");
        assert!(!shown.contains("secret-token-value"), "{shown}");
        assert!(shown.contains("redacted"));
    }

    #[test]
    fn optional_settings_are_read() {
        let config = config(&[
            ("DISCORD_TOKEN", "t"),
            ("DISCORD_API_BASE", "http://127.0.0.1:9/"),
            ("GUILD_ID", "42"),
            ("MODERATOR_ROLE_ID", ""),
        ])
        .unwrap();
        assert_eq!(config.api_base.as_deref(), Some("http://127.0.0.1:9"));
        assert_eq!(config.guild_id, Some(GuildId::new(42)));
        assert_eq!(config.moderator_role_id, None);
        assert_eq!(config.data_dir, PathBuf::from("data"));
        assert_eq!(config.retention_days, DEFAULT_RETENTION_DAYS);
    }

    #[test]
    fn data_dir_and_retention_are_read() {
        let config = config(&[
            ("DISCORD_TOKEN", "t"),
            ("DATA_DIR", "/var/lib/talkbot"),
            ("RETENTION_DAYS", "30"),
        ])
        .unwrap();
        assert_eq!(config.data_dir, PathBuf::from("/var/lib/talkbot"));
        assert_eq!(config.retention_days, 30);
        for bad in ["0", "-1", "ninety", "100000"] {
            let error = config_with_retention(bad).unwrap_err();
            assert!(
                error.to_string().starts_with("RETENTION_DAYS must"),
                "{error}"
            );
        }
    }

    fn config_with_retention(days: &str) -> Result<Config, ConfigError> {
        config(&[("DISCORD_TOKEN", "t"), ("RETENTION_DAYS", days)])
    }

    #[test]
    fn bad_values_name_their_variable() {
        let error = config(&[("DISCORD_TOKEN", "t"), ("GUILD_ID", "my server")]).unwrap_err();
        assert!(error.to_string().starts_with("GUILD_ID must be"), "{error}");
        let error =
            config(&[("DISCORD_TOKEN", "t"), ("DISCORD_API_BASE", "127.0.0.1:9")]).unwrap_err();
        assert!(
            error.to_string().starts_with("DISCORD_API_BASE must"),
            "{error}"
        );
    }

    fn shards(shards: &str, count: &str) -> Result<Config, ConfigError> {
        config(&[
            ("DISCORD_TOKEN", "t"),
            ("SHARDS", shards),
            ("SHARD_COUNT", count),
        ])
    }

    #[test]
    fn a_shard_range_is_read_with_its_end_included() {
        assert_eq!(config(&[("DISCORD_TOKEN", "t")]).unwrap().shards, None);
        let range = shards("0-3", "8").unwrap().shards.unwrap();
        assert_eq!(
            range,
            ShardRange {
                first: 0,
                last: 3,
                count: 8
            }
        );
        assert_eq!(range.in_this_process(), 4);
        assert_eq!(range.to_string(), "0-3 of 8");
        let one = shards(" 7 ", "8").unwrap().shards.unwrap();
        assert_eq!((one.first, one.last, one.in_this_process()), (7, 7, 1));
        assert_eq!(
            shards("4 - 7", "8")
                .unwrap()
                .shards
                .unwrap()
                .in_this_process(),
            4
        );
    }

    #[test]
    fn a_wrong_shard_range_says_what_to_change() {
        let said =
            |shards_value: &str, count: &str| shards(shards_value, count).unwrap_err().to_string();
        assert_eq!(
            said("4-2", "8"),
            "SHARDS=4-2 ends before it starts; write the lower id first: SHARDS=2-4"
        );
        assert_eq!(
            said("0-9", "8"),
            "SHARDS=0-9 needs shard 9, but SHARD_COUNT=8 numbers the shards 0 to 7; raise SHARD_COUNT or end SHARDS at 7"
        );
        for bad in ["0..3", "a-b", "-1-3", "0-", "first"] {
            assert!(said(bad, "8").starts_with("SHARDS must be"), "{bad}");
        }
        for bad in ["0", "-4", "eight"] {
            assert!(said("0-3", bad).starts_with("SHARD_COUNT must be"), "{bad}");
        }
        let alone = config(&[("DISCORD_TOKEN", "t"), ("SHARDS", "0-3")]).unwrap_err();
        assert_eq!(alone, ConfigError::ShardsWithoutCount("0-3".into()));
        assert!(alone
            .to_string()
            .starts_with("SHARDS=0-3 is set without SHARD_COUNT; set SHARD_COUNT"));
        let alone = config(&[("DISCORD_TOKEN", "t"), ("SHARD_COUNT", "8")]).unwrap_err();
        assert!(alone
            .to_string()
            .starts_with("SHARD_COUNT=8 is set without SHARDS; set SHARDS"));
    }

    #[test]
    fn the_database_url_is_checked_and_never_shown() {
        let url = "postgres://talkbot:hunter2@db/talkbot";
        let config_with_url = config(&[("DISCORD_TOKEN", "t"), ("DATABASE_URL", url)]).unwrap();
        assert_eq!(
            config_with_url
                .database_url
                .as_ref()
                .map(DatabaseUrl::expose),
            Some(url)
        );
        let shown = format!("{config_with_url:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
        let error = config(&[
            ("DISCORD_TOKEN", "t"),
            ("DATABASE_URL", "mysql://u:hunter2@db/x"),
        ])
        .unwrap_err();
        assert_eq!(error, ConfigError::BadDatabaseUrl);
        assert!(error.to_string().starts_with("DATABASE_URL must be"));
        assert!(!error.to_string().contains("hunter2"));
        assert!(config(&[
            ("DISCORD_TOKEN", "t"),
            ("DATABASE_URL", "postgresql://db/x")
        ])
        .unwrap()
        .database_url
        .is_some());
    }
}

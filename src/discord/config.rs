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
}

//! The bot under test, started against a [`FakeDiscord`]: in this process, exactly as
//! `talkbot serve` runs it ([`start_bot`]), or as the real binary in a child process
//! ([`Serve`]). Both stop the way a deployment stops them and check that they did.

use std::io::Read;
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use talkbot::discord::Config;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use super::fixtures::GUILD_ID;
use super::{FakeDiscord, WAIT};

/// The token of every bot run in this process; tests of the binary choose their own.
pub const TOKEN: &str = "test-token";

/// The bot run in this process by `talkbot::discord::run`.
pub struct Bot {
    stop: oneshot::Sender<()>,
    task: JoinHandle<anyhow::Result<()>>,
    /// The curation database's directory when the test did not give one: private to this bot
    /// and deleted with it.
    _data: Option<tempfile::TempDir>,
}

/// Starts the bot against `fake` with the fact base in `knowledge`, the way `talkbot serve`
/// reads its settings, and waits until it has registered its commands (it is then ready).
///
/// Every bot has [`TOKEN`], the fake's API base, [`GUILD_ID`] (so commands are registered for
/// the test guild) and a temporary `DATA_DIR`; `settings` add to those or replace them.
pub async fn start_bot(fake: &FakeDiscord, knowledge: &Path, settings: &[(&str, &str)]) -> Bot {
    start_bot_with(fake, knowledge, settings, |_| {}).await
}

/// [`start_bot`], with what the environment cannot set changed first (a test's clock).
pub async fn start_bot_with(
    fake: &FakeDiscord,
    knowledge: &Path,
    settings: &[(&str, &str)],
    change: impl FnOnce(&mut Config),
) -> Bot {
    let bot = spawn_bot(fake, knowledge, settings, change);
    fake.wait_for_registration().await;
    bot
}

/// Starts the bot as [`start_bot`] does with `SHARDS={first}-{last}` and `SHARD_COUNT` the
/// fake's, and waits until each of those shards has identified (the bot then answers on them;
/// whether it registers commands depends on the cluster).
pub async fn start_bot_on_shards(
    fake: &FakeDiscord,
    knowledge: &Path,
    shards: std::ops::RangeInclusive<u32>,
    settings: &[(&str, &str)],
) -> Bot {
    let range = format!("{}-{}", shards.start(), shards.end());
    let count = fake.shard_count().to_string();
    let mut all = vec![("SHARDS", range.as_str()), ("SHARD_COUNT", count.as_str())];
    all.extend_from_slice(settings);
    let before = fake.connection_count();
    let bot = spawn_bot(fake, knowledge, &all, |_| {});
    fake.wait_for_shards(shards, before).await;
    bot
}

/// Starts the bot as [`start_bot`] does, without waiting for it to be ready.
pub fn spawn_bot(
    fake: &FakeDiscord,
    knowledge: &Path,
    settings: &[(&str, &str)],
    change: impl FnOnce(&mut Config),
) -> Bot {
    let given = |name: &str| settings.iter().any(|(setting, _)| *setting == name);
    let data = (!given("DATA_DIR")).then(|| tempfile::tempdir().unwrap());
    let data_dir = data
        .as_ref()
        .map(|data| data.path().display().to_string())
        .unwrap_or_default();
    let guild = GUILD_ID.to_string();
    let defaults = [
        ("DISCORD_TOKEN", TOKEN),
        ("DISCORD_API_BASE", fake.api_base.as_str()),
        ("GUILD_ID", guild.as_str()),
        ("DATA_DIR", data_dir.as_str()),
    ];
    // `settings` come first, so the first match is theirs.
    let vars: Vec<(&str, &str)> = settings.iter().chain(&defaults).copied().collect();
    let config = Config::from_lookup(
        |name| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        },
        knowledge.to_path_buf(),
    )
    .expect("config");
    let mut config = config;
    change(&mut config);
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(talkbot::discord::run(config, async move {
        let _ = stopped.await;
    }));
    Bot {
        stop,
        task,
        _data: data,
    }
}

impl Bot {
    /// Stops the bot as SIGINT would, and checks it was still running until then and shut
    /// down cleanly and promptly.
    pub async fn stop(self) {
        assert!(!self.task.is_finished(), "the bot stopped on its own");
        let _ = self.stop.send(());
        let result = tokio::time::timeout(WAIT, self.task)
            .await
            .expect("the bot stops within the wait")
            .expect("the bot task did not panic");
        result.expect("the bot ran and stopped without error");
    }
}

/// `talkbot serve` as a child process, killed if the test fails before it stops, with its
/// stderr collected so a test can read what it logged.
pub struct Serve {
    child: Child,
    stderr: Arc<Mutex<String>>,
}

impl Serve {
    /// Starts `talkbot serve` in `cwd` with `envs` and none of the bot's settings from the
    /// environment the tests run in; logging as a deployment's default, `RUST_LOG` aside.
    pub fn start(envs: &[(&str, &str)], cwd: &Path) -> Serve {
        let mut command = Command::new(env!("CARGO_BIN_EXE_talkbot"));
        command
            .arg("serve")
            .current_dir(cwd)
            .env_remove("DISCORD_TOKEN")
            .env_remove("DISCORD_API_BASE")
            .env_remove("GUILD_ID")
            .env_remove("MODERATOR_ROLE_ID")
            .env_remove("KNOWLEDGE_DIR")
            .env_remove("DATA_DIR")
            .env_remove("RETENTION_DAYS")
            .env_remove("SHARDS")
            .env_remove("SHARD_COUNT")
            .env_remove("DATABASE_URL")
            .env("RUST_LOG", "warn,talkbot=info")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        for (name, value) in envs {
            command.env(name, value);
        }
        let mut child = command.spawn().expect("start talkbot serve");
        let stderr = Arc::new(Mutex::new(String::new()));
        let mut pipe = child.stderr.take().unwrap();
        let sink = stderr.clone();
        std::thread::spawn(move || {
            let mut buffer = [0u8; 8192];
            while let Ok(n) = pipe.read(&mut buffer) {
                if n == 0 {
                    break;
                }
                sink.lock()
                    .unwrap()
                    .push_str(&String::from_utf8_lossy(&buffer[..n]));
            }
        });
        Serve { child, stderr }
    }

    /// Everything the process has logged so far.
    pub fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// Waits, up to [`WAIT`], until the process has logged `text`.
    pub async fn wait_for_log(&self, text: &str) {
        let deadline = Instant::now() + WAIT;
        while !self.stderr().contains(text) {
            assert!(
                Instant::now() < deadline,
                "talkbot did not log {text:?}; it logged:\n{}",
                self.stderr()
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    pub fn running(&mut self) -> bool {
        self.child.try_wait().unwrap().is_none()
    }

    /// Waits, up to [`WAIT`], for the process to exit on its own.
    pub async fn wait(&mut self) -> ExitStatus {
        let deadline = Instant::now() + WAIT;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                // Let the reader thread take in the last lines.
                tokio::time::sleep(Duration::from_millis(100)).await;
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "talkbot did not exit; it logged:\n{}",
                self.stderr()
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Ends the process at once (SIGKILL), as a crash or an out-of-memory kill does: nothing
    /// is closed or flushed.
    pub fn kill(&mut self) {
        self.child.kill().expect("kill talkbot serve");
        self.child.wait().expect("reap talkbot serve");
    }

    /// Sends SIGTERM, as a container runtime or systemd stops the bot.
    pub fn terminate(&self) {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("run kill");
        assert!(status.success());
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

//! A PostgreSQL server of the test's own: `initdb` in a temporary directory, listening on a
//! free port on 127.0.0.1, trusting local connections, stopped when dropped. When the server
//! programs are not installed, [`TestPostgres::start`] says so (the test then fails, naming
//! what is missing, rather than passing).

use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct TestPostgres {
    /// What `DATABASE_URL` is set to.
    pub url: String,
    server: Child,
    _dir: tempfile::TempDir,
}

/// PostgreSQL refuses to run as root; as root, the server runs as this user.
const UNPRIVILEGED: &str = "postgres";

impl TestPostgres {
    pub fn start() -> Result<TestPostgres, String> {
        let bin = server_programs().ok_or(
            "PostgreSQL's server programs (initdb, postgres) are not installed; `.ci/run` installs them",
        )?;
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let data = dir.path().join("data");
        // The server runs as its own process (no wrapper between), so stopping it is one signal.
        let user = if running_as_root() {
            let user = unprivileged().ok_or(format!(
                "running as root, and there is no `{UNPRIVILEGED}` user to run PostgreSQL as"
            ))?;
            let status = Command::new("chown")
                .args([UNPRIVILEGED, &dir.path().display().to_string()])
                .status()
                .map_err(|e| e.to_string())?;
            if !status.success() {
                return Err(format!(
                    "cannot hand the data directory to `{UNPRIVILEGED}`"
                ));
            }
            Some(user)
        } else {
            None
        };
        let run = |program: &Path| {
            let mut command = Command::new(program);
            if let Some((uid, gid)) = user {
                command.uid(uid).gid(gid);
            }
            command.stdin(Stdio::null());
            command
        };
        let initdb = run(&bin.join("initdb"))
            .args([
                "-U",
                "talkbot",
                "--auth=trust",
                "-E",
                "UTF8",
                "--no-sync",
                "-D",
            ])
            .arg(&data)
            .stdout(Stdio::null())
            .output()
            .map_err(|e| format!("initdb: {e}"))?;
        if !initdb.status.success() {
            return Err(format!(
                "initdb failed: {}",
                String::from_utf8_lossy(&initdb.stderr)
            ));
        }
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .map_err(|e| e.to_string())?
            .port();
        let server = run(&bin.join("postgres"))
            .arg("-D")
            .arg(&data)
            .args(["-p", &port.to_string(), "-c", "listen_addresses=127.0.0.1"])
            .args(["-c", "fsync=off", "-k"])
            .arg(dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("postgres: {e}"))?;
        let postgres = TestPostgres {
            url: format!("postgres://talkbot@127.0.0.1:{port}/postgres"),
            server,
            _dir: dir,
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        while !ready(&bin, port) {
            if Instant::now() > deadline {
                return Err("the test PostgreSQL did not accept connections within 20 s".into());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Ok(postgres)
    }
}

fn ready(bin: &Path, port: u16) -> bool {
    Command::new(bin.join("pg_isready"))
        .args(["-h", "127.0.0.1", "-p", &port.to_string(), "-q"])
        .status()
        .is_ok_and(|status| status.success())
}

/// The directory holding `initdb`, `postgres` and `pg_isready`: Debian's versioned one, else
/// whatever `PATH` finds.
fn server_programs() -> Option<PathBuf> {
    let mut candidates: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .map(|version| version.path().join("bin"))
        .collect();
    candidates.sort();
    candidates.reverse();
    candidates.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    candidates
        .into_iter()
        .find(|dir| dir.join("initdb").exists() && dir.join("pg_isready").exists())
}

/// The uid and gid of [`UNPRIVILEGED`].
fn unprivileged() -> Option<(u32, u32)> {
    let id = |flag: &str| -> Option<u32> {
        let out = Command::new("id")
            .args([flag, UNPRIVILEGED])
            .output()
            .ok()?;
        String::from_utf8_lossy(&out.stdout).trim().parse().ok()
    };
    Some((id("-u")?, id("-g")?))
}

fn running_as_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|out| String::from_utf8_lossy(&out.stdout).trim() == "0")
}

impl Drop for TestPostgres {
    fn drop(&mut self) {
        // SIGQUIT: PostgreSQL's immediate shutdown, which also ends its backends.
        let _ = Command::new("kill")
            .args(["-QUIT", &self.server.id().to_string()])
            .status();
        let _ = self.server.wait();
    }
}

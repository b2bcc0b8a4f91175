//! A real PostgreSQL server for tests, started by the test itself: `initdb` in a temp dir, then
//! `postgres` on a free 127.0.0.1 port with its unix socket in the temp dir too, so tests in
//! parallel never share one. Stopped (fast shutdown) when dropped; a fault test can stop it
//! and start it again on the same port and data.
//!
//! The binaries are found on PATH or under /usr/lib/postgresql/*/bin (Debian's layout). When
//! they are missing the test fails saying how to install them: a test that needs PostgreSQL
//! never passes without it. PostgreSQL refuses to run as root, so as root the server runs as
//! `nobody` (through `setpriv`, or `runuser`), its directory handed to that user.

#![allow(dead_code)]

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const INSTALL_HINT: &str = "PostgreSQL's server binaries (initdb, postgres) were not found on PATH or under /usr/lib/postgresql/*/bin. These tests need a real server: install it with `apt-get install postgresql` (or run .ci/run, which installs it when missing).";

/// The database user the tests connect as (a superuser made by initdb, no password).
const USER: &str = "talkbot";

pub struct PostgresServer {
    dir: tempfile::TempDir,
    bin: PathBuf,
    port: u16,
    run_as: Option<RunAs>,
    child: Option<Child>,
    /// How many "ready" lines the log had when this server last started.
    starts: usize,
}

#[derive(Clone)]
struct RunAs {
    uid: u32,
    gid: u32,
}

impl PostgresServer {
    /// A new cluster, started and ready. Panics with [`INSTALL_HINT`] without the binaries.
    pub fn start() -> PostgresServer {
        let bin = binaries().unwrap_or_else(|| panic!("{INSTALL_HINT}"));
        let dir = tempfile::Builder::new()
            .prefix("talkbot-pg-")
            .tempdir()
            .expect("a temp dir for PostgreSQL");
        let run_as = if is_root() {
            let run_as = RunAs {
                uid: id_of("-u"),
                gid: id_of("-g"),
            };
            std::os::unix::fs::chown(dir.path(), Some(run_as.uid), Some(run_as.gid))
                .expect("hand the temp dir to the unprivileged user");
            Some(run_as)
        } else {
            None
        };
        let data = dir.path().join("data");
        let output = command(&bin.join("initdb"), run_as.as_ref())
            .arg("-D")
            .arg(&data)
            .args([
                "-U",
                USER,
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync",
            ])
            .current_dir(dir.path())
            .output()
            .expect("run initdb");
        assert!(
            output.status.success(),
            "initdb failed: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        let mut server = PostgresServer {
            dir,
            bin,
            port: free_port(),
            run_as,
            child: None,
            starts: 0,
        };
        server.start_again();
        server
    }

    /// `postgres://…` for the server's default database.
    pub fn url(&self) -> String {
        format!("postgres://{USER}@127.0.0.1:{}/postgres", self.port)
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn is_running(&self) -> bool {
        self.child.is_some()
    }

    /// Fast shutdown, as a restart by an operator: clients are disconnected at once.
    pub fn stop(&mut self) {
        let Some(mut child) = self.child.take() else {
            return;
        };
        let _ = Command::new("kill")
            .args(["-INT", &child.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = child.kill();
        let _ = child.wait();
    }

    /// Starts the server (again) on the same port and data, and waits until it is ready.
    pub fn start_again(&mut self) {
        assert!(self.child.is_none(), "already running");
        let log_path = self.dir.path().join("postgres.log");
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&log_path)
            .expect("the server's log");
        if let Some(run_as) = &self.run_as {
            let _ = std::os::unix::fs::chown(&log_path, Some(run_as.uid), Some(run_as.gid));
        }
        let child = command(&self.bin.join("postgres"), self.run_as.as_ref())
            .arg("-D")
            .arg(self.dir.path().join("data"))
            .args(["-p", &self.port.to_string(), "-k"])
            .arg(self.dir.path())
            .args([
                "-c",
                "listen_addresses=127.0.0.1",
                "-c",
                "fsync=off",
                "-c",
                "synchronous_commit=off",
                "-c",
                "full_page_writes=off",
                "-c",
                "max_connections=60",
                "-c",
                "shared_buffers=16MB",
            ])
            .current_dir(self.dir.path())
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("log"))
            .stderr(log)
            .spawn()
            .expect("start postgres");
        self.child = Some(child);
        self.starts += 1;
        self.wait_ready(&log_path);
    }

    pub fn restart(&mut self) {
        self.stop();
        self.start_again();
    }

    fn wait_ready(&mut self, log_path: &Path) {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let mut log = String::new();
            if let Ok(mut file) = std::fs::File::open(log_path) {
                let _ = file.read_to_string(&mut log);
            }
            if log
                .matches("database system is ready to accept connections")
                .count()
                >= self.starts
            {
                return;
            }
            if let Some(Ok(Some(status))) = self.child.as_mut().map(|c| c.try_wait()) {
                panic!("postgres exited ({status}) before it was ready:\n{log}");
            }
            assert!(
                Instant::now() < deadline,
                "postgres not ready after 30 s:\n{log}"
            );
            std::thread::sleep(Duration::from_millis(25));
        }
    }
}

impl Drop for PostgresServer {
    fn drop(&mut self) {
        self.stop();
    }
}

/// The directory holding initdb and postgres: PATH first, then the newest Debian version.
fn binaries() -> Option<PathBuf> {
    let has_both = |dir: &Path| dir.join("initdb").is_file() && dir.join("postgres").is_file();
    if let Some(path) = std::env::var_os("PATH") {
        for dir in std::env::split_paths(&path) {
            if has_both(&dir) {
                // A PATH entry may be a symlink to the real directory; resolve it, so that
                // initdb finds its share files beside the binaries it runs.
                let real = std::fs::canonicalize(dir.join("initdb")).ok()?;
                return real.parent().map(Path::to_path_buf);
            }
        }
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|entry| {
            let entry = entry.ok()?;
            let version = entry.file_name().to_str()?.parse().ok()?;
            Some((version, entry.path().join("bin")))
        })
        .filter(|(_, bin)| has_both(bin))
        .collect();
    versions.sort();
    versions.pop().map(|(_, bin)| bin)
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|output| String::from_utf8_lossy(&output.stdout).trim() == "0")
}

/// `nobody`'s uid (`-u`) or gid (`-g`).
fn id_of(flag: &str) -> u32 {
    let output = Command::new("id")
        .args([flag, "nobody"])
        .output()
        .expect("run id");
    String::from_utf8_lossy(&output.stdout)
        .trim()
        .parse()
        .expect("the user `nobody` exists, to run PostgreSQL as when the tests run as root")
}

/// `program`, run as `run_as` when given (setpriv if there, else runuser).
fn command(program: &Path, run_as: Option<&RunAs>) -> Command {
    let Some(run_as) = run_as else {
        return Command::new(program);
    };
    if Command::new("setpriv").arg("--version").output().is_ok() {
        let mut command = Command::new("setpriv");
        command
            .arg(format!("--reuid={}", run_as.uid))
            .arg(format!("--regid={}", run_as.gid))
            .arg("--clear-groups")
            .arg(program);
        command
    } else {
        let mut command = Command::new("runuser");
        command.args(["-u", "nobody", "--"]).arg(program);
        command
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .expect("a free port")
}

/// Runs `sql` on the server at `url` on a connection of its own, from sync or async code.
pub fn execute(url: &str, sql: &str) {
    let (url, sql) = (url.to_string(), sql.to_string());
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            let (client, connection) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
                .await
                .expect("connect to the test server");
            tokio::spawn(connection);
            client
                .batch_execute(&sql)
                .await
                .expect("run the test's SQL");
        })
    })
    .join()
    .unwrap();
}

//! [`super::Cluster`] over PostgreSQL: a small pool for announcing, one connection of its own
//! for listening, one for the registrar lock, and one per teach lock. Locks are held on
//! connections of their own because a session advisory lock belongs to the session: closing
//! the connection is what releases it, even when the process is killed, and a pooled
//! connection handed back with a lock still held would keep it for whoever takes it next.

use std::future::poll_fn;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;
use tokio_postgres::tls::NoTlsStream;
use tokio_postgres::{AsyncMessage, Client, Config, Connection, NoTls, Socket};
use tracing::{info, warn};

use super::ClusterError;

/// The one channel every process LISTENs on; a payload is `"<version> <sender token>"`.
pub const CHANNEL: &str = "talkbot_changes";
/// Advisory lock keys, fixed so that every process uses the same ones.
const REGISTRAR_KEY: i64 = 0x7461_6c6b_0000_0002;
const TEACH_KEY: i64 = 0x7461_6c6b_0000_0003;
const SETUP_KEY: i64 = 0x7461_6c6b_0000_0004;
const CONNECT_LIMIT: Duration = Duration::from_secs(3);
/// Reconnecting: doubling from the first wait to the last.
const FIRST_RETRY: Duration = Duration::from_millis(250);
const LAST_RETRY: Duration = Duration::from_secs(5);
/// A teach waits this long for another process's teach, at most.
const TEACH_WAIT: &str = "60s";

pub(super) struct PgCluster {
    config: Config,
    pool: Pool,
    /// Tells this process's own notifications from the others'.
    token: String,
    changes: watch::Sender<u64>,
    registrar: Arc<AtomicBool>,
    /// The registrar claim in progress or held, so two claims at once take one session.
    claiming: tokio::sync::Mutex<()>,
    /// The listener and the registrar keeper: stopped when this is dropped.
    tasks: Mutex<Vec<JoinHandle<()>>>,
}

/// A session advisory lock: the connection holding it, closed (and so the lock released)
/// when this is dropped.
pub(super) struct SessionLock {
    _client: Client,
    connection: JoinHandle<()>,
}

impl Drop for SessionLock {
    fn drop(&mut self) {
        self.connection.abort();
    }
}

impl PgCluster {
    pub(super) async fn connect(url: &str) -> Result<PgCluster, ClusterError> {
        let mut config: Config = url
            .parse()
            .map_err(|e: tokio_postgres::Error| ClusterError::BadUrl(e.to_string()))?;
        config.connect_timeout(CONNECT_LIMIT);
        config.application_name("talkbot-cluster");
        let manager = Manager::from_config(
            config.clone(),
            NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(2)
            .runtime(deadpool_postgres::Runtime::Tokio1)
            .wait_timeout(Some(CONNECT_LIMIT))
            .create_timeout(Some(CONNECT_LIMIT))
            .build()
            .map_err(|e| ClusterError::BadUrl(e.to_string()))?;
        let version = {
            let mut client = pool.get().await.map_err(unreachable)?;
            let tx = client.transaction().await.map_err(database)?;
            // Two processes starting at once must not both create the table.
            tx.execute("SELECT pg_advisory_xact_lock($1)", &[&SETUP_KEY])
                .await
                .map_err(database)?;
            tx.batch_execute(
                "CREATE TABLE IF NOT EXISTS cluster_version (
                     id      INTEGER PRIMARY KEY CHECK (id = 1),
                     version BIGINT  NOT NULL
                 );
                 INSERT INTO cluster_version (id, version) VALUES (1, 0) ON CONFLICT DO NOTHING;",
            )
            .await
            .map_err(database)?;
            let version = read_version(&*tx).await.map_err(database)?;
            tx.commit().await.map_err(database)?;
            version
        };
        let (changes, _) = watch::channel(version);
        let token = process_token();
        let listener = tokio::spawn(listen(config.clone(), token.clone(), changes.clone()));
        Ok(PgCluster {
            config,
            pool,
            token,
            changes,
            registrar: Arc::new(AtomicBool::new(false)),
            claiming: tokio::sync::Mutex::new(()),
            tasks: Mutex::new(vec![listener]),
        })
    }

    pub(super) fn changes(&self) -> watch::Receiver<u64> {
        self.changes.subscribe()
    }

    pub(super) async fn announce_change(&self) -> Result<u64, ClusterError> {
        let mut client = self.pool.get().await.map_err(unreachable)?;
        let tx = client.transaction().await.map_err(database)?;
        let version: i64 = tx
            .query_one(
                "UPDATE cluster_version SET version = version + 1 WHERE id = 1 RETURNING version",
                &[],
            )
            .await
            .map_err(database)?
            .get(0);
        // Sent at commit, with the new version already visible to whoever reads the row.
        tx.execute(
            "SELECT pg_notify($1, $2)",
            &[&CHANNEL, &format!("{version} {}", self.token)],
        )
        .await
        .map_err(database)?;
        tx.commit().await.map_err(database)?;
        let version = version as u64;
        advance(&self.changes, version, true);
        Ok(version)
    }

    pub(super) fn is_registrar(&self) -> bool {
        self.registrar.load(Ordering::Acquire)
    }

    pub(super) async fn claim_registrar(&self) -> bool {
        let _claiming = self.claiming.lock().await;
        if self.is_registrar() {
            return true;
        }
        match try_lock_session(&self.config, REGISTRAR_KEY).await {
            Ok(Some(session)) => {
                self.registrar.store(true, Ordering::Release);
                let keeper = tokio::spawn(keep_registrar(
                    self.config.clone(),
                    session,
                    self.registrar.clone(),
                ));
                self.tasks_mut().push(keeper);
                info!("cluster: this process is the registrar (registers commands, prunes)");
                true
            }
            Ok(None) => false,
            Err(problem) => {
                warn!(%problem, "cluster: cannot claim the registrar lock; another process may take it");
                false
            }
        }
    }

    pub(super) async fn teach_lock(&self) -> Result<SessionLock, ClusterError> {
        let (client, connection) = connect(&self.config).await?;
        // A teach stuck elsewhere must not hold this one forever.
        client
            .batch_execute(&format!("SET lock_timeout = '{TEACH_WAIT}'"))
            .await
            .map_err(database)?;
        client
            .execute("SELECT pg_advisory_lock($1)", &[&TEACH_KEY])
            .await
            .map_err(database)?;
        Ok(SessionLock {
            _client: client,
            connection,
        })
    }

    fn tasks_mut(&self) -> std::sync::MutexGuard<'_, Vec<JoinHandle<()>>> {
        self.tasks
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Drop for PgCluster {
    fn drop(&mut self) {
        // The keeper owns the registrar session: stopping it closes the connection, and the
        // server releases the lock for another process to claim.
        for task in self.tasks_mut().drain(..) {
            task.abort();
        }
    }
}

fn unreachable(error: impl std::fmt::Display) -> ClusterError {
    ClusterError::Unreachable(error.to_string())
}

fn database(error: tokio_postgres::Error) -> ClusterError {
    match error.as_db_error() {
        Some(db) => ClusterError::Database(db.message().to_string()),
        None => ClusterError::Unreachable(error.to_string()),
    }
}

async fn read_version(
    client: &impl tokio_postgres::GenericClient,
) -> Result<u64, tokio_postgres::Error> {
    let version: i64 = client
        .query_one("SELECT version FROM cluster_version WHERE id = 1", &[])
        .await?
        .get(0);
    Ok(version as u64)
}

/// A connection of its own, its I/O driven by a task of its own.
async fn connect(config: &Config) -> Result<(Client, JoinHandle<()>), ClusterError> {
    let (client, connection) = config.connect(NoTls).await.map_err(unreachable)?;
    Ok((client, tokio::spawn(drive(connection))))
}

async fn drive(connection: Connection<Socket, NoTlsStream>) {
    let _ = connection.await;
}

/// A connection holding advisory lock `key`, or `None` when another session holds it.
async fn try_lock_session(
    config: &Config,
    key: i64,
) -> Result<Option<(Client, Connection<Socket, NoTlsStream>)>, ClusterError> {
    let (client, connection) = config.connect(NoTls).await.map_err(unreachable)?;
    // The connection must be driven while the query runs; it is handed back undriven after.
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let driving = tokio::spawn(async move {
        let mut connection = connection;
        tokio::select! {
            _ = &mut connection => None,
            _ = stopped => Some(connection),
        }
    });
    let taken = client
        .query_one("SELECT pg_try_advisory_lock($1)", &[&key])
        .await
        .map(|row| row.get::<_, bool>(0));
    let _ = stop.send(());
    let connection = driving.await.ok().flatten();
    match (taken, connection) {
        (Ok(true), Some(connection)) => Ok(Some((client, connection))),
        (Ok(_), _) => Ok(None),
        (Err(error), _) => Err(database(error)),
    }
}

/// Holds the registrar session; when its connection is lost, says so, reconnects with
/// backoff and takes the lock again, unless another process has it by then.
async fn keep_registrar(
    config: Config,
    session: (Client, Connection<Socket, NoTlsStream>),
    holding: Arc<AtomicBool>,
) {
    let (mut client, mut connection) = session;
    loop {
        let _ = (&mut connection).await;
        drop(client);
        holding.store(false, Ordering::Release);
        warn!("cluster: the registrar lock's connection was lost; taking it again once the database is back");
        let mut wait = FIRST_RETRY;
        loop {
            tokio::time::sleep(wait).await;
            match try_lock_session(&config, REGISTRAR_KEY).await {
                Ok(Some((again, driven))) => {
                    (client, connection) = (again, driven);
                    holding.store(true, Ordering::Release);
                    info!("cluster: this process is the registrar again");
                    break;
                }
                Ok(None) => {
                    info!("cluster: another process is the registrar now");
                    return;
                }
                Err(_) => wait = (wait * 2).min(LAST_RETRY),
            }
        }
    }
}

/// Listens on [`CHANNEL`] for the life of the cluster, reconnecting with backoff; each
/// (re)connect LISTENs first, then re-reads the version row, so nothing falls between.
async fn listen(config: Config, token: String, changes: watch::Sender<u64>) {
    let mut wait = FIRST_RETRY;
    let mut lost = false;
    loop {
        let problem = match subscribe(&config).await {
            Ok((client, mut notes, version, driver)) => {
                if lost {
                    info!(version, "cluster: listening for changes again");
                    lost = false;
                }
                wait = FIRST_RETRY;
                advance(&changes, version, false);
                while let Some(payload) = notes.recv().await {
                    if let Some((version, sender)) = parse(&payload) {
                        advance(&changes, version, sender == token);
                    }
                }
                drop(client);
                driver.abort();
                "the connection ended".to_string()
            }
            Err(problem) => problem.to_string(),
        };
        if !lost {
            warn!(%problem, "cluster: the changes channel is down; reconnecting with backoff (the version is re-read when it is back)");
            lost = true;
        }
        tokio::time::sleep(wait).await;
        wait = (wait * 2).min(LAST_RETRY);
    }
}

type Subscription = (Client, mpsc::UnboundedReceiver<String>, u64, JoinHandle<()>);

async fn subscribe(config: &Config) -> Result<Subscription, ClusterError> {
    let (client, mut connection) = config.connect(NoTls).await.map_err(unreachable)?;
    let (notes, received) = mpsc::unbounded_channel();
    // Notifications come only through polling the connection by hand; the channel closes
    // when the connection ends, which is how the loop above learns of it.
    let driver = tokio::spawn(async move {
        while let Some(message) = poll_fn(|cx| connection.poll_message(cx)).await {
            match message {
                Ok(AsyncMessage::Notification(note)) => {
                    if notes.send(note.payload().to_string()).is_err() {
                        return;
                    }
                }
                Ok(_) => {}
                Err(_) => return,
            }
        }
    });
    client
        .batch_execute(&format!("LISTEN {CHANNEL}"))
        .await
        .map_err(database)?;
    let version = read_version(&client).await.map_err(database)?;
    Ok((client, received, version, driver))
}

fn parse(payload: &str) -> Option<(u64, &str)> {
    let (version, sender) = payload.split_once(' ')?;
    Some((version.parse().ok()?, sender))
}

/// Moves the version forward (never back). Wakes receivers unless it is this process's own
/// announcement following directly on the version it already had: then its base is current.
fn advance(changes: &watch::Sender<u64>, version: u64, own: bool) {
    changes.send_if_modified(|current| {
        if version <= *current {
            return false;
        }
        let someone_else_between = version > *current + 1;
        *current = version;
        !own || someone_else_between
    });
}

/// Unique enough among processes sharing a database: the process id and a random hasher key.
fn process_token() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u32(std::process::id());
    hasher.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
    );
    format!("{:016x}", hasher.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_announcements_move_the_version_quietly_unless_another_came_between() {
        let (changes, mut seen) = watch::channel(3);
        advance(&changes, 4, true);
        assert!(!seen.has_changed().unwrap(), "its own, straight after 3");
        assert_eq!(*seen.borrow_and_update(), 4);
        advance(&changes, 6, true);
        assert!(seen.has_changed().unwrap(), "5 came from elsewhere: reload");
        assert_eq!(*seen.borrow_and_update(), 6);
        advance(&changes, 7, false);
        assert!(seen.has_changed().unwrap(), "another process's");
        seen.borrow_and_update();
        advance(&changes, 5, false);
        assert!(!seen.has_changed().unwrap(), "a late, older one is ignored");
        assert_eq!(*seen.borrow(), 7);
    }

    #[test]
    fn a_payload_is_a_version_and_a_sender() {
        assert_eq!(parse("12 ab34"), Some((12, "ab34")));
        assert_eq!(parse("12"), None);
        assert_eq!(parse("x ab"), None);
    }
}

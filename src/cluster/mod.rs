//! What several bot processes sharing one PostgreSQL database must agree on, and nothing of
//! Discord: which one process registers the commands and prunes ([`Cluster::claim_registrar`]),
//! that the fact base changed somewhere ([`Cluster::announce_change`], [`Cluster::changes`]),
//! and that teach edits happen one at a time across all of them ([`Cluster::teach_lock`]).
//!
//! Without `DATABASE_URL` there is one process, and [`Cluster::single`] makes each of these
//! trivial (the teach lock is an in-process lock), so the code using them has one path.
//!
//! Why PostgreSQL for this rather than another service: the processes already share it for
//! curation, and it has exactly the primitives needed (session advisory locks, which the
//! server releases when the session ends however the process died; LISTEN/NOTIFY). A NOTIFY
//! sent while a listener is disconnected is lost, so the listener re-reads the version row
//! each time it (re)connects: a change is late by the reconnect at worst, never missed.

mod postgres;

use std::sync::Arc;

use tokio::sync::{watch, Mutex, OwnedMutexGuard};

pub use postgres::CHANNEL;

#[derive(Debug, thiserror::Error)]
pub enum ClusterError {
    #[error("DATABASE_URL is not a PostgreSQL URL talkbot can use: {0}")]
    BadUrl(String),
    #[error("the cluster database is unreachable: {0}")]
    Unreachable(String),
    #[error("cluster database error: {0}")]
    Database(String),
}

/// The processes sharing a database, or this one alone. Cloning shares it; the database
/// sessions it holds (the registrar lock, the listener) end when the last clone is dropped.
#[derive(Clone)]
pub struct Cluster {
    inner: Arc<Inner>,
}

enum Inner {
    Single {
        teach: Arc<Mutex<()>>,
        /// Kept so that receivers stay open; nothing is ever sent.
        changes: watch::Sender<u64>,
    },
    Postgres(Box<postgres::PgCluster>),
}

/// Held while one teach edits the knowledge directory and reloads; dropping it lets the next
/// one in (in any process).
pub struct TeachLock {
    _held: Held,
}

enum Held {
    Local(#[allow(dead_code)] OwnedMutexGuard<()>),
    Postgres(#[allow(dead_code)] postgres::SessionLock),
}

impl Cluster {
    /// One process, no database: every method trivially succeeds.
    pub fn single() -> Cluster {
        Cluster {
            inner: Arc::new(Inner::Single {
                teach: Arc::new(Mutex::new(())),
                changes: watch::channel(0).0,
            }),
        }
    }

    /// The processes sharing the PostgreSQL database at `url`. Connects, creates the version
    /// row if it is not there, reads it, and starts listening for changes (on the current
    /// tokio runtime). Fails if the server cannot be reached now.
    pub async fn postgres(url: &str) -> Result<Cluster, ClusterError> {
        Ok(Cluster {
            inner: Arc::new(Inner::Postgres(Box::new(
                postgres::PgCluster::connect(url).await?,
            ))),
        })
    }

    /// [`Cluster::postgres`] when `database_url` is set (and not empty), else [`Cluster::single`].
    pub async fn configured(database_url: Option<&str>) -> Result<Cluster, ClusterError> {
        match database_url.filter(|url| !url.trim().is_empty()) {
            Some(url) => Cluster::postgres(url).await,
            None => Ok(Cluster::single()),
        }
    }

    /// Whether this is more than one process's business (a database behind it).
    pub fn is_shared(&self) -> bool {
        matches!(*self.inner, Inner::Postgres(_))
    }

    /// Exactly one process of all that share the database gets true: the first to ask. It
    /// holds a session-level advisory lock on a dedicated connection for the life of the
    /// process (of this `Cluster`); if that connection is lost it is re-taken after the
    /// reconnect, unless another process took it meanwhile. Asking again after false tries
    /// again (the holder may have ended). False too when the database cannot be reached.
    /// Single → true.
    pub async fn claim_registrar(&self) -> bool {
        match &*self.inner {
            Inner::Single { .. } => true,
            Inner::Postgres(cluster) => cluster.claim_registrar().await,
        }
    }

    /// Whether this process holds the registrar lock right now (false while its connection
    /// is being re-made). Single → true.
    pub fn is_registrar(&self) -> bool {
        match &*self.inner {
            Inner::Single { .. } => true,
            Inner::Postgres(cluster) => cluster.is_registrar(),
        }
    }

    /// After a refresh or a teach: bumps the version row and NOTIFYs [`CHANNEL`] with the new
    /// version, in one transaction; returns it. Single → no-op, `Ok(0)`.
    pub async fn announce_change(&self) -> Result<u64, ClusterError> {
        match &*self.inner {
            Inner::Single { .. } => Ok(0),
            Inner::Postgres(cluster) => cluster.announce_change().await,
        }
    }

    /// The latest version, woken for versions announced by **other** processes: this one's
    /// own announcements move the value without waking receivers (its base is already
    /// reloaded), unless another process announced in between. After a reconnect the version
    /// row is re-read and a higher version wakes receivers, since notifications sent while
    /// disconnected are lost. Single → never changes.
    pub fn changes(&self) -> watch::Receiver<u64> {
        match &*self.inner {
            Inner::Single { changes, .. } => changes.subscribe(),
            Inner::Postgres(cluster) => cluster.changes(),
        }
    }

    /// Waits for, then holds, the right to edit the knowledge directory: a session advisory
    /// lock on a connection of its own (released by the server if this process dies holding
    /// it). Single → an in-process lock.
    pub async fn teach_lock(&self) -> Result<TeachLock, ClusterError> {
        let held = match &*self.inner {
            Inner::Single { teach, .. } => Held::Local(teach.clone().lock_owned().await),
            Inner::Postgres(cluster) => Held::Postgres(cluster.teach_lock().await?),
        };
        Ok(TeachLock { _held: held })
    }
}

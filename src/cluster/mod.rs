//! STAND-IN for the cluster primitive of issue 13 (the Postgres implementation is built
//! separately and replaces this file whole). Only [`Cluster::single`] behaves: one process, no
//! database, so this process is the registrar and every change is its own.
//! [`Cluster::postgres`] fails with "not built yet".
//!
//! The API is the one the Postgres implementation provides, so the adapters are written
//! against it now.

use tokio::sync::watch;

/// The processes serving one bot: this one alone ([`Cluster::single`]), or every process
/// that shares one PostgreSQL database ([`Cluster::postgres`]).
pub struct Cluster {
    /// The version of the fact base last announced; `changes()` hands out receivers of it.
    version: watch::Sender<u64>,
}

#[derive(Debug, thiserror::Error)]
pub enum ClusterError {
    #[error("the PostgreSQL cluster is not built yet (stand-in)")]
    NotBuilt,
}

/// Held while a teach edits the fact files. In one process the engine's own turn already
/// serialises teaches, so this holds nothing.
pub struct TeachLock(());

impl Cluster {
    /// One process and no database.
    pub fn single() -> Cluster {
        Cluster {
            version: watch::channel(0).0,
        }
    }

    /// Every process sharing the database at `url`. Not built in this stand-in.
    pub async fn postgres(url: &str) -> Result<Cluster, ClusterError> {
        let _ = url;
        Err(ClusterError::NotBuilt)
    }

    /// Whether this process registers the commands and prunes: exactly one process gets
    /// `true`. Alone, it is always this one.
    pub async fn claim_registrar(&self) -> bool {
        true
    }

    /// Tells every process the fact base changed; the new version.
    pub async fn announce_change(&self) -> Result<u64, ClusterError> {
        let mut version = 0;
        self.version.send_modify(|current| {
            *current += 1;
            version = *current;
        });
        Ok(version)
    }

    /// The versions announced, by any process.
    pub fn changes(&self) -> watch::Receiver<u64> {
        self.version.subscribe()
    }

    /// Serialises teaches across processes.
    pub async fn teach_lock(&self) -> Result<TeachLock, ClusterError> {
        Ok(TeachLock(()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn alone_this_process_registers_and_sees_its_own_changes() {
        let cluster = Cluster::single();
        assert!(cluster.claim_registrar().await);
        let changes = cluster.changes();
        assert_eq!(cluster.announce_change().await.unwrap(), 1);
        assert_eq!(*changes.borrow(), 1);
        assert!(cluster.teach_lock().await.is_ok());
        assert!(Cluster::postgres("postgres://localhost/talkbot")
            .await
            .is_err());
    }
}

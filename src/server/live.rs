//! The index a long-running process serves: the current build, swapped for a new one when
//! `wsis index` makes another build current. Readers take an `Arc` of the searcher and keep
//! it for their whole request, so a swap never changes an answer half-way.

use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use crate::error::Result;
use crate::index;
use crate::search::Searcher;

/// The served index.
pub struct LiveIndex {
    dir: PathBuf,
    current: RwLock<Arc<Searcher>>,
}

impl LiveIndex {
    /// Opens the current build of `dir`, its records held in memory when it is small.
    pub fn open(dir: &Path) -> Result<LiveIndex> {
        let searcher = open_for_serving(dir)?;
        Ok(LiveIndex {
            dir: dir.to_path_buf(),
            current: RwLock::new(Arc::new(searcher)),
        })
    }

    /// The searcher of the build in use.
    pub fn get(&self) -> Arc<Searcher> {
        match self.current.read() {
            Ok(guard) => guard.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Opens the build `CURRENT` names if it is not the one in use, and swaps it in. Returns
    /// the new build's id, `None` when nothing changed; on an error the build in use stays.
    pub fn reload_if_changed(&self) -> Result<Option<String>> {
        let in_use = self.get().info().id.clone();
        match index::current_build_id(&self.dir) {
            Some(id) if id != in_use => {
                let searcher = Arc::new(open_for_serving(&self.dir)?);
                let id = searcher.info().id.clone();
                match self.current.write() {
                    Ok(mut guard) => *guard = searcher,
                    Err(poisoned) => *poisoned.into_inner() = searcher,
                }
                Ok(Some(id))
            }
            _ => Ok(None),
        }
    }
}

/// The current build of `dir` as a server searches it: with its records held in memory when
/// it is small enough (see [`Searcher::with_resident_records`]).
fn open_for_serving(dir: &Path) -> Result<Searcher> {
    Searcher::open(dir)?.with_resident_records(true)
}

//! Where a build's records come from: [`RecordSource`], read once per pass so that a build
//! never needs every record in memory. The corpus's records (a slice) and a JSON-lines
//! records file ([`RecordsFile`], read a line at a time) are the two sources.

use std::path::{Path, PathBuf};

use crate::error::Result;
use crate::ingest::records::for_each_jsonl;
use crate::model::Record;

/// Records that can be read from the start as many times as a build needs.
pub trait RecordSource {
    /// Calls `visit` with every record, in order; stops at the first error.
    fn for_each(&self, visit: &mut dyn FnMut(&Record) -> Result<()>) -> Result<()>;
}

impl RecordSource for [Record] {
    fn for_each(&self, visit: &mut dyn FnMut(&Record) -> Result<()>) -> Result<()> {
        self.iter().try_for_each(visit)
    }
}

impl RecordSource for Vec<Record> {
    fn for_each(&self, visit: &mut dyn FnMut(&Record) -> Result<()>) -> Result<()> {
        self.as_slice().for_each(visit)
    }
}

/// A JSON-lines records file (the form `wsis export` prints), read a line at a time on
/// every pass.
#[derive(Debug, Clone)]
pub struct RecordsFile {
    path: PathBuf,
}

impl RecordsFile {
    /// The records file at `path` (read when a pass starts).
    pub fn new(path: &Path) -> RecordsFile {
        RecordsFile {
            path: path.to_path_buf(),
        }
    }
}

impl RecordSource for RecordsFile {
    fn for_each(&self, visit: &mut dyn FnMut(&Record) -> Result<()>) -> Result<()> {
        for_each_jsonl(&self.path, &mut |record| visit(&record))
    }
}

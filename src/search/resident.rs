//! The stored records of a small build, held in memory as hits: read from the store and
//! parsed once, when a server opens the build, so that a page's hits are borrowed from memory
//! instead of each being found in the store, copied out and parsed again (a fifth of a
//! search's work at 2,000 records). A build whose store is larger than [`RESIDENT_BUDGET`]
//! reads its hits from the store.

use tantivy::DocAddress;

use crate::error::{Error, Result};
use crate::index::StoredRecord;
use crate::search::hit::Hit;

/// The most bytes of store a build may have for its records to be held in memory (documents
/// are stored uncompressed, so about their JSON; about twice as many bytes once parsed): 2,000
/// records, the size of the real corpus with the official texts, store about 2.4 MB;
/// 100,000 generated ones store 115 MB, and are read from the store.
pub const RESIDENT_BUDGET: u64 = 4 * 1024 * 1024;

/// Every stored record of a build as a hit, by segment and document id.
pub struct ResidentRecords {
    segments: Vec<Vec<Hit<'static>>>,
}

impl ResidentRecords {
    /// Reads every stored record of `searcher` into memory, or `None` when its stores hold
    /// more than `budget` bytes.
    pub fn read(searcher: &tantivy::Searcher, budget: u64) -> Result<Option<ResidentRecords>> {
        let mut stores = Vec::new();
        for segment in searcher.segment_readers() {
            let store = segment.get_store_reader(1);
            stores.push(store.map_err(|e| Error::Index(e.into()))?);
        }
        let stored: u64 = stores
            .iter()
            .map(|s| s.space_usage().total().get_bytes())
            .sum();
        if stored > budget {
            return Ok(None);
        }
        let mut segments = Vec::with_capacity(stores.len());
        for store in &stores {
            // Without an alive set the store yields every document, in document id order.
            let hits = store
                .iter::<StoredRecord>(None)
                .map(|stored| Ok(Hit::from_stored(&stored?.0)?.into_owned()))
                .collect::<Result<Vec<_>>>();
            match hits {
                Ok(hits) => segments.push(hits),
                // A damaged record is left to the store: the searches that reach it fail and
                // say so, as in a build too large to hold, and the others are answered.
                Err(_) => return Ok(None),
            }
        }
        Ok(Some(ResidentRecords { segments }))
    }

    /// The record at `address` as a hit borrowing from memory, if the build has one there.
    pub fn hit(&self, address: DocAddress) -> Option<Hit<'_>> {
        let segment = self.segments.get(address.segment_ord as usize)?;
        Some(segment.get(address.doc_id as usize)?.borrowed())
    }
}

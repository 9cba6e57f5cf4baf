//! Counting: how many records match (capped at [`COUNT_CAP`]) and how many in each document,
//! for the total and the facets, either beside a pruned top-k pass ([`count_matches`]) or in
//! the same pass ([`MatchCounts`]), and which of the two costs less.

use std::sync::Arc;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::query::{EnableScoring, Query};
use tantivy::{COLLECT_BLOCK_BUFFER_LEN, DocSet};

use crate::error::{Error, Result};
use crate::model::field;
use crate::search::COUNT_CAP;

/// Counts the matches of `query`, and per segment the matches by `doc` ordinal (`segments`
/// as [`Searcher::doc_segments`] gives them), stopping at `cap`; returns (count, whether it is exact, per-segment counts).
pub(crate) fn count_matches(
    searcher: &tantivy::Searcher,
    query: &dyn Query,
    cap: usize,
    segments: Vec<(Arc<[u32]>, usize)>,
) -> Result<(usize, bool, Vec<Vec<u64>>)> {
    let weight = query.weight(EnableScoring::disabled_from_searcher(searcher))?;
    let mut total = 0;
    let mut per_segment = Vec::with_capacity(searcher.segment_readers().len());
    let mut docs = [0u32; COLLECT_BLOCK_BUFFER_LEN];
    for (segment, (ords, documents)) in searcher.segment_readers().iter().zip(segments) {
        let mut counts = DocCounts::new(ords, documents);
        let mut scorer = weight.scorer(segment, 1.0)?;
        let alive = segment.alive_bitset();
        while total < cap {
            let n = scorer.fill_buffer(&mut docs);
            if n == 0 {
                break;
            }
            let mut kept = 0;
            for &doc in &docs[..n] {
                if total + kept < cap && alive.is_none_or(|a| a.is_alive(doc)) {
                    counts.add(doc);
                    kept += 1;
                }
            }
            total += kept;
        }
        per_segment.push(counts.counts);
        if total >= cap {
            return Ok((total, false, per_segment));
        }
    }
    Ok((total, true, per_segment))
}

/// Whether one pass over every match (top hits, exact count and facets together) costs less
/// than a pruned top-k pass plus a count capped at [`COUNT_CAP`]: when the query needs
/// positions (phrases cannot be pruned), or its terms occur in few records.
pub(crate) fn one_pass_is_cheaper(searcher: &tantivy::Searcher, query: &dyn Query) -> Result<bool> {
    let mut phrase = false;
    let mut terms = Vec::new();
    query.query_terms(&mut |term, needs_positions| {
        phrase |= needs_positions;
        terms.push(term.clone());
    });
    if phrase {
        return Ok(true);
    }
    let mut estimate = 0u64;
    for term in &terms {
        estimate += searcher.doc_freq(term)?;
    }
    Ok(estimate <= 2 * COUNT_CAP as u64)
}

/// Counts every match, and per segment the matches by `doc` ordinal, in the same pass as
/// the top hits.
pub(crate) struct MatchCounts {
    /// Per segment: the `doc` ordinal of each record, and how many documents there are.
    pub(crate) segments: Vec<(Arc<[u32]>, usize)>,
}

/// Matches by `doc` ordinal in one segment.
pub(crate) struct DocCounts {
    ords: Arc<[u32]>,
    total: usize,
    counts: Vec<u64>,
}

impl DocCounts {
    fn new(ords: Arc<[u32]>, documents: usize) -> DocCounts {
        DocCounts {
            ords,
            total: 0,
            counts: vec![0; documents],
        }
    }

    fn add(&mut self, doc: u32) {
        self.total += 1;
        if let Some(&ord) = self.ords.get(doc as usize)
            && let Some(n) = self.counts.get_mut(ord as usize)
        {
            *n += 1;
        }
    }
}

impl Collector for MatchCounts {
    type Fruit = (usize, Vec<Vec<u64>>);
    type Child = DocCounts;

    fn for_segment(
        &self,
        segment_ord: u32,
        _: &tantivy::SegmentReader,
    ) -> tantivy::Result<DocCounts> {
        let (ords, documents) = self
            .segments
            .get(segment_ord as usize)
            .cloned()
            .unwrap_or_else(|| (Arc::from([]), 0));
        Ok(DocCounts::new(ords, documents))
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(
        &self,
        fruits: Vec<(usize, Vec<u64>)>,
    ) -> tantivy::Result<(usize, Vec<Vec<u64>>)> {
        let total = fruits.iter().map(|(n, _)| n).sum();
        Ok((total, fruits.into_iter().map(|(_, c)| c).collect()))
    }
}

impl SegmentCollector for DocCounts {
    type Fruit = (usize, Vec<u64>);

    fn collect(&mut self, doc: u32, _score: f32) {
        self.add(doc);
    }

    fn harvest(self) -> (usize, Vec<u64>) {
        (self.total, self.counts)
    }
}

/// The `doc` ordinal of a record without one.
pub(crate) const NO_DOC: u32 = u32::MAX;

/// Per segment: the `doc` values by ordinal, and the ordinal of every record.
pub(crate) type DocColumns = (Vec<Vec<String>>, Vec<Arc<[u32]>>);

/// Per segment, read once when the index is opened: the `doc` values by ordinal, and the
/// ordinal of every record ([`NO_DOC`] for none).
pub(crate) fn doc_columns(searcher: &tantivy::Searcher) -> Result<DocColumns> {
    let (mut all_names, mut all_ords) = (Vec::new(), Vec::new());
    for segment in searcher.segment_readers() {
        let mut names = Vec::new();
        let mut ords: Arc<[u32]> = Arc::from([]);
        if let Some(column) = segment.fast_fields().str(field::DOC)? {
            for ord in 0..column.num_terms() as u64 {
                let mut name = String::new();
                column
                    .ord_to_str(ord, &mut name)
                    .map_err(|e| Error::Index(e.into()))?;
                names.push(name);
            }
            ords = (0..segment.max_doc())
                .map(|doc| column.ords().first(doc).map_or(NO_DOC, |o| o as u32))
                .collect();
        }
        all_names.push(names);
        all_ords.push(ords);
    }
    Ok((all_names, all_ords))
}

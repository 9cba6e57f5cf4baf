//! What a corpus document splits into, in figures: its paragraphs, first and last labels,
//! numbering gaps, headings and footnotes. `wsis import --dry-run` prints it; `wsis fetch`
//! refuses a download whose numbering check fails; an import that has fewer paragraphs than
//! the corpus holds needs `--force`.

use std::path::Path;

use crate::corpus::{CatalogEntry, Corpus, Document, parse_document};
use crate::error::Result;
use crate::ingest::records::{check_numbering, missing_numbers, paragraph_numbers};
use crate::ingest::split;
use crate::model::ParaLabel;

/// Every document of `corpus`: its files, then the manifest's entries not among them.
pub fn catalog(corpus: &Corpus) -> Vec<CatalogEntry> {
    let files = corpus.documents.iter().map(catalog_entry);
    let listed = corpus
        .manifest
        .iter()
        .filter(|m| !corpus.documents.iter().any(|d| d.meta.id == m.id))
        .map(|m| CatalogEntry {
            meta: m.clone(),
            full_text: false,
            missing: Vec::new(),
            numbering: Vec::new(),
        });
    files.chain(listed).collect()
}

/// The entry of a corpus document: full text unless it is official and its numbering
/// check fails (then the numbers missing and what the check says).
pub fn catalog_entry(doc: &Document) -> CatalogEntry {
    let (missing, numbering) = if doc.meta.kind.is_official() {
        let summary = summarize(doc);
        let mut numbering = summary.gaps;
        if summary.paragraphs == 0 {
            numbering.push(format!("{} has no numbered paragraphs", doc.meta.id));
        }
        (summary.missing, numbering)
    } else {
        (Vec::new(), Vec::new())
    };
    CatalogEntry {
        meta: doc.meta.clone(),
        full_text: numbering.is_empty(),
        missing,
        numbering,
    }
}

/// A document's split, summed up.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Whether the document is official (numbered paragraphs are expected).
    pub official: bool,
    /// Numbered paragraphs (their items not counted).
    pub paragraphs: usize,
    /// Pieces with text: paragraphs, items, preambular paragraphs, footnotes, annex rows.
    pub records: usize,
    /// The first and last labels, in text order.
    pub first: Option<String>,
    /// See `first`.
    pub last: Option<String>,
    /// What the numbering check says: numbers skipped or repeated.
    pub gaps: Vec<String>,
    /// The numbers below the highest that are not there.
    pub missing: Vec<u32>,
    /// The headings, outermost first, each once, in text order.
    pub headings: Vec<String>,
    /// Footnotes.
    pub footnotes: usize,
}

impl Summary {
    /// Whether the numbering check passes: an official document has numbered paragraphs
    /// 1..N without gaps or repeats (any other document passes).
    pub fn numbering_passes(&self) -> bool {
        !self.official || self.paragraphs > 0 && self.gaps.is_empty()
    }

    /// What an import compares with the corpus: numbered paragraphs, or records for a
    /// document without numbers.
    pub fn count(&self) -> usize {
        if self.paragraphs > 0 {
            self.paragraphs
        } else {
            self.records
        }
    }
}

/// Sums up the split of a corpus document.
pub fn summarize(doc: &Document) -> Summary {
    let pieces: Vec<split::Piece> = split::split(doc)
        .into_iter()
        .filter(|p| !p.text.trim().is_empty())
        .collect();
    let official = doc.meta.kind.is_official();
    let numbers = paragraph_numbers(&pieces);
    let mut headings: Vec<String> = Vec::new();
    for title in pieces.iter().flat_map(|p| &p.section) {
        if !headings.contains(title) {
            headings.push(title.clone());
        }
    }
    Summary {
        official,
        paragraphs: numbers.len(),
        records: pieces.len(),
        first: pieces.first().map(|p| p.label.to_string()),
        last: pieces.last().map(|p| p.label.to_string()),
        gaps: if official {
            check_numbering(doc, &pieces)
                .into_iter()
                .map(|w| w.message)
                .collect()
        } else {
            Vec::new()
        },
        missing: missing_numbers(&numbers),
        headings,
        footnotes: pieces
            .iter()
            .filter(|p| matches!(p.label, ParaLabel::Footnote(_)))
            .count(),
    }
}

/// Sums up the corpus document `text` of document `id`.
pub fn summarize_text(id: &str, text: &str) -> Result<Summary> {
    let name = format!("{id}.txt");
    let doc = parse_document(Path::new(&name), &name, text.to_string())?;
    Ok(summarize(&doc))
}

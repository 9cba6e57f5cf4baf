//! Assembles the paragraph records of a corpus: each document's pieces (`split`), the
//! official paragraphs its background documents quote and the cross-references they make
//! (`quote`), and the digital-society variants (`variant`). Also reads records from a
//! JSON-lines file (`wsis index --records`), kept as given.

use std::collections::HashSet;
use std::io::BufRead;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::corpus::{Corpus, DocMeta, DocNames, Document};
use crate::error::{Error, Result};
use crate::ingest::quote::{self, Quote, Warning};
use crate::ingest::split::{self, Piece};
use crate::ingest::variant::Rewriter;
use crate::model::{CrossRef, Origin, ParaLabel, Provenance, Record, RecordId, Variant};
use crate::reference;

/// The records of a corpus, with what building them found.
#[derive(Debug, Clone, Default)]
pub struct Built {
    /// Every record: each document's originals in order, each followed by its variant,
    /// then the quoted official paragraphs.
    pub records: Vec<Record>,
    /// References that made no record, and other things worth a look.
    pub warnings: Vec<Warning>,
    /// Counts for the summary.
    pub stats: Stats,
}

/// What a build holds, as `wsis index` reports it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stats {
    /// Corpus documents read.
    pub documents: usize,
    /// Records of original text (including quoted official paragraphs).
    pub paragraph_records: usize,
    /// Digital-society variant records.
    pub variant_records: usize,
    /// Official paragraphs made from quotes in background documents.
    pub quoted_paragraphs: usize,
    /// Cross-references from records to official paragraphs.
    pub cross_references: usize,
    /// Quotes of imported official paragraphs found word for word in them.
    #[serde(default)]
    pub quotes_verbatim: usize,
    /// Quotes found with differences (listed as warnings).
    #[serde(default)]
    pub quotes_different: usize,
    /// Quotes not found in the official paragraph they name (listed as warnings).
    #[serde(default)]
    pub quotes_not_found: usize,
    /// Page-furniture lines left out of the records.
    pub furniture_lines: usize,
    /// Warnings.
    pub warnings: usize,
}

/// Builds every record of `corpus`.
pub fn build(corpus: &Corpus) -> Built {
    let names = DocNames::new(corpus.official_documents());
    let rewriter = Rewriter::new(&corpus.protected_names);
    let mut built = Built::default();
    let mut quoted = Vec::new();
    let mut numbering = Vec::new();
    for doc in &corpus.documents {
        let pieces = split::split(doc);
        if doc.meta.kind.is_official() {
            numbering.extend(check_numbering(doc, &pieces));
        }
        let (pieces, empty): (Vec<_>, Vec<_>) =
            pieces.into_iter().partition(|p| !p.text.trim().is_empty());
        built.warnings.extend(empty.iter().map(|p| Warning {
            file: doc.file.clone(),
            line: p.line_start,
            message: format!("paragraph {} has no text; it makes no record", p.label),
        }));
        let extraction = if doc.meta.kind.is_official() {
            quote::Extraction {
                refs: vec![Vec::new(); pieces.len()],
                ..Default::default()
            }
        } else {
            quote::extract(doc, &pieces, &names)
        };
        let originals: Vec<Record> = pieces
            .iter()
            .zip(extraction.refs)
            .map(|(piece, refs)| piece_record(doc, piece, refs))
            .collect();
        for quote in &extraction.quotes {
            let Some(meta) = corpus.meta(&quote.doc) else {
                continue;
            };
            quoted.push((
                quote_record(doc, meta, quote, &originals[quote.piece].id),
                doc,
            ));
        }
        for record in originals {
            push_with_variant(&mut built.records, record, doc, doc.meta.variant, &rewriter);
        }
        built.warnings.extend(extraction.warnings);
        built.stats.furniture_lines += doc.furniture_lines();
    }
    let imported: HashSet<&str> = corpus
        .documents
        .iter()
        .map(|d| d.meta.id.as_str())
        .collect();
    let (checked, quoted): (Vec<_>, Vec<_>) = quoted
        .into_iter()
        .partition(|(record, _)| imported.contains(record.doc.as_str()));
    for (quote, doc) in checked {
        check_against_official(
            &quote,
            doc,
            &built.records,
            &mut built.stats,
            &mut built.warnings,
        );
    }
    built.stats.quoted_paragraphs = quoted.len();
    // In the order of their documents, not the order they were quoted in: the reader and
    // the export list a quoted-only document from its first paragraph on. The sort is
    // stable, so the first quote of a paragraph stays the one that keeps its id.
    let mut quoted = quoted;
    quoted.sort_by_cached_key(|(record, _)| (record.doc.clone(), record.para.reading_order()));
    let mut ids: HashSet<String> = built.records.iter().map(|r| r.id.clone()).collect();
    for (mut record, doc) in quoted {
        if !ids.insert(record.id.clone()) {
            let quoting = record.quoted_in.as_deref().unwrap_or_default();
            let again = RecordId::new(&record.doc, &record.para, record.variant)
                .quoted_again_in(quoting)
                .to_string();
            built.warnings.push(Warning {
                file: doc.file.clone(),
                line: record.provenance.line_start,
                message: format!(
                    "{} is quoted more than once; this quote is kept as {again}",
                    record.id
                ),
            });
            record.id = again;
        }
        let applies = corpus.meta(&record.doc).is_some_and(|m| m.variant);
        push_with_variant(&mut built.records, record, doc, applies, &rewriter);
    }
    built.warnings.extend(numbering);
    built.stats.documents = corpus.documents.len();
    built.stats.paragraph_records = built
        .records
        .iter()
        .filter(|r| r.variant == Variant::Original)
        .count();
    built.stats.variant_records = built.records.len() - built.stats.paragraph_records;
    built.stats.cross_references = built
        .records
        .iter()
        .filter(|r| r.variant == Variant::Original)
        .map(|r| r.refs.len())
        .sum();
    built.stats.warnings = built.warnings.len();
    built
}

/// Compares a quote with the official paragraph it names, now that the official text is in
/// the corpus: the official paragraph is the record; the quote is counted as found word for
/// word, found with differences, or not found, and the last two are reported.
fn check_against_official(
    quote: &Record,
    doc: &Document,
    records: &[Record],
    stats: &mut Stats,
    warnings: &mut Vec<Warning>,
) {
    let official = records
        .iter()
        .find(|r| r.doc == quote.doc && r.para == quote.para && r.variant == Variant::Original);
    let warn = |message: String| Warning {
        file: doc.file.clone(),
        line: quote.provenance.line_start,
        message,
    };
    let Some(official) = official else {
        stats.quotes_not_found += 1;
        warnings.push(warn(format!(
            "quotes {}, which the imported text does not have",
            quote.citation
        )));
        return;
    };
    match compare_quote(&quote.text, &official.text) {
        QuoteMatch::Verbatim => stats.quotes_verbatim += 1,
        QuoteMatch::Different(missing) => {
            stats.quotes_different += 1;
            warnings.push(warn(format!(
                "the quote of {} differs from the official text: not in it, or not in that order: {}",
                quote.citation,
                missing.join(" ")
            )));
        }
        QuoteMatch::NotFound => {
            stats.quotes_not_found += 1;
            warnings.push(warn(format!(
                "the quote of {} is not found in the official paragraph",
                quote.citation
            )));
        }
    }
}

/// How a quote compares with the official paragraph it names.
#[derive(Debug, Clone, PartialEq, Eq)]
enum QuoteMatch {
    /// Its words are the paragraph's, in order (differences of case at the start, quotation
    /// marks, dashes, item markers and other punctuation aside).
    Verbatim,
    /// Most of its words are; these are not, or not in that order.
    Different(Vec<String>),
    /// Most of its words are not.
    NotFound,
}

/// Compares a quote with an official paragraph, after normalising what a quotation changes
/// without changing the words: the case of the first letter, quotation marks, dashes, item
/// markers (`a.` = `a)` = `(a)`) and white space. Only differences in words are reported.
fn compare_quote(quote: &str, official: &str) -> QuoteMatch {
    let (q, o) = (normalize(quote), normalize(official));
    if o.contains(&q) {
        return QuoteMatch::Verbatim;
    }
    let (q, o) = (words(&q), words(&o));
    let missing = words_not_in_order(&q, &o);
    if missing.is_empty() {
        QuoteMatch::Verbatim
    } else if missing.len() * 3 <= q.len() {
        QuoteMatch::Different(missing)
    } else {
        QuoteMatch::NotFound
    }
}

/// The numbers of an official document's paragraphs (not of their items), in text order.
pub fn paragraph_numbers(pieces: &[Piece]) -> Vec<u32> {
    pieces
        .iter()
        .filter_map(|p| match &p.label {
            ParaLabel::Numbered { number, items } if items.is_empty() => Some(*number),
            _ => None,
        })
        .collect()
}

/// The numbers below the highest of `numbers` that are not among them.
pub fn missing_numbers(numbers: &[u32]) -> Vec<u32> {
    let present: HashSet<u32> = numbers.iter().copied().collect();
    let max = numbers.iter().copied().max().unwrap_or(0);
    (1..max).filter(|n| !present.contains(n)).collect()
}

/// Checks that an official document's paragraph numbers run 1..N without gaps or repeats, and
/// says where they do not.
pub fn check_numbering(doc: &Document, pieces: &[Piece]) -> Vec<Warning> {
    let numbers: Vec<(u32, usize)> = pieces
        .iter()
        .filter_map(|p| match &p.label {
            ParaLabel::Numbered { number, items } if items.is_empty() => {
                Some((*number, p.line_start))
            }
            _ => None,
        })
        .collect();
    let mut warnings = Vec::new();
    let mut expected = 1;
    for (number, line) in numbers {
        let message = if number < expected {
            format!(
                "paragraph {number} of {} comes again after {}",
                doc.meta.id,
                expected - 1
            )
        } else if number > expected {
            let missing = if number == expected + 1 {
                expected.to_string()
            } else {
                format!("{expected}–{}", number - 1)
            };
            format!(
                "paragraph numbers of {} skip {missing} before {number}",
                doc.meta.id
            )
        } else {
            String::new()
        };
        if !message.is_empty() {
            warnings.push(Warning {
                file: doc.file.clone(),
                line,
                message,
            });
        }
        expected = expected.max(number + 1);
    }
    warnings
}

/// Text with white space collapsed, its first letter in lower case, every quotation mark and
/// apostrophe made `"`, every dash `-`, and item markers written `(a)`.
fn normalize(text: &str) -> String {
    let marks: String = text
        .chars()
        .map(|c| match c {
            '‘' | '’' | '‚' | '‛' | '“' | '”' | '„' | '‟' | '«' | '»' | '\'' | '`' => {
                '"'
            }
            '‐' | '‑' | '‒' | '–' | '—' | '―' | '−' => '-',
            c => c,
        })
        .collect();
    let mut words: Vec<String> = marks
        .split_whitespace()
        .map(|w| match ITEM_MARKER.captures(w) {
            Some(c) => format!("({})", &c[1]),
            None => w.to_string(),
        })
        .collect();
    if let Some(first) = words
        .iter_mut()
        .find(|w| w.chars().any(char::is_alphabetic))
    {
        *first = lower_first_letter(first);
    }
    words.join(" ")
}

/// An item marker alone: `a.`, `a)`, `(a)`, `iv)`.
static ITEM_MARKER: std::sync::LazyLock<regex::Regex> =
    std::sync::LazyLock::new(|| regex::Regex::new(r"^\(?([a-z]{1,4})[.)]$").unwrap());

fn lower_first_letter(word: &str) -> String {
    let mut done = false;
    word.chars()
        .map(|c| {
            if !done && c.is_alphabetic() {
                done = true;
                c.to_lowercase().next().unwrap_or(c)
            } else {
                c
            }
        })
        .collect()
}

/// The words of a normalised text, without the punctuation around them.
fn words(text: &str) -> Vec<&str> {
    text.split(' ')
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty())
        .collect()
}

/// The words of `quote` that do not follow each other in `official`.
fn words_not_in_order(quote: &[&str], official: &[&str]) -> Vec<String> {
    let mut at = 0;
    let mut missing = Vec::new();
    for word in quote {
        match official[at..].iter().position(|w| w == word) {
            Some(k) => at += k + 1,
            None => missing.push(word.to_string()),
        }
    }
    missing
}

fn base_record(meta: &DocMeta, label: ParaLabel, text: String, provenance: Provenance) -> Record {
    Record {
        id: RecordId::new(&meta.id, &label, Variant::Original).to_string(),
        doc: meta.id.clone(),
        citation: meta.citation(&label),
        para: label,
        variant: Variant::Original,
        title: meta.title.clone(),
        kind: meta.kind,
        year: meta.year(),
        section: Vec::new(),
        text,
        partial: false,
        provenance,
        origin: None,
        quoted_in: None,
        refs: Vec::new(),
        substitutions: Vec::new(),
    }
}

fn piece_record(doc: &Document, piece: &Piece, refs: Vec<CrossRef>) -> Record {
    let provenance = Provenance {
        file: doc.file.clone(),
        line_start: piece.line_start,
        line_end: piece.line_end,
        spans: piece.spans.clone(),
    };
    let mut record = base_record(
        &doc.meta,
        piece.label.clone(),
        piece.text.clone(),
        provenance,
    );
    record.section = piece.section.clone();
    record.refs = refs;
    record.origin = origin_of(doc, piece.line_start, piece.line_end);
    record
}

/// The lines of the published file that file lines `first..=last` of an imported document
/// came from.
fn origin_of(doc: &Document, first: usize, last: usize) -> Option<Origin> {
    let imported = doc.origin.as_ref()?;
    let at = |file_line: usize| {
        imported
            .map
            .get(file_line.checked_sub(doc.body_first_line)?)
    };
    let (start, end) = (at(first)?, at(last)?);
    Some(Origin {
        file: doc.meta.source_file.clone(),
        sha256: imported.sha256.clone(),
        line_start: start.0,
        line_end: end.1,
    })
}

fn quote_record(doc: &Document, meta: &DocMeta, quote: &Quote, quoted_in: &str) -> Record {
    let text: Vec<&str> = quote.spans.iter().map(|(s, e)| &doc.text[*s..*e]).collect();
    let provenance = Provenance {
        file: doc.file.clone(),
        line_start: quote.lines.0,
        line_end: quote.lines.1,
        spans: quote.spans.clone(),
    };
    let mut record = base_record(meta, quote.label.clone(), text.join(" "), provenance);
    record.partial = quote.partial;
    record.quoted_in = Some(quoted_in.to_string());
    record
}

/// Pushes `record`, then its digital-society variant when the rewrite applies and changes it.
/// The lines of `doc` (the file the record's text is in) under `no-rewrite` stay as they are.
fn push_with_variant(
    records: &mut Vec<Record>,
    record: Record,
    doc: &Document,
    applies: bool,
    rewriter: &Rewriter,
) {
    let rewrite = applies
        .then(|| {
            rewriter.rewrite(
                &record.text,
                &excluded_ranges(doc, &record.provenance.spans),
            )
        })
        .flatten();
    let variant = rewrite.map(|rewrite| Record {
        id: RecordId::parse(&record.id)
            .unwrap_or_else(|| RecordId::new(&record.doc, &record.para, record.variant))
            .in_variant(Variant::Digital)
            .to_string(),
        variant: Variant::Digital,
        citation: reference::variant_citation(&record.citation),
        text: rewrite.text,
        substitutions: rewrite.substitutions,
        ..record.clone()
    });
    records.push(record);
    records.extend(variant);
}

/// The ranges of a record's text (spans joined by one space) that lie on `no-rewrite` lines.
fn excluded_ranges(doc: &Document, spans: &[(usize, usize)]) -> Vec<(usize, usize)> {
    let mut ranges = Vec::new();
    let mut at = 0;
    for (start, end) in spans {
        let body_line = doc.line_of(*start) + 1 - doc.body_first_line;
        if doc.is_no_rewrite(body_line) {
            ranges.push((at, at + end - start));
        }
        at += end - start + 1;
    }
    ranges
}

/// Reads records from a JSON-lines file, one record a line (at least `doc`, `para` and
/// `text`); blank lines are skipped. Missing ids, citations and provenance are filled in;
/// everything given is kept as it is, and no variants are made.
pub fn read_jsonl(path: &Path) -> Result<Vec<Record>> {
    let mut records = Vec::new();
    for_each_jsonl(path, &mut |record| {
        records.push(record);
        Ok(())
    })?;
    Ok(records)
}

/// Calls `visit` with each record of the JSON-lines file at `path`, in order, read one line at
/// a time (as [`read_jsonl`] reads them: defaults filled in, a duplicate id an error naming
/// its line), so that a file of any size is read in little memory.
pub fn for_each_jsonl(path: &Path, visit: &mut dyn FnMut(Record) -> Result<()>) -> Result<()> {
    let file = std::fs::File::open(path).map_err(Error::io(path))?;
    let display = path.display().to_string();
    let mut ids = HashSet::new();
    for (i, line) in std::io::BufReader::new(file).lines().enumerate() {
        let number = i + 1;
        let bad = |msg: String| Error::RecordsFormat {
            path: path.to_path_buf(),
            line: number,
            msg,
        };
        let line = line.map_err(|e| bad(format!("cannot read the line: {e}")))?;
        if line.trim().is_empty() {
            continue;
        }
        let mut record: Record =
            serde_json::from_str(&line).map_err(|e| bad(format!("not a record: {e}")))?;
        fill_in_defaults(&mut record, &display, number);
        if !ids.insert(record.id.clone()) {
            return Err(bad(format!("duplicate record id {:?}", record.id)));
        }
        visit(record)?;
    }
    Ok(())
}

/// The id, citation and provenance a record read from line `number` of `file` does not give.
fn fill_in_defaults(record: &mut Record, file: &str, number: usize) {
    if record.id.is_empty() {
        record.id = RecordId::new(&record.doc, &record.para, record.variant).to_string();
    }
    if record.citation.is_empty() {
        let name = if record.title.is_empty() {
            &record.doc
        } else {
            &record.title
        };
        record.citation = reference::citation(name, &record.para);
    }
    if record.provenance.file.is_empty() {
        record.provenance = Provenance {
            file: file.to_string(),
            line_start: number,
            line_end: number,
            spans: Vec::new(),
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_compare_by_their_words() {
        let official =
            "The keepers shall: a) light the lamps at dusk – every day; b) keep the “old” log.";
        let cases = [
            ("the keepers shall", QuoteMatch::Verbatim),
            (
                "The keepers shall: (a) light the lamps",
                QuoteMatch::Verbatim,
            ),
            (
                "a. light the lamps at dusk — every day",
                QuoteMatch::Verbatim,
            ),
            ("Light the lamps at dusk - every day", QuoteMatch::Verbatim),
            ("keep the ‘old’ log", QuoteMatch::Verbatim),
            ("keep the old log", QuoteMatch::Verbatim),
            (
                "light the lamps at dawn - every day",
                QuoteMatch::Different(vec!["dawn".into()]),
            ),
            ("ferries sail on mondays", QuoteMatch::NotFound),
        ];
        for (quote, expected) in cases {
            assert_eq!(compare_quote(quote, official), expected, "{quote}");
        }
    }
}

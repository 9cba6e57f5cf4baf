//! Citations: parsing the forms people write ("TA 72(e)", "Tunis Agenda para 72 e",
//! "A/RES/70/125 para. 69", "TA paras 69–71", "paragraphs 4, 5 and 55 of the Geneva
//! Declaration", "Plan of Action C7") into a [`Reference`], resolving it against the index,
//! and writing the answer as text, CSL-JSON, BibTeX or RIS.
//!
//! Parsing and resolving are separate steps. Document names come from the corpus headers and
//! the manifest (carried in the build's catalog), never from code. Nothing is guessed: a
//! reference to a paragraph the corpus lacks is answered with what it has.

mod render;

pub use render::{Format, render};

use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;

pub use crate::reference::{FORMS, ParaSpec};

use crate::corpus::{CatalogEntry, DocMeta, DocNames};
use crate::error::{Error, Result};
use crate::model::{Kind, ParaLabel, Provenance, Substitution, Variant};
use crate::reference;
use crate::search::{IndexVersion, Searcher, permalink};

/// A parsed reference: a document and the paragraphs it names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reference {
    /// The document id.
    pub doc: String,
    /// The paragraphs.
    pub paras: Vec<ParaSpec>,
}

/// `… of (the) DOC` at the end of a reference.
static OF_DOC: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?P<paras>.+?)\s+of\s+(?:the\s+)?(?P<doc>.+)$").unwrap());

/// Parses a reference against the document names in `names`; the error says why it is not one.
pub fn parse(input: &str, names: &DocNames) -> Result<Reference> {
    read_reference(input, names).map_err(|why| Error::CitationParse {
        input: input.chars().take(200).collect(),
        reason: why.reason(names),
    })
}

/// The reference `input` is, if it is one: [`parse`] without the reason, for the search box,
/// which asks it of every query (the reason lists every document, a cost per query).
pub fn read(input: &str, names: &DocNames) -> Option<Reference> {
    read_reference(input, names).ok()
}

/// Why a text is not a reference.
enum Unreadable {
    Empty,
    TooLong,
    /// No known document is named at the start of this text.
    UnknownDocument(String),
    NoParagraph,
    /// This paragraph part is not one.
    NotParagraphs(String),
    /// A number or a range in the paragraph part is out of bounds: why.
    Refused(String),
}

impl Unreadable {
    fn reason(&self, names: &DocNames) -> String {
        match self {
            Unreadable::Empty => format!("the reference is empty; write it as e.g. {FORMS}"),
            Unreadable::TooLong => "the reference is longer than 300 characters".into(),
            Unreadable::UnknownDocument(written) => format!(
                "no known document is named at the start of {written:?}; documents: {}",
                names.short_list()
            ),
            Unreadable::NoParagraph => {
                format!("no paragraph is given; write it as e.g. {FORMS}")
            }
            Unreadable::NotParagraphs(paras) => {
                format!("{paras:?} is not a paragraph reference; forms: {FORMS}")
            }
            Unreadable::Refused(why) => why.clone(),
        }
    }
}

fn read_reference(input: &str, names: &DocNames) -> std::result::Result<Reference, Unreadable> {
    let text = input.trim().replace(['\u{a0}', '\t'], " ");
    if text.is_empty() {
        return Err(Unreadable::Empty);
    }
    if text.chars().count() > 300 {
        return Err(Unreadable::TooLong);
    }
    let (doc, paras) = if let Some((len, id)) = names.prefix_or_shared(&text) {
        let mut rest = text[len..].trim_start_matches([',', ' ', ':']);
        // A full citation names the document twice, by its title and its symbol.
        if let Some((again, _)) = names.prefix(rest).filter(|&(_, other)| other == id) {
            rest = rest[again..].trim_start_matches([',', ' ', ':']);
        }
        (id.to_string(), rest.to_string())
    } else if let Some(caps) = OF_DOC.captures(&text) {
        let doc = names
            .resolve(&caps["doc"])
            .ok_or_else(|| Unreadable::UnknownDocument(caps["doc"].to_string()))?;
        (doc.to_string(), caps["paras"].to_string())
    } else {
        return Err(Unreadable::UnknownDocument(text));
    };
    let paras = paras.trim().to_lowercase();
    if paras.is_empty() {
        return Err(Unreadable::NoParagraph);
    }
    let specs =
        reference::parse_paras(&paras).ok_or_else(|| {
            match reference::why_not_paragraphs(&paras) {
                Some(why) => Unreadable::Refused(why),
                None => Unreadable::NotParagraphs(paras),
            }
        })?;
    Ok(Reference { doc, paras: specs })
}

/// The answer to a citation: the paragraphs found and what is missing.
#[derive(Debug, Clone, Serialize)]
pub struct CiteAnswer {
    /// The reference as given.
    #[serde(rename = "ref")]
    pub reference: String,
    /// The document it names.
    pub doc: CatalogEntry,
    /// What the corpus holds of the document, in a sentence.
    pub coverage: String,
    /// The paragraphs found, in the order asked.
    pub paragraphs: Vec<CitedParagraph>,
    /// Labels asked for and not found.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<String>,
    /// The index build that answered.
    pub index: IndexVersion,
}

/// One paragraph of a citation answer.
#[derive(Debug, Clone, Serialize)]
pub struct CitedParagraph {
    /// Record id.
    pub id: String,
    /// Label.
    pub para: ParaLabel,
    /// "Tunis Agenda, para. 72(e)".
    pub citation: String,
    /// With the full title and symbol: "Tunis Agenda for the Information Society,
    /// WSIS-05/TUNIS/DOC/6(Rev.1)-E, para. 72(e)".
    pub citation_full: String,
    /// The text.
    pub text: String,
    /// Only part of the paragraph.
    pub partial: bool,
    /// Where the text comes from.
    pub provenance: Provenance,
    /// The background record that quotes it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quoted_in: Option<String>,
    /// The digital-society variant, where one exists.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub digital: Option<DigitalText>,
    /// Records that refer to this paragraph.
    pub cited_by: Vec<CitingRecord>,
    /// Permalink.
    pub url: String,
}

/// A digital-society variant in a citation answer.
#[derive(Debug, Clone, Serialize)]
pub struct DigitalText {
    /// Its text.
    pub text: String,
    /// What was changed.
    pub substitutions: Vec<Substitution>,
}

/// A record that refers to a paragraph.
#[derive(Debug, Clone, Serialize)]
pub struct CitingRecord {
    /// Its id.
    pub id: String,
    /// Its citation.
    pub citation: String,
    /// The paragraph or item it refers to: the paragraph asked for, or one of its items.
    pub para: ParaLabel,
    /// How it wrote the reference.
    pub written: String,
}

/// Parses `input` and resolves it against a build: what `wsis cite` and `GET /api/cite`
/// answer.
pub fn lookup(input: &str, searcher: &Searcher) -> Result<CiteAnswer> {
    let reference = parse(input, searcher.doc_names())?;
    resolve(input, &reference, &searcher.catalog(), searcher)
}

/// Resolves a parsed reference. A paragraph that is not there is listed in `missing`; when
/// nothing is found, the error says what the document has.
pub fn resolve(
    input: &str,
    reference: &Reference,
    catalog: &[CatalogEntry],
    searcher: &Searcher,
) -> Result<CiteAnswer> {
    let answer = resolve_all(input, reference, catalog, searcher)?;
    if answer.paragraphs.is_empty() {
        let has = labels_of(searcher, &reference.doc)?;
        return Err(Error::ParagraphNotFound {
            doc: reference.doc.clone(),
            para: answer.missing.join(", "),
            has: summarize_labels(&has),
            // The labels are in `has` already.
            coverage: not_imported_or_full(&answer.doc),
        });
    }
    Ok(answer)
}

/// [`resolve`], answering also when none of the paragraphs is in the corpus: then
/// `paragraphs` is empty, `missing` lists what was asked, and `coverage` says what exists.
pub fn resolve_all(
    input: &str,
    reference: &Reference,
    catalog: &[CatalogEntry],
    searcher: &Searcher,
) -> Result<CiteAnswer> {
    let entry = catalog
        .iter()
        .find(|e| e.meta.id == reference.doc)
        .cloned()
        .unwrap_or_else(|| CatalogEntry::bare(&reference.doc, &reference.doc, Kind::Unspecified));
    let mut paragraphs = Vec::new();
    let mut missing = Vec::new();
    // A paragraph named twice (`69, 69`, `69-71, 70`) is answered once, where first named.
    let mut asked = std::collections::HashSet::new();
    for spec in &reference.paras {
        let labels = match spec {
            ParaSpec::Heading { key } => {
                let under = labels_under_heading(searcher, &reference.doc, key)?;
                if under.is_empty() {
                    missing.push(key.clone());
                }
                under
            }
            _ => spec.labels(),
        };
        for label in labels.into_iter().filter(|l| asked.insert(l.clone())) {
            match cited_paragraph(searcher, &entry.meta, &label)? {
                Some(p) => paragraphs.push(p),
                None => missing.push(label.to_string()),
            }
        }
    }
    Ok(CiteAnswer {
        reference: input.to_string(),
        coverage: coverage(&entry, searcher)?,
        doc: entry,
        paragraphs,
        missing,
        index: IndexVersion::from(searcher.info()),
    })
}

fn cited_paragraph(
    searcher: &Searcher,
    meta: &DocMeta,
    label: &ParaLabel,
) -> Result<Option<CitedParagraph>> {
    let records = searcher.paragraph(&meta.id, label)?;
    let Some(original) = records
        .iter()
        .find(|r| r.variant == Variant::Original && !r.is_second_quote())
    else {
        return Ok(None);
    };
    let digital = records
        .iter()
        .find(|r| r.variant == Variant::Digital && !r.is_second_quote())
        .map(|r| DigitalText {
            text: r.text.clone(),
            substitutions: r.substitutions.clone(),
        });
    let cited_by = searcher
        .cited_by(&meta.id, label)?
        .into_iter()
        .filter_map(|r| {
            // The index counts a reference to an item for its paragraph too: `cited_by` of 72
            // holds the records citing 72(e). The most exact reference is shown.
            let cites = r
                .refs
                .iter()
                .filter(|x| x.doc == meta.id && x.para.is_within(label))
                .min_by_key(|x| x.para.reading_order())?;
            Some(CitingRecord {
                para: cites.para.clone(),
                written: cites.written.clone(),
                id: r.id,
                citation: r.citation,
            })
        })
        .collect();
    Ok(Some(CitedParagraph {
        id: original.id.clone(),
        para: original.para.clone(),
        citation: original.citation.clone(),
        citation_full: meta.full_citation(label),
        text: original.text.clone(),
        partial: original.partial,
        provenance: original.provenance.clone(),
        quoted_in: original.quoted_in.clone(),
        digital,
        cited_by,
        url: permalink(&meta.id, label, Variant::Original),
    }))
}

fn labels_of(searcher: &Searcher, doc: &str) -> Result<Vec<ParaLabel>> {
    let mut labels: Vec<ParaLabel> = searcher
        .document(doc)?
        .into_iter()
        .filter(|r| r.variant == Variant::Original)
        .map(|r| r.para)
        .collect();
    labels.sort();
    labels.dedup();
    Ok(labels)
}

/// The numbered paragraphs whose heading path has a heading starting with `key` ("C7").
fn labels_under_heading(searcher: &Searcher, doc: &str, key: &str) -> Result<Vec<ParaLabel>> {
    let starts = |h: &str| {
        let compact: String = h
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '.')
            .collect::<String>()
            .to_uppercase();
        compact.starts_with(key) && !compact[key.len()..].starts_with(|c: char| c.is_ascii_digit())
    };
    let records = searcher.document(doc)?;
    Ok(records
        .into_iter()
        .filter(|r| r.variant == Variant::Original && r.section.iter().any(|h| starts(h)))
        .map(|r| r.para)
        .collect())
}

/// "72, 72(a)–72(l), 34, 69" style summary of labels: runs of items are shortened.
pub fn summarize_labels(labels: &[ParaLabel]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < labels.len() {
        let mut j = i;
        while j + 1 < labels.len() && same_run(&labels[j], &labels[j + 1]) {
            j += 1;
        }
        parts.push(if j > i + 1 {
            format!("{}–{}", labels[i], labels[j])
        } else if j == i + 1 {
            format!("{}, {}", labels[i], labels[j])
        } else {
            labels[i].to_string()
        });
        i = j + 1;
    }
    if parts.is_empty() {
        "no paragraphs".into()
    } else {
        parts.join(", ")
    }
}

fn same_run(a: &ParaLabel, b: &ParaLabel) -> bool {
    match (a, b) {
        (
            ParaLabel::Numbered {
                number: n,
                items: x,
            },
            ParaLabel::Numbered {
                number: m,
                items: y,
            },
        ) if n == m && x.len() == 1 && y.len() == 1 => {
            let (p, q) = (x[0].as_bytes(), y[0].as_bytes());
            p.len() == 1 && q.len() == 1 && q[0] == p[0] + 1
        }
        (ParaLabel::Counted(x), ParaLabel::Counted(y))
        | (ParaLabel::Preamble(x), ParaLabel::Preamble(y)) => *y == x + 1,
        _ => false,
    }
}

/// What the corpus holds of a document, in a sentence.
pub fn coverage(entry: &CatalogEntry, searcher: &Searcher) -> Result<String> {
    if entry.full_text {
        return Ok(not_imported_or_full(entry));
    }
    if let Some(incomplete) = incomplete(entry) {
        return Ok(incomplete);
    }
    let has = labels_of(searcher, &entry.meta.id)?;
    Ok(if has.is_empty() {
        format!(
            "{}; no background document quotes a paragraph of it",
            not_imported_or_full(entry)
        )
    } else {
        format!(
            "{}; the corpus holds only the paragraphs background documents quote: {}",
            not_imported_or_full(entry),
            summarize_labels(&has)
        )
    })
}

/// For an imported official text whose numbering check fails: which paragraphs are missing
/// and what the check found.
fn incomplete(entry: &CatalogEntry) -> Option<String> {
    if !entry.is_incomplete() {
        return None;
    }
    let missing = if entry.missing.is_empty() {
        String::new()
    } else {
        let labels: Vec<ParaLabel> = entry
            .missing
            .iter()
            .map(|&n| ParaLabel::numbered(n))
            .collect();
        format!("paragraphs {} are missing; ", summarize_labels(&labels))
    };
    Some(format!(
        "the corpus holds an incomplete text of {}: {missing}its numbering check fails ({}); import the official file again (`wsis fetch {}`)",
        entry.meta.cite_name(),
        entry.numbering.join("; "),
        entry.meta.id
    ))
}

/// "the corpus holds the full text of …", or "the full text of … is not imported (official
/// text: …)": [`coverage`] without the list of what is quoted.
fn not_imported_or_full(entry: &CatalogEntry) -> String {
    let name = entry.meta.cite_name();
    if entry.full_text {
        return format!("the corpus holds the full text of {name}");
    }
    if let Some(incomplete) = incomplete(entry) {
        return incomplete;
    }
    if entry.meta.source_url.is_empty() {
        format!("the full text of {name} is not imported")
    } else {
        format!(
            "the full text of {name} is not imported (official text: {})",
            entry.meta.source_url
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::Kind;

    fn names() -> DocNames {
        let meta = |id: &str, short: &str, aliases: &[&str], symbol: &str| DocMeta {
            short: short.into(),
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
            symbol: symbol.into(),
            ..DocMeta::named(id, &format!("The {short}"), Kind::OutcomeDocument)
        };
        DocNames::new(&[
            meta(
                "tunis-agenda",
                "Tunis Agenda",
                &["TA", "A/60/687", "WSIS-05/TUNIS/DOC/6 (Rev. 1)-E"],
                "WSIS-05/TUNIS/DOC/6(Rev.1)-E",
            ),
            meta(
                "wsis10-outcome",
                "WSIS+10 outcome document",
                &["WSIS+10 outcome", "WSIS+10"],
                "A/RES/70/125",
            ),
            meta(
                "geneva-declaration",
                "Geneva Declaration of Principles",
                &["Geneva Declaration"],
                "WSIS-03/GENEVA/DOC/4-E",
            ),
            meta(
                "geneva-plan-of-action",
                "Geneva Plan of Action",
                &["Plan of Action", "PoA"],
                "WSIS-03/GENEVA/DOC/5-E",
            ),
        ])
    }

    /// Parses and writes the result compactly: `doc: 72(e) | 69-71 | C7`, or `error: …`.
    #[track_caller]
    fn check(input: &str, expect: &str) {
        let got = match parse(input, &names()) {
            Ok(r) => {
                let specs: Vec<String> = r
                    .paras
                    .iter()
                    .map(|s| match s {
                        ParaSpec::Label { label } => label.to_string(),
                        ParaSpec::Range { from, to } => format!("{from}-{to}"),
                        ParaSpec::ItemRange { from, to } => format!("{from}-{to}"),
                        ParaSpec::Heading { key } => key.clone(),
                    })
                    .collect();
                format!("{}: {}", r.doc, specs.join(" | "))
            }
            Err(_) => "error".to_string(),
        };
        assert_eq!(got, expect, "parsing {input:?}");
    }

    #[test]
    fn citation_forms() {
        let table = [
            ("TA 72(e)", "tunis-agenda: 72(e)"),
            ("Tunis Agenda para 72 e", "tunis-agenda: 72(e)"),
            ("tunis agenda ¶72(e)", "tunis-agenda: 72(e)"),
            ("Tunis Agenda § 72.e", "tunis-agenda: 72(e)"),
            ("TA 72e", "tunis-agenda: 72(e)"),
            ("TA para. 72 (e)", "tunis-agenda: 72(e)"),
            ("WSIS-05/TUNIS/DOC/6(Rev.1)-E, para. 72", "tunis-agenda: 72"),
            ("WSIS-05/TUNIS/DOC/6 (Rev. 1)-E para 72", "tunis-agenda: 72"),
            ("A/60/687 paragraph 34", "tunis-agenda: 34"),
            ("A/RES/70/125 para. 69", "wsis10-outcome: 69"),
            ("WSIS+10 outcome 69", "wsis10-outcome: 69"),
            ("WSIS+10 69", "wsis10-outcome: 69"),
            ("Geneva Declaration 1", "geneva-declaration: 1"),
            ("Plan of Action C7", "geneva-plan-of-action: C7"),
            ("PoA action line C10", "geneva-plan-of-action: C10"),
            ("PoA C.2", "geneva-plan-of-action: C2"),
            ("PoA 13(b)(iv)", "geneva-plan-of-action: 13(b)(iv)"),
            ("TA paras 69-71", "tunis-agenda: 69-71"),
            ("TA paras 69–71", "tunis-agenda: 69-71"),
            ("TA 69 to 71", "tunis-agenda: 69-71"),
            (
                "paragraphs 4, 5 and 55 of the Geneva Declaration",
                "geneva-declaration: 4 | 5 | 55",
            ),
            (
                "Operative paragraph 72 of the Tunis Agenda",
                "tunis-agenda: 72",
            ),
            ("TA ¶¶ 34, 35", "tunis-agenda: 34 | 35"),
            ("TA pp3", "tunis-agenda: pp3"),
            (
                "Tunis Agenda, paragraph 72(a)-(c)",
                "tunis-agenda: 72(a)-72(c)",
            ),
            ("TA 72(a)–72(c)", "tunis-agenda: 72(a)-72(c)"),
            ("TA 72(a) to (c)", "tunis-agenda: 72(a)-72(c)"),
            ("TA 72(a) to 72(c)", "tunis-agenda: 72(a)-72(c)"),
            (
                "TA 72(a), (c) and (e)",
                "tunis-agenda: 72(a) | 72(c) | 72(e)",
            ),
            ("TA 72(a)-(c) and (e)", "tunis-agenda: 72(a)-72(c) | 72(e)"),
            (
                "PoA 13(b)(i)-(iv)",
                "geneva-plan-of-action: 13(b)(i)-13(b)(iv)",
            ),
            (
                "PoA 13(b)(i)-(v)",
                "geneva-plan-of-action: 13(b)(i)-13(b)(v)",
            ),
            ("TA 72(c)-(a)", "error"),
            ("TA 72(a)-73(c)", "error"),
            ("TA 72, (c)", "error"),
            ("TA (c)", "error"),
            ("TA", "error"),
            ("Tunis Agendas 72", "error"),
            ("Unknown Charter 5", "error"),
            ("TA 72(e", "error"),
            ("TA 0", "error"),
            ("TA 71-69", "error"),
            ("", "error"),
        ];
        for (input, expect) in table {
            check(input, expect);
        }
    }

    #[test]
    fn reference_forms_after_a_document_name() {
        use crate::reference::forms;
        for form in forms::TABLE {
            let input = format!("TA {}", form.written);
            let got: Vec<String> = parse(&input, &names())
                .map(|r| {
                    r.paras
                        .iter()
                        .flat_map(ParaSpec::labels)
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
                .iter()
                .map(ToString::to_string)
                .collect();
            assert_eq!(got, forms::labels(form), "{input}");
        }
    }

    #[test]
    fn label_summaries_shorten_runs_of_items() {
        let labels: Vec<ParaLabel> = ["34", "72", "72(a)", "72(b)", "72(c)", "109", "p1", "p2"]
            .iter()
            .map(|l| l.parse().unwrap())
            .collect();
        assert_eq!(
            summarize_labels(&labels),
            "34, 72, 72(a)–72(c), 109, p1, p2"
        );
    }
}

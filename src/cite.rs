//! Citations: parsing the forms people write ("TA 72(e)", "Tunis Agenda para 72 e",
//! "A/RES/70/125 para. 69", "TA paras 69–71", "paragraphs 4, 5 and 55 of the Geneva
//! Declaration", "Plan of Action C7") into a [`Reference`], resolving it against the index,
//! and writing the answer as text, CSL-JSON, BibTeX or RIS.
//!
//! Parsing and resolving are separate steps. Document names come from the corpus headers and
//! the manifest (carried in the build's catalog), never from code. Nothing is guessed: a
//! reference to a paragraph the corpus lacks is answered with what it has.

use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;

use crate::corpus::{CatalogEntry, DocMeta, DocNames};
use crate::error::{Error, Result};
use crate::record::{ParaLabel, Provenance, Substitution, Variant};
use crate::search::{IndexVersion, Searcher, permalink};

/// The grammar of the paragraph part of a reference, as named fragments.
mod grammar {
    /// The word for paragraph: `para`, `para.`, `paras`, `paragraph(s)`, `¶`, `¶¶`, `§`,
    /// `op`, `operative paragraph`; not `parallel`.
    pub const PARA_WORD: &str = r"(?:operative\s+paragraphs?|paragraphs?|paras?\.?|¶¶?|§§?|op\.?)";
    /// A paragraph number: `72`; not `0072`.
    pub const NUM: &str = r"[1-9]\d{0,2}";
    /// Items after a number: `(e)`, ` e`, `.e`, `e`, `(b)(iv)`, ` b iv`; not ` to`, ` and`.
    pub const ITEMS: &str = r"(?:\s*\(\s*(?:[a-z]|[ivx]{1,4})\s*\)|[\s.]?(?:[a-z]|[ivx]{2,4})\b)*";
    /// A range separator: `-`, `–`, `—`, `to`; `69-71`, `69 to 71`.
    pub const RANGE: &str = r"\s*(?:-|–|—|to)\s*";
    /// A list separator: `,`, `and`, `&`, `, and`.
    pub const LIST: &str = r"\s*(?:,\s*and|,|and|&)\s*";
    /// A counted or preambular label: `pp3`, `fn2`, `p12`.
    pub const OTHER_LABEL: &str = r"(?:pp|fn|p)[1-9]\d{0,3}";
    /// An action line: `C7`, `C.7`, `C 7`, `action line C10`; not `C77`.
    pub const ACTION_LINE: &str = r"(?:action\s+line\s+)?c\s?\.?\s?(?:1[01]|[1-9])\b";
}

/// One part of a reference's paragraph list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum ParaSpec {
    /// One paragraph or item.
    Label {
        /// The label.
        label: ParaLabel,
    },
    /// Numbered paragraphs `from` to `to`, inclusive.
    Range {
        /// First.
        from: u32,
        /// Last.
        to: u32,
    },
    /// The paragraphs under a heading, such as action line `C7`.
    Heading {
        /// The heading's key, upper case, without dots: `C7`.
        key: String,
    },
}

/// A parsed reference: a document and the paragraphs it names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reference {
    /// The document id.
    pub doc: String,
    /// The paragraphs.
    pub paras: Vec<ParaSpec>,
}

static PARA_PART: LazyLock<Regex> = LazyLock::new(|| {
    use grammar::*;
    let one = format!(r"(?:{OTHER_LABEL}|{ACTION_LINE}|{NUM}{ITEMS})");
    let item = format!(r"{one}(?:{RANGE}{NUM})?");
    Regex::new(&format!(
        r"^(?:{PARA_WORD}\s*)?(?P<list>{item}(?:{LIST}{item})*)$"
    ))
    .unwrap()
});
static ONE_SPEC: LazyLock<Regex> = LazyLock::new(|| {
    use grammar::*;
    Regex::new(&format!(
        r"(?P<other>{OTHER_LABEL})|(?P<al>{ACTION_LINE})|(?P<num>{NUM})(?P<items>{ITEMS})(?:{RANGE}(?P<to>{NUM}))?"
    ))
    .unwrap()
});
static ITEM: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"[a-z]+").unwrap());
/// `… of (the) DOC` at the end of a reference.
static OF_DOC: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?P<paras>.+?)\s+of\s+(?:the\s+)?(?P<doc>.+)$").unwrap());

/// What forms a reference may take, for error messages.
pub const FORMS: &str = "TA 72(e), Tunis Agenda para 72 e, A/RES/70/125 para. 69, WSIS+10 outcome 69, TA paras 69-71, paragraphs 4, 5 and 55 of the Geneva Declaration, Plan of Action C7";

/// Parses a reference against the document names in `names`.
pub fn parse(input: &str, names: &DocNames) -> Result<Reference> {
    let bad = |reason: String| Error::CitationParse {
        input: input.chars().take(200).collect(),
        reason,
    };
    let text = input.trim().replace(['\u{a0}', '\t'], " ");
    if text.is_empty() {
        return Err(bad(format!(
            "the reference is empty; write it as e.g. {FORMS}"
        )));
    }
    if text.chars().count() > 300 {
        return Err(bad("the reference is longer than 300 characters".into()));
    }
    let (doc, paras) = if let Some((len, id)) = names.prefix(&text) {
        (
            id.to_string(),
            text[len..].trim_start_matches([',', ' ', ':']).to_string(),
        )
    } else if let Some(caps) = OF_DOC.captures(&text) {
        let doc = names
            .resolve(&caps["doc"])
            .ok_or_else(|| bad(unknown_document(&caps["doc"], names)))?;
        (doc.to_string(), caps["paras"].to_string())
    } else {
        return Err(bad(unknown_document(&text, names)));
    };
    let paras = paras.trim().to_lowercase();
    if paras.is_empty() {
        return Err(bad(format!(
            "no paragraph is given; write it as e.g. {FORMS}"
        )));
    }
    let caps = PARA_PART.captures(&paras).ok_or_else(|| {
        bad(format!(
            "{paras:?} is not a paragraph reference; forms: {FORMS}"
        ))
    })?;
    let specs = ONE_SPEC
        .captures_iter(&caps["list"])
        .map(|c| spec(&c))
        .collect::<Option<Vec<_>>>();
    let specs = specs.filter(|s| !s.is_empty()).ok_or_else(|| {
        bad(format!(
            "{paras:?} is not a paragraph reference; forms: {FORMS}"
        ))
    })?;
    Ok(Reference { doc, paras: specs })
}

fn unknown_document(written: &str, names: &DocNames) -> String {
    format!(
        "no known document is named at the start of {written:?}; documents: {}",
        names.short_list()
    )
}

fn spec(c: &regex::Captures) -> Option<ParaSpec> {
    if let Some(other) = c.name("other") {
        return other
            .as_str()
            .parse()
            .ok()
            .map(|label| ParaSpec::Label { label });
    }
    if let Some(al) = c.name("al") {
        let digits: String = al.as_str().chars().filter(char::is_ascii_digit).collect();
        return Some(ParaSpec::Heading {
            key: format!("C{digits}"),
        });
    }
    let number: u32 = c.name("num")?.as_str().parse().ok()?;
    if let Some(to) = c.name("to") {
        let to: u32 = to.as_str().parse().ok()?;
        return (to > number && to - number <= 200).then_some(ParaSpec::Range { from: number, to });
    }
    let mut label = ParaLabel::numbered(number);
    for item in ITEM.find_iter(c.name("items").map_or("", |m| m.as_str())) {
        label = label.with_item(item.as_str())?;
    }
    Some(ParaSpec::Label { label })
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
    /// How it wrote the reference.
    pub written: String,
}

/// Resolves a parsed reference. A paragraph that is not there is listed in `missing`; when
/// nothing is found, the error says what the document has.
pub fn resolve(
    input: &str,
    reference: &Reference,
    catalog: &[CatalogEntry],
    searcher: &Searcher,
) -> Result<CiteAnswer> {
    let entry = catalog
        .iter()
        .find(|e| e.meta.id == reference.doc)
        .cloned()
        .unwrap_or_else(|| CatalogEntry::bare(&reference.doc, &reference.doc, ""));
    let mut paragraphs = Vec::new();
    let mut missing = Vec::new();
    for spec in &reference.paras {
        let labels: Vec<ParaLabel> = match spec {
            ParaSpec::Label { label } => vec![label.clone()],
            ParaSpec::Range { from, to } => (*from..=*to).map(ParaLabel::numbered).collect(),
            ParaSpec::Heading { key } => {
                let under = labels_under_heading(searcher, &reference.doc, key)?;
                if under.is_empty() {
                    missing.push(key.clone());
                }
                under
            }
        };
        for label in labels {
            match cited_paragraph(searcher, &entry.meta, &label)? {
                Some(p) => paragraphs.push(p),
                None => missing.push(label.to_string()),
            }
        }
    }
    let coverage = coverage(&entry, searcher)?;
    if paragraphs.is_empty() {
        let has = labels_of(searcher, &reference.doc)?;
        return Err(Error::ParagraphNotFound {
            doc: reference.doc.clone(),
            para: missing.join(", "),
            has: summarize_labels(&has),
            coverage,
        });
    }
    Ok(CiteAnswer {
        reference: input.to_string(),
        doc: entry,
        coverage,
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
        .find(|r| r.variant == Variant::Original && !r.id.contains('@'))
    else {
        return Ok(None);
    };
    let digital = records
        .iter()
        .find(|r| r.variant == Variant::Digital && !r.id.contains('@'))
        .map(|r| DigitalText {
            text: r.text.clone(),
            substitutions: r.substitutions.clone(),
        });
    let cited_by = searcher
        .cited_by(&meta.id, label)?
        .into_iter()
        .map(|r| {
            let written = r
                .refs
                .iter()
                .find(|x| x.doc == meta.id && &x.para == label)
                .map(|x| x.written.clone())
                .unwrap_or_default();
            CitingRecord {
                id: r.id,
                citation: r.citation,
                written,
            }
        })
        .collect();
    Ok(Some(CitedParagraph {
        id: original.id.clone(),
        para: original.para.clone(),
        citation: original.citation.clone(),
        citation_full: full_citation(meta, label),
        text: original.text.clone(),
        partial: original.partial,
        provenance: original.provenance.clone(),
        quoted_in: original.quoted_in.clone(),
        digital,
        cited_by,
        url: permalink(&meta.id, label, Variant::Original),
    }))
}

/// "Tunis Agenda for the Information Society, WSIS-05/TUNIS/DOC/6(Rev.1)-E, para. 72(e)".
pub fn full_citation(meta: &DocMeta, label: &ParaLabel) -> String {
    let mut parts = vec![meta.title.clone()];
    if !meta.symbol.is_empty() {
        parts.push(meta.symbol.clone());
    }
    parts.push(label.citation_form());
    parts.join(", ")
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
        return Ok(format!(
            "the corpus holds the full text of {}",
            entry.meta.cite_name()
        ));
    }
    if entry.is_incomplete() {
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
        return Ok(format!(
            "the corpus holds an incomplete text of {}: {missing}its numbering check fails ({}); import the official file again (`wsis fetch {}`)",
            entry.meta.cite_name(),
            entry.numbering.join("; "),
            entry.meta.id
        ));
    }
    let has = labels_of(searcher, &entry.meta.id)?;
    let source = if entry.meta.source_url.is_empty() {
        String::new()
    } else {
        format!(" (official text: {})", entry.meta.source_url)
    };
    Ok(format!(
        "the full text of {} is not imported{source}; the corpus holds only the paragraphs background documents quote: {}",
        entry.meta.cite_name(),
        summarize_labels(&has)
    ))
}

/// Output formats of `wsis cite`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Citation, quote and provenance, for reading.
    Text,
    /// The [`CiteAnswer`] as JSON.
    Json,
    /// CSL-JSON items (Zotero, citeproc), the paragraph as locator.
    CslJson,
    /// BibTeX entries.
    Bibtex,
    /// RIS records.
    Ris,
}

impl std::str::FromStr for Format {
    type Err = String;

    fn from_str(s: &str) -> std::result::Result<Self, String> {
        match s {
            "text" => Ok(Format::Text),
            "json" => Ok(Format::Json),
            "csl-json" => Ok(Format::CslJson),
            "bibtex" => Ok(Format::Bibtex),
            "ris" => Ok(Format::Ris),
            _ => Err(format!(
                "format is text, json, csl-json, bibtex or ris, not {s:?}"
            )),
        }
    }
}

/// Writes an answer in `format`.
pub fn render(answer: &CiteAnswer, format: Format) -> String {
    match format {
        Format::Text => render_text(answer),
        Format::Json => serde_json::to_string_pretty(answer).unwrap_or_default(),
        Format::CslJson => serde_json::to_string_pretty(&csl_items(answer)).unwrap_or_default(),
        Format::Bibtex => answer
            .paragraphs
            .iter()
            .map(|p| bibtex(&answer.doc.meta, p))
            .collect::<Vec<_>>()
            .join("\n"),
        Format::Ris => answer
            .paragraphs
            .iter()
            .map(|p| ris(&answer.doc.meta, p))
            .collect::<Vec<_>>()
            .join("\n"),
    }
}

fn render_text(answer: &CiteAnswer) -> String {
    let mut out = String::new();
    for p in &answer.paragraphs {
        out.push_str(&format!("{}\n“{}”\n", p.citation, p.text));
        let mut notes = Vec::new();
        if p.partial {
            notes.push("partial: only part of the paragraph".to_string());
        }
        if let Some(q) = &p.quoted_in {
            notes.push(format!("quoted in {q}"));
        }
        notes.push(format!(
            "{} lines {}–{}",
            p.provenance.file, p.provenance.line_start, p.provenance.line_end
        ));
        out.push_str(&format!("({})\n", notes.join("; ")));
        if let Some(d) = &p.digital {
            out.push_str(&format!("digital society: “{}”\n", d.text));
        }
        for c in &p.cited_by {
            out.push_str(&format!("cited by {} ({})\n", c.citation, c.written));
        }
        out.push('\n');
    }
    if !answer.missing.is_empty() {
        out.push_str(&format!("not found: {}\n", answer.missing.join(", ")));
    }
    out.push_str(&format!("{}\n", answer.coverage));
    out
}

/// The date parts of a `YYYY[-MM[-DD]]` date.
fn date_parts(date: &str) -> Vec<u32> {
    date.split('-').filter_map(|p| p.parse().ok()).collect()
}

fn csl_items(answer: &CiteAnswer) -> Vec<serde_json::Value> {
    let meta = &answer.doc.meta;
    answer
        .paragraphs
        .iter()
        .map(|p| {
            let mut item = serde_json::json!({
                "id": p.id,
                "type": "document",
                "title": meta.title,
                "locator": p.para.to_string(),
                "label": "paragraph",
                "note": p.citation,
            });
            let fields = [
                ("number", &meta.symbol),
                ("publisher", &meta.publisher),
                ("URL", &meta.source_url),
            ];
            for (key, value) in fields {
                if !value.is_empty() {
                    item[key] = value.clone().into();
                }
            }
            if !meta.date.is_empty() {
                item["issued"] = serde_json::json!({ "date-parts": [date_parts(&meta.date)] });
            }
            item
        })
        .collect()
}

fn bibtex_escape(s: &str) -> String {
    s.replace('\\', "\\textbackslash{}")
        .replace(['{', '}'], "")
        .replace('&', "\\&")
        .replace('%', "\\%")
        .replace('#', "\\#")
        .replace('_', "\\_")
}

fn bibtex(meta: &DocMeta, p: &CitedParagraph) -> String {
    let key: String =
        p.id.chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect();
    let mut fields = vec![("title", format!("{{{}}}", bibtex_escape(&meta.title)))];
    if !meta.symbol.is_empty() {
        fields.push(("number", bibtex_escape(&meta.symbol)));
    }
    if let Some(year) = meta.year() {
        fields.push(("year", year.to_string()));
    }
    if !meta.publisher.is_empty() {
        fields.push(("publisher", bibtex_escape(&meta.publisher)));
    }
    if !meta.source_url.is_empty() {
        fields.push(("url", meta.source_url.clone()));
    }
    fields.push(("note", bibtex_escape(&p.para.citation_form())));
    let body: Vec<String> = fields
        .iter()
        .map(|(k, v)| format!("  {k} = {{{v}}}"))
        .collect();
    format!("@misc{{{key},\n{}\n}}\n", body.join(",\n"))
}

fn ris(meta: &DocMeta, p: &CitedParagraph) -> String {
    let mut lines = vec!["TY  - GOVDOC".to_string(), format!("TI  - {}", meta.title)];
    if !meta.symbol.is_empty() {
        lines.push(format!("M1  - {}", meta.symbol));
    }
    if let Some(year) = meta.year() {
        lines.push(format!("PY  - {year}"));
    }
    if !meta.date.is_empty() {
        lines.push(format!("DA  - {}", meta.date.replace('-', "/")));
    }
    if !meta.publisher.is_empty() {
        lines.push(format!("PB  - {}", meta.publisher));
    }
    if !meta.source_url.is_empty() {
        lines.push(format!("UR  - {}", meta.source_url));
    }
    lines.push(format!("N1  - {}", p.citation));
    lines.push("ER  - ".to_string());
    lines.join("\n") + "\n"
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

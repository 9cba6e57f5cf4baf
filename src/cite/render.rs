//! Writing a citation answer: as text to read, as JSON, and as the entries reference managers
//! import (CSL-JSON, BibTeX, RIS), each typed by the kind of document the way Zotero's
//! importers read it. A field the document's header does not give is left out, never guessed.

use serde_json::{Value, json};

use super::{CiteAnswer, CitedParagraph};
use crate::corpus::{DocMeta, Kind};
use crate::model::ParaLabel;

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
    let each = |entry: fn(&DocMeta, &CitedParagraph) -> String| {
        answer
            .paragraphs
            .iter()
            .map(|p| entry(&answer.doc.meta, p))
            .collect::<Vec<_>>()
            .join("\n")
    };
    match format {
        Format::Text => render_text(answer),
        Format::Json => serde_json::to_string_pretty(answer).unwrap_or_default(),
        Format::CslJson => serde_json::to_string_pretty(&csl_items(answer)).unwrap_or_default(),
        Format::Bibtex => each(bibtex),
        Format::Ris => each(ris),
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
            "{} {}",
            p.provenance.file,
            line_range(p.provenance.line_start, p.provenance.line_end)
        ));
        out.push_str(&format!("({})\n", notes.join("; ")));
        if let Some(d) = &p.digital {
            out.push_str(&format!("digital society: “{}”\n", d.text));
        }
        for c in &p.cited_by {
            let item = if c.para == p.para {
                String::new()
            } else {
                format!(" on {}", c.para)
            };
            out.push_str(&format!(
                "cited by {}{item} {}\n",
                c.citation,
                parenthesized(&c.written)
            ));
        }
        out.push('\n');
    }
    if !answer.missing.is_empty() {
        out.push_str(&format!("not found: {}\n", answer.missing.join(", ")));
    }
    out.push_str(&format!("{}\n", answer.coverage));
    out
}

/// `line 84`, or `lines 84–86`.
pub fn line_range(first: usize, last: usize) -> String {
    if first == last {
        format!("line {first}")
    } else {
        format!("lines {first}–{last}")
    }
}

/// The words a record cites with, in parentheses once: `(para 72)` stays as written,
/// `para 72 of the Tunis Agenda` becomes `(para 72 of the Tunis Agenda)`.
fn parenthesized(written: &str) -> String {
    if written.starts_with('(') && written.ends_with(')') {
        written.to_string()
    } else {
        format!("({written})")
    }
}

/// How reference managers are told what a kind of document is.
struct Typing {
    /// CSL item type.
    csl: &'static str,
    /// BibTeX entry type.
    bibtex: &'static str,
    /// The BibTeX field naming the issuing body (`institution` for a report).
    bibtex_body: &'static str,
    /// RIS `TY`.
    ris: &'static str,
    /// The kind of work, in words (CSL `genre`, BibTeX `type`/`howpublished`, RIS `M3`).
    genre: &'static str,
}

fn typing(kind: Kind) -> Typing {
    let typed = |csl, bibtex, bibtex_body, ris, genre| Typing {
        csl,
        bibtex,
        bibtex_body,
        ris,
        genre,
    };
    match kind {
        Kind::OutcomeDocument => typed(
            "report",
            "misc",
            "organization",
            "GOVDOC",
            "Outcome document",
        ),
        Kind::Resolution => typed(
            "legislation",
            "misc",
            "organization",
            "GOVDOC",
            "Resolution",
        ),
        Kind::FactSheet => typed("report", "techreport", "institution", "RPRT", "Fact sheet"),
        Kind::BriefingNote => typed(
            "report",
            "techreport",
            "institution",
            "RPRT",
            "Briefing note",
        ),
        Kind::PressRelease => typed("report", "misc", "organization", "RPRT", "Press release"),
        Kind::WebPage => typed("webpage", "misc", "organization", "ELEC", "Web page"),
        Kind::Unspecified => typed("document", "misc", "organization", "GEN", ""),
    }
}

/// Where in the document the paragraph is, as reference managers write a locator: the label
/// word and the value (`paragraph` `72(e)`; `paragraph` `3` for the third paragraph of an
/// unnumbered page, counted from the top; `paragraph` `pp3` for a preambular paragraph;
/// `note` `2` for a footnote).
fn locator(label: &ParaLabel) -> (&'static str, String) {
    match label {
        ParaLabel::Numbered { .. } | ParaLabel::Preamble(_) => ("paragraph", label.to_string()),
        ParaLabel::Counted(n) => ("paragraph", n.to_string()),
        ParaLabel::Footnote(n) => ("note", n.to_string()),
    }
}

/// The locator in words: `para. 72(e)`, `note 2`.
fn locator_text(label: &ParaLabel) -> String {
    match locator(label) {
        ("note", n) => format!("note {n}"),
        (_, n) => format!("para. {n}"),
    }
}

/// The date parts of a `YYYY[-MM[-DD]]` date.
fn date_parts(date: &str) -> Vec<u32> {
    date.split('-').filter_map(|p| p.parse().ok()).collect()
}

fn csl_items(answer: &CiteAnswer) -> Vec<Value> {
    let meta = &answer.doc.meta;
    let typing = typing(meta.kind);
    answer
        .paragraphs
        .iter()
        .map(|p| {
            let (label, value) = locator(&p.para);
            let mut item = json!({
                "id": p.id,
                "type": typing.csl,
                "title": meta.title,
                "locator": value,
                "label": label,
                "note": p.citation,
            });
            let body_field = if typing.csl == "legislation" {
                "authority"
            } else if typing.csl == "webpage" {
                "container-title"
            } else {
                "publisher"
            };
            let fields = [
                ("number", &meta.symbol),
                (body_field, &meta.publisher),
                ("URL", &meta.source_url),
                ("title-short", &meta.short),
            ];
            for (key, value) in fields.into_iter().filter(|(_, v)| !v.is_empty()) {
                item[key] = value.clone().into();
            }
            if !typing.genre.is_empty() {
                item["genre"] = typing.genre.into();
            }
            if !meta.publisher.is_empty() {
                item["author"] = json!([{ "literal": meta.publisher }]);
            }
            if !meta.date.is_empty() {
                item["issued"] = json!({ "date-parts": [date_parts(&meta.date)] });
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

/// A BibTeX key from a record id: `tunis-agenda/72(e)` → `tunis-agenda-72e`.
fn bibtex_key(id: &str) -> String {
    let mut key = String::new();
    for c in id.chars().filter(|c| !matches!(c, '(' | ')')) {
        if c.is_ascii_alphanumeric() {
            key.push(c);
        } else if !key.ends_with('-') {
            key.push('-');
        }
    }
    key.trim_matches('-').to_string()
}

fn bibtex(meta: &DocMeta, p: &CitedParagraph) -> String {
    let typing = typing(meta.kind);
    let mut fields = Vec::new();
    if !meta.publisher.is_empty() {
        // Double braces: a body's name, not a person's (BibTeX would split it into names).
        fields.push(("author", format!("{{{}}}", bibtex_escape(&meta.publisher))));
    }
    fields.push(("title", format!("{{{}}}", bibtex_escape(&meta.title))));
    if !meta.publisher.is_empty() {
        fields.push((typing.bibtex_body, bibtex_escape(&meta.publisher)));
    }
    if !typing.genre.is_empty() {
        let field = if typing.bibtex == "techreport" {
            "type"
        } else {
            "howpublished"
        };
        fields.push((field, typing.genre.to_string()));
    }
    if !meta.symbol.is_empty() {
        fields.push(("number", bibtex_escape(&meta.symbol)));
    }
    if let Some(year) = meta.year() {
        fields.push(("year", year.to_string()));
    }
    if let Some(month) = date_parts(&meta.date).get(1) {
        fields.push(("month", month.to_string()));
    }
    if !meta.source_url.is_empty() {
        fields.push(("url", meta.source_url.clone()));
    }
    fields.push(("note", bibtex_escape(&locator_text(&p.para))));
    let body: Vec<String> = fields
        .iter()
        .map(|(k, v)| format!("  {k} = {{{v}}}"))
        .collect();
    format!(
        "@{}{{{},\n{}\n}}\n",
        typing.bibtex,
        bibtex_key(&p.id),
        body.join(",\n")
    )
}

fn ris(meta: &DocMeta, p: &CitedParagraph) -> String {
    let typing = typing(meta.kind);
    let mut lines = vec![format!("TY  - {}", typing.ris)];
    if !meta.publisher.is_empty() {
        lines.push(format!("AU  - {}", meta.publisher));
    }
    lines.push(format!("TI  - {}", meta.title));
    if !meta.short.is_empty() {
        lines.push(format!("ST  - {}", meta.short));
    }
    if !typing.genre.is_empty() {
        lines.push(format!("M3  - {}", typing.genre));
    }
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

    #[test]
    fn bibtex_keys_have_no_stray_hyphens() {
        assert_eq!(bibtex_key("tunis-agenda/72(e)"), "tunis-agenda-72e");
        assert_eq!(
            bibtex_key("geneva-plan-of-action/13(b)(iv)"),
            "geneva-plan-of-action-13biv"
        );
        assert_eq!(
            bibtex_key("tunis-agenda/72@wsis20-process-page/p45"),
            "tunis-agenda-72-wsis20-process-page-p45"
        );
    }

    #[test]
    fn locators_count_unnumbered_paragraphs_from_the_top() {
        let text = |l: &str| locator_text(&l.parse().unwrap());
        assert_eq!(text("72(e)"), "para. 72(e)");
        assert_eq!(text("p3"), "para. 3");
        assert_eq!(text("pp2"), "para. pp2");
        assert_eq!(text("fn2"), "note 2");
    }

    #[test]
    fn line_ranges_name_one_line_once() {
        assert_eq!(line_range(84, 84), "line 84");
        assert_eq!(line_range(84, 86), "lines 84–86");
    }
}

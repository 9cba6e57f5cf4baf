//! Finds, in the pieces of a background document, the references to official paragraphs
//! ("(para 69, WSIS+10 outcome document)", "Paragraph 111 of the Tunis Agenda", "(para
//! 69–71)") and the quotes that come with them. A quoted paragraph becomes a [`Quote`], from
//! which `records` makes a record of the official document; every resolved reference becomes
//! a [`CrossRef`] of the piece it stands in. A paraphrase with a number is a cross-reference,
//! not a quote.
//!
//! Which document a reference without a name ("(para 34)") means comes from the nearest
//! mention of an official document before it, outside quotation marks: in the same piece
//! for a quote; for a cross-reference, failing that, in the pieces before it under the same
//! heading. A reference to a document the manifest does not list ("para 104 of the
//! resolution", a draft's "‘60. …’"), or to a range a quote cannot be pinned to, makes no
//! record and is reported as a [`Warning`].

use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;

use crate::corpus::{DocNames, Document};
use crate::ingest::split::Piece;
use crate::model::{CrossRef, ParaLabel};
use crate::reference::{self, ParaSpec, grammar};

/// A quote of an official paragraph found in a background document.
#[derive(Debug, Clone, PartialEq)]
pub struct Quote {
    /// The official document's id.
    pub doc: String,
    /// The paragraph quoted.
    pub label: ParaLabel,
    /// File spans of the quoted words (without the quotation marks or an item's marker).
    pub spans: Vec<(usize, usize)>,
    /// File lines of the first and last span.
    pub lines: (usize, usize),
    /// True unless the source presents the quote as a whole item or paragraph.
    pub partial: bool,
    /// Index of the piece the quote stands in (the first, for a whole made of items).
    pub piece: usize,
}

/// Something the extractor could not turn into a record, with where it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warning {
    /// The corpus file.
    pub file: String,
    /// The file line.
    pub line: usize,
    /// What was found and why it made no record.
    pub message: String,
}

/// What [`extract`] finds in one document.
#[derive(Debug, Clone, Default)]
pub struct Extraction {
    /// Cross-references of each piece, in the pieces' order.
    pub refs: Vec<Vec<CrossRef>>,
    /// Quoted official paragraphs.
    pub quotes: Vec<Quote>,
    /// References that made no record.
    pub warnings: Vec<Warning>,
}

/// `(para 103)`, `(para 69, WSIS+10 outcome document)`, `(para 104 of the resolution)`,
/// `(para 69–71)`: the word for paragraph and a list in the text form of the one grammar.
static PAREN_REF: LazyLock<Regex> = LazyLock::new(|| {
    let (list, para) = (reference::text_list_pattern(), grammar::PARA_WORD);
    Regex::new(&format!(
        r"(?i)\({para}\s*(?P<nums>{list})(?:\s*(?:,|of)\s*(?P<doc>[^()]+?))?\s*\)"
    ))
    .unwrap()
});
/// `Paragraph 111 of the Tunis Agenda`, `Paragraph 71 further notes`.
static LEAD_REF: LazyLock<Regex> = LazyLock::new(|| {
    let list = reference::text_list_pattern();
    Regex::new(&format!(
        r"\b[Pp]aragraphs?\s+(?P<nums>{list})(?P<of>\s+of\s+)?"
    ))
    .unwrap()
});
/// A quoted numbered paragraph: `‘60. We look …’`.
static QUOTED_NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"^({})\.\s", grammar::NUM)).unwrap());

/// A reference found in a piece's text.
struct Found {
    start: usize,
    end: usize,
    labels: Vec<ParaLabel>,
    /// The document named in the reference itself, if any.
    named: Option<String>,
    /// True for `Paragraph N …` written before its quote.
    leads: bool,
}

/// Finds references and quotes in a background document's pieces.
pub fn extract(doc: &Document, pieces: &[Piece], names: &DocNames) -> Extraction {
    let mut out = Extraction {
        refs: vec![Vec::new(); pieces.len()],
        ..Extraction::default()
    };
    let warn = |piece: &Piece, offset: usize, message: String| Warning {
        file: doc.file.clone(),
        line: doc.line_of(piece.file_offset(offset)),
        message,
    };
    let mut warnings = Vec::new();
    for (i, piece) in pieces.iter().enumerate() {
        let quotes = quote_spans(&piece.text);
        for found in find_refs(&piece.text) {
            let written = piece.text[found.start..found.end].trim().to_string();
            let doc_id = match &found.named {
                Some(name) => names.resolve(strip_doc_words(name)),
                None => context_doc(pieces, i, found.start, &quotes, names, true)
                    .or_else(|| context_doc(pieces, i, found.start, &quotes, names, false)),
            };
            let Some(doc_id) = doc_id else {
                let named = found
                    .named
                    .as_deref()
                    .map_or(String::new(), |n| format!(" ({n:?})"));
                warnings.push(warn(piece, found.start, format!("{written:?} refers to a document{named} that is not in the manifest or cannot be told; no record made")));
                continue;
            };
            for label in &found.labels {
                out.refs[i].push(CrossRef {
                    doc: doc_id.to_string(),
                    para: label.clone(),
                    written: written.clone(),
                });
            }
            let Some((qs, qe)) = quote_for(&found, &piece.text, &quotes) else {
                continue;
            };
            if found.labels.len() > 1 {
                warnings.push(warn(piece, found.start, format!("the quote before {written:?} is given to several paragraphs; no record made")));
                continue;
            }
            let same_piece_doc = found.named.is_some()
                || context_doc(pieces, i, found.start, &quotes, names, true).is_some();
            if !same_piece_doc {
                warnings.push(warn(piece, found.start, format!("the document {written:?} quotes cannot be told from its paragraph; no record made")));
                continue;
            }
            out.quotes.push(quote_in(
                doc,
                piece,
                i,
                doc_id,
                found.labels[0].clone(),
                (qs, qe),
                true,
            ));
        }
        for (qs, qe) in &quotes {
            if let Some(caps) = QUOTED_NUMBER.captures(&piece.text[*qs..*qe]) {
                warnings.push(warn(piece, *qs, format!("a quoted paragraph numbered {} of a document that is not in the manifest or cannot be told; no record made", &caps[1])));
            }
        }
    }
    quote_items_under_headings(doc, pieces, names, &mut out, &mut warnings);
    out.warnings = warnings;
    out
}

/// A [`Quote`] of the text `range` of `piece`.
fn quote_in(
    doc: &Document,
    piece: &Piece,
    index: usize,
    doc_id: &str,
    label: ParaLabel,
    range: (usize, usize),
    partial: bool,
) -> Quote {
    let spans = piece.file_spans(range.0, range.1);
    let (first, last) = (
        spans.first().map_or(0, |s| s.0),
        spans.last().map_or(0, |s| s.1),
    );
    Quote {
        doc: doc_id.to_string(),
        label,
        lines: (doc.line_of(first), doc.line_of(last)),
        spans,
        partial,
        piece: index,
    }
}

/// Items under a heading that names an official paragraph ("Full mandate of the IGF (para 72,
/// Tunis Agenda)" above `a. …` to `l. …`) are that paragraph's items, quoted whole; the
/// paragraph assembled from them is partial, since its opening words are not given.
fn quote_items_under_headings(
    doc: &Document,
    pieces: &[Piece],
    names: &DocNames,
    out: &mut Extraction,
    warnings: &mut Vec<Warning>,
) {
    let mut i = 0;
    while i < pieces.len() {
        let heading = pieces[i].section.last().cloned().unwrap_or_default();
        let group: Vec<usize> = (i..pieces.len())
            .take_while(|&j| pieces[j].section.last() == Some(&heading))
            .collect();
        i += group.len().max(1);
        let Some(found) = find_refs(&heading).into_iter().next() else {
            continue;
        };
        let items: Vec<(usize, String)> = group
            .iter()
            .filter_map(|&j| {
                let marker = pieces[j].marker.as_deref()?;
                let letter = marker.trim_end_matches(['.', ')']).trim_start_matches('(');
                letter
                    .chars()
                    .all(|c| c.is_ascii_lowercase())
                    .then(|| (j, letter.to_string()))
            })
            .collect();
        if items.is_empty() || found.labels.len() != 1 {
            continue;
        }
        let Some(doc_id) = found
            .named
            .as_deref()
            .and_then(|n| names.resolve(strip_doc_words(n)))
        else {
            let written = &heading[found.start..found.end];
            warnings.push(Warning { file: doc.file.clone(), line: pieces[items[0].0].line_start, message: format!("the items under the heading {heading:?} refer to a document ({written:?}) that is not in the manifest; no record made") });
            continue;
        };
        let whole = found.labels[0].clone();
        let mut all_spans = Vec::new();
        for (j, letter) in &items {
            let piece = &pieces[*j];
            let marker_len = piece.marker.as_deref().map_or(0, str::len);
            let text_start = marker_len
                + (piece.text[marker_len..].len() - piece.text[marker_len..].trim_start().len());
            let Some(label) = whole.with_item(letter) else {
                continue;
            };
            out.refs[*j].push(CrossRef {
                doc: doc_id.to_string(),
                para: label.clone(),
                written: heading[found.start..found.end].to_string(),
            });
            out.quotes.push(quote_in(
                doc,
                piece,
                *j,
                doc_id,
                label,
                (text_start, piece.text.len()),
                false,
            ));
            all_spans.extend(piece.spans.iter().copied());
        }
        let (first, last) = (&pieces[items[0].0], &pieces[items[items.len() - 1].0]);
        out.quotes.push(Quote {
            doc: doc_id.to_string(),
            label: whole,
            spans: all_spans,
            lines: (first.line_start, last.line_end),
            partial: true,
            piece: items[0].0,
        });
    }
}

/// Drops a reference's trailing words about the document's kind that are not part of its
/// name: "WSIS+10 outcome document" stays (a name), "the resolution" stays (no name).
fn strip_doc_words(name: &str) -> &str {
    name.trim().trim_end_matches(['.', ','])
}

/// References in `text`, in order.
fn find_refs(text: &str) -> Vec<Found> {
    let mut found = Vec::new();
    for caps in PAREN_REF.captures_iter(text) {
        let (Some(all), Some(nums)) = (caps.get(0), caps.name("nums")) else {
            continue;
        };
        found.push(Found {
            start: all.start(),
            end: all.end(),
            labels: labels_in(nums.as_str()),
            named: caps.name("doc").map(|d| d.as_str().to_string()),
            leads: false,
        });
    }
    let in_brackets = |at: usize| found.iter().any(|f: &Found| (f.start..f.end).contains(&at));
    let mut leading = Vec::new();
    for caps in LEAD_REF.captures_iter(text) {
        let (Some(all), Some(nums)) = (caps.get(0), caps.name("nums")) else {
            continue;
        };
        if in_brackets(all.start()) {
            continue; // "(paragraph 5)" is read once, as a bracketed reference
        }
        let named = caps.name("of").map(|of| doc_name_at(&text[of.end()..]));
        leading.push(Found {
            start: all.start(),
            end: all.end() + named.as_ref().map_or(0, |n| n.len()),
            labels: labels_in(nums.as_str()),
            named,
            leads: true,
        });
    }
    found.append(&mut leading);
    found.retain(|f| !f.labels.is_empty());
    found.sort_by_key(|f| f.start);
    found
}

/// The document name at the start of `text` ("the Tunis Agenda, endorsed …" → "the Tunis
/// Agenda"): words up to a comma, a verb-like lower-case word or a parenthesis.
fn doc_name_at(text: &str) -> String {
    let mut end = 0;
    for (i, word) in text.split_inclusive(' ').enumerate() {
        let w = word.trim();
        let is_name_word = i == 0 && w == "the"
            || w.starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit())
            || ["for", "of", "on", "the", "outcome", "document"]
                .contains(&w.trim_end_matches([',', '.', ';']));
        if !is_name_word || w.is_empty() {
            break;
        }
        end += word.len();
        if w.ends_with([',', '.', ';']) {
            end -= word.len() - word.trim_end().len() + 1;
            break;
        }
    }
    text[..end].trim().to_string()
}

/// The paragraphs a list found in text names (`69–71`, `72(e)`, `4, 5 and 55`), read by the
/// one grammar; none when a part names no paragraph (`71–69`).
fn labels_in(nums: &str) -> Vec<ParaLabel> {
    reference::parse_list(&nums.to_lowercase())
        .unwrap_or_default()
        .iter()
        .flat_map(ParaSpec::labels)
        .collect()
}

/// Quoted spans of `text` (inside ‘…’, “…”, "…"), as byte ranges without the marks. A ’
/// between letters is an apostrophe, not a closing mark.
pub fn quote_spans(text: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut open: Option<(char, usize)> = None;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    for (k, &(i, c)) in chars.iter().enumerate() {
        let prev = k.checked_sub(1).map(|p| chars[p].1);
        let next = chars.get(k + 1).map(|n| n.1);
        match (open, c) {
            (None, '‘' | '“') => open = Some((c, i + c.len_utf8())),
            (None, '"') if !prev.is_some_and(char::is_alphanumeric) => open = Some((c, i + 1)),
            (Some(('‘', s)), '’')
                if !(prev.is_some_and(char::is_alphabetic)
                    && next.is_some_and(char::is_alphabetic)) =>
            {
                spans.push((s, i));
                open = None;
            }
            (Some(('“', s)), '”') | (Some(('"', s)), '"') => {
                spans.push((s, i));
                open = None;
            }
            _ => {}
        }
    }
    spans
        .into_iter()
        .map(|(s, e)| {
            let inner = &text[s..e];
            (
                s + inner.len() - inner.trim_start().len(),
                e - (inner.len() - inner.trim_end().len()),
            )
        })
        .filter(|(s, e)| s < e)
        .collect()
}

/// The quote a reference gives a number to: for `(para N)`, a quote closing just before it;
/// for `Paragraph N …`, the first quote opening after it in the same sentence.
fn quote_for(found: &Found, text: &str, quotes: &[(usize, usize)]) -> Option<(usize, usize)> {
    if found.leads {
        let next = quotes.iter().find(|(s, _)| *s > found.end)?;
        let between = &text[found.end..next.0];
        let same_sentence =
            !between.contains(". ") && !LEAD_REF.is_match(between) && !PAREN_REF.is_match(between);
        return same_sentence.then_some(*next);
    }
    quotes
        .iter()
        .rev()
        .find(|(_, e)| {
            *e <= found.start && {
                let gap = &text[*e..found.start];
                gap.chars().count() <= 3
                    && gap
                        .chars()
                        .all(|c| c.is_whitespace() || "’”\",.".contains(c))
            }
        })
        .copied()
}

/// The document mentioned nearest before `offset` in piece `index`, outside quotes; with
/// `same_piece` false, the nearest in the pieces before it under the same heading.
fn context_doc<'n>(
    pieces: &[Piece],
    index: usize,
    offset: usize,
    quotes: &[(usize, usize)],
    names: &'n DocNames,
    same_piece: bool,
) -> Option<&'n str> {
    if same_piece {
        let text = &pieces[index].text;
        return names
            .mentions(&text[..offset])
            .into_iter()
            .rev()
            .find(|(s, _, _)| !quotes.iter().any(|(qs, qe)| qs <= s && s < qe))
            .map(|(_, _, id)| id);
    }
    let section = &pieces[index].section;
    pieces[..index]
        .iter()
        .rev()
        .take_while(|p| &p.section == section)
        .find_map(|p| {
            let quotes = quote_spans(&p.text);
            names
                .mentions(&p.text)
                .into_iter()
                .rev()
                .find(|(s, _, _)| !quotes.iter().any(|(qs, qe)| qs <= s && s < qe))
                .map(|(_, _, id)| id)
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::{DocMeta, Kind, parse_document};
    use expect_test::{Expect, expect};

    fn official(id: &str, short: &str, aliases: &[&str]) -> DocMeta {
        let aliases = aliases.iter().map(|a| a.to_string()).collect();
        DocMeta {
            short: short.into(),
            aliases,
            ..DocMeta::named(id, &format!("The {short}"), Kind::OutcomeDocument)
        }
    }

    /// Extracts from a background document with `body`, against two made-up official
    /// documents, and lists cross-references, quotes and warnings one a line.
    #[track_caller]
    fn check(body: &str, expect: Expect) {
        let text = format!("id: t\ntitle: T\nkind: web-page\nvariant: none\n---\n{body}");
        let doc = parse_document(std::path::Path::new("t.txt"), "corpus/t.txt", text).unwrap();
        let metas = [
            official("harbour-accord", "Harbour Accord", &["HA"]),
            official(
                "lighthouse",
                "Lighthouse outcome document",
                &["Lighthouse outcome"],
            ),
        ];
        let names = DocNames::new(&metas);
        let pieces = split::split(&doc);
        let found = extract(&doc, &pieces, &names);
        let mut lines = Vec::new();
        for (piece, refs) in pieces.iter().zip(&found.refs) {
            for r in refs {
                lines.push(format!(
                    "ref {} -> {} {} ({})",
                    piece.label, r.doc, r.para, r.written
                ));
            }
        }
        for q in &found.quotes {
            let text: Vec<&str> = q.spans.iter().map(|(s, e)| &doc.text[*s..*e]).collect();
            lines.push(format!(
                "quote {} {} partial={} L{}-{}: {}",
                q.doc,
                q.label,
                q.partial,
                q.lines.0,
                q.lines.1,
                text.join(" ")
            ));
        }
        for w in &found.warnings {
            lines.push(format!("warning L{}: {}", w.line, w.message));
        }
        expect.assert_eq(&lines.join("\n"));
    }

    use crate::ingest::split;

    #[test]
    fn quote_before_a_parenthetical_reference() {
        check(
            "The Harbour Accord asked ports to ‘keep the lamps lit at night’ (para 12). Ships were told to ‘sail slowly near the pier’ (para 4, Lighthouse outcome document).",
            expect![[r#"
                ref p1 -> harbour-accord 12 ((para 12))
                ref p1 -> lighthouse 4 ((para 4, Lighthouse outcome document))
                quote harbour-accord 12 partial=true L6-6: keep the lamps lit at night
                quote lighthouse 4 partial=true L6-6: sail slowly near the pier"#]],
        );
    }

    #[test]
    fn quote_after_a_leading_reference_and_the_document_from_the_sentence_before() {
        check(
            "Paragraph 9 of the Harbour Accord recognises the ‘need for calm waters’. Paragraph 10 further notes that ‘the keeper’s boats must be tied’.",
            expect![[r#"
                ref p1 -> harbour-accord 9 (Paragraph 9 of the Harbour Accord)
                ref p1 -> harbour-accord 10 (Paragraph 10)
                quote harbour-accord 9 partial=true L6-6: need for calm waters
                quote harbour-accord 10 partial=true L6-6: the keeper’s boats must be tied"#]],
        );
    }

    #[test]
    fn paraphrase_is_a_cross_reference_and_the_document_may_come_from_the_paragraph_before() {
        check(
            "Reviews\n\nThe Harbour Accord set up a council.\n\nIt also asked for a review within five years (para 30).",
            expect![[r#"
                ref p2 -> harbour-accord 30 ((para 30))"#]],
        );
    }

    #[test]
    fn ranges_unknown_documents_and_quoted_numbered_paragraphs_warn() {
        check(
            "The Harbour Accord introduced ‘harbour days’ (para 5–7). The committee wrote that ‘fees are due’ (para 3 of the resolution).\n\nThe draft of the pier charter says:\n\n‘14. Piers are open to all.’",
            expect![[r#"
                ref p1 -> harbour-accord 5 ((para 5–7))
                ref p1 -> harbour-accord 6 ((para 5–7))
                ref p1 -> harbour-accord 7 ((para 5–7))
                warning L6: the quote before "(para 5–7)" is given to several paragraphs; no record made
                warning L6: "(para 3 of the resolution)" refers to a document ("the resolution") that is not in the manifest or cannot be told; no record made
                warning L10: a quoted paragraph numbered 14 of a document that is not in the manifest or cannot be told; no record made"#]],
        );
    }

    #[test]
    fn items_under_a_heading_that_names_a_paragraph_are_whole_items() {
        check(
            "Full duties of the keeper (para 21, Harbour Accord)\n\na. Light the lamp at dusk.\n\nb. Sound the horn in fog.\n",
            expect![[r#"
                ref p1 -> harbour-accord 21(a) ((para 21, Harbour Accord))
                ref p2 -> harbour-accord 21(b) ((para 21, Harbour Accord))
                quote harbour-accord 21(a) partial=false L8-8: Light the lamp at dusk.
                quote harbour-accord 21(b) partial=false L10-10: Sound the horn in fog.
                quote harbour-accord 21 partial=true L8-10: a. Light the lamp at dusk. b. Sound the horn in fog."#]],
        );
    }

    #[test]
    fn a_quote_across_a_footnote_block_leaves_the_footnote_out() {
        check(
            "The Harbour Accord asks to ‘keep the lamps lit¹ and\n\n¹ https://example.org/lamps\n\nthe piers open’ (para 12).",
            expect![[r#"
                ref p1 -> harbour-accord 12 ((para 12))
                quote harbour-accord 12 partial=true L6-10: keep the lamps lit¹ and the piers open"#]],
        );
    }

    #[test]
    fn reference_forms_in_text_name_what_cite_names() {
        use crate::reference::forms;
        let names = DocNames::new(&[official("harbour-accord", "Harbour Accord", &["HA"])]);
        for form in forms::TABLE {
            let body = format!("The Harbour Accord set the rules ({}).", form.written);
            let text = format!("id: t\ntitle: T\nkind: web-page\nvariant: none\n---\n{body}");
            let doc = parse_document(std::path::Path::new("t.txt"), "corpus/t.txt", text).unwrap();
            let pieces = split::split(&doc);
            let found: Vec<String> = extract(&doc, &pieces, &names)
                .refs
                .concat()
                .iter()
                .map(|r| r.para.to_string())
                .collect();
            let expected = if form.in_text {
                forms::labels(form)
            } else {
                Vec::new()
            };
            assert_eq!(found, expected, "{body}");
        }
    }

    #[test]
    fn quote_spans_skip_apostrophes() {
        let text = "UNGIS ‘serves the UN system’s work’ and “more”.";
        let spans: Vec<&str> = quote_spans(text)
            .iter()
            .map(|(s, e)| &text[*s..*e])
            .collect();
        assert_eq!(spans, ["serves the UN system’s work", "more"]);
    }
}

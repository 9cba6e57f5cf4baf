//! Splits a document's body into [`Piece`]s: paragraphs, list items, table rows and
//! footnotes, each with its label, the heading path above it and the byte spans of the file
//! that hold its text. Headings are not pieces; they become the `section` of the pieces
//! under them.
//!
//! Two layouts, chosen by the document's kind:
//! - background documents (fact sheets, web pages, press releases, briefing notes): each
//!   non-blank line is a piece (these files come from web pages, one paragraph a line),
//!   labelled `p1`, `p2`, … from the top; footnotes (`¹ …`) are `fn1`, …; a paragraph cut by a
//!   footnote block, whose next line goes on in lower case, is joined across it. Headings are
//!   `#` lines and short title lines (see [`is_title_line`]).
//! - official documents (outcome documents, resolutions): numbered paragraphs (`72.` at the
//!   start of a line, alone or followed by text), lettered items (`a.`, `a)`, `(a)`) and
//!   roman sub-items under them, section headings (`A.`, `INTERNET GOVERNANCE`, `C7.`, `1)`,
//!   `4.1.`, a number that breaks the paragraph sequence, and a short title line alone between
//!   blank lines, as outcome documents set unnumbered headings), and unnumbered preambular
//!   paragraphs before the first numbered one (`pp1`, …). A paragraph with items gives one
//!   piece for the whole and one per item. A `#` line (an imported page's `<h2>`) is a
//!   heading, never part of a paragraph; after a `# Annex` heading each line is a row of the
//!   annex, counted `p1`, `p2`, … in the annex's section.
//!
//! Page furniture lines named in the header are skipped.

use std::sync::LazyLock;

use regex::Regex;

use crate::corpus::Document;
use crate::model::ParaLabel;

/// A paragraph, item, row or footnote as found in a body.
#[derive(Debug, Clone, PartialEq)]
pub struct Piece {
    /// Its label.
    pub label: ParaLabel,
    /// Headings above it, outermost first.
    pub section: Vec<String>,
    /// Byte ranges of the file, each within one line and trimmed, whose texts joined by one
    /// space give [`Piece::text`].
    pub spans: Vec<(usize, usize)>,
    /// File line of the first span.
    pub line_start: usize,
    /// File line of the last span.
    pub line_end: usize,
    /// The text.
    pub text: String,
    /// The enumerator the piece starts with in a background document (`a.`, `C7.`, `1.`),
    /// which stays in its text.
    pub marker: Option<String>,
}

impl Piece {
    /// The file spans that hold `text[start..end]`: one per piece span it touches, so that a
    /// quote across a footnote block does not take the footnote in.
    pub fn file_spans(&self, start: usize, end: usize) -> Vec<(usize, usize)> {
        let mut spans = Vec::new();
        let mut at = 0;
        for &(s, e) in &self.spans {
            let (from, to) = (start.max(at), end.min(at + (e - s)));
            if from < to {
                spans.push((s + from - at, s + to - at));
            }
            at += e - s + 1;
        }
        spans
    }

    /// Maps a byte offset of [`Piece::text`] to the file offset it was read from.
    pub fn file_offset(&self, text_offset: usize) -> usize {
        let mut start_in_text = 0;
        for (start, end) in &self.spans {
            let len = end - start;
            if text_offset <= start_in_text + len {
                return start + (text_offset - start_in_text);
            }
            start_in_text += len + 1;
        }
        self.spans.last().map_or(0, |s| s.1)
    }
}

/// One line of a body, with its place in the file.
#[derive(Debug, Clone, Copy)]
struct Line<'a> {
    /// Line number in the body (1-based), as headers' line ranges count.
    body_line: usize,
    /// Line number in the file.
    file_line: usize,
    /// Byte offset of the line's start in the file.
    start: usize,
    /// The line without its line break.
    text: &'a str,
}

impl Line<'_> {
    /// The file span of `self.text[from..to]`, trimmed of white space.
    fn span(&self, from: usize, to: usize) -> (usize, usize) {
        let part = &self.text[from..to];
        let lead = part.len() - part.trim_start().len();
        let trail = part.len() - part.trim_end().len();
        (self.start + from + lead, self.start + to - trail)
    }

    fn is_blank(&self) -> bool {
        self.text.trim().is_empty()
    }
}

fn body_lines(doc: &Document) -> Vec<Line<'_>> {
    let mut offset = doc.body_start;
    doc.body()
        .split_inclusive('\n')
        .enumerate()
        .map(|(i, raw)| {
            let line = Line {
                body_line: i + 1,
                file_line: doc.body_first_line + i,
                start: offset,
                text: raw.trim_end_matches(['\n', '\r']),
            };
            offset += raw.len();
            line
        })
        .filter(|line| !doc.is_furniture(line.body_line))
        .collect()
}

/// Splits a document's body into pieces, by the layout its kind calls for.
pub fn split(doc: &Document) -> Vec<Piece> {
    let lines = body_lines(doc);
    if doc.meta.kind.is_official() {
        split_official(&doc.text, &lines)
    } else {
        split_background(&doc.text, &lines)
    }
}

fn text_of(file: &str, spans: &[(usize, usize)]) -> String {
    let parts: Vec<&str> = spans.iter().map(|(s, e)| &file[*s..*e]).collect();
    parts.join(" ")
}

fn piece(
    file: &str,
    label: ParaLabel,
    section: &[String],
    spans: Vec<(usize, usize)>,
    lines: (usize, usize),
) -> Piece {
    Piece {
        label,
        section: section.to_vec(),
        text: text_of(file, &spans),
        spans,
        line_start: lines.0,
        line_end: lines.1,
        marker: None,
    }
}

/// A footnote line: `¹ text`, `⁶ unctad.org/…`.
static FOOTNOTE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*([⁰¹²³⁴⁵⁶⁷⁸⁹]+)\s+\S").unwrap());
/// A markdown heading: `## Key Milestones`.
static MD_HEADING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(#{1,6})\s+(\S.*?)\s*$").unwrap());
/// A tab or a run of three spaces (no-break spaces too) inside a line: a table row.
static WIDE_GAP: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\t|\s{3,}").unwrap());
/// A bullet: `- item`, `  • item`, `* item`; the marker is left out of the text.
static BULLET: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\s*[-•*–]\s+\S").unwrap());
/// An enumerator kept in the text: `a. `, `1. `, `C7. `, `С1. ` (Cyrillic С, as a source writes it).
static ENUMERATOR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(\(?(?:[a-z]{1,4}|\d{1,3}|[CС]\.?\s?\d{1,2})[.)])\s+\S").unwrap()
});

/// Whether a line of a background document is a title line: short, starting with a
/// capital or digit, without the punctuation that ends a sentence or a clause, and not a
/// table row (tabs or wide gaps) or an enumerated item.
pub fn is_title_line(text: &str) -> bool {
    let text = text.trim();
    let words = text.split_whitespace().count();
    let first_ok = text
        .chars()
        .next()
        .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit());
    let last_ok = !text.ends_with(['.', ':', ';', ',', '!', '…', '’', '”', '"', '\''])
        || text.ends_with('?') && words <= 8;
    let last_word = text
        .rsplit(char::is_whitespace)
        .next()
        .unwrap_or("")
        .to_lowercase();
    let ends_open = [
        "to", "the", "and", "of", "a", "an", "in", "for", "with", "by", "or", "that",
    ]
    .contains(&last_word.as_str());
    first_ok
        && last_ok
        && !ends_open
        && (1..=12).contains(&words)
        && text.len() <= 100
        && !WIDE_GAP.is_match(text)
        && !ENUMERATOR.is_match(text)
        && !BULLET.is_match(text)
}

/// The heading path of a background document. Markdown headings nest by level. Title lines
/// carry no level, so their runs decide: a run of two or more title lines (a section title
/// and a sub-title) starts a new path; a single title line after text replaces the innermost
/// title.
#[derive(Default)]
struct Headings {
    /// The markdown headings in force, with their levels.
    markdown: Vec<(usize, String)>,
    /// Titles above the current run.
    base: Vec<String>,
    /// The current run of consecutive title lines.
    run: Vec<String>,
    after_heading: bool,
}

impl Headings {
    const MAX_DEPTH: usize = 3;

    fn markdown(&mut self, level: usize, title: &str) {
        self.markdown.retain(|(l, _)| *l < level);
        self.markdown.push((level, title.to_string()));
        self.base = self.markdown.iter().map(|(_, t)| t.clone()).collect();
        self.run.clear();
        self.after_heading = true;
    }

    fn title(&mut self, title: &str) {
        if self.after_heading && !self.run.is_empty() {
            self.run.push(title.to_string());
            if self.run.len() == 2 {
                self.base = self.markdown.iter().map(|(_, t)| t.clone()).collect();
            }
        } else {
            if self.run.len() >= 2 {
                let outer = self.run[..self.run.len() - 1].to_vec();
                self.base.extend(outer);
            }
            self.run = vec![title.to_string()];
        }
        self.after_heading = true;
    }

    fn path(&mut self) -> Vec<String> {
        self.after_heading = false;
        let path: Vec<String> = self.base.iter().chain(&self.run).cloned().collect();
        path[path.len().saturating_sub(Self::MAX_DEPTH)..].to_vec()
    }
}

fn split_background(file: &str, lines: &[Line]) -> Vec<Piece> {
    let mut pieces: Vec<Piece> = Vec::new();
    let mut headings = Headings::default();
    let mut counted = 0;
    // Index in `pieces` of the last paragraph a following line may continue.
    let mut open: Option<usize> = None;
    for line in lines {
        if line.is_blank() {
            continue;
        }
        let text = line.text;
        let lines_at = (line.file_line, line.file_line);
        if let Some(caps) = FOOTNOTE.captures(text) {
            let number = superscript_number(&caps[1]);
            let marker_end = caps.get(1).map_or(0, |m| m.end());
            let span = line.span(marker_end, text.len());
            pieces.push(piece(
                file,
                ParaLabel::Footnote(number),
                &headings.path(),
                vec![span],
                lines_at,
            ));
            continue;
        }
        if let Some(caps) = MD_HEADING.captures(text) {
            headings.markdown(caps[1].len(), &caps[2]);
            open = None;
            continue;
        }
        let continues = open.filter(|&i| {
            let starts_lower = text
                .trim_start()
                .chars()
                .next()
                .is_some_and(char::is_lowercase);
            starts_lower
                && !pieces[i]
                    .text
                    .ends_with(['.', '?', '!', ':', '’', '”', '"'])
        });
        if let Some(i) = continues {
            let p = &mut pieces[i];
            p.spans.push(line.span(0, text.len()));
            p.text = text_of(file, &p.spans);
            p.line_end = line.file_line;
            continue;
        }
        if is_title_line(text) && !next_continues(lines, line) {
            headings.title(text.trim());
            open = None;
            continue;
        }
        counted += 1;
        let from = if BULLET.is_match(text) {
            let t = text.trim_start();
            text.len() - t.len() + t.chars().next().map_or(0, char::len_utf8)
        } else {
            0
        };
        let mut p = piece(
            file,
            ParaLabel::Counted(counted),
            &headings.path(),
            vec![line.span(from, text.len())],
            lines_at,
        );
        p.marker = ENUMERATOR.captures(text).map(|c| c[1].to_string());
        pieces.push(p);
        open = Some(pieces.len() - 1);
    }
    pieces
}

/// Whether the next line of text after `line` (past blank lines and footnotes) goes on in
/// lower case, as the rest of a sentence does (an item such as `a. …` does not).
fn next_continues(lines: &[Line], line: &Line) -> bool {
    lines
        .iter()
        .skip_while(|l| l.file_line <= line.file_line)
        .find(|l| !l.is_blank() && !FOOTNOTE.is_match(l.text))
        .is_some_and(|l| {
            l.text.trim_start().starts_with(char::is_lowercase) && !ENUMERATOR.is_match(l.text)
        })
}

fn superscript_number(s: &str) -> u32 {
    s.chars()
        .filter_map(|c| "⁰¹²³⁴⁵⁶⁷⁸⁹".chars().position(|d| d == c))
        .fold(0, |n, d| n * 10 + d as u32)
}

/// A paragraph number at the start of a line: `72.` alone, or `72. text` (up to 9999).
static PARA_NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*(\d{1,4})\.(?:\s+|$)").unwrap());
/// An item marker: `a)`, `a.`, `(a)`, `iv)`, `(iv)`.
static ITEM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:\(([a-z]{1,5})\)|([a-z]{1,5})[.)])\s+(?P<text>\S)").unwrap()
});
/// Section headings of official documents: `A.` or `A. Title`, `C7.`/`C.7`/`C 7` action
/// lines, `1)` sub-headings, `4.1.` decimal headings.
static SECTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:([A-H])\.(?:\s+\S.*)?|C\s?\.?\d{1,2}\.?(?:\s+\S.*)?|\d{1,2}\)\s+\S.*|\d{1,2}\.\d{1,2}\.?(?:\s+\S.*)?)\s*$").unwrap()
});

/// The heading of an annex: `Annex`, `ANNEX: list of facilitators`.
static ANNEX_HEADING: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)^annex\b").unwrap());

/// Whether a line is set in capitals: `INTERNET GOVERNANCE`.
fn is_all_caps(text: &str) -> bool {
    let letters: Vec<char> = text.chars().filter(|c| c.is_alphabetic()).collect();
    letters.len() >= 4 && letters.iter().all(|c| c.is_uppercase())
}

fn heading_level(text: &str) -> usize {
    let t = text.trim();
    if t.starts_with(|c: char| c.is_ascii_uppercase()) && t.as_bytes().get(1) == Some(&b'.')
        || is_all_caps(t)
    {
        1
    } else if t.starts_with('C')
        || t.contains(')')
        || t.split('.')
            .nth(1)
            .is_some_and(|s| s.starts_with(|c: char| c.is_ascii_digit()))
    {
        2
    } else {
        1
    }
}

const ROMAN: [&str; 12] = [
    "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii",
];

/// An item of a paragraph: its label, spans and first and last file lines.
/// One item of an official paragraph being read: its label, spans and file lines.
struct Item {
    label: ParaLabel,
    spans: Vec<(usize, usize)>,
    lines: (usize, usize),
}

/// The paragraph being read in an official document, with its items.
struct Open {
    label: ParaLabel,
    section: Vec<String>,
    lines: (usize, usize),
    /// The whole paragraph's spans.
    spans: Vec<(usize, usize)>,
    /// Its items.
    items: Vec<Item>,
    /// Last letter item and last roman sub-item, for telling `i)` the letter from `i)` the numeral.
    letter: Option<String>,
    roman: Option<String>,
}

impl Open {
    /// A paragraph labelled `label` that starts on `line` with `spans`.
    fn new(
        label: ParaLabel,
        section: Vec<String>,
        line: &Line,
        spans: Vec<(usize, usize)>,
    ) -> Open {
        Open {
            label,
            section,
            lines: (line.file_line, line.file_line),
            spans,
            items: Vec::new(),
            letter: None,
            roman: None,
        }
    }

    fn push_line(&mut self, span: (usize, usize), line: usize) {
        self.spans.push(span);
        self.lines.1 = line;
        if let Some(item) = self.items.last_mut() {
            item.spans.push(span);
            item.lines.1 = line;
        }
    }

    /// Places item `marker`: a letter, or a roman numeral under the last letter.
    fn item_label(&mut self, marker: &str) -> ParaLabel {
        let next_letter = match &self.letter {
            None => "a".to_string(),
            Some(l) => next_letter(l),
        };
        let next_roman = match &self.roman {
            None => "i",
            Some(r) => ROMAN
                .iter()
                .position(|x| x == r)
                .and_then(|i| ROMAN.get(i + 1))
                .copied()
                .unwrap_or(""),
        };
        let is_roman_here = self.letter.is_some() && marker != next_letter && marker == next_roman;
        if is_roman_here {
            self.roman = Some(marker.to_string());
            let letter = self.letter.clone().unwrap_or_default();
            return self
                .label
                .with_item(&letter)
                .and_then(|l| l.with_item(marker))
                .unwrap_or_else(|| self.label.clone());
        }
        self.letter = Some(marker.to_string());
        self.roman = None;
        self.label
            .with_item(marker)
            .unwrap_or_else(|| self.label.clone())
    }

    fn finish(self, file: &str, out: &mut Vec<Piece>) {
        out.push(piece(
            file,
            self.label,
            &self.section,
            self.spans,
            self.lines,
        ));
        for item in self.items {
            out.push(piece(
                file,
                item.label,
                &self.section,
                item.spans,
                item.lines,
            ));
        }
    }
}

fn next_letter(l: &str) -> String {
    match l.chars().next() {
        Some(c) if l.len() == 1 && c < 'z' => ((c as u8 + 1) as char).to_string(),
        _ => String::new(),
    }
}

/// Reads an official document's lines into pieces, one line at a time.
struct OfficialSplit<'f> {
    file: &'f str,
    pieces: Vec<Piece>,
    /// The headings above the current line, with their levels.
    section: Vec<(usize, String)>,
    /// The paragraph being read.
    open: Option<Open>,
    /// The number of the last numbered paragraph.
    last_number: u32,
    /// How many preambular paragraphs have been read.
    preamble: u32,
    /// A heading's letter standing alone on its line (`A.`), waiting for its title.
    pending_heading: Option<String>,
    /// Under an annex heading: the rows read so far.
    annex_rows: Option<u32>,
}

fn split_official(file: &str, lines: &[Line]) -> Vec<Piece> {
    let mut split = OfficialSplit {
        file,
        pieces: Vec::new(),
        section: Vec::new(),
        open: None,
        last_number: 0,
        preamble: 0,
        pending_heading: None,
        annex_rows: None,
    };
    for (i, line) in lines.iter().enumerate() {
        split.read(lines, i, line);
    }
    split.close_paragraph();
    split.pieces
}

impl OfficialSplit<'_> {
    /// Reads line `i`: the first of the steps below that takes it.
    fn read(&mut self, lines: &[Line], i: usize, line: &Line) {
        if line.is_blank() {
            self.blank();
            return;
        }
        let next_text = lines[i + 1..]
            .iter()
            .find(|l| !l.is_blank())
            .map_or("", |l| l.text.trim());
        let _ = self.footnote(line)
            || self.marked_heading(line)
            || self.annex_row(line)
            || self.pending_title(line)
            || self.heading_or_paragraph(lines, i, line, next_text)
            || self.item(line)
            || self.continuation(line, next_text);
    }

    fn section_path(&self) -> Vec<String> {
        self.section.iter().map(|(_, t)| t.clone()).collect()
    }

    fn close_paragraph(&mut self) {
        if let Some(o) = self.open.take() {
            o.finish(self.file, &mut self.pieces);
        }
    }

    /// A blank line ends a preambular paragraph (numbered ones go on over blank lines).
    fn blank(&mut self) {
        let in_preamble = self
            .open
            .as_ref()
            .is_some_and(|o| matches!(o.label, ParaLabel::Preamble(_)));
        if in_preamble {
            self.close_paragraph();
        }
    }

    /// A footnote (`¹ text`): a piece of its own.
    fn footnote(&mut self, line: &Line) -> bool {
        let text = line.text;
        let Some(caps) = FOOTNOTE.captures(text) else {
            return false;
        };
        let marker_end = caps.get(1).map_or(0, |m| m.end());
        let at = (line.file_line, line.file_line);
        let piece = piece(
            self.file,
            ParaLabel::Footnote(superscript_number(&caps[1])),
            &self.section_path(),
            vec![line.span(marker_end, text.len())],
            at,
        );
        self.pieces.push(piece);
        true
    }

    /// A `#` heading, which may complete a heading's letter standing alone; under an annex
    /// heading, the rows that follow are counted.
    fn marked_heading(&mut self, line: &Line) -> bool {
        let Some(caps) = MD_HEADING.captures(line.text) else {
            return false;
        };
        self.close_paragraph();
        let title = match self.pending_heading.take() {
            Some(letter) => format!("{letter} {}", &caps[2]),
            None => caps[2].to_string(),
        };
        self.annex_rows = ANNEX_HEADING.is_match(&title).then_some(0);
        push_heading(&mut self.section, caps[1].len(), title);
        true
    }

    /// A row under an annex heading: a counted piece.
    fn annex_row(&mut self, line: &Line) -> bool {
        let Some(rows) = self.annex_rows.as_mut() else {
            return false;
        };
        *rows += 1;
        let label = ParaLabel::Counted(*rows);
        let at = (line.file_line, line.file_line);
        let piece = piece(
            self.file,
            label,
            &self.section_path(),
            vec![line.span(0, line.text.len())],
            at,
        );
        self.pieces.push(piece);
        true
    }

    /// The title after a heading's letter standing alone (`A.`).
    fn pending_title(&mut self, line: &Line) -> bool {
        let Some(letter) = self.pending_heading.take() else {
            return false;
        };
        push_heading(
            &mut self.section,
            1,
            format!("{letter} {}", line.text.trim()),
        );
        true
    }

    /// A section heading, or a numbered paragraph's first line.
    fn heading_or_paragraph(
        &mut self,
        lines: &[Line],
        i: usize,
        line: &Line,
        next_text: &str,
    ) -> bool {
        let text = line.text;
        let number = PARA_NUMBER
            .captures(text)
            .and_then(|c| c[1].parse::<u32>().ok());
        let is_next_number = number.is_some_and(|n| n == self.last_number + 1);
        let is_heading = !is_next_number
            && (SECTION.is_match(text)
                || is_all_caps(text)
                || number.is_some_and(|_| is_heading_title(text, next_text))
                || number.is_none() && is_title_between_paragraphs(lines, i));
        if is_heading {
            self.close_paragraph();
            let t = text.trim();
            if t.len() <= 3 && t.ends_with('.') {
                self.pending_heading = Some(t.to_string());
            } else {
                push_heading(&mut self.section, heading_level(t), t.to_string());
            }
            return true;
        }
        // A number past the next one that does not head a section is a paragraph too: the
        // source skips numbers, and the index's numbering check says so.
        let Some(n) = number.filter(|&n| n > self.last_number) else {
            return false;
        };
        self.close_paragraph();
        self.last_number = n;
        let m = PARA_NUMBER.find(text).map_or(0, |m| m.end());
        let spans = if text[m..].trim().is_empty() {
            vec![]
        } else {
            vec![line.span(m, text.len())]
        };
        self.open = Some(Open::new(
            ParaLabel::numbered(n),
            self.section_path(),
            line,
            spans,
        ));
        true
    }

    /// An item (`(a)`, `i)`) of the numbered paragraph being read.
    fn item(&mut self, line: &Line) -> bool {
        let text = line.text;
        let numbered = self.open.as_mut().filter(|o| o.label.number().is_some());
        let (Some(caps), Some(o)) = (ITEM.captures(text), numbered) else {
            return false;
        };
        let marker = caps.get(1).or(caps.get(2)).map_or("", |m| m.as_str());
        let label = o.item_label(marker);
        let after = caps.name("text").map_or(0, |m| m.start());
        o.spans.push(line.span(0, text.len()));
        o.lines.1 = line.file_line;
        o.items.push(Item {
            label,
            spans: vec![line.span(after, text.len())],
            lines: (line.file_line, line.file_line),
        });
        true
    }

    /// Any other line: it goes on with the open paragraph, or is a title before the first
    /// numbered paragraph, or starts a preambular paragraph.
    fn continuation(&mut self, line: &Line, next_text: &str) -> bool {
        let text = line.text;
        match self.open.as_mut() {
            Some(o) => o.push_line(line.span(0, text.len()), line.file_line),
            None if self.last_number == 0
                && is_heading_title(text, next_text)
                && !text.trim().starts_with(char::is_lowercase) =>
            {
                push_heading(&mut self.section, 1, text.trim().to_string());
            }
            None => {
                self.preamble += 1;
                let label = ParaLabel::Preamble(self.preamble);
                let spans = vec![line.span(0, text.len())];
                self.open = Some(Open::new(label, self.section_path(), line, spans));
            }
        }
        true
    }
}

/// An unnumbered heading between numbered paragraphs (as the UN's outcome documents set
/// them): a title-like line with a blank line above it and, below it, a blank line or a
/// numbered paragraph.
fn is_title_between_paragraphs(lines: &[Line], i: usize) -> bool {
    let text = lines[i].text;
    let next = lines.get(i + 1);
    let next_text = next.map_or("", |l| l.text.trim());
    i > 0
        && lines[i - 1].is_blank()
        && next.is_some_and(|l| l.is_blank() || PARA_NUMBER.is_match(l.text))
        && text.trim_start().starts_with(char::is_uppercase)
        && !ITEM.is_match(text)
        && is_heading_title(text, next_text)
}

/// A heading title: short, no final period, not the start of a sentence that goes on below.
fn is_heading_title(text: &str, next: &str) -> bool {
    let t = PARA_NUMBER.replace(text, "");
    let t = t.trim();
    let title_like = !t.ends_with(['.', ',', ';', ':']) && t.split_whitespace().count() <= 12;
    let next_continues = next.starts_with(char::is_lowercase);
    (t.is_empty()
        && !next.ends_with('.')
        && !next.is_empty()
        && next.split_whitespace().count() <= 12)
        || (!t.is_empty() && title_like && !next_continues)
}

fn push_heading(section: &mut Vec<(usize, String)>, level: usize, title: String) {
    section.retain(|(l, _)| *l < level);
    section.push((level, title));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::parse_document;
    use expect_test::{Expect, expect};

    /// Splits a document made of `header` and `body`, and lists its pieces one a line:
    /// label, file lines, heading path, text.
    #[track_caller]
    fn check(header: &str, body: &str, expect: Expect) {
        let text = format!("{header}\n---\n{body}");
        let doc =
            parse_document(std::path::Path::new("test.txt"), "corpus/test.txt", text).unwrap();
        let lines: Vec<String> = split(&doc)
            .iter()
            .map(|p| {
                let joined: Vec<&str> = p.spans.iter().map(|(s, e)| &doc.text[*s..*e]).collect();
                assert_eq!(joined.join(" "), p.text, "{} text is its spans", p.label);
                format!(
                    "{} L{}-{} [{}] {}",
                    p.label,
                    p.line_start,
                    p.line_end,
                    p.section.join(" > "),
                    p.text
                )
            })
            .collect();
        expect.assert_eq(&lines.join("\n"));
    }

    const BACKGROUND: &str = "id: t\ntitle: T\nkind: web-page\nvariant: none\nfurniture: 2";
    const OFFICIAL: &str = "id: t\ntitle: T\nkind: outcome-document\nvariant: none";
    const RESOLUTION: &str = "id: t\ntitle: T\nkind: resolution\nvariant: none";

    #[test]
    fn background_lines_headings_bullets_and_furniture() {
        check(
            BACKGROUND,
            "Garden notes\n Photo, Spade, Hose\nThe roses were planted in spring.\nThe tulips came later.\n\nWatering\n\n  • Morning is best;\n  • Evening will do.\nTable of tools\nT1. Spades\tGarden shed\n",
            expect![[r#"
                p1 L9-9 [Garden notes] The roses were planted in spring.
                p2 L10-10 [Garden notes] The tulips came later.
                p3 L14-14 [Watering] Morning is best;
                p4 L15-15 [Watering] Evening will do.
                p5 L17-17 [Table of tools] T1. Spades	Garden shed"#]],
        );
    }

    #[test]
    fn background_markdown_headings_nest_by_level() {
        check(
            BACKGROUND,
            "\n\n## Fences\n\n### Colours\n\nBlue is **common**.\n\n## Gates\n\nGates creak.",
            expect![[r#"
                p1 L13-13 [Fences > Colours] Blue is **common**.
                p2 L17-17 [Gates] Gates creak."#]],
        );
    }

    #[test]
    fn background_paragraph_is_joined_across_a_footnote_block() {
        check(
            BACKGROUND,
            "Notes\n\nThe council met in the hall¹ and asked the clerk to\n\n¹ https://example.org/hall\n\nwrite the minutes.\n\nThe end came soon.",
            expect![[r#"
                p1 L9-13 [Notes] The council met in the hall¹ and asked the clerk to write the minutes.
                fn1 L11-11 [Notes] https://example.org/hall
                p2 L15-15 [Notes] The end came soon."#]],
        );
    }

    #[test]
    fn official_numbered_paragraphs_items_and_headings() {
        check(
            OFFICIAL,
            "SAMPLE MEETING OUTCOME\n\nA.\nShared aims of the sample\n\n1.\nWe, the delegates, agree that lamps\nshould be bright.\n\n2. We note that ferries run on Tuesdays.\n\nB. Points of action\n\nC7. Sample action line\n\n3. Participants should:\na) Paint the fences blue.\nb) Keep the gardens tidy, including:\ni) watering the plants;\nii) weeding the beds.\nc) Hold a meeting in spring.\n\n4. Footnotes do not cut this\n¹ A sample footnote.\nparagraph in two.\n",
            expect![[r#"
                1 L11-13 [A. Shared aims of the sample] We, the delegates, agree that lamps should be bright.
                2 L15-15 [A. Shared aims of the sample] We note that ferries run on Tuesdays.
                3 L21-26 [B. Points of action > C7. Sample action line] Participants should: a) Paint the fences blue. b) Keep the gardens tidy, including: i) watering the plants; ii) weeding the beds. c) Hold a meeting in spring.
                3(a) L22-22 [B. Points of action > C7. Sample action line] Paint the fences blue.
                3(b) L23-23 [B. Points of action > C7. Sample action line] Keep the gardens tidy, including:
                3(b)(i) L24-24 [B. Points of action > C7. Sample action line] watering the plants;
                3(b)(ii) L25-25 [B. Points of action > C7. Sample action line] weeding the beds.
                3(c) L26-26 [B. Points of action > C7. Sample action line] Hold a meeting in spring.
                fn1 L29-29 [B. Points of action > C7. Sample action line] A sample footnote.
                4 L28-30 [B. Points of action > C7. Sample action line] Footnotes do not cut this paragraph in two."#]],
        );
    }

    #[test]
    fn numbered_sub_headings_with_a_parenthesis_are_not_paragraphs() {
        check(
            OFFICIAL,
            "B. Principles of the sample\n\n1) Lamps and lights\n\n1. Every pier has a lamp.\n\n2) Ferries\n\n2. Ferries run weekly.",
            expect![[r#"
                1 L10-10 [B. Principles of the sample > 1) Lamps and lights] Every pier has a lamp.
                2 L14-14 [B. Principles of the sample > 2) Ferries] Ferries run weekly."#]],
        );
    }

    #[test]
    fn items_may_start_with_any_letter() {
        check(
            OFFICIAL,
            "1. Participants should:\n(a) “Keep” the lamps lit;\nb) Élan is kept.",
            expect![[r#"
            1 L6-8 [] Participants should: (a) “Keep” the lamps lit; b) Élan is kept.
            1(a) L7-7 [] “Keep” the lamps lit;
            1(b) L8-8 [] Élan is kept."#]],
        );
    }

    #[test]
    fn an_unnumbered_heading_between_paragraphs_is_a_heading() {
        check(
            OFFICIAL,
            "1. Lamps are lit at dusk\nand put out at dawn.\n\nFerries and piers\n\n2. Piers are open.\n\nThe keepers\n3. Keepers are paid.\n\n4. The piers stay open\n\nin winter.",
            expect![[r#"
                1 L6-7 [] Lamps are lit at dusk and put out at dawn.
                2 L11-11 [Ferries and piers] Piers are open.
                3 L14-14 [The keepers] Keepers are paid.
                4 L16-18 [The keepers] The piers stay open in winter."#]],
        );
    }

    #[test]
    fn hash_headings_never_join_a_paragraph_and_an_annex_is_its_own_section() {
        check(
            OFFICIAL,
            "1. Lamps are lit at dusk.\n\n## Ferries and piers\n\n2. Ferries run weekly.\n\nC.\n\n## Keepers\n\n3. Keepers sleep by day.\n\n# Annex\n\nPier one | The north keeper\n\nPier two | The south keeper\n\n¹ A note on piers.",
            expect![[r#"
                1 L6-6 [] Lamps are lit at dusk.
                2 L10-10 [Ferries and piers] Ferries run weekly.
                3 L16-16 [C. Keepers] Keepers sleep by day.
                p1 L20-20 [Annex] Pier one | The north keeper
                p2 L22-22 [Annex] Pier two | The south keeper
                fn1 L24-24 [Annex] A note on piers."#]],
        );
    }

    #[test]
    fn a_skipped_number_still_starts_a_paragraph() {
        check(
            OFFICIAL,
            "1. Lamps are lit.\n\n2. Piers are open.\n\n4. Ferries run weekly.",
            expect![[r#"
            1 L6-6 [] Lamps are lit.
            2 L8-8 [] Piers are open.
            4 L10-10 [] Ferries run weekly."#]],
        );
    }

    #[test]
    fn resolution_preamble_and_section_numbers_that_break_the_sequence() {
        check(
            RESOLUTION,
            "The Sample Assembly,\n\nRecalling its earlier decisions on kites,\n\nWelcoming the progress made,\n\n1. Decides that kites fly in autumn;\n\n2. Requests a report on kites;\n\n1.\nKite safety\n\n3. Encourages careful flying;\n\n3.1. Small kites\n\n4. Invites everyone to watch.",
            expect![[r#"
                pp1 L6-6 [] The Sample Assembly,
                pp2 L8-8 [] Recalling its earlier decisions on kites,
                pp3 L10-10 [] Welcoming the progress made,
                1 L12-12 [] Decides that kites fly in autumn;
                2 L14-14 [] Requests a report on kites;
                3 L19-19 [1. Kite safety] Encourages careful flying;
                4 L23-23 [1. Kite safety > 3.1. Small kites] Invites everyone to watch."#]],
        );
    }
}

//! One page of `pdftotext -layout` text read: which lines are furniture (and why), which are
//! the footnotes under the rule, which start a paragraph, and the text of the rest with the
//! footnote markers and layout spaces taken out.

use std::collections::{BTreeSet, HashSet};
use std::sync::LazyLock;

use regex::Regex;

use super::furniture::{furniture, is_date, is_plenary_meeting, normal_form};
use crate::import::{CleanLine, DroppedLine};

/// A line of the original file: its number (1-based) and its text, form feed removed.
#[derive(Debug, Clone, Copy)]
pub(super) struct Raw<'a> {
    pub number: usize,
    pub text: &'a str,
}

/// A page read: its body in order, its footnotes, the lines it dropped.
#[derive(Debug, Default)]
pub(super) struct PageText {
    pub body: Vec<Entry>,
    /// Each footnote as one line `¹ text`, its origin the lines it was read from.
    pub footnotes: Vec<CleanLine>,
    pub dropped: Vec<DroppedLine>,
}

/// A piece of a page's body.
#[derive(Debug)]
pub(super) enum Entry {
    /// A blank line between lines of text: a large vertical gap.
    Gap,
    /// A line of text, and whether it starts a paragraph (it stands at the first-line indent).
    Text {
        line: CleanLine,
        starts_paragraph: bool,
    },
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Role {
    Blank,
    Body,
    Dropped(&'static str),
    /// The first line of footnote N.
    Footnote(u32),
    /// A further line of the footnote above.
    FootnoteMore,
}

/// `Resolution adopted by the General Assembly on …`: the masthead's last line but the title.
static ADOPTED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*(?:Resolution|Decision) adopted by\b").unwrap());
/// `70/125. Outcome document of …`: the resolution's number and title.
static NUMBER_TITLE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*\d{1,3}/\d{1,4}\.\s+\S").unwrap());
/// `[without reference to a Main Committee (A/70/L.33)]`.
static BRACKETED: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\s*\[.*\]\s*$").unwrap());
/// `The General Assembly,`: who acts, before the preamble.
static CHAPEAU: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*The(?:\s+(?:[A-Z][\w-]*|of|and|on|for|the))+,\s*$").unwrap());
/// `Adopts the following outcome document …:`, when the resolution adopts a document.
static ADOPTS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*Adopts the following\b").unwrap());
/// A line opening with a paragraph number or a section letter: `1. We …`, `A. Lamps`.
static OPENS_WITH_NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*(?:\d{1,3}|[A-Z])\.(?:\s|$)").unwrap());
/// The rule above a page's footnotes.
static RULE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\s*_{5,}\s*$").unwrap());
/// `1 See …`: a footnote's first line, its number in plain digits.
static FOOTNOTE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*(\d{1,3})\s+(\S.*)$").unwrap());
/// A marker glued to a word or punctuation (`society,1`), or set apart after punctuation at
/// the line's end (`society, 1`).
static MARKER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:([\p{Ll},.;:’”)])(\d{1,3})(\s|$))|(?:([,.;:’”)])\s+(\d{1,3})\s*$)").unwrap()
});

/// How many lines of page 1 the masthead may take.
const MASTHEAD_LINES: usize = 40;
/// How many lines at the top and at the foot of a page are looked at for repeated furniture.
const TOP_EDGE: usize = 3;
const FOOT_EDGE: usize = 2;
/// How much further in than the page's left edge a line's first word stands when it opens a
/// paragraph (`pdftotext -layout` columns).
const FIRST_LINE_INDENT: usize = 3;
/// How far in a centred line stands at least: a heading, whose lines are joined when it runs
/// over two (a first-line indent is about ten columns).
const CENTRED: usize = 16;

/// The forms (see [`normal_form`]) of lines that stand at the top or the foot of two pages or
/// more: running heads and footers that no pattern knows.
pub(super) fn repeated_edges(pages: &[Vec<Raw>]) -> HashSet<String> {
    let mut pages_of: std::collections::HashMap<String, BTreeSet<usize>> = Default::default();
    for (p, page) in pages.iter().enumerate() {
        let filled: Vec<&Raw> = page.iter().filter(|l| !l.text.trim().is_empty()).collect();
        let top = filled.iter().take(TOP_EDGE);
        let foot = filled.iter().rev().take(FOOT_EDGE);
        for line in top.chain(foot) {
            if !FOOTNOTE.is_match(line.text) {
                pages_of
                    .entry(normal_form(line.text))
                    .or_default()
                    .insert(p);
            }
        }
    }
    pages_of
        .into_iter()
        .filter(|(_, pages)| pages.len() >= 2)
        .map(|(form, _)| form)
        .collect()
}

/// Reads one page; `first` for page 1, whose masthead is left out.
pub(super) fn read_page(
    page: &[Raw],
    first: bool,
    symbol: &str,
    repeated: &HashSet<String>,
) -> PageText {
    let roles = roles(page, first, symbol, repeated);
    let numbers = footnote_numbers(&roles);
    let mut out = PageText {
        footnotes: footnotes(page, &roles),
        ..PageText::default()
    };
    let margin = page
        .iter()
        .filter(|l| !l.text.trim().is_empty())
        .map(|l| indent(l.text))
        .min()
        .unwrap_or(0);
    // Whether the last line of text is a heading line that the next centred line goes on.
    let mut heading_open = false;
    for (line, role) in page.iter().zip(&roles) {
        match role {
            Role::Dropped(why) => out.dropped.push(DroppedLine {
                line: line.number,
                text: line.text.to_string(),
                why,
            }),
            Role::Blank => {
                out.body.push(Entry::Gap);
                heading_open = false;
            }
            Role::Body => {
                let centred = indent(line.text) >= margin + CENTRED;
                let text = single_spaced(&remove_markers(line.text, &numbers));
                push_text(&mut out.body, line, text, heading_open && centred, margin);
                heading_open = centred && !line.text.trim_end().ends_with(['.', ',', ';', ':']);
            }
            Role::Footnote(_) | Role::FootnoteMore => {}
        }
    }
    trim_gaps(&mut out.body);
    out
}

/// What each line of the page is.
fn roles(page: &[Raw], first: bool, symbol: &str, repeated: &HashSet<String>) -> Vec<Role> {
    let mut roles: Vec<Role> = page
        .iter()
        .map(|l| {
            if l.text.trim().is_empty() {
                Role::Blank
            } else {
                Role::Body
            }
        })
        .collect();
    if first {
        mark_masthead(page, &mut roles);
    }
    mark_patterns(page, symbol, &mut roles);
    mark_edges(page, repeated, &mut roles);
    mark_footnotes(page, &mut roles);
    let numbers = footnote_numbers(&roles);
    mark_lone_markers(page, &numbers, &mut roles);
    roles
}

/// The numbers of the page's footnotes.
fn footnote_numbers(roles: &[Role]) -> HashSet<u32> {
    roles
        .iter()
        .filter_map(|r| match r {
            Role::Footnote(n) => Some(*n),
            _ => None,
        })
        .collect()
}

/// Adds a line of text to the body: as a new line, or, when it goes on a centred heading
/// (`goes_on`), at the end of the line before.
fn push_text(body: &mut Vec<Entry>, line: &Raw, text: String, goes_on: bool, margin: usize) {
    if let Some(Entry::Text { line: last, .. }) = body.last_mut().filter(|_| goes_on) {
        last.text.push(' ');
        last.text.push_str(&text);
        last.origin.1 = line.number;
    } else {
        body.push(Entry::Text {
            starts_paragraph: starts_paragraph(line.text, margin),
            line: CleanLine {
                origin: (line.number, line.number),
                text,
            },
        });
    }
}

/// Page 1's masthead (everything down to "Resolution adopted by …", the bracketed committee
/// line, the number and title), the chapeau (`The General Assembly,`), and where the
/// resolution adopts a document, "Adopts the following …:" and that document's title block.
fn mark_masthead(page: &[Raw], roles: &mut [Role]) {
    let Some(adopted) = page
        .iter()
        .take(MASTHEAD_LINES)
        .position(|l| ADOPTED.is_match(l.text))
    else {
        return;
    };
    for role in roles.iter_mut().take(adopted + 1) {
        drop_filled(role, "masthead");
    }
    let mut at = next_filled(page, adopted + 1);
    if let Some(i) = at.filter(|&i| BRACKETED.is_match(page[i].text)) {
        roles[i] = Role::Dropped("masthead");
        at = next_filled(page, i + 1);
    }
    if let Some(i) = at.filter(|&i| NUMBER_TITLE.is_match(page[i].text)) {
        let end = block_end(page, i);
        for role in &mut roles[i..end] {
            *role = Role::Dropped("masthead");
        }
        at = next_filled(page, end);
    }
    if let Some(i) = at.filter(|&i| CHAPEAU.is_match(page[i].text)) {
        roles[i] = Role::Dropped("chapeau");
        at = next_filled(page, i + 1);
    }
    if let Some(i) = at.filter(|&i| ADOPTS.is_match(page[i].text)) {
        let colon = (i..page.len())
            .find(|&k| page[k].text.trim_end().ends_with(':'))
            .unwrap_or(i);
        for role in &mut roles[i..=colon] {
            drop_filled(role, "chapeau");
        }
        if let Some(title) = next_filled(page, colon + 1) {
            // The title ends at a blank line, after four lines, or where a numbered
            // paragraph or a lettered section follows without a gap.
            let end = (title + 1..block_end(page, title))
                .find(|&k| k - title >= 4 || OPENS_WITH_NUMBER.is_match(page[k].text))
                .unwrap_or_else(|| block_end(page, title));
            for role in &mut roles[title..end] {
                *role = Role::Dropped("document title");
            }
        }
    }
}

fn drop_filled(role: &mut Role, why: &'static str) {
    if *role != Role::Blank {
        *role = Role::Dropped(why);
    }
}

/// The first non-blank line at or after `from`.
fn next_filled(page: &[Raw], from: usize) -> Option<usize> {
    (from..page.len()).find(|&i| !page[i].text.trim().is_empty())
}

/// The end (exclusive) of the block of non-blank lines that starts at `start`.
fn block_end(page: &[Raw], start: usize) -> usize {
    (start..page.len())
        .find(|&i| page[i].text.trim().is_empty())
        .unwrap_or(page.len())
}

/// Lines that are furniture by their look alone, and the closing (`62nd plenary meeting` and
/// the date under it).
fn mark_patterns(page: &[Raw], symbol: &str, roles: &mut [Role]) {
    for i in 0..page.len() {
        if roles[i] != Role::Body {
            continue;
        }
        let trimmed = page[i].text.trim();
        if let Some(why) = furniture(page[i].text, symbol) {
            roles[i] = Role::Dropped(why);
        } else if is_plenary_meeting(trimmed) {
            roles[i] = Role::Dropped("closing block");
            if let Some(date) = next_filled(page, i + 1).filter(|&d| is_date(page[d].text.trim())) {
                roles[date] = Role::Dropped("closing block");
            }
        }
    }
}

/// Lines at the top or foot of the page repeated on other pages; and a running head's title
/// run over more lines, down to the blank line under the head.
fn mark_edges(page: &[Raw], repeated: &HashSet<String>, roles: &mut [Role]) {
    let filled: Vec<usize> = (0..page.len())
        .filter(|&i| !page[i].text.trim().is_empty())
        .collect();
    let top = filled.iter().take(TOP_EDGE);
    let foot = filled.iter().rev().take(FOOT_EDGE);
    for &i in top.chain(foot) {
        if roles[i] == Role::Body && repeated.contains(&normal_form(page[i].text)) {
            roles[i] = Role::Dropped("repeated on pages");
        }
    }
    let Some(&head) = filled.first() else { return };
    let is_head = roles[head] == Role::Dropped("running head")
        || roles[head] == Role::Dropped("repeated on pages");
    let end = block_end(page, head);
    if is_head && end - head <= 3 && end < page.len() {
        for role in roles[head + 1..end]
            .iter_mut()
            .filter(|r| **r == Role::Body)
        {
            *role = Role::Dropped("running head");
        }
    }
}

/// The footnote block: the last rule of underscores and the numbered notes under it.
fn mark_footnotes(page: &[Raw], roles: &mut [Role]) {
    let Some(rule) = (0..page.len())
        .rev()
        .find(|&i| roles[i] == Role::Body && RULE.is_match(page[i].text))
    else {
        return;
    };
    roles[rule] = Role::Dropped("footnote rule");
    let mut open = false;
    for i in rule + 1..page.len() {
        if roles[i] != Role::Body {
            continue;
        }
        if let Some(number) = FOOTNOTE
            .captures(page[i].text)
            .and_then(|c| c[1].parse().ok())
        {
            roles[i] = Role::Footnote(number);
            open = true;
        } else if open {
            roles[i] = Role::FootnoteMore;
        }
    }
}

/// A raised marker printed on a line of its own: a bare number that a footnote of the page
/// bears (a bare number no footnote bears is a page number).
fn mark_lone_markers(page: &[Raw], numbers: &HashSet<u32>, roles: &mut [Role]) {
    for (line, role) in page.iter().zip(roles.iter_mut()) {
        let trimmed = line.text.trim();
        let lone = trimmed
            .bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| trimmed.parse::<u32>().ok())
            .flatten();
        if let Some(n) = lone {
            let why = if numbers.contains(&n) {
                "footnote marker"
            } else {
                "page number"
            };
            if matches!(role, Role::Body | Role::Dropped("page number")) {
                *role = Role::Dropped(why);
            }
        }
    }
}

/// The page's footnotes, each one line `¹ text` whatever lines it took.
fn footnotes(page: &[Raw], roles: &[Role]) -> Vec<CleanLine> {
    let mut notes: Vec<CleanLine> = Vec::new();
    for (line, role) in page.iter().zip(roles) {
        match role {
            Role::Footnote(n) => {
                let text = FOOTNOTE
                    .captures(line.text)
                    .map_or("", |c| c.get(2).map_or("", |m| m.as_str()));
                notes.push(CleanLine {
                    text: format!("{} {}", superscript(*n), single_spaced(text)),
                    origin: (line.number, line.number),
                });
            }
            Role::FootnoteMore => {
                if let Some(note) = notes.last_mut() {
                    note.text.push(' ');
                    note.text.push_str(&single_spaced(line.text));
                    note.origin.1 = line.number;
                }
            }
            _ => {}
        }
    }
    notes
}

/// `12` as `¹²`.
fn superscript(n: u32) -> String {
    n.to_string()
        .chars()
        .map(|d| {
            let digit = d.to_digit(10).unwrap_or(0) as usize;
            "⁰¹²³⁴⁵⁶⁷⁸⁹".chars().nth(digit).unwrap_or(d)
        })
        .collect()
}

/// `line` without the markers of the footnotes `numbers` (a number no footnote of the page
/// bears stays: `resolution 70/1`, `G20`).
fn remove_markers(line: &str, numbers: &HashSet<u32>) -> String {
    MARKER
        .replace_all(line, |c: &regex::Captures| {
            let (keep, number, after) = match (c.get(1), c.get(4)) {
                (Some(before), _) => (before.as_str(), &c[2], c.get(3).map_or("", |m| m.as_str())),
                (None, Some(before)) => (before.as_str(), &c[5], ""),
                (None, None) => return c[0].to_string(),
            };
            if number.parse().is_ok_and(|n: u32| numbers.contains(&n)) {
                format!("{keep}{after}")
            } else {
                c[0].to_string()
            }
        })
        .into_owned()
}

/// Runs of layout spaces made one space, the ends trimmed.
fn single_spaced(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The width of a line's leading white space, in characters.
fn indent(text: &str) -> usize {
    text.chars().take_while(|c| c.is_whitespace()).count()
}

/// Whether a line opens a paragraph: it stands at the first-line indent, further in than
/// the page's left edge, and opens with a capital or a digit (a number, or a preambular
/// paragraph's participle: `Recalling`, `Deeply concerned`).
fn starts_paragraph(text: &str, margin: usize) -> bool {
    indent(text) >= margin + FIRST_LINE_INDENT
        && text
            .trim_start()
            .starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit())
}

/// Gaps before the page's first line of text and after its last are the page's margins, not
/// a gap between paragraphs.
fn trim_gaps(body: &mut Vec<Entry>) {
    while matches!(body.last(), Some(Entry::Gap)) {
        body.pop();
    }
    let lead = body.iter().take_while(|e| matches!(e, Entry::Gap)).count();
    body.drain(..lead);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_go_only_where_the_page_has_that_footnote() {
        let numbers: HashSet<u32> = [1, 2].into_iter().collect();
        let cases = [
            (
                "the ferries of the coast,1 which carry",
                "the ferries of the coast, which carry",
            ),
            (
                "in the office of the harbour master.2",
                "in the office of the harbour master.",
            ),
            ("of the past winter, 1", "of the past winter,"),
            (
                "the information society1 of the coast",
                "the information society of the coast",
            ),
            (
                "in particular decision 98/12 of 1 March",
                "in particular decision 98/12 of 1 March",
            ),
            ("see resolution 70/1", "see resolution 70/1"),
            ("the society,3 and", "the society,3 and"),
            ("in paragraph 2", "in paragraph 2"),
        ];
        for (line, want) in cases {
            assert_eq!(remove_markers(line, &numbers), want, "{line:?}");
        }
    }

    #[test]
    fn superscripts() {
        assert_eq!(superscript(1), "¹");
        assert_eq!(superscript(205), "²⁰⁵");
    }
}

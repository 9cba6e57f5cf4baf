//! ITU's HTML pages to lines of text, read with html5ever's tokenizer (the HTML standard's
//! tokenizer: every named entity, comments, `<script>` and `<style>` as raw text).
//!
//! The page is first cut into blocks (a paragraph, a table cell, a list item, a heading),
//! each with the lines of the file it stands on. Then only the document's own content is
//! kept: from its symbol block ("Document WSIS-…") to its last paragraph, annex and footnotes.
//! The site template around it (banner, menus, the footer with "© Copyright ITU" and
//! "Updated") is dropped, and listed as dropped lines. In the body:
//! - a heading (`<h1>`–`<h6>`) is a `#` line, so that it never joins a paragraph;
//! - an annex ("Annex" alone in its block) is a `#` heading too, and the cells of each of its
//!   table rows make one line, joined by ` | `;
//! - Word footnotes (`[1]` anchors to `#_ftn1`, a list of notes whose anchors point back) lose
//!   their markers in the text, and each note is a line `¹ text` after a blank line;
//! - a cell holding several hard-wrapped paragraphs (`1. We, …` then, on a new line of the
//!   file, `2. …`) is cut where a line starts with a paragraph number or an item marker.

use std::cell::RefCell;
use std::sync::LazyLock;

use html5ever::interface::TokenizerResult;
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use regex::Regex;

use super::{CleanLine, Cleaned, DroppedLine};

/// Elements whose text is never the document's (scripts, styles, the head).
const IGNORED_ELEMENTS: [&str; 6] = ["script", "style", "head", "noscript", "title", "template"];
/// Elements that hold the site's template: their text is dropped as such.
const TEMPLATE_ELEMENTS: [&str; 5] = ["nav", "header", "footer", "form", "menu"];
/// Elements that start or end a block.
const BLOCK_ELEMENTS: [&str; 26] = [
    "p",
    "div",
    "br",
    "li",
    "tr",
    "td",
    "th",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "ul",
    "ol",
    "blockquote",
    "section",
    "article",
    "dd",
    "dt",
    "hr",
    "center",
    "body",
    "caption",
    "pre",
];

/// Why a block is left out of the body.
const WHY_TEMPLATE: &str = "site template";
const WHY_BEFORE: &str = "site template (before the document's symbol block)";
const WHY_MENU: &str = "site menu (links only, after the document)";

/// The block that opens an ITU document: "Document WSIS-03/GENEVA/DOC/4-E".
static SYMBOL_BLOCK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:Document|DOCUMENT|Document:)\s+[A-Z][A-Za-z0-9.()\-]*/\S+").unwrap()
});
/// The footer's lines: "© Copyright ITU 2005 All Rights Reserved", "Updated : 2005-11-18".
static FOOTER_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:©|\(c\)\s|copyright\b|updated\b|last updated\b)|©\s*copyright").unwrap()
});
/// An annex heading: "Annex", "ANNEX", "Annex: List of …".
static ANNEX: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)^annex\b").unwrap());
/// Where a hard-wrapped cell holds a new paragraph or item: a line of the file that starts
/// with `12. `, `a) ` or `(a) `.
static NEW_PARAGRAPH: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*(?:\d{1,3}\.|[a-z]{1,4}\)|\([a-z]{1,4}\))(?:\s|$)").unwrap());
/// The anchors of Word footnotes: `#_ftn1` (a marker in the text) and `#_ftnref1` (the note's
/// link back to it); `_edn` for endnotes.
static FOOTNOTE_HREF: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^#_(?:ftn|edn)(ref)?(\d{1,3})$").unwrap());
/// A footnote marker set as a superscript: `1`, `[1]`, `*`.
static SUP_MARKER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*(?:\[?\d{1,3}\]?|\*+)\s*$").unwrap());

/// One block of the page.
#[derive(Debug, Default, Clone)]
struct Block {
    /// Its text, white space not yet collapsed.
    text: String,
    /// First and last line of the file with text of the block.
    origin: Option<(usize, usize)>,
    /// The level of a heading (`<h2>`: 2).
    heading: Option<usize>,
    /// Letters and digits inside links.
    link_chars: usize,
    /// A footnote of the list: its number.
    footnote: Option<u32>,
    /// Inside the site's `<nav>`, `<header>`, `<footer>`, ….
    template: bool,
    /// The heading of the document's annex ("Annex" alone in its block, after the symbol
    /// block, not a link).
    annex: bool,
}

impl Block {
    /// Whether text other than white space was added (its origin is set then).
    fn has_text(&self) -> bool {
        self.origin.is_some()
    }

    fn collapsed(&self) -> String {
        self.text.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    /// Whether all its letters and digits are in links (a menu: `Home | Documents`); a
    /// footnote (which may be an address alone) never is.
    fn is_links_only(&self) -> bool {
        let chars = self.text.chars().filter(|c| c.is_alphanumeric()).count();
        self.footnote.is_none() && chars > 0 && self.link_chars >= chars
    }
}

/// An open `<a>`: what it is, and its text so far.
#[derive(Debug, Default)]
struct Link {
    /// A Word footnote anchor: (is the note's link back, number).
    footnote: Option<(bool, u32)>,
    text: String,
}

/// The tokenizer's sink: cuts the page into blocks.
#[derive(Debug, Default)]
struct Blocks {
    blocks: Vec<Block>,
    current: Block,
    ignored: Vec<String>,
    template: Vec<String>,
    link: Option<Link>,
    sup: Option<String>,
    heading: Option<usize>,
    /// Inside an annex: the cells of a row make one line.
    annex: bool,
    /// Past the document's symbol block.
    in_document: bool,
    /// The last text of the current block ended a line of the file.
    at_line_start: bool,
}

impl Blocks {
    fn flush(&mut self) {
        let mut block = std::mem::take(&mut self.current);
        block.heading = self.heading;
        block.template = !self.template.is_empty();
        let text = block.collapsed();
        if block.origin.is_some() && !text.is_empty() {
            self.in_document |= SYMBOL_BLOCK.is_match(&text);
            block.annex = self.in_document
                && !block.template
                && !block.is_links_only()
                && ANNEX.is_match(&text)
                && text.split(' ').count() <= 10;
            self.annex |= block.annex;
            self.blocks.push(block);
        }
        self.at_line_start = false;
    }

    /// Adds text at file line `line`, cutting the block where a new line of the file starts a
    /// numbered paragraph or an item.
    fn text(&mut self, text: &str, line: usize) {
        if let Some(link) = self.link.as_mut().filter(|l| l.footnote.is_some()) {
            link.text.push_str(text);
            return;
        }
        if let Some(sup) = self.sup.as_mut() {
            sup.push_str(text);
            return;
        }
        let starts_paragraph = self.at_line_start
            && self.heading.is_none()
            && self.current.has_text()
            && NEW_PARAGRAPH.is_match(text);
        if starts_paragraph {
            self.flush();
        }
        if !text.trim().is_empty() {
            let origin = self.current.origin.get_or_insert((line, line));
            origin.1 = line;
            if self.link.is_some() {
                self.current.link_chars += text.chars().filter(|c| c.is_alphanumeric()).count();
            }
        }
        self.current.text.push_str(text);
    }

    fn start_tag(&mut self, tag: &Tag) -> TokenSinkResult<()> {
        let name: &str = &tag.name;
        if IGNORED_ELEMENTS.contains(&name) {
            if !tag.self_closing {
                self.ignored.push(name.to_string());
            }
            return match name {
                "script" => TokenSinkResult::RawData(RawKind::ScriptData),
                "style" | "noscript" | "template" => TokenSinkResult::RawData(RawKind::Rawtext),
                "title" => TokenSinkResult::RawData(RawKind::Rcdata),
                _ => TokenSinkResult::Continue,
            };
        }
        let leaves_head = self.ignored.last().is_some_and(|n| n == "head")
            && (BLOCK_ELEMENTS.contains(&name) || TEMPLATE_ELEMENTS.contains(&name));
        if leaves_head {
            self.ignored.clear();
        }
        if !self.ignored.is_empty() {
            return TokenSinkResult::Continue;
        }
        if TEMPLATE_ELEMENTS.contains(&name) {
            self.flush();
            self.template.push(name.to_string());
            return TokenSinkResult::Continue;
        }
        match name {
            "a" => {
                let href = attribute(tag, "href").unwrap_or_default();
                let footnote = FOOTNOTE_HREF.captures(&href).and_then(|c| {
                    let number = c[2].parse().ok()?;
                    Some((c.get(1).is_some(), number))
                });
                self.link = Some(Link {
                    footnote,
                    text: String::new(),
                });
            }
            "sup" => self.sup = Some(String::new()),
            "td" | "th" if self.annex && self.current.has_text() => {
                self.current.text.push_str(" | ");
            }
            "td" | "th" if self.annex => {}
            _ if BLOCK_ELEMENTS.contains(&name) => {
                self.flush();
                self.heading = heading_level(name);
            }
            _ => {}
        }
        TokenSinkResult::Continue
    }

    fn end_tag(&mut self, tag: &Tag) {
        let name: &str = &tag.name;
        if IGNORED_ELEMENTS.contains(&name) {
            if let Some(i) = self.ignored.iter().rposition(|n| n == name) {
                self.ignored.truncate(i);
            }
            return;
        }
        if !self.ignored.is_empty() {
            return;
        }
        if TEMPLATE_ELEMENTS.contains(&name) {
            self.flush();
            if let Some(i) = self.template.iter().rposition(|n| n == name) {
                self.template.truncate(i);
            }
            return;
        }
        match name {
            "a" => self.end_link(),
            "sup" => {
                if let Some(sup) = self.sup.take()
                    && !SUP_MARKER.is_match(&sup)
                {
                    self.current.text.push_str(&sup);
                }
            }
            "td" | "th" if self.annex => {}
            _ if BLOCK_ELEMENTS.contains(&name) => {
                self.flush();
                if heading_level(name).is_some() {
                    self.heading = None;
                }
            }
            _ => {}
        }
    }

    /// A footnote anchor leaves no text: a marker in the text is dropped, and the note's link
    /// back makes its block footnote N.
    fn end_link(&mut self) {
        let Some(link) = self.link.take() else {
            return;
        };
        if let Some((true, number)) = link.footnote
            && !self.current.has_text()
        {
            self.current.footnote = Some(number);
        }
    }
}

fn heading_level(name: &str) -> Option<usize> {
    let level = name.strip_prefix('h')?.parse().ok()?;
    (1..=6).contains(&level).then_some(level)
}

fn attribute(tag: &Tag, name: &str) -> Option<String> {
    tag.attrs
        .iter()
        .find(|a| &*a.name.local == name)
        .map(|a| a.value.to_string())
}

/// The tokenizer calls the sink through `&self`.
struct Sink(RefCell<Blocks>);

impl TokenSink for Sink {
    type Handle = ();

    fn process_token(&self, token: Token, line_number: u64) -> TokenSinkResult<()> {
        let mut blocks = self.0.borrow_mut();
        let line = usize::try_from(line_number).unwrap_or(usize::MAX);
        match token {
            Token::TagToken(tag) => match tag.kind {
                TagKind::StartTag => return blocks.start_tag(&tag),
                TagKind::EndTag => blocks.end_tag(&tag),
            },
            Token::CharacterTokens(text) if blocks.ignored.is_empty() => {
                // `line_number` is the line the tokenizer is on after the run of text, whose
                // line breaks are counted back from it.
                let pieces: Vec<&str> = text.split('\n').collect();
                let last = pieces.len() - 1;
                for (k, piece) in pieces.into_iter().enumerate() {
                    if k > 0 {
                        blocks.at_line_start = true;
                        blocks.current.text.push(' ');
                    }
                    if !piece.is_empty() {
                        blocks.text(piece, line.saturating_sub(last - k).max(1));
                    }
                    if !piece.trim().is_empty() {
                        blocks.at_line_start = false;
                    }
                }
            }
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

/// The blocks of a page, in order.
fn blocks(html: &str) -> Vec<Block> {
    let tokenizer = Tokenizer::new(Sink(RefCell::default()), TokenizerOpts::default());
    let queue = BufferQueue::default();
    queue.push_back(StrTendril::from_slice(html));
    while let TokenizerResult::Script(()) = tokenizer.feed(&queue) {}
    tokenizer.end();
    let mut blocks = tokenizer.sink.0.take();
    blocks.flush();
    blocks.blocks
}

/// HTML to lines of text: the document's own content, one line a block (paragraph, table
/// cell, list item, heading), with blank lines between; the site template dropped and listed.
pub fn clean_html(html: &str) -> Cleaned {
    let last_line = html.lines().count().max(1);
    let mut blocks = blocks(html);
    for block in &mut blocks {
        if let Some(origin) = block.origin.as_mut() {
            *origin = (origin.0.min(last_line), origin.1.min(last_line));
        }
    }
    let start = blocks
        .iter()
        .position(|b| SYMBOL_BLOCK.is_match(&b.collapsed()))
        .unwrap_or(0);
    let end = blocks
        .iter()
        .rposition(|b| !b.template && !is_footer(b) && !b.is_links_only())
        .map_or(0, |i| i + 1)
        .max(start);
    let mut cleaned = Cleaned::default();
    for (i, block) in blocks.iter().enumerate() {
        let text = block.collapsed();
        let origin = block.origin.unwrap_or((1, 1));
        let why = if i < start {
            Some(WHY_BEFORE)
        } else if i >= end {
            Some(if block.is_links_only() && !block.template {
                WHY_MENU
            } else {
                WHY_TEMPLATE
            })
        } else if block.template {
            Some(WHY_TEMPLATE)
        } else {
            None
        };
        if let Some(why) = why {
            cleaned.dropped.push(DroppedLine {
                line: origin.0,
                text,
                why,
            });
            continue;
        }
        if !cleaned.lines.is_empty() {
            cleaned.lines.push(CleanLine {
                text: String::new(),
                origin,
            });
        }
        cleaned.lines.push(CleanLine {
            text: body_line(block, text),
            origin,
        });
    }
    cleaned
}

/// The footer's copyright or "Updated" line (dropped after the document's last block only:
/// inside the document, a paragraph may speak of copyright).
fn is_footer(block: &Block) -> bool {
    let text = block.collapsed();
    FOOTER_LINE.is_match(&text) && text.split(' ').count() <= 24
}

/// The body line of a kept block: a heading as a `#` line, a footnote as `¹ text`.
fn body_line(block: &Block, text: String) -> String {
    if let Some(number) = block.footnote {
        return format!("{} {text}", superscript(number));
    }
    if let Some(level) = block.heading {
        return format!("{} {text}", "#".repeat(level));
    }
    if block.annex {
        return format!("# {text}");
    }
    text
}

/// A number in superscript digits: 12 → `¹²`.
pub(super) fn superscript(number: u32) -> String {
    const DIGITS: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];
    number
        .to_string()
        .chars()
        .filter_map(|d| d.to_digit(10).map(|d| DIGITS[d as usize]))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::texts;

    #[test]
    fn html_blocks_become_lines_with_their_origin() {
        let html = "<html><head><title>T</title><script>var x = '<p>';</script></head>\n<body><nav>Home | About</nav>\n<table><tr><td>1.</td>\n<td>We, the people of the harbour<sup>1</sup>,\nagree &amp; decide.</td></tr></table>\n<!-- note -->\n<p>A. Shared aims</p></body></html>";
        let cleaned = clean_html(html);
        assert_eq!(
            texts(&cleaned.lines),
            [
                "1.@3-3",
                "@4-5",
                "We, the people of the harbour, agree & decide.@4-5",
                "@7-7",
                "A. Shared aims@7-7"
            ]
        );
        assert_eq!(
            cleaned.dropped,
            [DroppedLine {
                line: 2,
                text: "Home | About".into(),
                why: WHY_TEMPLATE
            }]
        );
    }

    #[test]
    fn a_file_cut_off_inside_a_tag_keeps_its_text() {
        // Found by cargo-fuzz: a file ending in `<` sliced out of bounds. The HTML standard
        // reads a `<` that starts no tag as text.
        assert_eq!(
            texts(&clean_html("<p>Lamps lit.</p>\n<").lines),
            ["Lamps lit.@1-1", "@2-2", "<@2-2"]
        );
        assert_eq!(
            texts(&clean_html("<p>Lamps lit.</p><td").lines),
            ["Lamps lit.@1-1"]
        );
    }

    #[test]
    fn ampersands_that_start_no_entity_stay_text() {
        // The old scanner looked for `;` after every `&`: quadratic, 30 s for 1 MB.
        let html = format!(
            "<p>{} &copy; &amp;c &notanentity; &#233;</p>",
            "&".repeat(1 << 16)
        );
        let cleaned = clean_html(&html);
        assert_eq!(
            cleaned.lines[0].text,
            format!("{} © &c ¬anentity; é", "&".repeat(1 << 16))
        );
    }

    /// The body lines that are not blank.
    fn kept(cleaned: &Cleaned) -> Vec<&str> {
        cleaned
            .lines
            .iter()
            .map(|l| l.text.as_str())
            .filter(|t| !t.is_empty())
            .collect()
    }

    #[test]
    fn inside_the_document_only_template_elements_are_dropped() {
        let html = "<p>Document HA-01/SAMPLE/DOC/1-E</p>\n<p>1.</p>\n<p>Copyright in the harbour logs stays with the keepers.</p>\n<nav><a href=/>Home</a></nav>\n<p>2.</p>\n<p><a href=\"#_ftn1\">[1]</a>Lamps are lit.</p>\n<p><a href=\"#_ftnref1\">[1]</a> <a href=\"http://example.org/lamps\">http://example.org/lamps</a></p>\n<p><a href=/top>Top</a></p>\n<footer>Sample Union</footer>";
        let cleaned = clean_html(html);
        assert_eq!(
            kept(&cleaned),
            [
                "Document HA-01/SAMPLE/DOC/1-E",
                "1.",
                "Copyright in the harbour logs stays with the keepers.",
                "2.",
                "Lamps are lit.",
                "¹ http://example.org/lamps"
            ]
        );
        let dropped: Vec<(usize, &str, &str)> = cleaned
            .dropped
            .iter()
            .map(|d| (d.line, d.text.as_str(), d.why))
            .collect();
        assert_eq!(
            dropped,
            [
                (4, "Home", WHY_TEMPLATE),
                (8, "Top", WHY_MENU),
                (9, "Sample Union", WHY_TEMPLATE)
            ]
        );
    }

    #[test]
    fn an_annex_link_in_the_menu_does_not_make_an_annex() {
        let html = "<nav><a href=/annex>Annex</a></nav><p><a href=/annex>Annex</a></p>\n<p>Document HA-01/SAMPLE/DOC/1-E</p>\n<table><tr><td>1.</td><td>Lamps are lit.</td></tr></table>\n<p>Annex</p>\n<table><tr><td>Pier</td><td>Keeper</td></tr></table>";
        assert_eq!(
            kept(&clean_html(html)),
            [
                "Document HA-01/SAMPLE/DOC/1-E",
                "1.",
                "Lamps are lit.",
                "# Annex",
                "Pier | Keeper"
            ]
        );
    }

    #[test]
    fn a_long_block_of_entities_is_read_in_one_pass() {
        let html = format!("<p>{}</p>", "&amp; ".repeat(50_000));
        assert_eq!(clean_html(&html).lines[0].text.len(), 50_000 * 2 - 1);
    }

    #[test]
    fn superscripts() {
        assert_eq!(superscript(1), "¹");
        assert_eq!(superscript(120), "¹²⁰");
    }
}

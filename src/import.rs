//! Importing an official file into the corpus: ITU's HTML pages, or plain text such as
//! `pdftotext -layout` gives for a UN PDF. The file is cleaned (markup, navigation, page
//! numbers, running heads with the document symbol, job numbers, footnote markers; words
//! hyphenated at line ends joined) and written as a corpus document: the manifest's header for
//! the document, the file's name and SHA-256, a map from each body line to the lines of the
//! original file it came from, then the cleaned body. The body is the records' provenance;
//! the map takes a paragraph back to the published file. Importing the same file twice writes
//! the same document; a document is written to a temporary file and renamed into place.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::corpus::DocMeta;
use crate::error::{Error, Result};

/// One line of cleaned text and the lines of the original file it comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CleanLine {
    /// The text.
    pub text: String,
    /// First and last line (1-based) of the original file.
    pub origin: (usize, usize),
}

/// What an import wrote.
#[derive(Debug, Clone)]
pub struct Imported {
    /// The corpus document written.
    pub path: PathBuf,
    /// Body lines.
    pub lines: usize,
    /// SHA-256 of the original file, hex.
    pub sha256: String,
}

/// Imports `file` as document `doc` (which the manifest lists) into `corpus_dir`.
pub fn import(file: &Path, doc: &str, corpus_dir: &Path) -> Result<Imported> {
    import_as(file, doc, corpus_dir, None)
}

/// The published file an import names as its source, when it is not the file read (a
/// download converted by pdftotext): its name and the SHA-256 of its bytes.
#[derive(Debug, Clone)]
pub struct Published {
    /// The file's name as published (the last part of its address).
    pub name: String,
    /// SHA-256 of the published bytes, hex.
    pub sha256: String,
}

/// [`import`], naming `published` as the source instead of `file`.
pub fn import_as(
    file: &Path,
    doc: &str,
    corpus_dir: &Path,
    published: Option<Published>,
) -> Result<Imported> {
    let bytes = std::fs::read(file).map_err(Error::io(file))?;
    let text = String::from_utf8(bytes.clone()).map_err(|e| Error::CorpusFormat {
        path: file.to_path_buf(),
        line: e.as_bytes()[..e.utf8_error().valid_up_to()]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1,
        msg: "not UTF-8; convert the file to UTF-8 (pdftotext -enc UTF-8)".into(),
    })?;
    let meta = &crate::corpus::manifest_entry(corpus_dir, doc)?;
    let is_html = is_html(file, &text);
    let lines = if is_html {
        clean_html(&text)
    } else {
        clean_text(&text, &meta.symbol)
    };
    if lines.iter().all(|l| l.text.trim().is_empty()) {
        return Err(Error::CorpusFormat {
            path: file.to_path_buf(),
            line: 1,
            msg: "no text left after cleaning".into(),
        });
    }
    let Published { name, sha256 } = published.unwrap_or_else(|| Published {
        name: file
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
        sha256: sha256_hex(&bytes),
    });
    let document = corpus_document(meta, &name, &sha256, &lines);
    let path = corpus_dir.join(format!("{doc}.txt"));
    let tmp = corpus_dir.join(format!(".{doc}.txt.tmp"));
    std::fs::write(&tmp, &document).map_err(Error::io(&tmp))?;
    std::fs::rename(&tmp, &path).map_err(Error::io(&path))?;
    Ok(Imported {
        path,
        lines: lines.len(),
        sha256,
    })
}

fn is_html(file: &Path, text: &str) -> bool {
    let ext = file
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    ext == "html"
        || ext == "htm"
        || text
            .trim_start()
            .to_lowercase()
            .starts_with("<!doctype html")
        || text.trim_start().starts_with("<html")
}

/// The SHA-256 of `bytes`, hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// The corpus document: the manifest's header, the source file, its checksum and the
/// origin map, `---`, the body.
pub fn corpus_document(meta: &DocMeta, source: &str, sha256: &str, lines: &[CleanLine]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Imported by `wsis import` from {source}; the body is the cleaned text of that file."
    );
    let _ = writeln!(
        out,
        "# origin-lines maps body lines to lines of the original file (body-range@original-range)."
    );
    let fields = [
        ("id", meta.id.as_str()),
        ("title", meta.title.as_str()),
        ("short", meta.short.as_str()),
        ("symbol", meta.symbol.as_str()),
        ("date", meta.date.as_str()),
        ("kind", meta.kind.as_str()),
        ("publisher", meta.publisher.as_str()),
        ("source-url", meta.source_url.as_str()),
        ("source-file", source),
        ("source-sha256", sha256),
    ];
    for (key, value) in fields {
        let _ = writeln!(out, "{key}: {value}");
    }
    let _ = writeln!(out, "aliases: {}", meta.aliases.join(" | "));
    let _ = writeln!(
        out,
        "variant: {}",
        if meta.variant { "digital" } else { "none" }
    );
    let _ = writeln!(out, "origin-lines: {}", origin_map(lines));
    out.push_str("---\n");
    for line in lines {
        out.push_str(&line.text);
        out.push('\n');
    }
    out
}

/// Run-length map of body lines to original lines: `1-40@12-51, 41@53-54`.
fn origin_map(lines: &[CleanLine]) -> String {
    let mut runs: Vec<(usize, usize, usize, usize)> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let body = i + 1;
        let (a, b) = line.origin;
        match runs.last_mut() {
            // A run maps body lines one to one onto consecutive original lines.
            Some((b1, b_end, o1, o_end))
                if a == b
                    && *b_end + 1 == body
                    && *o_end + 1 == a
                    && *o_end - *o1 == *b_end - *b1 =>
            {
                *b_end = body;
                *o_end = a;
            }
            _ => runs.push((body, body, a, b)),
        }
    }
    let range = |x: usize, y: usize| {
        if x == y {
            x.to_string()
        } else {
            format!("{x}-{y}")
        }
    };
    runs.iter()
        .map(|(b1, b2, o1, o2)| format!("{}@{}", range(*b1, *b2), range(*o1, *o2)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Parses an origin map back: the original lines of each body line (1-based), by body line.
pub fn parse_origin_map(map: &str) -> Option<Vec<(usize, usize)>> {
    let mut out = Vec::new();
    for run in map.split(',').map(str::trim).filter(|r| !r.is_empty()) {
        let (body, origin) = run.split_once('@')?;
        let pair = |s: &str| -> Option<(usize, usize)> {
            let (a, b) = s.split_once('-').unwrap_or((s, s));
            Some((a.trim().parse().ok()?, b.trim().parse().ok()?))
        };
        let ((b1, b2), (o1, o2)) = (pair(body)?, pair(origin)?);
        if b1 != out.len() + 1 || b2 < b1 {
            return None;
        }
        if b1 == b2 {
            out.push((o1, o2));
        } else {
            out.extend((0..=b2 - b1).map(|k| (o1 + k, o1 + k)));
        }
    }
    Some(out)
}

const SKIPPED_ELEMENTS: [&str; 8] = [
    "script", "style", "head", "nav", "header", "footer", "noscript", "form",
];
const BLOCK_ELEMENTS: [&str; 24] = [
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
];

/// HTML to lines of text: markup, scripts, navigation and footnote markers (`<sup>1</sup>`)
/// removed, entities decoded, white space collapsed, one line per block (paragraph, table
/// cell, list item, heading).
pub fn clean_html(html: &str) -> Vec<CleanLine> {
    let mut lines: Vec<CleanLine> = Vec::new();
    let mut current = String::new();
    let mut origin: Option<(usize, usize)> = None;
    let mut line_no = 1;
    let mut skip_depth: Vec<String> = Vec::new();
    let mut in_sup = false;
    let mut sup_text = String::new();
    let mut rest = html;
    let flush =
        |current: &mut String, origin: &mut Option<(usize, usize)>, lines: &mut Vec<CleanLine>| {
            let text = current.split_whitespace().collect::<Vec<_>>().join(" ");
            if let Some(o) = origin.take()
                && !text.is_empty()
            {
                lines.push(CleanLine { text, origin: o });
            }
            current.clear();
        };
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("<!--") {
            let end = after.find("-->").map_or(after.len(), |i| i + 3);
            line_no += after[..end].matches('\n').count();
            rest = &after[end..];
            continue;
        }
        if rest.starts_with('<') {
            // A tag the file ends in before its `>` (a cut-off download) runs to the end.
            let (tag, end) = match rest.find('>') {
                Some(i) => (&rest[1..i], i + 1),
                None => (&rest[1..], rest.len()),
            };
            line_no += tag.matches('\n').count();
            rest = &rest[end..];
            let closing = tag.starts_with('/');
            let name: String = tag
                .trim_start_matches('/')
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect::<String>()
                .to_lowercase();
            if SKIPPED_ELEMENTS.contains(&name.as_str()) {
                if closing {
                    if skip_depth.last() == Some(&name) {
                        skip_depth.pop();
                    }
                } else if !tag.ends_with('/') {
                    skip_depth.push(name);
                }
                continue;
            }
            if !skip_depth.is_empty() {
                continue;
            }
            if name == "sup" {
                if closing {
                    in_sup = false;
                    let marker = sup_text
                        .trim()
                        .chars()
                        .all(|c| c.is_ascii_digit() || c == '*');
                    if !marker {
                        current.push_str(&sup_text);
                    }
                    sup_text.clear();
                } else {
                    in_sup = true;
                }
                continue;
            }
            if BLOCK_ELEMENTS.contains(&name.as_str()) {
                flush(&mut current, &mut origin, &mut lines);
            }
            continue;
        }
        let next = rest.find('<').unwrap_or(rest.len());
        let chunk = &rest[..next];
        if skip_depth.is_empty() {
            let decoded = decode_entities(chunk);
            let leading_lines = chunk[..chunk.len() - chunk.trim_start().len()]
                .matches('\n')
                .count();
            if !decoded.trim().is_empty() {
                let start = line_no + leading_lines;
                let end = line_no + chunk.trim_end().matches('\n').count();
                origin = Some(origin.map_or((start, end), |(a, _)| (a, end)));
            }
            if in_sup {
                sup_text.push_str(&decoded);
            } else {
                current.push_str(&decoded);
            }
        }
        line_no += chunk.matches('\n').count();
        rest = &rest[next..];
    }
    flush(&mut current, &mut origin, &mut lines);
    blank_lines_between(lines)
}

/// Puts a blank line between the lines of a block list, as the splitter reads paragraphs.
fn blank_lines_between(lines: Vec<CleanLine>) -> Vec<CleanLine> {
    let mut out = Vec::with_capacity(lines.len() * 2);
    for line in lines {
        if !out.is_empty() {
            out.push(CleanLine {
                text: String::new(),
                origin: line.origin,
            });
        }
        out.push(line);
    }
    out
}

fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest.find(';').filter(|&e| e <= 10);
        let decoded = end.and_then(|e| {
            let name = &rest[1..e];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" | "#39" => Some('\''),
                "nbsp" => Some(' '),
                "ndash" => Some('–'),
                "mdash" => Some('—'),
                "lsquo" => Some('‘'),
                "rsquo" => Some('’'),
                "ldquo" => Some('“'),
                "rdquo" => Some('”'),
                _ => name
                    .strip_prefix("#x")
                    .or_else(|| name.strip_prefix("#X"))
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                    .and_then(char::from_u32),
            };
            c.map(|c| (c, e + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Plain text (as `pdftotext -layout` gives) to lines: page breaks, page numbers, running
/// heads holding the document symbol, job numbers and bar codes dropped; leading layout
/// spaces removed; a word hyphenated at a line end joined with its end on the next line;
/// runs of blank lines made one.
pub fn clean_text(text: &str, symbol: &str) -> Vec<CleanLine> {
    let known: std::collections::HashSet<&str> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let mut out: Vec<CleanLine> = Vec::new();
    let raw: Vec<(usize, &str)> = text.lines().enumerate().map(|(i, l)| (i + 1, l)).collect();
    let mut i = 0;
    while i < raw.len() {
        let (number, line) = raw[i];
        i += 1;
        let line = line.replace('\u{c}', "");
        let trimmed = line.trim();
        if is_page_furniture(trimmed, symbol) {
            continue;
        }
        if trimmed.is_empty() {
            if out.last().is_some_and(|l| !l.text.is_empty()) {
                out.push(CleanLine {
                    text: String::new(),
                    origin: (number, number),
                });
            }
            continue;
        }
        let mut joined = trimmed.to_string();
        let mut end = number;
        while joined.ends_with('-')
            && joined[..joined.len() - 1].ends_with(|c: char| c.is_alphabetic())
        {
            let Some(next) = raw[i..]
                .iter()
                .position(|(_, l)| !is_page_furniture(l.trim(), symbol) && !l.trim().is_empty())
                .map(|k| i + k)
            else {
                break;
            };
            let (next_number, next_line) = raw[next];
            let next_trimmed = next_line.trim();
            if !next_trimmed.starts_with(|c: char| c.is_lowercase()) {
                break;
            }
            let (word, remainder) = next_trimmed
                .split_once(char::is_whitespace)
                .unwrap_or((next_trimmed, ""));
            // "de-" + "velop" is one word when "develop" occurs elsewhere in the file;
            // "multi-" + "stakeholder" keeps its hyphen when "multistakeholder" does not.
            let stem_start = joined
                .trim_end_matches('-')
                .char_indices()
                .rev()
                .find(|(_, c)| !c.is_alphanumeric())
                .map_or(0, |(i, c)| i + c.len_utf8());
            let head = joined[stem_start..joined.len() - 1].to_string();
            let word_only: String = word.chars().take_while(|c| c.is_alphanumeric()).collect();
            if known.contains(format!("{head}{word_only}").as_str()) {
                joined.pop();
            }
            joined.push_str(word);
            if !remainder.trim().is_empty() {
                out.push(CleanLine {
                    text: joined,
                    origin: (number, next_number),
                });
                joined = remainder.trim().to_string();
                end = next_number;
                i = next + 1;
                out.push(CleanLine {
                    text: joined.clone(),
                    origin: (next_number, next_number),
                });
                joined.clear();
                break;
            }
            end = next_number;
            i = next + 1;
        }
        if !joined.is_empty() {
            out.push(CleanLine {
                text: joined,
                origin: (number, end),
            });
        }
    }
    while out.last().is_some_and(|l| l.text.is_empty()) {
        out.pop();
    }
    out
}

/// Page numbers ("3", "- 3 -", "Page 3 of 12"), running heads (a short line holding the
/// symbol), job numbers ("15-22434 (E)") and bar codes ("*1522434*").
fn is_page_furniture(line: &str, symbol: &str) -> bool {
    let page_number = !line.is_empty()
        && line
            .trim_matches(|c: char| c == '-' || c.is_whitespace())
            .chars()
            .all(|c| c.is_ascii_digit())
        && !line.trim_matches('-').trim().is_empty();
    let page_of = line.starts_with("Page ")
        && line
            .split_whitespace()
            .nth(1)
            .is_some_and(|w| w.chars().all(|c| c.is_ascii_digit()));
    let running_head =
        !symbol.is_empty() && line.contains(symbol) && line.len() <= symbol.len() + 40;
    let job = line.len() <= 30
        && line.contains("(E)")
        && line.starts_with(|c: char| c.is_ascii_digit())
        && line.contains('-');
    let barcode = line.starts_with('*')
        && line.ends_with('*')
        && line.len() > 2
        && line[1..line.len() - 1].chars().all(|c| c.is_ascii_digit());
    page_number || page_of || running_head || job || barcode
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(lines: &[CleanLine]) -> Vec<String> {
        lines
            .iter()
            .map(|l| format!("{}@{}-{}", l.text, l.origin.0, l.origin.1))
            .collect()
    }

    #[test]
    fn html_blocks_become_lines_with_their_origin() {
        let html = "<html><head><title>T</title><script>var x = '<p>';</script></head>\n<body><nav>Home | About</nav>\n<table><tr><td>1.</td>\n<td>We, the people of the harbour<sup>1</sup>,\nagree &amp; decide.</td></tr></table>\n<!-- note -->\n<p>A. Shared aims</p></body></html>";
        assert_eq!(
            texts(&clean_html(html)),
            [
                "1.@3-3",
                "@4-5",
                "We, the people of the harbour, agree & decide.@4-5",
                "@7-7",
                "A. Shared aims@7-7"
            ]
        );
    }

    #[test]
    fn a_file_cut_off_inside_a_tag_keeps_its_text() {
        // Found by cargo-fuzz: a file ending in `<` sliced out of bounds.
        assert_eq!(
            texts(&clean_html("<p>Lamps lit.</p>\n<")),
            ["Lamps lit.@1-1"]
        );
        assert_eq!(
            texts(&clean_html("<p>Lamps lit.</p><td")),
            ["Lamps lit.@1-1"]
        );
    }

    #[test]
    fn a_hyphen_after_a_curly_apostrophe_joins_its_word() {
        // Found by cargo-fuzz: the word before the hyphen was cut inside the `’`.
        let text = "1.\nThe people’multi-\nstakeholder council.\n";
        assert_eq!(
            texts(&clean_text(text, "A/RES/99/1"))[1],
            "The people’multi-stakeholder@2-3"
        );
    }

    #[test]
    fn page_furniture_goes_and_hyphenated_words_join() {
        let text = "A/RES/99/1\n\n1.\nThe harbour council agrees to de-\nvelop the lamps and to keep\n\n\u{c}3\n15-12345 (E)\n*1512345*\nthe piers open, to develop a multi-\nstakeholder council.\n";
        assert_eq!(
            texts(&clean_text(text, "A/RES/99/1")),
            [
                "1.@3-3",
                "The harbour council agrees to develop@4-5",
                "the lamps and to keep@5-5",
                "@6-6",
                "the piers open, to develop a multi-stakeholder@10-11",
                "council.@11-11"
            ]
        );
    }

    #[test]
    fn origin_maps_round_trip() {
        let lines: Vec<CleanLine> = [(3, 3), (4, 4), (5, 5), (7, 8), (9, 9)]
            .iter()
            .map(|&o| CleanLine {
                text: "x".into(),
                origin: o,
            })
            .collect();
        let map = origin_map(&lines);
        assert_eq!(map, "1-3@3-5, 4@7-8, 5@9");
        assert_eq!(
            parse_origin_map(&map).unwrap(),
            [(3, 3), (4, 4), (5, 5), (7, 8), (9, 9)]
        );
    }
}

//! Importing an official file into the corpus: ITU's HTML pages, or plain text such as
//! `pdftotext -layout` gives for a UN PDF. The file is cleaned (markup, navigation, page
//! numbers, running heads with the document symbol, job numbers, footnote markers; words
//! hyphenated at line ends joined) and written as a corpus document: the manifest's header for
//! the document, the file's name and SHA-256, a map from each body line to the lines of the
//! original file it came from, then the cleaned body. The body is the records' provenance;
//! the map takes a paragraph back to the published file. Importing the same file twice writes
//! the same document; a document is written to a temporary file and renamed into place.

mod html;
mod pdf;

pub use html::clean_html;
pub use pdf::clean_text;

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

/// A line of the original file that a cleaner left out of the body, and why (for
/// `wsis import --dry-run`, so a user can check an import of a file nobody has seen).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DroppedLine {
    /// The line in the original file (1-based).
    pub line: usize,
    /// Its text.
    pub text: String,
    /// What it was taken for: `page number`, `running head`, `site template`, ….
    pub why: &'static str,
}

/// What a cleaner gives: the body lines, and the lines of the original it dropped.
///
/// Footnotes are written into the body as lines of their own that open with the footnote's
/// number in superscript digits and a space (`¹ See …`), each after a blank line: the
/// official splitter makes a `fnN` record of such a line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cleaned {
    /// The body, one cleaned line each.
    pub lines: Vec<CleanLine>,
    /// The lines dropped as template or page furniture, in file order.
    pub dropped: Vec<DroppedLine>,
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
    let Cleaned { lines, .. } = if is_html {
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

/// Each line as `text@first-last`, for the cleaners' tests.
#[cfg(test)]
fn texts(lines: &[CleanLine]) -> Vec<String> {
    lines
        .iter()
        .map(|l| format!("{}@{}-{}", l.text, l.origin.0, l.origin.1))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

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

//! Importing an official file into the corpus: ITU's HTML pages, or plain text such as
//! `pdftotext -layout` gives for a UN PDF. The file is cleaned (markup, navigation, page
//! numbers, running heads with the document symbol, job numbers, footnote markers; words
//! hyphenated at line ends joined) and written as a corpus document: the manifest's header for
//! the document, the file's name and SHA-256, a map from each body line to the lines of the
//! original file it came from, then the cleaned body. The body is the records' provenance;
//! the map takes a paragraph back to the published file. Importing the same file twice writes
//! the same document; a document is written to a new temporary file and renamed into place.
//! An HTML page is decoded by its declared charset (`decode`); control and bidirectional
//! formatting characters are removed with a warning naming the line; what an import would
//! write is summed up (`summary`) for `--dry-run` and for the checks of `wsis fetch`.

mod decode;
pub mod fetch;
mod html;
mod pdf;
mod summary;

pub use decode::{Decoded, charset_of_content_type, decode_html};
pub use html::clean_html;
pub use pdf::clean_text;
pub use summary::{Summary, catalog, catalog_entry, summarize};

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::corpus::{DocMeta, Header, OriginMap};
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

/// The published file an import names as its source, when it is not the file read (a
/// download converted by pdftotext): its name and the SHA-256 of its bytes.
#[derive(Debug, Clone)]
pub struct Published {
    /// The file's name as published (the last part of its address).
    pub name: String,
    /// SHA-256 of the published bytes, hex.
    pub sha256: String,
}

/// How a file to import is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// An HTML page (ITU's), decoded by its declared charset.
    Html,
    /// Plain UTF-8 text, as `pdftotext -layout -enc UTF-8` prints a PDF.
    Text,
}

impl Format {
    /// HTML for a `.html`/`.htm` name or bytes that open with `<!doctype html` or `<html`;
    /// text otherwise.
    pub fn sniff(name: &str, bytes: &[u8]) -> Format {
        let lower = name.to_lowercase();
        let head = String::from_utf8_lossy(&bytes[..bytes.len().min(512)]).to_lowercase();
        let head = head.trim_start_matches('\u{feff}').trim_start();
        let is_html = lower.ends_with(".html")
            || lower.ends_with(".htm")
            || head.starts_with("<!doctype html")
            || head.starts_with("<html");
        if is_html { Format::Html } else { Format::Text }
    }
}

/// A file to import: its bytes and what is known of them.
#[derive(Debug, Clone)]
pub struct Source<'a> {
    /// The bytes read (for a PDF, the text pdftotext made of it).
    pub bytes: &'a [u8],
    /// Where they come from, for messages: a path or an address.
    pub location: String,
    /// The published file the corpus document names as its source.
    pub published: Published,
    /// How to read the bytes.
    pub format: Format,
    /// The charset the HTTP header declared, for a download.
    pub charset: Option<&'a str>,
}

/// What an import would write: the corpus document, what cleaning left out and what the
/// split of the document finds.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// The manifest id.
    pub doc: String,
    /// The corpus document's text.
    pub document: String,
    /// The cleaned lines and the dropped ones.
    pub cleaned: Cleaned,
    /// Paragraphs, labels, numbering gaps, headings and footnotes of the document.
    pub summary: Summary,
    /// How an HTML page was decoded: "windows-1252 (declared by the <meta> tag)".
    pub encoding: Option<String>,
    /// Things changed on the way that a user should know of (control characters removed).
    pub warnings: Vec<String>,
}

impl Prepared {
    /// What the import would write, for `wsis import --dry-run`: paragraph count, first and
    /// last labels, numbering gaps, headings, footnotes, and each dropped line with its line
    /// number and why.
    pub fn report(&self) -> String {
        let s = &self.summary;
        let mut out = String::new();
        let _ = writeln!(
            out,
            "would write {}.txt: {} body lines, {} records",
            self.doc,
            self.cleaned.lines.len(),
            s.records
        );
        if let Some(encoding) = &self.encoding {
            let _ = writeln!(out, "encoding: {encoding}");
        }
        let _ = writeln!(
            out,
            "paragraphs: {} numbered; first label {}, last label {}",
            s.paragraphs,
            s.first.as_deref().unwrap_or("none"),
            s.last.as_deref().unwrap_or("none")
        );
        if s.gaps.is_empty() {
            let _ = writeln!(out, "numbering: no gaps or repeats");
        } else {
            let _ = writeln!(out, "numbering: {}", s.gaps.join("; "));
        }
        let _ = writeln!(out, "headings: {}", s.headings.len());
        for heading in &s.headings {
            let _ = writeln!(out, "  {heading}");
        }
        let _ = writeln!(out, "footnotes: {}", s.footnotes);
        let _ = writeln!(out, "dropped lines: {}", self.cleaned.dropped.len());
        for d in &self.cleaned.dropped {
            let _ = writeln!(out, "  line {} ({}): {}", d.line, d.why, d.text);
        }
        for warning in &self.warnings {
            let _ = writeln!(out, "warning: {warning}");
        }
        out
    }
}

/// What writing a prepared document did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Written {
    /// The document was written.
    Imported {
        /// The corpus file.
        path: PathBuf,
    },
    /// The corpus already held exactly this document.
    Unchanged {
        /// The corpus file.
        path: PathBuf,
    },
}

/// Cleans `source` as document `meta` and builds the corpus document, without writing.
pub fn prepare(source: &Source, meta: &DocMeta) -> Result<Prepared> {
    let (text, encoding) = match source.format {
        Format::Html => {
            let decoded = decode_html(source.bytes, source.charset);
            let encoding = format!(
                "{} (declared by the {}){}",
                decoded.encoding,
                decoded.declared_by,
                if decoded.replaced {
                    "; some bytes were not valid in it and became \u{fffd}"
                } else {
                    ""
                }
            );
            (decoded.text, Some(encoding))
        }
        Format::Text => (utf8_text(source)?, None),
    };
    let mut cleaned = match source.format {
        Format::Html => clean_html(&text),
        Format::Text => clean_text(&text, &meta.symbol),
    };
    let warnings = strip_controls(&mut cleaned.lines, &source.location);
    if cleaned.lines.iter().all(|l| l.text.trim().is_empty()) {
        return Err(Error::CorpusFormat {
            path: PathBuf::from(&source.location),
            line: 1,
            msg: "no text left after cleaning".into(),
        });
    }
    let document = corpus_document(
        meta,
        &source.published.name,
        &source.published.sha256,
        &cleaned.lines,
    );
    let summary = summary::summarize_text(&meta.id, &document)?;
    Ok(Prepared {
        doc: meta.id.clone(),
        document,
        cleaned,
        summary,
        encoding,
        warnings,
    })
}

/// Reads `file` and prepares it as document `doc` of the manifest of `corpus_dir`.
/// A PDF is read through `pdftotext -layout` (as `wsis fetch` reads one), and the document
/// names the PDF as its source.
pub fn prepare_file(file: &Path, doc: &str, corpus_dir: &Path) -> Result<Prepared> {
    let bytes = std::fs::read(file).map_err(Error::io(file))?;
    let meta = crate::corpus::manifest_entry(corpus_dir, doc)?;
    let name = file
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let published = Published {
        sha256: sha256_hex(&bytes),
        name: name.clone(),
    };
    let (text, format) = if pdf::is_pdf(&bytes) {
        let text = pdf::to_text(&bytes).map_err(|e| Error::ImportRefused {
            doc: doc.to_string(),
            why: format!("{} is a PDF and {e}", file.display()),
        })?;
        (text, Format::Text)
    } else {
        let format = Format::sniff(&name, &bytes);
        (bytes, format)
    };
    let source = Source {
        bytes: &text,
        location: file.display().to_string(),
        published,
        format,
        charset: None,
    };
    prepare(&source, &meta)
}

/// Writes a prepared document into `corpus_dir`, unless the corpus holds it already, or holds
/// more paragraphs of it (then only with `force`). The document is written to a new temporary
/// file in the directory (created exclusively, so a planted link is never followed) and
/// renamed over the old one: the corpus holds the old document or the new, never half of one.
pub fn write(prepared: &Prepared, corpus_dir: &Path, force: bool) -> Result<Written> {
    let path = corpus_dir.join(format!("{}.txt", prepared.doc));
    crate::corpus::refuse_symlink(&path)?;
    if let Some(old) = read_existing(&path)? {
        if old == prepared.document {
            return Ok(Written::Unchanged { path });
        }
        let before = summary::summarize_text(&prepared.doc, &old)?;
        let (had, has) = (before.count(), prepared.summary.count());
        if has < had && !force {
            return Err(Error::ImportRefused {
                doc: prepared.doc.clone(),
                why: format!(
                    "the new text has {has} paragraphs, the corpus has {had} in {}; run again with --force to replace it",
                    path.display()
                ),
            });
        }
    }
    let mut tmp = tempfile::Builder::new()
        .prefix(&format!(".{}.", prepared.doc))
        .suffix(".tmp")
        .tempfile_in(corpus_dir)
        .map_err(Error::io(corpus_dir))?;
    tmp.write_all(prepared.document.as_bytes())
        .and_then(|()| tmp.as_file().sync_all())
        .map_err(Error::io(tmp.path()))?;
    tmp.persist(&path).map_err(|e| Error::Io {
        path: path.clone(),
        source: e.error,
    })?;
    Ok(Written::Imported { path })
}

fn read_existing(path: &Path) -> Result<Option<String>> {
    match std::fs::read(path) {
        Ok(bytes) => Ok(Some(String::from_utf8_lossy(&bytes).into_owned())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::io(path)(e)),
    }
}

fn utf8_text(source: &Source) -> Result<String> {
    let path = PathBuf::from(&source.location);
    crate::corpus::utf8_text(&path, source.bytes.to_vec(), |_| {
        "not UTF-8; a text file is read as UTF-8 (pdftotext -enc UTF-8 writes it so); an HTML page is decoded by its charset: name it .html".into()
    })
}

/// Whether a character is a control character a body must not hold: C0 and C1 controls but
/// tab, and the bidirectional formatting characters that can make text read otherwise than
/// it is stored.
fn is_stripped_control(c: char) -> bool {
    (c.is_control() && c != '\t')
        || matches!(c, '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Removes control and bidirectional formatting characters from the lines, and says where.
fn strip_controls(lines: &mut [CleanLine], location: &str) -> Vec<String> {
    let mut warnings = Vec::new();
    for line in lines.iter_mut() {
        let found: Vec<String> = line
            .text
            .chars()
            .filter(|&c| is_stripped_control(c))
            .map(|c| format!("U+{:04X}", c as u32))
            .collect();
        if !found.is_empty() {
            line.text.retain(|c| !is_stripped_control(c));
            warnings.push(format!(
                "{location}:{}: removed control characters {}",
                line.origin.0,
                found.join(", ")
            ));
        }
    }
    warnings
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
    let header = Header {
        meta: DocMeta {
            source_file: source.to_string(),
            ..meta.clone()
        },
        source_sha256: sha256.to_string(),
        origin: origin_map(lines),
        furniture: Vec::new(),
        no_rewrite: Vec::new(),
    };
    header.write(&mut out);
    out.push_str("---\n");
    for line in lines {
        out.push_str(&line.text);
        out.push('\n');
    }
    out
}

/// The origin map of the cleaned lines: per body line, the original lines it came from.
fn origin_map(lines: &[CleanLine]) -> OriginMap {
    OriginMap::new(lines.iter().map(|l| l.origin).collect())
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
        let map = origin_map(&lines).encode();
        assert_eq!(map, "1-3@3-5, 4@7-8, 5@9");
        assert_eq!(OriginMap::decode(&map).unwrap(), origin_map(&lines));
    }
}

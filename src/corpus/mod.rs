//! Reads the corpus directory: the documents (a header of metadata, a `---` line, then the
//! body as the source gives it), the manifest of official documents, and the list of proper
//! names the digital-society rewrite must keep. It checks the format and reports errors by
//! file and line; it does not split bodies into paragraphs (that is `split`).
//!
//! # The header
//!
//! `key: value` lines, `#` comment lines, ended by a line `---`. Keys: `id`, `title`, `kind`
//! and `variant` are required; `short`, `aliases` (separated by `|`), `symbol`, `date`
//! (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`), `publisher`, `source-url` (an `http://` or `https://`
//! address: the page makes a link of it), `source-file`,
//! `download-url`, `format`, `expected-paragraphs`, `furniture` and `no-rewrite` may be left
//! empty or out. `source-url` is the address a person reads; `download-url` the address of
//! the file itself (what `wsis fetch` downloads) and `format` what it must be (`pdf` or
//! `html`); `expected-paragraphs` the count of numbered paragraphs a reference gives, which
//! `wsis fetch` compares with what it imports and reports, never refusing on it. `furniture` and `no-rewrite` are
//! line ranges of the body (`4, 247-309`; line 1 is the first line after `---`): page
//! furniture kept in the file but left out of the records, and lines the digital-society
//! rewrite leaves alone. `variant` is `digital` when that rewrite applies, `none` when not.
//!
//! The manifest (`manifest.txt`) holds one such header per official document, the headers
//! separated by `---` lines.

use std::collections::BTreeMap;
use std::ops::RangeInclusive;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
pub use crate::model::Kind;
use crate::model::ParaLabel;
use crate::reference;

mod header;
mod names;

pub use header::{Header, Key, OriginMap, is_web_address};
pub use names::DocNames;

/// The manifest's file name inside the corpus directory.
pub const MANIFEST_FILE: &str = "manifest.txt";
/// The protected-names list's file name inside the corpus directory.
pub const PROTECTED_NAMES_FILE: &str = "protected-names.txt";

/// A document's metadata: a corpus file's header, or a manifest entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocMeta {
    /// Stable id, a slug (`tunis-agenda`).
    pub id: String,
    /// Full title.
    pub title: String,
    /// Short name used in citations ("Tunis Agenda"); empty where there is none.
    pub short: String,
    /// Other names and abbreviations a citation may use ("TA", "A/60/687").
    pub aliases: Vec<String>,
    /// Official symbol, where there is one.
    pub symbol: String,
    /// Date as the document gives it: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; empty if it gives none.
    pub date: String,
    /// Kind of document.
    pub kind: Kind,
    /// Publisher, where the document says.
    pub publisher: String,
    /// Source URL, where known.
    pub source_url: String,
    /// The file the body was carried over from, where it was.
    pub source_file: String,
    /// The address of the file itself, which `wsis fetch` downloads (manifest only; not
    /// indexed or served).
    #[serde(skip)]
    pub download_url: String,
    /// The format the file at `download_url` must have: `pdf` or `html` (manifest only).
    #[serde(skip)]
    pub format: String,
    /// The number of numbered paragraphs a reference gives for the document, unverified
    /// (manifest only): a difference is reported, never refused.
    #[serde(skip)]
    pub expected_paragraphs: Option<usize>,
    /// Whether the digital-society variant is made for this document.
    pub variant: bool,
}

impl DocMeta {
    /// Metadata with only an id, a title and a kind; every other field empty.
    pub fn named(id: &str, title: &str, kind: Kind) -> DocMeta {
        DocMeta {
            id: id.into(),
            title: title.into(),
            short: String::new(),
            aliases: Vec::new(),
            symbol: String::new(),
            date: String::new(),
            kind,
            publisher: String::new(),
            source_url: String::new(),
            source_file: String::new(),
            download_url: String::new(),
            format: String::new(),
            expected_paragraphs: None,
            variant: false,
        }
    }

    /// The name a citation starts with: the short name, or else the title.
    pub fn cite_name(&self) -> &str {
        if self.short.is_empty() {
            &self.title
        } else {
            &self.short
        }
    }

    /// The citation of one of its paragraphs: "Tunis Agenda, para. 72(e)".
    pub fn citation(&self, label: &ParaLabel) -> String {
        reference::citation(self.cite_name(), label)
    }

    /// The citation with the full title and the symbol: "Tunis Agenda for the Information
    /// Society, WSIS-05/TUNIS/DOC/6(Rev.1)-E, para. 72(e)".
    pub fn full_citation(&self, label: &ParaLabel) -> String {
        reference::full_citation(&self.title, &self.symbol, label)
    }

    /// The year of the date, if there is one.
    pub fn year(&self) -> Option<i32> {
        self.date.get(..4)?.parse().ok()
    }

    /// Every name a reference may use for this document: short name, aliases, symbol,
    /// title, and its id (`tunis-agenda 72(e)`, as the page writes references).
    pub fn names(&self) -> impl Iterator<Item = &str> {
        [
            self.short.as_str(),
            self.symbol.as_str(),
            self.title.as_str(),
            self.id.as_str(),
        ]
        .into_iter()
        .chain(self.aliases.iter().map(String::as_str))
        .filter(|n| !n.is_empty())
    }
}

/// One corpus document: its header and its body, with the file's full text kept so that
/// provenance byte ranges index into it.
#[derive(Debug, Clone)]
pub struct Document {
    /// The header.
    pub meta: DocMeta,
    /// The file as provenance names it: `corpus/<name>`.
    pub file: String,
    /// The whole file.
    pub text: String,
    /// Byte offset of the body in `text`.
    pub body_start: usize,
    /// File line number of the body's first line.
    pub body_first_line: usize,
    /// File line number of the header's `id:` line.
    pub id_line: usize,
    /// Body line ranges that are page furniture.
    pub furniture: Vec<RangeInclusive<usize>>,
    /// Body line ranges the digital-society rewrite leaves alone.
    pub no_rewrite: Vec<RangeInclusive<usize>>,
    /// For an imported document: where its body lines came from.
    pub origin: Option<Imported>,
}

/// Where an imported document's body came from: the origin map (the header's
/// `origin-lines`) and the source file's SHA-256 (`source-sha256`).
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    /// Per body line, the first and last line of the original file.
    pub map: OriginMap,
    /// The original file's SHA-256.
    pub sha256: String,
}

impl Document {
    /// Whether body line `line` (1-based) is page furniture.
    pub fn is_furniture(&self, line: usize) -> bool {
        self.furniture.iter().any(|r| r.contains(&line))
    }

    /// Whether body line `line` (1-based) is excluded from the digital-society rewrite.
    pub fn is_no_rewrite(&self, line: usize) -> bool {
        self.no_rewrite.iter().any(|r| r.contains(&line))
    }

    /// How many body lines are page furniture.
    pub fn furniture_lines(&self) -> usize {
        self.furniture.iter().map(|r| r.end() + 1 - r.start()).sum()
    }

    /// The body.
    pub fn body(&self) -> &str {
        &self.text[self.body_start..]
    }
}

/// The whole corpus as read from its directory.
#[derive(Debug, Clone)]
pub struct Corpus {
    /// The documents, in file-name order.
    pub documents: Vec<Document>,
    /// The official documents the manifest lists, whether or not their text is in the corpus.
    pub manifest: Vec<DocMeta>,
    /// Proper names the digital-society rewrite keeps as they are.
    pub protected_names: Vec<String>,
}

impl Corpus {
    /// Reads and checks every document, the manifest and the protected names in `dir`.
    pub fn load(dir: &Path) -> Result<Corpus> {
        let missing = |msg: &str| Error::CorpusMissing {
            path: dir.to_path_buf(),
            msg: msg.to_string(),
        };
        if !dir.is_dir() {
            return Err(missing("no corpus directory here"));
        }
        let dir_name = dir
            .file_name()
            .map_or_else(|| "corpus".into(), |n| n.to_string_lossy().into_owned());
        let mut documents = Vec::new();
        for path in document_paths(dir)? {
            let text = read_utf8(&path)?;
            let name = path.file_name().unwrap_or_default().to_string_lossy();
            documents.push(parse_document(&path, &format!("{dir_name}/{name}"), text)?);
        }
        if documents.is_empty() {
            return Err(missing("no documents (*.txt) in the corpus directory"));
        }
        check_unique_ids(&documents)?;
        let manifest = read_manifest(&dir.join(MANIFEST_FILE))?;
        let protected_names = load_protected_names(&dir.join(PROTECTED_NAMES_FILE))?;
        Ok(Corpus {
            documents,
            manifest,
            protected_names,
        })
    }

    /// The metadata of document `id`, from the corpus or else from the manifest.
    pub fn meta(&self, id: &str) -> Option<&DocMeta> {
        self.documents
            .iter()
            .map(|d| &d.meta)
            .chain(&self.manifest)
            .find(|m| m.id == id)
    }

    /// Every official document known: the manifest's entries, then official documents in the
    /// corpus that the manifest does not list.
    pub fn official_documents(&self) -> Vec<&DocMeta> {
        let mut docs: Vec<&DocMeta> = self.manifest.iter().collect();
        for doc in &self.documents {
            if doc.meta.kind.is_official() && !docs.iter().any(|m| m.id == doc.meta.id) {
                docs.push(&doc.meta);
            }
        }
        docs
    }
}

/// A document known to the corpus: a corpus file, or a manifest entry whose text is not
/// imported.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CatalogEntry {
    /// Its metadata.
    #[serde(flatten)]
    pub meta: DocMeta,
    /// True when the corpus holds the document's whole text: its file, whose numbering check
    /// passes for an official document. False for a manifest entry whose paragraphs are
    /// present only as far as background documents quote them, and for an imported official
    /// text with paragraphs missing.
    pub full_text: bool,
    /// For an imported official text whose numbering check fails: the paragraph numbers
    /// missing below the highest.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<u32>,
    /// For an imported official text whose numbering check fails: what the check says.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub numbering: Vec<String>,
}

impl CatalogEntry {
    /// An entry with only an id, a title and the kind its records give (or none), for
    /// documents known from records alone: nothing else is guessed.
    pub fn bare(id: &str, title: &str, kind: Kind) -> CatalogEntry {
        let meta = DocMeta {
            aliases: vec![id.into()],
            ..DocMeta::named(id, title, kind)
        };
        CatalogEntry {
            meta,
            full_text: true,
            missing: Vec::new(),
            numbering: Vec::new(),
        }
    }

    /// Whether the corpus holds a file of this document whose numbering check fails.
    pub fn is_incomplete(&self) -> bool {
        !self.numbering.is_empty()
    }
}

/// The document files of `dir`: every `*.txt` but the manifest and the protected names,
/// sorted by name.
fn document_paths(dir: &Path) -> Result<Vec<PathBuf>> {
    let entries = std::fs::read_dir(dir).map_err(Error::io(dir))?;
    let mut paths = Vec::new();
    for entry in entries {
        let path = entry.map_err(Error::io(dir))?.path();
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        let is_doc = name.ends_with(".txt")
            && !name.starts_with('.')
            && name != MANIFEST_FILE
            && name != PROTECTED_NAMES_FILE;
        if is_doc {
            refuse_symlink(&path)?;
        }
        if is_doc && path.is_file() {
            paths.push(path);
        }
    }
    paths.sort();
    Ok(paths)
}

/// `text` without the UTF-8 byte-order mark some editors write at its start.
fn without_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

/// Refuses a symbolic link: the corpus reads only its own regular files, so that a link
/// planted in the directory cannot bring another file in (or, on import, redirect a write).
pub fn refuse_symlink(path: &Path) -> Result<()> {
    let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    if is_link {
        return Err(Error::CorpusFormat {
            path: path.to_path_buf(),
            line: 1,
            msg: "is a symbolic link; the corpus reads only regular files (replace the link by the file)".into(),
        });
    }
    Ok(())
}

fn read_utf8(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path).map_err(Error::io(path))?;
    utf8_text(path, bytes, |offset| {
        format!("not UTF-8 (invalid byte at offset {offset}); save the file as UTF-8")
    })
}

/// `bytes` as text, or a format error of `path` on the line of the first byte that is not
/// UTF-8, with the message `advice` gives for that byte's offset.
pub(crate) fn utf8_text(
    path: &Path,
    bytes: Vec<u8>,
    advice: impl FnOnce(usize) -> String,
) -> Result<String> {
    String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        Error::CorpusFormat {
            path: path.to_path_buf(),
            line: valid.iter().filter(|&&b| b == b'\n').count() + 1,
            msg: advice(valid.len()),
        }
    })
}

fn check_unique_ids(documents: &[Document]) -> Result<()> {
    let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
    for doc in documents {
        if let Some(first) = seen.insert(&doc.meta.id, &doc.file) {
            return Err(Error::CorpusFormat {
                path: PathBuf::from(&doc.file),
                line: doc.id_line,
                msg: format!(
                    "duplicate document id {:?}: {first} has it too",
                    doc.meta.id
                ),
            });
        }
    }
    Ok(())
}

/// Parses one corpus file: its header, the `---` line, the body.
pub fn parse_document(path: &Path, file: &str, text: String) -> Result<Document> {
    let (header_lines, body_start) = split_header(&text).ok_or_else(|| Error::CorpusFormat {
        path: path.to_path_buf(),
        line: text.lines().count().max(1),
        msg: "no `---` line ends the header".into(),
    })?;
    let fields = header::parse_fields(path, header_lines.iter().copied())?;
    let body_lines = text[body_start..].split('\n').count();
    let header = Header::read(&fields, body_lines)?;
    let origin = (!header.origin.is_empty()).then_some(Imported {
        map: header.origin,
        sha256: header.source_sha256,
    });
    Ok(Document {
        meta: header.meta,
        id_line: fields.line_of(Key::Id),
        file: file.to_string(),
        body_first_line: header_lines.len() + 2,
        body_start,
        furniture: header.furniture,
        no_rewrite: header.no_rewrite,
        origin,
        text,
    })
}

/// The header's lines (with their 1-based numbers) and the byte offset of the body in the
/// file; a byte-order mark at the start of the file is skipped (and counted in the offset).
fn split_header(text: &str) -> Option<(Vec<(usize, &str)>, usize)> {
    let unmarked = without_bom(text);
    let mut offset = text.len() - unmarked.len();
    let mut lines = Vec::new();
    for (i, line) in unmarked.split_inclusive('\n').enumerate() {
        offset += line.len();
        let content = line.trim_end_matches(['\n', '\r']);
        if content == "---" {
            return Some((lines, offset));
        }
        lines.push((i + 1, content));
    }
    None
}

/// The manifest entry `doc` of the corpus in `dir`, or an error listing the entries.
pub fn manifest_entry(dir: &Path, doc: &str) -> Result<DocMeta> {
    let manifest = read_manifest(&dir.join(MANIFEST_FILE))?;
    let ids: Vec<&str> = manifest.iter().map(|m| m.id.as_str()).collect();
    let missing = Error::CorpusMissing {
        path: dir.join(MANIFEST_FILE),
        msg: format!("no manifest entry {doc:?}; entries: {}", ids.join(", ")),
    };
    manifest
        .iter()
        .find(|m| m.id == doc)
        .cloned()
        .ok_or(missing)
}

/// Reads a manifest file: one header per official document, separated by `---` lines.
pub fn read_manifest(path: &Path) -> Result<Vec<DocMeta>> {
    refuse_symlink(path)?;
    if !path.exists() {
        return Ok(Vec::new());
    }
    let text = read_utf8(path)?;
    let mut entries = Vec::new();
    let mut block: Vec<(usize, &str)> = Vec::new();
    let lines = without_bom(&text)
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l));
    for (number, line) in lines.chain([(0, "---")]) {
        if line.trim_end() != "---" {
            block.push((number, line));
            continue;
        }
        let is_empty = block.iter().all(|(_, l)| is_blank_or_comment(l));
        if !is_empty {
            let fields = header::parse_fields(path, block.drain(..))?;
            let meta = fields.meta()?;
            if entries.iter().any(|m: &DocMeta| m.id == meta.id) {
                return Err(fields.error(Key::Id, format!("duplicate manifest id {:?}", meta.id)));
            }
            entries.push(meta);
        }
        block.clear();
    }
    Ok(entries)
}

fn load_protected_names(path: &Path) -> Result<Vec<String>> {
    refuse_symlink(path)?;
    if !path.exists() {
        return Ok(Vec::new());
    }
    let text = read_utf8(path)?;
    Ok(without_bom(&text)
        .lines()
        .map(str::trim)
        .filter(|l| !is_blank_or_comment(l))
        .map(str::to_string)
        .collect())
}

/// Whether `c` is a control character other than tab and line feed, or a bidirectional
/// control (which reorders what a reader sees: U+061C, U+200E, U+200F, U+202A–U+202E,
/// U+2066–U+2069).
pub fn is_hidden_control(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n'))
        || matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

fn is_blank_or_comment(line: &str) -> bool {
    let line = line.trim();
    line.is_empty() || line.starts_with('#')
}

impl Document {
    /// The file line (1-based) that byte `offset` of the file is on.
    pub fn line_of(&self, offset: usize) -> usize {
        self.text.as_bytes()[..offset.min(self.text.len())]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1
    }
}

//! The header of a corpus file, read and written in one place: the key table ([`Key`]), the
//! reader (`key: value` lines into [`DocMeta`] and line ranges, errors by file and line), the
//! writer ([`Header::write`], what `wsis import` puts above a body) and the origin map
//! ([`OriginMap`], body lines to lines of the published file). The format is described in
//! the module above.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::ops::RangeInclusive;
use std::path::Path;

use super::{DocMeta, Kind, is_blank_or_comment, is_hidden_control};
use crate::error::{Error, Result};

/// A key a header may use. [`Key::ALL`] is the one table: the reader accepts these keys and
/// no other, and the writer writes them in this order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Key {
    /// `id`: the document's slug (required).
    Id,
    /// `title` (required).
    Title,
    /// `short`: the name citations use.
    Short,
    /// `symbol`: the official symbol.
    Symbol,
    /// `date`: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    Date,
    /// `kind` (required).
    Kind,
    /// `publisher`.
    Publisher,
    /// `source-url`: the address a person reads.
    SourceUrl,
    /// `download-url`: the address of the file itself.
    DownloadUrl,
    /// `format`: `pdf` or `html`.
    Format,
    /// `expected-paragraphs`: the count a reference gives.
    ExpectedParagraphs,
    /// `source-file`: the file the body was carried over from.
    SourceFile,
    /// `source-sha256`: that file's checksum.
    SourceSha256,
    /// `aliases`, separated by `|`.
    Aliases,
    /// `variant`: `digital` or `none` (required).
    Variant,
    /// `origin-lines`: the origin map.
    OriginLines,
    /// `furniture`: body line ranges of page furniture.
    Furniture,
    /// `no-rewrite`: body line ranges the digital-society rewrite leaves alone.
    NoRewrite,
}

impl Key {
    /// Every key, in the order the writer writes them.
    pub const ALL: [Key; 18] = [
        Key::Id,
        Key::Title,
        Key::Short,
        Key::Symbol,
        Key::Date,
        Key::Kind,
        Key::Publisher,
        Key::SourceUrl,
        Key::DownloadUrl,
        Key::Format,
        Key::ExpectedParagraphs,
        Key::SourceFile,
        Key::SourceSha256,
        Key::Aliases,
        Key::Variant,
        Key::OriginLines,
        Key::Furniture,
        Key::NoRewrite,
    ];

    /// The key as a header spells it.
    pub fn name(self) -> &'static str {
        match self {
            Key::Id => "id",
            Key::Title => "title",
            Key::Short => "short",
            Key::Symbol => "symbol",
            Key::Date => "date",
            Key::Kind => "kind",
            Key::Publisher => "publisher",
            Key::SourceUrl => "source-url",
            Key::DownloadUrl => "download-url",
            Key::Format => "format",
            Key::ExpectedParagraphs => "expected-paragraphs",
            Key::SourceFile => "source-file",
            Key::SourceSha256 => "source-sha256",
            Key::Aliases => "aliases",
            Key::Variant => "variant",
            Key::OriginLines => "origin-lines",
            Key::Furniture => "furniture",
            Key::NoRewrite => "no-rewrite",
        }
    }

    /// The key a header line names, if it is one.
    pub fn parse(name: &str) -> Option<Key> {
        Key::ALL.into_iter().find(|k| k.name() == name)
    }
}

/// A corpus file's header as the writer writes it and the reader reads it back.
#[derive(Debug, Clone, PartialEq)]
pub struct Header {
    /// The document's metadata (`source_file` is the `source-file` key).
    pub meta: DocMeta,
    /// The SHA-256 of the source file, for an imported document; empty otherwise.
    pub source_sha256: String,
    /// Body lines to lines of the source file, for an imported document; empty otherwise.
    pub origin: OriginMap,
    /// Body line ranges that are page furniture.
    pub furniture: Vec<RangeInclusive<usize>>,
    /// Body line ranges the digital-society rewrite leaves alone.
    pub no_rewrite: Vec<RangeInclusive<usize>>,
}

impl Header {
    /// The header with no checksum, origin map or ranges.
    pub fn of(meta: DocMeta) -> Header {
        Header {
            meta,
            source_sha256: String::new(),
            origin: OriginMap::default(),
            furniture: Vec::new(),
            no_rewrite: Vec::new(),
        }
    }

    /// Appends the header's `key: value` lines to `out`, one per key of [`Key::ALL`] in that
    /// order; `furniture` and `no-rewrite` only when they hold ranges. The `---` line is not
    /// written.
    pub fn write(&self, out: &mut String) {
        for key in Key::ALL {
            if let Some(value) = self.value(key) {
                let _ = writeln!(out, "{}: {value}", key.name());
            }
        }
    }

    /// What the writer writes for `key`, or `None` when it leaves the key out.
    fn value(&self, key: Key) -> Option<String> {
        let meta = &self.meta;
        let value = match key {
            Key::Id => meta.id.clone(),
            Key::Title => meta.title.clone(),
            Key::Short => meta.short.clone(),
            Key::Symbol => meta.symbol.clone(),
            Key::Date => meta.date.clone(),
            Key::Kind => meta.kind.as_str().to_string(),
            Key::Publisher => meta.publisher.clone(),
            Key::SourceUrl => meta.source_url.clone(),
            Key::DownloadUrl => meta.download_url.clone(),
            Key::Format => meta.format.clone(),
            Key::ExpectedParagraphs => meta
                .expected_paragraphs
                .map_or_else(String::new, |n| n.to_string()),
            Key::SourceFile => meta.source_file.clone(),
            Key::SourceSha256 => self.source_sha256.clone(),
            Key::Aliases => meta.aliases.join(" | "),
            Key::Variant => if meta.variant { "digital" } else { "none" }.to_string(),
            Key::OriginLines => self.origin.encode(),
            Key::Furniture => return encode_ranges(&self.furniture),
            Key::NoRewrite => return encode_ranges(&self.no_rewrite),
        };
        Some(value)
    }

    /// Reads a header from its fields; `body_lines` bounds the line ranges.
    pub(super) fn read(fields: &Fields, body_lines: usize) -> Result<Header> {
        let origin = OriginMap::decode(fields.get(Key::OriginLines)).ok_or_else(|| {
            fields.error(
                Key::OriginLines,
                "origin-lines is not a map such as 1-40@12-51, 41@53-54".into(),
            )
        })?;
        Ok(Header {
            meta: fields.meta()?,
            source_sha256: fields.get(Key::SourceSha256).to_string(),
            origin,
            furniture: fields.ranges(Key::Furniture, body_lines)?,
            no_rewrite: fields.ranges(Key::NoRewrite, body_lines)?,
        })
    }
}

/// `4, 247-309`, or `None` for no ranges.
fn encode_ranges(ranges: &[RangeInclusive<usize>]) -> Option<String> {
    if ranges.is_empty() {
        return None;
    }
    let parts: Vec<String> = ranges.iter().map(|r| run(*r.start(), *r.end())).collect();
    Some(parts.join(", "))
}

/// `x` when the range is one line, else `x-y`.
fn run(x: usize, y: usize) -> String {
    if x == y {
        x.to_string()
    } else {
        format!("{x}-{y}")
    }
}

/// Which lines of the source file each body line of an imported document came from: per
/// body line (the first at index 0), the first and last original line. Written run-length
/// encoded in the header's `origin-lines`: `1-40@12-51, 41@53-54`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OriginMap {
    lines: Vec<(usize, usize)>,
}

impl OriginMap {
    /// The map of body lines, in order, to their (first, last) original lines.
    pub fn new(lines: Vec<(usize, usize)>) -> OriginMap {
        OriginMap { lines }
    }

    /// The original lines of body line `index` (0-based), if the map covers it.
    pub fn get(&self, index: usize) -> Option<(usize, usize)> {
        self.lines.get(index).copied()
    }

    /// Whether the map covers no line (a document not imported).
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// The run-length form: a run maps body lines one to one onto consecutive original lines.
    pub fn encode(&self) -> String {
        let mut runs: Vec<(usize, usize, usize, usize)> = Vec::new();
        for (i, &(a, b)) in self.lines.iter().enumerate() {
            let body = i + 1;
            match runs.last_mut() {
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
        runs.iter()
            .map(|(b1, b2, o1, o2)| format!("{}@{}", run(*b1, *b2), run(*o1, *o2)))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Parses the run-length form back; `None` when it is not one.
    pub fn decode(map: &str) -> Option<OriginMap> {
        let mut out = Vec::new();
        for part in map.split(',').map(str::trim).filter(|r| !r.is_empty()) {
            let (body, origin) = part.split_once('@')?;
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
        Some(OriginMap { lines: out })
    }
}

/// A header's fields with the lines they stand on.
pub(super) struct Fields<'a> {
    path: &'a Path,
    first_line: usize,
    values: BTreeMap<Key, (usize, String)>,
}

/// Reads a header's `key: value` lines (with their 1-based numbers), skipping blank and `#`
/// lines; an unknown key, a key given twice or a control character is an error.
pub(super) fn parse_fields<'a, 'l>(
    path: &'a Path,
    lines: impl Iterator<Item = (usize, &'l str)>,
) -> Result<Fields<'a>> {
    let mut fields = Fields {
        path,
        first_line: 0,
        values: BTreeMap::new(),
    };
    for (number, line) in lines {
        if fields.first_line == 0 {
            fields.first_line = number;
        }
        if is_blank_or_comment(line) {
            continue;
        }
        let error = |msg: String| Error::CorpusFormat {
            path: path.to_path_buf(),
            line: number,
            msg,
        };
        if let Some(c) = line.chars().find(|&c| is_hidden_control(c)) {
            return Err(error(format!(
                "the header holds the control character U+{:04X}; headers are plain text: remove it",
                c as u32
            )));
        }
        let (key, value) = line
            .split_once(':')
            .ok_or_else(|| error(format!("expected `key: value`, found {line:?}")))?;
        let key = key.trim();
        let known = Key::parse(key).ok_or_else(|| {
            let names: Vec<&str> = Key::ALL.iter().map(|k| k.name()).collect();
            error(format!("unknown key {key:?}; keys: {}", names.join(", ")))
        })?;
        let previous = fields
            .values
            .insert(known, (number, value.trim().to_string()));
        if previous.is_some() {
            return Err(error(format!("key {key:?} is given twice")));
        }
    }
    Ok(fields)
}

impl Fields<'_> {
    /// An error on the line `key` stands on.
    pub(super) fn error(&self, key: Key, msg: String) -> Error {
        Error::CorpusFormat {
            path: self.path.to_path_buf(),
            line: self.line_of(key),
            msg,
        }
    }

    /// The line `key` stands on (the header's first line when it is not given).
    pub(super) fn line_of(&self, key: Key) -> usize {
        self.values
            .get(&key)
            .map_or(self.first_line.max(1), |v| v.0)
    }

    /// The value of `key`, empty when it is not given.
    pub(super) fn get(&self, key: Key) -> &str {
        self.values.get(&key).map_or("", |v| v.1.as_str())
    }

    fn required(&self, key: Key) -> Result<&str> {
        match self.get(key) {
            "" => Err(self.error(
                key,
                format!("required key {:?} is missing or empty", key.name()),
            )),
            value => Ok(value),
        }
    }

    /// The document's metadata, checked.
    pub(super) fn meta(&self) -> Result<DocMeta> {
        let id = self.required(Key::Id)?;
        let is_slug = id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !is_slug {
            return Err(self.error(Key::Id, format!("id {id:?} must use only a-z, 0-9 and -")));
        }
        let kind_name = self.required(Key::Kind)?;
        let kind = Kind::parse(kind_name).ok_or_else(|| {
            let kinds: Vec<_> = Kind::ALL.iter().map(|(_, n)| *n).collect();
            self.error(
                Key::Kind,
                format!("unknown kind {kind_name:?}; kinds: {}", kinds.join(", ")),
            )
        })?;
        let variant = match self.required(Key::Variant)? {
            "digital" => true,
            "none" => false,
            other => {
                return Err(self.error(
                    Key::Variant,
                    format!("variant is `digital` or `none`, not {other:?}"),
                ));
            }
        };
        let date = self.get(Key::Date);
        if !date.is_empty() && !is_date(date) {
            return Err(self.error(
                Key::Date,
                format!("date {date:?} is not YYYY, YYYY-MM or YYYY-MM-DD"),
            ));
        }
        let source_url = self.get(Key::SourceUrl);
        if !source_url.is_empty() && !is_web_address(source_url) {
            return Err(self.error(
                Key::SourceUrl,
                format!("source-url {source_url:?} is not an http:// or https:// address"),
            ));
        }
        let format = self.get(Key::Format).to_string();
        if !["", "pdf", "html"].contains(&format.as_str()) {
            return Err(self.error(
                Key::Format,
                format!("format is `pdf` or `html`, not {format:?}"),
            ));
        }
        let expected = self.get(Key::ExpectedParagraphs);
        let expected_paragraphs = match expected {
            "" => None,
            n => Some(n.parse().map_err(|_| {
                self.error(
                    Key::ExpectedParagraphs,
                    format!("expected-paragraphs is a number, not {n:?}"),
                )
            })?),
        };
        let aliases = self
            .get(Key::Aliases)
            .split('|')
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .map(str::to_string)
            .collect();
        Ok(DocMeta {
            id: id.to_string(),
            title: self.required(Key::Title)?.to_string(),
            short: self.get(Key::Short).to_string(),
            aliases,
            symbol: self.get(Key::Symbol).to_string(),
            date: date.to_string(),
            kind,
            publisher: self.get(Key::Publisher).to_string(),
            source_url: source_url.to_string(),
            source_file: self.get(Key::SourceFile).to_string(),
            download_url: self.get(Key::DownloadUrl).to_string(),
            format,
            expected_paragraphs,
            variant,
        })
    }

    /// Parses `4, 247-309` into line ranges within `1..=max`.
    pub(super) fn ranges(&self, key: Key, max: usize) -> Result<Vec<RangeInclusive<usize>>> {
        let mut ranges = Vec::new();
        for part in self
            .get(key)
            .split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            let bad = || {
                self.error(
                    key,
                    format!("{part:?} is not a line or a range of lines such as 4 or 247-309"),
                )
            };
            let (a, b) = part.split_once('-').unwrap_or((part, part));
            let a: usize = a.trim().parse().map_err(|_| bad())?;
            let b: usize = b.trim().parse().map_err(|_| bad())?;
            if a == 0 || a > b {
                return Err(bad());
            }
            if b > max {
                return Err(self.error(
                    key,
                    format!("range {part} goes past the body's last line, {max}"),
                ));
            }
            ranges.push(a..=b);
        }
        Ok(ranges)
    }
}

/// Whether `url` is a web address: `http://…` or `https://…` (any case), the only addresses
/// the page makes links of.
pub fn is_web_address(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://"))
        && !url.chars().any(|c| c.is_whitespace() || c.is_control())
}

fn is_date(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let widths = [4, 2, 2];
    parts.len() <= 3
        && parts
            .iter()
            .zip(widths)
            .all(|(p, w)| p.len() == w && p.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::corpus::parse_document;

    /// Text a header value may hold: no line break, no control character, nothing to trim.
    fn value() -> impl Strategy<Value = String> {
        "([A-Za-z0-9][A-Za-z0-9 .,:/()#@-]{0,24}[A-Za-z0-9.)])?"
    }

    fn ranges(max: usize) -> impl Strategy<Value = Vec<RangeInclusive<usize>>> {
        prop::collection::vec((1..=max, 0..3usize), 0..4).prop_map(move |v| {
            v.into_iter()
                .map(|(a, len)| a..=(a + len).min(max))
                .collect()
        })
    }

    fn meta() -> impl Strategy<Value = DocMeta> {
        let kinds = Kind::ALL.map(|(k, _)| k).to_vec();
        (
            (
                "[a-z0-9][a-z0-9-]{0,15}",
                "[A-Za-z][A-Za-z0-9 ]{0,20}[a-z]",
                value(),
            ),
            (
                value(),
                "([12][0-9]{3}(-[01][0-9](-[0-3][0-9])?)?)?",
                prop::sample::select(kinds),
            ),
            (
                value(),
                "(https?://[a-z]{1,8}\\.org(/[a-z0-9]{1,8})?)?",
                value(),
            ),
            (
                prop::sample::select(vec!["", "pdf", "html"]),
                prop::option::of(0..2000usize),
            ),
            (
                prop::collection::vec(value().prop_filter("non-empty", |a| !a.is_empty()), 0..3),
                any::<bool>(),
            ),
        )
            .prop_map(
                |(
                    (id, title, short),
                    (symbol, date, kind),
                    (publisher, url, file),
                    (format, expected),
                    (aliases, variant),
                )| {
                    DocMeta {
                        id,
                        title,
                        short,
                        aliases,
                        symbol,
                        date,
                        kind,
                        publisher,
                        source_url: url.clone(),
                        source_file: file,
                        download_url: url,
                        format: format.to_string(),
                        expected_paragraphs: expected,
                        variant,
                    }
                },
            )
    }

    fn origin_map() -> impl Strategy<Value = OriginMap> {
        prop::collection::vec((1..500usize, 0..3usize), 0..30)
            .prop_map(|v| OriginMap::new(v.into_iter().map(|(a, n)| (a, a + n)).collect()))
    }

    const BODY_LINES: usize = 12;

    proptest! {
        #[test]
        fn a_written_header_reads_back_equal(
            meta in meta(),
            sha in "([0-9a-f]{64})?",
            origin in origin_map(),
            furniture in ranges(BODY_LINES),
            no_rewrite in ranges(BODY_LINES),
        ) {
            let header = Header { meta, source_sha256: sha, origin, furniture, no_rewrite };
            let mut text = String::from("# a comment\n");
            header.write(&mut text);
            text.push_str("---\n");
            text.push_str(&"made-up body line\n".repeat(BODY_LINES - 1));
            let doc = parse_document(Path::new("x.txt"), "corpus/x.txt", text.clone())
                .map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
            prop_assert_eq!(&doc.meta, &header.meta);
            prop_assert_eq!(&doc.furniture, &header.furniture);
            prop_assert_eq!(&doc.no_rewrite, &header.no_rewrite);
            let (map, sha) = doc.origin.map(|o| (o.map, o.sha256)).unwrap_or_default();
            prop_assert_eq!(map, header.origin.clone());
            if !header.origin.is_empty() {
                prop_assert_eq!(sha, header.source_sha256);
            }
        }

        #[test]
        fn an_origin_map_decodes_to_what_was_encoded(map in origin_map()) {
            prop_assert_eq!(OriginMap::decode(&map.encode()), Some(map));
        }
    }

    #[test]
    fn every_key_has_its_own_name() {
        for key in Key::ALL {
            assert_eq!(Key::parse(key.name()), Some(key));
        }
    }
}

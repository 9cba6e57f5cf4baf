//! One hit: the one definition of what a search answers per hit.
//!
//! A [`Hit`] is read from the record's stored JSON, borrowing its strings (and the nested
//! `origin`, `refs` and `substitutions` as raw JSON), once per loaded record; grouping reads
//! it, the page adds its score, snippet, url and `also`, and it is serialised in one pass.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use crate::model::{ParaLabel, Variant};

/// One hit: every field of [`crate::model::Record`] (borrowed from the stored JSON) with the
/// fields of the answer added (`score`, `quoted_only`, `url`, `snippet`, `also`). Read a
/// served hit back with `serde_json::from_str::<Hit>(raw.get())`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Hit<'a> {
    /// Record id.
    #[serde(default, borrow)]
    pub id: Cow<'a, str>,
    /// Document id.
    #[serde(borrow)]
    pub doc: Cow<'a, str>,
    /// Paragraph label.
    pub para: ParaLabel,
    /// Original or digital.
    #[serde(default)]
    pub variant: Variant,
    /// Document title.
    #[serde(default, borrow)]
    pub title: Cow<'a, str>,
    /// The document's kind (`outcome-document`, …).
    #[serde(default, borrow)]
    pub kind: Cow<'a, str>,
    /// The year of the document's date, where it gives one.
    #[serde(default)]
    pub year: Option<i32>,
    /// "Tunis Agenda, para. 72(e)".
    #[serde(default, borrow)]
    pub citation: Cow<'a, str>,
    /// Heading path.
    #[serde(default, borrow)]
    pub section: Vec<Cow<'a, str>>,
    /// The full text.
    #[serde(borrow, serialize_with = "long_string")]
    pub text: Cow<'a, str>,
    /// Only part of the paragraph.
    #[serde(default)]
    pub partial: bool,
    /// Where the text comes from (as stored: a [`crate::model::Provenance`], which a hit only passes on).
    /// Every stored record has one (a records file's record is given one when it is read).
    #[serde(
        default,
        borrow,
        deserialize_with = "borrowed_raw",
        skip_serializing_if = "Option::is_none"
    )]
    pub provenance: Option<Cow<'a, RawValue>>,
    /// Where an imported official record's text is in the published file (as stored).
    #[serde(
        default,
        borrow,
        deserialize_with = "borrowed_raw",
        skip_serializing_if = "Option::is_none"
    )]
    pub origin: Option<Cow<'a, RawValue>>,
    /// The background record that quotes this official paragraph.
    #[serde(default, borrow, skip_serializing_if = "Option::is_none")]
    pub quoted_in: Option<Cow<'a, str>>,
    /// Official paragraphs this record refers to (as stored).
    #[serde(
        default,
        borrow,
        deserialize_with = "borrowed_raw",
        skip_serializing_if = "Option::is_none"
    )]
    pub refs: Option<Cow<'a, RawValue>>,
    /// What the digital rewriter changed (as stored).
    #[serde(
        default,
        borrow,
        deserialize_with = "borrowed_raw",
        skip_serializing_if = "Option::is_none"
    )]
    pub substitutions: Option<Cow<'a, RawValue>>,
    /// BM25 score (0 when sorted by date).
    #[serde(default)]
    pub score: f32,
    /// True when the hit's document is an official text the corpus holds only through the
    /// paragraphs background documents quote (its full text is not imported).
    #[serde(default)]
    pub quoted_only: bool,
    /// Permalink of the paragraph on the page.
    #[serde(default)]
    pub url: String,
    /// A window of the text around the matches: HTML-escaped, matches in `<mark>`, "…" where cut.
    #[serde(default, serialize_with = "long_string")]
    pub snippet: String,
    /// For a quoted official paragraph: the background record that quotes it, as a page
    /// links to it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quoting: Option<Quoting>,
    /// Ids of near-duplicate records grouped under this hit (its paragraph's other items,
    /// the background line that quotes it whole).
    #[serde(default, borrow, skip_serializing_if = "Vec::is_empty")]
    pub also: Vec<Cow<'a, str>>,
}

/// The background record that quotes an official paragraph (a record's `quoted_in`), as a
/// page links to it, so that no client takes the record id apart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quoting {
    /// Its document's id.
    pub doc: String,
    /// Its citation: "WSIS+20 process page, para. p12".
    pub citation: String,
    /// Its permalink.
    pub url: String,
}

impl<'a> Hit<'a> {
    /// Reads a stored record's JSON as a hit (the answer's fields left empty).
    pub(crate) fn from_stored(json: &'a str) -> crate::error::Result<Hit<'a>> {
        serde_json::from_str(json).map_err(crate::index::invalid_record)
    }

    /// The hit with every string its own, to outlive the JSON it was read from.
    pub(crate) fn into_owned(self) -> Hit<'static> {
        Hit {
            id: owned(self.id),
            doc: owned(self.doc),
            para: self.para,
            variant: self.variant,
            title: owned(self.title),
            kind: owned(self.kind),
            year: self.year,
            citation: owned(self.citation),
            section: self.section.into_iter().map(owned).collect(),
            text: owned(self.text),
            partial: self.partial,
            provenance: self.provenance.map(owned_raw),
            origin: self.origin.map(owned_raw),
            quoted_in: self.quoted_in.map(owned),
            refs: self.refs.map(owned_raw),
            substitutions: self.substitutions.map(owned_raw),
            score: self.score,
            quoted_only: self.quoted_only,
            url: self.url,
            snippet: self.snippet,
            quoting: self.quoting,
            also: self.also.into_iter().map(owned).collect(),
        }
    }

    /// A copy of the hit that borrows its strings from it: no string is copied.
    pub(crate) fn borrowed(&self) -> Hit<'_> {
        Hit {
            id: lent(&self.id),
            doc: lent(&self.doc),
            para: self.para.clone(),
            variant: self.variant,
            title: lent(&self.title),
            kind: lent(&self.kind),
            year: self.year,
            citation: lent(&self.citation),
            section: self.section.iter().map(|s| lent(s)).collect(),
            text: lent(&self.text),
            partial: self.partial,
            provenance: self.provenance.as_deref().map(lent_raw),
            origin: self.origin.as_deref().map(lent_raw),
            quoted_in: self.quoted_in.as_deref().map(lent),
            refs: self.refs.as_deref().map(lent_raw),
            substitutions: self.substitutions.as_deref().map(lent_raw),
            score: self.score,
            quoted_only: self.quoted_only,
            url: self.url.clone(),
            snippet: self.snippet.clone(),
            quoting: self.quoting.clone(),
            also: self.also.iter().map(|s| lent(s)).collect(),
        }
    }

    /// The hit as JSON, written into a buffer of about its size.
    pub(crate) fn to_raw(&self) -> crate::error::Result<Box<RawValue>> {
        let mut json = Vec::with_capacity(self.text.len() + self.snippet.len() + HIT_ROOM);
        serde_json::to_writer(&mut json, self).map_err(crate::index::invalid_record)?;
        // serde_json writes UTF-8; the check is a fast scan of the bytes.
        let json = String::from_utf8(json)
            .map_err(|e| crate::index::invalid_record(serde::ser::Error::custom(e.utf8_error())))?;
        // SAFETY: serde_json's output is one well-formed JSON value without surrounding
        // white space (what `to_raw_value` passes on unchecked; debug builds check it).
        Ok(unsafe { RawValue::from_string_unchecked(json) })
    }
}

fn owned(s: Cow<'_, str>) -> Cow<'static, str> {
    Cow::Owned(s.into_owned())
}

fn owned_raw(raw: Cow<'_, RawValue>) -> Cow<'static, RawValue> {
    Cow::Owned(raw.into_owned())
}

fn lent(s: &str) -> Cow<'_, str> {
    Cow::Borrowed(s)
}

fn lent_raw(raw: &RawValue) -> Cow<'_, RawValue> {
    Cow::Borrowed(raw)
}

/// Reads a nested value (`origin`, `refs`, …) as its stored JSON, borrowed.
fn borrowed_raw<'de: 'a, 'a, D: serde::Deserializer<'de>>(
    value: D,
) -> Result<Option<Cow<'a, RawValue>>, D::Error> {
    Ok(Option::<&'a RawValue>::deserialize(value)?.map(Cow::Borrowed))
}

/// Bytes of a hit's JSON besides its text and snippet.
const HIT_ROOM: usize = 1024;

/// Serialises a long string (a hit's text or snippet) as a JSON string escaped by
/// [`json_string`], which passes over the runs that need no escaping eight bytes at a time;
/// serde_json looks at each byte.
fn long_string<S: serde::Serializer>(value: &str, serializer: S) -> Result<S::Ok, S::Error> {
    // SAFETY: `json_string` writes one JSON string literal, escaped as serde_json escapes
    // (the test below compares the two); debug builds check it again.
    unsafe { RawValue::from_string_unchecked(json_string(value)) }.serialize(serializer)
}

/// `text` as a JSON string literal, quoted and escaped as serde_json escapes it: `"` and `\`, and the
/// control characters (`\n`, `\t`, … or `\u00XX`).
pub(crate) fn json_string(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len() + text.len() / 8 + 2);
    out.push('"');
    let (mut run, mut i) = (0, 0);
    while i < bytes.len() {
        if let Some(word) = bytes.get(i..i + 8)
            && !needs_escape(u64::from_le_bytes(word.try_into().unwrap_or_default()))
        {
            i += 8;
            continue;
        }
        if let Some(escaped) = escape_of(bytes[i]) {
            // Escaped bytes are ASCII: `run`, `i` and `i + 1` are character boundaries.
            out.push_str(&text[run..i]);
            escaped.push_to(&mut out);
            run = i + 1;
        }
        i += 1;
    }
    out.push_str(&text[run..]);
    out.push('"');
    out
}

/// Whether any of the eight bytes of `word` is a control character, `"` or `\`.
fn needs_escape(word: u64) -> bool {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);
    let has_zero = |w: u64| w.wrapping_sub(ONES) & !w & HIGHS != 0;
    let below_space = word.wrapping_sub(ONES * 0x20) & !word & HIGHS != 0;
    below_space || has_zero(word ^ (ONES * b'"' as u64)) || has_zero(word ^ (ONES * b'\\' as u64))
}

/// How a byte is escaped in a JSON string.
enum Escape {
    Short(&'static str),
    Unicode(u8),
}

impl Escape {
    fn push_to(&self, out: &mut String) {
        match *self {
            Escape::Short(s) => out.push_str(s),
            Escape::Unicode(b) => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.push_str("\\u00");
                out.push(HEX[(b >> 4) as usize] as char);
                out.push(HEX[(b & 0xf) as usize] as char);
            }
        }
    }
}

/// The escape of `byte` in a JSON string, as serde_json writes it; None when it needs none.
fn escape_of(byte: u8) -> Option<Escape> {
    Some(match byte {
        b'"' => Escape::Short("\\\""),
        b'\\' => Escape::Short("\\\\"),
        b'\n' => Escape::Short("\\n"),
        b'\r' => Escape::Short("\\r"),
        b'\t' => Escape::Short("\\t"),
        0x08 => Escape::Short("\\b"),
        0x0c => Escape::Short("\\f"),
        0..0x20 => Escape::Unicode(byte),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        let mut texts = vec![
            String::new(),
            "plain ASCII text that runs past eight bytes".to_string(),
            "quotes \" and back\\slashes\\\" in a row".to_string(),
            "controls \n\r\t\u{8}\u{c}\u{0}\u{1f}\u{7f} and é, “curly”, 中文 …".to_string(),
        ];
        // Every byte below 0x80 at every offset of an eight-byte word.
        for b in 0u8..0x80 {
            for at in 0..9 {
                let mut t = "abcdefghijklmnop".to_string();
                t.insert(at, b as char);
                texts.push(t);
            }
        }
        for text in texts {
            assert_eq!(
                json_string(&text),
                serde_json::to_string(&text).unwrap(),
                "{text:?}"
            );
        }
    }
}

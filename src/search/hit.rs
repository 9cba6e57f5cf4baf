//! One hit: the one definition of what a search answers per hit.
//!
//! A [`Hit`] is read from the record's stored JSON, borrowing its strings (and the nested
//! `provenance`, `origin`, `refs` and `substitutions` as raw JSON, [`Nested`]): once per
//! loaded record, or once per record when the build opens for a build whose records are held
//! in memory ([`crate::search`]'s `resident`), whose hits a page then borrows. Grouping reads
//! it, the page adds its score, snippet, url and `also`, and it is written in one pass
//! ([`crate::search`]'s `json`).

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
    #[serde(borrow)]
    pub text: Cow<'a, str>,
    /// Only part of the paragraph.
    #[serde(default)]
    pub partial: bool,
    /// Where the text comes from (as stored: a [`crate::model::Provenance`], which a hit only passes on).
    /// Every stored record has one (a records file's record is given one when it is read).
    #[serde(default, borrow, skip_serializing_if = "Option::is_none")]
    pub provenance: Option<Nested<'a>>,
    /// Where an imported official record's text is in the published file (as stored).
    #[serde(default, borrow, skip_serializing_if = "Option::is_none")]
    pub origin: Option<Nested<'a>>,
    /// The background record that quotes this official paragraph.
    #[serde(default, borrow, skip_serializing_if = "Option::is_none")]
    pub quoted_in: Option<Cow<'a, str>>,
    /// Official paragraphs this record refers to (as stored).
    #[serde(default, borrow, skip_serializing_if = "Option::is_none")]
    pub refs: Option<Nested<'a>>,
    /// What the digital rewriter changed (as stored).
    #[serde(default, borrow, skip_serializing_if = "Option::is_none")]
    pub substitutions: Option<Nested<'a>>,
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
    #[serde(default)]
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
            provenance: self.provenance.map(Nested::into_owned),
            origin: self.origin.map(Nested::into_owned),
            quoted_in: self.quoted_in.map(owned),
            refs: self.refs.map(Nested::into_owned),
            substitutions: self.substitutions.map(Nested::into_owned),
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
            provenance: self.provenance.as_ref().map(Nested::borrowed),
            origin: self.origin.as_ref().map(Nested::borrowed),
            quoted_in: self.quoted_in.as_deref().map(lent),
            refs: self.refs.as_ref().map(Nested::borrowed),
            substitutions: self.substitutions.as_ref().map(Nested::borrowed),
            score: self.score,
            quoted_only: self.quoted_only,
            url: self.url.clone(),
            snippet: self.snippet.clone(),
            quoting: self.quoting.clone(),
            also: self.also.iter().map(|s| lent(s)).collect(),
        }
    }

    /// The hit as JSON, written into a buffer of about its size.
    pub(crate) fn to_raw(&self) -> Box<RawValue> {
        let mut json = String::with_capacity(self.text.len() + self.snippet.len() + HIT_ROOM);
        crate::search::json::push_hit(&mut json, self);
        // SAFETY: `push_hit` writes one JSON object without white space around it, as
        // serde_json serialises the hit (the tests of `search::json` compare the two); debug
        // builds check it again.
        unsafe { RawValue::from_string_unchecked(json) }
    }
}

/// Bytes of a hit's JSON besides its text and snippet.
const HIT_ROOM: usize = 1024;

fn owned(s: Cow<'_, str>) -> Cow<'static, str> {
    Cow::Owned(s.into_owned())
}

fn lent(s: &str) -> Cow<'_, str> {
    Cow::Borrowed(s)
}

/// A nested value of a stored record (`provenance`, `origin`, `refs`, `substitutions`) as its
/// JSON: read borrowed from the record's JSON, passed on as it is.
#[derive(Debug, Clone, Serialize)]
#[serde(transparent)]
pub struct Nested<'a>(pub Cow<'a, RawValue>);

impl Nested<'_> {
    fn into_owned(self) -> Nested<'static> {
        Nested(Cow::Owned(self.0.into_owned()))
    }

    fn borrowed(&self) -> Nested<'_> {
        Nested(Cow::Borrowed(&self.0))
    }

    /// The value's JSON.
    pub fn get(&self) -> &str {
        self.0.get()
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Nested<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(value: D) -> Result<Self, D::Error> {
        <&'a RawValue>::deserialize(value).map(|raw| Nested(Cow::Borrowed(raw)))
    }
}

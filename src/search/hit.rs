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
    #[serde(borrow)]
    pub text: Cow<'a, str>,
    /// Only part of the paragraph.
    #[serde(default)]
    pub partial: bool,
    /// Where the text comes from (as stored: a [`crate::model::Provenance`], which a hit only passes on).
    /// Every stored record has one (a records file's record is given one when it is read).
    #[serde(default, borrow, skip_serializing_if = "Option::is_none")]
    pub provenance: Option<&'a RawValue>,
    /// Where an imported official record's text is in the published file (as stored).
    #[serde(default, borrow, skip_serializing_if = "Option::is_none")]
    pub origin: Option<&'a RawValue>,
    /// The background record that quotes this official paragraph.
    #[serde(default, borrow, skip_serializing_if = "Option::is_none")]
    pub quoted_in: Option<Cow<'a, str>>,
    /// Official paragraphs this record refers to (as stored).
    #[serde(default, borrow, skip_serializing_if = "Option::is_none")]
    pub refs: Option<&'a RawValue>,
    /// What the digital rewriter changed (as stored).
    #[serde(default, borrow, skip_serializing_if = "Option::is_none")]
    pub substitutions: Option<&'a RawValue>,
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

    /// The hit as JSON, in one pass (serde_json's own output, not parsed again to check it).
    pub(crate) fn to_raw(&self) -> crate::error::Result<Box<RawValue>> {
        serde_json::value::to_raw_value(self).map_err(crate::index::invalid_record)
    }
}

//! The paragraph model: [`ParaLabel`] (the grammar of paragraph labels) and [`Record`], the
//! unit that is indexed, searched, cited and exported. Nothing here reads files or builds
//! records; `split`, `quote` and `variant` do that.
//!
//! The JSON form of a [`Record`] is what `wsis export` prints, one object per line, and what
//! `wsis index --records` reads back.

pub mod field;

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A paragraph label.
///
/// One grammar for every document:
/// - `72`, `72(e)`, `13(b)(iv)`: a numbered paragraph and any depth of items under it;
/// - `pp3`: the third unnumbered preambular paragraph of a resolution;
/// - `fn2`: footnote 2;
/// - `p12`: the twelfth paragraph (or bullet item, or table row) of an unnumbered
///   background document, counted from the top.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ParaLabel {
    /// A numbered paragraph, with the item path below it (empty for the paragraph itself).
    Numbered {
        /// The paragraph number.
        number: u32,
        /// Item markers from the outside in, lower-case, without brackets: `["b", "iv"]`.
        items: Vec<String>,
    },
    /// An unnumbered preambular paragraph, counted from 1.
    Preamble(u32),
    /// A footnote, by its number.
    Footnote(u32),
    /// A paragraph of an unnumbered document, counted from 1.
    Counted(u32),
}

impl ParaLabel {
    /// The label of numbered paragraph `number` itself.
    pub fn numbered(number: u32) -> Self {
        ParaLabel::Numbered {
            number,
            items: Vec::new(),
        }
    }

    /// The label of an item under this one: `72` → `72(e)`.
    pub fn with_item(&self, item: &str) -> Option<Self> {
        match self {
            ParaLabel::Numbered { number, items } => {
                let mut items = items.clone();
                items.push(item.to_lowercase());
                Some(ParaLabel::Numbered {
                    number: *number,
                    items,
                })
            }
            _ => None,
        }
    }

    /// The paragraph an item belongs to (`72(e)` → `72`); any other label is its own.
    pub fn paragraph(&self) -> Self {
        match self {
            ParaLabel::Numbered { number, .. } => ParaLabel::numbered(*number),
            other => other.clone(),
        }
    }

    /// Whether this label is `other` or an item under it: `72(e)` is within `72`.
    pub fn is_within(&self, other: &ParaLabel) -> bool {
        match (self, other) {
            (
                ParaLabel::Numbered { number, items },
                ParaLabel::Numbered {
                    number: n,
                    items: outer,
                },
            ) => number == n && items.starts_with(outer),
            _ => self == other,
        }
    }

    /// The paragraph number, for a numbered label.
    pub fn number(&self) -> Option<u32> {
        match self {
            ParaLabel::Numbered { number, .. } => Some(*number),
            _ => None,
        }
    }

    /// Where the paragraph stands when its document is read from the top: the preamble, then
    /// the numbered paragraphs, each followed by its items (letters in alphabetical order,
    /// roman sub-items by value: `13(b)(ix)` before `13(b)(x)`), then counted paragraphs,
    /// then footnotes. Sorting by this key puts quoted paragraphs in the document's order.
    pub fn reading_order(&self) -> (u8, u32, Vec<(usize, String)>) {
        match self {
            ParaLabel::Preamble(n) => (0, *n, Vec::new()),
            ParaLabel::Numbered { number, items } => {
                let keys = items
                    .iter()
                    .enumerate()
                    .map(
                        |(depth, item)| match roman_value(item).filter(|_| depth > 0) {
                            Some(value) => (value, String::new()),
                            None => (item.len(), item.clone()),
                        },
                    )
                    .collect();
                (1, *number, keys)
            }
            ParaLabel::Counted(n) => (2, *n, Vec::new()),
            ParaLabel::Footnote(n) => (3, *n, Vec::new()),
        }
    }

    /// How a citation writes this label after the document's name: `para. 72(e)`,
    /// `preambular para. 3`, `footnote 2`, `para. p12` (counted, not numbered by the source).
    pub fn citation_form(&self) -> String {
        match self {
            ParaLabel::Numbered { .. } => format!("para. {self}"),
            ParaLabel::Preamble(n) => format!("preambular para. {n}"),
            ParaLabel::Footnote(n) => format!("footnote {n}"),
            ParaLabel::Counted(_) => format!("para. {self}"),
        }
    }
}

impl fmt::Display for ParaLabel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParaLabel::Numbered { number, items } => {
                write!(f, "{number}")?;
                items.iter().try_for_each(|item| write!(f, "({item})"))
            }
            ParaLabel::Preamble(n) => write!(f, "pp{n}"),
            ParaLabel::Footnote(n) => write!(f, "fn{n}"),
            ParaLabel::Counted(n) => write!(f, "p{n}"),
        }
    }
}

/// Why a string is not a paragraph label.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{input:?} is not a paragraph label (forms: 72, 72(e), 13(b)(iv), pp3, fn2, p12)")]
pub struct BadLabel {
    /// The string that was given.
    pub input: String,
}

impl FromStr for ParaLabel {
    type Err = BadLabel;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || BadLabel { input: s.into() };
        let counted = |prefix: &str| s.strip_prefix(prefix).and_then(parse_number);
        if let Some(n) = counted("pp") {
            return Ok(ParaLabel::Preamble(n));
        }
        if let Some(n) = counted("fn") {
            return Ok(ParaLabel::Footnote(n));
        }
        if let Some(n) = counted("p") {
            return Ok(ParaLabel::Counted(n));
        }
        let digits = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
        let number = parse_number(&s[..digits]).ok_or_else(bad)?;
        let mut items = Vec::new();
        let mut rest = &s[digits..];
        while !rest.is_empty() {
            let inner = rest.strip_prefix('(').ok_or_else(bad)?;
            let close = inner.find(')').ok_or_else(bad)?;
            let item = &inner[..close];
            let is_item =
                !item.is_empty() && item.len() <= 6 && item.chars().all(|c| c.is_ascii_lowercase());
            if !is_item {
                return Err(bad());
            }
            items.push(item.to_string());
            rest = &inner[close + 1..];
        }
        Ok(ParaLabel::Numbered { number, items })
    }
}

/// The value of a lower-case roman numeral (`iv` → 4), for item order.
fn roman_value(item: &str) -> Option<usize> {
    let digit = |c| match c {
        'i' => Some(1),
        'v' => Some(5),
        'x' => Some(10),
        'l' => Some(50),
        'c' => Some(100),
        _ => None,
    };
    let digits: Vec<usize> = item.chars().map(digit).collect::<Option<_>>()?;
    // From the right: a digit smaller than one after it is subtracted (`ix` = 10 - 1).
    let mut value = 0usize;
    let mut largest = 0;
    for &d in digits.iter().rev() {
        if d < largest {
            value = value.saturating_sub(d);
        } else {
            value += d;
            largest = d;
        }
    }
    (!digits.is_empty()).then_some(value)
}

/// A positive number without sign or leading zero.
fn parse_number(s: &str) -> Option<u32> {
    let ok = !s.is_empty() && !s.starts_with('0') && s.bytes().all(|b| b.is_ascii_digit());
    ok.then(|| s.parse().ok()).flatten()
}

impl Serialize for ParaLabel {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for ParaLabel {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// Which text a record holds: the source's words, or their "digital society" rewording.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Variant {
    /// The text as the source gives it.
    #[default]
    Original,
    /// The text rewritten by the three rules of `variant`.
    Digital,
}

impl Variant {
    /// `original` or `digital`.
    pub fn as_str(self) -> &'static str {
        match self {
            Variant::Original => "original",
            Variant::Digital => "digital",
        }
    }
}

/// What kind of document this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// An official outcome document of a summit (Tunis Agenda).
    OutcomeDocument,
    /// A General Assembly resolution (A/RES/70/125).
    Resolution,
    /// A fact sheet.
    FactSheet,
    /// A web page.
    WebPage,
    /// A press release.
    PressRelease,
    /// A briefing note.
    BriefingNote,
    /// Not given: a document known only from records (`wsis index --records`) that do not
    /// say its kind. Written as an empty string; a corpus header cannot use it.
    #[serde(rename = "")]
    #[default]
    Unspecified,
}

impl Kind {
    pub(crate) const ALL: [(Kind, &'static str); 6] = [
        (Kind::OutcomeDocument, "outcome-document"),
        (Kind::Resolution, "resolution"),
        (Kind::FactSheet, "fact-sheet"),
        (Kind::WebPage, "web-page"),
        (Kind::PressRelease, "press-release"),
        (Kind::BriefingNote, "briefing-note"),
    ];

    /// The name used in headers and in the index: `outcome-document`, `fact-sheet`, … (empty
    /// for [`Kind::Unspecified`]).
    pub fn as_str(self) -> &'static str {
        Kind::ALL
            .iter()
            .find(|(k, _)| *k == self)
            .map_or("", |(_, name)| name)
    }

    /// The kinds of the official texts, whose paragraphs are numbered.
    pub const OFFICIAL: [Kind; 2] = [Kind::OutcomeDocument, Kind::Resolution];

    /// True for the official texts (outcome documents and resolutions), whose paragraphs
    /// are numbered; false for the background documents ("fact sheets").
    pub fn is_official(self) -> bool {
        Kind::OFFICIAL.contains(&self)
    }

    /// The kind a header names, if it is one of the six.
    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL
            .iter()
            .find(|(_, name)| *name == s)
            .map(|(k, _)| *k)
    }
}

/// A record's stable id: its document, label and variant, and for a paragraph quoted a
/// second time, the background record of that quote. Written `tunis-agenda/72(e)`,
/// `tunis-agenda/72(e)/digital`, `tunis-agenda/72@isoc-page/p3`: the `id` of a [`Record`],
/// the key of its permalink, and the `quoted_in` of a quoted paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordId {
    /// The document id.
    pub doc: String,
    /// The label.
    pub para: ParaLabel,
    /// Original or digital.
    pub variant: Variant,
    /// For a second quote of one paragraph: the id of the background record it stands in.
    pub quoting: Option<String>,
}

impl RecordId {
    /// Before the background record of a second quote.
    const QUOTING: char = '@';
    /// After the label of a digital variant.
    const DIGITAL: &str = "/digital";

    /// The id of paragraph `para` of `doc` in `variant`.
    pub fn new(doc: &str, para: &ParaLabel, variant: Variant) -> RecordId {
        RecordId {
            doc: doc.to_string(),
            para: para.clone(),
            variant,
            quoting: None,
        }
    }

    /// The id of this paragraph as quoted a second time, by the record `quoting`.
    pub fn quoted_again_in(self, quoting: &str) -> RecordId {
        RecordId {
            quoting: Some(quoting.to_string()),
            ..self
        }
    }

    /// The same record's id in `variant`.
    pub fn in_variant(self, variant: Variant) -> RecordId {
        RecordId { variant, ..self }
    }

    /// Reads an id this crate wrote; None for another form (a records file may give any id).
    pub fn parse(id: &str) -> Option<RecordId> {
        let (main, quoting) = match id.split_once(Self::QUOTING) {
            Some((main, quoting)) => (main, Some(quoting.to_string())),
            None => (id, None),
        };
        let (main, variant) = match main.strip_suffix(Self::DIGITAL) {
            Some(main) => (main, Variant::Digital),
            None => (main, Variant::Original),
        };
        let (doc, para) = main.split_once('/')?;
        Some(RecordId {
            doc: doc.to_string(),
            para: para.parse().ok()?,
            variant,
            quoting,
        })
    }
}

impl fmt::Display for RecordId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.doc, self.para)?;
        if self.variant == Variant::Digital {
            f.write_str(Self::DIGITAL)?;
        }
        match &self.quoting {
            Some(quoting) => write!(f, "{}{quoting}", Self::QUOTING),
            None => Ok(()),
        }
    }
}

/// Where a record's text comes from.
///
/// For a corpus record, the text is exactly the bytes of `spans` in `file`, each span's line
/// breaks read as spaces and the spans joined by one space (a paragraph interrupted by a
/// footnote block, or items joined into a whole, have several spans). A digital variant's
/// provenance is that of its original. For a record read from a JSON-lines file, `file` and
/// `line_start` name the line, and `spans` is empty.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Provenance {
    /// The file, relative to the corpus directory's parent (`corpus/isoc-fact-sheet.txt`).
    pub file: String,
    /// First line (1-based) of the file the text comes from.
    pub line_start: usize,
    /// Last line (1-based, inclusive).
    pub line_end: usize,
    /// Byte ranges `[start, end)` of the file that hold the text.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub spans: Vec<(usize, usize)>,
}

/// Where an imported record's text was in the file as published: that file, its SHA-256, and
/// its lines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Origin {
    /// The published file's name.
    pub file: String,
    /// Its SHA-256, hex.
    pub sha256: String,
    /// First line (1-based) in that file.
    pub line_start: usize,
    /// Last line.
    pub line_end: usize,
}

/// A reference in a record's text to an official paragraph: "(para 69, WSIS+10 outcome
/// document)", "Paragraph 111 of the Tunis Agenda", "(para 69–71)" (one per paragraph).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CrossRef {
    /// The official document's id.
    pub doc: String,
    /// The paragraph referred to.
    pub para: ParaLabel,
    /// The words of the reference as written.
    pub written: String,
}

/// One substitution the digital-society rewriter made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Substitution {
    /// Byte offset in the original text.
    pub start: usize,
    /// Byte offset in the original text where the replaced words end.
    pub end: usize,
    /// Byte offset in the digital text where the replacement starts.
    pub new_start: usize,
    /// The words replaced.
    pub before: String,
    /// The words put in their place.
    pub after: String,
}

/// One paragraph record: the unit that is indexed, searched, cited and exported.
///
/// JSON (one line per record in `wsis export`): every field below; `refs`, `substitutions`,
/// `section` and `quoted_in` may be empty or absent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// Stable id (document, label, variant), see [`RecordId`].
    #[serde(default)]
    pub id: String,
    /// The document id (`tunis-agenda`).
    pub doc: String,
    /// The paragraph label.
    pub para: ParaLabel,
    /// Original text or digital-society variant.
    #[serde(default)]
    pub variant: Variant,
    /// The document's title.
    #[serde(default)]
    pub title: String,
    /// The document's kind (`outcome-document`, `fact-sheet`, …; empty when not given).
    #[serde(default)]
    pub kind: Kind,
    /// The year of the document's date, where it gives one.
    #[serde(default)]
    pub year: Option<i32>,
    /// The citation: "Tunis Agenda, para. 72(e)".
    #[serde(default)]
    pub citation: String,
    /// The headings the paragraph sits under, outermost first.
    #[serde(default)]
    pub section: Vec<String>,
    /// The paragraph's text.
    pub text: String,
    /// True when the text is only part of the paragraph (a quote, or a whole assembled from
    /// items whose opening words the source does not give).
    #[serde(default)]
    pub partial: bool,
    /// Where the text comes from.
    #[serde(default)]
    pub provenance: Provenance,
    /// For a record of an imported official file: where its text is in the published file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<Origin>,
    /// For a quoted official paragraph: the id of the background record that quotes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quoted_in: Option<String>,
    /// Official paragraphs this record refers to.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub refs: Vec<CrossRef>,
    /// For a digital variant: what the rewriter changed, with offsets into the original.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub substitutions: Vec<Substitution>,
}

impl Record {
    /// Whether this is a second quote of a paragraph already quoted elsewhere
    /// (`tunis-agenda/72@isoc-page/p3`): kept and searchable, but not the paragraph's record.
    pub fn is_second_quote(&self) -> bool {
        RecordId::parse(&self.id).is_some_and(|id| id.quoting.is_some())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(input: &str, expect: Result<&str, ()>) {
        let got = input
            .parse::<ParaLabel>()
            .map(|l| l.to_string())
            .map_err(|_| ());
        assert_eq!(got.as_deref().map_err(|_| ()), expect, "{input}");
    }

    #[test]
    fn labels_round_trip() {
        for ok in ["72", "72(e)", "13(b)(iv)", "pp3", "fn2", "p12", "1"] {
            check(ok, Ok(ok));
        }
    }

    #[test]
    fn bad_labels_are_refused() {
        for bad in [
            "", "0", "072", "72e", "72()", "72(E)", "72(e", "pp", "p0", "x1", "72(1)",
        ] {
            check(bad, Err(()));
        }
    }

    #[test]
    fn reading_order_is_the_order_of_the_document() {
        let labels = [
            "fn1",
            "p2",
            "72",
            "13(b)(x)",
            "pp2",
            "72(l)",
            "13(b)(ix)",
            "13(b)",
            "13",
            "72(a)",
            "pp1",
            "34",
        ];
        let mut sorted: Vec<ParaLabel> = labels.iter().map(|l| l.parse().unwrap()).collect();
        sorted.sort_by_key(ParaLabel::reading_order);
        let sorted: Vec<String> = sorted.iter().map(ToString::to_string).collect();
        assert_eq!(
            sorted,
            [
                "pp1",
                "pp2",
                "13",
                "13(b)",
                "13(b)(ix)",
                "13(b)(x)",
                "34",
                "72",
                "72(a)",
                "72(l)",
                "p2",
                "fn1"
            ]
        );
    }

    #[test]
    fn citation_forms() {
        let forms: Vec<String> = ["72(e)", "pp3", "fn2", "p12"]
            .iter()
            .map(|l| l.parse::<ParaLabel>().unwrap().citation_form())
            .collect();
        assert_eq!(
            forms,
            [
                "para. 72(e)",
                "preambular para. 3",
                "footnote 2",
                "para. p12"
            ]
        );
    }

    #[test]
    fn record_ids_read_back_as_written() {
        for id in [
            "tunis-agenda/72(e)",
            "tunis-agenda/72(e)/digital",
            "tunis-agenda/72@isoc-page/p3",
            "tunis-agenda/72/digital@isoc-page/p3",
            "un-press/fn2",
        ] {
            let parsed = RecordId::parse(id).unwrap();
            assert_eq!(parsed.to_string(), id);
        }
        let id = RecordId::new("ta", &"72(e)".parse().unwrap(), Variant::Original)
            .quoted_again_in("bg/p3")
            .in_variant(Variant::Digital);
        assert_eq!(id.to_string(), "ta/72(e)/digital@bg/p3");
        assert_eq!(RecordId::parse("no slash"), None);
    }
}

//! The names of the index's fields: what `index::schema` builds and what queries name
//! (`doc:tunis-agenda`, `title:forum`). One constant per field, one list of the analysed ones.

/// The record's id (exact).
pub const ID: &str = "id";
/// The document id (exact, fast: facets and filters).
pub const DOC: &str = "doc";
/// The paragraph label (exact).
pub const PARA: &str = "para";
/// `original` or `digital` (exact).
pub const VARIANT: &str = "variant";
/// The document's kind (exact).
pub const KIND: &str = "kind";
/// The year of the document's date (fast: sorting by date, year ranges).
pub const YEAR: &str = "year";
/// The record's place in corpus order (fast: document pages in order).
pub const SEQ: &str = "seq";
/// The citation, analysed.
pub const CITATION: &str = "citation";
/// The headings above the paragraph, analysed.
pub const SECTION: &str = "section";
/// The document's title, analysed.
pub const TITLE: &str = "title";
/// The paragraph's text, analysed.
pub const TEXT: &str = "text";
/// The stored record (its JSON).
pub const RECORD: &str = "record";
/// The paragraphs the record cites, as `doc/label` (exact; `cites:` in queries).
pub const CITES: &str = "cites";
/// Other forms of the record's acronyms and compounds, analysed.
pub const ALIASES: &str = "aliases";
/// For a quoted official paragraph, the quoting record's headings and text, analysed.
pub const CONTEXT: &str = "context";
/// The tiers of how often the paragraph is cited (exact).
pub const AUTHORITY: &str = "authority";
/// The group a record shares with other records (exact; see `index::groups`).
pub const GROUP: &str = "group";

/// The analysed fields: where a word without a field is looked for, in this order (the
/// order of `Fields::analysed` and of the word-pairs fields).
pub const ANALYSED: [&str; 6] = [TEXT, SECTION, CITATION, TITLE, ALIASES, CONTEXT];

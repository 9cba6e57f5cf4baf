//! Full-text search over an opened index: the query language (tantivy's, with `word*`
//! prefixes), filters, totals and facets, grouping of near-duplicate records, and snippets.
//!
//! # Query language
//!
//! Words are required by default (each word narrows the result; `any` asks for any of them),
//! matched after the analysis of `index::analyzer` (case, accents, look-alike letters and
//! English stems folded). `"quoted phrases"` match in order, `"digital divide"~5` within five
//! words; `AND`, `OR`, `NOT`, `+`, `-` and parentheses combine; `multistake*` matches words
//! starting so; `doc:tunis-agenda`, `para:72`, `kind:fact-sheet`, `variant:digital`,
//! `text:…`, `section:…`, `citation:…` and `title:…` restrict a term to one field. Without a
//! field, words are looked for in the text, the heading path, the citation, the title, the
//! glossary's other forms of its acronyms ("IGF" finds "Internet Governance Forum"), and, for
//! a quoted official paragraph, the background paragraph that quotes it.
//!
//! Ranking is BM25 over those fields (the text weighs most, the sentence quoting an official
//! paragraph more), plus [`OFFICIAL_BOOST`] for records of official documents and
//! [`AUTHORITY_STEP`] for each doubling of the records that cite a paragraph or its items, so
//! the paragraph a researcher cites comes before the pages that talk about it.
//!
//! # Grouping
//!
//! Near-duplicates are grouped: the hit stands for its group and lists the others in
//! `also`. A numbered paragraph and its items are one group, led by the whole paragraph when
//! two or more items match; a background paragraph joins the group of the official
//! paragraph it quotes, led by the official record if the quote is a whole item, else by the
//! better-ranked. Totals count records, not groups.

pub(crate) mod budget;
pub mod correct;
mod count;
mod group;
pub(crate) mod hit;
mod json;
pub(crate) mod known;
pub(crate) mod prose;
mod query;
mod resident;
pub(crate) mod rewrite;
pub(crate) mod snippet;
pub(crate) mod symbols;
pub(crate) mod syntax;

pub use hit::{Hit, Nested, Quoting};

use std::collections::HashMap;
use std::ops::Bound;
use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;
use serde_json::value::RawValue;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, ConstScoreQuery, Occur, Query, QueryParser, RangeQuery};
use tantivy::tokenizer::TokenStream;
use tantivy::{DocAddress, IndexReader, Order, ReloadPolicy, Term};

use crate::error::{Error, Result};
use crate::index::{BuildInfo, Opened};
use crate::model::{Kind, ParaLabel, Record, RecordId, Variant, field};
use crate::reference;
use crate::search::budget::{Budget, BudgetQuery};
use crate::search::count::{MatchCounts, count_matches, doc_columns, one_pass_is_cheaper};
use crate::search::query::{check_query, check_window, query_parser, term_query, terms_query};
use crate::search::rewrite::Refusal;
use crate::search::snippet::Highlighter;

/// The longest query accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 1000;
/// The deepest nesting of parentheses a query may have.
pub const MAX_NESTING: usize = 50;
/// The most hits one page may hold.
pub const MAX_LIMIT: usize = 100;
/// The deepest result window: `offset + limit` may not pass it.
pub const MAX_WINDOW: usize = 10_000;
/// Matches are counted (for the total and the facets) up to this many; past it the total is
/// a lower bound ("10,000+"), as Elasticsearch does, so that a common word costs no more
/// than a rare one.
pub const COUNT_CAP: usize = 10_000;
/// Documents listed in the facets (most matches first); the rest are counted in `more_docs`.
pub const FACET_DOCS: usize = 25;
/// The score added to hits from official documents.
pub const OFFICIAL_BOOST: f32 = 1.0;
/// The time a search may take unless told otherwise ([`Searcher::search_within`]); past it,
/// the search stops and answers `query_too_expensive`.
pub const QUERY_BUDGET: Duration = Duration::from_secs(2);
/// Added to a paragraph's score for each authority tier it reaches (cited by at least 1, 2,
/// 4, … records; see [`crate::index::authority_tiers`]): the paragraph that is cited ranks
/// above the pages that talk about it, as a court ranks opinions by how often they are cited.
pub const AUTHORITY_STEP: f32 = 1.0;
/// Blocks of stored records kept in memory per segment (4 KiB each, the build's block size;
/// tantivy keeps 100): the records of a corpus of a few thousand paragraphs fit, so that a
/// page of hits copies no block out of the store.
const DOC_STORE_CACHE_BLOCKS: usize = 1024;
/// The tiers queried: up to 2^5 = 32 citing records.
const AUTHORITY_TIERS: usize = 6;

/// Which variants a search returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum VariantFilter {
    /// The source's words only.
    #[default]
    Original,
    /// The digital-society variants only.
    Digital,
    /// Both.
    All,
}

impl std::str::FromStr for VariantFilter {
    type Err = String;

    fn from_str(s: &str) -> std::result::Result<Self, String> {
        match s {
            "original" => Ok(VariantFilter::Original),
            "digital" => Ok(VariantFilter::Digital),
            "all" => Ok(VariantFilter::All),
            _ => Err(format!("variant is original, digital or all, not {s:?}")),
        }
    }
}

/// The order of hits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Sort {
    /// Best match first (BM25).
    #[default]
    Relevance,
    /// Newest document first.
    Date,
}

impl std::str::FromStr for Sort {
    type Err = String;

    fn from_str(s: &str) -> std::result::Result<Self, String> {
        match s {
            "relevance" => Ok(Sort::Relevance),
            "date" => Ok(Sort::Date),
            _ => Err(format!("sort is relevance or date, not {s:?}")),
        }
    }
}

/// Words a query may have and still count as cheap for [`looks_expensive`].
pub const CHEAP_WORDS: usize = 8;

/// Whether a query looks expensive before it is run: it has a prefix (`*`), a proximity
/// (`~`, which reads positions), or more than [`CHEAP_WORDS`] words. (An exact phrase is
/// answered from the word pairs, as cheaply as a word.) The server runs such queries in their
/// own lane, so they cannot hold every search slot.
pub fn looks_expensive(query: &str) -> bool {
    query.contains(['*', '~']) || query.split_whitespace().count() > CHEAP_WORDS
}

/// Parses a year filter: `2005` or `2003..2005`.
pub fn parse_years(s: &str) -> std::result::Result<(i32, i32), String> {
    let year = |y: &str| {
        y.trim()
            .parse::<i32>()
            .ok()
            .filter(|y| (1..=9999).contains(y))
            .ok_or_else(|| format!("{y:?} is not a year; write 2005 or 2003..2005"))
    };
    let (from, to) = match s.split_once("..") {
        Some((a, b)) => (year(a)?, year(b)?),
        None => (year(s)?, year(s)?),
    };
    if from > to {
        return Err(format!("{from}..{to} ends before it starts"));
    }
    Ok((from, to))
}

/// What to search for and how to page it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchOptions {
    /// The query, in the language above.
    pub query: String,
    /// Only these documents (any of them); empty for all.
    pub docs: Vec<String>,
    /// Which variants.
    pub variant: VariantFilter,
    /// Only these kinds (any of them); empty for all.
    pub kinds: Vec<String>,
    /// Only documents dated in these years, inclusive.
    pub years: Option<(i32, i32)>,
    /// Order of hits.
    pub sort: Sort,
    /// Any word suffices, rather than every word.
    pub any: bool,
    /// Hits to return.
    pub limit: usize,
    /// Hits to skip.
    pub offset: usize,
    /// A word that matches nothing is replaced by the closest words of the corpus (see
    /// [`crate::index::typo`]).
    pub typo: bool,
}

impl Default for SearchOptions {
    fn default() -> Self {
        SearchOptions {
            query: String::new(),
            docs: Vec::new(),
            variant: VariantFilter::Original,
            kinds: Vec::new(),
            years: None,
            sort: Sort::Relevance,
            any: false,
            limit: 10,
            offset: 0,
            typo: true,
        }
    }
}

/// One page of results: what `wsis search --json` prints and `GET /api/search` serves.
#[derive(Debug, Clone, Serialize)]
pub struct SearchPage {
    /// The query as given.
    pub query: String,
    /// Records that match (all pages); counted up to [`COUNT_CAP`], past which it is a
    /// lower bound and `total_exact` is false.
    pub total: usize,
    /// Whether `total` (and the facet counts) are exact.
    pub total_exact: bool,
    /// Whether a next page has hits. Pages hold hits, and a hit may stand for several
    /// records (its `also`), so `offset + limit < total` does not say it.
    pub has_more: bool,
    /// Hits skipped.
    pub offset: usize,
    /// Hits asked for.
    pub limit: usize,
    /// The hits of this page.
    pub hits: Vec<Box<RawValue>>,
    /// Matching records per document, most first.
    pub facets: Facets,
    /// The index build that answered.
    pub index: IndexVersion,
    /// The words of the query that matched nothing and the words searched instead (empty
    /// when the query was searched as typed).
    pub corrected: Vec<crate::search::correct::Correction>,
}

/// The index build that gave an answer, so a quoted result can be reproduced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IndexVersion {
    /// Build id.
    pub build: String,
    /// When it was built (UTC).
    pub built_at: String,
}

impl From<&BuildInfo> for IndexVersion {
    fn from(info: &BuildInfo) -> Self {
        IndexVersion {
            build: info.id.clone(),
            built_at: info.built_at.clone(),
        }
    }
}

/// Facet counts. Serialised by [`json::push_facets`] (`{"docs":[{"doc","title","count"}…],
/// "more_docs"}`), which escapes the titles sixteen bytes at a time.
#[derive(Debug, Clone, Default)]
pub struct Facets {
    /// Matching records per document: the [`FACET_DOCS`] documents with most matches.
    pub docs: Vec<DocCount>,
    /// How many other documents have matches.
    pub more_docs: usize,
}

impl Serialize for Facets {
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        let mut out = String::with_capacity(
            32 + self
                .docs
                .iter()
                .map(|d| d.doc.len() + d.title.len() + 40)
                .sum::<usize>(),
        );
        json::push_facets(&mut out, self);
        // SAFETY: `push_facets` writes one JSON object without white space around it (its
        // test compares it with serde_json's output for the same fields); debug builds check
        // it again.
        unsafe { RawValue::from_string_unchecked(out) }.serialize(serializer)
    }
}

/// Matching records of one document.
#[derive(Debug, Clone, Serialize)]
pub struct DocCount {
    /// Document id.
    pub doc: String,
    /// Its title.
    pub title: String,
    /// Matching records.
    pub count: u64,
}

/// A match's score and address.
type Ranked = (f32, DocAddress);

/// What a page's records are loaded for: the query, its ranked matches and the groups wanted.
struct Loading<'s> {
    searcher: &'s tantivy::Searcher,
    query: &'s dyn Query,
    /// The best-ranked matches, in rank order.
    top: &'s [Ranked],
    /// Whether `top` may leave out matches (it holds as many as were asked for).
    truncated: bool,
    /// The groups to make: the page's and those before it, and one more.
    wanted: usize,
    /// The groups the page shows.
    page: std::ops::Range<usize>,
    /// Whether the matches are ranked by score (else by year, every score 0).
    by_score: bool,
}

/// An index opened for searching.
pub struct Searcher {
    opened: Opened,
    reader: IndexReader,
    titles: HashMap<String, String>,
    /// The name each document's citations start with (its short name, else its title; the
    /// document id where it has neither, as a records file's citations are filled in).
    cite_names: HashMap<String, String>,
    /// Official documents whose full text is not imported.
    quoted_only: std::collections::HashSet<String>,
    /// Whether the index holds records of official documents (for the ranking boost).
    has_official: bool,
    /// Whether the index holds digital-society variants (for the variant filter).
    has_digital: bool,
    /// Whether the index has the word-pairs fields (builds made before them do not).
    has_pairs: bool,
    /// Whether any record is cited (builds made before the authority field, or corpora with
    /// no references, have none): the ranking then adds nothing for it.
    has_authority: bool,
    /// The `doc` values of each segment by ordinal, for the facets.
    doc_names: Vec<Vec<String>>,
    /// The `doc` ordinal of each record, per segment ([`NO_DOC`] for none), for counting
    /// matches by document without decoding the column for each match.
    doc_ords: Vec<Arc<[u32]>>,
    /// The query parser with every word required, and with any word sufficing.
    parser_all: QueryParser,
    parser_any: QueryParser,
    /// The surface words of the build, for typo tolerance (none in builds made before it).
    dictionary: Option<crate::index::typo::Dictionary>,
    /// The names references use for the documents of [`Searcher::catalog`], made once.
    references: std::sync::OnceLock<crate::corpus::DocNames>,
    /// The stored records, held in memory when a server asked for them and the build is
    /// small (else read from the store).
    resident: Option<resident::ResidentRecords>,
    /// The groups the build indexed (none in builds made before them).
    shared_groups: Option<group::SharedGroups>,
}

impl Searcher {
    /// Opens the current build in `dir`.
    pub fn open(dir: &std::path::Path) -> Result<Searcher> {
        Searcher::from_opened(crate::index::open(dir)?)
    }

    /// Wraps an opened build.
    pub fn from_opened(opened: Opened) -> Result<Searcher> {
        let reader = opened
            .index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .doc_store_cache_num_blocks(DOC_STORE_CACHE_BLOCKS)
            .try_into()?;
        let titles = opened
            .info
            .documents
            .iter()
            .map(|d| (d.id.clone(), d.title.clone()))
            .collect();
        let cite_names = catalog_of(&opened.info)
            .into_iter()
            .map(|e| (e.meta.id.clone(), e.meta.cite_name().to_string()))
            .filter(|(_, name)| !name.is_empty())
            .collect();
        let quoted_only = opened
            .info
            .catalog
            .iter()
            .filter(|e| !e.full_text && !e.is_incomplete())
            .map(|e| e.meta.id.clone())
            .collect();
        let searcher = reader.searcher();
        let f = &opened.fields;
        let holds = |field, value: &str| {
            searcher
                .doc_freq(&Term::from_field_text(field, value))
                .map(|n| n > 0)
        };
        let mut has_official = false;
        for kind in Kind::OFFICIAL {
            has_official |= holds(f.kind, kind.as_str())?;
        }
        let has_digital = holds(f.variant, Variant::Digital.as_str())?;
        let has_pairs = opened.fields_have_pairs();
        let has_authority =
            opened.index.schema().get_field(field::AUTHORITY).is_ok() && holds(f.authority, "1")?;
        let (doc_names, doc_ords) = doc_columns(&searcher)?;
        let shared_groups = match opened.index.schema().get_field(field::GROUP) {
            Ok(field) => Some(group::SharedGroups::read(&searcher, field)?),
            Err(_) => None,
        };
        let parser_all = query_parser(&opened, &searcher, true);
        let parser_any = query_parser(&opened, &searcher, false);
        let dictionary = crate::index::typo::Dictionary::load(
            &opened.path.join(crate::index::typo::DICTIONARY_FILE),
        );
        Ok(Searcher {
            opened,
            reader,
            titles,
            cite_names,
            quoted_only,
            has_official,
            has_digital,
            has_pairs,
            has_authority,
            doc_names,
            doc_ords,
            parser_all,
            parser_any,
            dictionary,
            references: std::sync::OnceLock::new(),
            resident: None,
            shared_groups,
        })
    }

    /// Whether exact phrases are answered from the word pairs, which the build has unless it
    /// was made before them (see [`crate::index::pairs`]). Off, they are answered from positions:
    /// the same records, read more slowly (for comparing the two).
    pub fn with_phrase_pairs(mut self, on: bool) -> Searcher {
        self.has_pairs = on && self.opened.fields_have_pairs();
        self
    }

    /// Whether a page's hits come from the records held in memory (see [`resident`]), read
    /// now when the build is small enough: what a server, which answers many searches, asks
    /// for. Off (as [`Searcher::open`] leaves it, so that a one-shot command reads only the
    /// records it shows), they are read from the store: the same hits, read more slowly.
    pub fn with_resident_records(mut self, on: bool) -> Result<Searcher> {
        self.resident = if on {
            let searcher = self.reader.searcher();
            resident::ResidentRecords::read(&searcher, resident::RESIDENT_BUDGET)?
        } else {
            None
        };
        Ok(self)
    }

    /// Checks that the build answers: reads back the stored record of its first document.
    /// Fails when the stored records cannot be read (or under the `search-panics` failpoint).
    pub fn self_check(&self) -> Result<()> {
        if crate::index::failpoint_is("search-panics") {
            return Err(Error::Index(tantivy::TantivyError::InternalError(
                "failpoint search-panics".into(),
            )));
        }
        let searcher = self.reader.searcher();
        if let Some((ord, segment)) = searcher
            .segment_readers()
            .iter()
            .enumerate()
            .find(|(_, s)| s.max_doc() > 0)
        {
            let doc = segment.doc_ids_alive().next().unwrap_or(0);
            self.record_at(&searcher, DocAddress::new(ord as u32, doc))?;
        }
        Ok(())
    }

    /// The build's `build.json`.
    pub fn info(&self) -> &BuildInfo {
        &self.opened.info
    }

    /// The documents the build knows, for citations: its catalog, or for a records build, the
    /// documents of its records.
    pub fn catalog(&self) -> Vec<crate::corpus::CatalogEntry> {
        catalog_of(&self.opened.info)
    }

    /// The names by which references point at the documents of [`Searcher::catalog`] (short
    /// names, aliases, symbols, titles), made on first use and kept for the build.
    pub fn doc_names(&self) -> &crate::corpus::DocNames {
        self.references
            .get_or_init(|| crate::corpus::DocNames::new(self.catalog().iter().map(|e| &e.meta)))
    }

    /// Runs a search within the default time budget, [`QUERY_BUDGET`].
    pub fn search(&self, options: &SearchOptions) -> Result<SearchPage> {
        self.search_within(options, QUERY_BUDGET)
    }

    /// Runs a search that may take at most `budget`: past it, the search stops and fails
    /// with [`Error::QueryTooExpensive`], naming the budget. With `options.typo`, words that
    /// match nothing are corrected first and the page says so.
    pub fn search_within(&self, options: &SearchOptions, budget: Duration) -> Result<SearchPage> {
        let Some((query, corrected)) = self.corrected(options) else {
            return self.search_as_typed(options, budget);
        };
        let mut page = self.search_as_typed(
            &SearchOptions {
                query,
                ..options.clone()
            },
            budget,
        )?;
        page.query = options.query.clone();
        page.corrected = corrected;
        Ok(page)
    }

    /// The query with its words that match nothing corrected, and the corrections; `None`
    /// when typo tolerance is off, the build has no dictionary, the query does not parse, or
    /// nothing needs correcting.
    fn corrected(
        &self,
        options: &SearchOptions,
    ) -> Option<(String, Vec<crate::search::correct::Correction>)> {
        let dictionary = self.dictionary.as_ref().filter(|_| options.typo)?;
        let text = check_query(&options.query).ok()?;
        let text = crate::search::prose::plain(&text).text.into_owned();
        let searcher = self.reader.searcher();
        let fields = self.opened.fields.analysed();
        let matches = |word: &str| {
            let mut analyzer = crate::index::analyzer();
            let mut stream = analyzer.token_stream(word);
            if !stream.advance() {
                return true;
            }
            let term = stream.token().text.clone();
            fields.iter().any(|&field| {
                searcher
                    .doc_freq(&Term::from_field_text(field, &term))
                    .map_or(true, |n| n > 0)
            })
        };
        let corrected = crate::search::correct::correct(&text, dictionary, &matches)?;
        // Parsed only once a word is corrected: most queries need no correction.
        tantivy::query_grammar::parse_query(&crate::search::symbols::quote_symbols(&text)).ok()?;
        Some(corrected)
    }

    /// Runs a search for the query as typed, within `budget`.
    fn search_as_typed(&self, options: &SearchOptions, budget: Duration) -> Result<SearchPage> {
        let budget = Budget::starting_now(budget);
        if crate::index::failpoint_is("search-panics") {
            panic!("failpoint search-panics");
        }
        check_window(options)?;
        let built = self.query(options)?;
        let query = BudgetQuery::new(built.query, budget.clone());
        let page = self.run(options, &query, &built.marking);
        if budget.ran_out() {
            return Err(Error::QueryTooExpensive {
                query: options.query.chars().take(80).collect(),
                reason: format!(
                    "it did not finish within its time budget of {} ms; make it narrower (fewer prefixes, a longer prefix, a filter)",
                    budget.allowed().as_millis()
                ),
            });
        }
        page.map_err(|e| match e {
            // A query the parser accepts can still name a field the index lacks (`x:*`).
            Error::Index(tantivy::TantivyError::FieldNotFound(field)) => Error::QueryParse {
                query: options.query.chars().take(80).collect(),
                reason: format!("there is no field {field:?}"),
            },
            Error::Index(
                tantivy::TantivyError::InvalidArgument(reason)
                | tantivy::TantivyError::SchemaError(reason),
            ) => Error::QueryParse {
                query: options.query.chars().take(80).collect(),
                reason,
            },
            other => other,
        })
    }

    /// Runs a parsed query: top hits, count and facets, groups, snippets.
    fn run(
        &self,
        options: &SearchOptions,
        query: &dyn Query,
        marked: &crate::search::rewrite::Marking,
    ) -> Result<SearchPage> {
        let searcher = self.reader.searcher();
        // One group past the page tells whether there is a next page.
        let wanted = options.offset + options.limit + 1;
        let fetch = (wanted * 2 + 10).min(MAX_WINDOW * 2);
        let (top, total, total_exact, doc_counts) = if one_pass_is_cheaper(&searcher, query)? {
            let (top, (total, counts)) = match options.sort {
                Sort::Relevance => searcher.search(
                    query,
                    &(
                        TopDocs::with_limit(fetch).order_by_score(),
                        self.match_counts(),
                    ),
                )?,
                Sort::Date => {
                    let by_year = TopDocs::with_limit(fetch)
                        .order_by_fast_field::<i64>(field::YEAR, Order::Desc);
                    let (top, counts) = searcher.search(query, &(by_year, self.match_counts()))?;
                    (top.into_iter().map(|(_, a)| (0.0, a)).collect(), counts)
                }
            };
            (top, total, true, counts)
        } else {
            let top = self.top_docs(&searcher, query, options.sort, fetch)?;
            let (total, exact, counts) =
                count_matches(&searcher, query, COUNT_CAP, self.doc_segments())?;
            (top, total, exact, counts)
        };
        let text = self.opened.fields.text;
        let mut snippets = Highlighter::new(query, text, crate::index::analyzer(), marked);
        let mut top = top;
        let mut fetch = fetch;
        let (has_more, hits) = loop {
            let loading = Loading {
                searcher: &searcher,
                query,
                top: &top,
                truncated: top.len() == fetch && fetch < searcher.num_docs() as usize,
                wanted,
                page: options.offset..options.offset + options.limit,
                by_score: options.sort == Sort::Relevance,
            };
            let page = self.load_groups(&loading, Vec::new(), &mut |groups| {
                let has_more = groups.len() >= wanted;
                let hits = groups
                    .into_iter()
                    .skip(options.offset)
                    .take(options.limit)
                    .map(|hit| self.finished(hit, &mut snippets).to_raw())
                    .collect();
                Ok((has_more, hits))
            })?;
            match page {
                Some(page) => break page,
                // Groups took in more of the matches than the page was read with: more of them.
                None => {
                    fetch = (fetch * 4).min(searcher.num_docs() as usize);
                    top = self.top_docs(&searcher, query, options.sort, fetch)?;
                }
            }
        };
        Ok(SearchPage {
            query: options.query.clone(),
            total,
            total_exact,
            has_more,
            offset: options.offset,
            limit: options.limit,
            hits,
            facets: self.facets(doc_counts),
            index: IndexVersion::from(&self.opened.info),
            corrected: Vec::new(),
        })
    }

    /// The best `fetch` matches of `query`, by score or by year (each then with score 0).
    fn top_docs(
        &self,
        searcher: &tantivy::Searcher,
        query: &dyn Query,
        sort: Sort,
        fetch: usize,
    ) -> Result<Vec<Ranked>> {
        Ok(match sort {
            Sort::Relevance => {
                searcher.search(query, &TopDocs::with_limit(fetch).order_by_score())?
            }
            Sort::Date => {
                let by_year =
                    TopDocs::with_limit(fetch).order_by_fast_field::<i64>(field::YEAR, Order::Desc);
                searcher
                    .search(query, &by_year)?
                    .into_iter()
                    .map(|(_, a)| (0.0, a))
                    .collect()
            }
        })
    }

    /// A collector of the match count and the counts by document.
    fn match_counts(&self) -> MatchCounts {
        MatchCounts {
            segments: self.doc_segments(),
        }
    }

    /// Per segment: the `doc` ordinal of each record, and how many documents there are.
    fn doc_segments(&self) -> Vec<(Arc<[u32]>, usize)> {
        self.doc_ords
            .iter()
            .zip(&self.doc_names)
            .map(|(ords, names)| (ords.clone(), names.len()))
            .collect()
    }

    /// Loads ranked records in turn until they make `wanted` groups (or run out), so that a
    /// page costs about as many record loads as it has hits; hands the groups' leads (each
    /// with its group's score and the ids of the others) to `then`. The hits are borrowed from
    /// the records held in memory when the build has them; else each record's stored JSON is
    /// read once, and the hits of earlier chunks borrow from the JSON of earlier calls. Where
    /// the build indexed its groups, the page's groups are completed with their members that
    /// rank below the records loaded.
    ///
    /// None when `top` ran out before the groups did and more matches may follow: the caller
    /// reads more of them and loads again.
    fn load_groups<'a, R>(
        &self,
        loading: &Loading,
        loaded: Vec<Hit<'a>>,
        then: &mut dyn FnMut(Vec<Hit<'_>>) -> Result<R>,
    ) -> Result<Option<R>> {
        let (top, wanted) = (loading.top, loading.wanted);
        // Each call loads as many as the groups still wanted, and at least as many as are
        // loaded (groups that take in many records double the load, not add 4 each call).
        let chunk = wanted.saturating_sub(loaded.len()).max(loaded.len()).max(4);
        let addresses: Vec<Ranked> = top.iter().skip(loaded.len()).take(chunk).copied().collect();
        let jsons = self.stored_unless_resident(loading.searcher, &addresses)?;
        let mut ranked: Vec<Hit<'_>> = loaded;
        self.push_hits(&mut ranked, &addresses, &jsons)?;
        let keys: Option<Vec<Option<u32>>> = self.shared_groups.as_ref().map(|shared| {
            top[..ranked.len()]
                .iter()
                .map(|&(_, a)| shared.of(a))
                .collect()
        });
        let groups = match &keys {
            Some(keys) => group::group_by_keys(keys),
            None => group::group(&ranked),
        };
        if ranked.len() < top.len() && groups.len() < wanted {
            return self.load_groups(loading, ranked, then);
        }
        if groups.len() < wanted && loading.truncated {
            return Ok(None);
        }
        match (&self.shared_groups, keys) {
            (Some(shared), Some(keys)) => {
                let (found, in_groups) = self.missing_members(loading, shared, &groups, &keys)?;
                let jsons = self.stored_unless_resident(loading.searcher, &found)?;
                let first = ranked.len();
                self.push_hits(&mut ranked, &found, &jsons)?;
                let mut groups = groups;
                for (n, g) in in_groups.into_iter().enumerate() {
                    groups[g].push(first + n);
                }
                // Members in rank order; a sort that keeps ties as they were.
                for members in &mut groups {
                    members.sort_by(|&a, &b| ranked[b].score.total_cmp(&ranked[a].score));
                }
                then(group::leads(ranked, &groups)).map(Some)
            }
            _ => then(group::leads(ranked, &groups)).map(Some),
        }
    }

    /// The stored JSON of each record at `addresses`, unless the build's records are held in
    /// memory (then none).
    fn stored_unless_resident(
        &self,
        searcher: &tantivy::Searcher,
        addresses: &[Ranked],
    ) -> Result<Vec<String>> {
        if self.resident.is_some() {
            return Ok(Vec::new());
        }
        addresses
            .iter()
            .map(|&(_, address)| self.stored_at(searcher, address))
            .collect()
    }

    /// Appends the records at `addresses` to `ranked`, each with its score: from memory, or
    /// parsed from `jsons` (their stored JSON, in the same order).
    fn push_hits<'a>(
        &'a self,
        ranked: &mut Vec<Hit<'a>>,
        addresses: &[Ranked],
        jsons: &'a [String],
    ) -> Result<()> {
        match &self.resident {
            Some(records) => {
                for &(score, address) in addresses {
                    let hit = records.hit(address).ok_or_else(|| {
                        Error::Index(tantivy::TantivyError::InvalidArgument(format!(
                            "no record at {address:?}"
                        )))
                    })?;
                    ranked.push(Hit { score, ..hit });
                }
            }
            None => {
                for (&(score, _), json) in addresses.iter().zip(jsons) {
                    let mut hit = Hit::from_stored(json)?;
                    hit.score = score;
                    ranked.push(hit);
                }
            }
        }
        Ok(())
    }

    /// The members of the page's groups that match the query but rank below the records
    /// loaded: their scores and addresses, and the group (index in `groups`) of each. They are
    /// in `top` when it holds every match; else one search finds those of every group.
    fn missing_members(
        &self,
        loading: &Loading,
        shared: &group::SharedGroups,
        groups: &[Vec<usize>],
        keys: &[Option<u32>],
    ) -> Result<(Vec<Ranked>, Vec<usize>)> {
        let incomplete: HashMap<u32, usize> = groups
            .iter()
            .enumerate()
            .skip(loading.page.start)
            .take(loading.page.len())
            .filter_map(|(g, members)| {
                let key = keys[members[0]]?;
                (shared.size(key) > members.len()).then_some((key, g))
            })
            .collect();
        if incomplete.is_empty() {
            return Ok((Vec::new(), Vec::new()));
        }
        let loaded = keys.len();
        let found: Vec<Ranked> = if loading.truncated {
            let in_groups = tantivy::query::TermSetQuery::new(
                incomplete.keys().map(|&key| shared.term(key).clone()),
            );
            let query = BooleanQuery::new(vec![
                (Occur::Must, loading.query.box_clone()),
                (
                    Occur::Must,
                    Box::new(ConstScoreQuery::new(Box::new(in_groups), 0.0)),
                ),
            ]);
            let most = incomplete.keys().map(|&key| shared.size(key)).sum();
            let found = loading
                .searcher
                .search(&query, &TopDocs::with_limit(most).order_by_score())?;
            // Ranked by year, the members found after the others follow them.
            found
                .into_iter()
                .map(|(score, address)| (if loading.by_score { score } else { 0.0 }, address))
                .collect()
        } else {
            loading.top[loaded..].to_vec()
        };
        let was_loaded: std::collections::HashSet<DocAddress> =
            loading.top[..loaded].iter().map(|&(_, a)| a).collect();
        Ok(found
            .into_iter()
            .filter(|(_, address)| !was_loaded.contains(address))
            .filter_map(|(score, address)| {
                let g = *incomplete.get(&shared.of(address)?)?;
                Some(((score, address), g))
            })
            .unzip())
    }

    /// The stored JSON of a record.
    fn stored_at(&self, searcher: &tantivy::Searcher, address: DocAddress) -> Result<String> {
        let crate::index::StoredRecord(json) = searcher.doc(address)?;
        Ok(json)
    }

    /// A group's lead with the answer's fields: snippet, url, whether it is quoted only.
    fn finished<'a>(&self, mut hit: Hit<'a>, snippets: &mut Highlighter) -> Hit<'a> {
        hit.snippet = snippets.snippet(&hit.text);
        hit.url = permalink(&hit.doc, &hit.para, hit.variant);
        hit.quoted_only = self.quoted_only.contains(hit.doc.as_ref());
        hit.quoting = hit.quoted_in.as_deref().and_then(|id| self.quoting(id));
        if !hit.score.is_finite() {
            hit.score = 0.0;
        }
        hit
    }

    /// The background record `id` (a record's `quoted_in`) as a page links to it: None for an
    /// id of another form than this crate writes.
    pub fn quoting(&self, id: &str) -> Option<Quoting> {
        let id = RecordId::parse(id)?;
        let name = self.cite_names.get(&id.doc).unwrap_or(&id.doc);
        // Written by the one formatter, as the quoting record's own citation was.
        Some(Quoting {
            citation: reference::citation(name, &id.para),
            url: permalink(&id.doc, &id.para, Variant::Original),
            doc: id.doc,
        })
    }

    /// Records of document `doc` with paragraph label `para`, any variant, originals first.
    pub fn paragraph(&self, doc: &str, para: &ParaLabel) -> Result<Vec<Record>> {
        let f = &self.opened.fields;
        let query = BooleanQuery::new(vec![
            (Occur::Must, term_query(f.doc, doc)),
            (Occur::Must, term_query(f.para, &para.to_string())),
        ]);
        self.records_matching(&query, 100)
    }

    /// Original records that refer to paragraph `para` of `doc`.
    pub fn cited_by(&self, doc: &str, para: &ParaLabel) -> Result<Vec<Record>> {
        let f = &self.opened.fields;
        let query = BooleanQuery::new(vec![
            (Occur::Must, term_query(f.refs, &format!("{doc}/{para}"))),
            (
                Occur::Must,
                term_query(f.variant, Variant::Original.as_str()),
            ),
        ]);
        self.records_matching(&query, 1000)
    }

    /// Original records that refer to any paragraph of `doc`.
    pub fn citing_document(&self, doc: &str) -> Result<Vec<Record>> {
        let f = &self.opened.fields;
        let pattern = format!("{}/.*", regex::escape(doc));
        let refs = tantivy::query::RegexQuery::from_pattern(&pattern, f.refs)?;
        let query = BooleanQuery::new(vec![
            (Occur::Must, Box::new(refs) as Box<dyn Query>),
            (
                Occur::Must,
                term_query(f.variant, Variant::Original.as_str()),
            ),
        ]);
        self.records_matching(&query, 10_000)
    }

    /// Every record of document `doc`, in corpus order.
    pub fn document(&self, doc: &str) -> Result<Vec<Record>> {
        let query = term_query(self.opened.fields.doc, doc);
        self.records_matching(&*query, 100_000)
    }

    /// The records of document `doc` in corpus order, `limit` of them after the first
    /// `offset`, and how many it has in all.
    pub fn document_page(
        &self,
        doc: &str,
        offset: usize,
        limit: usize,
    ) -> Result<(Vec<Record>, usize)> {
        let query = term_query(self.opened.fields.doc, doc);
        let total = query.count(&self.reader.searcher())?;
        if offset >= total {
            return Ok((Vec::new(), total));
        }
        Ok((self.records_window(&*query, offset, limit)?, total))
    }

    fn records_matching(&self, query: &dyn Query, limit: usize) -> Result<Vec<Record>> {
        self.records_window(query, 0, limit)
    }

    fn records_window(
        &self,
        query: &dyn Query,
        offset: usize,
        limit: usize,
    ) -> Result<Vec<Record>> {
        let searcher = self.reader.searcher();
        let by_seq = TopDocs::with_limit(limit)
            .and_offset(offset)
            .order_by_fast_field::<u64>(field::SEQ, Order::Asc);
        let top = searcher.search(query, &by_seq)?;
        top.into_iter()
            .map(|(_, address)| self.record_at(&searcher, address))
            .collect()
    }

    fn record_at(&self, searcher: &tantivy::Searcher, address: DocAddress) -> Result<Record> {
        let json = self.stored_at(searcher, address)?;
        serde_json::from_str(&json).map_err(crate::index::invalid_record)
    }

    fn query(&self, options: &SearchOptions) -> Result<crate::search::rewrite::Built> {
        let text = check_query(&options.query)?;
        let bad_query = |reason: String| Error::QueryParse {
            query: options.query.clone(),
            reason,
        };
        if let Some(reason) = crate::search::syntax::explain(&text) {
            return Err(bad_query(reason));
        }
        let plain = crate::search::prose::plain(&text);
        let text = plain.text;
        if crate::search::prose::has_nothing_to_search(&text) {
            return Err(bad_query(
                "it holds no word to search for (punctuation alone is not searched)".into(),
            ));
        }
        // What the plain form left (`forum OR ]` is `forum OR`); its places are those typed
        // when its changes only replaced characters, else none is given.
        if let std::borrow::Cow::Owned(changed) = &text {
            let reason = match plain.places_kept {
                true => crate::search::syntax::explain(changed),
                false => crate::search::syntax::explain_unplaced(changed),
            };
            if let Some(reason) = reason {
                return Err(bad_query(reason));
            }
        }
        // A `variant:` in the query takes the place of the option; read from the plain form,
        // where `variant : digital` names the field as `variant:digital` does.
        let names_variant = crate::search::syntax::names_field(&text, field::VARIANT)
            || crate::search::syntax::names_field(&text, field::ID);
        let text = crate::search::symbols::quote_symbols(&text);
        crate::search::known::check_options(&self.opened.info, &options.docs, &options.kinds)?;
        if let Some(reason) = crate::search::known::check_query(&self.opened.info, &text) {
            return Err(bad_query(reason));
        }
        let f = &self.opened.fields;
        let parser = if options.any {
            &self.parser_any
        } else {
            &self.parser_all
        };
        let searcher = self.reader.searcher();
        let lexicon = |field: &str, prefix: &str, cap: usize| {
            self.words_starting(&searcher, field, prefix, cap)
        };
        let short = || options.query.chars().take(80).collect::<String>();
        let parsed = crate::search::rewrite::build(parser, &text, self.has_pairs, &lexicon)
            .map_err(|refusal| match refusal {
                Refusal::Unreadable(reason) => Error::QueryParse {
                    query: options.query.clone(),
                    reason,
                },
                Refusal::Regex => Error::RegexQuery { query: short() },
                Refusal::TooExpensive(reason) => Error::QueryTooExpensive {
                    query: short(),
                    reason,
                },
            })?;
        let marking = parsed.marking;
        let built = |query| crate::search::rewrite::Built { query, marking };
        let mut clauses = vec![(Occur::Must, parsed.query)];
        if self.has_official {
            // The official texts first among equals: a constant added to their scores.
            let official = terms_query(f.kind, &Kind::OFFICIAL.map(|k| k.as_str().to_string()));
            clauses.push((
                Occur::Should,
                Box::new(ConstScoreQuery::new(official, OFFICIAL_BOOST)),
            ));
        }
        if self.has_authority {
            for tier in crate::index::authority_tiers(1 << (AUTHORITY_TIERS - 1)) {
                clauses.push((
                    Occur::Should,
                    Box::new(ConstScoreQuery::new(
                        term_query(f.authority, &tier),
                        AUTHORITY_STEP,
                    )),
                ));
            }
        }
        if !options.docs.is_empty() {
            clauses.push((Occur::Must, terms_query(f.doc, &options.docs)));
        }
        if !options.kinds.is_empty() {
            clauses.push((Occur::Must, terms_query(f.kind, &options.kinds)));
        }
        // A `variant:` in the query takes the place of the option (whose default is original),
        // and an `id:` names its record whatever its variant.
        let variant = if names_variant {
            VariantFilter::All
        } else {
            options.variant
        };
        match variant {
            VariantFilter::Original if self.has_digital => clauses.push((
                Occur::MustNot,
                term_query(f.variant, Variant::Digital.as_str()),
            )),
            VariantFilter::Digital => clauses.push((
                Occur::Must,
                term_query(f.variant, Variant::Digital.as_str()),
            )),
            _ => {}
        }
        if let Some((from, to)) = options.years {
            let bound = |y: i32| Term::from_field_i64(f.year, y.into());
            clauses.push((
                Occur::Must,
                Box::new(RangeQuery::new(
                    Bound::Included(bound(from)),
                    Bound::Included(bound(to)),
                )),
            ));
        }
        if clauses.len() == 1 {
            // No filter: the parsed query alone keeps tantivy's top-k pruning (block-max WAND).
            return Ok(built(clauses.remove(0).1));
        }
        Ok(built(Box::new(BooleanQuery::new(clauses))))
    }

    /// How many words of `field` (by name) start with `prefix`, counted up to `cap`, summed
    /// over the segments. A field the index lacks, or a dictionary that cannot be read,
    /// counts none (the search itself then reports the fault).
    fn words_starting(
        &self,
        searcher: &tantivy::Searcher,
        field: &str,
        prefix: &str,
        cap: usize,
    ) -> usize {
        let Ok(field) = self.opened.index.schema().get_field(field) else {
            return 0;
        };
        let mut n = 0;
        for segment in searcher.segment_readers() {
            let Ok(inverted) = segment.inverted_index(field) else {
                continue;
            };
            let Ok(mut words) = inverted.terms().range().ge(prefix.as_bytes()).into_stream() else {
                continue;
            };
            while n < cap && words.advance() {
                if !words.key().starts_with(prefix.as_bytes()) {
                    break;
                }
                n += 1;
            }
        }
        n
    }

    /// The facets from per-segment counts by `doc` ordinal.
    fn facets(&self, per_segment: Vec<Vec<u64>>) -> Facets {
        let counted = per_segment
            .iter()
            .enumerate()
            .flat_map(|(segment, by_ord)| {
                let names = &self.doc_names[segment];
                by_ord
                    .iter()
                    .zip(names)
                    .filter(|(n, _)| **n > 0)
                    .map(|(&n, name)| (name.as_str(), n))
            });
        let mut ranked: Vec<(&str, u64)> = if per_segment.len() == 1 {
            // One segment (a merged build): each document once already.
            counted.collect()
        } else {
            let mut merged: HashMap<&str, u64> = HashMap::new();
            for (name, n) in counted {
                *merged.entry(name).or_insert(0) += n;
            }
            merged.into_iter().collect()
        };
        let more_docs = ranked.len().saturating_sub(FACET_DOCS);
        let by_count = |a: &(&str, u64), b: &(&str, u64)| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0));
        if ranked.len() > FACET_DOCS {
            ranked.select_nth_unstable_by(FACET_DOCS - 1, by_count);
            ranked.truncate(FACET_DOCS);
        }
        ranked.sort_by(by_count);
        let docs = ranked
            .into_iter()
            .map(|(doc, count)| DocCount {
                title: self.titles.get(doc).cloned().unwrap_or_default(),
                doc: doc.to_string(),
                count,
            })
            .collect();
        Facets { docs, more_docs }
    }
}

/// The documents a build knows: its catalog, or for a records build, the documents of its
/// records.
fn catalog_of(info: &BuildInfo) -> Vec<crate::corpus::CatalogEntry> {
    if !info.catalog.is_empty() {
        return info.catalog.clone();
    }
    info.documents
        .iter()
        .map(|d| crate::corpus::CatalogEntry::bare(&d.id, &d.title, d.kind))
        .collect()
}

/// The page's address of a paragraph: `/doc/tunis-agenda#p72e`, with `?variant=digital` for a variant.
pub fn permalink(doc: &str, para: &ParaLabel, variant: Variant) -> String {
    let label = para.to_string();
    let query = if variant == Variant::Digital {
        "?variant=digital"
    } else {
        ""
    };
    let mut url = String::with_capacity(doc.len() + query.len() + label.len() + 7);
    for part in ["/doc/", doc, query, "#p"] {
        url.push_str(part);
    }
    url.extend(label.chars().filter(|c| c.is_ascii_alphanumeric()));
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_are_checked() {
        assert!(check_query("  ").is_err());
        assert!(check_query(&"a".repeat(MAX_QUERY_CHARS + 1)).is_err());
        assert!(check_query("a\u{0}b").is_err());
        assert_eq!(check_query("a\tb").unwrap(), "a b");
        let nested = |n: usize| format!("{}forum{}", "(".repeat(n), ")".repeat(n));
        assert!(check_query(&nested(20)).is_ok());
        assert!(check_query(&nested(MAX_NESTING + 1)).is_err());
        assert!(
            check_query("\"((((((((((((((((((((((((((((((((((((((((((((((((((((((((((\"").is_ok(),
            "parentheses inside quotes are words"
        );
    }

    #[test]
    fn permalinks() {
        assert_eq!(
            permalink("tunis-agenda", &"72(e)".parse().unwrap(), Variant::Original),
            "/doc/tunis-agenda#p72e"
        );
        assert_eq!(
            permalink("d", &"pp3".parse().unwrap(), Variant::Digital),
            "/doc/d?variant=digital#ppp3"
        );
    }
}

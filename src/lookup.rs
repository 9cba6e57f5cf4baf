//! The search box: a query that is a whole reference to paragraphs of a document ("TA 72(e)",
//! "A/RES/70/125 para 69", "paragraphs 4, 5 and 55 of the Geneva Declaration"; a bare
//! "para 72" when the filters choose one document) is answered as a citation — the paragraphs
//! it names first, as `wsis cite` gives them, with what the corpus lacks — and the hits of a
//! word search for the same text below. Any other query is a search. `GET /api/search` and
//! `wsis search` both answer through [`answer`].

use serde::Serialize;

use crate::cite::{self, CiteAnswer};
use crate::error::{Error, Result};
use crate::reference;
use crate::search::{Facets, IndexVersion, SearchOptions, SearchPage, Searcher};

/// How a query was answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AnsweredAs {
    /// A word search only.
    Search,
    /// A citation (in `citation`), then the word search.
    Citation,
}

/// The answer to the search box.
#[derive(Debug, Serialize)]
pub struct BoxAnswer {
    /// Whether the query was read as a citation.
    pub answered_as: AnsweredAs,
    /// The citation's answer, when the query is one: the paragraphs found (possibly none),
    /// those missing, and what the corpus holds of the document.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub citation: Option<CiteAnswer>,
    /// The word search for the query.
    #[serde(flatten)]
    pub search: SearchPage,
}

impl BoxAnswer {
    /// Whether anything was found: a hit, or a cited paragraph.
    pub fn found_anything(&self) -> bool {
        !self.search.hits.is_empty()
            || self
                .citation
                .as_ref()
                .is_some_and(|c| !c.paragraphs.is_empty())
    }
}

/// Answers the search box: a citation and the word search, or the word search alone.
pub fn answer(searcher: &Searcher, options: &SearchOptions) -> Result<BoxAnswer> {
    answer_within(searcher, options, crate::search::QUERY_BUDGET)
}

/// [`answer`], its word search within the time budget `budget` (see
/// [`Searcher::search_within`]).
pub fn answer_within(
    searcher: &Searcher,
    options: &SearchOptions,
    budget: std::time::Duration,
) -> Result<BoxAnswer> {
    let Some(citation) = as_citation(searcher, options)? else {
        return Ok(BoxAnswer {
            answered_as: AnsweredAs::Search,
            citation: None,
            search: searcher.search_within(options, budget)?,
        });
    };
    // A reference is often not a query the parser takes (`72(e)` reads as a group): the
    // citation then stands with no hits below it.
    let search = match searcher.search_within(options, budget) {
        Ok(page) => page,
        Err(Error::QueryParse { .. }) => empty_page(searcher, options),
        Err(e) => return Err(e),
    };
    Ok(BoxAnswer {
        answered_as: AnsweredAs::Citation,
        citation: Some(citation),
        search,
    })
}

/// The citation a query is, resolved; None for a query that is not a whole reference.
fn as_citation(searcher: &Searcher, options: &SearchOptions) -> Result<Option<CiteAnswer>> {
    let text = options.query.trim();
    let names = searcher.doc_names();
    let reference = match cite::read(text, names) {
        Some(reference) => reference,
        None => match options.docs.as_slice() {
            [doc] if reference::is_bare_paragraph(text) => {
                match cite::read(&format!("{doc} {text}"), names) {
                    Some(reference) => reference,
                    None => return Ok(None),
                }
            }
            _ => return Ok(None),
        },
    };
    cite::resolve_all(text, &reference, &searcher.catalog(), searcher).map(Some)
}

fn empty_page(searcher: &Searcher, options: &SearchOptions) -> SearchPage {
    SearchPage {
        query: options.query.clone(),
        total: 0,
        total_exact: true,
        has_more: false,
        offset: options.offset,
        limit: options.limit,
        hits: Vec::new(),
        facets: Facets::default(),
        index: IndexVersion::from(searcher.info()),
        corrected: Vec::new(),
    }
}

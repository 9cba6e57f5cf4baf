//! Building and checking queries: the query parser over the build's analysed fields with
//! their weights, term and term-set filters, and the checks of a query's length and nesting
//! and of a page's window.

use tantivy::Term;
use tantivy::query::{Query, QueryParser, TermQuery, TermSetQuery};
use tantivy::schema::IndexRecordOption;

use crate::error::{Error, Result};
use crate::index::Opened;
use crate::search::{MAX_LIMIT, MAX_NESTING, MAX_QUERY_CHARS, MAX_WINDOW, SearchOptions};

/// The parser of the query language over the default fields that hold any words in this
/// build (a field empty everywhere, such as `context` in a records build, is left out), with
/// their weights.
pub(crate) fn query_parser(
    opened: &Opened,
    searcher: &tantivy::Searcher,
    all_required: bool,
) -> QueryParser {
    let f = &opened.fields;
    let holds_words = |field: tantivy::schema::Field| {
        searcher.segment_readers().iter().any(|s| {
            s.inverted_index(field)
                .is_ok_and(|i| i.terms().num_terms() > 0)
        })
    };
    let fields: Vec<_> = f
        .analysed()
        .into_iter()
        .filter(|&field| field == f.text || holds_words(field))
        .collect();
    let mut parser = QueryParser::for_index(&opened.index, fields);
    if all_required {
        parser.set_conjunction_by_default();
    }
    parser.allow_regexes();
    // The weights of the analysed fields; their word pairs weigh the same. The quoting
    // sentence (`context`) weighs more than the text: it is how the corpus names a quoted
    // official paragraph ("the IGF mandate (para 72)").
    let weights = [
        (f.section, 0.6),
        (f.citation, 0.6),
        (f.title, 0.3),
        (f.aliases, 0.5),
        (f.context, 1.5),
    ];
    for (field, weight) in weights {
        parser.set_field_boost(field, weight);
        if let Some(pairs) = f.pairs_of(field) {
            parser.set_field_boost(pairs, weight);
        }
    }
    parser
}

pub(crate) fn term_query(field: tantivy::schema::Field, value: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, value),
        IndexRecordOption::Basic,
    ))
}

pub(crate) fn terms_query(field: tantivy::schema::Field, values: &[String]) -> Box<dyn Query> {
    Box::new(TermSetQuery::new(
        values.iter().map(|v| Term::from_field_text(field, v)),
    ))
}

pub(crate) fn check_window(options: &SearchOptions) -> Result<()> {
    if options.limit == 0 || options.limit > MAX_LIMIT {
        return Err(Error::BadParameter {
            name: "limit",
            reason: format!("limit is 1 to {MAX_LIMIT}, not {}", options.limit),
        });
    }
    if options
        .offset
        .checked_add(options.limit)
        .is_none_or(|window| window > MAX_WINDOW)
    {
        return Err(Error::BadParameter {
            name: "offset",
            reason: format!(
                "offset + limit may be at most {MAX_WINDOW}, not {} + {}",
                options.offset, options.limit
            ),
        });
    }
    Ok(())
}

/// Checks a query's length and characters; returns it with tabs and line breaks as spaces.
pub(crate) fn check_query(query: &str) -> Result<String> {
    let bad = |reason: String| Error::QueryParse {
        query: query.chars().take(80).collect(),
        reason,
    };
    if query.trim().is_empty() {
        return Err(bad("the query is empty".into()));
    }
    let chars = query.chars().count();
    if chars > MAX_QUERY_CHARS {
        return Err(bad(format!(
            "the query has {chars} characters; at most {MAX_QUERY_CHARS} are accepted"
        )));
    }
    let depth = nesting_depth(query);
    if depth > MAX_NESTING {
        return Err(bad(format!(
            "the query nests parentheses {depth} deep; at most {MAX_NESTING} are accepted"
        )));
    }
    if let Some(c) = query
        .chars()
        .find(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
    {
        return Err(bad(format!(
            "the query holds the control character U+{:04X}",
            c as u32
        )));
    }
    Ok(query.replace(['\t', '\n', '\r'], " "))
}

/// The deepest nesting of parentheses outside quotes.
pub(crate) fn nesting_depth(query: &str) -> usize {
    let (mut depth, mut deepest, mut quoted) = (0usize, 0, false);
    for c in query.chars() {
        match c {
            '"' => quoted = !quoted,
            '(' if !quoted => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            ')' if !quoted => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

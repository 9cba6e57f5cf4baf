//! The query language between the user and tantivy's query parser. The query is parsed into
//! tantivy's own syntax tree, so that every way of naming a field (`title:"…"`,
//! `title: "…"`, `title:(a "b c")`) is resolved before anything is rewritten, then:
//!
//! - a regular expression (`/…/`) from the user is refused: the query language has none;
//! - a word prefix `multistake*` on the text fields becomes a regex over the index's stems
//!   (`/multistake.*/` or `/multistakehold.*/`), since the index holds stems, built here from
//!   the prefix's letters alone; the words it matches are counted first, and a prefix that
//!   matches more than [`MAX_PREFIX_WORDS`], or a query of more than [`MAX_QUERY_WORDS`]
//!   words with its prefixes expanded, is refused;
//! - an exact phrase on the text fields is looked for among the word pairs of those fields
//!   (see [`crate::index::pairs`]): the same records, without reading positions;
//! - the word-pairs fields cannot be named by the user.
//!
//! The built query's nested `OR`s (or `AND`s) are flattened as tantivy's parser does, which
//! keeps its top-k pruning (block-max WAND) for unions of words.

use std::sync::LazyLock;

use regex::Regex;
use tantivy::query::{BooleanQuery, Occur, Query, QueryParser};
use tantivy::query_grammar::{self, Delimiter, UserInputAst, UserInputLeaf, UserInputLiteral};
use tantivy::tokenizer::TokenStream;

use crate::index::ANALYSED;
use crate::index::pairs;
use crate::model::field;
use crate::search::syntax::NAMED_FIELDS;

/// The most index words one prefix (`word*`) may match, over all the fields it looks in.
pub const MAX_PREFIX_WORDS: usize = 1000;
/// The most index words a query may look up, its prefixes expanded, over all fields.
pub const MAX_QUERY_WORDS: usize = 5000;

/// Why a query cannot be built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// It does not parse, or names what the index lacks; the reason.
    Unreadable(String),
    /// It holds a regular expression (`/…/`).
    Regex,
    /// It would look up too many words; the limit it passes, named.
    TooExpensive(String),
}

/// How many words of a field (by name) start with a prefix, counted up to a cap: the index's
/// term dictionary, for the cost of a prefix.
pub type Lexicon<'a> = &'a dyn Fn(&str, &str, usize) -> usize;

/// Parses `query` and builds it with `parser`; with `pairs`, exact phrases are answered from
/// the word pairs. `lexicon` counts the words a prefix matches, to bound its cost.
pub fn build(
    parser: &QueryParser,
    query: &str,
    pairs: bool,
    lexicon: Lexicon,
) -> std::result::Result<Built, Refusal> {
    let text = quote_labels(&split_apostrophes(query));
    let ast = query_grammar::parse_query(&text)
        .map_err(|_| Refusal::Unreadable(format!("the query cannot be parsed: {query}")))?;
    check_fields(&ast)?;
    let ast = every_variant_dropped(ast)?.ok_or_else(|| {
        Refusal::Unreadable(format!(
            "{v}:all only widens the search to every variant: say what to look for too, as `forum {v}:all`",
            v = field::VARIANT
        ))
    })?;
    let marking = Marking::of(&ast);
    let mut prefixes = Vec::new();
    let ast = rewrite(ast, pairs, &mut prefixes);
    let expanded = prefix_words(&prefixes, lexicon)?;
    let built = parser
        .build_query_from_user_input_ast(ast)
        .map_err(parser_refusal)?;
    let mut words = expanded;
    built.query_terms(&mut |_, _| words += 1);
    if words > MAX_QUERY_WORDS {
        return Err(Refusal::TooExpensive(format!(
            "it looks up {words} words in the index, its prefixes expanded; at most {MAX_QUERY_WORDS} are allowed"
        )));
    }
    Ok(Built {
        query: flatten(built),
        marking,
    })
}

/// A query built for tantivy, and what its snippets mark.
#[derive(Debug)]
pub struct Built {
    /// The query.
    pub query: Box<dyn Query>,
    /// What its snippets mark, besides the terms it looks up.
    pub marking: Marking,
}

/// What a query's snippets mark, besides the terms it looks up.
#[derive(Debug)]
pub struct Marking {
    /// The exact phrases (`"…"`, and phrase prefixes `"…"*`) it looks for in the text, outside
    /// what it excludes: a snippet marks a phrase's words where the whole phrase stands.
    pub text_phrases: Vec<TextPhrase>,
    /// The words (analysed) it looks for in the text only to exclude them: a snippet does not
    /// mark them.
    pub excluded_words: Vec<String>,
    /// The forms of its word prefixes (`multistake*`: `multistake`, `multistak`) it looks for
    /// in the text, outside what it excludes: a word whose stem starts with one is marked.
    pub prefixes: Vec<String>,
}

impl Marking {
    /// What the snippets of the parsed query `ast` mark.
    fn of(ast: &UserInputAst) -> Marking {
        let mut marking = Marking {
            text_phrases: Vec::new(),
            excluded_words: Vec::new(),
            prefixes: Vec::new(),
        };
        let mut excluded: Vec<&str> = Vec::new();
        let mut included: Vec<&str> = Vec::new();
        each_text_literal(ast, false, &mut |l, is_excluded| {
            if is_excluded {
                excluded.push(&l.phrase);
                return;
            }
            included.push(&l.phrase);
            let quoted = l.delimiter != Delimiter::None;
            if quoted && l.slop == 0 {
                marking.text_phrases.push(TextPhrase {
                    words: l.phrase.clone(),
                    prefix: l.prefix,
                });
            } else if let Some(prefix) = word_prefix(l) {
                marking.prefixes.extend(prefix_forms(prefix));
            }
        });
        if !excluded.is_empty() {
            let included = analysed(&included);
            marking.excluded_words = analysed(&excluded);
            marking.excluded_words.retain(|w| !included.contains(w));
        }
        marking
    }
}

/// The words of `texts`, analysed as the index analyses them.
fn analysed(texts: &[&str]) -> Vec<String> {
    let mut analyzer = crate::index::analyzer();
    let mut words = Vec::new();
    for text in texts {
        analyzer
            .token_stream(text)
            .process(&mut |t| words.push(t.text.clone()));
    }
    words
}

/// The prefix of a word prefix `multistake*` (unquoted, its letters only before the star).
fn word_prefix(literal: &UserInputLiteral) -> Option<&str> {
    match literal.delimiter {
        Delimiter::None => literal.phrase.strip_suffix('*'),
        _ => None,
    }
    .filter(|p| !p.is_empty() && p.chars().all(char::is_alphanumeric))
}

/// Calls `visit` with each literal of `ast` on the text field (named, or by default), and
/// whether it stands under an exclusion.
fn each_text_literal<'a>(
    ast: &'a UserInputAst,
    excluded: bool,
    visit: &mut impl FnMut(&'a UserInputLiteral, bool),
) {
    match ast {
        UserInputAst::Clause(clauses) => clauses.iter().for_each(|(occur, a)| {
            each_text_literal(a, excluded || *occur == Some(Occur::MustNot), visit)
        }),
        UserInputAst::Boost(inner, _) => each_text_literal(inner, excluded, visit),
        UserInputAst::Leaf(leaf) => {
            if let UserInputLeaf::Literal(l) = leaf.as_ref()
                && matches!(l.field_name.as_deref(), None | Some(field::TEXT))
            {
                visit(l, excluded);
            }
        }
    }
}

/// An exact phrase of a query, as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextPhrase {
    /// Its words.
    pub words: String,
    /// Whether its last word is a prefix (`"digital div"*`).
    pub prefix: bool,
}

/// A prefix of the query as typed, and the (field, form) pairs it is looked for in.
struct Prefix {
    typed: String,
    looked_up: Vec<(String, String)>,
}

/// The index words the prefixes match, in all; refuses a prefix that matches more than
/// [`MAX_PREFIX_WORDS`], or prefixes that match more than [`MAX_QUERY_WORDS`] together.
fn prefix_words(prefixes: &[Prefix], lexicon: Lexicon) -> std::result::Result<usize, Refusal> {
    let mut total = 0;
    for prefix in prefixes {
        let mut matched = 0;
        for (field, form) in &prefix.looked_up {
            matched += lexicon(
                field,
                form,
                MAX_PREFIX_WORDS + 1 - matched.min(MAX_PREFIX_WORDS),
            );
            if matched > MAX_PREFIX_WORDS {
                return Err(Refusal::TooExpensive(format!(
                    "the prefix {}* matches more than {MAX_PREFIX_WORDS} words; make it longer",
                    prefix.typed
                )));
            }
        }
        total += matched;
        if total > MAX_QUERY_WORDS {
            return Err(Refusal::TooExpensive(format!(
                "its prefixes match more than {MAX_QUERY_WORDS} words together; at most {MAX_QUERY_WORDS} are allowed"
            )));
        }
    }
    Ok(total)
}

/// Outside quotes, an apostrophe between letters ("Internet's") becomes a space, as the
/// analyzer splits there anyway, one that ends a word without closing a `'…'` phrase
/// ("countries' needs", a plural possessive) is left out, and so is a `'` that opens a phrase
/// never closed: the grammar would read any of them as the start of a quoted phrase, and
/// refuse the query for the missing end.
fn split_apostrophes(query: &str) -> String {
    if !query.contains(['\'', '’', '‘']) {
        return query.to_string();
    }
    let mut out = String::with_capacity(query.len());
    let mut single_open = false;
    // Where the `'` that opened the phrase now open stands in `out`.
    let mut opened_at = None;
    for (i, part) in query.split('"').enumerate() {
        if i > 0 {
            out.push('"');
        }
        if i % 2 == 1 {
            out.push_str(part);
            continue;
        }
        let chars: Vec<char> = part.chars().collect();
        for (at, &c) in chars.iter().enumerate() {
            if !matches!(c, '\'' | '’' | '‘') {
                out.push(c);
                continue;
            }
            let before = at.checked_sub(1).map(|b| chars[b]);
            let after = chars.get(at + 1).copied();
            let ends_word = before.is_some_and(char::is_alphanumeric);
            if ends_word && after.is_some_and(char::is_alphanumeric) {
                out.push(' ');
            } else if ends_word && c == '\'' && !single_open {
                // A possessive's apostrophe: nothing to search for.
            } else {
                if c == '\'' {
                    // Any `'` closes an open phrase, as the grammar reads it.
                    single_open = !single_open && !ends_word;
                    opened_at = single_open.then_some(out.len());
                }
                out.push(c);
            }
        }
    }
    if let Some(at) = opened_at.filter(|_| single_open) {
        // A `'` that opens no phrase ("the 'digital divide"): a quotation mark, not syntax.
        out.replace_range(at..at + 1, " ");
    }
    out
}

/// The value of an exact field with items in brackets (`para:72(e)`, `cites:tunis-agenda/72(e)`,
/// `id:tunis-agenda/72(e)`) put in quotes: the grammar would read the brackets as a group,
/// and look for `para:72` and the word `e`.
fn quote_labels(query: &str) -> String {
    if !query.contains('(') {
        return query.to_string();
    }
    static LABEL: LazyLock<Regex> = LazyLock::new(|| {
        let fields = crate::search::syntax::LABEL_FIELDS.join("|");
        Regex::new(&format!(
            r#"^(?P<before>[+\-(]*)(?P<field>{fields}):(?P<value>[^\s"()]+(?:\([^\s"()]+\))+[^\s"()]*)(?P<after>\)*)$"#
        ))
        .unwrap()
    });
    crate::search::syntax::map_words(query, |word| {
        let c = LABEL.captures(word)?;
        Some(format!(
            "{}{}:\"{}\"{}",
            &c["before"], &c["field"], &c["value"], &c["after"]
        ))
    })
}

/// The index's own fields, which a query may not name (besides the word pairs).
const INTERNAL_FIELDS: [&str; 4] = [field::GROUP, field::AUTHORITY, field::SEQ, field::RECORD];

/// The refusal of a field the query may not name.
fn no_field(name: &str) -> Refusal {
    Refusal::Unreadable(format!(
        "there is no field {name:?}; fields: {}",
        NAMED_FIELDS.join(", ")
    ))
}

/// What a user reads for what tantivy's parser refuses.
fn parser_refusal(e: tantivy::query::QueryParserError) -> Refusal {
    use tantivy::query::QueryParserError as E;
    Refusal::Unreadable(match e {
        E::AllButQueryForbidden => {
            "it only excludes (NOT, -): say what to look for too, e.g. `forum -governance`".into()
        }
        E::FieldDoesNotExist(field) => return no_field(&field),
        // The only number a query may name is the year.
        E::ExpectedInt(_) => format!(
            "{year}: takes a year: {year}:2005, a range {year}:[2003 TO 2005], or {year}:>2005",
            year = field::YEAR
        ),
        E::UnsupportedQuery(reason) if reason.contains("need to target a specific field") => format!(
            "a range needs a field: write {}:[2003 TO 2005]",
            field::YEAR
        ),
        E::UnsupportedQuery(reason) if reason.contains("boundary cannot have multiple tokens") => {
            "a range's bounds are one word each, as year:[2003 TO 2005]".into()
        }
        E::PhrasePrefixRequiresAtLeastTwoTerms { .. } => {
            "a phrase prefix (`\"…\"*`) needs two words or more, as `\"digital div\"*`; for one word write `forum*`".into()
        }
        other => other.to_string(),
    })
}

/// `ast` without its `variant:all`, which says only that every variant is searched (the
/// search reads it from the query's plain form, [`crate::search::syntax::names_field`]), nor the
/// groups left empty; `None` when nothing is left. An excluded `variant:all` is refused: it
/// would exclude every record.
fn every_variant_dropped(ast: UserInputAst) -> std::result::Result<Option<UserInputAst>, Refusal> {
    Ok(match ast {
        every if is_every_variant(&every) => None,
        UserInputAst::Clause(clauses) => {
            let mut kept = Vec::with_capacity(clauses.len());
            for (occur, clause) in clauses {
                match every_variant_dropped(clause)? {
                    Some(clause) => kept.push((occur, clause)),
                    None if occur == Some(Occur::MustNot) => {
                        return Err(Refusal::Unreadable(format!(
                            "-{v}:all would exclude every record; {v}:all (without -) searches every variant",
                            v = field::VARIANT
                        )));
                    }
                    None => {}
                }
            }
            (!kept.is_empty()).then_some(UserInputAst::Clause(kept))
        }
        UserInputAst::Boost(inner, boost) => {
            every_variant_dropped(*inner)?.map(|inner| UserInputAst::Boost(Box::new(inner), boost))
        }
        leaf => Some(leaf),
    })
}

/// Whether `ast` is a `variant:all`.
fn is_every_variant(ast: &UserInputAst) -> bool {
    matches!(ast, UserInputAst::Leaf(leaf) if matches!(leaf.as_ref(),
        UserInputLeaf::Literal(l) if l.field_name.as_deref() == Some(field::VARIANT) && l.phrase == "all"))
}

/// Refuses regular expressions, and the fields the user may not name (the word pairs are the
/// index's own).
fn check_fields(ast: &UserInputAst) -> std::result::Result<(), Refusal> {
    match ast {
        UserInputAst::Clause(clauses) => clauses.iter().try_for_each(|(_, a)| check_fields(a)),
        UserInputAst::Boost(inner, _) => check_fields(inner),
        UserInputAst::Leaf(leaf) => {
            let field = match leaf.as_ref() {
                UserInputLeaf::Regex { .. } => return Err(Refusal::Regex),
                UserInputLeaf::Literal(l) => l.field_name.as_deref(),
                UserInputLeaf::Range { field, .. } | UserInputLeaf::Set { field, .. } => {
                    field.as_deref()
                }
                UserInputLeaf::Exists { field } => Some(field.as_str()),
                UserInputLeaf::All => None,
            };
            let internal = |f: &str| {
                INTERNAL_FIELDS.contains(&f) || ANALYSED.iter().any(|a| pairs::field_name(a) == f)
            };
            let exists = matches!(leaf.as_ref(), UserInputLeaf::Exists { .. });
            match field {
                Some(f) if internal(f) => Err(no_field(f)),
                Some(f) if exists && !NAMED_FIELDS.contains(&f) && !ANALYSED.contains(&f) => {
                    Err(no_field(f))
                }
                // `field:*` reads a column, which only these fields have.
                Some(f) if exists && ![field::DOC, field::YEAR].contains(&f) => {
                    Err(Refusal::Unreadable(format!(
                        "`{f}:*` (any value) works for the fields doc and year only"
                    )))
                }
                _ => Ok(()),
            }
        }
    }
}

/// The tree with its prefixes and exact phrases rewritten; the prefixes are added to
/// `prefixes`, for their cost.
fn rewrite(ast: UserInputAst, pairs: bool, prefixes: &mut Vec<Prefix>) -> UserInputAst {
    match ast {
        UserInputAst::Clause(clauses) => UserInputAst::Clause(
            clauses
                .into_iter()
                .map(|(occur, a)| (occur, rewrite(a, pairs, prefixes)))
                .collect(),
        ),
        UserInputAst::Boost(inner, boost) => {
            UserInputAst::Boost(Box::new(rewrite(*inner, pairs, prefixes)), boost)
        }
        UserInputAst::Leaf(leaf) => match *leaf {
            UserInputLeaf::Literal(literal) => rewrite_literal(literal, pairs, prefixes),
            other => other.into(),
        },
    }
}

/// A word prefix or an exact phrase on the text fields, rewritten; anything else as it is.
fn rewrite_literal(
    literal: UserInputLiteral,
    pairs: bool,
    prefixes: &mut Vec<Prefix>,
) -> UserInputAst {
    let fields: Vec<&str> = match literal.field_name.as_deref() {
        None => ANALYSED.to_vec(),
        Some(f) if ANALYSED.contains(&f) => vec![f],
        Some(f) if EXACT_TEXT.contains(&f) => return exact_prefix(literal, prefixes),
        Some(_) => return UserInputLeaf::Literal(literal).into(),
    };
    // The grammar reads a bare `word*` as the word with its star.
    if let Some(prefix) = word_prefix(&literal) {
        let forms = prefix_forms(prefix);
        let looked_up: Vec<(String, String)> = fields
            .iter()
            .flat_map(|&f| forms.iter().map(move |form| (f.to_string(), form.clone())))
            .collect();
        let leaves = looked_up.iter().map(|(field, form)| UserInputLeaf::Regex {
            field: Some(field.clone()),
            pattern: format!("{}.*", regex::escape(form)),
        });
        let ast = any_of(leaves);
        prefixes.push(Prefix {
            typed: prefix.to_string(),
            looked_up,
        });
        return ast;
    }
    let exact =
        literal.delimiter == Delimiter::DoubleQuotes && literal.slop == 0 && !literal.prefix;
    if pairs && exact && has_adjacent_words(&literal.phrase) {
        return any_of(fields.iter().map(|f| {
            UserInputLeaf::Literal(UserInputLiteral {
                field_name: Some(pairs::field_name(f)),
                ..literal.clone()
            })
        }));
    }
    UserInputLeaf::Literal(literal).into()
}

/// The exact text fields: a value is one term, as written.
const EXACT_TEXT: [&str; 6] = [
    field::DOC,
    field::PARA,
    field::KIND,
    field::VARIANT,
    field::CITES,
    field::ID,
];

/// A literal of an exact field: `doc:tunis*` as the values that start with `tunis` (tantivy
/// would look for the value `tunis*`), else as it is.
fn exact_prefix(literal: UserInputLiteral, prefixes: &mut Vec<Prefix>) -> UserInputAst {
    let prefix = match (&literal.delimiter, &literal.field_name) {
        (Delimiter::None, Some(field)) => literal
            .phrase
            .strip_suffix('*')
            .filter(|p| !p.is_empty() && !p.contains('*'))
            .map(|p| (field.clone(), p.to_string())),
        _ => None,
    };
    let Some((field, prefix)) = prefix else {
        return UserInputLeaf::Literal(literal).into();
    };
    let leaf = UserInputLeaf::Regex {
        field: Some(field.clone()),
        pattern: format!("{}.*", regex::escape(&prefix)),
    };
    prefixes.push(Prefix {
        typed: prefix.clone(),
        looked_up: vec![(field, prefix)],
    });
    leaf.into()
}

/// The forms a prefix is looked for in: lower-cased, and stemmed and folded when that differs
/// ("multistakeholder" → also "multistakehold").
fn prefix_forms(prefix: &str) -> Vec<String> {
    let lower = prefix.to_lowercase();
    let mut forms = vec![lower.clone()];
    let mut analyzer = crate::index::analyzer();
    let mut stream = analyzer.token_stream(&lower);
    if stream.advance() && stream.token().text != lower && !stream.token().text.is_empty() {
        forms.push(stream.token().text.clone());
    }
    forms
}

/// Whether the analysed phrase has two words or more, each right after the one before (a
/// pair needs two adjacent words; a word the analyzer drops leaves a gap).
fn has_adjacent_words(phrase: &str) -> bool {
    let mut analyzer = crate::index::analyzer();
    let mut positions = Vec::new();
    analyzer
        .token_stream(phrase)
        .process(&mut |t| positions.push(t.position));
    positions.len() >= 2 && positions.windows(2).all(|w| w[0] + 1 == w[1])
}

/// One leaf, or any of several.
fn any_of(leaves: impl Iterator<Item = UserInputLeaf>) -> UserInputAst {
    let mut asts: Vec<UserInputAst> = leaves.map(UserInputAst::from).collect();
    if asts.len() == 1 {
        return asts.remove(0);
    }
    UserInputAst::Clause(asts.into_iter().map(|a| (Some(Occur::Should), a)).collect())
}

/// Pulls a nested boolean query's clauses up into its parent when they all have the parent
/// clause's `Must` or `Should`, as tantivy's parser simplifies its own trees.
fn flatten(query: Box<dyn Query>) -> Box<dyn Query> {
    let Some(boolean) = query.downcast_ref::<BooleanQuery>() else {
        return query;
    };
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for (occur, sub) in boolean.clauses() {
        let sub = flatten(sub.box_clone());
        match sub.downcast_ref::<BooleanQuery>() {
            Some(inner)
                if matches!(occur, Occur::Must | Occur::Should)
                    && inner.get_minimum_number_should_match() <= 1
                    && inner.clauses().iter().all(|(o, _)| o == occur) =>
            {
                clauses.extend(inner.clauses().iter().map(|(o, q)| (*o, q.box_clone())));
            }
            _ => clauses.push((*occur, sub)),
        }
    }
    let mut flat = BooleanQuery::new(clauses);
    flat.set_minimum_number_should_match(boolean.get_minimum_number_should_match());
    Box::new(flat)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rewritten(query: &str) -> String {
        let ast = query_grammar::parse_query(&split_apostrophes(query)).unwrap();
        format!("{:?}", rewrite(ast, true, &mut Vec::new()))
    }

    #[test]
    fn apostrophes_split_outside_quotes_only() {
        assert_eq!(
            split_apostrophes("Internet's \"UN's\""),
            "Internet s \"UN's\""
        );
    }

    #[test]
    fn an_exact_fields_label_with_items_is_one_value() {
        assert_eq!(
            quote_labels("para:72(e) (cites:tunis-agenda/72(e)(i)) -id:ta/3(b) 72(e)"),
            "para:\"72(e)\" (cites:\"tunis-agenda/72(e)(i)\") -id:\"ta/3(b)\" 72(e)"
        );
        assert_eq!(
            quote_labels("id:ta/72(e)/digital id:ta/72(e)@bg/p3"),
            "id:\"ta/72(e)/digital\" id:\"ta/72(e)@bg/p3\""
        );
        assert_eq!(
            quote_labels("para:\"72(e)\" text:(forum)"),
            "para:\"72(e)\" text:(forum)"
        );
    }

    #[test]
    fn a_possessive_apostrophe_at_a_words_end_is_left_out_but_a_quote_is_kept() {
        assert_eq!(
            split_apostrophes("countries' needs (stakeholders')"),
            "countries needs (stakeholders)"
        );
        assert_eq!(
            split_apostrophes("'digital divide' and members' 'open data'"),
            "'digital divide' and members 'open data'"
        );
        // A ' that opens a phrase never closed is a quotation mark; any ' closes an open one.
        assert_eq!(
            split_apostrophes("the 'digital divide"),
            "the  digital divide"
        );
        for closed in ["the 'so-called 'digital divide", "'digital \"divide\"'"] {
            let split = split_apostrophes(closed);
            assert_eq!(split, closed);
            assert!(query_grammar::parse_query(&split).is_ok(), "{closed}");
        }
    }

    #[test]
    fn every_variant_is_dropped_and_an_excluded_one_refused() {
        let dropped = |query: &str| {
            let ast = query_grammar::parse_query(query).unwrap();
            every_variant_dropped(ast).map(|ast| ast.map(|a| format!("{a:?}")))
        };
        assert_eq!(dropped("forum variant:all"), Ok(Some("(*forum)".into())));
        assert_eq!(
            dropped("governance -(forum variant:all)"),
            Ok(Some("(*governance -(*forum))".into()))
        );
        assert_eq!(dropped("(variant:all)"), Ok(None));
        assert!(dropped("forum -variant:all").is_err());
        assert!(dropped("forum -(variant:all)").is_err());
    }

    #[test]
    fn prefixes_become_regexes_over_the_stems() {
        let r = rewritten("Multistakeholder* forum");
        assert!(r.contains("multistakeholder.*"), "{r}");
        assert!(r.contains("multistakehold.*"), "{r}");
        // Inside quotes, a star is no prefix.
        assert!(!rewritten("\"digital div*\"").contains(".*"));
    }

    #[test]
    fn exact_phrases_of_text_fields_go_to_the_pairs_wherever_the_field_is_named() {
        for query in [
            "\"digital divide\"",
            "title:\"digital divide\"",
            "title: \"digital divide\"",
            "title:(\"digital divide\" forum)",
            "-\"digital divide\"",
        ] {
            assert!(
                rewritten(query).contains("_pairs"),
                "{query}: {}",
                rewritten(query)
            );
        }
        let grouped = rewritten("title:(\"digital divide\")");
        assert!(
            grouped.contains("title_pairs") && !grouped.contains("text_pairs"),
            "{grouped}"
        );
        for query in [
            "\"digital divide\"~2",
            "\"digital divi\"*",
            "doc:\"digital divide\"",
            "\"divide\"",
            "'digital \"divide\" gap'",
        ] {
            assert!(
                !rewritten(query).contains("_pairs"),
                "{query}: {}",
                rewritten(query)
            );
        }
    }

    #[test]
    fn queries_without_phrases_or_prefixes_build_as_the_parser_builds_them() {
        // The same tree as tantivy's own parser (which flattens nested unions): a flat union
        // keeps block-max WAND, and its loss once cost a third of the throughput at 100k.
        let (schema, f) = crate::index::schema();
        let index = tantivy::Index::create_in_ram(schema);
        crate::index::register_analyzers(&index);
        let mut parser = QueryParser::for_index(&index, vec![f.text, f.title]);
        parser.set_field_boost(f.title, 0.3);
        for query in [
            "role development",
            "+role -development access",
            "(role OR access) AND development",
            "role^2 title:(access development)",
        ] {
            let ours = build(&parser, query, true, &|_, _, _| 0).unwrap().query;
            let theirs = parser.parse_query(query).unwrap();
            assert_eq!(format!("{ours:?}"), format!("{theirs:?}"), "{query}");
        }
        parser.set_conjunction_by_default();
        let ours = build(&parser, "role development", true, &|_, _, _| 0)
            .unwrap()
            .query;
        let theirs = parser.parse_query("role development").unwrap();
        assert_eq!(format!("{ours:?}"), format!("{theirs:?}"));
    }

    #[test]
    fn regexes_from_the_user_are_refused_and_prefixes_are_counted() {
        for query in ["doc:/(a{1,200}){1,200}/", "forum OR text:/.*a\\w{3}/"] {
            let ast = query_grammar::parse_query(query).unwrap();
            assert_eq!(check_fields(&ast), Err(Refusal::Regex), "{query}");
        }
        let (schema, f) = crate::index::schema();
        let index = tantivy::Index::create_in_ram(schema);
        crate::index::register_analyzers(&index);
        let mut parser = QueryParser::for_index(&index, vec![f.text, f.title]);
        parser.allow_regexes();
        // A lexicon in which every prefix matches 300 words per field and form.
        let crowded: Lexicon = &|_, _, cap| cap.min(300);
        let refused = build(&parser, "forum ab*", true, crowded).unwrap_err();
        assert!(
            matches!(&refused, Refusal::TooExpensive(m) if m.contains("ab*") && m.contains("1000")),
            "{refused:?}"
        );
        let sparse: Lexicon = &|_, _, cap| cap.min(20);
        assert!(build(&parser, "forum ab*", true, sparse).is_ok());
        let many: String = (0..60).map(|i| format!("w{i}* ")).collect();
        let refused = build(&parser, &many, true, &|_, _, cap| cap.min(100)).unwrap_err();
        assert!(
            matches!(&refused, Refusal::TooExpensive(m) if m.contains("5000")),
            "{refused:?}"
        );
    }

    #[test]
    fn the_pairs_fields_cannot_be_named() {
        let ast = query_grammar::parse_query("text_pairs:digit").unwrap();
        assert!(check_fields(&ast).is_err());
        let ast = query_grammar::parse_query("title:(a b) text:c").unwrap();
        assert!(check_fields(&ast).is_ok());
    }
}

//! Property tests: random input to the query path, the citation parser, the label grammar
//! and the corpus header parser gives an answer or a typed error, never a panic; and the
//! cleaner of `pdftotext` text accounts for every line of any text.

use std::sync::OnceLock;

use proptest::prelude::*;
use wsis_search::Error;
use wsis_search::cite;
use wsis_search::corpus::{DocNames, parse_document};
use wsis_search::model::ParaLabel;
use wsis_search::search::{SearchOptions, Searcher, Sort};

use crate::util::{repo, shipped_index};

fn searcher() -> &'static Searcher {
    static SEARCHER: OnceLock<Searcher> = OnceLock::new();
    SEARCHER.get_or_init(|| Searcher::open(shipped_index()).expect("the shipped index opens"))
}

/// The shipped index with exact phrases answered from positions, not word pairs.
fn searcher_without_pairs() -> &'static Searcher {
    static SEARCHER: OnceLock<Searcher> = OnceLock::new();
    SEARCHER.get_or_init(|| {
        Searcher::open(shipped_index())
            .expect("the shipped index opens")
            .with_phrase_pairs(false)
    })
}

/// The shipped index with its records held in memory, as a server opens it (`searcher()`
/// reads every hit from the store).
fn searcher_from_memory() -> &'static Searcher {
    static SEARCHER: OnceLock<Searcher> = OnceLock::new();
    SEARCHER.get_or_init(|| {
        Searcher::open(shipped_index())
            .and_then(|s| s.with_resident_records(true))
            .expect("the shipped index opens with its records in memory")
    })
}

/// Queries in the grammar's every form that names fields or makes phrases: quotes, slop,
/// phrase prefixes, escaped quotes, single quotes, fields with and without a space, field
/// groups, boosts and operators, over words the shipped corpus holds.
fn phrase_query_text() -> impl Strategy<Value = String> {
    let word = prop_oneof![
        Just("internet"),
        Just("governance"),
        Just("forum"),
        Just("digital"),
        Just("divide"),
        Just("information"),
        Just("society"),
        Just("tunis"),
        Just("agenda"),
        Just("WSIS"),
        Just("development"),
        Just("multistakeholder"),
    ];
    let phrase = (prop::collection::vec(word.clone(), 1..4), 0..6usize).prop_map(|(w, form)| {
        let words = w.join(" ");
        match form {
            0 => format!("\"{words}\"~1"),
            1 => format!("\"{words}\"*"),
            2 => format!("'{words}'"),
            3 => format!("\"{}\\\" x\"", words),
            _ => format!("\"{words}\""),
        }
    });
    let field = prop_oneof![
        Just(""),
        Just("text:"),
        Just("title:"),
        Just("title: "),
        Just("section:"),
        Just("citation:"),
        Just("aliases:"),
        Just("context:"),
        Just("doc:"),
    ];
    let term = (
        field,
        prop_oneof![phrase.clone(), word.prop_map(String::from)],
        any::<bool>(),
    )
        .prop_map(|(f, t, boost)| {
            if boost {
                format!("{f}{t}^2")
            } else {
                format!("{f}{t}")
            }
        });
    let group = (
        prop_oneof![Just("title:"), Just("text:"), Just("")],
        prop::collection::vec(term.clone(), 1..3),
    )
        .prop_map(|(f, terms)| format!("{f}({})", terms.join(" ")));
    let part = prop_oneof![term, group];
    let op = prop_oneof![
        Just(" "),
        Just(" AND "),
        Just(" OR "),
        Just(" -"),
        Just(" +"),
        Just(" NOT ")
    ];
    (part.clone(), prop::collection::vec((op, part), 0..3)).prop_map(|(first, rest)| {
        let mut q = first;
        for (op, part) in rest {
            q.push_str(op);
            q.push_str(&part);
        }
        q
    })
}

/// Strings built from the characters that matter to the query grammar, and any others.
fn query_text() -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        Just("\"".to_string()),
        Just("(".to_string()),
        Just(")".to_string()),
        Just("*".to_string()),
        Just(":".to_string()),
        Just("~".to_string()),
        Just("^".to_string()),
        Just("/".to_string()),
        Just("\\".to_string()),
        Just(" AND ".to_string()),
        Just(" OR ".to_string()),
        Just("NOT ".to_string()),
        Just("-".to_string()),
        Just("+".to_string()),
        Just("doc:".to_string()),
        Just("'".to_string()),
        Just("’".to_string()),
        "[a-zA-Z0-9]{1,8}",
        any::<char>().prop_map(|c| c.to_string()),
    ];
    prop::collection::vec(pieces, 0..12).prop_map(|v| v.concat())
}

/// A field's value and its analysed words (stem, start, end), in order.
type Analysed = (String, Vec<(String, usize, usize)>);

/// The fields whose phrases the property test checks; the record holds their values as the
/// index has them (`aliases` and `context` are made at build time and are not in a record).
const PHRASE_FIELDS: [&str; 4] = ["text", "title", "citation", "section"];

/// Every record of the shipped index, each of [`PHRASE_FIELDS`] analysed.
fn analysed_records() -> &'static [[Analysed; 4]] {
    static RECORDS: OnceLock<Vec<[Analysed; 4]>> = OnceLock::new();
    RECORDS.get_or_init(|| {
        let opened = wsis_search::index::open(shipped_index()).unwrap();
        let mut analyzer = wsis_search::index::analyzer();
        let mut analyse = |value: String| {
            let mut words = Vec::new();
            analyzer
                .token_stream(&value)
                .process(&mut |t| words.push((t.text.clone(), t.offset_from, t.offset_to)));
            (value, words)
        };
        wsis_search::index::all_records(&opened)
            .unwrap()
            .into_iter()
            .map(|r| {
                [
                    analyse(r.text),
                    analyse(r.title),
                    // A variant's citation is indexed without the mark of the rewording.
                    analyse(wsis_search::reference::unmarked(&r.citation).to_string()),
                    analyse(r.section.join(" / ")),
                ]
            })
            .collect()
    })
}

/// Records whose analysed field `field` holds `stems` one after the other: what a phrase
/// must find. The oracle is the analyzer's word sequence: footnote markers (`report⁶`) are
/// no words, and a hyphenated word is its parts in a row (`multi-stakeholder` is `multi`,
/// `stakehold`). The solid and spaced spellings of a compound (and the corpus's spelling
/// variants) are added to the `aliases` field, which a phrase naming `text`, `title`,
/// `citation` or `section` does not read: the test below holds them.
fn records_with_phrase(field: usize, stems: &[String]) -> usize {
    analysed_records()
        .iter()
        .filter(|fields| {
            fields[field]
                .1
                .windows(stems.len())
                .any(|w| w.iter().map(|(s, _, _)| s).eq(stems.iter()))
        })
        .count()
}

/// Every record a search finds, hits and the records grouped under them.
fn found_ids(query: &str) -> (usize, std::collections::BTreeSet<String>) {
    let options = SearchOptions {
        query: query.to_string(),
        variant: wsis_search::search::VariantFilter::All,
        limit: 100,
        ..SearchOptions::default()
    };
    let page = searcher().search(&options).unwrap();
    let mut ids = std::collections::BTreeSet::new();
    for raw in &page.hits {
        let hit: wsis_search::search::Hit = serde_json::from_str(raw.get()).unwrap();
        ids.extend(hit.also.into_iter().map(|id| id.into_owned()));
        ids.insert(hit.id.into_owned());
    }
    (page.total, ids)
}

/// For every hyphenated word of the shipped corpus, its hyphenated and spaced spellings find
/// the same records, and its solid spelling finds those too. The solid spelling is one word,
/// and the stemmer may fold two solid words into one (`peoplecentred` and `peoplecentric` are
/// both `peoplecentr`): it finds the records of every compound whose solid word analyses alike.
#[test]
fn every_compound_is_found_alike_solid_spaced_and_hyphenated() {
    let opened = wsis_search::index::open(shipped_index()).unwrap();
    let mut compounds = std::collections::BTreeSet::new();
    for record in wsis_search::index::all_records(&opened).unwrap() {
        compounds
            .extend(wsis_search::index::spelling::compounds(&record.text).map(str::to_lowercase));
    }
    assert!(compounds.len() >= 20, "{compounds:?}");
    let mut analyzer = wsis_search::index::analyzer();
    let mut by_solid_stem: std::collections::BTreeMap<String, (String, Vec<String>)> =
        Default::default();
    for compound in &compounds {
        let [solid, spaced] = wsis_search::index::spelling::solid_and_spaced(compound);
        let spaced_found = found_ids(&format!("\"{spaced}\""));
        assert!(spaced_found.0 >= 1, "{spaced} finds nothing");
        assert_eq!(
            spaced_found,
            found_ids(compound),
            "\"{spaced}\" / {compound}"
        );
        let mut stem = String::new();
        analyzer
            .token_stream(&solid)
            .process(&mut |t| stem.push_str(&t.text));
        let entry = by_solid_stem
            .entry(stem)
            .or_insert_with(|| (solid, Vec::new()));
        entry.1.push(format!("\"{spaced}\""));
    }
    for (solid, spaced) in by_solid_stem.values() {
        let union = spaced.join(" OR ");
        assert_eq!(found_ids(solid), found_ids(&union), "{solid} / {union}");
    }
}

/// The records a search reaches page by page, hits and the records grouped under them (in
/// order, repeats kept), and the total it counts.
fn reached_page_by_page(
    searcher: &Searcher,
    query: &str,
    sort: Sort,
    limit: usize,
) -> (usize, Vec<String>) {
    let mut reached = Vec::new();
    let mut offset = 0;
    loop {
        let options = SearchOptions {
            query: query.to_string(),
            any: true,
            sort,
            offset,
            limit,
            variant: wsis_search::search::VariantFilter::All,
            ..SearchOptions::default()
        };
        let page = searcher.search(&options).unwrap();
        for raw in &page.hits {
            let hit: wsis_search::search::Hit = serde_json::from_str(raw.get()).unwrap();
            reached.push(hit.id.into_owned());
            reached.extend(hit.also.into_iter().map(|id| id.into_owned()));
        }
        if !page.has_more {
            return (page.total, reached);
        }
        offset += limit;
    }
}

/// Paging through a search reaches every record it counts, once: a record grouped under a
/// hit (an item under its paragraph, a background line under the paragraph it quotes) is in
/// that hit's `also` whatever the page size, even when it ranks far below the hit.
#[test]
fn paging_reaches_every_record_counted_once() {
    for query in [
        "glance",
        "WSIS",
        "Tunis Agenda para 72",
        "internet governance forum",
    ] {
        for (limit, sort) in [(1, Sort::Relevance), (4, Sort::Date), (10, Sort::Relevance)] {
            for searcher in [searcher(), searcher_from_memory()] {
                let (total, reached) = reached_page_by_page(searcher, query, sort, limit);
                let distinct: std::collections::BTreeSet<&String> = reached.iter().collect();
                assert_eq!(
                    distinct.len(),
                    reached.len(),
                    "{query} by {limit}: a record twice"
                );
                assert_eq!(
                    reached.len(),
                    total,
                    "{query} by {limit}: counted but not reached"
                );
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn the_query_path_answers_or_says_why(query in query_text(), any in any::<bool>()) {
        let options = SearchOptions { query, any, ..SearchOptions::default() };
        match searcher().search(&options) {
            Ok(page) => prop_assert!(page.hits.len() <= options.limit),
            Err(Error::QueryParse { .. } | Error::RegexQuery { .. } | Error::QueryTooExpensive { .. }) => {}
            Err(e) => prop_assert!(false, "unexpected error {e}"),
        }
    }

    #[test]
    fn a_phrase_finds_exactly_the_records_that_hold_its_words_in_a_row(
        record in any::<prop::sample::Index>(),
        field in 0..PHRASE_FIELDS.len(),
        start in any::<prop::sample::Index>(),
        len in 2usize..5,
    ) {
        let (text, words) = &analysed_records()[record.index(analysed_records().len())][field];
        prop_assume!(words.len() >= len);
        let from = start.index(words.len() - len + 1);
        let chosen = &words[from..from + len];
        prop_assume!(chosen.windows(2).all(|w| w[0].2 < w[1].1));
        let phrase: Vec<&str> = chosen.iter().map(|(_, a, b)| &text[*a..*b]).collect();
        let stems: Vec<String> = chosen.iter().map(|(s, _, _)| s.clone()).collect();
        let options = SearchOptions {
            query: format!("{}:\"{}\"", PHRASE_FIELDS[field], phrase.join(" ")),
            variant: wsis_search::search::VariantFilter::All,
            limit: 100,
            ..SearchOptions::default()
        };
        let page = searcher().search(&options).unwrap();
        let expected = records_with_phrase(field, &stems);
        prop_assert!(expected >= 1);
        // A hit may fold other records of its paragraph in (`also`); the total counts records.
        prop_assert_eq!(page.total, expected, "{}", options.query);
    }

    #[test]
    fn word_pairs_and_positions_find_the_same_records(query in phrase_query_text(), any in any::<bool>()) {
        let options = SearchOptions {
            query,
            any,
            variant: wsis_search::search::VariantFilter::All,
            ..SearchOptions::default()
        };
        let with_pairs = searcher().search(&options);
        let without = searcher_without_pairs().search(&options);
        match (&with_pairs, &without) {
            (Ok(a), Ok(b)) => prop_assert_eq!(a.total, b.total, "{}", options.query),
            (Err(a), Err(b)) => prop_assert_eq!(a.to_string(), b.to_string()),
            _ => prop_assert!(false, "{}: {:?} / {:?}", options.query, with_pairs.map(|p| p.total), without.map(|p| p.total)),
        }
    }

    #[test]
    fn hits_held_in_memory_and_read_from_the_store_are_the_same(query in phrase_query_text(), any in any::<bool>(), offset in 0..4usize) {
        let options = SearchOptions {
            query,
            any,
            offset,
            limit: 5,
            variant: wsis_search::search::VariantFilter::All,
            ..SearchOptions::default()
        };
        let held = searcher_from_memory().search(&options).map(|p| serde_json::to_string(&p).unwrap());
        let read = searcher().search(&options).map(|p| serde_json::to_string(&p).unwrap());
        match (&held, &read) {
            (Ok(a), Ok(b)) => prop_assert_eq!(a, b, "{}", options.query),
            (Err(a), Err(b)) => prop_assert_eq!(a.to_string(), b.to_string()),
            _ => prop_assert!(false, "{}: {:?} / {:?}", options.query, held, read),
        }
    }

    #[test]
    fn the_citation_parser_answers_or_says_why(reference in "(TA|Tunis Agenda|A/RES/70/125|PoA|)[ ,.¶§a-z0-9()–-]{0,20}") {
        let catalog = searcher().catalog();
        let names = DocNames::new(catalog.iter().map(|e| &e.meta));
        match cite::parse(&reference, &names) {
            Ok(parsed) => {
                let resolved = cite::resolve(&reference, &parsed, &catalog, searcher());
                prop_assert!(matches!(resolved, Ok(_) | Err(Error::ParagraphNotFound { .. })), "{resolved:?}");
            }
            Err(Error::CitationParse { .. }) => {}
            Err(e) => prop_assert!(false, "unexpected error {e}"),
        }
    }

    #[test]
    fn any_text_is_a_label_or_not(text in "\\PC{0,12}") {
        if let Ok(label) = text.parse::<ParaLabel>() {
            prop_assert_eq!(label.to_string().parse::<ParaLabel>().ok(), Some(label));
        }
    }

    #[test]
    fn any_header_parses_or_names_a_line(
        kind in prop_oneof![Just("outcome-document".to_string()), Just("resolution".to_string()), Just("web-page".to_string()), Just("fact-sheet".to_string()), "[a-z-]{1,12}"],
        extra in "((furniture|no-rewrite|date|aliases|[a-z]{1,6}): ?[ -~]{0,12}\n){0,2}",
        body in "(\\PC{0,30}\n){0,8}",
    ) {
        let text = format!("id: x\ntitle: X\nkind: {kind}\nvariant: digital\n{extra}---\n{body}");
        match parse_document(std::path::Path::new("x.txt"), "corpus/x.txt", text) {
            Ok(doc) => { let _ = wsis_search::ingest::split::split(&doc); }
            Err(Error::CorpusFormat { line, .. }) => prop_assert!(line >= 1),
            Err(e) => prop_assert!(false, "unexpected error {e}"),
        }
    }

    #[test]
    fn every_line_of_pdf_text_is_in_the_body_or_dropped(lines in pdf_text_lines()) {
        let text = lines.join("\n");
        let cleaned = wsis_search::import::clean_text(&text, "SA/RES/98/12");
        let count = text.lines().count();
        for line in &cleaned.lines {
            let (first, last) = line.origin;
            prop_assert!(1 <= first && first <= last && last <= count, "{line:?} of {count}");
        }
        for (i, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
            let n = i + 1;
            let in_body = cleaned.lines.iter().any(|l| l.origin.0 <= n && n <= l.origin.1);
            let dropped = cleaned.dropped.iter().any(|d| d.line == n);
            prop_assert!(in_body || dropped, "line {n} {line:?} is neither in the body nor dropped");
        }
    }
}

/// Lines of `pdftotext -layout` text: lines of the PDF fixtures' text, some after a form feed,
/// shuffled with made-up lines of digits, punctuation and words.
fn pdf_text_lines() -> impl Strategy<Value = Vec<String>> {
    static POOL: OnceLock<Vec<String>> = OnceLock::new();
    let pool = POOL.get_or_init(|| {
        ["harbour-outcome.txt", "lamps-resolution.txt"]
            .iter()
            .flat_map(|f| {
                std::fs::read_to_string(repo().join("tests/fixtures").join(f))
                    .unwrap()
                    .lines()
                    .map(String::from)
                    .collect::<Vec<_>>()
            })
            .collect()
    });
    let line = prop_oneof![
        3 => prop::sample::select(pool.clone()),
        1 => "[ a-zA-Z0-9,.;:_*/()’-]{0,40}",
    ];
    prop::collection::vec((line, any::<u8>()), 0..80).prop_map(|lines| {
        lines
            .into_iter()
            .map(|(l, f)| if f % 8 == 0 { format!("\u{c}{l}") } else { l })
            .collect()
    })
}

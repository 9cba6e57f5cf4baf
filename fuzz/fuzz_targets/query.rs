//! The query path and the citation path on the shipped corpus's index (built once, in a
//! temporary directory): any string is searched for or refused with a parse error, and read
//! as a citation or refused with a parse error or a "not found". Never a panic. Cost oracle:
//! any query answers (or is refused) within its time budget, with a second's slack for
//! building the query and writing the page.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use wsis_search::cite;
use wsis_search::corpus::{CatalogEntry, Corpus, DocNames};
use wsis_search::error::Error;
use wsis_search::index::{self, BuildSource};
use wsis_search::search::{SearchOptions, Searcher};

struct Fixture {
    searcher: Searcher,
    catalog: Vec<CatalogEntry>,
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let corpus_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../corpus");
        let corpus = Corpus::load(&corpus_dir).expect("the shipped corpus loads");
        let built = wsis_search::ingest::records::build(&corpus);
        // One directory, rebuilt by each run (a build clears the ones before it).
        let dir = std::env::temp_dir().join("wsis-fuzz-index");
        let source = BuildSource {
            source: corpus_dir.display().to_string(),
            stats: Some(built.stats),
            catalog: wsis_search::import::catalog(&corpus),
            ..BuildSource::default()
        };
        let survey = index::survey::Survey::of(&built.records).expect("the records survey");
        let lock = index::BuildLock::take(&dir).expect("the index is free");
        index::build(&lock, &built.records, survey, source, &|_| {}).expect("the index builds");
        let searcher = Searcher::open(&dir).expect("the index opens");
        let catalog = searcher.catalog();
        Fixture { searcher, catalog }
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let Ok(input) = std::str::from_utf8(rest) else {
        return;
    };
    let fixture = fixture();
    let options = SearchOptions {
        query: input.to_string(),
        any: mode & 1 == 1,
        ..SearchOptions::default()
    };
    let started = std::time::Instant::now();
    match fixture.searcher.search(&options) {
        Ok(page) => assert!(page.hits.len() <= options.limit),
        Err(
            Error::QueryParse { .. } | Error::RegexQuery { .. } | Error::QueryTooExpensive { .. },
        ) => {}
        Err(e) => panic!("search {input:?}: unexpected error {e}"),
    }
    let took = started.elapsed();
    assert!(
        took < wsis_search::search::QUERY_BUDGET + std::time::Duration::from_secs(1),
        "search {input:?} took {took:?}, past its budget"
    );
    let names = DocNames::new(fixture.catalog.iter().map(|e| &e.meta));
    match cite::parse(input, &names) {
        Ok(reference) => {
            match cite::resolve(input, &reference, &fixture.catalog, &fixture.searcher) {
                Ok(_) | Err(Error::ParagraphNotFound { .. }) => {}
                Err(e) => panic!("cite {input:?}: unexpected error {e}"),
            }
        }
        Err(Error::CitationParse { .. }) => {}
        Err(e) => panic!("cite {input:?}: unexpected error {e}"),
    }
});

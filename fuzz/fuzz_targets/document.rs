//! A corpus file, whole: the header parser, then (when the header is good) the splitter, the
//! quote extractor and the digital-society rewriter, through `records::build`. Ok or a typed
//! error, never a panic. The first byte chooses whether the input is the whole file or the body
//! under a good header of an official or a background document, so that the fuzzer reaches the
//! splitter quickly.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wsis_search::corpus::{Corpus, DocMeta, Kind, parse_document};
use wsis_search::error::Error;

const OFFICIAL: &str =
    "id: accord\ntitle: Harbour Accord\nshort: HA\nkind: outcome-document\nvariant: digital\n---\n";
const BACKGROUND: &str =
    "id: notes\ntitle: Harbour notes\nkind: fact-sheet\nvariant: digital\n---\n";

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let Ok(rest) = std::str::from_utf8(rest) else {
        return;
    };
    let text = match mode % 3 {
        0 => rest.to_string(),
        1 => format!("{OFFICIAL}{rest}"),
        _ => format!("{BACKGROUND}{rest}"),
    };
    match parse_document(std::path::Path::new("fuzz.txt"), "corpus/fuzz.txt", text) {
        Ok(doc) => {
            let corpus = Corpus {
                documents: vec![doc],
                manifest: vec![DocMeta::named(
                    "accord",
                    "Harbour Accord",
                    Kind::OutcomeDocument,
                )],
                protected_names: vec!["e-mail".to_string()],
            };
            let built = wsis_search::ingest::records::build(&corpus);
            for record in &built.records {
                assert!(!record.text.is_empty(), "an empty record: {record:?}");
            }
        }
        Err(Error::CorpusFormat { line, .. }) => assert!(line >= 1),
        Err(e) => panic!("unexpected error {e}"),
    }
});

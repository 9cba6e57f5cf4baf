//! The shipped corpus: its bodies are the seeds, and every record traces to its source.

use std::collections::HashMap;
use std::fs;

use serde_json::Value;

use crate::util::{json_lines, repo, shipped_index, shipped_summary, wsis_ok};

/// Indexes the shipped corpus into a temporary index and exports it.
fn shipped_records() -> ((), Vec<Value>, String) {
    let export = wsis_ok(
        &repo(),
        &["export", "--index", shipped_index().to_str().unwrap()],
    );
    ((), json_lines(&export), shipped_summary().to_string())
}

fn spans_text(file_text: &str, spans: &Value) -> String {
    let parts: Vec<&str> = spans
        .as_array()
        .expect("spans")
        .iter()
        .map(|s| &file_text[s[0].as_u64().unwrap() as usize..s[1].as_u64().unwrap() as usize])
        .collect();
    parts.join(" ")
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset].matches('\n').count() + 1
}

#[test]
fn every_record_is_verbatim_at_its_provenance() {
    let (_tmp, records, _) = shipped_records();
    assert!(records.len() > 100, "the shipped corpus gives records");
    let by_id: HashMap<&str, &Value> = records
        .iter()
        .map(|r| (r["id"].as_str().unwrap(), r))
        .collect();
    let mut files = HashMap::new();
    for r in &records {
        let id = r["id"].as_str().unwrap();
        let prov = &r["provenance"];
        let file = prov["file"].as_str().expect("provenance names a file");
        let text = files.entry(file.to_string()).or_insert_with(|| {
            fs::read_to_string(repo().join(file)).expect("provenance file exists")
        });
        let spans = prov["spans"].as_array().expect("provenance has spans");
        assert!(!spans.is_empty(), "{id} has no span");
        let first = spans[0][0].as_u64().unwrap() as usize;
        let last = spans[spans.len() - 1][1].as_u64().unwrap() as usize;
        assert_eq!(
            prov["line_start"].as_u64().unwrap() as usize,
            line_of(text, first),
            "{id} first line"
        );
        assert_eq!(
            prov["line_end"].as_u64().unwrap() as usize,
            line_of(text, last),
            "{id} last line"
        );
        let at_source = spans_text(text, &prov["spans"]);
        if r["variant"] == "original" {
            assert_eq!(
                r["text"].as_str().unwrap(),
                at_source,
                "{id} is verbatim at its provenance"
            );
        } else {
            let original = by_id[id.trim_end_matches("/digital")];
            assert_eq!(
                original["text"].as_str().unwrap(),
                at_source,
                "{id} was rewritten from the text at its provenance"
            );
            let mut rebuilt = String::new();
            let mut at = 0;
            for s in r["substitutions"]
                .as_array()
                .expect("a variant lists its substitutions")
            {
                let (start, end) = (
                    s["start"].as_u64().unwrap() as usize,
                    s["end"].as_u64().unwrap() as usize,
                );
                assert_eq!(
                    &at_source[start..end],
                    s["before"].as_str().unwrap(),
                    "{id} substitution offsets"
                );
                rebuilt.push_str(&at_source[at..start]);
                rebuilt.push_str(s["after"].as_str().unwrap());
                at = end;
            }
            rebuilt.push_str(&at_source[at..]);
            assert_eq!(
                r["text"].as_str().unwrap(),
                rebuilt,
                "{id} is its original with the substitutions made"
            );
        }
    }
}

/// The SHA-256 of each seed, as `corpus/seeds.sha256` records it (`sha256sum` format, the
/// seed's path as the header's `source-file` gives it). `.ci/run` checks those sums against
/// the seed files themselves, which CI has beside the repository, so the suite needs nothing
/// outside the repository.
fn recorded_seed_sums() -> HashMap<String, String> {
    fs::read_to_string(repo().join("corpus/seeds.sha256"))
        .expect("corpus/seeds.sha256")
        .lines()
        .filter_map(|l| l.split_once("  "))
        .map(|(sum, path)| (path.to_string(), sum.to_string()))
        .collect()
}

/// The body of a corpus document: what follows its header's `---` line.
fn corpus_body(text: &str) -> &str {
    &text[text.find("\n---\n").expect("header ends with ---") + 5..]
}

#[test]
fn corpus_bodies_are_the_seeds_byte_for_byte() {
    let sums = recorded_seed_sums();
    let mut checked = 0;
    for entry in fs::read_dir(repo().join("corpus")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "txt") {
            continue;
        }
        let text = fs::read_to_string(&path).unwrap();
        let Some(source) = text
            .lines()
            .find_map(|l| l.strip_prefix("source-file:"))
            .map(str::trim)
            .filter(|s| !s.is_empty())
        else {
            continue;
        };
        let recorded = sums
            .get(source)
            .unwrap_or_else(|| panic!("{source} has no sum in corpus/seeds.sha256"));
        assert_eq!(
            &wsis_search::import::sha256_hex(corpus_body(&text).as_bytes()),
            recorded,
            "{} differs from {source}",
            path.display()
        );
        checked += 1;
    }
    assert_eq!(checked, 5, "the five seeds are in the corpus");
    assert_eq!(sums.len(), 5, "corpus/seeds.sha256 lists the five seeds");
}

#[test]
fn tunis_agenda_72_and_its_items_come_from_the_process_page() {
    let (_tmp, records, _) = shipped_records();
    let find = |id: &str| {
        records
            .iter()
            .find(|r| r["id"] == id)
            .unwrap_or_else(|| panic!("{id} is exported"))
    };
    // The process page's body is seed 002 byte for byte (checked above).
    let page = fs::read_to_string(repo().join("corpus/wsis20-process-page.txt")).unwrap();
    let seed = corpus_body(&page);
    let mut item_texts = Vec::new();
    for letter in 'a'..='l' {
        let record = find(&format!("tunis-agenda/72({letter})"));
        assert_eq!(record["partial"], false, "72({letter}) is a whole item");
        assert_eq!(
            record["citation"],
            format!("Tunis Agenda, para. 72({letter})")
        );
        let line = seed
            .lines()
            .find(|l| l.starts_with(&format!("{letter}. ")))
            .expect("the seed has the item");
        assert_eq!(
            record["text"].as_str().unwrap(),
            &line[3..],
            "72({letter}) is the seed's words"
        );
        item_texts.push(line.to_string());
    }
    let whole = find("tunis-agenda/72");
    assert_eq!(
        whole["partial"], true,
        "72 is assembled from items without its opening words"
    );
    assert_eq!(whole["text"].as_str().unwrap(), item_texts.join(" "));
    assert_eq!(
        find("tunis-agenda/34")["partial"],
        true,
        "a quote in a sentence is partial"
    );
    assert_eq!(
        find("wsis10-outcome/69")["citation"],
        "WSIS+10 outcome document, para. 69"
    );
}

#[test]
fn digital_variants_sit_beside_originals_that_the_rules_change() {
    let (_tmp, records, _) = shipped_records();
    let protected_list = fs::read_to_string(repo().join("corpus/protected-names.txt")).unwrap();
    let protected: Vec<&str> = protected_list
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .collect();
    let originals: Vec<&Value> = records
        .iter()
        .filter(|r| r["variant"] == "original")
        .collect();
    for r in &originals {
        let mut text = r["text"].as_str().unwrap().to_string();
        for name in &protected {
            text = text.replace(name, "");
        }
        let id = r["id"].as_str().unwrap();
        let has_variant = records.iter().any(|v| v["id"] == format!("{id}/digital"));
        let should = ["Information Society", "ICTs"]
            .iter()
            .any(|w| text.contains(w));
        if should {
            assert!(has_variant, "{id} says {text:?} and has a digital variant");
        }
        if !has_variant {
            continue;
        }
        let variant = records
            .iter()
            .find(|v| v["id"] == format!("{id}/digital"))
            .unwrap();
        assert_ne!(
            variant["text"], r["text"],
            "{id}: a variant differs from its original"
        );
    }
    let rules = records
        .iter()
        .find(|r| r["text"] == "E- is replaced with digital.")
        .expect("the process page states the rules");
    let id = rules["id"].as_str().unwrap();
    assert!(
        !records.iter().any(|v| v["id"] == format!("{id}/digital")),
        "the lines that state the rules are not rewritten"
    );
}

#[test]
fn summary_counts_match_the_export() {
    let (_tmp, records, summary) = shipped_records();
    let count = |name: &str| -> usize {
        let line = summary
            .lines()
            .find(|l| l.trim_start().starts_with(name))
            .unwrap_or_else(|| panic!("summary has {name}: {summary}"));
        line.split_whitespace().last().unwrap().parse().unwrap()
    };
    let originals = records
        .iter()
        .filter(|r| r["variant"] == "original")
        .count();
    assert_eq!(count("paragraph records"), originals);
    assert_eq!(count("variant records"), records.len() - originals);
    assert_eq!(
        count("quoted paragraphs"),
        records
            .iter()
            .filter(|r| r["variant"] == "original" && r.get("quoted_in").is_some())
            .count()
    );
    assert_eq!(count("corpus files"), 5);
    // With records: the files, and the official documents their quotes give paragraphs of.
    let mut documents: Vec<&str> = records.iter().map(|r| r["doc"].as_str().unwrap()).collect();
    documents.sort_unstable();
    documents.dedup();
    assert_eq!(count("documents"), documents.len());
    assert_eq!(count("furniture lines left out"), 65);
    let refs: usize = records
        .iter()
        .filter(|r| r["variant"] == "original")
        .map(|r| r.get("refs").and_then(Value::as_array).map_or(0, Vec::len))
        .sum();
    assert_eq!(count("cross-references"), refs);
}

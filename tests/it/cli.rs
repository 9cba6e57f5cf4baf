//! `wsis index` and `wsis export` on synthetic corpora: building, swapping, bad input, the
//! lock, and records in JSON lines.

use std::fs;

use crate::util::{header, json_lines, sample_corpus, wsis_err, wsis_ok};

#[test]
fn index_then_export_gives_records_with_quotes_and_variants() {
    let tmp = tempfile::tempdir().unwrap();
    sample_corpus(tmp.path());
    let summary = wsis_ok(tmp.path(), &["index"]);
    assert!(summary.contains("quoted paragraphs    1"), "{summary}");
    let records = json_lines(&wsis_ok(tmp.path(), &["export"]));
    let ids: Vec<&str> = records.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        [
            "harbour-notes/p1",
            "harbour-notes/p2",
            "harbour-notes/p2/digital",
            "harbour-accord/12"
        ]
    );
    assert_eq!(records[0]["refs"][0]["doc"], "harbour-accord");
    assert_eq!(
        records[2]["text"],
        "Keepers use digital technologies and e-mail; the digital society grows."
    );
    // The rewording is never cited as the document's own words.
    let citation = records[1]["citation"].as_str().unwrap();
    assert_eq!(
        records[2]["citation"],
        format!("{citation} (digital-society rewording)")
    );
    assert_eq!(records[3]["text"], "keep the lamps lit at night");
    assert_eq!(records[3]["quoted_in"], "harbour-notes/p1");
    assert_eq!(records[3]["partial"], true);
}

#[test]
fn ids_stay_the_same_across_reindexing_and_old_builds_are_cleared() {
    let tmp = tempfile::tempdir().unwrap();
    sample_corpus(tmp.path());
    wsis_ok(tmp.path(), &["index"]);
    let first = wsis_ok(tmp.path(), &["export"]);
    for _ in 0..3 {
        wsis_ok(tmp.path(), &["index"]);
    }
    assert_eq!(
        wsis_ok(tmp.path(), &["export"]),
        first,
        "same corpus, same records"
    );
    let entries = crate::util::dir_names(&tmp.path().join("index"));
    let builds = entries.iter().filter(|n| n.starts_with("build-")).count();
    assert_eq!(
        builds, 2,
        "the current build and the one before it: {entries:?}"
    );
    assert!(
        !entries.iter().any(|n| n.starts_with(".tmp-")),
        "no temp folders: {entries:?}"
    );
    let current = fs::read_to_string(tmp.path().join("index/CURRENT")).unwrap();
    assert!(
        entries.contains(&current.trim().to_string()),
        "CURRENT names an existing build"
    );
}

/// Each bad corpus fails with exit code 2, names the file and line, and leaves the index
/// that was there untouched.
#[test]
fn bad_corpus_input_names_file_and_line_and_keeps_the_old_index() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = sample_corpus(tmp.path());
    wsis_ok(tmp.path(), &["index"]);
    let before = wsis_ok(tmp.path(), &["export"]);
    let good = fs::read(corpus.join("harbour-notes.txt")).unwrap();
    let cases: [(&str, Vec<u8>, &str); 6] = [
        ("no colon", b"id: harbour-notes\nthis line has no colon\n---\nText.\n".to_vec(), "harbour-notes.txt:2: expected `key: value`"),
        ("no title", b"id: harbour-notes\nkind: fact-sheet\nvariant: none\n---\nText.\n".to_vec(), "harbour-notes.txt:1: required key \"title\" is missing"),
        ("bad kind", b"id: harbour-notes\ntitle: T\nkind: poem\nvariant: none\n---\nText.\n".to_vec(), "harbour-notes.txt:3: unknown kind \"poem\""),
        ("no end of header", b"id: harbour-notes\ntitle: T\n".to_vec(), "harbour-notes.txt:2: no `---` line ends the header"),
        ("not UTF-8", [header("harbour-notes", "fact-sheet").as_bytes(), b"Caf\xe9 notes\n"].concat(), "harbour-notes.txt:7: not UTF-8"),
        ("furniture past the end", b"id: harbour-notes\ntitle: T\nkind: fact-sheet\nvariant: none\nfurniture: 2-9\n---\nText.\n".to_vec(), "harbour-notes.txt:5: range 2-9 goes past the body's last line"),
    ];
    for (what, bytes, message) in cases {
        fs::write(corpus.join("harbour-notes.txt"), bytes).unwrap();
        let stderr = wsis_err(tmp.path(), &["index"]);
        assert!(stderr.contains(message), "{what}: {stderr}");
        assert_eq!(
            wsis_ok(tmp.path(), &["export"]),
            before,
            "{what}: the old index is still served"
        );
    }
    fs::write(corpus.join("harbour-notes.txt"), &good).unwrap();
    fs::write(corpus.join("copy.txt"), &good).unwrap();
    let stderr = wsis_err(tmp.path(), &["index"]);
    assert!(stderr.contains("harbour-notes.txt:1: duplicate document id \"harbour-notes\": corpus/copy.txt has it too"), "{stderr}");
    assert_eq!(wsis_ok(tmp.path(), &["export"]), before);
}

#[test]
fn missing_or_empty_corpus_and_missing_index_are_clear_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let stderr = wsis_err(tmp.path(), &["index", "--corpus", "nowhere"]);
    assert!(
        stderr.contains("nowhere: no corpus directory here"),
        "{stderr}"
    );
    fs::create_dir(tmp.path().join("empty")).unwrap();
    let stderr = wsis_err(tmp.path(), &["index", "--corpus", "empty"]);
    assert!(stderr.contains("empty: no documents"), "{stderr}");
    let stderr = wsis_err(tmp.path(), &["export"]);
    assert!(
        stderr.contains("no index here; build one with `wsis index"),
        "{stderr}"
    );
}

#[test]
fn a_held_lock_stops_a_second_build_and_a_released_one_does_not() {
    let tmp = tempfile::tempdir().unwrap();
    sample_corpus(tmp.path());
    wsis_ok(tmp.path(), &["index"]);
    let lock = fs::File::options()
        .write(true)
        .open(tmp.path().join("index/.lock"))
        .unwrap();
    lock.try_lock()
        .expect("the test takes the lock, as a running build would");
    let stderr = wsis_err(tmp.path(), &["index"]);
    assert!(
        stderr.contains("another `wsis index` is building this index"),
        "{stderr}"
    );
    drop(lock);
    wsis_ok(tmp.path(), &["index"]);
}

#[test]
fn an_unwritable_index_directory_is_a_clear_error() {
    let tmp = tempfile::tempdir().unwrap();
    sample_corpus(tmp.path());
    fs::write(tmp.path().join("index"), "a file, not a directory").unwrap();
    let stderr = wsis_err(tmp.path(), &["index"]);
    assert!(stderr.contains("building the index in index"), "{stderr}");
}

#[test]
fn exported_records_index_back_unchanged() {
    let tmp = tempfile::tempdir().unwrap();
    sample_corpus(tmp.path());
    wsis_ok(tmp.path(), &["index"]);
    let export = wsis_ok(tmp.path(), &["export"]);
    fs::write(tmp.path().join("records.jsonl"), &export).unwrap();
    let summary = wsis_ok(
        tmp.path(),
        &["index", "--records", "records.jsonl", "--index", "again"],
    );
    assert!(summary.contains("records              4"), "{summary}");
    assert_eq!(wsis_ok(tmp.path(), &["export", "--index", "again"]), export);
}

#[test]
fn minimal_records_get_ids_citations_and_line_provenance() {
    let tmp = tempfile::tempdir().unwrap();
    let lines = "{\"doc\":\"d1\",\"para\":\"3\",\"text\":\"Lamps are lit.\",\"title\":\"Doc One\"}\n\n{\"id\":\"x-9\",\"doc\":\"d1\",\"para\":\"9\",\"text\":\"Boats float.\"}\n";
    fs::write(tmp.path().join("r.jsonl"), lines).unwrap();
    wsis_ok(tmp.path(), &["index", "--records", "r.jsonl"]);
    let records = json_lines(&wsis_ok(tmp.path(), &["export"]));
    assert_eq!(records[0]["id"], "d1/3");
    assert_eq!(records[0]["citation"], "Doc One, para. 3");
    assert_eq!(records[0]["provenance"]["line_start"], 1);
    assert_eq!(records[1]["id"], "x-9", "a given id is kept");
    assert_eq!(records[1]["provenance"]["line_start"], 3);
    let cite: serde_json::Value =
        serde_json::from_str(&wsis_ok(tmp.path(), &["cite", "d1 3", "--json"])).unwrap();
    assert_eq!(
        cite["doc"]["kind"], "",
        "a kind the records do not give stays empty"
    );
    assert_eq!(cite["paragraphs"][0]["text"], "Lamps are lit.");
}

#[test]
fn bad_records_name_the_line() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("r.jsonl"), "{\"doc\":\"d\",\"para\":\"1\",\"text\":\"t\"}\n{\"doc\":\"d\",\"para\":\"1(\",\"text\":\"t\"}\n").unwrap();
    let stderr = wsis_err(tmp.path(), &["index", "--records", "r.jsonl"]);
    assert!(stderr.contains("r.jsonl:2: not a record"), "{stderr}");
    assert!(
        !tmp.path().join("index").exists(),
        "records that do not read leave no index folder behind"
    );
    fs::write(tmp.path().join("r.jsonl"), "{\"doc\":\"d\",\"para\":\"1\",\"text\":\"t\"}\n{\"doc\":\"d\",\"para\":\"1\",\"text\":\"u\"}\n").unwrap();
    let stderr = wsis_err(tmp.path(), &["index", "--records", "r.jsonl"]);
    assert!(
        stderr.contains("r.jsonl:2: duplicate record id \"d/1\""),
        "{stderr}"
    );
}

#[test]
fn output_into_a_closed_pipe_is_quiet() {
    let tmp = tempfile::tempdir().unwrap();
    sample_corpus(tmp.path());
    wsis_ok(tmp.path(), &["index"]);
    for args in [
        &["export"][..],
        &["search", "lamps", "--json"],
        &["search", "lamps"],
    ] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_wsis"))
            .args(args)
            .current_dir(tmp.path())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn gaps_in_an_official_documents_numbering_are_reported() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = sample_corpus(tmp.path());
    fs::write(
        corpus.join("rules.txt"),
        header("rules", "outcome-document")
            + "1. Lamps are lit.\n\n2. Piers are open.\n\n5. Ferries run weekly.\n\n6.\n\n7. Tides.\n",
    )
    .unwrap();
    let out = crate::util::wsis(tmp.path(), &["index"]);
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("corpus/rules.txt:11: paragraph numbers of rules skip 3–4 before 5"),
        "{stderr}"
    );
    // A number with nothing after it (found by the fuzzer) makes a warning, not an empty
    // record, and its number is no gap.
    assert!(
        stderr.contains("corpus/rules.txt:13: paragraph 6 has no text; it makes no record"),
        "{stderr}"
    );
    assert!(!stderr.contains("skip 6"), "{stderr}");
    let ids: Vec<String> = json_lines(&wsis_ok(tmp.path(), &["export"]))
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect();
    assert!(ids.contains(&"rules/5".to_string()), "{ids:?}");
    assert!(!ids.contains(&"rules/6".to_string()), "{ids:?}");
}

#[test]
fn control_and_bidi_characters_in_a_header_are_refused_naming_the_line() {
    for (bad, code) in [
        ("\u{1b}[31m", "U+001B"),
        ("\u{202e}", "U+202E"),
        ("\0", "U+0000"),
    ] {
        let tmp = tempfile::tempdir().unwrap();
        let corpus = sample_corpus(tmp.path());
        fs::write(
            corpus.join("odd.txt"),
            format!("id: odd\ntitle: The odd {bad}sample\nkind: fact-sheet\nvariant: none\n---\nKeepers light lamps.\n"),
        )
        .unwrap();
        let stderr = wsis_err(tmp.path(), &["index"]);
        assert!(
            stderr.contains("odd.txt:2: the header holds the control character")
                && stderr.contains(code),
            "{stderr}"
        );
    }
}

#[test]
fn search_and_cite_print_control_and_bidi_characters_inert() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = sample_corpus(tmp.path());
    fs::write(
        corpus.join("odd.txt"),
        "id: odd\ntitle: The odd sample\nshort: Odd Sample\nkind: fact-sheet\nvariant: none\n---\nThe lantern keepers \u{1b}]0;owned\u{7} rang \u{202e}sllec\u{202c} and\r bells.\n",
    )
    .unwrap();
    wsis_ok(tmp.path(), &["index"]);
    let shown = [
        wsis_ok(tmp.path(), &["search", "lantern"]),
        wsis_ok(tmp.path(), &["cite", "Odd Sample p1"]),
    ];
    for out in shown {
        assert!(out.contains("lantern"), "{out}");
        for raw in ['\u{1b}', '\u{7}', '\u{202e}', '\u{202c}', '\r'] {
            assert!(!out.contains(raw), "{raw:?} printed raw: {out:?}");
        }
        assert!(
            out.contains("\\u{1b}") && out.contains("\\u{202e}"),
            "{out:?}"
        );
    }
}

#[test]
fn a_source_url_that_is_not_a_web_address_is_refused_naming_the_line() {
    for url in [
        "javascript:alert(1)",
        "data:text/html,<b>x</b>",
        "JaVaScRiPt:void(0)",
    ] {
        let tmp = tempfile::tempdir().unwrap();
        let corpus = sample_corpus(tmp.path());
        let manifest = fs::read_to_string(corpus.join("manifest.txt")).unwrap();
        fs::write(
            corpus.join("manifest.txt"),
            format!("{manifest}source-url: {url}\n"),
        )
        .unwrap();
        let stderr = wsis_err(tmp.path(), &["index"]);
        assert!(
            stderr.contains("manifest.txt:7: source-url") && stderr.contains("not an http"),
            "{url}: {stderr}"
        );
    }
}

#[test]
fn paragraph_numbers_past_999_make_their_own_records() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = sample_corpus(tmp.path());
    let body: String = (997..=1002)
        .map(|n| format!("{n}. Lamp rule number {n} is kept.\n\n"))
        .collect();
    fs::write(
        corpus.join("rules.txt"),
        header("rules", "outcome-document") + &body,
    )
    .unwrap();
    wsis_ok(tmp.path(), &["index"]);
    let records = json_lines(&wsis_ok(tmp.path(), &["export"]));
    for n in 997..=1002 {
        let id = format!("rules/{n}");
        let record = records
            .iter()
            .find(|r| r["id"] == id.as_str())
            .unwrap_or_else(|| panic!("no record {id}"));
        assert_eq!(
            record["text"],
            format!("Lamp rule number {n} is kept."),
            "{id}"
        );
    }
}

#[test]
fn a_byte_order_mark_is_accepted_and_provenance_counts_the_files_bytes() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = sample_corpus(tmp.path());
    let file = corpus.join("marked.txt");
    fs::write(
        &file,
        format!(
            "\u{feff}{}Marked notes\n\nThe beacon keepers polish brass daily.\n",
            header("marked", "fact-sheet")
        ),
    )
    .unwrap();
    wsis_ok(tmp.path(), &["index"]);
    let bytes = fs::read(&file).unwrap();
    let records = json_lines(&wsis_ok(tmp.path(), &["export"]));
    let record = records
        .iter()
        .find(|r| r["text"] == "The beacon keepers polish brass daily.")
        .expect("the marked file's paragraph is indexed");
    let span = &record["provenance"]["spans"][0];
    let (start, end) = (
        span[0].as_u64().unwrap() as usize,
        span[1].as_u64().unwrap() as usize,
    );
    assert_eq!(
        &bytes[start..end],
        "The beacon keepers polish brass daily.".as_bytes(),
        "the span indexes the file's bytes, the mark included"
    );
}

#[test]
fn a_duplicate_document_id_is_reported_at_its_id_line() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = sample_corpus(tmp.path());
    fs::write(
        corpus.join("zz-copy.txt"),
        "# a copy\ntitle: Copy\nid: harbour-notes\nkind: fact-sheet\nvariant: none\n---\nKeepers.\n",
    )
    .unwrap();
    let stderr = wsis_err(tmp.path(), &["index"]);
    assert!(
        stderr.contains("zz-copy.txt:3: duplicate document id \"harbour-notes\""),
        "{stderr}"
    );
}

#[test]
fn fetch_without_ids_says_that_all_is_the_other_choice() {
    let tmp = tempfile::tempdir().unwrap();
    let stderr = crate::util::wsis_err(tmp.path(), &["fetch"]);
    assert!(stderr.contains("Usage: wsis fetch <ID|--all>"), "{stderr}");
}

//! Finding what a researcher means: footnote markers, compounds and spelling variants,
//! document symbols, typos, clear parse errors and unknown filters. One table per rule, each
//! row a query and the records (or the error) expected, on the shipped corpus unless a row
//! needs text the corpus lacks (then on a corpus of invented sentences).

use crate::util::{header, hit_ids, search_json, wsis, wsis_ok};

/// Whether `page` has a hit `id`, as the hit or among the records grouped under it.
fn finds(page: &serde_json::Value, id: &str) -> bool {
    page["hits"].as_array().unwrap().iter().any(|h| {
        h["id"] == id
            || h["also"]
                .as_array()
                .is_some_and(|also| also.iter().any(|a| a == id))
    })
}

#[test]
fn footnote_markers_are_not_part_of_words() {
    // The briefing note glues its markers to the word: "resolution 79/277⁵", "report⁶".
    let table: &[(&str, &str)] = &[
        ("resolution 79/277", "wsis20-prep1-briefing-note/p4"),
        ("\"resolution 79/277\"", "wsis20-prep1-briefing-note/p4"),
        (
            "\"79/277, adopted in March\"",
            "wsis20-prep1-briefing-note/p4",
        ),
        (
            "CSTD 20-year progress report",
            "wsis20-prep1-briefing-note/p7",
        ),
        (
            "\"progress report, prepared\"",
            "wsis20-prep1-briefing-note/p7",
        ),
        (
            "\"its 20-year progress report\"",
            "wsis20-prep1-briefing-note/p7",
        ),
    ];
    for (query, expected) in table {
        let page = search_json(query, &["--limit", "20"]);
        assert!(finds(&page, expected), "{query}: {:?}", hit_ids(&page));
    }
}

#[test]
fn compounds_and_spelling_variants_find_each_other() {
    // p34 writes "multi-stakeholder", the briefing note's p22 "multistakeholder"; p7 writes
    // "follow-up"; the Tunis Agenda writes "programme" and "organizations", the process page
    // "organisation" (corpus/spelling-variants.tsv ties the last two pairs).
    let table: &[(&str, &[&str])] = &[
        (
            "multistakeholder",
            &["wsis20-process-page/p34", "wsis20-prep1-briefing-note/p22"],
        ),
        (
            "multi-stakeholder",
            &["wsis20-process-page/p34", "wsis20-prep1-briefing-note/p22"],
        ),
        (
            "\"multi stakeholder\"",
            &["wsis20-process-page/p34", "wsis20-prep1-briefing-note/p22"],
        ),
        ("Multi‑Stakeholders", &["wsis20-prep1-briefing-note/p22"]),
        ("followup", &["wsis20-prep1-briefing-note/p7"]),
        ("\"follow up\"", &["wsis20-prep1-briefing-note/p7"]),
        // A phrase through a compound, answered from the word pairs.
        (
            "\"the multi-stakeholder implementation process\"",
            &["wsis20-process-page/p34"],
        ),
        ("program", &["tunis-agenda/34"]),
        ("programmes", &["tunis-agenda/34"]),
        ("organisation", &["tunis-agenda/71"]),
        ("organization", &["wsis20-process-page/p29"]),
    ];
    for (query, expected) in table {
        let page = search_json(query, &["--limit", "100"]);
        for id in *expected {
            assert!(
                finds(&page, id),
                "{query} misses {id}: {:?}",
                hit_ids(&page)
            );
        }
    }
    // The three spellings are one search.
    let totals: Vec<_> = [
        "multistakeholder",
        "multi-stakeholder",
        "\"multi stakeholder\"",
    ]
    .iter()
    .map(|q| search_json(q, &["--limit", "100"])["total"].clone())
    .collect();
    assert!(totals.windows(2).all(|w| w[0] == w[1]), "{totals:?}");
}

/// A corpus of invented sentences that cite document symbols, indexed; returns the index.
fn symbol_index(dir: &std::path::Path) -> std::path::PathBuf {
    let corpus = dir.join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    let body = "Symbol notes\n\nThe lamp council read A/RES/79/277 twice before lunch.\n\nIts clerk filed the ledger as A/60/687 in the blue cupboard.\n\nThe harbour summary WSIS-05/TUNIS/DOC/6(Rev.1)-E was lost at sea.\n";
    std::fs::write(
        corpus.join("symbol-notes.txt"),
        header("symbol-notes", "fact-sheet") + body,
    )
    .unwrap();
    let index = dir.join("index");
    wsis_ok(
        dir,
        &[
            "index",
            "--corpus",
            "corpus",
            "--index",
            index.to_str().unwrap(),
        ],
    );
    index
}

#[test]
fn document_symbols_are_found_whole_or_by_their_parts() {
    let tmp = tempfile::tempdir().unwrap();
    let index = symbol_index(tmp.path());
    let table: &[(&str, &str)] = &[
        ("A/RES/79/277", "symbol-notes/p1"),
        ("\"A/RES/79/277\"", "symbol-notes/p1"),
        ("79/277", "symbol-notes/p1"),
        ("RES/79", "symbol-notes/p1"),
        ("council A/RES/79/277", "symbol-notes/p1"),
        ("A/60/687", "symbol-notes/p2"),
        ("a/60/687", "symbol-notes/p2"),
        ("(A/60/687 OR nothingsuch)", "symbol-notes/p2"),
        ("WSIS-05/TUNIS/DOC/6(Rev.1)-E", "symbol-notes/p3"),
        ("\"WSIS-05/TUNIS/DOC/6(Rev.1)-E\"", "symbol-notes/p3"),
        ("TUNIS/DOC/6(Rev.1)", "symbol-notes/p3"),
    ];
    for (query, expected) in table {
        let out = wsis(
            tmp.path(),
            &[
                "search",
                query,
                "--json",
                "--index",
                index.to_str().unwrap(),
            ],
        );
        let page: serde_json::Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|_| panic!("{query}: {}", String::from_utf8_lossy(&out.stderr)));
        assert_eq!(hit_ids(&page), [*expected], "{query}");
    }
    // On the shipped corpus: the symbol in the briefing note's footnote address.
    let page = search_json("A/RES/79/277", &[]);
    assert!(finds(&page, "wsis20-prep1-briefing-note/fn5"), "{page}");
}

#[test]
fn a_word_that_matches_nothing_is_corrected_and_the_answer_says_so() {
    // (query, the corrections expected as "from→to|to", a record the corrected search finds)
    let table: &[(&str, &[&str], &str)] = &[
        ("goverance", &["goverance→governance"], "tunis-agenda/34"),
        (
            "multistakholder",
            &["multistakholder→multistakeholder"],
            "wsis20-prep1-briefing-note/p22",
        ),
        (
            "working defintion of Internet goverance",
            &["defintion→definition", "goverance→governance"],
            "tunis-agenda/34",
        ),
        (
            "Albania Kenay",
            &["Kenay→kenya"],
            "wsis20-prep1-briefing-note/p5",
        ),
        ("Albania quokka", &[], ""),
        ("\"digital divdie\"", &[], ""),
        // A word the corpus holds is searched as typed, never corrected to a neighbour.
        ("cross", &[], ""),
    ];
    for (query, corrections, expected) in table {
        let page = search_json(query, &["--limit", "20"]);
        let got: Vec<String> = page["corrected"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                let to: Vec<&str> = c["to"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|t| t.as_str().unwrap())
                    .collect();
                format!("{}→{}", c["from"].as_str().unwrap(), to.join("|"))
            })
            .collect();
        assert_eq!(got, *corrections, "{query}");
        assert_eq!(page["query"], *query, "the page names the query as typed");
        if !expected.is_empty() {
            assert!(finds(&page, expected), "{query}: {:?}", hit_ids(&page));
        }
    }
    // `cross` is one edit from `across`: the exact hits only.
    let cross = search_json("cross", &["--limit", "100"]);
    assert!(!hit_ids(&cross).is_empty());
    for hit in cross["hits"].as_array().unwrap() {
        let text = hit["text"].as_str().unwrap().to_lowercase();
        assert!(text.replace("across", "").contains("cross"), "{text}");
    }
    // --exact searches as typed: nothing, exit 1.
    let index = crate::util::shipped_index().to_str().unwrap();
    let exact = wsis(
        &crate::util::repo(),
        &["search", "goverance", "--exact", "--index", index],
    );
    assert_eq!(exact.status.code(), Some(1));
    let exact = search_json("goverance", &["--exact"]);
    assert_eq!(exact["total"], 0);
    assert_eq!(exact["corrected"], serde_json::json!([]));
    // The terminal says what happened.
    let text = wsis_ok(
        &crate::util::repo(),
        &["search", "goverance", "--index", index],
    );
    assert!(
        text.starts_with("showing results for governance — no match for goverance"),
        "{text}"
    );
}

#[test]
fn parse_errors_name_the_fault_and_its_place() {
    let index = crate::util::shipped_index().to_str().unwrap();
    let table: &[(&str, &str)] = &[
        (
            "\"digital divide",
            "the quote opened at character 1 is not closed",
        ),
        (
            "forum \"digital divide",
            "the quote opened at character 7 is not closed",
        ),
        (
            "(forum OR IGF",
            "the parenthesis opened at character 1 is not closed",
        ),
        ("forum)", "the parenthesis at character 6 closes no group"),
        ("forum () IGF", "the group opened at character 7 is empty"),
        (
            "forum AND",
            "the operator AND at character 7 has nothing after it",
        ),
        (
            "OR forum",
            "the operator OR at character 1 has nothing before it",
        ),
        (
            "forum NOT",
            "the operator NOT at character 7 has nothing after it",
        ),
    ];
    for (query, message) in table {
        let stderr =
            crate::util::wsis_err(&crate::util::repo(), &["search", query, "--index", index]);
        assert!(stderr.contains(message), "{query}: {stderr}");
    }
}

#[test]
fn unknown_filter_values_are_refused_with_the_known_ones() {
    let index = crate::util::shipped_index().to_str().unwrap();
    let table: &[(&[&str], &str)] = &[
        (&["doc:nosuch forum"], "there is no document \"nosuch\""),
        (&["kind:nosuch forum"], "there is no kind \"nosuch\""),
        (
            &["forum", "--doc", "nosuch"],
            "there is no document \"nosuch\"",
        ),
        (
            &["forum", "--kind", "nosuch"],
            "there is no kind \"nosuch\"",
        ),
        (
            &["forum", "--doc", "tunis-agenda", "--doc", "nosuch"],
            "there is no document",
        ),
    ];
    for (args, message) in table {
        let mut all = vec!["search"];
        all.extend_from_slice(args);
        all.extend_from_slice(&["--index", index]);
        let stderr = crate::util::wsis_err(&crate::util::repo(), &all);
        assert!(stderr.contains(message), "{args:?}: {stderr}");
        let known = if message.contains("kind") {
            "fact-sheet"
        } else {
            "tunis-agenda"
        };
        assert!(
            stderr.contains(known),
            "{args:?} names the known values: {stderr}"
        );
    }
    // Known values, including a kind no document of this corpus has, are accepted.
    for query in [
        "doc:tunis-agenda forum",
        "kind:fact-sheet forum",
        "kind:resolution forum",
    ] {
        search_json(query, &[]);
    }
}

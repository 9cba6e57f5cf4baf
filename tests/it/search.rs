//! `wsis search` on the shipped corpus and on synthetic corpora: the query language, filters,
//! facets, snippets, grouping, ranking, and bad queries.

use std::fs;

use serde_json::Value;

use crate::util::{
    header, hit_ids, repo, sample_corpus, search_json, shipped_index, wsis, wsis_err, wsis_ok,
};

/// Queries a researcher would type, with the records they would expect first. A hit counts
/// when it or a record grouped under it (`also`) is expected.
const RELEVANCE_SET: &[(&str, &[&str])] = &[
    (
        "mandate of the Internet Governance Forum",
        &["tunis-agenda/72"],
    ),
    (
        "working definition of Internet governance",
        &["tunis-agenda/34"],
    ),
    ("need for enhanced cooperation", &["tunis-agenda/69"]),
    (
        "WSIS Forum should continue to be held annually",
        &["wsis10-outcome/69"],
    ),
    ("publish its proceedings", &["tunis-agenda/72(l)"]),
    ("critical Internet resources", &["tunis-agenda/72(j)"]),
    (
        "UN Group on the Information Society",
        &["wsis20-process-page/p31", "tunis-agenda/103"],
    ),
    ("ten-year review of WSIS", &["wsis20-process-page/p70"]),
    (
        "co-facilitators Albania Kenya",
        &["wsis20-prep1-briefing-note/p5"],
    ),
    (
        "IGF national regional youth initiatives",
        &["isoc-wsis20-fact-sheet/p13"],
    ),
    (
        "e-waste energy consumption",
        &["wsis20-prep1-briefing-note/p18"],
    ),
    (
        "Internet Governance Forum mandate renewed 2015",
        &["wsis20-process-page/p57"],
    ),
    (
        "C1 role of public governance authorities",
        &["wsis20-process-page/p18"],
    ),
    (
        "governments private sector civil society respective roles",
        &["tunis-agenda/34"],
    ),
    (
        "side events high-level meeting",
        &["un-press-release-2025-12-16/p6"],
    ),
    ("play leading facilitating roles", &["tunis-agenda/109"]),
    (
        "digital divide affordability",
        &["wsis20-prep1-briefing-note/p17"],
    ),
    (
        "accelerate availability and affordability of the Internet in the developing world",
        &["tunis-agenda/72(e)"],
    ),
    // Short queries whose answer is the official paragraph itself, ahead of the pages that
    // talk about it (issue 16).
    ("IGF mandate", &["tunis-agenda/72"]),
    (
        "enhanced cooperation",
        &["tunis-agenda/69", "tunis-agenda/71"],
    ),
    ("Internet governance definition", &["tunis-agenda/34"]),
    ("process towards enhanced cooperation", &["tunis-agenda/71"]),
    ("WSIS Forum held annually", &["wsis10-outcome/69"]),
    ("facilitators of action lines", &["tunis-agenda/109"]),
    ("critical Internet resources IGF", &["tunis-agenda/72(j)"]),
];

#[test]
fn relevance_set_top1_and_mean_reciprocal_rank() {
    let (mut top1, mut top3) = (0, 0);
    let mut reciprocal = 0.0;
    let mut report = Vec::new();
    for (query, expected) in RELEVANCE_SET {
        let page = search_json(query, &["--limit", "10"]);
        let rank = page["hits"].as_array().unwrap().iter().position(|h| {
            let also = h
                .get("also")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            expected
                .iter()
                .any(|e| h["id"] == *e || also.iter().any(|a| a == e))
        });
        if rank == Some(0) {
            top1 += 1;
        }
        if rank.is_some_and(|r| r < 3) {
            top3 += 1;
        }
        reciprocal += rank.map_or(0.0, |r| 1.0 / (r + 1) as f64);
        report.push(format!(
            "{:>4} {query}",
            rank.map_or("-".into(), |r| (r + 1).to_string())
        ));
    }
    let n = RELEVANCE_SET.len() as f64;
    let (top1, top3, mrr) = (top1 as f64 / n, top3 as f64 / n, reciprocal / n);
    eprintln!(
        "relevance set: top-1 {top1:.3}, top-3 {top3:.3}, MRR {mrr:.3}\n{}",
        report.join("\n")
    );
    assert!(
        top1 >= 0.9,
        "top-1 {top1:.3} fell below 0.9:\n{}",
        report.join("\n")
    );
    assert!(
        mrr >= 0.94,
        "MRR {mrr:.3} fell below 0.94:\n{}",
        report.join("\n")
    );
}

#[test]
fn words_are_all_required_unless_any() {
    let all = search_json("Albania quokka", &[]);
    assert_eq!(all["total"], 0);
    let any = search_json("Albania quokka", &["--any"]);
    assert_eq!(hit_ids(&any), ["wsis20-prep1-briefing-note/p5"]);
}

#[test]
fn phrases_proximity_prefixes_and_operators() {
    assert_eq!(
        hit_ids(&search_json("\"Publish its proceedings\"", &[]))[0],
        "tunis-agenda/72(l)"
    );
    assert_eq!(
        search_json("\"proceedings its publish\"", &[])["total"],
        0,
        "a phrase keeps its order"
    );
    let near = search_json("\"renewed mandate\"~3", &[]);
    assert!(
        hit_ids(&near).contains(&"wsis20-process-page/p57".to_string()),
        "{near}"
    );
    let prefix = search_json("multistake*", &["--limit", "100"]);
    assert_eq!(
        prefix["total"],
        search_json("multistakeholder", &[])["total"],
        "{prefix}"
    );
    assert!(prefix["total"].as_u64().unwrap() >= 5, "{prefix}");
    assert_eq!(
        search_json("Multistakeholder*", &[])["total"],
        prefix["total"],
        "a prefix longer than the stem still matches"
    );
    let not = search_json("Albania NOT Kenya", &[]);
    assert_eq!(not["total"], 0);
    let or = search_json("Albania OR quokka", &[]);
    assert_eq!(or["total"], 1);
    let minus = search_json("enhanced cooperation -Tunis", &["--limit", "100"]);
    assert!(
        minus["hits"]
            .as_array()
            .unwrap()
            .iter()
            .all(|h| !h["text"].as_str().unwrap().contains("Tunis"))
    );
}

#[test]
fn field_filters_and_options() {
    let doc = search_json("doc:tunis-agenda", &["--limit", "100"]);
    assert!(
        doc["hits"]
            .as_array()
            .unwrap()
            .iter()
            .all(|h| h["doc"] == "tunis-agenda")
    );
    let para = search_json("para:34 doc:tunis-agenda", &[]);
    assert_eq!(hit_ids(&para), ["tunis-agenda/34"]);
    let filtered = search_json("platform", &["--doc", "wsis10-outcome"]);
    assert_eq!(hit_ids(&filtered), ["wsis10-outcome/69"]);
    let kind = search_json("Internet", &["--kind", "press-release", "--limit", "100"]);
    assert!(
        kind["hits"]
            .as_array()
            .unwrap()
            .iter()
            .all(|h| h["doc"] == "un-press-release-2025-12-16")
    );
    let years = search_json("WSIS", &["--year", "2003..2005", "--limit", "100"]);
    assert!(
        years["hits"]
            .as_array()
            .unwrap()
            .iter()
            .all(|h| h["doc"] == "tunis-agenda"),
        "{years}"
    );
    let digital = search_json(
        "\"digital society\"",
        &["--variant", "digital", "--limit", "100"],
    );
    assert!(digital["total"].as_u64().unwrap() > 3);
    assert!(
        digital["hits"]
            .as_array()
            .unwrap()
            .iter()
            .all(|h| h["variant"] == "digital")
    );
    let original = search_json("\"digital society\"", &[]);
    assert!(original["total"].as_u64().unwrap() < digital["total"].as_u64().unwrap());
}

#[test]
fn results_carry_totals_facets_snippets_and_the_build() {
    let page = search_json("Internet governance", &["--limit", "3"]);
    let total = page["total"].as_u64().unwrap();
    assert!(total > 3);
    let facet_sum: u64 = page["facets"]["docs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["count"].as_u64().unwrap())
        .sum();
    assert_eq!(facet_sum, total, "facets count every match");
    assert!(
        page["facets"]["docs"][0]["title"]
            .as_str()
            .is_some_and(|t| !t.is_empty())
    );
    assert_eq!(page["hits"].as_array().unwrap().len(), 3);
    let hit = &page["hits"][0];
    for field in [
        "id",
        "doc",
        "title",
        "para",
        "citation",
        "section",
        "variant",
        "partial",
        "provenance",
        "score",
        "text",
        "snippet",
        "url",
    ] {
        assert!(hit.get(field).is_some(), "a hit has {field}: {hit}");
    }
    assert!(hit["snippet"].as_str().unwrap().contains("<mark>"), "{hit}");
    assert!(
        page["index"]["build"]
            .as_str()
            .is_some_and(|b| !b.is_empty())
    );
    let next = search_json("Internet governance", &["--limit", "3", "--offset", "3"]);
    assert!(
        hit_ids(&next).iter().all(|id| !hit_ids(&page).contains(id)),
        "pages do not overlap"
    );
}

#[test]
fn matching_folds_case_accents_apostrophes_and_lookalike_letters() {
    let curly = search_json("Internet’s technical architecture", &[]);
    let straight = search_json("Internet's technical architecture", &[]);
    assert_eq!(hit_ids(&curly), hit_ids(&straight));
    assert_eq!(hit_ids(&curly), ["isoc-wsis20-fact-sheet/p7"]);
    assert_eq!(
        hit_ids(&search_json("INTERNET GOVERNANCE FORUM", &[]))[0],
        hit_ids(&search_json("internet governance forum", &[]))[0]
    );
    assert_eq!(
        hit_ids(&search_json("ethical dimensions", &[])),
        hit_ids(&search_json("éthical dimensions", &[]))
    );
    let cyrillic = search_json("C2 information and communication", &[]);
    assert_eq!(
        hit_ids(&cyrillic),
        ["wsis20-process-page/p19"],
        "the source writes С2 with a Cyrillic С"
    );
}

#[test]
fn acronyms_find_their_expansions() {
    let igf = search_json("IGF", &["--limit", "100"]);
    let spelled = search_json("\"Internet Governance Forum\"", &["--limit", "100"]);
    let ids = hit_ids(&igf);
    assert!(
        hit_ids(&spelled).iter().any(|id| ids.contains(id)),
        "IGF finds records that spell it out"
    );
    assert!(igf["total"].as_u64().unwrap() > 10);
}

#[test]
fn no_hits_exit_1_and_bad_queries_exit_2_with_the_reason() {
    let index = shipped_index().to_str().unwrap();
    let out = wsis(&repo(), &["search", "quokka", "--index", index]);
    assert_eq!(out.status.code(), Some(1));
    let long = "word ".repeat(2500);
    let cases: &[(&str, &str)] = &[
        (
            "variant:all",
            "variant:all only widens the search to every variant: say what to look for too",
        ),
        (
            "forum -variant:all",
            "-variant:all would exclude every record",
        ),
        (
            "variant:none",
            "there is no variant \"none\"; the index knows original, digital",
        ),
        ("[ : ]", "it holds no word to search for"),
        (
            "doc: IN [tunis-agenda nowhere] forum",
            "there is no document \"nowhere\"",
        ),
        (
            "tab\tforum)",
            "cannot search for \"tab forum)\": the parenthesis at character 10",
        ),
        (
            "forum OR ]",
            "the operator OR at character 7 has nothing after it",
        ),
        (
            "https://a.org/ OR ]",
            "the operator OR has nothing after it",
        ),
        (
            "title:[e-government TO forum]",
            "a range's bounds are one word each",
        ),
        (
            "year:[2003 TO 2005",
            "the range opened at character 6 is not closed",
        ),
        ("[2003 TO 2005] forum", "a range needs a field"),
        ("forum~2", "the ~ at character 6 asks for fuzzy matching"),
        (
            "\"digital divide",
            "cannot search for \"\"digital divide\": the quote opened at character 1",
        ),
        (
            "\"digital divide\"~",
            "the ~ at character 17 needs the number of words",
        ),
        ("forum^", "the ^ at character 6 needs the weight it gives"),
        (
            "forum title:",
            "the field title: at character 7 has nothing after it",
        ),
        ("year:2003..2005", "year: takes a year: year:2005"),
        (
            "cites:nope/1",
            "there is no document \"nope\"; the index knows",
        ),
        ("", "the query is empty"),
        ("\"unbalanced", "cannot search for"),
        (
            "nosuchfield:value",
            "there is no field \"nosuchfield\"; fields: text, title",
        ),
        (
            "NOT forum",
            "it only excludes (NOT, -): say what to look for too",
        ),
        (
            "text:*",
            "`text:*` (any value) works for the fields doc and year only",
        ),
        (
            "\"forum\"*",
            "a phrase prefix (`\"…\"*`) needs two words or more",
        ),
        (&long, "at most 1000 are accepted"),
        ("a\u{7}b", "control character U+0007"),
    ];
    for &(query, message) in cases {
        let stderr = wsis_err(&repo(), &["search", query, "--index", index]);
        assert!(stderr.contains(message), "{query:?}: {stderr}");
    }
    let stderr = wsis_err(
        &repo(),
        &["search", "forum", "--index", index, "--limit", "1000"],
    );
    assert!(stderr.contains("limit is 1 to 100"), "{stderr}");
}

#[test]
fn snippets_escape_the_text() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = sample_corpus(tmp.path());
    let body = "Markup notes\n\nThe lantern <script>alert(1)</script> and <img src=x onerror=alert(2)> & more lanterns.\n";
    fs::write(
        corpus.join("markup.txt"),
        header("markup", "web-page") + body,
    )
    .unwrap();
    wsis_ok(tmp.path(), &["index"]);
    let page: Value =
        serde_json::from_str(&wsis_ok(tmp.path(), &["search", "lantern", "--json"])).unwrap();
    let snippet = page["hits"][0]["snippet"].as_str().unwrap();
    assert!(
        !snippet.contains("<script>") && !snippet.contains("<img"),
        "{snippet}"
    );
    assert!(
        snippet.contains("&lt;script&gt;") && snippet.contains("&amp;"),
        "{snippet}"
    );
    assert!(snippet.contains("<mark>lantern</mark>"), "{snippet}");
    assert_eq!(
        page["hits"][0]["text"],
        "The lantern <script>alert(1)</script> and <img src=x onerror=alert(2)> & more lanterns.",
        "the text itself stays as the source gives it"
    );
}

#[test]
fn a_plural_possessive_is_searched_as_its_word() {
    let total = |query: &str| search_json(query, &[])["total"].clone();
    assert_eq!(total("stakeholders' needs"), total("stakeholders needs"));
    assert!(total("stakeholders'").as_u64().unwrap() > 0);
}

#[test]
fn a_phrase_is_marked_in_snippets_only_where_it_stands_whole() {
    let page = search_json("\"Internet Governance Forum\"", &["--limit", "100"]);
    let snippets: Vec<&str> = page["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|hit| hit["snippet"].as_str().unwrap())
        .collect();
    assert!(snippets.iter().any(|s| s.contains(
        "<mark>Internet</mark> <mark>Governance</mark> <mark>Forum</mark>"
    )));
    for snippet in &snippets {
        assert_eq!(snippet.matches("<mark>").count() % 3, 0, "{snippet}");
    }
    // A word prefix marks the words it starts.
    let page = search_json("multistake*", &[]);
    for hit in page["hits"].as_array().unwrap() {
        let snippet = hit["snippet"].as_str().unwrap().to_lowercase();
        assert!(snippet.contains("<mark>multistake"), "{snippet}");
    }
    // What a query excludes is not marked.
    for query in [
        "governance -(internet forum)",
        "governance -'internet forum'",
    ] {
        let page = search_json(query, &["--limit", "100"]);
        for hit in page["hits"].as_array().unwrap() {
            let snippet = hit["snippet"].as_str().unwrap().to_lowercase();
            assert!(!snippet.contains("<mark>internet"), "{query}: {snippet}");
        }
    }
    // Tunis Agenda 72 speaks of Internet governance, not of the Forum, in its item (a).
    assert!(
        snippets
            .iter()
            .any(|s| s.contains("key elements of Internet governance in order")),
        "{snippets:?}"
    );
}

#[test]
fn pasted_prose_is_searched_as_its_words() {
    let total = |query: &str, options: &[&str]| search_json(query, options)["total"].clone();
    let pairs = [
        ("WSIS+20: review", "WSIS+20 review"),
        (
            "Geneva Declaration: principles",
            "Geneva Declaration principles",
        ),
        ("[the] information society", "the information society"),
        ("Internet governance]", "Internet governance"),
        ("variant:all stakeholders", "stakeholders"),
        ("stakeholders (variant:all)", "stakeholders"),
        ("variant:all stakeholdres", "stakeholders"),
        ("governance -[forum]", "governance -forum"),
        ("Note:\"digital divide\"", "Note \"digital divide\""),
        ("title:review: forum", "title:review forum"),
        ("digital - divide", "digital divide"),
        ("the 'digital divide", "the digital divide"),
        (
            "stakeholders variant : digital",
            "stakeholders variant:digital",
        ),
        (
            "ROLE OF GOVERNMENTS IN INTERNET GOVERNANCE",
            "role of governments in internet governance",
        ),
    ];
    for (pasted, words) in pairs {
        let variant = if pasted.contains("variant") {
            ["--variant", "all"].as_slice()
        } else {
            &[]
        };
        let found = total(pasted, &[]);
        assert!(found.as_u64().unwrap() > 0, "{pasted}");
        assert_eq!(found, total(words, variant), "{pasted}");
    }
    // A label's value after a space is the label's, brackets and all.
    let item = search_json("doc: tunis-agenda para: 72(e)", &[]);
    assert_eq!(item["total"], 1, "{item}");
    assert_eq!(item["hits"][0]["id"], "tunis-agenda/72(e)");
    // A web address is a phrase of its words; a range stays a range.
    assert_eq!(total("https://www.itu.int/net/wsis/", &[]), 0);
    assert_eq!(
        total("year:[2003 TO 2005] stakeholders", &[]),
        total("stakeholders", &["--year", "2003..2005"])
    );
}

#[test]
fn a_label_with_items_in_an_exact_field_names_that_item() {
    for query in [
        "doc:tunis-agenda para:72(e)",
        "doc:tunis-agenda para:\"72(e)\"",
    ] {
        let page = search_json(query, &[]);
        assert_eq!(page["total"], 1, "{query}: {page}");
        assert_eq!(page["hits"][0]["id"], "tunis-agenda/72(e)", "{query}");
    }
}

#[test]
fn a_variant_named_in_the_query_takes_the_place_of_the_option() {
    for query in ["variant:digital", "variant:digital stakeholders'"] {
        let page = search_json(query, &[]);
        assert!(page["total"].as_u64().unwrap() > 0, "{query}: {page}");
        for hit in page["hits"].as_array().unwrap() {
            assert_eq!(hit["variant"], "digital", "{hit}");
        }
    }
}

#[test]
fn an_id_names_its_record_whatever_its_variant() {
    let id = "wsis20-process-page/p14/digital";
    let page = search_json(&format!("id:{id}"), &[]);
    assert_eq!(hit_ids(&page), [id], "{page}");
}

#[test]
fn the_mark_of_a_variants_citation_finds_nothing() {
    let page = search_json("rewording", &["--variant", "all", "--exact"]);
    assert_eq!(page["total"], 0, "{page}");
}

#[test]
fn a_prefix_on_an_exact_field_finds_the_values_it_starts() {
    let page = search_json("doc:tunis*", &["--limit", "100"]);
    let facets: Vec<&str> = page["facets"]["docs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["doc"].as_str().unwrap())
        .collect();
    assert!(!facets.is_empty(), "{page}");
    assert!(facets.iter().all(|d| d.starts_with("tunis")), "{facets:?}");
}

#[test]
fn json_output_is_indented_alike_hits_included() {
    let index = shipped_index().to_str().unwrap();
    let out = wsis_ok(
        &repo(),
        &[
            "search",
            "publish its proceedings",
            "--index",
            index,
            "--json",
        ],
    );
    // Each key on a line of its own, the hits' keys too, in the API's order.
    let hit_keys: Vec<&str> = out
        .lines()
        .filter(|l| l.starts_with("      \"") && l.contains("\": "))
        .take(3)
        .collect();
    assert!(
        hit_keys[0].trim_start().starts_with("\"id\": ")
            && hit_keys[1].trim_start().starts_with("\"doc\": "),
        "{out}"
    );
    assert!(
        !out.lines()
            .any(|l| l.len() > 400 && l.contains("\"citation\":")),
        "a hit printed on one line: {out}"
    );
    let page: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(page["hits"][0]["citation"], "Tunis Agenda, para. 72(l)");
}

#[test]
fn terminal_output_puts_the_citation_first() {
    let index = shipped_index().to_str().unwrap();
    let out = wsis_ok(
        &repo(),
        &["search", "publish its proceedings", "--index", index],
    );
    assert!(out.starts_with("Tunis Agenda, para. 72(l)\n"), "{out}");
    assert!(out.contains("Publish its proceedings."), "{out}");
}

/// What the search box does with a query: read it as a citation (the first paragraphs it
/// names, and those missing) or search for its words.
enum Box {
    Citation(&'static [&'static str], &'static [&'static str]),
    Search,
}

#[test]
fn a_whole_reference_in_the_search_box_is_answered_as_a_citation() {
    let table: &[(&str, &[&str], Box)] = &[
        ("TA 72(e)", &[], Box::Citation(&["tunis-agenda/72(e)"], &[])),
        (
            "Tunis Agenda para 72(e)",
            &[],
            Box::Citation(&["tunis-agenda/72(e)"], &[]),
        ),
        (
            "A/RES/70/125 para 69",
            &[],
            Box::Citation(&["wsis10-outcome/69"], &[]),
        ),
        (
            "Tunis Agenda, paragraph 72(a)-(c)",
            &[],
            Box::Citation(
                &[
                    "tunis-agenda/72(a)",
                    "tunis-agenda/72(b)",
                    "tunis-agenda/72(c)",
                ],
                &[],
            ),
        ),
        ("TA 72(m)", &[], Box::Citation(&[], &["72(m)"])),
        (
            "paragraphs 4, 5 and 55 of the Geneva Declaration",
            &[],
            Box::Citation(&[], &["4", "5", "55"]),
        ),
        // A bare paragraph is a citation only when the filters choose one document.
        (
            "para 72",
            &["--doc", "tunis-agenda"],
            Box::Citation(&["tunis-agenda/72"], &[]),
        ),
        ("para 72", &[], Box::Search),
        (
            "para 72",
            &["--doc", "tunis-agenda", "--doc", "wsis10-outcome"],
            Box::Search,
        ),
        // Text that merely holds a number or a document's name stays a search.
        ("forum 2015", &[], Box::Search),
        ("Tunis Agenda", &[], Box::Search),
        ("mandate of the IGF 72", &[], Box::Search),
    ];
    for (query, args, expected) in table {
        let page = search_json(query, args);
        match expected {
            Box::Citation(found, missing) => {
                assert_eq!(
                    page["answered_as"], "citation",
                    "{query:?} {args:?}: {page}"
                );
                let citation = &page["citation"];
                let ids: Vec<&str> = citation["paragraphs"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|p| p["id"].as_str().unwrap())
                    .collect();
                assert_eq!(&ids, found, "{query:?}");
                let missed: Vec<&str> = citation["missing"]
                    .as_array()
                    .map(|m| m.iter().map(|l| l.as_str().unwrap()).collect())
                    .unwrap_or_default();
                assert_eq!(&missed, missing, "{query:?}");
                let coverage = citation["coverage"].as_str().unwrap();
                assert!(
                    coverage.contains("not imported") || coverage.contains("full text"),
                    "{query:?} says what the corpus holds: {citation}"
                );
            }
            Box::Search => {
                assert_eq!(page["answered_as"], "search", "{query:?} {args:?}");
                assert!(page.get("citation").is_none(), "{query:?}");
            }
        }
    }
    // A citation that finds a paragraph exits 0 even where the word search finds nothing.
    let index = shipped_index().to_str().unwrap();
    let out = wsis(&repo(), &["search", "TA 72(e)", "--index", index]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.starts_with(
            "Citation \"TA 72(e)\":\n\nTunis Agenda, para. 72(e)\n  Advise all stakeholders"
        ),
        "{text}"
    );
    let out = wsis(&repo(), &["search", "TA 72(m)", "--index", index]);
    assert_eq!(out.status.code(), Some(1), "nothing found: exit 1");
    assert!(String::from_utf8_lossy(&out.stdout).contains("not in the corpus: 72(m)"));
}

/// The schema of `name` in openapi.json's components, with the rest of the file beside it
/// so that its references resolve.
fn openapi_validator(name: &str) -> jsonschema::Validator {
    let text = fs::read_to_string(repo().join("src/server/openapi.json")).unwrap();
    let mut schema: Value = serde_json::from_str(&text).unwrap();
    schema["$ref"] = Value::String(format!("#/components/schemas/{name}"));
    jsonschema::validator_for(&schema).expect("openapi.json's schemas compile")
}

#[test]
fn served_hits_and_pages_match_the_openapi_schemas() {
    use wsis_search::search::{SearchOptions, Searcher, VariantFilter};
    let searcher = Searcher::open(shipped_index()).expect("the shipped index opens");
    let hit_schema = openapi_validator("Hit");
    let page_schema = openapi_validator("SearchPage");
    let mut hits = 0;
    for query in [
        "internet governance",
        "digital divide",
        "forum",
        "TA 72",
        "women",
    ] {
        let options = SearchOptions {
            query: query.to_string(),
            variant: VariantFilter::All,
            limit: 50,
            ..SearchOptions::default()
        };
        let answer = wsis_search::lookup::answer(&searcher, &options).unwrap();
        let page = serde_json::to_value(&answer).unwrap();
        let errors: Vec<String> = page_schema
            .iter_errors(&page)
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{query}: {errors:?}");
        for hit in page["hits"].as_array().unwrap() {
            let errors: Vec<String> = hit_schema.iter_errors(hit).map(|e| e.to_string()).collect();
            assert!(errors.is_empty(), "{query}: {errors:?} in {hit}");
            hits += 1;
        }
    }
    assert!(hits > 20, "the queries find hits ({hits})");
}

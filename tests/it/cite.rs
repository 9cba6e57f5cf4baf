//! `wsis cite` on the shipped corpus: the citation forms, what is found and what is not, and
//! the output formats.

use std::collections::HashMap;

use serde_json::Value;

use crate::util::{repo, shipped_index, wsis, wsis_err};

fn cite(reference: &str, args: &[&str]) -> (Option<i32>, String, String) {
    let index = shipped_index().to_str().unwrap();
    let mut all = vec!["cite", reference, "--index", index];
    all.extend_from_slice(args);
    let out = wsis(&repo(), &all);
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn cite_json(reference: &str) -> Value {
    let (code, stdout, stderr) = cite(reference, &["--json"]);
    assert_eq!(code, Some(0), "{reference}: {stderr}");
    serde_json::from_str(&stdout).unwrap()
}

#[test]
fn forms_people_write_resolve_to_the_same_paragraph() {
    let forms = [
        "TA 72(e)",
        "Tunis Agenda para 72 e",
        "tunis agenda ¶72(e)",
        "Tunis Agenda § 72.e",
        "TA 72e",
        "Tunis Agenda for the Information Society, para. 72(e)",
        "WSIS-05/TUNIS/DOC/6(Rev.1)-E, para. 72(e)",
        "A/60/687 paragraph 72 (e)",
    ];
    for form in forms {
        let answer = cite_json(form);
        let ids: Vec<&str> = answer["paragraphs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["id"].as_str().unwrap())
            .collect();
        assert_eq!(ids, ["tunis-agenda/72(e)"], "{form}");
    }
}

#[test]
fn an_answer_has_text_provenance_and_who_cites_it() {
    let answer = cite_json("TA 72(e)");
    let p = &answer["paragraphs"][0];
    assert_eq!(p["citation"], "Tunis Agenda, para. 72(e)");
    assert_eq!(
        p["citation_full"],
        "Tunis Agenda for the Information Society, WSIS-05/TUNIS/DOC/6(Rev.1)-E, para. 72(e)"
    );
    assert_eq!(p["partial"], false);
    assert_eq!(p["provenance"]["file"], "corpus/wsis20-process-page.txt");
    assert_eq!(p["cited_by"][0]["id"], "wsis20-process-page/p45");
    assert_eq!(answer["doc"]["full_text"], false);
    assert!(
        answer["coverage"]
            .as_str()
            .unwrap()
            .contains("not imported"),
        "{answer}"
    );
    assert!(answer["index"]["build"].is_string());
}

#[test]
fn ranges_lists_and_other_documents() {
    let range = cite_json("TA paras 69-71");
    let ids: Vec<&str> = range["paragraphs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["tunis-agenda/69", "tunis-agenda/71"]);
    assert_eq!(
        range["missing"],
        serde_json::json!(["70"]),
        "a range found in part names what is missing"
    );
    let list = cite_json("paragraphs 34, 103 and 109 of the Tunis Agenda");
    assert_eq!(list["paragraphs"].as_array().unwrap().len(), 3);
    assert_eq!(
        cite_json("A/RES/70/125 para. 69")["paragraphs"][0]["id"],
        "wsis10-outcome/69"
    );
    assert_eq!(
        cite_json("WSIS+10 outcome 69")["paragraphs"][0]["id"],
        "wsis10-outcome/69"
    );
    assert_eq!(
        cite_json("ISOC Fact Sheet: WSIS+20 p3")["paragraphs"][0]["id"],
        "isoc-wsis20-fact-sheet/p3"
    );
}

#[test]
fn not_found_says_what_exists_and_exits_1() {
    let (code, _, stderr) = cite("TA 72(m)", &[]);
    assert_eq!(code, Some(1));
    assert!(
        stderr.contains(
            "no paragraph 72(m) in tunis-agenda; it has 34, 69, 71, 72, 72(a)–72(l), 103, 109"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("https://www.itu.int/net/wsis/docs2/tunis/off/6rev1.html"),
        "{stderr}"
    );
    let (code, stdout, _) = cite("Geneva Declaration 1", &["--json"]);
    assert_eq!(code, Some(1));
    let body: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(body["error"]["code"], "not_found");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("geneva-declaration"),
        "{body}"
    );
}

#[test]
fn unreadable_references_exit_2_and_list_the_forms() {
    for reference in ["", "Unknown Charter 5", "TA 72(e", "TA"] {
        let index = shipped_index().to_str().unwrap();
        let stderr = wsis_err(&repo(), &["cite", reference, "--index", index]);
        assert!(
            stderr.contains("cannot read the reference"),
            "{reference:?}: {stderr}"
        );
    }
}

/// Each field of a BibTeX entry as a parser reads it: `field → text`.
fn bibtex_fields(bib: &str) -> (biblatex::EntryType, String, HashMap<String, String>) {
    use biblatex::ChunksExt;
    let parsed = biblatex::Bibliography::parse(bib).unwrap_or_else(|e| panic!("{e:?}: {bib}"));
    assert_eq!(parsed.len(), 1, "{bib}");
    let entry = parsed.iter().next().unwrap();
    let fields = entry
        .fields
        .iter()
        .map(|(k, v)| (k.clone(), v.format_verbatim()))
        .collect();
    (entry.entry_type.clone(), entry.key.clone(), fields)
}

/// The tags and values of one RIS record (each tag once), checked against the format's rules:
/// `TY` first, `ER` last, every line `XX  - value`.
fn ris_fields(ris: &str) -> HashMap<String, String> {
    let lines: Vec<&str> = ris.trim_end().lines().collect();
    assert!(
        lines.first().is_some_and(|l| l.starts_with("TY  - ")),
        "{ris}"
    );
    assert_eq!(lines.last().map(|l| l.trim_end()), Some("ER  -"), "{ris}");
    lines
        .iter()
        .map(|l| {
            let (tag, value) = l.split_at(l.find("  -").unwrap_or_else(|| panic!("{l:?}")));
            assert!(
                tag.len() == 2
                    && tag
                        .chars()
                        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()),
                "{l:?}"
            );
            (tag.to_string(), value[3..].trim().to_string())
        })
        .collect()
}

#[test]
fn reference_manager_formats_are_typed_by_kind_with_their_issuing_body() {
    // An outcome document (ITU), a resolution (UN General Assembly), a fact sheet and a press
    // release: each typed as Zotero's importers read it, with the body that issued it.
    let (_, csl, _) = cite("TA 72(e)", &["--format", "csl-json"]);
    let items: Value = serde_json::from_str(&csl).unwrap();
    let item = &items[0];
    assert_eq!(item["type"], "report");
    assert_eq!(item["title"], "Tunis Agenda for the Information Society");
    assert_eq!(item["number"], "WSIS-05/TUNIS/DOC/6(Rev.1)-E");
    assert_eq!(item["publisher"], "International Telecommunication Union");
    assert_eq!(
        item["author"][0]["literal"],
        "International Telecommunication Union"
    );
    assert_eq!(item["locator"], "72(e)");
    assert_eq!(item["label"], "paragraph");
    assert_eq!(
        item["issued"]["date-parts"],
        serde_json::json!([[2005, 11, 18]])
    );
    assert!(
        item["URL"]
            .as_str()
            .unwrap()
            .starts_with("https://www.itu.int/")
    );

    let (_, csl, _) = cite("A/RES/70/125 para 69", &["--format", "csl-json"]);
    let items: Value = serde_json::from_str(&csl).unwrap();
    assert_eq!(items[0]["type"], "legislation");
    assert_eq!(items[0]["authority"], "United Nations General Assembly");
    assert_eq!(items[0]["number"], "A/RES/70/125");

    let (_, bib, _) = cite("TA 72(e)", &["--format", "bibtex"]);
    let (kind, key, fields) = bibtex_fields(&bib);
    assert_eq!(kind, biblatex::EntryType::Misc);
    assert_eq!(key, "tunis-agenda-72e", "no stray hyphen in the key");
    assert_eq!(fields["author"], "International Telecommunication Union");
    assert_eq!(
        fields["organization"],
        "International Telecommunication Union"
    );
    assert_eq!(fields["title"], "Tunis Agenda for the Information Society");
    assert_eq!(fields["number"], "WSIS-05/TUNIS/DOC/6(Rev.1)-E");
    assert_eq!(fields["year"], "2005");
    assert_eq!(fields["note"], "para. 72(e)");

    let (_, bib, _) = cite("isoc-wsis20-fact-sheet p3", &["--format", "bibtex"]);
    let (kind, key, fields) = bibtex_fields(&bib);
    assert_eq!(kind, biblatex::EntryType::TechReport);
    assert_eq!(key, "isoc-wsis20-fact-sheet-p3");
    assert_eq!(fields["institution"], "Internet Society");
    assert_eq!(fields["type"], "Fact sheet");
    assert_eq!(
        fields["note"], "para. 3",
        "counted from the top, as the locator"
    );
    assert!(
        !fields.contains_key("year") && !fields.contains_key("url"),
        "the fact sheet gives no date or address, so none is written: {bib}"
    );

    let (_, ris, _) = cite("TA 72(e)", &["--format", "ris"]);
    let fields = ris_fields(&ris);
    let value = |tag: &str| fields.get(tag).map(String::as_str);
    assert_eq!(value("TY"), Some("GOVDOC"));
    assert_eq!(
        value("TI"),
        Some("Tunis Agenda for the Information Society")
    );
    assert_eq!(value("PB"), Some("International Telecommunication Union"));
    assert_eq!(value("PY"), Some("2005"));
    assert_eq!(value("DA"), Some("2005/11/18"));
    assert_eq!(value("M1"), Some("WSIS-05/TUNIS/DOC/6(Rev.1)-E"));
    assert!(value("UR").is_some_and(|u| u.starts_with("https://www.itu.int/")));

    let (_, ris, _) = cite("un-press-release-2025-12-16 p3", &["--format", "ris"]);
    let fields = ris_fields(&ris);
    let value = |tag: &str| fields.get(tag).map(String::as_str);
    assert_eq!(
        value("TY"),
        Some("RPRT"),
        "a press release is not a government document"
    );
    assert_eq!(value("M3"), Some("Press release"));
    assert_eq!(value("PB"), Some("United Nations"));
    assert_eq!(value("PY"), Some("2025"));

    let (_, text, _) = cite("TA 72(e)", &[]);
    assert!(
        text.starts_with("Tunis Agenda, para. 72(e)\n“Advise all stakeholders"),
        "{text}"
    );
    assert!(
        text.contains("corpus/wsis20-process-page.txt line "),
        "{text}"
    );
    assert!(
        !text.contains("(("),
        "written references are parenthesised once: {text}"
    );
}

#[test]
fn cited_by_a_paragraph_includes_the_records_citing_its_items() {
    let answer = cite_json("TA 72");
    let cited_by = answer["paragraphs"][0]["cited_by"].as_array().unwrap();
    let cites: Vec<&str> = cited_by
        .iter()
        .map(|c| c["para"].as_str().unwrap())
        .collect();
    assert!(cites.contains(&"72"), "{cites:?}");
    assert!(
        cites.contains(&"72(e)"),
        "the records citing its items too: {cites:?}"
    );
    assert!(cited_by.len() >= 13, "{cites:?}");
    // The same set as the search filter gives.
    let index = shipped_index().to_str().unwrap();
    let out = wsis(
        &repo(),
        &[
            "search",
            "cites:tunis-agenda/72",
            "--index",
            index,
            "--json",
            "--limit",
            "100",
        ],
    );
    let page: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        page["total"].as_u64().unwrap() as usize,
        cited_by.len(),
        "{page}"
    );
}

#[test]
fn a_paragraph_not_found_lists_what_exists_once() {
    let (code, _, stderr) = cite("TA 999", &[]);
    assert_eq!(code, Some(1));
    assert_eq!(stderr.matches("72(a)–72(l)").count(), 1, "{stderr}");
    let (code, _, stderr) = cite("Geneva Declaration para 1", &[]);
    assert_eq!(code, Some(1));
    assert!(stderr.contains("is not imported"), "{stderr}");
    assert!(!stderr.contains("quote: no paragraphs"), "{stderr}");
}

/// Every citation the index writes is one `cite` reads back as its record: the short form of
/// every record, the full form with title and symbol, and either with the full stop a sentence
/// ends it with. A variant's citation, with the mark of the rewording, reads back as the
/// paragraph it rewords, whose answer carries the rewording.
#[test]
fn every_citation_written_is_read_back_as_its_record() {
    let searcher = wsis_search::search::Searcher::open(shipped_index()).unwrap();
    let opened = wsis_search::index::open(shipped_index()).unwrap();
    let records = wsis_search::index::all_records(&opened).unwrap();
    assert!(records.len() > 200, "{}", records.len());
    for record in &records {
        let answer = wsis_search::cite::lookup(&record.citation, &searcher)
            .unwrap_or_else(|e| panic!("{}: {e}", record.citation));
        let found = &answer.paragraphs[0];
        assert_eq!(found.para, record.para, "{}", record.citation);
        if record.variant == wsis_search::model::Variant::Digital {
            let digital = found.digital.as_ref().map(|d| d.text.as_str());
            assert_eq!(digital, Some(record.text.as_str()), "{}", record.citation);
        }
        assert_eq!(answer.doc.meta.id, record.doc, "{}", record.citation);
        for written in [
            format!("{}.", record.citation),
            found.citation_full.clone(),
            format!("{}.", found.citation_full),
        ] {
            let again = wsis_search::cite::lookup(&written, &searcher)
                .unwrap_or_else(|e| panic!("{written}: {e}"));
            assert_eq!(again.paragraphs[0].id, found.id, "{written}");
        }
    }
}

#[test]
fn a_number_or_range_out_of_bounds_says_which_and_why() {
    for (reference, why) in [
        (
            "TA 1000",
            "1000 is no paragraph number: they run from 1 to 999",
        ),
        ("TA 0", "0 is no paragraph number"),
        (
            "TA 1-500",
            "the range 1–500 names 500 paragraphs; a range names at most 200",
        ),
        ("TA 71-69", "the range 71–69 ends before it starts"),
    ] {
        let stderr = wsis_err(
            &repo(),
            &[
                "cite",
                reference,
                "--index",
                shipped_index().to_str().unwrap(),
            ],
        );
        assert!(stderr.contains(why), "{reference}: {stderr}");
    }
    let twice = cite_json("TA 69, 69");
    assert_eq!(twice["paragraphs"].as_array().unwrap().len(), 1, "{twice}");
}

//! `wsis cite` on the shipped corpus: the citation forms, what is found and what is not, and
//! the output formats.

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

#[test]
fn reference_manager_formats() {
    let (_, csl, _) = cite("TA 72(e)", &["--format", "csl-json"]);
    let items: Value = serde_json::from_str(&csl).unwrap();
    assert_eq!(
        items[0]["title"],
        "Tunis Agenda for the Information Society"
    );
    assert_eq!(items[0]["number"], "WSIS-05/TUNIS/DOC/6(Rev.1)-E");
    assert_eq!(items[0]["locator"], "72(e)");
    assert_eq!(
        items[0]["issued"]["date-parts"],
        serde_json::json!([[2005, 11, 18]])
    );
    let (_, bib, _) = cite("TA 72(e)", &["--format", "bibtex"]);
    assert!(bib.starts_with("@misc{tunis-agenda-72-e-,"), "{bib}");
    assert!(bib.contains("note = {para. 72(e)}"), "{bib}");
    let (_, ris, _) = cite("TA 72(e)", &["--format", "ris"]);
    assert!(
        ris.starts_with("TY  - GOVDOC\nTI  - Tunis Agenda for the Information Society"),
        "{ris}"
    );
    assert!(ris.trim_end().ends_with("ER  -"), "{ris}");
    let (_, text, _) = cite("TA 72(e)", &[]);
    assert!(
        text.starts_with("Tunis Agenda, para. 72(e)\n“Advise all stakeholders"),
        "{text}"
    );
}

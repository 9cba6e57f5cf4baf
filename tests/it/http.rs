//! The real `wsis serve` on a loopback port: the API, its errors and limits, reindexing while
//! serving, random queries, and shutdown.

use std::collections::BTreeSet;
use std::fs;
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::util::{Server, encode, header, repo, sample_corpus, wsis_ok};

/// A server on the shipped corpus, its index built into a temp dir.
fn shipped_server() -> (tempfile::TempDir, Server) {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = repo().join("corpus");
    let server = Server::start(
        tmp.path(),
        &["--corpus", corpus.to_str().unwrap(), "--index", "index"],
    );
    (tmp, server)
}

#[test]
fn serve_builds_a_missing_index_and_answers_the_api() {
    let (_tmp, server) = shipped_server();
    let (status, page) = server.json("/api/search?q=forum");
    assert_eq!(status, 200);
    assert!(page["total"].as_u64().unwrap() > 10);
    assert!(!page["hits"].as_array().unwrap().is_empty());
    let build = page["index"]["build"].as_str().unwrap().to_string();
    let r = server.get("/api/search?q=forum");
    assert_eq!(
        r.header("x-wsis-index"),
        Some(build.as_str()),
        "every answer names its build"
    );
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    assert_eq!(r.header("cache-control"), Some("no-cache"));

    let (status, cite) = server.json("/api/cite?ref=TA%2072(e)");
    assert_eq!(status, 200);
    assert_eq!(
        cite["paragraphs"][0]["citation"],
        "Tunis Agenda, para. 72(e)"
    );
    let (status, docs) = server.json("/api/documents");
    assert_eq!(status, 200);
    let ids: Vec<&str> = docs["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap())
        .collect();
    assert!(
        ids.contains(&"tunis-agenda")
            && ids.contains(&"wsis20-process-page")
            && ids.contains(&"geneva-declaration"),
        "{ids:?}"
    );
    let (status, doc) = server.json("/api/documents/tunis-agenda");
    assert_eq!(status, 200);
    assert_eq!(doc["doc"]["full_text"], false);
    assert!(
        doc["paragraphs"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["id"] == "tunis-agenda/72(e)")
    );
    assert_eq!(doc["cited_by"]["72(e)"][0]["id"], "wsis20-process-page/p45");
    let (status, health) = server.json("/healthz");
    assert_eq!(status, 200);
    assert_eq!(health["status"], "ok");
    let log = server.log_with("GET /api/search 200");
    assert!(
        log.contains("GET /api/search 200"),
        "one log line per request: {log}"
    );
}

#[test]
fn errors_are_json_with_the_right_status() {
    let (_tmp, server) = shipped_server();
    let long = encode(&"w ".repeat(600));
    let cases: Vec<(String, u16, &str, &str)> = vec![
        (
            "/api/search?q=%22forum".into(),
            400,
            "bad_query",
            "cannot search for",
        ),
        ("/api/search".into(), 400, "bad_parameter", "parameter q"),
        ("/api/search?q=".into(), 400, "bad_query", "empty"),
        (
            format!("/api/search?q={long}"),
            400,
            "bad_query",
            "at most 1000",
        ),
        (
            "/api/search?q=forum&limit=1000".into(),
            400,
            "bad_parameter",
            "limit is 1 to 100",
        ),
        (
            "/api/search?q=forum&limit=ten".into(),
            400,
            "bad_parameter",
            "whole number",
        ),
        (
            "/api/search?q=forum&offset=18446744073709551615".into(),
            400,
            "bad_parameter",
            "at most 10000",
        ),
        (
            "/api/search?q=forum&offset=9995&limit=10".into(),
            400,
            "bad_parameter",
            "at most 10000",
        ),
        (
            "/api/search?q=forum&variant=new".into(),
            400,
            "bad_parameter",
            "original, digital or all",
        ),
        (
            "/api/search?q=forum&year=20x5".into(),
            400,
            "bad_parameter",
            "year: \"20x5\" is not a year",
        ),
        (
            "/api/search?q=forum&year=-5..-1".into(),
            400,
            "bad_parameter",
            "year: \"-5\" is not a year",
        ),
        (
            "/api/search?q=forum&offset=99999999999999999999999".into(),
            400,
            "bad_parameter",
            "offset 99999999999999999999999 is too large",
        ),
        (
            "/api/search?q=forum&op=xor".into(),
            400,
            "bad_parameter",
            "op is and or or",
        ),
        (
            "/api/search?q=forum&qq=1".into(),
            400,
            "bad_parameter",
            "unknown parameter \"qq\"",
        ),
        (
            "/api/search?q=%00".into(),
            400,
            "bad_query",
            "control character",
        ),
        (
            "/api/search?q=%ff%00".into(),
            400,
            "bad_parameter",
            "not UTF-8",
        ),
        (
            "/api/search?q=forum&q=digital".into(),
            400,
            "bad_parameter",
            "q is given twice",
        ),
        (
            "/api/cite?ref=TA%2034&ref=TA%2035".into(),
            400,
            "bad_parameter",
            "ref is given twice",
        ),
        (
            "/api/documents?sort=date".into(),
            400,
            "bad_parameter",
            "unknown parameter \"sort\"",
        ),
        (
            "/api/documents/tunis-agenda?page=2".into(),
            400,
            "bad_parameter",
            "parameters: offset, limit",
        ),
        (
            "/api/documents/tunis-agenda?limit=0".into(),
            400,
            "bad_parameter",
            "limit is 1 to 5000",
        ),
        (
            "/healthz?verbose=1".into(),
            400,
            "bad_parameter",
            "takes none",
        ),
        (
            "/api/openapi.json?v=3".into(),
            400,
            "bad_parameter",
            "unknown parameter",
        ),
        (
            format!("/api/search?q={}", encode("doc:/(a{1,200}){1,200}/")),
            400,
            "regex_not_allowed",
            "regular expressions",
        ),
        (
            format!("/api/search?q={}", encode("forum text:/.*a\\w{3}/")),
            400,
            "regex_not_allowed",
            "word*",
        ),
        ("/api/cite".into(), 400, "bad_parameter", "parameter ref"),
        (
            "/api/cite?ref=Unknown%20Charter%205".into(),
            400,
            "bad_reference",
            "cannot read the reference",
        ),
        (
            "/api/cite?ref=TA%2072(m)".into(),
            404,
            "not_found",
            "it has 34, 69, 71",
        ),
        (
            "/api/documents/nope".into(),
            404,
            "not_found",
            "documents: ",
        ),
        (
            "/nope".into(),
            404,
            "not_found",
            "no route GET /nope; routes: GET /api/search, /api/cite, /api/documents, /api/documents/{id}, /api/openapi.json, /healthz; pages /, /doc/{id}, /documents, /about, /assets/{file}",
        ),
        (
            "/api/documents/%FF".into(),
            400,
            "bad_parameter",
            "cannot be read",
        ),
        (
            "/assets/..%2fCargo.toml".into(),
            404,
            "not_found",
            "no asset",
        ),
        ("/assets/app.js.map".into(), 404, "not_found", "no asset"),
    ];
    for (path, status, code, message) in cases {
        let (got, body) = server.json(&path);
        assert_eq!(got, status, "{path}: {body}");
        assert_eq!(body["error"]["code"], code, "{path}: {body}");
        assert!(
            body["error"]["message"].as_str().unwrap().contains(message),
            "{path}: {body}"
        );
    }
    let post = crate::util::http(server.addr, "POST", "/api/search?q=forum", &[]);
    assert_eq!(post.status, 405);
    let body: Value = serde_json::from_slice(&post.body).unwrap();
    assert_eq!(body["error"]["code"], "method_not_allowed");
    for path in [
        "/assets/../Cargo.toml",
        "/assets/%2e%2e/Cargo.toml",
        "/assets/%2e%2e%2fCargo.toml",
        "/assets/..%5cCargo.toml",
        "/../Cargo.toml",
        "/%2e%2e/src/main.rs",
    ] {
        let outside = server.get(path);
        assert!(
            outside.status == 404 || outside.status == 400,
            "{path}: {}",
            outside.status
        );
        let body = String::from_utf8_lossy(&outside.body);
        assert!(
            !body.contains("[package]") && !body.contains("fn main"),
            "{path}: no file content"
        );
    }
}

#[test]
fn a_document_is_served_in_pages_and_the_default_page_holds_each_whole() {
    let (_tmp, server) = shipped_server();
    let (_, docs) = server.json("/api/documents");
    for doc in docs["documents"].as_array().unwrap() {
        let id = doc["id"].as_str().unwrap();
        let (status, page) = server.json(&format!("/api/documents/{id}"));
        assert_eq!(status, 200, "{id}");
        assert_eq!(page["has_more"], false, "{id} fits in the default page");
        assert_eq!(
            page["paragraphs"].as_array().unwrap().len() as u64,
            page["total"].as_u64().unwrap(),
            "{id}"
        );
    }
    let (_, whole) = server.json("/api/documents/tunis-agenda");
    let all: Vec<&Value> = whole["paragraphs"].as_array().unwrap().iter().collect();
    assert!(all.len() > 6);
    let (_, first) = server.json("/api/documents/tunis-agenda?limit=4");
    let (_, second) = server.json("/api/documents/tunis-agenda?offset=4&limit=4");
    assert_eq!(first["has_more"], true);
    assert_eq!(first["total"].as_u64().unwrap() as usize, all.len());
    let paged: Vec<&Value> = first["paragraphs"]
        .as_array()
        .unwrap()
        .iter()
        .chain(second["paragraphs"].as_array().unwrap())
        .collect();
    assert_eq!(paged, all[..8].to_vec(), "pages follow corpus order");
    let (_, past) = server.json("/api/documents/tunis-agenda?offset=100000");
    assert_eq!(past["paragraphs"].as_array().unwrap().len(), 0);
    assert_eq!(past["has_more"], false);
}

#[test]
fn compressed_when_asked() {
    let (_tmp, server) = shipped_server();
    let r = server.get_with(
        "/api/search?q=forum&limit=20",
        &[("Accept-Encoding", "gzip")],
    );
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-encoding"), Some("gzip"));
    let plain = server.get("/api/search?q=forum&limit=20");
    assert!(
        r.body.len() < plain.body.len() / 2,
        "{} vs {}",
        r.body.len(),
        plain.body.len()
    );
}

#[test]
fn openapi_documents_every_api_route_and_each_answers() {
    let (_tmp, server) = shipped_server();
    let (status, spec) = server.json("/api/openapi.json");
    assert_eq!(status, 200);
    let documented: BTreeSet<String> = spec["paths"].as_object().unwrap().keys().cloned().collect();
    let routes = [
        "/api/search",
        "/api/cite",
        "/api/documents",
        "/api/documents/{id}",
        "/api/openapi.json",
        "/healthz",
    ];
    assert_eq!(
        documented,
        routes.iter().map(|r| r.to_string()).collect(),
        "the spec lists exactly the API's routes"
    );
    let examples = [
        "/api/search?q=forum",
        "/api/cite?ref=TA%2034",
        "/api/documents",
        "/api/documents/tunis-agenda",
        "/api/openapi.json",
        "/healthz",
    ];
    for path in examples {
        let (status, body) = server.json(path);
        assert_eq!(status, 200, "{path}: {body}");
    }
    let (_, page) = server.json("/api/search?q=forum");
    let required = spec["components"]["schemas"]["Hit"]["required"]
        .as_array()
        .unwrap();
    for field in required {
        assert!(
            page["hits"][0].get(field.as_str().unwrap()).is_some(),
            "a hit has the documented {field}"
        );
    }
    for field in spec["components"]["schemas"]["SearchPage"]["required"]
        .as_array()
        .unwrap()
    {
        assert!(
            page.get(field.as_str().unwrap()).is_some(),
            "the page has the documented {field}"
        );
    }
}

#[test]
fn random_queries_never_get_a_5xx() {
    let (_tmp, server) = shipped_server();
    let alphabet: Vec<char> =
        "ab forumIGF\"'’()*:~^/\\+-!?&=%#.,;[]{}<>|@$\u{0}\u{7}\t\nС72(e)ÄéДж中文🙂"
            .chars()
            .collect();
    let mut seed: u64 = 0x5eed;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut statuses = std::collections::BTreeMap::new();
    for _ in 0..1000 {
        let len = (next() % 24) as usize;
        let query: String = (0..len)
            .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
            .collect();
        let path = if next() % 4 == 0 {
            format!("/api/cite?ref={}", encode(&query))
        } else {
            format!(
                "/api/search?q={}&op={}",
                encode(&query),
                if next() % 2 == 0 { "and" } else { "or" }
            )
        };
        let r = server.get(&path);
        assert!(
            r.status < 500,
            "{path} got {}: {}",
            r.status,
            String::from_utf8_lossy(&r.body)
        );
        serde_json::from_slice::<Value>(&r.body)
            .unwrap_or_else(|_| panic!("{path}: the body is JSON"));
        *statuses.entry(r.status).or_insert(0) += 1;
    }
    eprintln!("random queries: {statuses:?}");
    assert!(
        statuses.get(&200).copied().unwrap_or(0) > 50,
        "some random queries find something: {statuses:?}"
    );
}

/// Seconds schemathesis may spend on the API (`WSIS_SCHEMATHESIS_SECS`, 45 by default).
fn schemathesis_secs() -> String {
    std::env::var("WSIS_SCHEMATHESIS_SECS").unwrap_or_else(|_| "45".into())
}

#[test]
#[ignore = "needs schemathesis (PyPI): cargo test --test it -- --ignored"]
fn schemathesis_finds_the_server_true_to_its_openapi_spec() {
    let (tmp, server) = shipped_server();
    let spec = format!("http://{}/api/openapi.json", server.addr);
    let _exclusive = crate::util::exclusive();
    // Every check but `positive_data_acceptance`: `q` and `ref` are a query language and a
    // citation grammar, which a JSON schema cannot express, so a schema-valid string that does
    // not parse gets its 400 by design.
    let run = std::process::Command::new("schemathesis")
        .args(["run", &spec, "--checks", "all"])
        .args(["--exclude-checks", "positive_data_acceptance"])
        .args(["--max-time", &schemathesis_secs(), "--workers", "2"])
        .current_dir(tmp.path())
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "schemathesis cannot run ({e}): install it with `pip install schemathesis==4.32.5`"
            )
        });
    let report = String::from_utf8_lossy(&run.stdout);
    let lines: Vec<&str> = report.lines().collect();
    let summary = lines[lines.len().saturating_sub(25)..].join("\n");
    eprintln!("schemathesis:\n{summary}");
    assert!(
        run.status.success(),
        "schemathesis found failures:\n{report}"
    );
}

#[test]
fn reindexing_while_serving_swaps_without_a_failed_request() {
    let _exclusive = crate::util::exclusive();
    let tmp = tempfile::tempdir().unwrap();
    let corpus = sample_corpus(tmp.path());
    wsis_ok(tmp.path(), &["index"]);
    let server = Arc::new(Server::start(tmp.path(), &[]));
    let (_, before) = server.json("/api/search?q=lighthouse");
    assert_eq!(before["total"], 0);
    let load = crate::util::Load::start(server.clone(), "/api/search?q=keepers");
    let body = "Lights\n\nThe lighthouse keepers trimmed the wicks.\n";
    fs::write(
        corpus.join("lighthouse.txt"),
        header("lighthouse", "fact-sheet") + body,
    )
    .unwrap();
    wsis_ok(tmp.path(), &["index"]);
    let built = Instant::now();
    let new_build = fs::read_to_string(tmp.path().join("index/CURRENT"))
        .unwrap()
        .trim()
        .trim_start_matches("build-")
        .to_string();
    loop {
        let r = server.get("/healthz");
        if r.header("x-wsis-index") == Some(new_build.as_str()) {
            break;
        }
        assert!(
            built.elapsed() < Duration::from_secs(3),
            "the new build is served within a couple of seconds"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    eprintln!(
        "new build served {} ms after the build finished",
        built.elapsed().as_millis()
    );
    std::thread::sleep(Duration::from_millis(300));
    let (ok, failed) = load.stop();
    assert_eq!(failed, 0, "no failed request during the swap");
    assert!(ok > 10);
    let (_, after) = server.json("/api/search?q=lighthouse");
    assert_eq!(after["total"], 1, "the new document is found");
}

#[test]
fn sigterm_shuts_down_cleanly() {
    let _exclusive = crate::util::exclusive();
    let (_tmp, mut server) = shipped_server();
    assert_eq!(server.get("/healthz").status, 200);
    // Request lines wait in memory (written every 100 ms); the shutdown line, written at
    // once, comes after them all the same.
    assert_eq!(server.get("/api/search?q=keepers").status, 200);
    let pid = server.child.id().to_string();
    std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .expect("kill runs");
    let started = Instant::now();
    loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            assert!(status.success(), "exit status {status:?}");
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "exits within 10 s"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let log = server.log_with("shutting down");
    let request = log.find("GET /api/search 200");
    let shutdown = log.find("shutting down");
    assert!(
        request.is_some() && shutdown.is_some() && request < shutdown,
        "the request line, then the shutdown line: {log}"
    );
}

#[test]
fn the_page_is_served_with_its_security_headers_and_no_inline_code() {
    let (_tmp, server) = shipped_server();
    let page = server.get("/");
    assert_eq!(page.status, 200);
    let csp = page.header("content-security-policy").unwrap_or("");
    for directive in [
        "default-src 'none'",
        "script-src 'self'",
        "object-src 'none'",
        "frame-ancestors 'none'",
    ] {
        assert!(csp.contains(directive), "CSP has {directive}: {csp}");
    }
    assert_eq!(page.header("x-content-type-options"), Some("nosniff"));
    let html = String::from_utf8_lossy(&page.body);
    assert!(!html.contains("<script>"), "no inline script");
    assert!(!has_inline_handler(&html), "no on*= attribute");
    for asset in ["/assets/app.js", "/assets/style.css"] {
        let r = server.get(asset);
        assert_eq!(r.status, 200, "{asset}");
        assert_eq!(r.header("x-content-type-options"), Some("nosniff"));
    }
}

#[test]
fn the_reader_of_an_unknown_document_is_a_404_and_a_known_one_reads_in_paragraph_order() {
    let (_tmp, server) = shipped_server();
    assert_eq!(server.get("/doc/tunis-agenda").status, 200);
    assert_eq!(
        server.get("/doc/geneva-declaration").status,
        200,
        "a manifest document"
    );
    let missing = server.get("/doc/nosuch");
    assert_eq!(missing.status, 404);
    assert!(
        String::from_utf8_lossy(&missing.body).contains("/assets/app.js"),
        "the page still loads, and says what exists"
    );
    let (status, page) = server.json("/api/documents/tunis-agenda");
    assert_eq!(status, 200);
    let labels: Vec<&str> = page["paragraphs"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["variant"] == "original")
        .map(|p| p["para"].as_str().unwrap())
        .collect();
    let mut expected = vec!["34", "69", "71", "72"];
    let items: Vec<String> = ('a'..='l').map(|c| format!("72({c})")).collect();
    expected.extend(items.iter().map(String::as_str));
    expected.extend(["103", "109"]);
    assert_eq!(
        labels, expected,
        "quoted paragraphs in the document's order, not the quotes'"
    );
    let cited_by_72 = page["cited_by"]["72"].as_array().unwrap();
    assert!(
        cited_by_72.len() >= 13,
        "para 72 lists the records citing its items too: {cited_by_72:?}"
    );
}

/// Whether HTML has an `on…=` event-handler attribute inside a tag.
fn has_inline_handler(html: &str) -> bool {
    html.split('<').skip(1).any(|tag| {
        let tag = tag.split('>').next().unwrap_or("");
        tag.split_whitespace()
            .skip(1)
            .any(|attr| attr.to_lowercase().starts_with("on") && attr.contains('='))
    })
}

#[test]
fn ten_thousand_odd_requests_get_no_5xx_and_json_errors() {
    let (_tmp, server) = shipped_server();
    let methods = [
        "GET", "GET", "GET", "GET", "GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH",
    ];
    let pieces = [
        "forum",
        "%ff",
        "%00",
        "%",
        "%2",
        "%C3%A9",
        "(",
        ")",
        "\"",
        "*",
        ":",
        "~2",
        "doc:",
        "para:72",
        "&",
        "=",
        "+",
        "%20",
        "..",
        "%2e%2e",
        "/",
        "%5c",
        "TA%2072(e)",
        "q=",
        "limit=",
        "offset=",
        "%F0%9F%99%82",
        "x",
    ];
    let mut seed: u64 = 0xfeed;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut statuses = std::collections::BTreeMap::new();
    for _ in 0..10_000 {
        let method = methods[(next() % methods.len() as u64) as usize];
        let junk: String = (0..next() % 6)
            .map(|_| pieces[(next() % pieces.len() as u64) as usize])
            .collect();
        let path = match next() % 6 {
            0 => format!("/api/search?q={junk}"),
            1 => format!("/api/search?q=forum&{junk}"),
            2 => format!("/api/cite?ref={junk}"),
            3 => format!("/api/documents/{junk}"),
            4 => format!("/assets/{junk}"),
            _ => format!("/{junk}"),
        };
        let path = path.replace(' ', "%20");
        let r = crate::util::http(server.addr, method, &path, &[]);
        assert!(
            r.status < 500,
            "{method} {path} got {}: {}",
            r.status,
            String::from_utf8_lossy(&r.body)
        );
        // A raw `"` makes the request line malformed: hyper answers 400 itself, with no body,
        // before the router sees the request. Every other 4xx is the application's, in JSON.
        if path.contains('"') && r.status == 400 && r.body.is_empty() {
            *statuses.entry(0).or_insert(0) += 1;
            continue;
        }
        if (400..500).contains(&r.status) && method != "HEAD" {
            let body: Value = serde_json::from_slice(&r.body).unwrap_or_else(|_| {
                panic!(
                    "{method} {path}: a {} without a JSON body: {}",
                    r.status,
                    String::from_utf8_lossy(&r.body)
                )
            });
            assert!(body["error"]["code"].is_string(), "{method} {path}: {body}");
        }
        *statuses.entry(r.status).or_insert(0) += 1;
    }
    eprintln!(
        "10,000 odd requests (status 0: malformed request lines hyper refused): {statuses:?}"
    );
}

#[test]
fn search_corrects_typos_unless_asked_and_refuses_unknown_filters() {
    let (_tmp, server) = shipped_server();
    let (status, page) = server.json("/api/search?q=goverance");
    assert_eq!(status, 200, "{page}");
    assert_eq!(page["query"], "goverance");
    assert_eq!(
        page["corrected"],
        serde_json::json!([{"from": "goverance", "to": ["governance"]}])
    );
    assert!(page["total"].as_u64().unwrap() > 0);
    let (status, exact) = server.json("/api/search?q=goverance&typo=false");
    assert_eq!(status, 200);
    assert_eq!(exact["total"], 0);
    assert_eq!(exact["corrected"], serde_json::json!([]));
    // (request, the error's code, words its message holds)
    let table: &[(&str, &str, &str)] = &[
        (
            "/api/search?q=forum&typo=maybe",
            "bad_parameter",
            "typo is true or false",
        ),
        (
            "/api/search?q=forum&doc=nosuch",
            "bad_parameter",
            "tunis-agenda",
        ),
        (
            "/api/search?q=forum&kind=nosuch",
            "bad_parameter",
            "fact-sheet",
        ),
        (
            "/api/search?q=doc%3Anosuch%20forum",
            "bad_query",
            "there is no document",
        ),
        (
            "/api/search?q=%22digital%20divide",
            "bad_query",
            "character 1 is not closed",
        ),
    ];
    for (path, code, words) in table {
        let (status, body) = server.json(path);
        assert_eq!(status, 400, "{path}: {body}");
        assert_eq!(body["error"]["code"], *code, "{path}: {body}");
        assert!(body.to_string().contains(words), "{path}: {body}");
    }
}

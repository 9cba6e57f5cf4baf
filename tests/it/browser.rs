//! The page in a real browser: headless Chromium driven over WebDriver (chromedriver), against
//! the real `wsis serve` on a loopback port. Needs Debian's `chromium` and `chromium-driver`
//! (`.ci/run` installs them). They are `#[ignore]`d, so plain `cargo test` lists them as
//! ignored; `cargo test --test it -- --ignored` runs them, and without the tools they fail and
//! say how to install them.

use std::net::{SocketAddr, TcpListener};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::util::{Server, header, http_with_body, sample_corpus, shipped_index, wsis_ok};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// A headless Chromium session, ended when dropped.
struct Browser {
    driver: Child,
    addr: SocketAddr,
    session: String,
    _profile: tempfile::TempDir,
}

impl Browser {
    fn start(width: u32, height: u32) -> Browser {
        for (tool, package) in [(CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver")] {
            assert!(
                Path::new(tool).exists(),
                "{tool} is missing: install it with `apt-get install -y {package}` (Debian); the browser tests need it"
            );
        }
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let driver = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let addr: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
        let started = Instant::now();
        while std::net::TcpStream::connect(addr).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "chromedriver did not start"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        let profile = tempfile::tempdir().unwrap();
        let args = [
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
        ];
        let mut args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        args.push(format!("--user-data-dir={}", profile.path().display()));
        args.push(format!("--window-size={width},{height}"));
        let caps = json!({"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": {"binary": CHROMIUM, "args": args}}}});
        let mut browser = Browser {
            driver,
            addr,
            session: String::new(),
            _profile: profile,
        };
        let created = browser.command("POST", "/session", caps);
        browser.session = created["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {created}"))
            .to_string();
        browser
    }

    fn command(&self, method: &str, path: &str, body: Value) -> Value {
        let body = if body.is_null() {
            String::new()
        } else {
            body.to_string()
        };
        let response = http_with_body(self.addr, method, path, &[], &body);
        let value: Value = serde_json::from_slice(&response.body).unwrap_or(Value::Null);
        assert!(response.status < 400, "webdriver {method} {path}: {value}");
        value["value"].clone()
    }

    fn session(&self, method: &str, path: &str, body: Value) -> Value {
        self.command(method, &format!("/session/{}{path}", self.session), body)
    }

    fn open(&self, url: &str) {
        self.session("POST", "/url", json!({ "url": url }));
    }

    fn js(&self, script: &str) -> Value {
        self.session(
            "POST",
            "/execute/sync",
            json!({ "script": script, "args": [] }),
        )
    }

    /// Waits until `script` returns something truthy, and returns it.
    #[track_caller]
    fn wait(&self, script: &str) -> Value {
        let started = Instant::now();
        loop {
            let value = self.js(script);
            let truthy = !matches!(&value, Value::Null | Value::Bool(false))
                && value != json!("")
                && value != json!(0);
            if truthy {
                return value;
            }
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "timed out waiting for: {script}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn element(&self, css: &str) -> String {
        let found = self.session(
            "POST",
            "/element",
            json!({ "using": "css selector", "value": css }),
        );
        found[ELEMENT]
            .as_str()
            .unwrap_or_else(|| panic!("no element {css}: {found}"))
            .to_string()
    }

    fn type_into(&self, css: &str, text: &str) {
        let id = self.element(css);
        self.session(
            "POST",
            &format!("/element/{id}/value"),
            json!({ "text": text }),
        );
    }

    fn click(&self, css: &str) {
        let id = self.element(css);
        self.session("POST", &format!("/element/{id}/click"), json!({}));
    }

    fn key(&self, key: &str) {
        let actions = json!({"actions": [{"type": "key", "id": "keyboard", "actions": [{"type": "keyDown", "value": key}, {"type": "keyUp", "value": key}]}]});
        self.session("POST", "/actions", actions);
    }

    fn screenshot(&self, path: &Path) {
        let data = self.session("GET", "/screenshot", Value::Null);
        if let Some(bytes) = data.as_str().and_then(base64_decode) {
            let _ = std::fs::write(path, bytes);
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let (addr, path) = (self.addr, format!("/session/{}", self.session));
            let _ =
                std::panic::catch_unwind(move || http_with_body(addr, "DELETE", &path, &[], ""));
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// Decodes standard base64 (screenshots), or `None`.
fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    };
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut buffer, mut bits) = (0u32, 0);
    for c in text
        .bytes()
        .filter(|&c| c != b'=' && !c.is_ascii_whitespace())
    {
        buffer = (buffer << 6) | u32::from(value(c)?);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
        }
    }
    Some(out)
}

fn shipped_server() -> Server {
    let index = shipped_index().to_str().unwrap().to_string();
    Server::start(&std::env::temp_dir(), &["--index", &index])
}

/// Screenshots go to target/screenshots, for a person to look at; nothing is asserted on them.
fn screenshot_path(name: &str) -> std::path::PathBuf {
    let dir = crate::util::repo().join("target/screenshots");
    let _ = std::fs::create_dir_all(&dir);
    dir.join(name)
}

#[test]
#[ignore = "needs chromium and chromium-driver: cargo test --test it -- --ignored"]
fn a_search_url_shows_its_results_citation_first() {
    let server = shipped_server();
    let browser = Browser::start(1440, 1000);
    browser.open(&format!(
        "http://{}/?q=mandate%20of%20the%20Internet%20Governance%20Forum",
        server.addr
    ));
    let first =
        browser.wait("const h = document.querySelector('.hit h3'); return h && h.textContent");
    assert_eq!(first, "Tunis Agenda, para. 72");
    assert_eq!(
        browser.js("return document.getElementById('q').value"),
        "mandate of the Internet Governance Forum"
    );
    let badges = browser.js("return [...document.querySelectorAll('.hit')[0].querySelectorAll('.badge')].map(b => b.textContent).join('|')");
    assert_eq!(
        badges,
        "partial quote|quoted only|quoted in WSIS+20 process"
    );
    assert!(
        browser
            .js("return document.querySelector('.hit .snippet mark') !== null")
            .as_bool()
            .unwrap()
    );
    assert!(
        browser
            .js("return document.getElementById('coverage').textContent")
            .as_str()
            .unwrap()
            .contains("not imported")
    );
    browser.screenshot(&screenshot_path("search-1440.png"));
}

#[test]
#[ignore = "needs chromium and chromium-driver: cargo test --test it -- --ignored"]
fn typing_searches_updates_the_url_and_back_returns() {
    let server = shipped_server();
    let browser = Browser::start(1440, 1000);
    browser.open(&format!("http://{}/", server.addr));
    browser.wait("return document.activeElement && document.activeElement.id === 'q'");
    browser.type_into("#q", "publish its proceedings");
    let first =
        browser.wait("const h = document.querySelector('.hit h3'); return h && h.textContent");
    assert_eq!(first, "Tunis Agenda, para. 72(l)");
    assert_eq!(
        browser.js("return new URLSearchParams(location.search).get('q')"),
        "publish its proceedings"
    );
    browser.js("document.getElementById('q').value = ''");
    browser.type_into("#q", "Albania Kenya");
    browser.wait("const h = document.querySelector('.hit h3'); return h && h.textContent.includes('Briefing Note')");
    browser.session("POST", "/back", json!({}));
    let back = browser.wait("const h = document.querySelector('.hit h3'); return h && !h.textContent.includes('Briefing') && h.textContent");
    assert_eq!(back, "Tunis Agenda, para. 72(l)");
    assert_eq!(
        browser.js("return document.getElementById('q').value"),
        "publish its proceedings"
    );
}

#[test]
#[ignore = "needs chromium and chromium-driver: cargo test --test it -- --ignored"]
fn slash_focuses_the_box_and_a_bad_query_shows_the_reason() {
    let server = shipped_server();
    let browser = Browser::start(1440, 1000);
    browser.open(&format!("http://{}/documents", server.addr));
    browser.wait("return document.querySelector('table tbody tr')");
    browser.js("document.activeElement.blur()");
    browser.key("/");
    assert_eq!(browser.js("return document.activeElement.id"), "q");
    browser.open(&format!("http://{}/?q=%22unbalanced", server.addr));
    let error = browser
        .wait("const e = document.getElementById('error'); return !e.hidden && e.textContent");
    assert!(
        error.as_str().unwrap().contains("cannot search for"),
        "{error}"
    );
    browser.open(&format!("http://{}/?q=quokka", server.addr));
    let empty =
        browser.wait("const e = document.querySelector('.empty'); return e && e.textContent");
    assert!(
        empty.as_str().unwrap().contains("No paragraph matches"),
        "{empty}"
    );
}

#[test]
#[ignore = "needs chromium and chromium-driver: cargo test --test it -- --ignored"]
fn a_filter_narrows_the_results_and_the_variant_link_shows_the_rewording() {
    let server = shipped_server();
    let browser = Browser::start(1440, 1000);
    browser.open(&format!("http://{}/?q=Internet%20governance", server.addr));
    browser.wait("return document.querySelector('.hit h3')");
    browser.js("const s = document.getElementById('f-kind'); s.value = 'official'; s.dispatchEvent(new Event('change'))");
    browser.wait("return new URLSearchParams(location.search).get('kind') === 'official'");
    let citations = browser.wait("const h = [...document.querySelectorAll('.hit h3')]; return h.length && !document.querySelector('#results[aria-busy]') && h.map(x => x.textContent).join('|')");
    assert!(
        citations
            .as_str()
            .unwrap()
            .split('|')
            .all(|c| c.starts_with("Tunis Agenda") || c.starts_with("WSIS+10")),
        "{citations}"
    );
    browser.open(&format!(
        "http://{}/doc/wsis20-prep1-briefing-note#pp2",
        server.addr
    ));
    browser.wait("return document.getElementById('pp2')");
    browser.click(".variant-toggle a");
    let marks = browser.wait("const m = [...document.querySelectorAll('#pp2 .text mark.after')]; return m.length && m.map(x => x.textContent).join('|')");
    assert_eq!(marks, "Digital Society|digital technologies");
    assert_eq!(
        browser.js("return new URLSearchParams(location.search).get('variant')"),
        "digital"
    );
}

#[test]
#[ignore = "needs chromium and chromium-driver: cargo test --test it -- --ignored"]
fn a_permalink_opens_the_reader_on_its_paragraph() {
    let server = shipped_server();
    let browser = Browser::start(360, 800);
    browser.open(&format!("http://{}/doc/tunis-agenda#p72e", server.addr));
    browser.wait(
        "const p = document.getElementById('p72e'); return p && p.classList.contains('target')",
    );
    let in_view = browser.js("const r = document.getElementById('p72e').getBoundingClientRect(); return r.top >= 0 && r.top < window.innerHeight");
    assert_eq!(in_view, true, "the paragraph is scrolled into view");
    let text = browser.js("return document.querySelector('#p72e .text').textContent");
    assert!(
        text.as_str()
            .unwrap()
            .starts_with("Advise all stakeholders"),
        "{text}"
    );
    let cited = browser.js("return document.querySelector('#p72e .cited-by').textContent");
    assert!(
        cited
            .as_str()
            .unwrap()
            .contains("WSIS+20 process page, para. p45"),
        "{cited}"
    );
    assert!(
        browser
            .js("return document.querySelector('.coverage-doc').textContent")
            .as_str()
            .unwrap()
            .contains("not imported")
    );
    let fits = browser.js("return document.documentElement.scrollWidth <= window.innerWidth");
    assert_eq!(fits, true, "no horizontal scrolling at 360 px");
    browser.screenshot(&screenshot_path("reader-360.png"));
}

#[test]
#[ignore = "needs chromium and chromium-driver: cargo test --test it -- --ignored"]
fn compare_shows_each_substitution() {
    let server = shipped_server();
    let browser = Browser::start(1440, 1000);
    browser.open(&format!(
        "http://{}/doc/wsis20-prep1-briefing-note#pp2",
        server.addr
    ));
    browser.wait("return document.getElementById('pp2')");
    browser.click("#pp2 .tools button[aria-expanded]");
    let marks = browser.wait("return [...document.querySelectorAll('#pp2 .compare mark')].map(m => m.textContent).join('|')");
    assert_eq!(
        marks,
        "Information Society|information and communication technologies (ICTs)|Digital Society|digital technologies"
    );
    browser.screenshot(&screenshot_path("compare-1440.png"));
}

#[test]
#[ignore = "needs chromium and chromium-driver: cargo test --test it -- --ignored"]
fn copying_a_citation_puts_the_citation_and_permalink_on_the_clipboard() {
    let server = shipped_server();
    let browser = Browser::start(1440, 1000);
    browser.open(&format!("http://{}/doc/tunis-agenda#p34", server.addr));
    browser.wait("return document.getElementById('p34')");
    browser.js("window.copied = null; navigator.clipboard.writeText = (t) => { window.copied = t; return Promise.resolve(); }");
    browser.click("#p34 .tools button");
    let copied = browser.wait("return window.copied");
    assert_eq!(
        copied,
        format!(
            "Tunis Agenda, para. 34, http://{}/doc/tunis-agenda#p34",
            server.addr
        )
    );
    let download = browser.js("return [...document.querySelectorAll('#p34 .tools a')].map(a => a.getAttribute('href')).join(' ')");
    assert!(
        download
            .as_str()
            .unwrap()
            .contains("/api/cite?ref=tunis-agenda%2034&format=bibtex"),
        "{download}"
    );
    let bibtex = server.get("/api/cite?ref=tunis-agenda%2034&format=bibtex");
    assert_eq!(bibtex.status, 200, "the download link answers");
    assert!(String::from_utf8_lossy(&bibtex.body).contains("note = {para. 34}"));
}

#[test]
#[ignore = "needs chromium and chromium-driver: cargo test --test it -- --ignored"]
fn markup_in_the_corpus_is_shown_as_text() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = sample_corpus(tmp.path());
    let body = "Markup notes\n\nThe lantern <script>window.pwned = 1</script> and <img src=x onerror=\"window.pwned = 2\"> & more.\n";
    std::fs::write(
        corpus.join("markup.txt"),
        header("markup", "web-page") + body,
    )
    .unwrap();
    wsis_ok(tmp.path(), &["index"]);
    let server = Server::start(tmp.path(), &[]);
    let browser = Browser::start(1440, 1000);
    browser.open(&format!("http://{}/?q=lantern", server.addr));
    let snippet = browser
        .wait("const s = document.querySelector('.hit .snippet'); return s && s.textContent");
    assert!(
        snippet
            .as_str()
            .unwrap()
            .contains("<script>window.pwned = 1</script>"),
        "{snippet}"
    );
    browser.open(&format!("http://{}/doc/markup#pp1", server.addr));
    let text =
        browser.wait("const p = document.querySelector('#pp1 .text'); return p && p.textContent");
    assert!(text.as_str().unwrap().contains("<img src=x"), "{text}");
    assert_eq!(
        browser.js("return document.querySelectorAll('main img, main script').length"),
        0
    );
    assert_eq!(
        browser.js("return window.pwned === undefined"),
        true,
        "no markup from the corpus ran"
    );
}

/// Whether the page scrolls sideways.
const SCROLLS_SIDEWAYS: &str = "return document.documentElement.scrollWidth > window.innerWidth";

#[test]
#[ignore = "needs chromium and chromium-driver: cargo test --test it -- --ignored"]
fn on_a_phone_every_page_fits_and_a_hit_is_in_the_first_screen() {
    let server = shipped_server();
    let browser = Browser::start(360, 740);
    browser.open(&format!("http://{}/?q=forum", server.addr));
    browser.wait("return document.querySelector('.hit')");
    let first_hit_bottom = browser.js(
        "const r = document.querySelector('.hit h3').getBoundingClientRect(); return r.bottom <= window.innerHeight",
    );
    assert_eq!(
        first_hit_bottom, true,
        "the first hit's citation is on the first screen"
    );
    assert_eq!(browser.js("return document.querySelector('.total').getBoundingClientRect().top < window.innerHeight"), true);
    assert_eq!(browser.js(SCROLLS_SIDEWAYS), false, "search at 360 px");
    browser.screenshot(&screenshot_path("search-360.png"));
    // The folded filters still open.
    browser.click(".filters summary");
    browser.wait("return document.querySelector('.filters details').open");
    assert_eq!(
        browser.js(SCROLLS_SIDEWAYS),
        false,
        "open filters at 360 px"
    );
    for (path, ready) in [
        ("/documents", ".documents table"),
        ("/about", ".about"),
        ("/doc/isoc-wsis20-fact-sheet", ".para"),
        ("/doc/wsis20-prep1-briefing-note#pp2", "#pp2"),
    ] {
        browser.open(&format!("http://{}{path}", server.addr));
        browser.wait(&format!("return document.querySelector('{ready}')"));
        assert_eq!(browser.js(SCROLLS_SIDEWAYS), false, "{path} at 360 px");
    }
    browser.click("#pp2 .tools button[aria-expanded]");
    browser.wait("return document.querySelector('#pp2 .compare mark')");
    assert_eq!(browser.js(SCROLLS_SIDEWAYS), false, "compare at 360 px");
}

#[test]
#[ignore = "needs chromium and chromium-driver: cargo test --test it -- --ignored"]
fn markdown_in_a_background_document_is_shown_as_emphasis_and_still_found() {
    let server = shipped_server();
    let browser = Browser::start(1280, 900);
    // The fact sheet's source writes "**The WSIS+20 review provides a crucial opportunity …**"
    // and "[WSIS Action Lines](#)".
    browser.open(&format!(
        "http://{}/doc/isoc-wsis20-fact-sheet",
        server.addr
    ));
    browser.wait("return document.querySelector('.para')");
    let shown = browser.js("return document.querySelector('#main article').textContent");
    let shown = shown.as_str().unwrap();
    assert!(!shown.contains("**"), "no raw emphasis markers");
    assert!(!shown.contains("](#)"), "no raw link syntax");
    let strong = browser.js("return [...document.querySelectorAll('.para .text strong')].map(s => s.textContent).join('|')");
    assert!(
        strong
            .as_str()
            .unwrap()
            .starts_with("The WSIS+20 review provides a crucial opportunity"),
        "{strong}"
    );
    assert!(shown.contains("WSIS Action Lines"), "a link's text stays");
    // A search for words inside the emphasis marks them, and the markers stay hidden.
    browser.open(&format!(
        "http://{}/?q=%22crucial%20opportunity%22",
        server.addr
    ));
    browser.wait("return document.querySelector('.hit')");
    let snippet = browser.js("return document.querySelector('.hit .snippet').textContent");
    assert!(!snippet.as_str().unwrap().contains("**"), "{snippet}");
    let marked = browser.js("return [...document.querySelectorAll('.hit .snippet mark')].map(m => m.textContent).join(' ')");
    assert_eq!(marked, "crucial opportunity");
    let in_strong = browser.js(
        "return !!document.querySelector('.hit .snippet mark strong, .hit .snippet strong mark')",
    );
    assert_eq!(in_strong, true, "the mark sits in the emphasis: {snippet}");
}

#[test]
#[ignore = "needs chromium and chromium-driver: cargo test --test it -- --ignored"]
fn copy_says_copied_and_the_banner_counts_what_is_quoted() {
    let server = shipped_server();
    let browser = Browser::start(1280, 900);
    browser.open(&format!("http://{}/doc/tunis-agenda#p34", server.addr));
    browser.wait("return document.getElementById('p34')");
    browser.js("navigator.clipboard.writeText = () => Promise.resolve()");
    browser.click("#p34 .tools button");
    browser.wait(
        "return document.querySelector('#p34 .tools button').textContent.startsWith('Copied')",
    );
    let banner = browser.js("return document.getElementById('coverage').textContent");
    let banner = banner.as_str().unwrap();
    assert!(
        banner.contains("2 official documents are present only through the paragraphs"),
        "two official documents are quoted (Tunis Agenda, WSIS+10): {banner}"
    );
    assert!(banner.contains("5 others are listed"), "{banner}");
    browser.open(&format!("http://{}/", server.addr));
    browser.wait("return document.querySelector('.intro')");
    assert_eq!(
        browser.js("return document.getElementById('facets').hidden"),
        true,
        "no empty By document box without a query"
    );
    let intro = browser.js("return document.querySelector('.intro').textContent");
    assert!(
        !intro.as_str().unwrap().contains(" 1 paragraphs"),
        "{intro}"
    );
}

#[test]
#[ignore = "needs chromium and chromium-driver: cargo test --test it -- --ignored"]
fn a_citation_typed_in_the_box_shows_its_paragraph_first_labelled_as_the_citation() {
    let server = shipped_server();
    let browser = Browser::start(1280, 900);
    browser.open(&format!("http://{}/", server.addr));
    browser.wait("return document.activeElement && document.activeElement.id === 'q'");
    browser.type_into("#q", "Tunis Agenda para 72(e)");
    let first = browser.wait(
        "const h = document.querySelector('#results .citation-answer .hit h3'); return h && h.textContent",
    );
    assert_eq!(first, "Tunis Agenda, para. 72(e)");
    let label = browser.js("return document.querySelector('.citation-answer h2').textContent");
    assert_eq!(label, "Citation: “Tunis Agenda para 72(e)”");
    let order = browser.js(
        "return [...document.querySelectorAll('#results h2, #results h3')].map(h => h.textContent).slice(0, 3).join(' | ')",
    );
    assert!(
        order.as_str().unwrap().starts_with(
            "Citation: “Tunis Agenda para 72(e)” | Tunis Agenda, para. 72(e) | Word search for"
        ),
        "the citation comes first, then the word search: {order}"
    );
    let text = browser.js("return document.querySelector('.citation-answer .text').textContent");
    assert!(
        text.as_str()
            .unwrap()
            .starts_with("Advise all stakeholders"),
        "{text}"
    );
    browser.screenshot(&screenshot_path("citation-in-the-box-1280.png"));
    // A paragraph the corpus lacks says so, and what it has.
    browser.js("document.getElementById('q').value = ''");
    browser.type_into("#q", "TA 72(m)");
    let missing = browser.wait(
        "const m = document.querySelector('.citation-answer .missing'); return m && m.textContent",
    );
    assert_eq!(missing, "Not in the corpus: 72(m).");
    let coverage =
        browser.js("return document.querySelector('.citation-answer .coverage-doc').textContent");
    assert!(
        coverage.as_str().unwrap().contains("72(a)–72(l)"),
        "{coverage}"
    );
}

//! Hostile load against the real `wsis serve`: searches over their time budget, floods of
//! half-open connections with few descriptors, shutdown with a connection that never sends
//! its request, a panic inside a search.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::util::{Server, encode, sample_corpus, wsis_ok};

/// A temp dir with the sample corpus indexed.
fn indexed() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    sample_corpus(tmp.path());
    wsis_ok(tmp.path(), &["index"]);
    tmp
}

/// A connection that sends the start of a request head and never the rest.
fn half_open(server: &Server) -> TcpStream {
    let mut stream = TcpStream::connect(server.addr).expect("connect");
    // A refused or evicted connection may already be closed: the write may fail.
    let _ = stream.write_all(b"GET /api/search?q=keepers HTTP/1.1\r\nHost: x\r\n");
    stream
}

/// Whether the server closed `stream`: a read ends (EOF, reset, or a last answer then EOF)
/// before `wait`.
fn closed_by_server(stream: &mut TcpStream, wait: Duration) -> bool {
    stream.set_read_timeout(Some(wait)).unwrap();
    let mut buf = [0u8; 4096];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => return true,
            Ok(_) => continue,
            Err(e) => {
                return !matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                );
            }
        }
    }
}

#[test]
fn a_search_over_its_time_budget_is_refused_naming_the_budget() {
    let tmp = indexed();
    let server = Server::start(tmp.path(), &["--query-budget-ms", "1"]);
    let query = encode("k* h* l* n* s* t* a* e* i* p* u* w*");
    let (status, body) = server.json(&format!("/api/search?q={query}&op=or"));
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"]["code"], "query_too_expensive", "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("time budget of 1 ms"),
        "{body}"
    );
    let (status, _) = server.json("/healthz");
    assert_eq!(status, 200, "the server is well after it");
}

#[test]
fn a_prefix_that_matches_too_many_words_is_refused_and_a_narrower_one_answers() {
    let tmp = tempfile::tempdir().unwrap();
    // 1,500 made-up words starting with "zq", 30 to a record.
    let lines: String = (0..50)
        .map(|r| {
            let words: Vec<String> = (0..30).map(|w| format!("zq{:04}x", r * 30 + w)).collect();
            let record = serde_json::json!({
                "doc": "wordy",
                "para": (r + 1).to_string(),
                "text": words.join(" "),
            });
            format!("{record}\n")
        })
        .collect();
    std::fs::write(tmp.path().join("wordy.jsonl"), lines).unwrap();
    wsis_ok(tmp.path(), &["index", "--records", "wordy.jsonl"]);
    let server = Server::start(tmp.path(), &[]);
    let (status, body) = server.json("/api/search?q=zq*");
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"]["code"], "query_too_expensive", "{body}");
    let message = body["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("zq*") && message.contains("1000"),
        "{body}"
    );
    let (status, body) = server.json("/api/search?q=zq001*");
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["total"], 1,
        "zq0010x to zq0019x, all in record 1: {body}"
    );
}

#[test]
fn a_flood_of_half_open_connections_with_few_descriptors_does_not_lock_out_a_new_client() {
    let _exclusive = crate::util::exclusive();
    let tmp = indexed();
    let server = Server::start_with_descriptors(
        tmp.path(),
        256,
        &[
            "--header-timeout-ms",
            "1500",
            "--shutdown-timeout-ms",
            "500",
        ],
    );
    let mut flood: Vec<TcpStream> = (0..1000).map(|_| half_open(&server)).collect();
    for _ in 0..3 {
        let r = crate::util::http(server.addr, "GET", "/api/search?q=keepers", &[]);
        assert_eq!(r.status, 200, "a new client is answered during the flood");
    }
    let log = server.log.lock().unwrap().join("\n");
    assert!(
        log.contains("closed the oldest idle one"),
        "the limit is logged: {log}"
    );
    assert!(
        !log.contains("Too many open files"),
        "the server never ran out of descriptors: {log}"
    );
    // Past the header timeout, the server has closed every one of them.
    let mut still_open = 0;
    for stream in &mut flood {
        if !closed_by_server(stream, Duration::from_secs(10)) {
            still_open += 1;
        }
    }
    assert_eq!(still_open, 0, "half-open connections left open");
    let r = crate::util::http(server.addr, "GET", "/healthz", &[]);
    assert_eq!(r.status, 200);
}

#[test]
fn an_idle_keep_alive_connection_is_closed_after_the_header_timeout() {
    let tmp = indexed();
    let server = Server::start(tmp.path(), &["--header-timeout-ms", "500"]);
    let mut stream = TcpStream::connect(server.addr).unwrap();
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let first = crate::util::read_response(&mut stream, true).expect("an answer");
    assert_eq!(first.status, 200);
    assert!(
        closed_by_server(&mut stream, Duration::from_secs(10)),
        "the idle connection is closed"
    );
}

#[test]
fn sigterm_with_a_half_open_connection_exits_within_the_shutdown_deadline() {
    let _exclusive = crate::util::exclusive();
    let tmp = indexed();
    let mut server = Server::start(
        tmp.path(),
        &[
            "--header-timeout-ms",
            "600000",
            "--shutdown-timeout-ms",
            "1000",
        ],
    );
    let _waiting = half_open(&server);
    let mut idle = TcpStream::connect(server.addr).unwrap();
    idle.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    idle.set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    assert_eq!(
        crate::util::read_response(&mut idle, true).unwrap().status,
        200
    );
    let pid = server.child.id().to_string();
    Command::new("kill").args(["-TERM", &pid]).status().unwrap();
    let started = Instant::now();
    let status = loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            break status;
        }
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "still running 15 s after SIGTERM with a 1 s shutdown deadline"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "{status:?}");
}

#[test]
fn a_panic_in_a_search_is_a_json_500_and_healthz_reports_the_failing_searcher() {
    let tmp = indexed();
    let mut command = Command::new(env!("CARGO_BIN_EXE_wsis"));
    command
        .args(["serve", "--addr", "127.0.0.1:0"])
        .env("WSIS_FAILPOINT", "search-panics");
    let server = Server::start_command(tmp.path(), command);
    let (status, body) = server.json("/api/search?q=keepers");
    assert_eq!(status, 500, "{body}");
    assert_eq!(body["error"]["code"], "internal");
    let (status, health): (u16, Value) = server.json("/healthz");
    assert_eq!(status, 503, "{health}");
    assert_eq!(health["status"], "failing");
    let (status, _) = server.json("/api/documents");
    assert_eq!(status, 200, "the server lives on");
    let log = server.log.lock().unwrap().join("\n");
    assert!(log.contains("failpoint search-panics"), "{log}");
}

//! Helpers shared by the integration tests.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `wsis` with `args` in `dir`.
pub fn wsis(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_wsis"))
        .args(args)
        .current_dir(dir)
        .env("WSIS_LOG", "warn")
        .output()
        .expect("the wsis binary runs")
}

/// Runs `wsis` and asserts it succeeded; returns stdout.
#[track_caller]
pub fn wsis_ok(dir: &Path, args: &[&str]) -> String {
    let out = wsis(dir, args);
    assert!(
        out.status.success(),
        "wsis {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("stdout is UTF-8")
}

/// Runs `wsis` and asserts it failed with exit code 2; returns stderr.
#[track_caller]
pub fn wsis_err(dir: &Path, args: &[&str]) -> String {
    let out = wsis(dir, args);
    assert_eq!(
        out.status.code(),
        Some(2),
        "wsis {args:?} should fail with 2; stdout: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Parses JSON lines.
pub fn json_lines(text: &str) -> Vec<Value> {
    text.lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect()
}

/// A header for a synthetic corpus document.
pub fn header(id: &str, kind: &str) -> String {
    format!("id: {id}\ntitle: The {id} sample\nshort: {id}\nkind: {kind}\nvariant: digital\n---\n")
}

/// Writes a small synthetic corpus (made-up text) into `dir/corpus` and returns its path.
pub fn sample_corpus(dir: &Path) -> PathBuf {
    let corpus = dir.join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    let body = "Harbour notes\n\nThe Harbour Accord asked ports to ‘keep the lamps lit at night’ (para 12).\n\nKeepers use ICTs and e-mail; the information society grows.\n";
    std::fs::write(
        corpus.join("harbour-notes.txt"),
        header("harbour-notes", "fact-sheet") + body,
    )
    .unwrap();
    let manifest = "id: harbour-accord\ntitle: Harbour Accord of the Sample Coast\nshort: Harbour Accord\naliases: HA\nkind: outcome-document\nvariant: digital\n";
    std::fs::write(corpus.join("manifest.txt"), manifest).unwrap();
    std::fs::write(corpus.join("protected-names.txt"), "e-mail\n").unwrap();
    corpus
}

/// The shipped corpus's index, built once per test binary run in a temporary directory kept
/// for the run, with the summary `wsis index` printed.
fn shipped() -> &'static (tempfile::TempDir, PathBuf, String) {
    static INDEX: std::sync::OnceLock<(tempfile::TempDir, PathBuf, String)> =
        std::sync::OnceLock::new();
    INDEX.get_or_init(|| {
        let tmp = tempfile::tempdir().unwrap();
        let index = tmp.path().join("index");
        let corpus = repo().join("corpus");
        let summary = wsis_ok(
            tmp.path(),
            &[
                "index",
                "--corpus",
                corpus.to_str().unwrap(),
                "--index",
                index.to_str().unwrap(),
            ],
        );
        (tmp, index, summary)
    })
}

/// The directory to pass as `--index` for the shipped corpus.
pub fn shipped_index() -> &'static Path {
    &shipped().1
}

/// What `wsis index` printed when it built the shipped corpus's index.
pub fn shipped_summary() -> &'static str {
    &shipped().2
}

/// A client that sends `path` to `server` in a loop until stopped, counting answers.
pub struct Load {
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    thread: std::thread::JoinHandle<(usize, usize)>,
}

impl Load {
    /// Starts the loop.
    pub fn start(server: std::sync::Arc<Server>, path: &str) -> Load {
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let (flag, path) = (stop.clone(), path.to_string());
        let thread = std::thread::spawn(move || {
            let (mut ok, mut failed) = (0, 0);
            while !flag.load(std::sync::atomic::Ordering::Relaxed) {
                let r = server.get(&path);
                // An answer counts when it is a 200 whose body and header name the same build.
                match r.answer_of_one_build() {
                    Some(_) => ok += 1,
                    None => failed += 1,
                }
            }
            (ok, failed)
        });
        Load { stop, thread }
    }

    /// Stops the loop; returns (answers with 200 whose `X-Wsis-Index` names the build in the
    /// body, other answers).
    pub fn stop(self) -> (usize, usize) {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        self.thread.join().unwrap()
    }
}

/// Runs `wsis search QUERY --json` with extra `args` on the shipped index.
#[track_caller]
pub fn search_json(query: &str, args: &[&str]) -> Value {
    let index = shipped_index().to_str().unwrap();
    let mut all = vec!["search", query, "--json", "--index", index];
    all.extend_from_slice(args);
    let out = wsis(&repo(), &all);
    assert!(
        out.status.code() == Some(0) || out.status.code() == Some(1),
        "wsis {all:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("search --json prints JSON")
}

/// The ids of a page's hits.
pub fn hit_ids(page: &Value) -> Vec<String> {
    page["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap().to_string())
        .collect()
}

/// The address in `wsis serve`'s log line "serving http://ADDR …", if `line` is that line.
pub fn serving_addr(line: &str) -> Option<std::net::SocketAddr> {
    line.split("serving http://")
        .nth(1)?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// A `wsis serve` process on a free loopback port, stopped when dropped.
pub struct Server {
    /// The child process.
    pub child: std::process::Child,
    /// Its address.
    pub addr: std::net::SocketAddr,
    /// Lines it logged (read on a thread).
    pub log: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl Server {
    /// Starts `wsis serve --addr 127.0.0.1:0` in `dir` with extra `args`, and waits until it
    /// says where it listens.
    pub fn start(dir: &Path, args: &[&str]) -> Server {
        let mut command = Command::new(env!("CARGO_BIN_EXE_wsis"));
        command
            .arg("serve")
            .args(["--addr", "127.0.0.1:0"])
            .args(args);
        Server::start_command(dir, command)
    }

    /// Starts `wsis serve --addr 127.0.0.1:0` with extra `args` in `dir`, with at most
    /// `descriptors` open files (`ulimit -n`).
    pub fn start_with_descriptors(dir: &Path, descriptors: u32, args: &[&str]) -> Server {
        let mut command = Command::new("sh");
        command
            .arg("-c")
            .arg(format!(
                "ulimit -n {descriptors} && exec \"$0\" serve --addr 127.0.0.1:0 \"$@\""
            ))
            .arg(env!("CARGO_BIN_EXE_wsis"))
            .args(args);
        Server::start_command(dir, command)
    }

    /// Starts `command` (a `wsis serve` on a loopback port) in `dir`, and waits until it
    /// says where it listens.
    pub fn start_command(dir: &Path, mut command: Command) -> Server {
        use std::io::BufRead;
        let mut child = command
            .current_dir(dir)
            .env("WSIS_LOG", "info")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("wsis serve starts");
        let stderr = child.stderr.take().unwrap();
        let log = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let (tx, rx) = std::sync::mpsc::channel();
        let sink = log.clone();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stderr)
                .lines()
                .map_while(Result::ok)
            {
                if let Some(addr) = serving_addr(&line) {
                    let _ = tx.send(addr);
                }
                sink.lock().unwrap().push(line);
            }
        });
        let addr = rx
            .recv_timeout(std::time::Duration::from_secs(60))
            .expect("wsis serve says where it listens");
        Server { child, addr, log }
    }

    /// The log so far, once it holds `needle` or after a few seconds (request lines are
    /// written in batches, a tenth of a second apart).
    pub fn log_with(&self, needle: &str) -> String {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
        loop {
            let log = self.log.lock().unwrap().join("\n");
            if log.contains(needle) || std::time::Instant::now() > deadline {
                return log;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    }

    /// GET `path` with extra request headers.
    pub fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> Response {
        http(self.addr, "GET", path, headers)
    }

    /// GET `path`.
    pub fn get(&self, path: &str) -> Response {
        self.get_with(path, &[])
    }

    /// GET `path` and parse the JSON body.
    #[track_caller]
    pub fn json(&self, path: &str) -> (u16, Value) {
        let r = self.get(path);
        let body = serde_json::from_slice(&r.body).unwrap_or_else(|e| {
            panic!(
                "{path}: not JSON ({e}): {}",
                String::from_utf8_lossy(&r.body)
            )
        });
        (r.status, body)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An HTTP response.
pub struct Response {
    /// Status code.
    pub status: u16,
    /// Headers, names lower-cased.
    pub headers: Vec<(String, String)>,
    /// Body, de-chunked.
    pub body: Vec<u8>,
}

impl Response {
    /// The JSON body and the build that answered, for a 200 whose `X-Wsis-Index` header names
    /// the build its body names; `None` for any other answer.
    pub fn answer_of_one_build(&self) -> Option<(Value, String)> {
        let body: Value = serde_json::from_slice(&self.body).ok()?;
        let build = body["index"]["build"].as_str()?.to_string();
        (self.status == 200 && self.header("x-wsis-index") == Some(build.as_str()))
            .then_some((body, build))
    }

    /// The first header `name` (lower case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// One HTTP/1.1 request on a new connection (`Connection: close`).
pub fn http(
    addr: std::net::SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
) -> Response {
    http_with_body(addr, method, path, headers, "")
}

/// One HTTP/1.1 request with a body (JSON when not empty).
pub fn http_with_body(
    addr: std::net::SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Response {
    use std::io::Write;
    let mut stream = std::net::TcpStream::connect(addr).expect("connect");
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(30)))
        .unwrap();
    let mut request = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    if !body.is_empty() || method == "POST" {
        request.push_str(&format!(
            "Content-Type: application/json\r\nContent-Length: {}\r\n",
            body.len()
        ));
    }
    request.push_str("\r\n");
    request.push_str(body);
    stream.write_all(request.as_bytes()).expect("send");
    read_response(&mut stream, method != "HEAD").expect("a complete response")
}

/// Where a response was cut off: the bytes of it that had arrived, and whether the read timed
/// out (rather than the connection closing).
#[derive(Debug)]
pub struct Cut {
    /// Bytes received.
    pub bytes: usize,
    /// The read timed out.
    pub timed_out: bool,
}

/// One read from `stream` into `buf`: the bytes read, or the cut when the connection closed
/// or the read timed out.
fn read_some(stream: &mut impl std::io::Read, buf: &mut [u8], had: usize) -> Result<usize, Cut> {
    match stream.read(buf) {
        Ok(0) => Err(Cut {
            bytes: had,
            timed_out: false,
        }),
        Ok(n) => Ok(n),
        Err(e) => Err(Cut {
            bytes: had,
            timed_out: matches!(
                e.kind(),
                std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
            ),
        }),
    }
}

/// Reads one HTTP/1.1 response from `stream` (with its body unless it answers a HEAD):
/// `Err` when the connection closes or the read times out before the response is complete.
pub fn read_response(stream: &mut impl std::io::Read, with_body: bool) -> Result<Response, Cut> {
    let mut raw = Vec::new();
    let mut chunk = [0u8; 16384];
    let head_end = loop {
        if let Some(i) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
        let n = read_some(stream, &mut chunk, raw.len())?;
        raw.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&raw[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let status: u16 = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .ok_or(Cut {
            bytes: raw.len(),
            timed_out: false,
        })?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_lowercase(), v.trim().to_string()))
        .collect();
    let mut body = raw[head_end + 4..].to_vec();
    let length = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse::<usize>().ok());
    let chunked = headers
        .iter()
        .any(|(n, v)| n == "transfer-encoding" && v.contains("chunked"));
    let complete = |body: &[u8]| match length {
        _ if !with_body => true,
        Some(length) => body.len() >= length,
        None if chunked => body.windows(5).any(|w| w == b"0\r\n\r\n"),
        None => false,
    };
    while !complete(&body) {
        match read_some(stream, &mut chunk, head_end + 4 + body.len()) {
            Ok(n) => body.extend_from_slice(&chunk[..n]),
            // Without a length or chunks, the body ends where the connection does.
            Err(cut) if length.is_none() && !chunked && !cut.timed_out => break,
            Err(cut) => return Err(cut),
        }
    }
    if chunked {
        body = dechunk(&body);
    }
    Ok(Response {
        status,
        headers,
        body,
    })
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(line_end) = data.windows(2).position(|w| w == b"\r\n") {
        let size = usize::from_str_radix(String::from_utf8_lossy(&data[..line_end]).trim(), 16)
            .unwrap_or(0);
        if size == 0 {
            break;
        }
        out.extend_from_slice(&data[line_end + 2..line_end + 2 + size]);
        data = &data[line_end + 2 + size + 2..];
    }
    out
}

/// Percent-encodes a query parameter value.
pub fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// The names in a directory, sorted.
pub fn dir_names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Why a request on a [`Client`] got no response.
#[derive(Debug)]
pub enum Failure {
    /// The server took no connection.
    Refused,
    /// The connection closed before any byte of a response.
    Closed,
    /// The connection closed in the middle of a response.
    Broken,
    /// No complete response within the read timeout.
    TimedOut,
}

/// An HTTP/1.1 client that keeps its connection open between requests, as a load generator
/// does.
pub struct Client {
    addr: std::net::SocketAddr,
    stream: Option<std::net::TcpStream>,
}

impl Client {
    /// A client of `addr`; it connects on its first request.
    pub fn new(addr: std::net::SocketAddr) -> Client {
        Client { addr, stream: None }
    }

    /// GET `path`. A kept connection that the server closed while idle is opened again once,
    /// as HTTP clients do for requests that are safe to repeat.
    pub fn get(&mut self, path: &str) -> Result<Response, Failure> {
        let reused = self.stream.is_some();
        match self.send(path) {
            Err(Failure::Closed) if reused => self.send(path),
            other => other,
        }
    }

    fn send(&mut self, path: &str) -> Result<Response, Failure> {
        use std::io::Write;
        let mut stream = match self.stream.take() {
            Some(stream) => stream,
            None => {
                let stream =
                    std::net::TcpStream::connect(self.addr).map_err(|_| Failure::Refused)?;
                stream
                    .set_read_timeout(Some(std::time::Duration::from_secs(30)))
                    .unwrap();
                stream
            }
        };
        let request = format!("GET {path} HTTP/1.1\r\nHost: {}\r\n\r\n", self.addr);
        stream
            .write_all(request.as_bytes())
            .map_err(|_| Failure::Closed)?;
        let response = read_response(&mut stream, true).map_err(|cut| match cut {
            Cut {
                timed_out: true, ..
            } => Failure::TimedOut,
            Cut { bytes: 0, .. } => Failure::Closed,
            _ => Failure::Broken,
        })?;
        if response.header("connection") != Some("close") {
            self.stream = Some(stream);
        }
        Ok(response)
    }
}

/// Serialises the tests that time a step or load the machine: each holds this for its whole
/// run, so that the soak's 60 s of load does not slow another test's timed step.
pub fn exclusive() -> std::sync::MutexGuard<'static, ()> {
    static LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());
    LOCK.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A JSON-lines file `name` in `dir` of `n` made-up records of 60 words each (fixed seed),
/// the first `marked` of which also say "lighthouse"; returns its path.
pub fn made_up_records(dir: &Path, name: &str, n: usize, marked: usize) -> String {
    let words = [
        "harbour", "lamp", "keeper", "pier", "ferry", "council", "tide", "signal", "rope",
        "anchor", "coast", "night",
    ];
    let mut out = String::new();
    let mut seed = 7u64;
    for i in 0..n {
        let mut text: Vec<&str> = (0..60)
            .map(|_| {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                words[(seed >> 33) as usize % words.len()]
            })
            .collect();
        if i < marked {
            text.push("lighthouse");
        }
        let record = serde_json::json!({
            "doc": format!("d{}", i / 100),
            "para": (i % 100 + 1).to_string(),
            "text": text.join(" "),
        });
        out.push_str(&record.to_string());
        out.push('\n');
    }
    let path = dir.join(name);
    std::fs::write(&path, out).unwrap();
    path.to_str().unwrap().to_string()
}

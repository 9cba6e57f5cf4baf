//! The HTTP server: the JSON API of `DESIGN.md` and the browser page, from one process.
//!
//! [`router`] builds the app without binding (tests drive it with `oneshot`); [`serve`]
//! binds, reloads the index when a new build becomes current, and shuts down gracefully on
//! Ctrl-C or SIGTERM ([`listen`] holds the connection limits). Handlers extract, call the
//! library, serialise: the JSON bodies are the library's own types, the same the CLI's
//! `--json` prints. Index work runs in the [`pool`], off the async worker threads; a panic in
//! a handler is answered with a JSON 500.

pub(crate) mod error;
pub(crate) mod listen;
pub mod live;
pub(crate) mod pool;

pub use listen::default_max_connections;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::rejection::PathRejection;
use axum::extract::{FromRequestParts, Path, RawQuery, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::cors::{Any, CorsLayer};
use tower_http::timeout::TimeoutLayer;

use crate::cite;
use crate::corpus::CatalogEntry;
use crate::model::Record;
use crate::search::{self, IndexVersion, Quoting, SearchOptions, Searcher};
use crate::server::live::LiveIndex;
pub use error::ApiError;
pub use listen::HttpLimits;
pub use pool::{QUEUE_WAIT, SearchPool};

/// How long a request may take before it is answered with a 503, unless told otherwise.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
/// How often the server looks for a new current build.
pub const RELOAD_EVERY: Duration = Duration::from_millis(500);
/// How often the server gives the heap memory it freed back to the system (after a flood of
/// connections, the allocator would keep it).
pub const TRIM_EVERY: Duration = Duration::from_secs(10);

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    /// The served index.
    pub index: Arc<LiveIndex>,
    /// Where index work runs.
    pub pool: SearchPool,
    /// The time budget of one search.
    pub query_budget: Duration,
    /// How long a request may take before a 503.
    pub request_timeout: Duration,
}

impl AppState {
    /// State serving `index`, running at most `concurrent` searches at once, each within
    /// [`search::QUERY_BUDGET`] (see [`AppState::with_query_budget`]).
    pub fn new(index: LiveIndex, concurrent: usize) -> AppState {
        AppState {
            index: Arc::new(index),
            pool: SearchPool::new(concurrent),
            query_budget: search::QUERY_BUDGET,
            request_timeout: REQUEST_TIMEOUT,
        }
    }

    /// The same state with another time budget per search.
    pub fn with_query_budget(mut self, budget: Duration) -> AppState {
        self.query_budget = budget;
        self
    }

    /// The same state with another time limit per request.
    pub fn with_request_timeout(mut self, limit: Duration) -> AppState {
        self.request_timeout = limit;
        self
    }
}

/// The app: API routes, page routes, JSON fallbacks, and the layers (CORS, compression,
/// timeout, index header, request log).
pub fn router(state: AppState) -> Router {
    let api = Router::new()
        .route("/api/search", get(search_handler))
        .route("/api/cite", get(cite_handler))
        .route("/api/documents", get(documents_handler))
        .route("/api/documents/{id}", get(document_handler))
        .route("/api/openapi.json", get(openapi_handler))
        .route("/healthz", get(health_handler))
        .layer(middleware::from_fn(cache_no_store));
    let page = Router::new()
        .route("/", get(page_handler))
        .route("/doc/{id}", get(reader_page_handler))
        .route("/about", get(page_handler))
        .route("/documents", get(page_handler))
        .route("/assets/{file}", get(asset_handler));
    api.merge(page)
        .fallback(not_found_handler)
        .method_not_allowed_fallback(method_not_allowed_handler)
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            state.request_timeout,
        ))
        .layer(middleware::from_fn_with_state(
            state.request_timeout,
            json_error_bodies,
        ))
        .layer(middleware::from_fn_with_state(state.clone(), index_header))
        .layer(CompressionLayer::new())
        .layer(CorsLayer::new().allow_origin(Any).allow_methods([
            Method::GET,
            Method::HEAD,
            Method::OPTIONS,
        ]))
        .layer(CatchPanicLayer::custom(panic_response))
        .layer(middleware::from_fn(log_request))
        .with_state(state)
}

/// Binds `addr`, serves until Ctrl-C or SIGTERM within `limits`, and reloads the index when a
/// new build is made current.
pub async fn serve(addr: SocketAddr, state: AppState, limits: HttpLimits) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let local = listener.local_addr()?;
    log_serving(local, &state.index.get(), &limits);
    let reload = tokio::spawn(reload_loop(state.index.clone()));
    let trim = tokio::spawn(trim_loop());
    listen::serve_connections(listener, router(state), limits, shutdown_signal()).await;
    reload.abort();
    trim.abort();
    Ok(())
}

async fn trim_loop() {
    let mut tick = tokio::time::interval(TRIM_EVERY);
    loop {
        tick.tick().await;
        release_free_memory();
    }
}

/// Gives the heap's free memory back to the system (glibc keeps it otherwise).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn release_free_memory() {
    // SAFETY: malloc_trim only releases free memory of the allocator's own arenas.
    unsafe {
        libc::malloc_trim(0);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn release_free_memory() {}

/// Logs where the server listens and what it serves. The searcher is only borrowed: a
/// reference kept for the life of the server would keep the first build mapped after a swap.
fn log_serving(local: SocketAddr, searcher: &Searcher, limits: &HttpLimits) {
    let info = searcher.info();
    tracing::info!(
        "serving http://{} — index build {} ({} records, {} documents); at most {} connections, header timeout {} ms",
        local,
        info.id,
        info.records,
        info.documents.len(),
        limits.max_connections,
        limits.header_timeout.as_millis()
    );
}

async fn reload_loop(index: Arc<LiveIndex>) {
    let mut tick = tokio::time::interval(RELOAD_EVERY);
    loop {
        tick.tick().await;
        let index = index.clone();
        match tokio::task::spawn_blocking(move || index.reload_if_changed()).await {
            Ok(Ok(Some(id))) => tracing::info!("now serving index build {id}"),
            Ok(Ok(None)) => {}
            Ok(Err(e)) => tracing::warn!(
                "a new index build could not be opened; still serving the old one: {e}"
            ),
            Err(e) => tracing::warn!("index reload task failed: {e}"),
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
    tracing::info!("shutting down: finishing the requests in flight");
}

/// Parameters that may be given more than once (their values add up).
const REPEATABLE: [&str; 2] = ["doc", "kind"];

/// The query string as (name, value) pairs; names starting with `_` are ignored (cache
/// busters). Refuses a name not in `accepted`, a name given twice (but [`REPEATABLE`]), and
/// percent-escapes that do not decode to UTF-8.
fn query_pairs(raw: Option<String>, accepted: &[&str]) -> Result<Vec<(String, String)>, ApiError> {
    let raw = raw.unwrap_or_default();
    if let Some(bad) = raw
        .split('&')
        .find(|pair| std::str::from_utf8(&percent_decoded(pair)).is_err())
    {
        return Err(ApiError::bad_parameter(format!(
            "the parameter {:?} is not UTF-8 once its %-escapes are decoded",
            bad.split('=').next().unwrap_or("")
        )));
    }
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(&raw)
        .map_err(|e| ApiError::bad_parameter(format!("the query string cannot be read: {e}")))?;
    for (i, (name, _)) in pairs.iter().enumerate() {
        if name.starts_with('_') {
            continue;
        }
        if !accepted.contains(&name.as_str()) {
            let known = match accepted {
                [] => "this route takes none".to_string(),
                _ => format!("parameters: {}", accepted.join(", ")),
            };
            return Err(ApiError::bad_parameter(format!(
                "unknown parameter {name:?}; {known}"
            )));
        }
        if !REPEATABLE.contains(&name.as_str()) && pairs[..i].iter().any(|(n, _)| n == name) {
            return Err(ApiError::bad_parameter(format!(
                "the parameter {name} is given twice; give it once"
            )));
        }
    }
    Ok(pairs
        .into_iter()
        .filter(|(n, _)| !n.starts_with('_'))
        .collect())
}

/// The bytes `%`-escapes and `+` stand for in a part of a query string.
fn percent_decoded(part: &str) -> Vec<u8> {
    let bytes = part.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (b'+', _) => {
                out.push(b' ');
                i += 1;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    out
}

const SEARCH_PARAMS: [&str; 10] = [
    "q", "doc", "variant", "kind", "year", "op", "limit", "offset", "sort", "typo",
];

/// Reads the search parameters.
fn search_options(pairs: Vec<(String, String)>) -> Result<SearchOptions, ApiError> {
    let mut options = SearchOptions::default();
    let mut has_q = false;
    for (name, value) in pairs {
        let number = |v: &str| whole_number(&name, v);
        match name.as_str() {
            "q" => {
                options.query = value;
                has_q = true;
            }
            "doc" => options.docs.extend(
                value
                    .split(',')
                    .map(str::trim)
                    .filter(|d| !d.is_empty())
                    .map(String::from),
            ),
            "kind" => options.kinds.extend(
                value
                    .split(',')
                    .map(str::trim)
                    .filter(|d| !d.is_empty())
                    .map(String::from),
            ),
            "variant" => options.variant = value.parse().map_err(ApiError::bad_parameter)?,
            "sort" => options.sort = value.parse().map_err(ApiError::bad_parameter)?,
            "year" => {
                options.years = Some(
                    search::parse_years(&value)
                        .map_err(|e| ApiError::bad_parameter(format!("year: {e}")))?,
                )
            }
            "op" => {
                options.any = match value.as_str() {
                    "and" => false,
                    "or" => true,
                    _ => {
                        return Err(ApiError::bad_parameter(format!(
                            "op is and or or, not {value:?}"
                        )));
                    }
                }
            }
            "typo" => {
                options.typo = match value.as_str() {
                    "true" => true,
                    "false" => false,
                    _ => {
                        return Err(ApiError::bad_parameter(format!(
                            "typo is true or false, not {value:?}"
                        )));
                    }
                }
            }
            "limit" => options.limit = number(&value)?,
            "offset" => options.offset = number(&value)?,
            _ => {}
        }
    }
    if !has_q {
        return Err(ApiError::bad_parameter(
            "the parameter q (the query) is missing",
        ));
    }
    Ok(options)
}

/// Runs index work in the search pool (see [`pool`]): in the heavy lane when `heavy`, else
/// inline when the build is small enough.
async fn with_search_slot<T: Send + 'static>(
    state: &AppState,
    Build(searcher): Build,
    heavy: bool,
    work: impl FnOnce(Arc<Searcher>) -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    let lane = pool::Lane::of(heavy, searcher.info().records);
    state.pool.run(lane, move || work(searcher)).await
}

async fn search_handler(
    State(state): State<AppState>,
    build: Build,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let options = search_options(query_pairs(raw, &SEARCH_PARAMS)?)?;
    let heavy = search::looks_expensive(&options.query);
    let budget = state.query_budget;
    let answer = with_search_slot(&state, build, heavy, move |s| {
        crate::lookup::answer_within(&s, &options, budget).map_err(ApiError::from)
    })
    .await?;
    let hits: usize = answer.search.hits.iter().map(|h| h.get().len()).sum();
    Ok(json_of_size(&answer, hits + JSON_ROOM))
}

/// Bytes of an answer besides its hits (totals, facets, a citation), for [`json_of_size`].
const JSON_ROOM: usize = 8 * 1024;

/// `answer` as a JSON response, written into a buffer of `capacity` bytes: an answer of
/// about that size is written without growing it (axum's `Json` starts at 128 bytes).
fn json_of_size<T: Serialize>(answer: &T, capacity: usize) -> Response {
    let mut body = Vec::with_capacity(capacity);
    match serde_json::to_writer(&mut body, answer) {
        Ok(()) => (
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            )],
            body,
        )
            .into_response(),
        Err(e) => ApiError::internal(e).into_response(),
    }
}

async fn cite_handler(
    State(state): State<AppState>,
    build: Build,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let pairs = query_pairs(raw, &["ref", "format"])?;
    let value = |name: &str| {
        pairs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    };
    let reference = value("ref")
        .ok_or_else(|| ApiError::bad_parameter("the parameter ref (the reference) is missing"))?;
    let format: cite::Format = value("format")
        .as_deref()
        .unwrap_or("json")
        .parse()
        .map_err(ApiError::bad_parameter)?;
    let answer = with_search_slot(&state, build, false, move |s| {
        Ok(cite::lookup(&reference, &s)?)
    })
    .await?;
    let (content_type, extension) = match format {
        cite::Format::Json => return Ok(Json(answer).into_response()),
        cite::Format::Text => ("text/plain; charset=utf-8", "txt"),
        cite::Format::CslJson => ("application/vnd.citationstyles.csl+json", "json"),
        cite::Format::Bibtex => ("application/x-bibtex; charset=utf-8", "bib"),
        cite::Format::Ris => ("application/x-research-info-systems; charset=utf-8", "ris"),
    };
    let name = answer.paragraphs.first().map_or_else(
        || "citation".to_string(),
        |p| p.id.replace(|c: char| !c.is_ascii_alphanumeric(), "-"),
    );
    let disposition = format!("attachment; filename=\"{name}.{extension}\"");
    let mut response = (
        [(header::CONTENT_TYPE, content_type)],
        cite::render(&answer, format),
    )
        .into_response();
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        response
            .headers_mut()
            .insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}

/// A document in `GET /api/documents`.
#[derive(Debug, Serialize)]
pub struct DocumentSummary {
    /// The document's metadata and whether its full text is in the corpus.
    #[serde(flatten)]
    pub entry: CatalogEntry,
    /// Original records the index holds of it.
    pub records: usize,
    /// Its page.
    pub url: String,
}

/// `GET /api/documents`.
#[derive(Debug, Serialize)]
pub struct DocumentList {
    /// Every document the corpus knows, in corpus order, then the manifest's others.
    pub documents: Vec<DocumentSummary>,
    /// The index build that answered.
    pub index: IndexVersion,
}

async fn documents_handler(
    Build(searcher): Build,
    RawQuery(raw): RawQuery,
) -> Result<Json<DocumentList>, ApiError> {
    query_pairs(raw, &[])?;
    let counts: HashMap<&str, usize> = searcher
        .info()
        .documents
        .iter()
        .map(|d| (d.id.as_str(), d.records))
        .collect();
    let documents = searcher
        .catalog()
        .into_iter()
        .map(|entry| DocumentSummary {
            records: counts.get(entry.meta.id.as_str()).copied().unwrap_or(0),
            url: format!("/doc/{}", entry.meta.id),
            entry,
        })
        .collect();
    Ok(Json(DocumentList {
        documents,
        index: IndexVersion::from(searcher.info()),
    }))
}

/// Records of a document a page holds unless asked otherwise: more than the longest official
/// text has (originals and variants), so that a reader's permalinks work from one page.
pub const DOCUMENT_PAGE: usize = 2000;
/// The most records of a document one page may hold.
pub const MAX_DOCUMENT_PAGE: usize = 5000;

/// `GET /api/documents/{id}`: a document and a page of its records, in order.
#[derive(Debug, Serialize)]
pub struct DocumentPage {
    /// The document.
    pub doc: CatalogEntry,
    /// What the corpus holds of it.
    pub coverage: String,
    /// Its records of this page (originals and variants), in corpus order.
    pub paragraphs: Vec<Record>,
    /// Its records in all.
    pub total: usize,
    /// Records skipped.
    pub offset: usize,
    /// Records asked for.
    pub limit: usize,
    /// Whether records follow this page.
    pub has_more: bool,
    /// For each paragraph label of this page, the records that refer to it.
    pub cited_by: HashMap<String, Vec<CitingSummary>>,
    /// For each paragraph label of this page, its citation with the document's full title and
    /// symbol ("Tunis Agenda for the Information Society, WSIS-05/TUNIS/DOC/6(Rev.1)-E, para.
    /// 72(e)"), written by the one citation formatter so the page need not compose it.
    pub citation_full: HashMap<String, String>,
    /// For each background record that quotes a record of this page (a `quoted_in`), how
    /// the page links to it.
    pub quoting: HashMap<String, Quoting>,
    /// The index build that answered.
    pub index: IndexVersion,
}

/// A record referring to a paragraph.
#[derive(Debug, Serialize)]
pub struct CitingSummary {
    /// Its id.
    pub id: String,
    /// Its citation.
    pub citation: String,
    /// Its permalink.
    pub url: String,
}

/// Parameter `name`'s value `v` as a whole number, or the error that says what is wrong.
fn whole_number(name: &str, v: &str) -> Result<usize, ApiError> {
    v.parse::<usize>().map_err(|e| {
        ApiError::bad_parameter(match e.kind() {
            std::num::IntErrorKind::PosOverflow => format!("{name} {v} is too large"),
            _ => format!("{name} must be a whole number, not {v:?}"),
        })
    })
}

/// The `offset` and `limit` of a document page.
fn document_window(pairs: &[(String, String)]) -> Result<(usize, usize), ApiError> {
    let number = |name: &str, default: usize| match pairs.iter().find(|(n, _)| n == name) {
        None => Ok(default),
        Some((_, v)) => whole_number(name, v),
    };
    let (offset, limit) = (number("offset", 0)?, number("limit", DOCUMENT_PAGE)?);
    if limit == 0 || limit > MAX_DOCUMENT_PAGE {
        return Err(ApiError::bad_parameter(format!(
            "limit is 1 to {MAX_DOCUMENT_PAGE}, not {limit}"
        )));
    }
    Ok((offset, limit))
}

async fn document_handler(
    State(state): State<AppState>,
    build: Build,
    id: Result<Path<String>, PathRejection>,
    RawQuery(raw): RawQuery,
) -> Result<Json<DocumentPage>, ApiError> {
    let Path(id) =
        id.map_err(|e| ApiError::bad_parameter(format!("the document id cannot be read: {e}")))?;
    let (offset, limit) = document_window(&query_pairs(raw, &["offset", "limit"])?)?;
    with_search_slot(&state, build, false, move |s| {
        let catalog = s.catalog();
        let Some(entry) = catalog.iter().find(|e| e.meta.id == id).cloned() else {
            let ids: Vec<&str> = catalog.iter().map(|e| e.meta.id.as_str()).collect();
            return Err(ApiError::not_found(format!(
                "no document {id:?}; documents: {}",
                ids.join(", ")
            )));
        };
        let (paragraphs, total) = s.document_page(&id, offset, limit)?;
        let on_page: std::collections::HashSet<String> =
            paragraphs.iter().map(|p| p.para.to_string()).collect();
        let mut cited_by: HashMap<String, Vec<CitingSummary>> = HashMap::new();
        for record in s.citing_document(&id)? {
            // A reference to an item counts for its paragraph too, as `wsis cite` lists them.
            let mut labels: Vec<String> = record
                .refs
                .iter()
                .filter(|r| r.doc == id)
                .flat_map(|r| [r.para.to_string(), r.para.paragraph().to_string()])
                .collect();
            labels.sort();
            labels.dedup();
            for label in labels.into_iter().filter(|l| on_page.contains(l)) {
                cited_by.entry(label).or_default().push(CitingSummary {
                    id: record.id.clone(),
                    citation: record.citation.clone(),
                    url: search::permalink(&record.doc, &record.para, record.variant),
                });
            }
        }
        let quoting = paragraphs
            .iter()
            .filter_map(|p| p.quoted_in.as_deref())
            .filter_map(|id| Some((id.to_string(), s.quoting(id)?)))
            .collect();
        let citation_full = paragraphs
            .iter()
            .map(|p| (p.para.to_string(), entry.meta.full_citation(&p.para)))
            .collect();
        let coverage = cite::coverage(&entry, &s)?;
        Ok(Json(DocumentPage {
            doc: entry,
            coverage,
            has_more: offset.saturating_add(paragraphs.len()) < total,
            paragraphs,
            total,
            offset,
            limit,
            cited_by,
            citation_full,
            quoting,
            index: IndexVersion::from(s.info()),
        }))
    })
    .await
}

/// `GET /healthz`: 200 `ok` when the served build answers a look-up of a stored record; 503
/// `failing` with the reason when it fails or panics. The look-up runs on a blocking thread
/// outside the search slots, so a full search queue does not make the server look down.
async fn health_handler(
    Build(searcher): Build,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    query_pairs(raw, &[])?;
    let index = IndexVersion::from(searcher.info());
    let records = searcher.info().records;
    let checked = tokio::task::spawn_blocking(move || searcher.self_check()).await;
    let failure = match checked {
        Ok(Ok(())) => None,
        Ok(Err(e)) => Some(e.to_string()),
        Err(e) => Some(format!("the check panicked: {e}")),
    };
    Ok(match failure {
        None => Json(serde_json::json!({ "status": "ok", "records": records, "index": index }))
            .into_response(),
        Some(reason) => {
            tracing::error!("health check failed: {reason}");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(serde_json::json!({ "status": "failing", "error": reason, "records": records, "index": index })),
            )
                .into_response()
        }
    })
}

/// The OpenAPI document of the API.
pub const OPENAPI: &str = include_str!("openapi.json");

async fn openapi_handler(RawQuery(raw): RawQuery) -> Result<Response, ApiError> {
    query_pairs(raw, &[])?;
    Ok(([(header::CONTENT_TYPE, "application/json")], OPENAPI).into_response())
}

/// The page's assets: name, content type, bytes. Only these are served: no path reaches the
/// file system.
const ASSETS: [(&str, &str, &str); 3] = [
    (
        "index.html",
        "text/html; charset=utf-8",
        include_str!("../../web/index.html"),
    ),
    (
        "app.js",
        "text/javascript; charset=utf-8",
        include_str!("../../web/app.js"),
    ),
    (
        "style.css",
        "text/css; charset=utf-8",
        include_str!("../../web/style.css"),
    ),
];

/// The Content-Security-Policy of the page: its own assets only.
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

fn asset(name: &str) -> Option<Response> {
    let (_, content_type, body) = ASSETS.iter().find(|(n, _, _)| *n == name)?;
    let mut response = ([(header::CONTENT_TYPE, *content_type)], *body).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    let cache = if name == "index.html" {
        "no-cache"
    } else {
        "public, max-age=300"
    };
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    Some(response)
}

async fn page_handler() -> Response {
    asset("index.html").unwrap_or_else(|| ApiError::internal("the page is missing").into_response())
}

/// `/doc/{id}`: the page, with 404 for a document the corpus and the manifest do not have
/// (the page itself then says so and lists what exists).
async fn reader_page_handler(Build(searcher): Build, id: Option<Path<String>>) -> Response {
    let mut page = page_handler().await;
    let known = id.is_some_and(|Path(id)| searcher.catalog().iter().any(|e| e.meta.id == id));
    if !known {
        *page.status_mut() = StatusCode::NOT_FOUND;
    }
    page
}

async fn asset_handler(file: Result<Path<String>, PathRejection>) -> Result<Response, ApiError> {
    let Path(file) =
        file.map_err(|e| ApiError::bad_parameter(format!("the asset name cannot be read: {e}")))?;
    asset(&file).ok_or_else(|| ApiError::not_found(format!("no asset {file:?}")))
}

async fn not_found_handler(method: Method, uri: axum::http::Uri) -> ApiError {
    ApiError::not_found(format!(
        "no route {method} {}; routes: GET /api/search, /api/cite, /api/documents, /api/documents/{{id}}, /api/openapi.json, /healthz; pages /, /doc/{{id}}, /documents, /about, /assets/{{file}}",
        uri.path()
    ))
}

async fn method_not_allowed_handler(method: Method, uri: axum::http::Uri) -> ApiError {
    ApiError {
        status: StatusCode::METHOD_NOT_ALLOWED,
        code: "method_not_allowed",
        message: format!("{method} is not allowed on {}; use GET", uri.path()),
        retry_after: None,
    }
}

/// The index build a request is answered from: taken once, when the request comes in, by
/// `index_header`, so that the body and the `X-Wsis-Index` header name the same build even
/// when a new one is swapped in meanwhile.
pub struct Build(pub Arc<Searcher>);

impl FromRequestParts<AppState> for Build {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &AppState,
    ) -> Result<Build, Self::Rejection> {
        Ok(Build(
            parts
                .extensions
                .get::<Arc<Searcher>>()
                .cloned()
                .unwrap_or_else(|| state.index.get()),
        ))
    }
}

/// Takes the build a request is answered from, and adds `X-Wsis-Index: <build>` to the
/// response.
async fn index_header(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let searcher = state.index.get();
    let build = searcher.info().id.clone();
    request.extensions_mut().insert(searcher);
    let mut response = next.run(request).await;
    if let Ok(value) = HeaderValue::from_str(&build) {
        response.headers_mut().insert("x-wsis-index", value);
    }
    response
}

/// API answers depend on the index build: clients revalidate.
async fn cache_no_store(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    response
        .headers_mut()
        .entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-cache"));
    response
}

/// Gives a JSON error body to an error answer that has none (the request timeout's 503).
async fn json_error_bodies(
    State(limit): State<Duration>,
    request: Request,
    next: Next,
) -> Response {
    let response = next.run(request).await;
    let bare = response.headers().get(header::CONTENT_TYPE).is_none()
        && axum::body::HttpBody::size_hint(response.body()).exact() == Some(0);
    match response.status() {
        StatusCode::SERVICE_UNAVAILABLE if bare => ApiError::overloaded(format!(
            "the request took longer than its limit of {} ms",
            limit.as_millis()
        ))
        .into_response(),
        _ => response,
    }
}

/// The answer to a panic in a handler: a JSON 500; the panic goes to the log.
fn panic_response(panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let message = panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".into());
    ApiError::internal(format!("a handler panicked: {message}")).into_response()
}

/// The log target of the request log: a line per request (method, path, status, time).
pub const REQUEST_LOG: &str = "wsis::http";

async fn log_request(request: Request<Body>, next: Next) -> Response {
    let (method, path) = (request.method().clone(), request.uri().path().to_string());
    let started = Instant::now();
    let response = next.run(request).await;
    tracing::info!(target: REQUEST_LOG, "{method} {path} {} {:.1} ms", response.status().as_u16(), started.elapsed().as_secs_f64() * 1000.0);
    response
}

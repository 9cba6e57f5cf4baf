//! The HTTP server: the JSON API of `DESIGN.md` and the browser page, from one process.
//!
//! [`router`] builds the app without binding (tests drive it with `oneshot`); [`serve`]
//! binds, reloads the index when a new build becomes current, and shuts down gracefully on
//! Ctrl-C or SIGTERM. Handlers extract, call the library, serialise: the JSON bodies are the
//! library's own types, the same the CLI's `--json` prints.

pub mod error;

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
use axum::serve::ListenerExt;
use axum::{Json, Router};
use serde::Serialize;
use tokio::sync::Semaphore;
use tower_http::compression::CompressionLayer;
use tower_http::cors::{Any, CorsLayer};

use crate::cite;
use crate::corpus::CatalogEntry;
use crate::live::LiveIndex;
use crate::record::Record;
use crate::search::{self, IndexVersion, SearchOptions, Searcher};
pub use error::ApiError;

/// How long a request may take before it is answered with a 503.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a search waits for a free search slot before a 503.
pub const QUEUE_WAIT: Duration = Duration::from_secs(2);
/// How often the server looks for a new current build.
pub const RELOAD_EVERY: Duration = Duration::from_millis(500);

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    /// The served index.
    pub index: Arc<LiveIndex>,
    /// Searches that may run at once.
    pub searches: Arc<Semaphore>,
}

impl AppState {
    /// State serving `index`, running at most `concurrent` searches at once.
    pub fn new(index: LiveIndex, concurrent: usize) -> AppState {
        AppState {
            index: Arc::new(index),
            searches: Arc::new(Semaphore::new(concurrent.max(1))),
        }
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
        .layer(middleware::from_fn(timeout))
        .layer(middleware::from_fn_with_state(state.clone(), index_header))
        .layer(CompressionLayer::new())
        .layer(CorsLayer::new().allow_origin(Any).allow_methods([
            Method::GET,
            Method::HEAD,
            Method::OPTIONS,
        ]))
        .layer(middleware::from_fn(log_request))
        .with_state(state)
}

/// Binds `addr`, serves until Ctrl-C or SIGTERM, and reloads the index when a new build is
/// made current.
pub async fn serve(addr: SocketAddr, state: AppState) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let local = listener.local_addr()?;
    let listener = listener.tap_io(|tcp| {
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::warn!("cannot set TCP_NODELAY: {e}");
        }
    });
    log_serving(local, &state.index.get());
    tokio::spawn(reload_loop(state.index.clone()));
    axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown_signal())
        .await
}

/// Logs where the server listens and what it serves. The searcher is only borrowed: a
/// reference kept for the life of the server would keep the first build mapped after a swap.
fn log_serving(local: SocketAddr, searcher: &Searcher) {
    let info = searcher.info();
    tracing::info!(
        "serving http://{} — index build {} ({} records, {} documents)",
        local,
        info.id,
        info.records,
        info.documents.len()
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

/// The query string as (name, value) pairs; names starting with `_` are ignored (cache busters).
fn query_pairs(raw: Option<String>, accepted: &[&str]) -> Result<Vec<(String, String)>, ApiError> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(raw.as_deref().unwrap_or(""))
        .map_err(|e| ApiError::bad_parameter(format!("the query string cannot be read: {e}")))?;
    for (name, _) in &pairs {
        if !accepted.contains(&name.as_str()) && !name.starts_with('_') {
            return Err(ApiError::bad_parameter(format!(
                "unknown parameter {name:?}; parameters: {}",
                accepted.join(", ")
            )));
        }
    }
    Ok(pairs
        .into_iter()
        .filter(|(n, _)| !n.starts_with('_'))
        .collect())
}

const SEARCH_PARAMS: [&str; 9] = [
    "q", "doc", "variant", "kind", "year", "op", "limit", "offset", "sort",
];

/// Reads the search parameters.
fn search_options(pairs: Vec<(String, String)>) -> Result<SearchOptions, ApiError> {
    let mut options = SearchOptions::default();
    let mut has_q = false;
    for (name, value) in pairs {
        let number = |v: &str| {
            v.parse::<usize>().map_err(|_| {
                ApiError::bad_parameter(format!("{name} must be a whole number, not {v:?}"))
            })
        };
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
                options.years = Some(search::parse_years(&value).map_err(ApiError::bad_parameter)?)
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

/// Runs index work holding a search slot; 503 when none frees up in time. The work runs on
/// the calling worker thread: a search takes well under a millisecond, less than a hand-off
/// to the blocking pool costs, and the slots bound how many run at once.
async fn with_search_slot<T>(
    state: &AppState,
    Build(searcher): Build,
    work: impl FnOnce(Arc<Searcher>) -> Result<T, ApiError>,
) -> Result<T, ApiError> {
    let permit = tokio::time::timeout(QUEUE_WAIT, state.searches.clone().acquire_owned())
        .await
        .map_err(|_| ApiError::overloaded("too many searches at once; try again in a moment"))?
        .map_err(ApiError::internal)?;
    let result = work(searcher);
    drop(permit);
    result
}

async fn search_handler(
    State(state): State<AppState>,
    build: Build,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let options = search_options(query_pairs(raw, &SEARCH_PARAMS)?)?;
    let answer = with_search_slot(&state, build, move |s| {
        crate::lookup::answer(&s, &options).map_err(ApiError::from)
    })
    .await?;
    Ok(Json(answer).into_response())
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
    let answer =
        with_search_slot(&state, build, move |s| Ok(cite::lookup(&reference, &s)?)).await?;
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

async fn documents_handler(Build(searcher): Build) -> Result<Json<DocumentList>, ApiError> {
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

/// `GET /api/documents/{id}`: a document and every record of it, in order.
#[derive(Debug, Serialize)]
pub struct DocumentPage {
    /// The document.
    pub doc: CatalogEntry,
    /// What the corpus holds of it.
    pub coverage: String,
    /// Its records (originals and variants), in corpus order.
    pub paragraphs: Vec<Record>,
    /// For each paragraph label, the records that refer to it.
    pub cited_by: HashMap<String, Vec<CitingSummary>>,
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
}

async fn document_handler(
    State(state): State<AppState>,
    build: Build,
    id: Result<Path<String>, PathRejection>,
) -> Result<Json<DocumentPage>, ApiError> {
    let Path(id) =
        id.map_err(|e| ApiError::bad_parameter(format!("the document id cannot be read: {e}")))?;
    with_search_slot(&state, build, move |s| {
        let catalog = s.catalog();
        let Some(entry) = catalog.iter().find(|e| e.meta.id == id).cloned() else {
            let ids: Vec<&str> = catalog.iter().map(|e| e.meta.id.as_str()).collect();
            return Err(ApiError::not_found(format!(
                "no document {id:?}; documents: {}",
                ids.join(", ")
            )));
        };
        let paragraphs = s.document(&id)?;
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
            for label in labels {
                cited_by.entry(label).or_default().push(CitingSummary {
                    id: record.id.clone(),
                    citation: record.citation.clone(),
                });
            }
        }
        let coverage = cite::coverage(&entry, &s)?;
        Ok(Json(DocumentPage {
            doc: entry,
            coverage,
            paragraphs,
            cited_by,
            index: IndexVersion::from(s.info()),
        }))
    })
    .await
}

async fn health_handler(Build(searcher): Build) -> Json<serde_json::Value> {
    Json(
        serde_json::json!({ "status": "ok", "records": searcher.info().records, "index": IndexVersion::from(searcher.info()) }),
    )
}

/// The OpenAPI document of the API.
pub const OPENAPI: &str = include_str!("openapi.json");

async fn openapi_handler() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI).into_response()
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
        "no route {method} {}; routes: GET /api/search, /api/cite, /api/documents, /api/documents/{{id}}, /api/openapi.json, /healthz, /",
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

async fn timeout(request: Request, next: Next) -> Response {
    match tokio::time::timeout(REQUEST_TIMEOUT, next.run(request)).await {
        Ok(response) => response,
        Err(_) => ApiError::overloaded("the request took too long").into_response(),
    }
}

async fn log_request(request: Request<Body>, next: Next) -> Response {
    let (method, path) = (request.method().clone(), request.uri().path().to_string());
    let started = Instant::now();
    let response = next.run(request).await;
    tracing::info!(target: "wsis::http", "{method} {path} {} {:.1} ms", response.status().as_u16(), started.elapsed().as_secs_f64() * 1000.0);
    response
}

//! # sokord-serve
//!
//! The web page and HTTP API of a sokord index: what `sokord serve` runs. [`router`] makes the
//! whole application of one shared [`Searcher`] and its [`Limits`], so a program (or a test) can
//! serve it on any listener, or call it in process.
//!
//! - The JSON API (`/api/search`, `/api/kwic`, `/api/stats`, `/api/compare`, `/api/keywords`,
//!   `/api/topics`, `/api/count`, `/api/documents/{id}`, `/api/health`) answers with the CLI's
//!   JSON, field for field; its parameters are the CLI's flags (`q`, `limit`, `party`, `type` …).
//!   A malformed query or parameter is a 400 with `{"error": …, "column": …}`, an unknown
//!   document a 404, a full server a 503.
//! - The page (`/`, `/dokument/{id}`, `/jamfor`, `/statistik`) is server-rendered HTML in
//!   Swedish that works from a link and without JavaScript.
//!
//! Searches run on blocking threads, at most [`Limits::max_running`] at a time with at most
//! [`Limits::max_waiting`] waiting; no parameter reaches the file system (documents are looked up
//! by id in the index).
#![deny(missing_docs)]

mod api;
pub mod chart;
pub mod export;
mod page;
mod params;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::http::{header, HeaderValue, StatusCode};
use axum::routing::get;
use axum::Router;
use sokord_query::Searcher;
use tokio::sync::Semaphore;
use tower_http::set_header::SetResponseHeaderLayer;

pub use crate::params::ParamError;

/// What the server allows a request.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Limits {
    /// The longest query, in characters.
    pub max_query_chars: usize,
    /// The most hits (or lines, or statements per group) a request may ask for.
    pub max_limit: usize,
    /// The furthest a request may page.
    pub max_offset: usize,
    /// The most queries a statistics request may hold.
    pub max_queries: usize,
    /// Searches running at once (each on a blocking thread).
    pub max_running: usize,
    /// Searches waiting for one of those; more are answered 503 at once.
    pub max_waiting: usize,
    /// How long a request may take before it is answered 503.
    pub timeout: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Limits {
            max_query_chars: 1000,
            max_limit: 500,
            max_offset: 10_000,
            max_queries: 6,
            max_running: cores.max(2),
            max_waiting: 64,
            timeout: Duration::from_secs(30),
        }
    }
}

impl Limits {
    /// With at most this many searches running at once.
    #[must_use]
    pub fn max_running(mut self, n: usize) -> Limits {
        self.max_running = n.max(1);
        self
    }

    /// With at most this many searches waiting.
    #[must_use]
    pub fn max_waiting(mut self, n: usize) -> Limits {
        self.max_waiting = n;
        self
    }

    /// With this time limit per request.
    #[must_use]
    pub fn timeout(mut self, t: Duration) -> Limits {
        self.timeout = t;
        self
    }
}

/// What every handler shares.
#[derive(Clone)]
pub(crate) struct App {
    pub(crate) searcher: Arc<Searcher>,
    pub(crate) limits: Arc<Limits>,
    /// Searches running or waiting.
    admitted: Arc<Semaphore>,
    /// Searches running.
    running: Arc<Semaphore>,
}

impl App {
    /// Runs `f` on a blocking thread once a place is free; a full server is an error at once.
    pub(crate) async fn run<T, F>(&self, f: F) -> Result<T, ParamError>
    where
        T: Send + 'static,
        F: FnOnce(&Searcher) -> sokord_query::Result<T> + Send + 'static,
    {
        let admitted = self
            .admitted
            .clone()
            .try_acquire_owned()
            .map_err(|_| ParamError::Busy)?;
        let running = self
            .running
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| ParamError::Busy)?;
        let searcher = self.searcher.clone();
        tokio::task::spawn_blocking(move || {
            // Held until the search is done, also when the request timed out meanwhile.
            let _places = (admitted, running);
            f(&searcher)
        })
        .await
        .map_err(|e| ParamError::Internal(format!("the search stopped: {e}")))?
        .map_err(ParamError::from)
    }
}

/// The Content-Security-Policy of every answer: scripts, styles and images only from this
/// server's own files (no inline script, nothing from another host), no plugins, no framing.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/// The whole application: the page, the API and their assets, over one shared searcher.
pub fn router(searcher: Arc<Searcher>, limits: Limits) -> Router {
    routes(App::new(searcher, limits))
}

impl App {
    fn new(searcher: Arc<Searcher>, limits: Limits) -> App {
        App {
            searcher,
            admitted: Arc::new(Semaphore::new(limits.max_running + limits.max_waiting)),
            running: Arc::new(Semaphore::new(limits.max_running)),
            limits: Arc::new(limits),
        }
    }
}

fn routes(app: App) -> Router {
    let timeout = app.limits.timeout;
    Router::new()
        .route("/", get(page::search))
        .route("/dokument/{id}", get(page::document))
        .route("/jamfor", get(page::compare))
        .route("/statistik", get(page::stats))
        .route("/statistik.svg", get(page::stats_svg))
        .route("/static/sokord.css", get(page::css))
        .route("/static/sokord.js", get(page::js))
        .route("/api/health", get(api::health))
        .route("/api/search", get(api::search))
        .route("/api/kwic", get(api::kwic))
        .route("/api/stats", get(api::stats))
        .route("/api/count", get(api::count))
        .route("/api/compare", get(api::compare))
        .route("/api/keywords", get(api::keywords))
        .route("/api/topics", get(api::topics))
        .route("/api/documents/{id}", get(api::document))
        .fallback(page::not_found)
        .with_state(app)
        .layer(tower_http::compression::CompressionLayer::new())
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            timeout,
        ))
        .layer(axum::middleware::map_response(
            move |r: axum::response::Response| async move { explain_timeout(r, timeout) },
        ))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(16 * 1024))
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
}

/// The time limit's answer (a 503 without a body) says what happened, as the API's other errors
/// do: `{"error": …}`.
fn explain_timeout(r: axum::response::Response, limit: Duration) -> axum::response::Response {
    use axum::response::IntoResponse;
    if r.status() != StatusCode::SERVICE_UNAVAILABLE
        || r.headers().contains_key(header::CONTENT_TYPE)
    {
        return r;
    }
    let error = format!(
        "the request took longer than the server's time limit ({} s): narrow the query or the filters, or try again",
        limit.as_secs_f32()
    );
    (
        StatusCode::SERVICE_UNAVAILABLE,
        axum::Json(serde_json::json!({ "error": error })),
    )
        .into_response()
}

/// Serves `router` on `addr` until Ctrl-C (or SIGTERM), on a runtime of its own; `ready` is
/// told the address listened on (the port chosen, for port 0) once connections are taken.
pub fn serve_blocking(
    addr: SocketAddr,
    router: Router,
    ready: impl FnOnce(SocketAddr),
) -> std::io::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr).await?;
        ready(listener.local_addr()?);
        axum::serve(listener, router)
            .with_graceful_shutdown(shutdown())
            .await
    })
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use axum::http::Request;
    use tower::ServiceExt;

    fn searcher() -> (tempfile::TempDir, Arc<Searcher>) {
        let dir = tempfile::tempdir().unwrap();
        let docs = dir.path().join("docs");
        std::fs::create_dir_all(&docs).unwrap();
        std::fs::write(
            docs.join("a.txt"),
            "Vårdgarantin ska korta köerna till specialistvården.\n",
        )
        .unwrap();
        let index = dir.path().join("index");
        sokord_index::build_index(
            &docs,
            &index,
            &sokord_index::IndexOptions::default(),
            &mut |_| {},
        )
        .unwrap();
        (dir, Arc::new(Searcher::open(&index).unwrap()))
    }

    async fn get(router: Router, uri: &str) -> (StatusCode, serde_json::Value) {
        let r = router
            .oneshot(Request::get(uri).body(Body::empty()).unwrap())
            .await
            .unwrap();
        let status = r.status();
        let body = axum::body::to_bytes(r.into_body(), 1 << 20).await.unwrap();
        (status, serde_json::from_slice(&body).unwrap_or_default())
    }

    #[tokio::test]
    async fn a_full_server_answers_503_at_once_and_searches_again_when_places_free() {
        let (_dir, searcher) = searcher();
        let app = App::new(searcher, Limits::default().max_running(2).max_waiting(1));
        let held = app.admitted.clone().try_acquire_many_owned(3).unwrap();
        let (status, body) = get(routes(app.clone()), "/api/search?q=v%C3%A5rdgaranti").await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
        assert!(body["error"].as_str().unwrap().contains("busy"), "{body}");
        drop(held);
        let (status, body) = get(routes(app), "/api/search?q=v%C3%A5rdgaranti").await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["total_hits"], 1);
    }

    #[tokio::test]
    async fn a_search_waits_for_a_running_place_within_the_time_limit() {
        let (_dir, searcher) = searcher();
        let app = App::new(
            searcher,
            Limits::default()
                .max_running(1)
                .timeout(Duration::from_millis(300)),
        );
        // The one running place is taken: the search waits, and the time limit answers.
        let held = app.running.clone().try_acquire_owned().unwrap();
        let (status, body) = get(routes(app.clone()), "/api/count?q=k%C3%B6erna").await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
        assert!(
            body["error"]
                .as_str()
                .unwrap()
                .contains("time limit (0.3 s)"),
            "{body}"
        );
        drop(held);
        let (status, body) = get(routes(app), "/api/count?q=k%C3%B6erna").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body["passages"], 1, "{body}");
    }
}

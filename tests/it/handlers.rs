//! Handler tests: the router driven with `oneshot`, for what a real server cannot be made to
//! do on demand (all search slots taken).

use axum::body::Body;
use axum::http::{Request, StatusCode};
use tower::ServiceExt;
use wsis_search::live::LiveIndex;
use wsis_search::server::{AppState, router};

use crate::util::shipped_index;

#[tokio::test]
async fn a_search_that_finds_no_free_slot_gets_503_with_retry_after() {
    let state = AppState::new(LiveIndex::open(shipped_index()).unwrap(), 1);
    let _held = state.searches.clone().acquire_owned().await.unwrap();
    let request = Request::get("/api/search?q=forum")
        .body(Body::empty())
        .unwrap();
    let response = router(state.clone()).oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(response.headers().get("retry-after").unwrap(), "1");
    let body = axum::body::to_bytes(response.into_body(), 1 << 20)
        .await
        .unwrap();
    let body: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(body["error"]["code"], "overloaded");
    drop(_held);
    let request = Request::get("/api/search?q=forum")
        .body(Body::empty())
        .unwrap();
    assert_eq!(
        router(state).oneshot(request).await.unwrap().status(),
        StatusCode::OK,
        "a freed slot serves again"
    );
}

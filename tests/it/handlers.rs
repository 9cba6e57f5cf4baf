//! Handler tests: the router driven with `oneshot`, for what a real server cannot be made to
//! do on demand (every search slot taken, a queue full).

use axum::body::Body;
use axum::http::{Request, StatusCode};
use tower::ServiceExt;
use wsis_search::server::live::LiveIndex;
use wsis_search::server::{AppState, router};

use crate::util::shipped_index;

/// The status, `Retry-After` and error code of `path`'s answer.
async fn answer(state: &AppState, path: &str) -> (StatusCode, Option<String>, serde_json::Value) {
    let request = Request::get(path).body(Body::empty()).unwrap();
    let response = router(state.clone()).oneshot(request).await.unwrap();
    let status = response.status();
    let retry = response
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().unwrap().to_string());
    let body = axum::body::to_bytes(response.into_body(), 1 << 20)
        .await
        .unwrap();
    (status, retry, serde_json::from_slice(&body).unwrap())
}

#[tokio::test]
async fn a_search_that_finds_no_free_slot_gets_503_with_retry_after() {
    let state = AppState::new(LiveIndex::open(shipped_index()).unwrap(), 1);
    let held = state.pool.slots.clone().acquire_owned().await.unwrap();
    let (status, retry, body) = answer(&state, "/api/search?q=forum").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(retry.as_deref(), Some("1"));
    assert_eq!(body["error"]["code"], "overloaded");
    drop(held);
    let (status, _, _) = answer(&state, "/api/search?q=forum").await;
    assert_eq!(status, StatusCode::OK, "a freed slot serves again");
}

#[tokio::test]
async fn with_the_queue_full_a_search_gets_503_at_once_and_the_other_lane_still_answers() {
    let state = AppState::new(LiveIndex::open(shipped_index()).unwrap(), 2);
    let queue = state.pool.heavy_queue.clone();
    let places = queue.available_permits() as u32;
    let full = queue.acquire_many_owned(places).await.unwrap();
    let (status, retry, body) = answer(&state, "/api/search?q=forum*").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(retry.as_deref(), Some("1"));
    assert_eq!(body["error"]["code"], "overloaded");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("waiting"),
        "{body}"
    );
    let (status, _, _) = answer(&state, "/api/search?q=forum").await;
    assert_eq!(status, StatusCode::OK, "a cheap search has its own queue");
    drop(full);
    let (status, _, _) = answer(&state, "/api/search?q=forum*").await;
    assert_eq!(status, StatusCode::OK, "a freed queue serves again");
}

#[tokio::test]
async fn expensive_searches_never_hold_every_slot() {
    let state = AppState::new(LiveIndex::open(shipped_index()).unwrap(), 2);
    // Every heavy slot taken, as by long prefix searches.
    let heavy = state.pool.heavy_slots.clone();
    let all = heavy.available_permits() as u32;
    let _running = heavy.acquire_many_owned(all).await.unwrap();
    let (status, _, _) = answer(&state, "/api/search?q=forum").await;
    assert_eq!(status, StatusCode::OK, "a cheap search still finds a slot");
}

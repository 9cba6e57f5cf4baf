//! `ApiError`: every error the API answers with, as `{"error": {"code", "message"}}` and a
//! status that follows the code. A 500 says only "internal error"; the log has the cause.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::error::Error;

/// An error answer.
#[derive(Debug)]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// Stable code (`bad_query`, `not_found`, …).
    pub code: &'static str,
    /// What a client reads.
    pub message: String,
    /// Seconds after which to try again (503).
    pub retry_after: Option<u32>,
}

impl ApiError {
    /// A 400 for a bad parameter.
    pub fn bad_parameter(message: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::BAD_REQUEST,
            code: "bad_parameter",
            message: message.into(),
            retry_after: None,
        }
    }

    /// A 404.
    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::NOT_FOUND,
            code: "not_found",
            message: message.into(),
            retry_after: None,
        }
    }

    /// A 503 asking the client to come back.
    pub fn overloaded(message: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::SERVICE_UNAVAILABLE,
            code: "overloaded",
            message: message.into(),
            retry_after: Some(1),
        }
    }

    /// A 500; the cause goes to the log, not to the client.
    pub fn internal(cause: impl std::fmt::Display) -> ApiError {
        tracing::error!("internal error: {cause}");
        ApiError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            code: "internal",
            message: "internal error".into(),
            retry_after: None,
        }
    }
}

impl From<Error> for ApiError {
    fn from(e: Error) -> ApiError {
        let status = match e.code() {
            "bad_query"
            | "regex_not_allowed"
            | "query_too_expensive"
            | "bad_parameter"
            | "bad_reference" => StatusCode::BAD_REQUEST,
            "not_found" => StatusCode::NOT_FOUND,
            "no_index" => StatusCode::SERVICE_UNAVAILABLE,
            _ => return ApiError::internal(e),
        };
        ApiError {
            status,
            code: e.code(),
            message: e.to_string(),
            retry_after: None,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = Json(json!({ "error": { "code": self.code, "message": self.message } }));
        let mut response = (self.status, body).into_response();
        if let Some(seconds) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

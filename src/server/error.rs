//! `ApiError`: every error the API answers with, as `{"error": {"code", "message"}}` and a
//! status that follows the code. A 500 says only "internal error"; the log has the cause.

use crate::error::{Error, ErrorBody, Fault};
use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

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
        let status = match e.fault() {
            Fault::Request => StatusCode::BAD_REQUEST,
            Fault::NotFound => StatusCode::NOT_FOUND,
            Fault::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            Fault::Internal => return ApiError::internal(e),
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
        let body = Json(ErrorBody::new(self.code, self.message));
        let mut response = (self.status, body).into_response();
        if let Some(seconds) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    /// One error of every variant a client can be answered with (not `Fault::Internal`).
    fn errors_a_client_sees() -> Vec<Error> {
        let text = || "made-up".to_string();
        vec![
            Error::QueryParse {
                query: text(),
                reason: text(),
            },
            Error::RegexQuery { query: text() },
            Error::QueryTooExpensive {
                query: text(),
                reason: text(),
            },
            Error::BadParameter {
                name: "limit",
                reason: text(),
            },
            Error::CitationParse {
                input: text(),
                reason: text(),
            },
            Error::ParagraphNotFound {
                doc: text(),
                para: text(),
                has: text(),
                coverage: text(),
            },
            Error::NoIndex {
                dir: PathBuf::from("index"),
            },
        ]
    }

    fn documented_codes() -> Vec<String> {
        let spec: serde_json::Value = serde_json::from_str(crate::server::OPENAPI).unwrap();
        let codes = &spec["components"]["schemas"]["Error"]["properties"]["error"]["properties"]["code"]
            ["enum"];
        serde_json::from_value(codes.clone()).expect("the Error schema lists its codes")
    }

    #[test]
    fn every_code_a_client_sees_is_in_the_openapi_error_schema() {
        let documented = documented_codes();
        for error in errors_a_client_sees() {
            let answer = ApiError::from(error);
            assert!(
                documented.iter().any(|c| c == answer.code),
                "{} is answered with status {} but missing from openapi.json",
                answer.code,
                answer.status
            );
        }
    }

    #[test]
    fn an_internal_fault_answers_500_without_its_cause() {
        let error = Error::Io {
            path: PathBuf::from("index/x"),
            source: std::io::Error::other("disk on fire"),
        };
        let answer = ApiError::from(error);
        assert_eq!(answer.status, StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(answer.code, "internal");
        assert!(!answer.message.contains("disk on fire"));
    }
}

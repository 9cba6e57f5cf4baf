//! wsis-search: full-text search and citation lookup over the outcome documents of the
//! World Summit on the Information Society and the background documents around them.
//!
//! Data flows one way: [`corpus`] reads the files, [`split`] cuts bodies into pieces,
//! [`quote`] finds quoted official paragraphs and cross-references, [`variant`] makes the
//! digital-society rewording, [`records`] assembles the paragraph records, and [`index`]
//! builds and reads the tantivy index.

pub mod cite;
pub mod corpus;
pub mod error;
pub mod fetch;
pub mod fold;
pub mod glossary;
pub mod import;
pub mod index;
pub mod live;
pub mod lookup;
pub mod pairs;
pub mod quote;
pub mod record;
pub mod records;
pub mod rewrite;
pub mod search;
pub mod server;
pub mod snippet;
pub mod split;
pub mod variant;

pub use error::{Error, Result};

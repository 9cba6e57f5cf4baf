//! wsis-search: full-text search and citation lookup over the outcome documents of the
//! World Summit on the Information Society and the background documents around them.
//!
//! Data flows one way, each layer importing only the ones before it: [`model`] (the
//! paragraph model), [`corpus`] (the files), [`ingest`] (pieces, quotes, variants, records),
//! [`import`] (official files into corpus documents), [`index`] (the tantivy build),
//! [`search`] and [`cite`] (answers over a build), [`lookup`] (the search box), and
//! [`server`] (the JSON API and the page). ARCHITECTURE.md draws the map.

pub mod cite;
pub mod corpus;
pub mod error;
pub mod import;
pub mod index;
pub mod ingest;
pub mod lookup;
pub mod model;
pub mod reference;
pub mod search;
pub mod server;

pub use error::{Error, Result};

//! Integration tests: they run the real `wsis` binary on the shipped corpus and on small
//! synthetic corpora built in temporary directories.

mod browser;
mod cite;
mod cli;
mod corpus;
mod faults;
mod fetch;
mod finding;
mod handlers;
mod hostile;
mod http;
mod import;
mod pdf_fixtures;
mod props;
mod search;
mod soak;
mod util;

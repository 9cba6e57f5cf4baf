//! Integration tests: they run the real `wsis` binary on the shipped corpus and on small
//! synthetic corpora built in temporary directories.

mod browser;
mod cite;
mod cli;
mod corpus;
mod faults;
mod fetch;
mod handlers;
mod http;
mod import;
mod props;
mod search;
mod soak;
mod util;

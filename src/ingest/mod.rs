//! From corpus documents to paragraph records: [`split`] cuts bodies into pieces, [`quote`]
//! finds quoted official paragraphs and cross-references, [`variant`] makes the
//! digital-society rewording, [`glossary`] collects acronyms, and [`records`] assembles them.

pub(crate) mod glossary;
pub(crate) mod quote;
pub mod records;
pub mod source;
pub mod split;
pub(crate) mod variant;

//! `CachingStemmer`: the English Snowball stemmer of tantivy's `Stemmer` filter (the same
//! `frostem` algorithm, so the same stems), with the stem of each word remembered by the
//! analyzer that made it. A build analyses every field twice (its words and its word
//! pairs) and the same few thousand words over and over; stemming was a quarter of a build's
//! time. Each clone of an analyzer (one per indexing thread) keeps its own cache, so no lock
//! is taken; a cache stops growing at [`MAX_CACHED`] words. Queries use the plain stemmer:
//! a cache would only cost them.

use frostem::Algorithm;
use rustc_hash::FxHashMap;
use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

/// The most words a cache holds; past it, words are stemmed without being remembered.
pub const MAX_CACHED: usize = 200_000;

/// The caching English stemmer filter.
#[derive(Clone, Default)]
pub struct CachingStemmer;

impl TokenFilter for CachingStemmer {
    type Tokenizer<T: Tokenizer> = CachingStemmerFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> CachingStemmerFilter<T> {
        CachingStemmerFilter {
            inner: tokenizer,
            stems: FxHashMap::default(),
        }
    }
}

/// [`CachingStemmer`] over a tokenizer.
#[derive(Clone)]
pub struct CachingStemmerFilter<T> {
    inner: T,
    /// Word → its stem, hashed by Fx rather than SipHash: the words are short, a build hashes
    /// one for each word it indexes, and none is chosen by a client.
    stems: FxHashMap<String, String>,
}

impl<T: Tokenizer> Tokenizer for CachingStemmerFilter<T> {
    type TokenStream<'a> = CachingStemmerStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        CachingStemmerStream {
            tail: self.inner.token_stream(text),
            stems: &mut self.stems,
            stemmer: frostem::Stemmer::new(Algorithm::English),
        }
    }
}

/// The tokens of [`CachingStemmerFilter`].
pub struct CachingStemmerStream<'a, T> {
    tail: T,
    stems: &'a mut FxHashMap<String, String>,
    stemmer: frostem::Stemmer,
}

impl<T: TokenStream> TokenStream for CachingStemmerStream<'_, T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        if let Some(stem) = self.stems.get(&token.text) {
            token.text.clear();
            token.text.push_str(stem);
            return true;
        }
        let stem = self.stemmer.stem(&token.text).into_owned();
        if self.stems.len() < MAX_CACHED {
            let word = std::mem::replace(&mut token.text, stem.clone());
            self.stems.insert(word, stem);
        } else {
            token.text = stem;
        }
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::tokenizer::{Language, SimpleTokenizer, Stemmer, TextAnalyzer};

    fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
        let mut out = Vec::new();
        analyzer
            .token_stream(text)
            .process(&mut |t| out.push(t.text.clone()));
        out
    }

    #[test]
    fn cached_stems_are_the_stemmers_stems_every_time() {
        let mut plain = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(Stemmer::new(Language::English))
            .build();
        let mut cached = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(CachingStemmer)
            .build();
        let text = "governments governing governance connected connecting connections lamps \
                    lamp keepers keeping generously generous";
        let expected = tokens(&mut plain, text);
        assert_eq!(tokens(&mut cached, text), expected, "first time: stemmed");
        assert_eq!(tokens(&mut cached, text), expected, "second time: cached");
        assert_ne!(expected[0], "governments", "the text was stemmed");
    }
}

//! Word pairs, for fast phrases. Besides its words, each analysed field of a record is indexed
//! as the pairs of words that stand next to each other ("digital divide" → `digit divid`, after
//! the same analysis as the words), in a field of its own (`text_pairs`, `title_pairs`, …). A
//! phrase of two words is then one term of that field, and a longer phrase a phrase of pairs,
//! whose postings are far shorter than those of its words: the same records match, without
//! reading the positions of every record that holds all the words (Elasticsearch's
//! `index_phrases` does the same). [`crate::search::rewrite`] sends exact phrases here.

use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

/// The name of the field holding the word pairs of the analysed field `field`.
pub fn field_name(field: &str) -> String {
    format!("{field}_pairs")
}

/// Joins the two words of a pair; words never hold a space.
const JOIN: char = ' ';

/// The filter that turns a stream of words into the stream of adjacent pairs: one token per
/// two words at consecutive positions, at the first word's position. Put it last.
#[derive(Clone, Copy, Debug)]
pub struct WordPairs;

impl TokenFilter for WordPairs {
    type Tokenizer<T: Tokenizer> = PairsTokenizer<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> PairsTokenizer<T> {
        PairsTokenizer { tokenizer }
    }
}

/// [`WordPairs`] wrapped around a tokenizer.
#[derive(Clone)]
pub struct PairsTokenizer<T> {
    tokenizer: T,
}

impl<T: Tokenizer> Tokenizer for PairsTokenizer<T> {
    type TokenStream<'a> = PairsStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        PairsStream {
            words: self.tokenizer.token_stream(text),
            first: None,
            first_text: String::new(),
            pair: Token::default(),
        }
    }
}

/// The stream of pairs.
pub struct PairsStream<S> {
    words: S,
    /// The position and start of the word before, and its text (a buffer reused).
    first: Option<(usize, usize)>,
    first_text: String,
    pair: Token,
}

impl<S: TokenStream> TokenStream for PairsStream<S> {
    fn advance(&mut self) -> bool {
        while self.words.advance() {
            let word = self.words.token();
            let adjacent = self
                .first
                .filter(|(position, _)| position + 1 == word.position);
            if let Some((position, offset_from)) = adjacent {
                self.pair.text.clear();
                self.pair.text.push_str(&self.first_text);
                self.pair.text.push(JOIN);
                self.pair.text.push_str(&word.text);
                self.pair.position = position;
                self.pair.offset_from = offset_from;
                self.pair.offset_to = word.offset_to;
            }
            self.first = Some((word.position, word.offset_from));
            self.first_text.clear();
            self.first_text.push_str(&word.text);
            if adjacent.is_some() {
                return true;
            }
        }
        false
    }

    fn token(&self) -> &Token {
        &self.pair
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.pair
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(text: &str) -> Vec<(String, usize)> {
        let mut analyzer = crate::index::pairs_analyzer();
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            out.push((stream.token().text.clone(), stream.token().position));
        }
        out
    }

    #[test]
    fn adjacent_words_make_pairs_at_the_first_position() {
        assert_eq!(
            pairs("Bridging the digital divides"),
            [
                ("bridg the".to_string(), 0),
                ("the digit".to_string(), 1),
                ("digit divid".to_string(), 2)
            ]
        );
        assert!(pairs("alone").is_empty());
    }

    #[test]
    fn words_apart_make_no_pair() {
        // The 41-letter word is dropped by the analyzer, leaving a gap in the positions.
        let long = "x".repeat(41);
        assert_eq!(pairs(&format!("open {long} source")), []);
    }
}

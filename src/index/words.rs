//! The tokenizer of the analyzers: words are runs of letters and digits, as in tantivy's
//! `SimpleTokenizer`, except that superscript and subscript digits are not part of a word.
//! Sources glue their footnote markers to the word they annotate (`79/277⁵`, `report⁶`);
//! split off and dropped, the marker leaves the word (`277`, `report`) as it is written.

use std::str::CharIndices;

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// Whether `c` is a footnote marker: a superscript or subscript digit.
pub fn is_footnote_marker(c: char) -> bool {
    matches!(c, '¹' | '²' | '³' | '⁰' | '⁴'..='⁹' | '₀'..='₉')
}

/// Whether `c` belongs to a word.
pub fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() && !is_footnote_marker(c)
}

/// Splits text into words (see the module); a footnote marker separates words like a space.
#[derive(Clone, Default)]
pub struct WordTokenizer {
    token: Token,
}

/// The token stream of [`WordTokenizer`].
pub struct WordStream<'a> {
    text: &'a str,
    chars: CharIndices<'a>,
    token: &'a mut Token,
}

impl Tokenizer for WordTokenizer {
    type TokenStream<'a> = WordStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> WordStream<'a> {
        self.token.reset();
        WordStream {
            text,
            chars: text.char_indices(),
            token: &mut self.token,
        }
    }
}

impl TokenStream for WordStream<'_> {
    fn advance(&mut self) -> bool {
        self.token.text.clear();
        self.token.position = self.token.position.wrapping_add(1);
        while let Some((offset_from, c)) = self.chars.next() {
            if is_word_char(c) {
                let offset_to = self
                    .chars
                    .find(|(_, c)| !is_word_char(*c))
                    .map_or(self.text.len(), |(offset, _)| offset);
                self.token.offset_from = offset_from;
                self.token.offset_to = offset_to;
                self.token.text.push_str(&self.text[offset_from..offset_to]);
                return true;
            }
        }
        false
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<(String, usize)> {
        let mut tokenizer = WordTokenizer::default();
        let mut stream = tokenizer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            out.push((stream.token().text.clone(), stream.token().position));
        }
        out
    }

    #[test]
    fn footnote_markers_split_from_the_word_and_are_dropped() {
        let table: &[(&str, &[&str])] = &[
            ("79/277⁵", &["79", "277"]),
            ("report⁶,", &["report"]),
            ("note¹² ends", &["note", "ends"]),
            ("H₂O", &["H", "O"]),
            ("WSIS+20 2025", &["WSIS", "20", "2025"]),
            ("Москва", &["Москва"]),
        ];
        for (text, expected) in table {
            let got: Vec<String> = words(text).into_iter().map(|(w, _)| w).collect();
            assert_eq!(&got, expected, "{text}");
        }
        // Positions stay consecutive: a marker is no word, so it leaves no gap.
        let positions: Vec<usize> = words("report⁶ prepared").iter().map(|w| w.1).collect();
        assert_eq!(positions, [0, 1]);
    }
}

//! The tokenizer of the analyzers: words are runs of letters and digits, as in tantivy's
//! `SimpleTokenizer`, except that superscript and subscript digits are not part of a word.
//! Sources glue their footnote markers to the word they annotate (`79/277⁵`, `report⁶`);
//! split off and dropped, the marker leaves the word (`277`, `report`) as it is written.

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// Whether `c` is a footnote marker: a superscript or subscript digit.
pub fn is_footnote_marker(c: char) -> bool {
    matches!(c, '¹' | '²' | '³' | '⁰' | '⁴'..='⁹' | '₀'..='₉')
}

/// Whether `c` belongs to a word.
pub fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() && !is_footnote_marker(c)
}

/// The ASCII bytes that belong to a word (letters and digits), by byte; false for every
/// byte of a multi-byte character.
pub const ASCII_WORD_BYTE: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = (b as u8).is_ascii_alphanumeric();
        b += 1;
    }
    table
};

/// Whether the character at byte `at` of `text` (a character boundary, not ASCII) belongs to
/// a word, and its length in bytes.
fn word_char_at(text: &str, at: usize) -> (bool, usize) {
    text[at..]
        .chars()
        .next()
        .map_or((false, 1), |c| (is_word_char(c), c.len_utf8()))
}

/// From byte `at` of `text`, the first byte whose character belongs to a word (`in_word`) or
/// does not (`!in_word`); the text's length when there is none. ASCII bytes are looked up in
/// [`ASCII_WORD_BYTE`], other characters decoded.
fn next_where(text: &str, mut at: usize, in_word: bool) -> usize {
    let bytes = text.as_bytes();
    while let Some(&byte) = bytes.get(at) {
        if byte.is_ascii() {
            if ASCII_WORD_BYTE[byte as usize] == in_word {
                return at;
            }
            at += 1;
        } else {
            let (is_word, width) = word_char_at(text, at);
            if is_word == in_word {
                return at;
            }
            at += width;
        }
    }
    at
}

/// Splits text into words (see the module); a footnote marker separates words like a space.
#[derive(Clone, Default)]
pub struct WordTokenizer {
    token: Token,
}

/// The token stream of [`WordTokenizer`].
pub struct WordStream<'a> {
    text: &'a str,
    /// The byte the next word is looked for from.
    at: usize,
    token: &'a mut Token,
}

impl Tokenizer for WordTokenizer {
    type TokenStream<'a> = WordStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> WordStream<'a> {
        self.token.reset();
        WordStream {
            text,
            at: 0,
            token: &mut self.token,
        }
    }
}

impl TokenStream for WordStream<'_> {
    fn advance(&mut self) -> bool {
        self.token.text.clear();
        self.token.position = self.token.position.wrapping_add(1);
        let start = next_where(self.text, self.at, true);
        if start >= self.text.len() {
            self.at = start;
            return false;
        }
        self.at = next_where(self.text, start, false);
        self.token.offset_from = start;
        self.token.offset_to = self.at;
        self.token.text.push_str(&self.text[start..self.at]);
        true
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
        let table: &[(&str, &[&str])] = &[
            ("", &[]),
            ("  ", &[]),
            (
                "l’état, e-Government’s “forum”",
                &["l", "état", "e", "Government", "s", "forum"],
            ),
            ("naïve café…x", &["naïve", "café", "x"]),
            ("中文 text", &["中文", "text"]),
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

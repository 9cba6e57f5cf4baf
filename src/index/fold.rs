//! A token filter that folds Cyrillic and Greek letters that look like Latin ones ("С1"
//! written with a Cyrillic С) to Latin, in tokens that also hold Latin letters or digits, so
//! that such words are found by what they look like. Words wholly in another script stay.

use std::mem;

use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

/// Lower-case look-alikes and their Latin letters.
const LOOKALIKES: [(char, char); 20] = [
    ('а', 'a'),
    ('в', 'b'),
    ('с', 'c'),
    ('е', 'e'),
    ('һ', 'h'),
    ('і', 'i'),
    ('ј', 'j'),
    ('к', 'k'),
    ('м', 'm'),
    ('н', 'h'),
    ('о', 'o'),
    ('р', 'p'),
    ('ѕ', 's'),
    ('т', 't'),
    ('у', 'y'),
    ('х', 'x'),
    ('ο', 'o'),
    ('α', 'a'),
    ('ε', 'e'),
    ('ι', 'i'),
];

fn latin_of(c: char) -> Option<char> {
    LOOKALIKES.iter().find(|(l, _)| *l == c).map(|(_, a)| *a)
}

/// Folds look-alike letters of a lower-cased token; `None` when nothing changes.
pub fn fold(token: &str) -> Option<String> {
    let mixed = token.chars().any(|c| c.is_ascii_alphanumeric())
        && token.chars().any(|c| latin_of(c).is_some());
    mixed.then(|| token.chars().map(|c| latin_of(c).unwrap_or(c)).collect())
}

/// The filter; put it after lower-casing.
#[derive(Clone, Copy, Debug)]
pub struct FoldLookalikes;

impl TokenFilter for FoldLookalikes {
    type Tokenizer<T: Tokenizer> = FoldFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> FoldFilter<T> {
        FoldFilter { tokenizer }
    }
}

/// The filter wrapped around a tokenizer.
#[derive(Clone)]
pub struct FoldFilter<T> {
    tokenizer: T,
}

impl<T: Tokenizer> Tokenizer for FoldFilter<T> {
    type TokenStream<'a> = FoldStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        FoldStream {
            tail: self.tokenizer.token_stream(text),
        }
    }
}

/// The token stream of [`FoldFilter`].
pub struct FoldStream<T> {
    tail: T,
}

impl<T: TokenStream> TokenStream for FoldStream<T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        if !token.text.is_ascii()
            && let Some(mut folded) = fold(&token.text)
        {
            mem::swap(&mut token.text, &mut folded);
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

    #[test]
    fn folds_lookalikes_only_in_latin_words() {
        assert_eq!(fold("с1").as_deref(), Some("c1"));
        assert_eq!(fold("іcts").as_deref(), Some("icts"));
        assert_eq!(fold("москва"), None);
        assert_eq!(fold("wsis"), None);
    }
}

//! Document symbols in a query (`A/RES/79/277`, `A/60/687`, `WSIS-05/TUNIS/DOC/6(Rev.1)-E`)
//! are searched as written: a word of the query outside quotes that holds a slash and only
//! the characters of a symbol is put in quotes, so the query grammar reads it as one phrase
//! (its slashes, parentheses and hyphens would otherwise be operators or a parse error). The
//! analyzer splits a symbol into its parts in a row, so the whole symbol, or any run of its
//! parts (`79/277`, `RES/79`), finds the records that write it.

use std::borrow::Cow;

/// Whether `c` may be part of a document symbol.
fn is_symbol_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '/' | '.' | '(' | ')' | '-' | '_' | '+')
}

/// The symbol at the start of a word of the query, if the word is one: starting with a letter
/// or digit, holding a slash, made of symbol characters, its parentheses balanced (a `)`
/// closing a group of the query is left outside).
fn symbol_in(word: &str) -> Option<&str> {
    if !word.chars().next().is_some_and(char::is_alphanumeric) || word.contains(':') {
        return None;
    }
    let mut depth = 0usize;
    let mut end = word.len();
    for (i, c) in word.char_indices() {
        match c {
            '(' => depth += 1,
            ')' if depth == 0 => {
                end = i;
                break;
            }
            ')' => depth -= 1,
            _ => {}
        }
    }
    let symbol = &word[..end];
    let valid = depth == 0
        && symbol.contains('/')
        && symbol.chars().all(is_symbol_char)
        && word[end..].chars().all(|c| c == ')');
    valid.then_some(symbol)
}

/// `query` with every document symbol outside quotes put in quotes.
pub fn quote_symbols(query: &str) -> Cow<'_, str> {
    if !query.contains('/') {
        return Cow::Borrowed(query);
    }
    Cow::Owned(crate::search::syntax::map_words(query, |word| {
        let (lead, body) =
            word.split_at(word.len() - word.trim_start_matches(['(', '+', '-']).len());
        let symbol = symbol_in(body)?;
        Some(format!("{lead}\"{symbol}\"{}", &body[symbol.len()..]))
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn symbols_outside_quotes_are_quoted() {
        let table = [
            ("A/RES/79/277", "\"A/RES/79/277\""),
            ("resolution 79/277 adopted", "resolution \"79/277\" adopted"),
            (
                "WSIS-05/TUNIS/DOC/6(Rev.1)-E",
                "\"WSIS-05/TUNIS/DOC/6(Rev.1)-E\"",
            ),
            ("(A/60/687 OR forum)", "(\"A/60/687\" OR forum)"),
            ("forum (see A/60/687)", "forum (see \"A/60/687\")"),
            ("-A/60/687 forum", "-\"A/60/687\" forum"),
            ("\"in A/60/687\" forum", "\"in A/60/687\" forum"),
            ("doc:tunis-agenda/72", "doc:tunis-agenda/72"),
            ("/regex/", "/regex/"),
            ("text:/digit.*/", "text:/digit.*/"),
            ("forum", "forum"),
            ("either/or", "\"either/or\""),
        ];
        for (query, expected) in table {
            assert_eq!(quote_symbols(query), expected, "{query}");
        }
    }
}

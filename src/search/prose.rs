//! What a researcher pastes into the search box that the query grammar would read as syntax,
//! read as the words it is. Titles and sentences hold colons (`WSIS+20: review`, `Geneva
//! Declaration: principles`), citations hold square brackets (`[the] information society`),
//! and a web address holds both a colon and slashes. The grammar reads `word:` as a field, a
//! `[` or `{` as the start of a range and `//` as a regular expression, and refuses the query
//! or searches a field that does not exist. Outside quotes, then:
//!
//! - a colon after a word that is not a field the query may name, when nothing follows it in
//!   the word (`review:`) or the word is not written as a field (`WSIS+20:review`, with
//!   capitals, digits or signs), is a space; a word written as a field (`tittle:digital`)
//!   stays, to be refused with the list of fields;
//! - a web address (`https://www.itu.int/net/wsis/`) is put in quotes, a phrase of its words;
//! - a square bracket or brace that does not enclose a range (`[2003 TO 2005]`) or a set
//!   (`IN [a b]`) is a space;
//! - `variant:all` is left out: it only says to search every variant (see
//!   [`crate::search::syntax::names_field`]).
//!
//! Each of these keeps the query's length in characters, but for the quotes around an
//! address, so positions in messages stay those typed.

use std::borrow::Cow;

use crate::model::field;
use crate::search::syntax::{NAMED_FIELDS, map_words};

/// `query` with the prose the grammar would misread made plain (see the module's list).
pub fn plain(query: &str) -> Cow<'_, str> {
    let mut text = Cow::Borrowed(query);
    if text.contains(':') {
        text = Cow::Owned(map_words(&text, plain_word));
    }
    if text.contains(['[', ']', '{', '}']) {
        text = Cow::Owned(stray_brackets_as_spaces(&text));
    }
    text
}

/// Whether a plain query is left with nothing to search for (it held `variant:all` alone).
pub fn is_blank(plain: &str) -> bool {
    plain
        .chars()
        .all(|c| c.is_whitespace() || c == '(' || c == ')')
}

/// The plain form of one word of the query outside quotes, or `None` to keep it.
fn plain_word(word: &str) -> Option<String> {
    if word.contains('"') {
        // It opens or closes a phrase, whose words are searched as they are.
        return None;
    }
    let body = word.trim_start_matches(['+', '-', '(']);
    let lead = &word[..word.len() - body.len()];
    let (name, value) = body.split_once(':')?;
    if name == field::VARIANT && value.trim_end_matches(')') == "all" && !lead.contains('-') {
        // Every variant: what `variant:` in the query already asks; `)`s are kept.
        let closing = value.len() - "all".len();
        return Some(format!(
            "{}{}{}",
            lead.replace('+', " "),
            " ".repeat(body.len() - closing),
            ")".repeat(closing)
        ));
    }
    if NAMED_FIELDS.contains(&name) || value.starts_with(['[', '{']) {
        return None;
    }
    if value.starts_with("//") {
        let end = body.trim_end_matches([')', ',', '.', ';']);
        return Some(format!("{lead}\"{end}\"{}", &body[end.len()..]));
    }
    let written_as_field = !name.is_empty()
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && name.chars().all(|c| c.is_ascii_lowercase() || c == '_');
    if value.is_empty() || !written_as_field {
        return Some(word.replace(':', " "));
    }
    None
}

/// `query` with each `[`, `]`, `{` or `}` outside quotes that does not open or close a range
/// (`[2003 TO 2005]`, `{a TO b]`) or a set (`IN [a b]`) replaced by a space.
fn stray_brackets_as_spaces(query: &str) -> String {
    let chars: Vec<char> = query.chars().collect();
    let mut out = chars.clone();
    let mut quoted = false;
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '"' => quoted = !quoted,
            '[' | '{' if !quoted => {
                if let Some(close) = bracketed_end(&chars, i) {
                    i = close + 1;
                    continue;
                }
                out[i] = ' ';
            }
            ']' | '}' if !quoted => out[i] = ' ',
            _ => {}
        }
        i += 1;
    }
    out.into_iter().collect()
}

/// Where the range or set opened at `open` closes, if it is one.
fn bracketed_end(chars: &[char], open: usize) -> Option<usize> {
    let close = open + chars[open..].iter().position(|c| matches!(c, ']' | '}'))?;
    let inside: String = chars[open + 1..close].iter().collect();
    let words: Vec<&str> = inside.split_whitespace().collect();
    let range = matches!(words.as_slice(), [_, "TO", _]) && !inside.contains(['[', '{', '"']);
    let before: String = chars[..open].iter().collect();
    let set = chars[open] == '[' && before.trim_end().ends_with("IN");
    (range || set).then_some(close)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prose_is_read_as_words_and_syntax_is_kept() {
        let table = [
            ("WSIS+20: review", "WSIS+20  review"),
            (
                "Geneva Declaration: principles",
                "Geneva Declaration  principles",
            ),
            ("ICT4D:strategies", "ICT4D strategies"),
            ("(review: forum)", "(review  forum)"),
            ("10:30", "10 30"),
            // Fields, and what is written as one (refused later with the list of fields).
            ("title: digital", "title: digital"),
            (
                "title:digital doc:tunis-agenda",
                "title:digital doc:tunis-agenda",
            ),
            ("tittle:digital", "tittle:digital"),
            ("year:[2003 TO 2005]", "year:[2003 TO 2005]"),
            ("\"WSIS+20: review\"", "\"WSIS+20: review\""),
            // Web addresses.
            (
                "see https://www.itu.int/net/wsis/ now",
                "see \"https://www.itu.int/net/wsis/\" now",
            ),
            ("(http://a.org/x).", "(\"http://a.org/x\")."),
            // Every variant.
            ("variant:all forum", "            forum"),
            ("(variant:all)", "(           )"),
            ("+variant:all forum", "             forum"),
            ("-variant:all forum", "-variant:all forum"),
            ("variant:digital", "variant:digital"),
            // Brackets.
            ("forum [", "forum  "),
            ("[the] information society", " the  information society"),
            ("{sic} forum]", " sic  forum "),
            ("year:{2003 TO 2005]", "year:{2003 TO 2005]"),
            ("[2003 TO 2005] [x]", "[2003 TO 2005]  x "),
            (
                "doc: IN [tunis-agenda wsis-10]",
                "doc: IN [tunis-agenda wsis-10]",
            ),
            ("\"a [b\" c", "\"a [b\" c"),
            ("plain words", "plain words"),
        ];
        for (query, expected) in table {
            assert_eq!(plain(query), expected, "{query}");
        }
        assert!(is_blank(&plain("(variant:all)")));
        assert!(!is_blank(&plain("variant:all forum")));
    }
}

//! What a researcher pastes into the search box that the query grammar would read as syntax,
//! read as the words it is. Titles and sentences hold colons (`WSIS+20: review`, `Geneva
//! Declaration: principles`), citations hold square brackets (`[the] information society`),
//! and a web address holds both a colon and slashes. The grammar reads `word:` as a field, a
//! `[` or `{` as the start of a range and `//` as a regular expression, and refuses the query
//! or searches a field that does not exist. Outside quotes, then:
//!
//! - a colon after a word that is not a field the query may name, when no value follows it in
//!   the word (`review:`, `review:)`) or the word is not written as a field (`WSIS+20:review`,
//!   `Note:"…"`, with capitals, digits or signs), is a space, and so is a colon inside a
//!   field's value (`title:review: forum`); a word written as a field (`tittle:digital`)
//!   stays, to be refused with the list of fields;
//! - a field's colon after a space (`title : digital`) is joined to its name, and a label
//!   field's value after a space (`para: 72(e)`) to its colon, so that its brackets stay part
//!   of it;
//! - a web address (`https://www.itu.int/net/wsis/`) is put in quotes, a phrase of its words,
//!   its trailing punctuation left out;
//! - a square bracket or brace that does not enclose a range (`[2003 TO 2005]`) or a set
//!   (`IN [a b]`), nor follows a field's colon (`year:[2003`, refused as not closed), is a
//!   space, or nothing after `-` or `+` (`-[forum]` excludes forum);
//! - a `-` or `+` alone between two words (`digital - divide`) is a dash, and a backslash that
//!   ends the query escapes nothing: both are spaces.
//!
//! Brackets are read first, then colons. Quotes and backslash escapes are read as the grammar
//! reads them ([`Scanned`]).

use std::borrow::Cow;

use crate::search::syntax::{LABEL_FIELDS, NAMED_FIELDS, Scanned, has_two_bounds, map_words};

/// `query` with the prose the grammar would misread made plain (see the module's list).
pub fn plain(query: &str) -> Plain<'_> {
    let mut plain = Plain {
        text: Cow::Borrowed(query),
        places_kept: true,
    };
    if query.contains(['[', ']', '{', '}']) {
        plain.step(stray_brackets_removed);
    }
    if plain.text.contains(':') {
        plain.step(fields_joined);
        plain.step(|text| map_words(text, plain_word));
    }
    if plain.text.contains("IN") {
        plain.step(stray_in_lowered);
    }
    let lone_sign = plain
        .text
        .split_whitespace()
        .any(|word| word == "+" || word.chars().all(|c| c == '-'));
    if lone_sign || plain.text.ends_with('\\') {
        plain.step(dashes_and_last_escape_as_spaces);
    }
    if plain.text == query {
        plain.text = Cow::Borrowed(query);
    }
    plain
}

/// A query made plain.
pub struct Plain<'a> {
    /// Its text.
    pub text: Cow<'a, str>,
    /// Whether every character stands where it was typed (each change replaced characters):
    /// a place in the text is a place in the query as typed.
    pub places_kept: bool,
}

impl Plain<'_> {
    /// Applies one change (each either replaces characters, or adds, or removes some).
    fn step(&mut self, change: impl Fn(&str) -> String) {
        let changed = change(&self.text);
        self.places_kept &= changed.chars().count() == self.text.chars().count();
        self.text = Cow::Owned(changed);
    }
}

/// Whether a plain query holds nothing to search for: no letter, digit or `*`.
pub fn has_nothing_to_search(plain: &str) -> bool {
    !plain.chars().any(|c| c.is_alphanumeric() || c == '*')
}

/// The plain form of one word of the query outside quotes, or `None` to keep it.
fn plain_word(word: &str) -> Option<String> {
    let body = word.trim_start_matches(['+', '-', '(']);
    let lead = &word[..word.len() - body.len()];
    let colon = body.find(':')?;
    if body[..colon].contains('"') {
        // The colon is in a phrase, or after one.
        return None;
    }
    let (name, value) = (&body[..colon], &body[colon + 1..]);
    if NAMED_FIELDS.contains(&name) {
        let prose_colon = !value.starts_with('"') && value.contains(':');
        return prose_colon.then(|| format!("{lead}{name}:{}", colons_as_spaces(value)));
    }
    if value.starts_with("//") && !value.contains('"') {
        return Some(format!("{lead}{}", quoted_address(body)));
    }
    let written_as_field = name.starts_with(|c: char| c.is_ascii_lowercase())
        && name.chars().all(|c| c.is_ascii_lowercase() || c == '_');
    let has_value = value.contains(|c: char| c.is_alphanumeric() || matches!(c, '"' | '*'));
    if written_as_field && has_value {
        return None;
    }
    Some(format!("{lead}{}", colons_as_spaces(body)))
}

/// `text` with a `+` or a run of `-` standing alone between two words (a dash, as in `digital -
/// divide` or `digital -- divide`)
/// and a backslash that ends the query (it escapes nothing) as spaces.
fn dashes_and_last_escape_as_spaces(text: &str) -> String {
    let scanned = Scanned::of(text);
    let words = scanned.words();
    let mut chars = scanned.chars.clone();
    for (n, (start, word)) in words.iter().enumerate() {
        let between = n > 0 && n + 1 < words.len();
        let sign = word == "+" || word.chars().all(|c| c == '-');
        if between && sign && !words[n + 1].1.starts_with(')') {
            chars[*start..*start + word.chars().count()].fill(' ');
        }
    }
    // An odd run of backslashes at the end: the last escapes nothing.
    let trailing = chars.iter().rev().take_while(|&&c| c == '\\').count();
    if trailing % 2 == 1 {
        let last = chars.len() - 1;
        chars[last] = ' ';
    }
    chars.into_iter().collect()
}

/// `text` with each word `IN` outside quotes that opens no set (`doc: IN [a b]`) in lower case:
/// a heading in capitals (`DIGITAL DIVIDE IN AFRICA`) holds the word, which the grammar would
/// read as a set's keyword.
fn stray_in_lowered(text: &str) -> String {
    let scanned = Scanned::of(text);
    let mut chars = scanned.chars.clone();
    for (start, word) in scanned.words() {
        if word != "IN" {
            continue;
        }
        let set_follows = chars[start + 2..]
            .iter()
            .find(|c| !c.is_whitespace())
            .is_some_and(|&c| c == '[');
        if !set_follows {
            chars[start..start + 2].copy_from_slice(&['i', 'n']);
        }
    }
    chars.into_iter().collect()
}

/// `text` with its colons outside quotes as spaces.
fn colons_as_spaces(text: &str) -> String {
    let scanned = Scanned::of(text);
    (0..scanned.chars.len())
        .map(|i| match scanned.syntax(i) {
            Some(':') => ' ',
            _ => scanned.chars[i],
        })
        .collect()
}

/// A web address in quotes, the punctuation after it (`,` `.` `;` …) as spaces and a `)` that
/// closes a group of the query left outside.
fn quoted_address(address: &str) -> String {
    let mut end = address.len();
    let mut depth = address.matches('(').count() as isize - address.matches(')').count() as isize;
    for (at, c) in address.char_indices().rev() {
        match c {
            ',' | '.' | ';' | '!' | '?' | ':' | '\\' => end = at,
            ')' if depth < 0 => {
                depth += 1;
                end = at;
            }
            _ => break,
        }
    }
    let tail: String = address[end..]
        .chars()
        .map(|c| if c == ')' { c } else { ' ' })
        .collect();
    format!("\"{}\"{tail}", &address[..end])
}

/// `query` with a field's colon typed after a space (`title : digital`) joined to the field's
/// name, and a label field's value typed after a space (`para: 72(e)`) to its colon.
fn fields_joined(query: &str) -> String {
    let scanned = Scanned::of(query);
    let chars = &scanned.chars;
    let mut out = String::with_capacity(query.len());
    let mut i = 0;
    while i < chars.len() {
        if scanned.syntax(i) != Some(':') {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let typed = out.trim_end().len();
        if typed < out.len() && ends_with_name(&out[..typed], &NAMED_FIELDS) {
            out.truncate(typed);
        }
        let label = ends_with_name(&out, &LABEL_FIELDS);
        out.push(':');
        i += 1;
        let value = (i..chars.len()).find(|&j| !chars[j].is_whitespace());
        if let Some(value) = value.filter(|_| label) {
            i = value;
        }
    }
    out
}

/// Whether `text` ends with one of `names` as a word of its own.
fn ends_with_name(text: &str, names: &[&str]) -> bool {
    names.iter().any(|name| {
        text.strip_suffix(name)
            .is_some_and(|before| !before.ends_with(|c: char| c.is_alphanumeric() || c == '_'))
    })
}

/// `query` with each `[`, `]`, `{` or `}` outside quotes that does not open or close a range
/// (`[2003 TO 2005]`, `{a TO b]`) or a set (`IN [a b]`), nor follows a field's colon, replaced
/// by a space (left out after `-` or `+`).
fn stray_brackets_removed(query: &str) -> String {
    let scanned = Scanned::of(query);
    let chars = &scanned.chars;
    let mut out: Vec<Option<char>> = chars.iter().copied().map(Some).collect();
    let mut i = 0;
    while i < chars.len() {
        let stray = match scanned.syntax(i) {
            Some('[' | '{') => {
                let after_field = scanned.opens_a_field_range(i);
                let close = scanned.closing(i);
                match close {
                    Some(close) if after_field || encloses_a_range(&scanned, i, close) => {
                        i = close + 1;
                        continue;
                    }
                    None if after_field => false,
                    _ => true,
                }
            }
            Some(']' | '}') => true,
            _ => false,
        };
        if stray {
            let after_sign = i > 0 && matches!(scanned.syntax(i - 1), Some('-' | '+'));
            out[i] = (!after_sign).then_some(' ');
        }
        i += 1;
    }
    out.into_iter().flatten().collect()
}

/// Whether the brackets at `open` and `close` enclose a range (`[2003 TO 2005]`) or a set
/// (`IN [a b]`, `IN` a word of its own).
fn encloses_a_range(scanned: &Scanned, open: usize, close: usize) -> bool {
    let chars = &scanned.chars;
    let inside: String = chars[open + 1..close].iter().collect();
    let range = has_two_bounds(&inside) && !inside.contains(['[', '{', '"']);
    let before: String = chars[..open].iter().collect();
    let set = chars[open] == '['
        && before.split_whitespace().next_back().is_some_and(|word| {
            word.trim_start_matches(['(', '+', '-']) == "IN" || word.ends_with(":IN")
        });
    range || set
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
            ("Geneva (principles:)", "Geneva (principles )"),
            ("review:, forum", "review , forum"),
            ("Note:\"digital divide\"", "Note \"digital divide\""),
            ("WSIS+20:\"review\"", "WSIS+20 \"review\""),
            ("10:30", "10 30"),
            // Fields, and what is written as one (refused later with the list of fields).
            ("title: digital", "title: digital"),
            (
                "title:digital doc:tunis-agenda",
                "title:digital doc:tunis-agenda",
            ),
            ("title:review: forum", "title:review  forum"),
            ("text:WSIS+20: review", "text:WSIS+20  review"),
            ("title:\"a: b\"", "title:\"a: b\""),
            ("tittle:digital", "tittle:digital"),
            ("tittle:\"digital divide\"", "tittle:\"digital divide\""),
            ("year:[2003 TO 2005]", "year:[2003 TO 2005]"),
            ("\"WSIS+20: review\"", "\"WSIS+20: review\""),
            ("variant:all forum", "variant:all forum"),
            // Label values after a space.
            ("para: 72(e)", "para:72(e)"),
            (
                "doc: tunis-agenda para:  72(e) forum",
                "doc: tunis-agenda para:72(e) forum",
            ),
            ("(cites: tunis-agenda/72)", "(cites:tunis-agenda/72)"),
            ("\"para: 72\"", "\"para: 72\""),
            ("compara: 3", "compara  3"),
            // Web addresses.
            (
                "see https://www.itu.int/net/wsis/ now",
                "see \"https://www.itu.int/net/wsis/\" now",
            ),
            ("(http://a.org/x).", "(\"http://a.org/x\") "),
            (
                "https://a.org/wsis20, review",
                "\"https://a.org/wsis20\"  review",
            ),
            ("forum https://a.org/(x)", "forum \"https://a.org/(x)\""),
            ("(https://a.org/(x))", "(\"https://a.org/(x)\")"),
            // Brackets.
            ("forum [", "forum  "),
            ("[the] information society", " the  information society"),
            ("{sic} forum]", " sic  forum "),
            ("governance -[forum]", "governance -forum "),
            ("year:{2003 TO 2005]", "year:{2003 TO 2005]"),
            ("year:[2003 TO", "year:[2003 TO"),
            ("year:[2005]", "year:[2005]"),
            ("Note:[sic] forum", "Note  sic  forum"),
            ("title : digital", "title: digital"),
            ("para : 72(e)", "para:72(e)"),
            ("forum \\[x\\]", "forum \\[x\\]"),
            ("https://a.org/x\\", "\"https://a.org/x\" "),
            ("[2003 TO 2005] [x]", "[2003 TO 2005]  x "),
            (
                "doc: IN [tunis-agenda wsis-10]",
                "doc: IN [tunis-agenda wsis-10]",
            ),
            ("\"a [b\" c", "\"a [b\" c"),
            ("plain words", "plain words"),
            ("digital - divide + forum", "digital   divide   forum"),
            ("digital -- divide", "digital    divide"),
            ("LATIN [sic] forum", "LATIN  sic  forum"),
            ("DIGITAL DIVIDE IN AFRICA", "DIGITAL DIVIDE in AFRICA"),
            ("IN forum IN", "in forum in"),
            ("IN a", "in a"),
            ("forum -", "forum -"),
            ("forum -governance", "forum -governance"),
            ("forum\\", "forum "),
            ("forum\\\\", "forum\\\\"),
        ];
        for (query, expected) in table {
            assert_eq!(plain(query).text, expected, "{query}");
        }
        assert!(plain("forum OR ]").places_kept);
        assert!(!plain("-[a] -[b] (forum OR ]) https://x.org/").places_kept);
        for empty in [":", "[]", "( : )", "{ }"] {
            assert!(has_nothing_to_search(&plain(empty).text), "{empty}");
        }
        assert!(!has_nothing_to_search("*"));
    }
}

//! Says what is wrong with a query the grammar cannot read, and where: an unclosed quote, a
//! parenthesis that closes nothing or is not closed, an empty group, an operator with nothing
//! on one side, a `~` or `^` without its number, a `~` after a word (fuzzy matching, which the
//! query language does not have), a field with nothing after it. Positions count characters
//! from 1, as the user typed them.

use crate::model::field;

/// The fields a query may name, as messages list them.
pub const NAMED_FIELDS: [&str; 11] = [
    field::TEXT,
    field::TITLE,
    field::SECTION,
    field::CITATION,
    field::DOC,
    field::PARA,
    field::KIND,
    field::VARIANT,
    field::YEAR,
    field::CITES,
    field::ID,
];

/// `query` with each of its words outside quotes (runs of characters between spaces) passed
/// to `replace`, which gives the text to put instead or `None` to keep the word; spaces and
/// quoted words are kept as they are. A word that opens a phrase (`"digital`) is passed too:
/// the text put instead of it must hold as many quotes.
pub fn map_words(query: &str, mut replace: impl FnMut(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(query.len() + 16);
    let mut quoted = false;
    let mut rest = query;
    while !rest.is_empty() {
        let start = rest
            .find(|c: char| !c.is_whitespace())
            .unwrap_or(rest.len());
        out.push_str(&rest[..start]);
        rest = &rest[start..];
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let word = &rest[..end];
        rest = &rest[end..];
        match (!quoted).then(|| replace(word)).flatten() {
            Some(replaced) => out.push_str(&replaced),
            None => out.push_str(word),
        }
        quoted ^= word.matches('"').count() % 2 == 1;
    }
    out
}

/// Whether `query` names `field` outside quotes (`variant:digital`, `-variant:digital`), read
/// from the text as typed, whether or not it parses.
pub fn names_field(query: &str, field: &str) -> bool {
    // Most queries name no field: a look for `field:` first, without allocating (`id` alone
    // is in many words).
    let named_somewhere = query
        .match_indices(field)
        .any(|(at, _)| query[at + field.len()..].starts_with(':'));
    if !named_somewhere {
        return false;
    }
    let mut named = false;
    map_words(query, |word| {
        let word = word.trim_start_matches(['+', '-', '(']);
        named |= word
            .strip_prefix(field)
            .is_some_and(|rest| rest.starts_with(':'));
        None
    });
    named
}

/// Why `query` cannot be parsed, naming the place; `None` when none of these faults is
/// found (the grammar's own reason stands then).
pub fn explain(query: &str) -> Option<String> {
    // Most queries hold none of what these faults are made of: looked for without allocating.
    let has_operator = ["AND", "OR", "NOT"].iter().any(|op| query.contains(op));
    if !has_operator && !query.contains(['"', '(', ')', '\\', '+', '-', '~', '^', ':']) {
        return None;
    }
    let chars: Vec<char> = query.chars().collect();
    unbalanced(&chars)
        .or_else(|| dangling_operator(&chars))
        .or_else(|| bare_modifier(&chars))
        .or_else(|| empty_field(&chars))
        .or_else(|| unclosed_range(&chars))
}

/// An unclosed quote, a parenthesis that closes nothing or is not closed, an empty group.
fn unbalanced(chars: &[char]) -> Option<String> {
    let mut quote_at: Option<usize> = None;
    let mut groups: Vec<usize> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\\' {
            i += 2;
            continue;
        }
        match (c, quote_at) {
            ('"', Some(_)) => quote_at = None,
            ('"', None) => quote_at = Some(i),
            (_, Some(_)) => {}
            ('(', None) => groups.push(i),
            (')', None) => {
                let Some(open) = groups.pop() else {
                    return Some(format!(
                        "the parenthesis at character {} closes no group",
                        i + 1
                    ));
                };
                if chars[open + 1..i].iter().all(|c| c.is_whitespace()) {
                    return Some(format!(
                        "the group opened at character {} is empty",
                        open + 1
                    ));
                }
            }
            _ => {}
        }
        i += 1;
    }
    if let Some(at) = quote_at {
        return Some(format!(
            "the quote opened at character {} is not closed",
            at + 1
        ));
    }
    if let Some(&at) = groups.last() {
        return Some(format!(
            "the parenthesis opened at character {} is not closed",
            at + 1
        ));
    }
    None
}

/// The words of `chars` outside quotes, a quoted phrase as one, with where each starts.
fn words_at(chars: &[char]) -> Vec<(usize, String)> {
    let mut words: Vec<(usize, String)> = Vec::new();
    let mut quoted = false;
    let mut at = 0;
    while at < chars.len() {
        if chars[at].is_whitespace() && !quoted {
            at += 1;
            continue;
        }
        let start = at;
        let mut word = String::new();
        while at < chars.len() && (quoted || !chars[at].is_whitespace()) {
            if chars[at] == '"' {
                quoted = !quoted;
            }
            word.push(chars[at]);
            at += 1;
        }
        words.push((start, word));
    }
    words
}

/// A range opened after a field's colon (`year:[2003 TO 2005`) and never closed.
fn unclosed_range(chars: &[char]) -> Option<String> {
    let mut quoted = false;
    for (i, &c) in chars.iter().enumerate() {
        match c {
            '"' => quoted = !quoted,
            '[' | '{'
                if !quoted
                    && i > 0
                    && chars[i - 1] == ':'
                    && !chars[i..].iter().any(|c| matches!(c, ']' | '}')) =>
            {
                return Some(format!(
                    "the range opened at character {} is not closed: write year:[2003 TO 2005]",
                    i + 1
                ));
            }
            _ => {}
        }
    }
    None
}

/// A `~` or `^` outside quotes without the number it takes, or after no word, or a `~` after
/// a word (not in a web address).
fn bare_modifier(chars: &[char]) -> Option<String> {
    for (start, word) in words_at(chars) {
        if word.starts_with('"') && word.ends_with('"') && word.len() > 1 || word.contains("://") {
            continue;
        }
        let letters: Vec<char> = word.chars().collect();
        let mut quoted = false;
        for (i, &c) in letters.iter().enumerate() {
            let at = start + i + 1;
            let number_follows = letters.get(i + 1).is_some_and(char::is_ascii_digit);
            let after = i.checked_sub(1).map(|b| letters[b]);
            let reason = match c {
                '"' => {
                    quoted = !quoted;
                    continue;
                }
                _ if quoted => continue,
                '~' | '^' if after.is_none() => {
                    format!(
                        "the {c} at character {at} follows no word: write it right after one, as forum^2 or \"digital divide\"~2"
                    )
                }
                '~' if after != Some('"') => format!(
                    "the ~ at character {at} asks for fuzzy matching, which the query language does not have: misspelt words are corrected without it; to find words near each other, write \"digital divide\"~2"
                ),
                '~' if !number_follows => format!(
                    "the ~ at character {at} needs the number of words the phrase's words may stand apart, as \"digital divide\"~2"
                ),
                '^' if !number_follows => {
                    format!("the ^ at character {at} needs the weight it gives, as forum^2")
                }
                _ => continue,
            };
            return Some(reason);
        }
    }
    None
}

/// A field the query may name with nothing after it (`title:` at the end, or before `)`).
fn empty_field(chars: &[char]) -> Option<String> {
    let words = words_at(chars);
    for (n, (start, word)) in words.iter().enumerate() {
        let body = word.trim_start_matches(['+', '-', '(']);
        let Some((name, rest)) = body.split_once(':') else {
            continue;
        };
        let next = words.get(n + 1).map(|(_, w)| w.as_str());
        let nothing_after = rest.chars().all(|c| c == ')')
            && (!rest.is_empty() || next.is_none_or(|w| w.starts_with(')')));
        if NAMED_FIELDS.contains(&name) && nothing_after {
            return Some(format!(
                "the field {name}: at character {} has nothing after it: write {}",
                start + word.len() - body.len() + 1,
                field_example(name)
            ));
        }
    }
    None
}

/// How to write a value of the field `name`.
fn field_example(name: &str) -> String {
    match name {
        field::DOC => "doc:tunis-agenda".into(),
        field::PARA => "para:72 or para:72(e)".into(),
        field::KIND => "kind:resolution".into(),
        field::VARIANT => "variant:digital".into(),
        field::YEAR => "year:2005, year:[2003 TO 2005] or year:>2005".into(),
        field::CITES => "cites:tunis-agenda/72".into(),
        field::ID => "id:tunis-agenda/72".into(),
        text => format!("{text}:word or {text}:\"a phrase\""),
    }
}

/// An `AND`, `OR`, `NOT`, `+` or `-` with no word on the side it needs one.
fn dangling_operator(chars: &[char]) -> Option<String> {
    let tokens = words_at(chars);
    let is_binary = |w: &str| w == "AND" || w == "OR";
    let is_operator = |w: &str| is_binary(w) || matches!(w, "NOT" | "+" | "-");
    for (n, (start, word)) in tokens.iter().enumerate() {
        let before = n.checked_sub(1).map(|p| tokens[p].1.as_str());
        let after = tokens.get(n + 1).map(|t| t.1.as_str());
        let nothing_after =
            after.is_none_or(|a| is_binary(a) || a.starts_with(')')) && is_operator(word);
        let nothing_before =
            is_binary(word) && before.is_none_or(|b| is_operator(b) || b.ends_with('('));
        if nothing_after {
            return Some(format!(
                "the operator {word} at character {} has nothing after it",
                start + 1
            ));
        }
        if nothing_before {
            return Some(format!(
                "the operator {word} at character {} has nothing before it",
                start + 1
            ));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_field_is_named_outside_quotes_only() {
        assert!(names_field("forum -variant:digital", "variant"));
        assert!(names_field("(id:ta/72 OR forum)", "id"));
        assert!(!names_field("provide ideas, \"id:ta/72\"", "id"));
        assert!(!names_field("invariant: forum", "variant"));
    }

    #[test]
    fn faults_are_named_with_their_place() {
        let table: &[(&str, Option<&str>)] = &[
            (
                "\"digital divide",
                Some("the quote opened at character 1 is not closed"),
            ),
            (
                "forum \"digital divide",
                Some("the quote opened at character 7 is not closed"),
            ),
            (
                "(forum OR igf",
                Some("the parenthesis opened at character 1 is not closed"),
            ),
            (
                "forum)",
                Some("the parenthesis at character 6 closes no group"),
            ),
            (
                "forum ( ) igf",
                Some("the group opened at character 7 is empty"),
            ),
            (
                "forum AND",
                Some("the operator AND at character 7 has nothing after it"),
            ),
            (
                "OR forum",
                Some("the operator OR at character 1 has nothing before it"),
            ),
            (
                "forum AND OR igf",
                Some("the operator AND at character 7 has nothing after it"),
            ),
            (
                "forum NOT",
                Some("the operator NOT at character 7 has nothing after it"),
            ),
            (
                "forum -",
                Some("the operator - at character 7 has nothing after it"),
            ),
            ("\"a ( b\" forum", None),
            ("forum AND igf", None),
            ("(forum OR igf) -tunis", None),
            ("\"digital divide\"~2", None),
            (
                "forum~2",
                Some(
                    "the ~ at character 6 asks for fuzzy matching, which the query language does not have: misspelt words are corrected without it; to find words near each other, write \"digital divide\"~2",
                ),
            ),
            (
                "\"digital divide\"~ forum",
                Some(
                    "the ~ at character 17 needs the number of words the phrase's words may stand apart, as \"digital divide\"~2",
                ),
            ),
            (
                "forum^",
                Some("the ^ at character 6 needs the weight it gives, as forum^2"),
            ),
            ("forum^2 \"a ~ b ^\"", None),
            (
                "forum title:",
                Some(
                    "the field title: at character 7 has nothing after it: write title:word or title:\"a phrase\"",
                ),
            ),
            (
                "(forum OR doc:)",
                Some("the field doc: at character 11 has nothing after it: write doc:tunis-agenda"),
            ),
            ("title: digital", None),
            ("review: forum", None),
            (
                "\"x title: )\" title:",
                Some(
                    "the field title: at character 14 has nothing after it: write title:word or title:\"a phrase\"",
                ),
            ),
            (
                "year:",
                Some(
                    "the field year: at character 1 has nothing after it: write year:2005, year:[2003 TO 2005] or year:>2005",
                ),
            ),
            (
                "forum ^2",
                Some(
                    "the ^ at character 7 follows no word: write it right after one, as forum^2 or \"digital divide\"~2",
                ),
            ),
            ("https://example.org/~user/wsis", None),
            (
                "year:[2003 TO 2005",
                Some("the range opened at character 6 is not closed: write year:[2003 TO 2005]"),
            ),
            ("year:[2003 TO 2005] forum", None),
        ];
        for (query, expected) in table {
            assert_eq!(explain(query).as_deref(), *expected, "{query}");
        }
    }
}

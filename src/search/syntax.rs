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
/// quoted words are kept as they are.
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
            None => {
                quoted ^= word.matches('"').count() % 2 == 1;
                out.push_str(word);
            }
        }
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
    let chars: Vec<char> = query.chars().collect();
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
    dangling_operator(&chars)
        .or_else(|| bare_modifier(&chars))
        .or_else(|| empty_field(&chars))
}

/// A `~` or `^` outside quotes without the number it takes, or a `~` after a word.
fn bare_modifier(chars: &[char]) -> Option<String> {
    let mut quoted = false;
    for (i, &c) in chars.iter().enumerate() {
        let number_follows = chars.get(i + 1).is_some_and(char::is_ascii_digit);
        match c {
            '"' => quoted = !quoted,
            '~' if !quoted && i > 0 && chars[i - 1] != '"' => {
                return Some(format!(
                    "the ~ at character {} asks for fuzzy matching, which the query language does not have: misspelt words are corrected without it; to find words near each other, write \"digital divide\"~2",
                    i + 1
                ));
            }
            '~' if !quoted && !number_follows => {
                return Some(format!(
                    "the ~ at character {} needs the number of words the phrase's words may stand apart, as \"digital divide\"~2",
                    i + 1
                ));
            }
            '^' if !quoted && !number_follows => {
                return Some(format!(
                    "the ^ at character {} needs the weight it gives, as forum^2",
                    i + 1
                ));
            }
            _ => {}
        }
    }
    None
}

/// A field the query may name with nothing after it (`title:` at the end, or before `)`).
fn empty_field(chars: &[char]) -> Option<String> {
    let text: String = chars.iter().collect();
    let mut found = None;
    let mut at = 0;
    map_words(&text, |word| {
        let start = at + text[at..].find(word).unwrap_or(0);
        at = start + word.len();
        let body = word.trim_start_matches(['+', '-', '(']);
        let name = body.strip_suffix(':').or_else(|| {
            let (name, rest) = body.split_once(':')?;
            rest.chars().all(|c| c == ')').then_some(name)
        });
        let nothing_after = text[at..]
            .trim_start()
            .chars()
            .next()
            .is_none_or(|c| c == ')');
        if let Some(name) = name.filter(|n| NAMED_FIELDS.contains(n))
            && nothing_after
            && found.is_none()
        {
            let place = text[..start + word.len() - body.len()].chars().count() + 1;
            found = Some(format!(
                "the field {name}: at character {place} has nothing after it: write {name}:word or {name}:\"a phrase\""
            ));
        }
        None
    });
    found
}

/// An `AND`, `OR`, `NOT`, `+` or `-` with no word on the side it needs one.
fn dangling_operator(chars: &[char]) -> Option<String> {
    let mut tokens: Vec<(usize, String)> = Vec::new();
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
        tokens.push((start, word));
    }
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
                Some(
                    "the field doc: at character 11 has nothing after it: write doc:word or doc:\"a phrase\"",
                ),
            ),
            ("title: digital", None),
            ("review: forum", None),
        ];
        for (query, expected) in table {
            assert_eq!(explain(query).as_deref(), *expected, "{query}");
        }
    }
}

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

/// The fields whose values may hold brackets (`72(e)`): a value typed after a space is joined
/// to its colon, and one with brackets is quoted.
pub const LABEL_FIELDS: [&str; 3] = [field::PARA, field::CITES, field::ID];

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
        quoted ^= unescaped_quotes(word) % 2 == 1;
    }
    out
}

/// The quotes of `word` that no backslash escapes.
fn unescaped_quotes(word: &str) -> usize {
    let mut escaped = false;
    word.chars()
        .filter(|&c| {
            let quote = c == '"' && !escaped;
            escaped = c == '\\' && !escaped;
            quote
        })
        .count()
}

/// Whether `query` names `field` outside quotes (`variant:digital`, `-variant:digital`), read
/// from its text, whether or not it parses.
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

/// A query's characters, and which of them are syntax: those outside double quotes (and the
/// quotes that open and close a phrase) that no backslash escapes. [`explain`] and
/// [`crate::search::prose`] read a query through this scan; [`map_words`] counts quotes word by
/// word. A `'…'` phrase, which the grammar also reads, is not told apart: its characters count
/// as syntax.
pub struct Scanned {
    /// The characters.
    pub chars: Vec<char>,
    syntax: Vec<bool>,
}

impl Scanned {
    /// Scans `query`.
    pub fn of(query: &str) -> Scanned {
        let chars: Vec<char> = query.chars().collect();
        let mut syntax = Vec::with_capacity(chars.len());
        let (mut quoted, mut escaped) = (false, false);
        for &c in &chars {
            syntax.push(!escaped && c != '\\' && (!quoted || c == '"'));
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => quoted = !quoted,
                _ => {}
            }
        }
        Scanned { chars, syntax }
    }

    /// The character at `i` when it is syntax.
    pub fn syntax(&self, i: usize) -> Option<char> {
        self.syntax[i].then(|| self.chars[i])
    }

    /// Whether the character at `i` is a space outside quotes.
    fn is_space(&self, i: usize) -> bool {
        self.syntax(i).is_some_and(char::is_whitespace)
    }

    /// The words (runs between spaces outside quotes; a phrase is one), with where each
    /// starts.
    pub fn words(&self) -> Vec<(usize, String)> {
        let mut words: Vec<(usize, String)> = Vec::new();
        let mut at = 0;
        while at < self.chars.len() {
            if self.is_space(at) {
                at += 1;
                continue;
            }
            let start = at;
            while at < self.chars.len() && !self.is_space(at) {
                at += 1;
            }
            words.push((start, self.chars[start..at].iter().collect()));
        }
        words
    }

    /// Whether the `[` or `{` at `i` opens a range after a field's colon (`year:[`).
    pub fn opens_a_field_range(&self, i: usize) -> bool {
        matches!(self.syntax(i), Some('[' | '{'))
            && i > 0
            && self.syntax(i - 1) == Some(':')
            && NAMED_FIELDS.contains(&self.name_before(i - 1).as_str())
    }

    /// The `]` or `}` that closes the bracket at `open`, if any.
    pub fn closing(&self, open: usize) -> Option<usize> {
        (open + 1..self.chars.len()).find(|&j| matches!(self.syntax(j), Some(']' | '}')))
    }

    /// The word that ends just before `at` (a field's name before its colon), without the
    /// signs and parentheses before it.
    pub fn name_before(&self, at: usize) -> String {
        let start = (0..at)
            .rev()
            .find(|&i| self.is_space(i) || matches!(self.syntax(i), Some('(' | '+' | '-')))
            .map_or(0, |i| i + 1);
        self.chars[start..at].iter().collect()
    }
}

/// Why `query` cannot be parsed, naming the place; `None` when none of these faults is
/// found (the grammar's own reason stands then).
pub fn explain(query: &str) -> Option<String> {
    // Most queries hold none of what these faults are made of: looked for without allocating.
    let has_operator = ["AND", "OR", "NOT"].iter().any(|op| query.contains(op));
    if !has_operator && !query.contains(['"', '(', ')', '\\', '+', '-', '~', '^', ':']) {
        return None;
    }
    let scanned = Scanned::of(query);
    let words = scanned.words();
    unbalanced(&scanned)
        .or_else(|| dangling_operator(&words))
        .or_else(|| bare_modifier(&scanned))
        .or_else(|| empty_field(&words))
        .or_else(|| bad_range(&scanned))
}

/// [`explain`]'s reason without its place: for a query rewritten before it is read, whose
/// places are not those typed.
pub fn explain_unplaced(query: &str) -> Option<String> {
    let reason = explain(query)?;
    let Some(at) = reason.find(" at character ") else {
        return Some(reason);
    };
    let rest = &reason[at + " at character ".len()..];
    let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    Some(format!("{}{}", &reason[..at], &rest[digits..]))
}

/// An unclosed quote, a parenthesis that closes nothing or is not closed, an empty group.
fn unbalanced(scanned: &Scanned) -> Option<String> {
    let mut quote_at: Option<usize> = None;
    let mut groups: Vec<usize> = Vec::new();
    for i in 0..scanned.chars.len() {
        match (scanned.syntax(i), quote_at) {
            (Some('"'), Some(_)) => quote_at = None,
            (Some('"'), None) => quote_at = Some(i),
            (_, Some(_)) => {}
            (Some('('), None) => groups.push(i),
            (Some(')'), None) => {
                let Some(open) = groups.pop() else {
                    return Some(format!(
                        "the parenthesis at character {} closes no group",
                        i + 1
                    ));
                };
                if scanned.chars[open + 1..i].iter().all(|c| c.is_whitespace()) {
                    return Some(format!(
                        "the group opened at character {} is empty",
                        open + 1
                    ));
                }
            }
            _ => {}
        }
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

/// An `AND`, `OR`, `NOT`, `+` or `-` with no word on the side it needs one.
fn dangling_operator(tokens: &[(usize, String)]) -> Option<String> {
    let is_binary = |w: &str| w == "AND" || w == "OR";
    let is_operator = |w: &str| is_binary(w) || matches!(w, "NOT" | "+" | "-");
    for (n, (start, typed)) in tokens.iter().enumerate() {
        // An operator inside a group's parentheses (`(forum OR)`, `(-)`) is read without them.
        let opened = typed.len() - typed.trim_start_matches('(').len();
        let word = typed[opened..].trim_end_matches(')');
        let closes = word.len() + opened < typed.len();
        let start = start + opened;
        let before = n.checked_sub(1).map(|p| tokens[p].1.as_str());
        let after = tokens.get(n + 1).map(|t| t.1.as_str());
        let nothing_after = is_operator(word)
            && (closes || after.is_none_or(|a| is_binary(a) || a.starts_with(')')));
        let nothing_before = is_binary(word)
            && (opened > 0 || before.is_none_or(|b| is_operator(b) || b.ends_with('(')));
        // Signs before a word (`+-governance`); a run of signs alone is a dash (`--`).
        let unsigned = word.trim_start_matches(['+', '-']);
        let two_signs = word.len() - unsigned.len() >= 2 && !unsigned.is_empty();
        if two_signs {
            return Some(format!(
                "the word at character {} has two signs: write one, + or -",
                start + 1
            ));
        }
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

/// A `~` after a phrase without the number it takes, a `~` that ends a word (`forum~`,
/// `forum~2`: fuzzy matching, which the language does not have), or a `^` without its number
/// or after no word. Any other `~` is part of a word, as the grammar reads it (`~50`,
/// `itu.int/~wsis`).
fn bare_modifier(scanned: &Scanned) -> Option<String> {
    let chars = &scanned.chars;
    for i in 0..chars.len() {
        let Some(c @ ('~' | '^')) = scanned.syntax(i) else {
            continue;
        };
        let at = i + 1;
        let before = i.checked_sub(1).filter(|&b| !scanned.is_space(b));
        let number_follows = chars.get(i + 1).is_some_and(char::is_ascii_digit);
        let after_phrase = before.is_some_and(|b| scanned.syntax(b) == Some('"'));
        let rest_is_a_number = chars[i + 1..]
            .iter()
            .take_while(|c| !c.is_whitespace() && **c != ')')
            .all(char::is_ascii_digit);
        let reason = match c {
            '^' if before.is_none() => format!(
                "the ^ at character {at} follows no word: write it right after one, as forum^2"
            ),
            '^' if !number_follows => {
                format!("the ^ at character {at} needs the weight it gives, as forum^2")
            }
            '~' if after_phrase && !number_follows => format!(
                "the ~ at character {at} needs the number of words the phrase's words may stand apart, as \"digital divide\"~2"
            ),
            '~' if !after_phrase
                && before.is_some_and(|b| chars[b].is_alphanumeric())
                && rest_is_a_number =>
            {
                format!(
                    "the ~ at character {at} asks for fuzzy matching, which the query language does not have: misspelt words are corrected without it; to find words near each other, write \"digital divide\"~2"
                )
            }
            _ => continue,
        };
        return Some(reason);
    }
    None
}

/// A field the query may name with nothing after it (`title:` at the end, or before `)`).
fn empty_field(words: &[(usize, String)]) -> Option<String> {
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
                start + word.chars().count() - body.chars().count() + 1,
                field_example(name)
            ));
        }
    }
    None
}

/// A range after a field (`year:[2003 TO 2005]`) that is never closed or lacks its two bounds.
fn bad_range(scanned: &Scanned) -> Option<String> {
    let how = "write year:[2003 TO 2005]";
    for i in (0..scanned.chars.len()).filter(|&i| scanned.opens_a_field_range(i)) {
        let Some(close) = scanned.closing(i) else {
            return Some(format!(
                "the range opened at character {} is not closed: {how}",
                i + 1
            ));
        };
        let inside: String = scanned.chars[i + 1..close].iter().collect();
        if !has_two_bounds(&inside) {
            return Some(format!(
                "the range at character {} needs two bounds with TO between them: {how}",
                i + 1
            ));
        }
    }
    None
}

/// Whether the inside of a range's brackets is two bounds with `TO` between them.
pub fn has_two_bounds(inside: &str) -> bool {
    matches!(
        inside.split_whitespace().collect::<Vec<_>>().as_slice(),
        [_, "TO", _]
    )
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
    fn a_reason_without_its_place() {
        assert_eq!(
            explain_unplaced("forum OR").as_deref(),
            Some("the operator OR has nothing after it")
        );
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
                Some("the ^ at character 7 follows no word: write it right after one, as forum^2"),
            ),
            ("https://example.org/~user/wsis", None),
            (
                "year:[2003 TO 2005",
                Some("the range opened at character 6 is not closed: write year:[2003 TO 2005]"),
            ),
            ("year:[2003 TO 2005] forum", None),
            (
                "year:[2005]",
                Some(
                    "the range at character 6 needs two bounds with TO between them: write year:[2003 TO 2005]",
                ),
            ),
            ("~50 delegates www.itu.int/~wsis", None),
            ("say\\\" \"digital ~ divide\"", None),
            ("forum\\~2", None),
            (
                "(forum OR)",
                Some("the operator OR at character 8 has nothing after it"),
            ),
            (
                "forum (-)",
                Some("the operator - at character 8 has nothing after it"),
            ),
            (
                "(OR forum)",
                Some("the operator OR at character 2 has nothing before it"),
            ),
            ("digital -- divide", None),
            (
                "forum +-governance",
                Some("the word at character 7 has two signs: write one, + or -"),
            ),
        ];
        for (query, expected) in table {
            assert_eq!(explain(query).as_deref(), *expected, "{query}");
        }
    }
}

//! Typo tolerance at query time: each plain word of a query that matches nothing is replaced
//! by its closest words in the build's dictionary ([`crate::index::typo::Dictionary`]).

use serde::Serialize;

use crate::index::typo::{Dictionary, MAX_CANDIDATES, MAX_CORRECTION_TERMS, MIN_LETTERS};
use crate::search::syntax;

/// A word of the query replaced by words of the corpus.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Correction {
    /// The word as typed.
    pub from: String,
    /// The words searched instead, most frequent first.
    pub to: Vec<String>,
}

/// `query` with each plain word that matches nothing (`matches` says) replaced by its closest
/// words of `dictionary`, and the corrections made; `None` when nothing is corrected. Plain
/// words are words of letters outside quotes, not operators, not a field's name, not excluded
/// (`-word`), not prefixes (`word*`).
pub fn correct(
    query: &str,
    dictionary: &Dictionary,
    matches: &dyn Fn(&str) -> bool,
) -> Option<(String, Vec<Correction>)> {
    let mut corrections: Vec<Correction> = Vec::new();
    let mut budget = MAX_CORRECTION_TERMS;
    let out = syntax::map_words(query, |token| {
        let body = token.trim_start_matches(['(', '+']).trim_end_matches(')');
        let plain = body.chars().count() >= MIN_LETTERS
            && body.chars().all(char::is_alphabetic)
            && !matches!(body, "AND" | "OR" | "NOT");
        if !plain || budget == 0 || matches(body) {
            return None;
        }
        let to = dictionary.closest(body, MAX_CANDIDATES.min(budget));
        if to.is_empty() {
            return None;
        }
        budget -= to.len();
        let at = token.find(body).unwrap_or(0);
        let instead = match to.as_slice() {
            [one] => one.clone(),
            many => format!("({})", many.join(" OR ")),
        };
        let replaced = format!("{}{instead}{}", &token[..at], &token[at + body.len()..]);
        corrections.push(Correction {
            from: body.to_string(),
            to,
        });
        Some(replaced)
    });
    (!corrections.is_empty()).then_some((out, corrections))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_words_that_match_nothing_are_replaced() {
        let dict = Dictionary::from_counts(&[("governance", 30), ("forum", 20), ("forums", 3)]);
        let known = |w: &str| ["forum", "internet"].contains(&w.to_lowercase().as_str());
        let table: &[(&str, Option<&str>)] = &[
            ("goverance", Some("governance")),
            (
                "internet goverance forum",
                Some("internet governance forum"),
            ),
            ("(goverance OR forum)", Some("(governance OR forum)")),
            ("+goverance", Some("+governance")),
            ("-goverance forum", None),
            ("\"goverance forum\"", None),
            ("title:goverance", None),
            ("goverance*", None),
            ("forum", None),
            ("fourms", Some("forums")),
            ("goverance fourms", Some("governance forums")),
        ];
        for (query, expected) in table {
            let got = correct(query, &dict, &known).map(|(q, _)| q);
            assert_eq!(got.as_deref(), *expected, "{query}");
        }
        let (_, corrections) = correct("goverance", &dict, &known).unwrap();
        assert_eq!(
            corrections,
            [Correction {
                from: "goverance".into(),
                to: vec!["governance".into()]
            }]
        );
    }

    #[test]
    fn corrections_stay_within_the_term_limit() {
        let words: Vec<String> = (b'a'..=b'z')
            .map(|c| format!("{}bcde", c as char))
            .collect();
        let counts: Vec<(&str, u32)> = words.iter().map(|w| (w.as_str(), 1)).collect();
        let dict = Dictionary::from_counts(&counts);
        let query = "xbcde ".repeat(10);
        let (_, corrections) = correct(&query, &dict, &|_| false).unwrap();
        let added: usize = corrections.iter().map(|c| c.to.len()).sum();
        assert!(added <= MAX_CORRECTION_TERMS, "{added}");
        assert!(corrections.len() < 10);
    }
}

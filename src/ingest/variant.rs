//! The "digital society" rewording: three rules, kept as a table, that rewrite a text the way
//! the WSIS+20 process page's "WSIS documents with a twist" does:
//! - information and communication(s) technology/technologies (and the acronym ICT/ICTs)
//!   becomes digital technology/technologies (`ICT` as a modifier, `ICT applications`,
//!   `ICT-related`, becomes `digital`);
//! - the prefix e- becomes digital (`e-health` → `digital health`);
//! - information society becomes digital society.
//!
//! Case and plural are kept. Proper names from the corpus's protected-names list ("World
//! Summit on the Information Society", "e-mail", …) are never changed, nor are excluded
//! ranges (lines a header names under `no-rewrite`). Each substitution is recorded with its
//! offsets so the page can show it.

use std::sync::LazyLock;

use regex::{Regex, RegexBuilder};

use crate::model::Substitution;

/// A rewritten text and what was changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rewrite {
    /// The digital-society text.
    pub text: String,
    /// The substitutions, in text order.
    pub substitutions: Vec<Substitution>,
}

/// The rewriter with its protected names, built once per corpus.
#[derive(Debug, Clone)]
pub struct Rewriter {
    protected: Option<Regex>,
}

/// How a rule's match is replaced.
#[derive(Clone, Copy)]
enum Replace {
    /// "information and communication technologies (ICTs)" → "digital technologies".
    Technologies,
    /// "ICTs" → "digital technologies".
    IctPlural,
    /// "ICT" → "digital technology" as a noun, "digital" as a modifier.
    Ict,
    /// "e-" → "digital ".
    EPrefix,
    /// "Information Society" → "Digital Society".
    Society,
}

/// The rules: a pattern and how its match is replaced.
static RULES: LazyLock<Vec<(Regex, Replace)>> = LazyLock::new(|| {
    let rule = |pattern: &str, replace| (RegexBuilder::new(pattern).build().unwrap(), replace);
    vec![
        // "information and communication technology (ICT)", "Information and Communications
        // Technologies"; not "information and communication infrastructure".
        rule(
            r"(?i)\binformation\s+and\s+communications?\s+technolog(?:y|ies)\b(?:\s*\(ICTs?\))?",
            Replace::Technologies,
        ),
        // "ICTs", "ICTsITU" (a table cell run into the next); not "ICTS" or "ICTsomething".
        rule(r"\bICTs", Replace::IctPlural),
        // "ICT applications", "ICT-related", "ICT for Development"; not "ICTs".
        rule(r"\bICT\b", Replace::Ict),
        // "e-commerce", "E-government"; not "e.g.", "one-", "eLAC".
        rule(r"\b[eE]-[A-Za-z]", Replace::EPrefix),
        // "information society", "Information Societies", "Information SocietyUNESCO" (a table
        // cell run into the next); not "information societal".
        rule(r"(?i)\binformation\s+societ(?:y|ies)", Replace::Society),
    ]
});

/// Words after which `ICT` is a noun ("ICT for Development", "knowledge and ICT in support").
const AFTER_NOUN: [&str; 27] = [
    "for", "in", "and", "or", "to", "as", "of", "with", "by", "at", "on", "is", "are", "was",
    "were", "has", "have", "can", "will", "should", "that", "which", "from", "into", "through",
    "within", "across",
];

impl Rewriter {
    /// A rewriter that keeps `protected` names (matched case-insensitively) as they are.
    pub fn new(protected: &[String]) -> Rewriter {
        let alternatives: Vec<String> = protected
            .iter()
            .map(|p| regex::escape(p.trim()))
            .filter(|p| !p.is_empty())
            .collect();
        let protected = (!alternatives.is_empty())
            .then(|| {
                RegexBuilder::new(&format!(r"\b(?:{})\b", alternatives.join("|")))
                    .case_insensitive(true)
                    .build()
                    .ok()
            })
            .flatten();
        Rewriter { protected }
    }

    /// Rewrites `text`, leaving protected names and the `excluded` byte ranges alone.
    /// Returns `None` when no rule changes anything.
    pub fn rewrite(&self, text: &str, excluded: &[(usize, usize)]) -> Option<Rewrite> {
        let mut keep: Vec<(usize, usize)> = excluded.to_vec();
        if let Some(protected) = &self.protected {
            keep.extend(protected.find_iter(text).map(|m| (m.start(), m.end())));
        }
        let mut matches: Vec<(usize, usize, String)> = Vec::new();
        for (pattern, replace) in RULES.iter() {
            for m in pattern.find_iter(text) {
                let overlaps = |(s, e): &(usize, usize)| m.start() < *e && *s < m.end();
                if keep.iter().any(overlaps) || matches.iter().any(|(s, e, _)| overlaps(&(*s, *e)))
                {
                    continue;
                }
                if let Some((end, after)) = replacement(text, m.start(), m.end(), *replace) {
                    matches.push((m.start(), end, after));
                }
            }
        }
        if matches.is_empty() {
            return None;
        }
        matches.sort_by_key(|m| m.0);
        let mut out = String::with_capacity(text.len());
        let mut substitutions = Vec::new();
        let mut at = 0;
        for (start, end, after) in matches {
            out.push_str(&text[at..start]);
            substitutions.push(Substitution {
                start,
                end,
                new_start: out.len(),
                before: text[start..end].to_string(),
                after: after.clone(),
            });
            out.push_str(&after);
            at = end;
        }
        out.push_str(&text[at..]);
        Some(Rewrite {
            text: out,
            substitutions,
        })
    }
}

/// The replacement of `text[start..end]` under `rule`, and where the replaced words end
/// (the e- rule matches one letter past the hyphen, which stays).
fn replacement(text: &str, start: usize, end: usize, rule: Replace) -> Option<(usize, String)> {
    let matched = &text[start..end];
    let words: Vec<&str> = matched.split_whitespace().collect();
    if !matches!(rule, Replace::EPrefix) && text[end..].starts_with(char::is_lowercase) {
        return None; // the match ends inside a word: "information societal"
    }
    let first = words.first().copied().unwrap_or("");
    let last = words
        .iter()
        .rev()
        .find(|w| !w.starts_with('('))
        .copied()
        .unwrap_or("");
    match rule {
        Replace::Technologies => {
            let noun = if last.to_lowercase().ends_with("ies") {
                "technologies"
            } else {
                "technology"
            };
            Some((
                end,
                format!("{} {}", case_like(first, "digital"), case_like(last, noun)),
            ))
        }
        Replace::IctPlural => {
            let glued = text[end..].starts_with(|c: char| c.is_lowercase());
            (!glued).then(|| {
                (
                    end,
                    format!("{} technologies", acronym_case(text, start, end, "digital")),
                )
            })
        }
        Replace::Ict => {
            let rest = &text[end..];
            let next_word: String = rest
                .trim_start()
                .chars()
                .take_while(|c| c.is_alphanumeric())
                .collect();
            let is_modifier = rest.starts_with('-')
                || (rest.starts_with(' ')
                    && !next_word.is_empty()
                    && !AFTER_NOUN.contains(&next_word.to_lowercase().as_str()));
            let digital = acronym_case(text, start, end, "digital");
            Some((
                end,
                if is_modifier {
                    digital
                } else {
                    format!("{digital} technology")
                },
            ))
        }
        Replace::EPrefix => Some((
            start + 2,
            format!("{} ", case_like(&matched[..1], "digital")),
        )),
        Replace::Society => {
            let noun = if last.to_lowercase().ends_with("ies") {
                "societies"
            } else {
                "society"
            };
            Some((
                end,
                format!("{} {}", case_like(first, "digital"), case_like(last, noun)),
            ))
        }
    }
}

/// `word` written in the case of `model`: `DIGITAL`, `Digital` or `digital`.
fn case_like(model: &str, word: &str) -> String {
    let letters: Vec<char> = model.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.len() > 1 && letters.iter().all(|c| c.is_uppercase()) {
        word.to_uppercase()
    } else if letters.first().is_some_and(|c| c.is_uppercase()) {
        capitalize(word)
    } else {
        word.to_string()
    }
}

/// The case for a word replacing an acronym: capitalised at the start of a sentence or
/// before a capitalised word ("ICT Applications" → "Digital Applications"), else lower case.
fn acronym_case(text: &str, start: usize, end: usize, word: &str) -> String {
    let before = text[..start].trim_end();
    let sentence_start = before.is_empty() || before.ends_with(['.', '!', '?', ':', '•']);
    let next_capital = text[end..]
        .strip_prefix(' ')
        .is_some_and(|r| r.starts_with(|c: char| c.is_uppercase()));
    if sentence_start || next_capital {
        capitalize(word)
    } else {
        word.to_string()
    }
}

fn capitalize(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rewriter() -> Rewriter {
        let names = [
            "World Summit on the Information Society",
            "UN Group on the Information Society",
            "Tunis Agenda for the Information Society",
            "e-mail",
            "eLAC",
        ];
        Rewriter::new(&names.map(String::from))
    }

    #[track_caller]
    fn check(original: &str, digital: &str) {
        let got = rewriter()
            .rewrite(original, &[])
            .map_or_else(|| original.to_string(), |r| r.text);
        assert_eq!(got, digital, "rewriting {original:?}");
    }

    /// The table of issue 3, with the seeds' own phrases.
    #[test]
    fn issue_3_rewrite_table() {
        let table = [
            (
                "Information and Communications Technologies",
                "Digital Technologies",
            ),
            (
                "information and communication technology (ICT)",
                "digital technology",
            ),
            (
                "information and communication technologies (ICTs) for sustainable development",
                "digital technologies for sustainable development",
            ),
            (
                "including ICTs, into national development policies",
                "including digital technologies, into national development policies",
            ),
            (
                "maintain ICT-related issues",
                "maintain digital-related issues",
            ),
            (
                "mainstream ICT applications",
                "mainstream digital applications",
            ),
            (
                "mainstream ICT for Development issues",
                "mainstream digital technology for Development issues",
            ),
            (
                "e-commerce, E-government, e-waste",
                "digital commerce, Digital government, digital waste",
            ),
            (
                "the Information Society Agenda",
                "the Digital Society Agenda",
            ),
            (
                "an inclusive information society",
                "an inclusive digital society",
            ),
            ("INFORMATION SOCIETIES", "DIGITAL SOCIETIES"),
            (
                "the UN Group on the Information Society, eLAC, e.g. the domain name system",
                "the UN Group on the Information Society, eLAC, e.g. the domain name system",
            ),
            (
                "World Summit on the Information Society (WSIS)",
                "World Summit on the Information Society (WSIS)",
            ),
            (
                "send an e-mail to one- or two-person teams",
                "send an e-mail to one- or two-person teams",
            ),
            ("C7. ICT Applications", "C7. Digital Applications"),
            (
                "in the use of ICTsITU",
                "in the use of digital technologiesITU",
            ),
            (
                "knowledge and ICT in support of development",
                "knowledge and digital technology in support of development",
            ),
            ("ICTs are tools", "Digital technologies are tools"),
            (
                "Ethical dimensions of the Information SocietyUNESCO",
                "Ethical dimensions of the Digital SocietyUNESCO",
            ),
            (
                "an information societal change, ICTsomething",
                "an information societal change, ICTsomething",
            ),
        ];
        for (original, digital) in table {
            check(original, digital);
        }
    }

    #[test]
    fn substitutions_carry_offsets_into_both_texts() {
        let original = "Use ICTs and e-health.";
        let rewrite = rewriter().rewrite(original, &[]).unwrap();
        assert_eq!(rewrite.text, "Use digital technologies and digital health.");
        for s in &rewrite.substitutions {
            assert_eq!(&original[s.start..s.end], s.before);
            assert_eq!(
                &rewrite.text[s.new_start..s.new_start + s.after.len()],
                s.after
            );
        }
        assert_eq!(rewrite.substitutions.len(), 2);
    }

    #[test]
    fn excluded_ranges_stay() {
        let text = "E- is replaced with digital. Use e-health.";
        let rewrite = rewriter().rewrite(text, &[(0, 28)]).unwrap();
        assert_eq!(
            rewrite.text,
            "E- is replaced with digital. Use digital health."
        );
    }

    #[test]
    fn unchanged_text_has_no_rewrite() {
        assert_eq!(rewriter().rewrite("Internet governance", &[]), None);
    }
}

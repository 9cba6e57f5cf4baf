//! The acronym glossary, built at indexing from the sources' own definitions ("Internet
//! Governance Forum (IGF)", "UN Group on the Information Society (UNGIS)"), so that a search
//! for either form finds both. An expansion is accepted only when the initials of its words
//! (all the letters of a word in capitals, such as "UN") spell the acronym; small words
//! ("on", "the", "for", "and", "of") are skipped.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use regex::Regex;

/// Acronym → expansion, as the sources define them (the first definition wins).
pub type Glossary = BTreeMap<String, String>;

/// Words an expansion may hold without giving an initial.
const SMALL: [&str; 8] = ["of", "on", "the", "for", "and", "in", "to", "&"];

/// A run of words ending just before a parenthesised acronym: `… Forum (IGF)`.
static DEFINITION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"((?:[\w&’'-]+\s+){1,9})\(([A-Z][A-Za-z]{1,7})\)").unwrap());

/// Finds the acronyms `texts` define.
#[cfg(test)]
pub fn build<'a>(texts: impl IntoIterator<Item = &'a str>) -> Glossary {
    let mut glossary = Glossary::new();
    for text in texts {
        add_definitions(&mut glossary, text);
    }
    glossary
}

/// Adds the acronyms `text` defines to `glossary` (an acronym already there keeps its first
/// definition).
pub fn add_definitions(glossary: &mut Glossary, text: &str) {
    for caps in DEFINITION.captures_iter(text) {
        let acronym = &caps[2];
        if acronym.chars().filter(char::is_ascii_uppercase).count() < 2 {
            continue;
        }
        let words: Vec<&str> = caps[1].split_whitespace().collect();
        if let Some(expansion) = expansion_of(acronym, &words) {
            glossary.entry(acronym.to_string()).or_insert(expansion);
        }
    }
}

/// The shortest run of `words`, ending at the last, whose initials spell `acronym`.
fn expansion_of(acronym: &str, words: &[&str]) -> Option<String> {
    let target = acronym.to_uppercase();
    for start in (0..words.len()).rev() {
        let run = &words[start..];
        if SMALL.contains(&run[0].to_lowercase().as_str()) {
            continue;
        }
        let initials: String = run
            .iter()
            .filter(|w| !SMALL.contains(&w.to_lowercase().as_str()))
            .map(|w| {
                let all_caps = w.len() > 1 && w.chars().all(|c| c.is_ascii_uppercase());
                if all_caps {
                    w.to_string()
                } else {
                    w.chars()
                        .next()
                        .map(|c| c.to_uppercase().to_string())
                        .unwrap_or_default()
                }
            })
            .collect();
        if initials == target {
            return Some(run.join(" "));
        }
        if initials.len() > target.len() {
            return None;
        }
    }
    None
}

/// The other forms of the acronyms and expansions found in `text`: "IGF" adds "Internet
/// Governance Forum", and the other way round.
pub fn other_forms(glossary: &Glossary, text: &str) -> Vec<String> {
    let lower = text.to_lowercase();
    let mut forms = Vec::new();
    for (acronym, expansion) in glossary {
        let has_acronym = text
            .split(|c: char| !c.is_alphanumeric())
            .any(|w| w == acronym);
        let has_expansion = lower.contains(&expansion.to_lowercase());
        if has_acronym && !has_expansion {
            forms.push(expansion.clone());
        } else if has_expansion && !has_acronym {
            forms.push(acronym.clone());
        }
    }
    forms
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn definitions_whose_initials_spell_the_acronym() {
        let glossary = build([
            "the birth of the Internet Governance Forum (IGF); and a UN Group on the Information Society (UNGIS) was set up",
            "the Commission on Science and Technology for Development (CSTD) and the Economic and Social Council (ECOSOC)",
            "a Working Group on Internet Governance (WGIG) met; roles (a)",
        ]);
        let pairs: Vec<String> = glossary.iter().map(|(a, e)| format!("{a}={e}")).collect();
        assert_eq!(
            pairs,
            [
                "CSTD=Commission on Science and Technology for Development",
                "IGF=Internet Governance Forum",
                "UNGIS=UN Group on the Information Society",
                "WGIG=Working Group on Internet Governance"
            ]
        );
    }

    #[test]
    fn other_forms_go_both_ways() {
        let glossary = build(["the Internet Governance Forum (IGF)"]);
        assert_eq!(
            other_forms(&glossary, "Full mandate of the IGF"),
            ["Internet Governance Forum"]
        );
        assert_eq!(
            other_forms(&glossary, "the internet governance forum met"),
            ["IGF"]
        );
        assert!(other_forms(&glossary, "the IGFs").is_empty());
    }
}

//! Typo tolerance. A word of the query that matches nothing in the index is replaced by the
//! closest words of the corpus: within one edit from five letters, two from nine (as
//! Meilisearch does; an edit is a letter added, dropped, changed, or two neighbours swapped).
//! A word that matches anything is never replaced, so an exact match always ranks above a
//! corrected one: corrected hits appear only where no exact one exists.
//!
//! The index holds stems, so the candidates come from a dictionary of the surface words of the
//! corpus (lower-cased, accents folded), written beside the index at build time as
//! [`DICTIONARY_FILE`]: one `word<TAB>count` a line, sorted. A build without it (made before
//! typo tolerance) searches exactly.

use std::path::Path;

use rustc_hash::FxHashMap;
use tantivy::tokenizer::{TextAnalyzer, TokenStream};

use crate::error::{Error, Result};

/// The dictionary's file name in a build folder.
pub const DICTIONARY_FILE: &str = "words.tsv";
/// The most words one query's corrections may add, in all: each corrected word becomes an
/// `OR` of its candidates, and the query stays within this many extra terms.
pub const MAX_CORRECTION_TERMS: usize = 8;
/// The most candidates one word is replaced by (the most frequent at the least distance).
pub const MAX_CANDIDATES: usize = 3;
/// The shortest word corrected, in letters.
pub(crate) const MIN_LETTERS: usize = 5;
/// From this many letters, two edits are allowed.
const TWO_EDITS_FROM: usize = 9;

/// The surface words of a build, with how often each occurs.
#[derive(Debug, Default)]
pub struct Dictionary {
    words: Vec<(String, u32)>,
    /// The [`letter_set`] of each word.
    letters: Vec<u64>,
}

/// The analyzer of surface words: the index's words, lower-cased and folded, not stemmed.
fn surface_analyzer() -> TextAnalyzer {
    crate::index::unstemmed_words().build()
}

/// The surface words of the texts seen so far, counted: a build's dictionary being made.
pub struct WordCounts {
    counts: FxHashMap<String, u32>,
    analyzer: TextAnalyzer,
}

impl Default for WordCounts {
    fn default() -> WordCounts {
        WordCounts {
            counts: FxHashMap::default(),
            analyzer: surface_analyzer(),
        }
    }
}

impl WordCounts {
    /// Counts the words of `text`: letters only, three or more.
    pub fn add(&mut self, text: &str) {
        let counts = &mut self.counts;
        self.analyzer.token_stream(text).process(&mut |t| {
            if t.text.len() >= 3 && t.text.chars().all(char::is_alphabetic) {
                // Most words were seen before: looked up by reference, copied only when new.
                match counts.get_mut(&t.text) {
                    Some(n) => *n += 1,
                    None => {
                        counts.insert(t.text.clone(), 1);
                    }
                }
            }
        });
    }

    /// Writes the dictionary to `path` (`word<TAB>count` lines, in order).
    pub fn write(self, path: &Path) -> Result<()> {
        let mut counts: Vec<(String, u32)> = self.counts.into_iter().collect();
        counts.sort_unstable();
        let mut out = String::new();
        for (word, count) in counts {
            out.push_str(&format!("{word}\t{count}\n"));
        }
        std::fs::write(path, out).map_err(Error::io(path))
    }
}

impl Dictionary {
    /// A dictionary of these words and counts, most frequent first.
    #[cfg(test)]
    pub(crate) fn from_counts(words: &[(&str, u32)]) -> Dictionary {
        Dictionary::of(words.iter().map(|(w, n)| (w.to_string(), *n)).collect())
    }

    fn of(words: Vec<(String, u32)>) -> Dictionary {
        let letters = words.iter().map(|(w, _)| letter_set(w)).collect();
        Dictionary { words, letters }
    }

    /// Reads the dictionary at `path`; `None` when the build has none or it cannot be read.
    pub fn load(path: &Path) -> Option<Dictionary> {
        let text = std::fs::read_to_string(path).ok()?;
        let words = text
            .lines()
            .filter_map(|line| {
                let (word, count) = line.split_once('\t')?;
                Some((word.to_string(), count.parse().ok()?))
            })
            .collect();
        Some(Dictionary::of(words))
    }

    /// The closest words to `word` (lower-cased) within its edit allowance, most frequent
    /// first, at most `most`; none for a word shorter than five letters.
    pub fn closest(&self, word: &str, most: usize) -> Vec<String> {
        let lowered = word.to_lowercase();
        let word: Vec<char> = lowered.chars().collect();
        let allowed = match word.len() {
            n if n >= TWO_EDITS_FROM => 2,
            n if n >= MIN_LETTERS => 1,
            _ => return Vec::new(),
        };
        let letters = letter_set(&lowered);
        let mut best: Vec<(usize, u32, &str)> = Vec::new();
        let mut chars = Vec::new();
        for ((candidate, count), &set) in self.words.iter().zip(&self.letters) {
            if !letters_allow(letters, set, allowed) {
                continue;
            }
            chars.clear();
            chars.extend(candidate.chars());
            if chars.len().abs_diff(word.len()) > allowed {
                continue;
            }
            if let Some(d) = edit_distance(&word, &chars, allowed) {
                best.push((d, *count, candidate));
            }
        }
        let Some(least) = best.iter().map(|b| b.0).min() else {
            return Vec::new();
        };
        best.retain(|b| b.0 == least);
        best.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.2.cmp(b.2)));
        best.into_iter()
            .take(most)
            .map(|(_, _, w)| w.to_string())
            .collect()
    }
}

/// The letters of `word` as bits: a to z one each, any other character one of the rest by
/// its code. Two characters that share a bit only make the set say less.
fn letter_set(word: &str) -> u64 {
    word.chars().fold(0, |set, c| {
        let bit = match c {
            'a'..='z' => c as u32 - 'a' as u32,
            _ => 26 + c as u32 % 38,
        };
        set | 1 << bit
    })
}

/// Whether two words with these [`letter_set`]s can be within `allowed` edits: a letter that
/// one has and the other lacks takes an edit of its own. A quick test before
/// [`edit_distance`].
fn letters_allow(a: u64, b: u64, allowed: usize) -> bool {
    let lacking = |x: u64, y: u64| (x & !y).count_ones() as usize;
    lacking(a, b) <= allowed && lacking(b, a) <= allowed
}

/// The edit distance of `a` and `b` (optimal string alignment: a swap of neighbours is one
/// edit), or `None` past `limit`.
fn edit_distance(a: &[char], b: &[char], limit: usize) -> Option<usize> {
    let width = b.len() + 1;
    let mut before: Vec<usize> = vec![0; width];
    let mut prev: Vec<usize> = (0..width).collect();
    let mut cur: Vec<usize> = vec![0; width];
    for i in 1..=a.len() {
        cur[0] = i;
        for j in 1..width {
            let mut v = (prev[j - 1] + usize::from(a[i - 1] != b[j - 1]))
                .min(prev[j] + 1)
                .min(cur[j - 1] + 1);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(before[j - 2] + 1);
            }
            cur[j] = v;
        }
        if cur.iter().min().is_some_and(|&m| m > limit) {
            return None;
        }
        std::mem::swap(&mut before, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    let d = prev[b.len()];
    (d <= limit).then_some(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distances_count_swaps_as_one() {
        let d = |a: &str, b: &str| {
            let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
            edit_distance(&a, &b, 3)
        };
        assert_eq!(d("goverance", "governance"), Some(1));
        assert_eq!(d("fourm", "forum"), Some(1));
        assert_eq!(d("forum", "forum"), Some(0));
        assert_eq!(d("multistakholder", "multistakeholder"), Some(1));
        assert_eq!(d("abcdef", "ghijkl"), None);
    }

    #[test]
    fn the_letter_sets_never_rule_out_a_word_within_the_allowance() {
        let alphabet = ['a', 'b', 'c', 'é', 'ü'];
        let words: Vec<Vec<char>> = (0..alphabet.len().pow(4))
            .map(|n| {
                (0..4)
                    .map(|i| alphabet[n / alphabet.len().pow(i) % 5])
                    .collect()
            })
            .collect();
        let set = |w: &[char]| letter_set(&w.iter().collect::<String>());
        let mut ruled_out = 0;
        for a in &words {
            for b in &words {
                let allowed = letters_allow(set(a), set(b), 2);
                assert!(allowed || edit_distance(a, b, 2).is_none(), "{a:?} {b:?}");
                ruled_out += usize::from(!allowed);
            }
        }
        assert!(ruled_out > 0, "the test rules nothing out");
    }

    #[test]
    fn the_allowance_grows_with_the_word() {
        let dict = Dictionary::from_counts(&[
            ("governance", 30),
            ("governed", 2),
            ("forum", 20),
            ("forms", 5),
            ("internet", 50),
            ("cooperation", 9),
        ]);
        let table: &[(&str, &[&str])] = &[
            ("goverance", &["governance"]),
            ("Goverance", &["governance"]),
            ("fourm", &["forum"]),
            ("form", &[]),
            ("intrenet", &["internet"]),
            ("intenret", &["internet"]),
            ("iternet", &["internet"]),
            ("coopperatoin", &["cooperation"]),
            ("cooperatoinn", &["cooperation"]),
            ("coperatoinn", &[]),
            ("zzzzzz", &[]),
        ];
        for (word, expected) in table {
            assert_eq!(&dict.closest(word, MAX_CANDIDATES), expected, "{word}");
        }
    }
}

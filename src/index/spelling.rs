//! Spellings of one word that the analyzer cannot tie together: compounds written solid,
//! hyphenated or spaced (`multistakeholder`, `multi-stakeholder`, `multi stakeholder`;
//! the 2005 texts write one, the 2015 and 2025 texts the other), and the British and American
//! spellings of the corpus's table (`programme`/`program`).
//!
//! A record that holds any spelling of a group is indexed with every spelling of the group in
//! its `aliases` field, as Elasticsearch's `word_delimiter_graph` with `catenate_words` adds
//! the joined word beside the parts. The text fields keep the words as written, so phrases
//! through a compound ("multi-stakeholder approach") still work with the word pairs; a search
//! for any one spelling finds the records of all of them.
//!
//! The compounds are the hyphenated words of the records themselves, found at indexing; the
//! table is the corpus file [`TABLE_FILE`], one group a line, its spellings separated by
//! spaces or tabs.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::LazyLock;

use regex::Regex;
use rustc_hash::FxHashMap;
use tantivy::tokenizer::{TextAnalyzer, TokenStream};

use crate::error::{Error, Result};

/// The spelling-variants table's file name inside the corpus directory (not a `.txt`, so
/// the corpus does not read it as a document).
pub const TABLE_FILE: &str = "spelling-variants.tsv";

/// A hyphenated word: parts of letters and digits joined by hyphens.
static COMPOUND: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[\p{Alphabetic}\p{Nd}]+(?:[-‐‑][\p{Alphabetic}\p{Nd}]+)+").unwrap()
});

/// Reads the spelling-variants table at `path`; no file is an empty table. A line names the
/// spellings of one word; `#` starts a comment line.
pub fn load_table(path: &Path) -> Result<Vec<Vec<String>>> {
    if !path.exists() {
        return Ok(Vec::new());
    }
    let text = std::fs::read_to_string(path).map_err(Error::io(path))?;
    let mut groups = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let words: Vec<String> = line.split_whitespace().map(str::to_lowercase).collect();
        if words.len() < 2 {
            return Err(Error::CorpusFormat {
                path: path.to_path_buf(),
                line: i + 1,
                msg: format!("a line names two spellings or more, not {line:?}"),
            });
        }
        groups.push(words);
    }
    Ok(groups)
}

/// The hyphenated words of `text` as written (`multi-stakeholder`, `20-year`); compounds of
/// digits only (page ranges such as `247-309`) are left out.
pub fn compounds(text: &str) -> impl Iterator<Item = &str> {
    COMPOUND
        .find_iter(text)
        .map(|m| m.as_str())
        .filter(|w| w.chars().any(char::is_alphabetic))
}

/// The solid and spaced spellings of a hyphenated word: `multistakeholder`,
/// `multi stakeholder`.
pub fn solid_and_spaced(compound: &str) -> [String; 2] {
    let lower = compound.to_lowercase();
    let parts: Vec<&str> = lower.split(['-', '‐', '‑']).collect();
    [parts.concat(), parts.join(" ")]
}

/// The groups of spellings of a build, and how to find them in a text.
pub struct Spellings {
    /// Each group's spellings, as written.
    groups: Vec<Vec<String>>,
    /// The analysed words of each spelling, by its first word: (words, group).
    by_first: FxHashMap<String, Vec<(Vec<String>, usize)>>,
    analyzer: TextAnalyzer,
    /// The analysed words of the text [`Spellings::other_forms`] last looked at: the first
    /// `words_len` of them, their strings kept from text to text.
    words: Vec<String>,
    words_len: usize,
}

/// The hyphenated words of the texts seen so far, each as its solid and its spaced spelling:
/// what [`Spellings::from_compounds`] makes groups of.
#[derive(Debug, Default)]
pub struct Compounds(BTreeSet<[String; 2]>);

impl Compounds {
    /// Adds the compounds of `text`.
    pub fn add(&mut self, text: &str) {
        self.0.extend(compounds(text).map(solid_and_spaced));
    }
}

impl Spellings {
    /// The groups of the hyphenated words of `texts` and of the `table`'s lines.
    pub fn new<'a>(texts: impl IntoIterator<Item = &'a str>, table: &[Vec<String>]) -> Spellings {
        let mut found = Compounds::default();
        for text in texts {
            found.add(text);
        }
        Spellings::from_compounds(found, table)
    }

    /// The groups of the `found` compounds and of the `table`'s lines.
    pub fn from_compounds(found: Compounds, table: &[Vec<String>]) -> Spellings {
        let groups: Vec<Vec<String>> = found
            .0
            .into_iter()
            .map(Vec::from)
            .chain(table.iter().cloned())
            .collect();
        let mut analyzer = crate::index::build_analyzer();
        let mut by_first: FxHashMap<String, Vec<(Vec<String>, usize)>> = FxHashMap::default();
        for (group, spellings) in groups.iter().enumerate() {
            for spelling in spellings {
                let words = analysed_words(&mut analyzer, spelling);
                if let Some(first) = words.first() {
                    by_first
                        .entry(first.clone())
                        .or_default()
                        .push((words, group));
                }
            }
        }
        Spellings {
            groups,
            by_first,
            analyzer,
            words: Vec::new(),
            words_len: 0,
        }
    }

    /// Every spelling of each group that `text` holds a spelling of, after analysis (so
    /// `Multi-Stakeholder` and `multistakeholders` count), each once.
    pub fn other_forms(&mut self, text: &str) -> Vec<String> {
        if self.by_first.is_empty() {
            return Vec::new();
        }
        self.analyse(text);
        let words = &self.words[..self.words_len];
        let mut groups = BTreeSet::new();
        for (at, word) in words.iter().enumerate() {
            for (spelling, group) in self.by_first.get(word).into_iter().flatten() {
                if words[at..].starts_with(spelling) {
                    groups.insert(*group);
                }
            }
        }
        groups
            .into_iter()
            .flat_map(|g| self.groups[g].iter().cloned())
            .collect()
    }

    /// Analyses `text` into the first `words_len` of `words`, reusing their strings.
    fn analyse(&mut self, text: &str) {
        let (words, len) = (&mut self.words, &mut self.words_len);
        *len = 0;
        self.analyzer.token_stream(text).process(&mut |t| {
            match words.get_mut(*len) {
                Some(word) => {
                    word.clear();
                    word.push_str(&t.text);
                }
                None => words.push(t.text.clone()),
            }
            *len += 1;
        });
    }
}

/// The words of `text` after the index's analysis.
fn analysed_words(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut words = Vec::new();
    analyzer
        .token_stream(text)
        .process(&mut |t| words.push(t.text.clone()));
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hyphenated_words_are_found_with_their_solid_and_spaced_spellings() {
        let found: Vec<&str> =
            compounds("A multi-stakeholder, follow‑up 20-year review; pages 247-309.").collect();
        assert_eq!(found, ["multi-stakeholder", "follow‑up", "20-year"]);
        assert_eq!(
            solid_and_spaced("E-Government"),
            ["egovernment".to_string(), "e government".to_string()]
        );
    }

    #[test]
    fn a_text_with_any_spelling_gets_every_spelling_of_its_group() {
        let table = vec![vec!["programme".to_string(), "program".to_string()]];
        let mut spellings = Spellings::new(["the multi-stakeholder model"], &table);
        let both = ["multistakeholder", "multi stakeholder"];
        let table_rows: &[(&str, &[&str])] = &[
            ("Multistakeholder cooperation", &both),
            ("multi-stakeholder cooperation", &both),
            ("a multi stakeholder forum", &both),
            ("Multi-Stakeholders", &both),
            ("the work programmes", &["programme", "program"]),
            ("a program", &["programme", "program"]),
            ("multi and stakeholder apart", &[]),
            ("nothing here", &[]),
        ];
        for (text, expected) in table_rows {
            assert_eq!(&spellings.other_forms(text), expected, "{text}");
        }
    }

    #[test]
    fn the_table_needs_two_spellings_a_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(TABLE_FILE);
        std::fs::write(&path, "# comment\nprogramme program\n\ncolour\n").unwrap();
        let err = load_table(&path).unwrap_err().to_string();
        assert!(err.contains(":4:") && err.contains("colour"), "{err}");
        std::fs::write(&path, "Programme\tprogram\n").unwrap();
        assert_eq!(load_table(&path).unwrap(), [["programme", "program"]]);
        assert!(load_table(&dir.path().join("absent")).unwrap().is_empty());
    }
}

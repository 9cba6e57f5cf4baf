//! The names by which text and citations refer to documents, read from their headers.

use regex::{Regex, RegexBuilder};

use super::DocMeta;

/// The names by which text and citations refer to official documents: short names,
/// aliases, symbols and titles from the manifest and the corpus headers, never from code.
#[derive(Debug, Clone, Default)]
pub struct DocNames {
    /// (lower-cased name, document id), longest name first.
    names: Vec<(String, String)>,
    /// The names two documents or more share (lower-cased name, one of its documents), which
    /// name a document only with another of its names after them.
    shared: Vec<(String, String)>,
    /// The names that denote a document in running text, as one pattern.
    pattern: Option<Regex>,
}

impl DocNames {
    /// The names of `docs`.
    pub fn new<'a>(docs: impl IntoIterator<Item = &'a DocMeta>) -> DocNames {
        let mut names: Vec<(String, String)> = docs
            .into_iter()
            .flat_map(|m| m.names().map(|n| (n.to_lowercase(), m.id.clone())))
            .collect();
        names.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.cmp(b)));
        names.dedup();
        // A name two documents share (the WSIS+10 and WSIS+20 outcomes have one title) names
        // neither: it is dropped rather than resolved to the first.
        let shared: Vec<String> = names
            .windows(2)
            .filter(|w| w[0].0 == w[1].0)
            .map(|w| w[0].0.clone())
            .collect();
        let (shared, names): (Vec<_>, Vec<_>) =
            names.into_iter().partition(|(n, _)| shared.contains(n));
        let running: Vec<String> = names
            .iter()
            .filter(|(n, _)| n.contains(' ') || n.contains('/'))
            .map(|(n, _)| regex::escape(n))
            .collect();
        let pattern = (!running.is_empty())
            .then(|| {
                RegexBuilder::new(&running.join("|"))
                    .case_insensitive(true)
                    .build()
                    .ok()
            })
            .flatten();
        DocNames {
            names,
            shared,
            pattern,
        }
    }

    /// The longest name `input` starts with (case-insensitive, ending at a word boundary),
    /// as (bytes of `input` it takes, document id).
    pub fn prefix<'a>(&'a self, input: &str) -> Option<(usize, &'a str)> {
        let lower = input.to_lowercase();
        if lower.len() != input.len() {
            return None;
        }
        self.names.iter().find_map(|(name, id)| {
            let rest = lower.strip_prefix(name.as_str())?;
            let bounded =
                !(rest.starts_with(char::is_alphanumeric) && name.ends_with(char::is_alphanumeric));
            (bounded && is_lowered_prefix(input, name.len(), name))
                .then_some((name.len(), id.as_str()))
        })
    }

    /// [`DocNames::prefix`], and a name two documents share when another name of one of them
    /// follows it after a comma, as a full citation writes the title and then the symbol
    /// ("Outcome document of the high-level meeting …, A/RES/70/125").
    pub fn prefix_or_shared<'a>(&'a self, input: &str) -> Option<(usize, &'a str)> {
        let unique = self.prefix(input);
        let lower = input.to_lowercase();
        if lower.len() != input.len() {
            return unique;
        }
        let shared = self.shared.iter().find_map(|(name, id)| {
            let after = lower.strip_prefix(name.as_str())?.strip_prefix(", ")?;
            let (len, named) = self.prefix(after).filter(|&(_, named)| named == id)?;
            let total = name.len() + 2 + len;
            is_lowered_prefix(input, total, &lower[..total]).then_some((total, named))
        });
        match (unique, shared) {
            (Some(u), Some(s)) if s.0 > u.0 => Some(s),
            (None, s) => s,
            (u, _) => u,
        }
    }

    /// The documents' short names, for messages: "Tunis Agenda (TA), …".
    pub fn short_list(&self) -> String {
        let mut ids: Vec<&str> = self.names.iter().map(|(_, id)| id.as_str()).collect();
        ids.sort();
        ids.dedup();
        ids.join(", ")
    }

    /// The document `name` names, with an optional leading "the" ignored.
    pub fn resolve(&self, name: &str) -> Option<&str> {
        let name = name.trim().to_lowercase();
        let name = name.strip_prefix("the ").unwrap_or(&name);
        self.names
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, id)| id.as_str())
    }

    /// Mentions of documents in `text` by a name that denotes a document in running text:
    /// one of two words or more, or a symbol (`A/RES/70/125`); bare abbreviations ("TA",
    /// "WSIS+10") are left out. Returns (start, end, id), in text order, not overlapping.
    pub fn mentions(&self, text: &str) -> Vec<(usize, usize, &str)> {
        let Some(pattern) = &self.pattern else {
            return Vec::new();
        };
        pattern
            .find_iter(text)
            .filter(|m| {
                let before = text[..m.start()].chars().next_back();
                let after = text[m.end()..].chars().next();
                !before.is_some_and(char::is_alphanumeric)
                    && !after.is_some_and(char::is_alphanumeric)
            })
            .filter_map(|m| Some((m.start(), m.end(), self.resolve(m.as_str())?)))
            .collect()
    }
}

/// Whether the first `len` bytes of `input` are a whole text that lower-cases to `lower`: the
/// byte offsets of a lower-cased text are the original's only when no letter changed its
/// length, which the check of the whole length alone does not tell (one letter may grow as
/// another shrinks).
fn is_lowered_prefix(input: &str, len: usize, lower: &str) -> bool {
    input
        .get(..len)
        .is_some_and(|prefix| prefix.to_lowercase() == lower)
}

//! Snippets: a window of a hit's text around its first match, cut at word boundaries
//! (unicode-segmentation), HTML-escaped, with the words that match the query in `<mark>`
//! and "…" where the text was cut. A word matches when its analysis (the index's analyzer:
//! case, accents, look-alike letters, stem) is one of the query's terms on the text field; the
//! words of an exact phrase, where they stand in a row, the whole phrase.
//! Only words that could match (the first letters of a term or of a phrase's first word) are
//! analysed, and the words after a phrase's word, so a snippet costs little more than a scan
//! of the text.

use std::collections::HashSet;
use std::ops::Range;

use rustc_hash::FxHashMap;
use tantivy::query::Query;
use tantivy::schema::Field;
use tantivy::tokenizer::{TextAnalyzer, TokenStream};
use unicode_segmentation::UnicodeSegmentation;

use crate::index::words::ASCII_WORD_BYTE;
use crate::search::rewrite::Marking;

/// Characters of text a snippet shows.
pub const SNIPPET_CHARS: usize = 240;
/// Characters shown before the first match, when the text is cut.
const LEAD_CHARS: usize = 60;

/// Finds a query's words in texts and writes snippets.
pub struct Highlighter {
    /// The query's words, marked wherever they stand.
    terms: HashSet<String>,
    /// The forms of its word prefixes: a word whose stem starts with one is marked.
    prefixes: Vec<String>,
    /// The words of its exact phrases (analysed), its phrases (by index in `phrase_words`),
    /// and the pairs of words next to each other in them: a phrase's words are marked where
    /// the whole phrase stands.
    phrase_words: Vec<PhraseWord>,
    phrases: Phrases,
    /// The first three bytes of each term and of each phrase's first word (fewer for a
    /// shorter one): an ASCII word that starts with none of these, ignoring case, starts no
    /// match and is not analysed unless it follows a phrase's word (stemming changes only the
    /// ends of words).
    heads: Vec<Vec<u8>>,
    /// The bytes an ASCII word that could match starts with.
    first_bytes: FirstBytes,
    analyzer: TextAnalyzer,
    /// What each word analysed so far is: the hits of a page share most words.
    analysed: FxHashMap<String, Found>,
}

/// A word of a query's phrases: a stem, or the prefix that a phrase prefix's last word is.
#[derive(Debug, Clone, PartialEq, Eq)]
struct PhraseWord {
    word: String,
    prefix: bool,
}

/// What a word of a text is to the query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Found {
    /// Whether it is one of its words, marked wherever it stands.
    term: bool,
    /// Its index in [`Highlighter::phrase_words`], when it is a word of a phrase.
    in_phrase: Option<u32>,
}

impl Found {
    const NOTHING: Found = Found {
        term: false,
        in_phrase: None,
    };
}

/// A query's exact phrases, as words (indices in [`Highlighter::phrase_words`]), and the
/// pairs of words that stand next to each other in them.
#[derive(Default)]
struct Phrases {
    phrases: Vec<Vec<u32>>,
    pairs: HashSet<(u32, u32)>,
    /// For each word, whether a word follows it in some phrase.
    followed: Vec<bool>,
}

impl Phrases {
    fn is_empty(&self) -> bool {
        self.phrases.is_empty()
    }

    /// Whether `found` is a word of a phrase that another word of it follows.
    fn goes_on_after(&self, found: Found) -> bool {
        found.in_phrase.is_some_and(|w| self.followed[w as usize])
    }

    /// Whether `next` follows `word` in some phrase.
    fn follows(&self, word: Found, next: Found) -> bool {
        matches!((word.in_phrase, next.in_phrase), (Some(w), Some(n)) if self.pairs.contains(&(w, n)))
    }
}

impl Highlighter {
    /// A highlighter for the terms `query` looks for in the text `field` and what `marking`
    /// says of it (its exact phrases, its prefixes, its excluded words), analysed by
    /// `analyzer`. A phrase answered from word pairs ([`crate::index::pairs`]) is marked from
    /// `marking`; a word the query looks for at a position (a phrase's) is marked on its own
    /// only when it is no word of an exact phrase (a phrase with `~N`).
    pub fn new(
        query: &dyn Query,
        field: Field,
        mut analyzer: TextAnalyzer,
        marking: &Marking,
    ) -> Highlighter {
        let mut terms = HashSet::new();
        let mut positioned = HashSet::new();
        query.query_terms(&mut |term, at_a_position| {
            let value = term.value();
            let Some(text) = value.as_str().filter(|_| term.field() == field) else {
                return;
            };
            if marking.excluded_words.iter().any(|w| w == text) {
                return;
            }
            match at_a_position {
                true => positioned.insert(text.to_string()),
                false => terms.insert(text.to_string()),
            };
        });
        let mut phrase_words: Vec<PhraseWord> = Vec::new();
        let mut phrases = Phrases::default();
        for phrase in &marking.text_phrases {
            let mut words = Vec::new();
            analyzer
                .token_stream(&phrase.words)
                .process(&mut |token| words.push(token.text.clone()));
            if words.len() < 2 {
                continue;
            }
            let last = words.len() - 1;
            let ids: Vec<u32> = words
                .into_iter()
                .enumerate()
                .map(|(at, word)| {
                    let word = PhraseWord {
                        word,
                        prefix: phrase.prefix && at == last,
                    };
                    match phrase_words.iter().position(|w| *w == word) {
                        Some(at) => at as u32,
                        None => {
                            phrase_words.push(word);
                            phrase_words.len() as u32 - 1
                        }
                    }
                })
                .collect();
            phrases
                .pairs
                .extend(ids.windows(2).map(|pair| (pair[0], pair[1])));
            phrases.phrases.push(ids);
        }
        terms.extend(
            positioned
                .into_iter()
                .filter(|w| !phrase_words.iter().any(|p| p.word == *w)),
        );
        phrases.followed = (0..phrase_words.len() as u32)
            .map(|w| phrases.pairs.iter().any(|&(first, _)| first == w))
            .collect();
        // A scan stops at the query's words and the first words of its phrases; the words
        // after a phrase's first word are looked at where it stands.
        let first_words = phrases
            .phrases
            .iter()
            .map(|p| &phrase_words[p[0] as usize].word);
        let mut heads: Vec<Vec<u8>> = terms
            .iter()
            .chain(first_words)
            .chain(&marking.prefixes)
            .map(|t| t.as_bytes()[..t.len().min(3)].to_vec())
            .collect();
        heads.sort_unstable();
        heads.dedup();
        let first_bytes = FirstBytes::of(&heads);
        Highlighter {
            terms,
            prefixes: marking.prefixes.clone(),
            phrase_words,
            phrases,
            heads,
            first_bytes,
            analyzer,
            analysed: FxHashMap::default(),
        }
    }

    /// Byte ranges of the words of `text` that match.
    #[cfg(test)]
    pub fn matches(&mut self, text: &str) -> Vec<Range<usize>> {
        self.matches_until(text, text.len(), usize::MAX)
    }

    /// Byte ranges of matching words starting before `until`, at most `most` of them.
    fn matches_until(&mut self, text: &str, until: usize, most: usize) -> Vec<Range<usize>> {
        if self.terms.is_empty() && self.prefixes.is_empty() && self.phrases.is_empty() {
            return Vec::new();
        }
        let mut marks = Marks::default();
        if has_only_ascii_words(text) {
            self.ascii_matches_until(text, until, most, &mut marks);
        } else {
            // The phrase word just found, when a word of the phrase may come next.
            let mut going_on: Option<Found> = None;
            let mut check = |start: usize, word: &str| {
                let candidate =
                    !word.is_ascii() || going_on.is_some() || self.starts_with_a_head(word);
                going_on = None;
                if candidate {
                    let was = self.analysed(word);
                    if was != Found::NOTHING {
                        marks.push(start..start + word.len(), was, text, &self.phrases);
                        going_on = self.phrases.goes_on_after(was).then_some(was);
                    }
                }
                marks.count < most
            };
            for_each_word(text, until, &mut check);
        }
        marks.into_ranges(most, &self.phrases)
    }

    /// [`Highlighter::matches_until`] for a text whose words are all ASCII: a scan of its
    /// bytes for the first bytes of the heads, in which only a word that starts with one is
    /// looked at.
    fn ascii_matches_until(&mut self, text: &str, until: usize, most: usize, marks: &mut Marks) {
        let bytes = text.as_bytes();
        let until = until.min(bytes.len());
        let mut i = 0;
        while marks.count < most {
            let Some(start) = self.first_bytes.next_in(bytes, i, until) else {
                break;
            };
            // First bytes are ASCII letters and digits: `start` is in a word, and `start`
            // and `end` are character boundaries.
            let mut end = start + 1;
            while end < bytes.len() && ASCII_WORD_BYTE[bytes[end] as usize] {
                end += 1;
            }
            let starts_a_word = start == 0 || !ASCII_WORD_BYTE[bytes[start - 1] as usize];
            let word = &text[start..end];
            i = end;
            if starts_a_word && self.starts_with_a_head(word) {
                let was = self.analysed(word);
                if was != Found::NOTHING {
                    marks.push(start..end, was, text, &self.phrases);
                    i = self.ascii_phrase_after(text, end, until, was, marks);
                }
            }
        }
    }

    /// Pushes the words after `was` (ending at `from`) that go on a phrase, word by word;
    /// where the scan goes on.
    fn ascii_phrase_after(
        &mut self,
        text: &str,
        mut from: usize,
        until: usize,
        mut was: Found,
        marks: &mut Marks,
    ) -> usize {
        let bytes = text.as_bytes();
        while self.phrases.goes_on_after(was) {
            let mut start = from;
            while start < until && !ASCII_WORD_BYTE[bytes[start] as usize] {
                start += 1;
            }
            if start >= until {
                break;
            }
            let mut end = start + 1;
            while end < bytes.len() && ASCII_WORD_BYTE[bytes[end] as usize] {
                end += 1;
            }
            let next = self.analysed(&text[start..end]);
            if !self.phrases.follows(was, next) {
                break;
            }
            marks.push(start..end, next, text, &self.phrases);
            (from, was) = (end, next);
        }
        from
    }

    /// Whether the ASCII `word` starts with one of the heads, ignoring case.
    fn starts_with_a_head(&self, word: &str) -> bool {
        self.first_bytes.table[word.as_bytes()[0] as usize]
            && self
                .heads
                .iter()
                .any(|h| starts_with_ignoring_case(word, h))
    }

    /// What `word` is to the query, by its analysis.
    fn analysed(&mut self, word: &str) -> Found {
        if let Some(&known) = self.analysed.get(word) {
            return known;
        }
        let mut stream = self.analyzer.token_stream(word);
        let found = if stream.advance() {
            let stem = &stream.token().text;
            let exact = self
                .phrase_words
                .iter()
                .position(|w| !w.prefix && w.word == *stem);
            let in_phrase = exact.or_else(|| {
                self.phrase_words
                    .iter()
                    .position(|w| w.prefix && stem.starts_with(w.word.as_str()))
            });
            Found {
                term: self.terms.contains(stem)
                    || self.prefixes.iter().any(|p| stem.starts_with(p.as_str())),
                in_phrase: in_phrase.map(|at| at as u32),
            }
        } else {
            Found::NOTHING
        };
        self.analysed.insert(word.to_string(), found);
        found
    }

    /// The snippet of `text`: escaped, matches marked, cut to about [`SNIPPET_CHARS`].
    /// The words up to the end of the window are looked at once: those up to the first
    /// match, then those after it in the window.
    pub fn snippet(&mut self, text: &str) -> String {
        if !self.phrases.is_empty() {
            // A phrase's word is told by its neighbours: the window's matches in one scan.
            let first = self.matches_until(text, text.len(), 1).pop();
            let (start, end) = window(text, first.as_ref().map_or(0, |m| m.start));
            // The window starts on a word boundary before the first match (see `window`).
            let shown: Vec<_> = match first {
                Some(_) => self
                    .matches_until(&text[start..end], end - start, usize::MAX)
                    .into_iter()
                    .map(|m| m.start + start..m.end + start)
                    .collect(),
                None => Vec::new(),
            };
            return marked(text, start, end, &shown);
        }
        let first = self.matches_until(text, text.len(), 1).pop();
        let (start, end) = window(text, first.as_ref().map_or(0, |m| m.start));
        let mut matches = Vec::new();
        // The window starts before the first match (see `window`), so no word before it in
        // the window matches, nor is the match itself the cut tail of a word.
        if let Some(first) = first.filter(|m| m.end <= end) {
            let rest = &text[first.end..end];
            let after = first.end;
            matches.push(first);
            let later = self.matches_until(rest, rest.len(), usize::MAX);
            matches.extend(later.into_iter().map(|m| m.start + after..m.end + after));
        }
        marked(text, start, end, &matches)
    }
}

/// The words a scan found that match, and which of them are marked: every word of the query,
/// and the words of a phrase where the whole phrase stands (nothing but spaces and
/// punctuation between its words), told when the run of phrase words it is in ends.
#[derive(Default)]
struct Marks {
    ranges: Vec<Range<usize>>,
    marked: Vec<bool>,
    /// The run of phrase words just scanned, each next to the one before it in some phrase:
    /// (index in `ranges`, word).
    run: Vec<(usize, u32)>,
    /// How many are marked.
    count: usize,
}

impl Marks {
    /// Adds a word of `text` that is `found` to the query; marks it if it is one of its words,
    /// and marks the phrases in the run of phrase words it ends.
    fn push(&mut self, range: Range<usize>, found: Found, text: &str, phrases: &Phrases) {
        if phrases.is_empty() {
            // Every word found is one of the query's words.
            self.ranges.push(range);
            self.count += 1;
            return;
        }
        let continues = match (self.run.last(), found.in_phrase) {
            (Some(&(before, before_word)), Some(word)) => {
                phrases.pairs.contains(&(before_word, word))
                    && !text[self.ranges[before].end..range.start].contains(char::is_alphanumeric)
            }
            _ => false,
        };
        if !continues {
            self.end_run(phrases);
        }
        if let Some(word) = found.in_phrase {
            self.run.push((self.ranges.len(), word));
        }
        self.count += usize::from(found.term);
        self.ranges.push(range);
        self.marked.push(found.term);
    }

    /// Marks the words of each phrase that stands whole in the run, and starts a new run.
    fn end_run(&mut self, phrases: &Phrases) {
        if self.run.len() < 2 {
            self.run.clear();
            return;
        }
        for phrase in &phrases.phrases {
            for at in 0..(self.run.len() + 1).saturating_sub(phrase.len()) {
                let window = &self.run[at..at + phrase.len()];
                if !window
                    .iter()
                    .map(|&(_, word)| word)
                    .eq(phrase.iter().copied())
                {
                    continue;
                }
                for &(index, _) in window {
                    if !self.marked[index] {
                        self.marked[index] = true;
                        self.count += 1;
                    }
                }
            }
        }
        self.run.clear();
    }

    /// The marked words, at most `most`.
    fn into_ranges(mut self, most: usize, phrases: &Phrases) -> Vec<Range<usize>> {
        if phrases.is_empty() {
            return self.ranges;
        }
        self.end_run(phrases);
        self.ranges
            .into_iter()
            .zip(self.marked)
            .filter_map(|(range, marked)| marked.then_some(range))
            .take(most)
            .collect()
    }
}

/// `text[start..end]`, HTML-escaped, with `matches` in `<mark>` and "…" where it is cut.
fn marked(text: &str, start: usize, end: usize, matches: &[Range<usize>]) -> String {
    let mut html = String::with_capacity(end - start + 64);
    if start > 0 {
        html.push('…');
    }
    let mut at = start;
    for range in matches {
        push_escaped(&mut html, &text[at..range.start]);
        html.push_str("<mark>");
        push_escaped(&mut html, &text[range.clone()]);
        html.push_str("</mark>");
        at = range.end;
    }
    push_escaped(&mut html, &text[at..end]);
    if end < text.len() {
        html.push('…');
    }
    html
}

/// The first bytes of a highlighter's heads that are ASCII letters or digits, in both cases,
/// and how to find the next one in a text.
struct FirstBytes {
    table: [bool; 256],
    /// Each first byte in lower case (ASCII `| 0x20`) in all eight bytes of a word, when there
    /// are at most [`MOST_LANES`]: eight bytes of text are then looked at in one go.
    lanes: Option<Vec<u64>>,
}

/// The most first bytes (ignoring case) that are searched for eight bytes at a time.
const MOST_LANES: usize = 4;

const ONES: u64 = u64::from_ne_bytes([0x01; 8]);

impl FirstBytes {
    fn of(heads: &[Vec<u8>]) -> FirstBytes {
        let mut table = [false; 256];
        let mut lower: Vec<u8> = Vec::new();
        for &b in heads.iter().filter_map(|head| head.first()) {
            if ASCII_WORD_BYTE[b as usize] {
                table[b.to_ascii_lowercase() as usize] = true;
                table[b.to_ascii_uppercase() as usize] = true;
                lower.push(b | 0x20);
            }
        }
        lower.sort_unstable();
        lower.dedup();
        let lanes =
            (lower.len() <= MOST_LANES).then(|| lower.iter().map(|&b| ONES * b as u64).collect());
        FirstBytes { table, lanes }
    }

    /// The first byte of `bytes[from..until]` that is a first byte, if any.
    fn next_in(&self, bytes: &[u8], mut from: usize, until: usize) -> Option<usize> {
        loop {
            if let Some(lanes) = &self.lanes {
                while from + 8 <= until {
                    let word: [u8; 8] = bytes[from..from + 8].try_into().unwrap_or_default();
                    // `| 0x20` makes ASCII letters lower case (other bytes may become a first
                    // byte's lower case too: they are then looked at one by one below).
                    let lowered = u64::from_le_bytes(word) | (ONES * 0x20);
                    if lanes.iter().any(|&lane| has_zero_byte(lowered ^ lane)) {
                        break;
                    }
                    from += 8;
                }
            }
            let end = (from + 8).min(until);
            if let Some(at) = bytes
                .get(from..end)?
                .iter()
                .position(|&b| self.table[b as usize])
            {
                return Some(from + at);
            }
            if end >= until {
                return None;
            }
            from = end;
        }
    }
}

/// Whether any of the eight bytes of `word` is zero.
fn has_zero_byte(word: u64) -> bool {
    word.wrapping_sub(ONES) & !word & (ONES * 0x80) != 0
}

/// Whether every word of `text` (run of letters and digits) is ASCII: any other character,
/// such as a curly quote, is not part of a word.
fn has_only_ascii_words(text: &str) -> bool {
    text.is_ascii() || text.chars().all(|c| c.is_ascii() || !c.is_alphanumeric())
}

/// Whether `word` starts with the lower-case ASCII bytes `head`, ignoring case.
fn starts_with_ignoring_case(word: &str, head: &[u8]) -> bool {
    word.len() >= head.len() && word.as_bytes()[..head.len()].eq_ignore_ascii_case(head)
}

/// Calls `visit` with each word of `text` (as the index's tokenizer sees them: runs of
/// letters and digits) that starts before `until`, while it returns true. (A text whose words
/// are all ASCII is scanned by [`Highlighter::ascii_matches_until`] instead.)
fn for_each_word(text: &str, until: usize, visit: &mut dyn FnMut(usize, &str) -> bool) {
    let mut start = None;
    for (i, c) in text.char_indices().chain([(text.len(), ' ')]) {
        match (start, c.is_alphanumeric()) {
            (None, true) if i < until => start = Some(i),
            (None, true) => return,
            (Some(s), false) => {
                start = None;
                if !visit(s, &text[s..i]) {
                    return;
                }
            }
            _ => {}
        }
    }
}

/// The byte range of the window: from a word boundary about [`LEAD_CHARS`] before `focus`
/// (or the start) to a word boundary about [`SNIPPET_CHARS`] further.
fn window(text: &str, focus: usize) -> (usize, usize) {
    let nth_char = |from: usize, n: usize| nth_char_after(text, from, n);
    if nth_char(0, SNIPPET_CHARS).is_none() {
        return (0, text.len());
    }
    let lead_start = nth_char_before(text, focus, LEAD_CHARS + 1).unwrap_or(0);
    let start = if lead_start == 0 {
        0
    } else {
        boundary_near(text, lead_start, true)
    };
    let end = match nth_char(start, SNIPPET_CHARS) {
        Some(cut) => boundary_near(text, cut, false),
        None => text.len(),
    };
    (start, end.max(start))
}

/// The byte offset of the `n`th character of `text` from byte `from` (0: `from` itself), if
/// there are that many; among ASCII bytes, without decoding them.
fn nth_char_after(text: &str, from: usize, n: usize) -> Option<usize> {
    match text.as_bytes().get(from..=from + n) {
        Some(ascii) if ascii.is_ascii() => Some(from + n),
        _ => text[from..].char_indices().nth(n).map(|(i, _)| from + i),
    }
}

/// The byte offset of the `n`th character of `text` back from byte `before` (1: the one
/// just before it), if there are that many; among ASCII bytes, without decoding them.
fn nth_char_before(text: &str, before: usize, n: usize) -> Option<usize> {
    match before
        .checked_sub(n)
        .map(|start| &text.as_bytes()[start..before])
    {
        Some(ascii) if ascii.is_ascii() => Some(before - n),
        _ => text[..before]
            .char_indices()
            .rev()
            .nth(n.checked_sub(1)?)
            .map(|(i, _)| i),
    }
}

/// The word boundary (UAX #29) nearest `at` looking forward (`forward`) or back, within a
/// few dozen bytes; `at` itself when none is found. Among ASCII text a word starts after
/// white space, as UAX #29 has it, and the bytes are scanned directly.
fn boundary_near(text: &str, at: usize, forward: bool) -> usize {
    if let Some(found) = ascii_boundary_near(text, at, forward) {
        return found;
    }
    let floor = |mut i: usize| {
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let lo = floor(at.saturating_sub(32));
    let hi = floor((at + 32).min(text.len()));
    let bounds = text[lo..hi]
        .split_word_bound_indices()
        .map(|(i, w)| (lo + i, w));
    let starts: Vec<usize> = bounds
        .filter(|(_, w)| !w.trim().is_empty())
        .map(|(i, _)| i)
        .collect();
    let pick = if forward {
        starts.iter().find(|&&i| i >= at)
    } else {
        starts.iter().rev().find(|&&i| i <= at)
    };
    match (pick, forward) {
        (Some(&i), true) => i,
        (Some(&i), false) => text[..i].trim_end().len(),
        (None, _) => at,
    }
}

/// [`boundary_near`] for an ASCII neighbourhood: the start of the word after white space.
fn ascii_boundary_near(text: &str, at: usize, forward: bool) -> Option<usize> {
    let bytes = text.as_bytes();
    let (lo, hi) = (at.saturating_sub(32), (at + 32).min(bytes.len()));
    if !bytes[lo..hi].is_ascii() {
        return None;
    }
    let starts_word = |i: usize| {
        i > 0
            && i < bytes.len()
            && bytes[i - 1].is_ascii_whitespace()
            && !bytes[i].is_ascii_whitespace()
    };
    if forward {
        (at..hi).find(|&i| starts_word(i))
    } else {
        (lo..=at)
            .rev()
            .find(|&i| starts_word(i))
            .map(|i| text[..i].trim_end().len())
    }
}

/// Appends `text` to `out` escaped for HTML (`&`, `<`, `>`, `"` and `'`), copying the runs
/// between the escaped bytes whole and passing over sixteen bytes at a time where none is.
fn push_escaped(out: &mut String, text: &str) {
    let bytes = text.as_bytes();
    let (mut at, mut i) = (0, 0);
    while i < bytes.len() {
        if let Some(chunk) = bytes.get(i..i + 16)
            && !chunk.iter().fold(false, |any, &b| any | is_html_special(b))
        {
            i += 16;
            continue;
        }
        if let Some(entity) = html_entity(bytes[i]) {
            // The escaped bytes are ASCII: `at`, `i` and `i + 1` are character boundaries.
            out.push_str(&text[at..i]);
            out.push_str(entity);
            at = i + 1;
        }
        i += 1;
    }
    out.push_str(&text[at..]);
}

/// Whether `byte` is escaped for HTML (a test the compiler can make on sixteen bytes at once).
fn is_html_special(byte: u8) -> bool {
    (byte == b'&') | (byte == b'<') | (byte == b'>') | (byte == b'"') | (byte == b'\'')
}

/// The entity `byte` is escaped as in HTML; None for a byte that needs none.
fn html_entity(byte: u8) -> Option<&'static str> {
    Some(match byte {
        b'&' => "&amp;",
        b'<' => "&lt;",
        b'>' => "&gt;",
        b'"' => "&quot;",
        b'\'' => "&#39;",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::rewrite::TextPhrase;
    use tantivy::Term;
    use tantivy::query::{BooleanQuery, PhrasePrefixQuery, PhraseQuery, TermQuery};
    use tantivy::schema::{IndexRecordOption, Schema, TEXT};

    #[test]
    fn first_bytes_are_found_as_a_byte_by_byte_scan_finds_them() {
        let mut seed = 7u64;
        let mut next = move |n: usize| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as usize % n
        };
        let alphabet = b"aAbBcCdDeExyz019 .,;-'`@[{\x01";
        for heads in [
            &["a"][..],
            &["ab", "b1"],
            &["a", "b", "c", "d"],
            &["a", "b", "c", "d", "e"],
            &["9"],
        ] {
            let heads: Vec<Vec<u8>> = heads.iter().map(|h| h.as_bytes().to_vec()).collect();
            let first = FirstBytes::of(&heads);
            for _ in 0..200 {
                let text: Vec<u8> = (0..next(40))
                    .map(|_| alphabet[next(alphabet.len())])
                    .collect();
                for until in 0..=text.len() {
                    for from in 0..=until {
                        let naive = text[from..until]
                            .iter()
                            .position(|b| heads.iter().any(|h| h[0].eq_ignore_ascii_case(b)))
                            .map(|at| from + at);
                        assert_eq!(
                            first.next_in(&text, from, until),
                            naive,
                            "{text:?} {from}..{until}"
                        );
                    }
                }
            }
        }
    }

    /// What a query with the exact `phrases` marks (a phrase prefix ends with `*`).
    fn marking(phrases: &[&str]) -> Marking {
        Marking {
            text_phrases: phrases
                .iter()
                .map(|p| TextPhrase {
                    words: p.trim_end_matches('*').to_string(),
                    prefix: p.ends_with('*'),
                })
                .collect(),
            excluded_words: Vec::new(),
            prefixes: Vec::new(),
        }
    }

    /// A highlighter for the query `build` makes of a text field's terms, and `marking`.
    fn highlighter_for<Q: Query>(
        build: impl FnOnce(&dyn Fn(&str) -> Term) -> Q,
        marking: &Marking,
    ) -> Highlighter {
        let mut builder = Schema::builder();
        let field = builder.add_text_field("text", TEXT);
        let query = build(&|text: &str| Term::from_field_text(field, text));
        Highlighter::new(&query, field, crate::index::analyzer(), marking)
    }

    fn highlighter(terms: &[&str]) -> Highlighter {
        phrase_highlighter(terms, &[])
    }

    /// A highlighter for `terms` (looked up as words) and the exact `phrases`.
    fn phrase_highlighter(terms: &[&str], phrases: &[&str]) -> Highlighter {
        let words = |word: &dyn Fn(&str) -> Term| {
            let queries = terms
                .iter()
                .map(|t| {
                    Box::new(TermQuery::new(word(t), IndexRecordOption::Basic)) as Box<dyn Query>
                })
                .collect();
            BooleanQuery::union(queries)
        };
        highlighter_for(words, &marking(phrases))
    }

    #[test]
    fn a_phrases_words_are_marked_where_they_stand_together_only() {
        // Two phrases, "internet governance" and "governance forum", and a word on its own.
        let mut h = phrase_highlighter(&["lamp"], &["internet governance", "Governance Forum"]);
        assert_eq!(
            h.snippet("A forum on internet governance. The Internet, Governance Forum; lamps."),
            "A forum on <mark>internet</mark> <mark>governance</mark>. The <mark>Internet</mark>, \
             <mark>Governance</mark> <mark>Forum</mark>; <mark>lamps</mark>."
        );
        // A phrase's word on its own, or next to a word of another pair's order, is not marked.
        assert_eq!(h.snippet("forum internet"), "forum internet");
        let unicode = h.snippet("Le forum: «internet governance» – né à Tunis.");
        assert_eq!(
            unicode,
            "Le forum: «<mark>internet</mark> <mark>governance</mark>» – né à Tunis."
        );
    }

    #[test]
    fn a_longer_phrase_is_marked_only_where_it_stands_whole() {
        // "internet governance forum", and a word on its own.
        let mut h = phrase_highlighter(&["lamp"], &["Internet Governance Forum"]);
        assert_eq!(
            h.snippet("Internet governance, and a forum; the Internet Governance Forum: lamps."),
            "Internet governance, and a forum; the <mark>Internet</mark> <mark>Governance</mark> \
             <mark>Forum</mark>: <mark>lamps</mark>."
        );
        // The same in a text with other letters than ASCII's (another scan).
        assert_eq!(
            h.snippet("Internet governance, and a forum; the Internet Governance Forum: né."),
            "Internet governance, and a forum; the <mark>Internet</mark> <mark>Governance</mark> \
             <mark>Forum</mark>: né."
        );
        assert_eq!(
            h.snippet("governance forum internet governance"),
            "governance forum internet governance"
        );
        // The phrase twice in a row.
        assert_eq!(
            h.snippet("internet governance forum internet governance forums"),
            "<mark>internet</mark> <mark>governance</mark> <mark>forum</mark> \
             <mark>internet</mark> <mark>governance</mark> <mark>forums</mark>"
        );
        // A phrase's word that is also a word of the query is marked alone and in the phrase.
        let mut h = phrase_highlighter(&["forum"], &["internet governance forum"]);
        assert_eq!(
            h.snippet("A forum on internet governance; the internet governance forum."),
            "A <mark>forum</mark> on internet governance; the <mark>internet</mark> \
             <mark>governance</mark> <mark>forum</mark>."
        );
        // Two phrases that meet at a word are two phrases, each marked where it stands.
        let mut h = phrase_highlighter(&[], &["internet governance forum", "forum secretariat"]);
        assert_eq!(
            h.snippet("The forum secretariat of the internet governance forum."),
            "The <mark>forum</mark> <mark>secretariat</mark> of the <mark>internet</mark> \
             <mark>governance</mark> <mark>forum</mark>."
        );
    }

    #[test]
    fn a_phrase_prefix_is_marked_where_its_words_and_a_word_it_starts_stand() {
        // `"digital div"*`: its first word, then any word whose stem starts with `div`.
        let mut h = highlighter_for(
            |word| PhrasePrefixQuery::new(vec![word("digit"), word("div")]),
            &marking(&["digital div*"]),
        );
        assert_eq!(
            h.snippet("A digital potential; the digital divides widen, digital dividends too."),
            "A digital potential; the <mark>digital</mark> <mark>divides</mark> widen, \
             <mark>digital</mark> <mark>dividends</mark> too."
        );
    }

    #[test]
    fn a_word_prefix_marks_the_words_whose_stems_start_with_it() {
        let marking = Marking {
            prefixes: vec!["multistake".into(), "multistak".into()],
            ..marking(&[])
        };
        let mut h = highlighter_for(|_| BooleanQuery::union(Vec::new()), &marking);
        assert_eq!(
            h.snippet("Multistakeholder processes, and multi-stakeholder ones."),
            "<mark>Multistakeholder</mark> processes, and multi-stakeholder ones."
        );
    }

    #[test]
    fn a_phrase_looked_up_by_positions_marks_its_words_as_a_phrase() {
        // A build without word pairs: the phrase's words are terms at positions.
        let mut h = highlighter_for(
            |word| {
                let phrase = PhraseQuery::new(vec![word("digit"), word("divid")]);
                let near = PhraseQuery::new_with_offset_and_slop(
                    vec![(0, word("lamp")), (1, word("oil"))],
                    3,
                );
                BooleanQuery::union(vec![Box::new(phrase), Box::new(near)])
            },
            &marking(&["digital divide"]),
        );
        assert_eq!(
            h.snippet("A digital lamp, and the digital divide; oil."),
            "A digital <mark>lamp</mark>, and the <mark>digital</mark> <mark>divide</mark>; \
             <mark>oil</mark>."
        );
    }

    #[test]
    fn marks_words_by_their_stems_and_escapes_the_rest() {
        let mut h = highlighter(&["govern", "forum"]);
        assert_eq!(
            h.snippet("Governments & <b>Forums</b> met."),
            "<mark>Governments</mark> &amp; &lt;b&gt;<mark>Forums</mark>&lt;/b&gt; met."
        );
    }

    #[test]
    fn long_texts_are_cut_at_word_boundaries_around_the_first_match() {
        let text = format!(
            "{} the forum met {}",
            "alpha beta ".repeat(40),
            "gamma delta ".repeat(40)
        );
        let snippet = highlighter(&["forum"]).snippet(&text);
        assert!(
            snippet.starts_with('…') && snippet.ends_with('…'),
            "{snippet}"
        );
        assert!(snippet.contains("<mark>forum</mark>"));
        let inner = snippet.trim_matches('…');
        assert!(
            inner.starts_with("alpha") || inner.starts_with("beta"),
            "starts on a word: {inner}"
        );
        assert!(
            inner.ends_with("gamma") || inner.ends_with("delta"),
            "ends on a word: {inner}"
        );
        assert!(
            inner
                .replace("<mark>", "")
                .replace("</mark>", "")
                .chars()
                .count()
                <= SNIPPET_CHARS
        );
    }

    #[test]
    fn folded_and_lookalike_words_match() {
        let mut h = highlighter(&["ethic", "c1"]);
        assert_eq!(h.matches("Éthical С1 rules").len(), 2);
    }

    #[test]
    fn words_are_found_alike_whatever_characters_surround_them() {
        // Texts whose words are all ASCII (scanned byte by byte) and texts with accented words
        // (read word by word), with the same matches marked: not inside a word, any case, by
        // stem; the last two with a one-letter term's head inside a longer term's word.
        let governs: &[&str] = &["govern", "forum"];
        let develops: &[&str] = &["e", "develop"];
        for (terms, text, marked) in [
            (
                governs,
                "the forum’s governments",
                vec!["forum", "governments"],
            ),
            (governs, "ungoverned FORUMS, misgovern", vec!["FORUMS"]),
            (
                governs,
                "l’état governs the forums",
                vec!["governs", "forums"],
            ),
            (governs, "“Forum” — govern.", vec!["Forum", "govern"]),
            (
                develops,
                "development e-government",
                vec!["development", "e"],
            ),
            (develops, "l’état develops e", vec!["develops", "e"]),
        ] {
            let found: Vec<&str> = highlighter(terms)
                .matches(text)
                .into_iter()
                .map(|m| &text[m])
                .collect();
            assert_eq!(found, marked, "{text}");
        }
    }

    #[test]
    fn characters_are_counted_alike_in_ascii_and_other_text() {
        for text in ["abcdefgh", "aé中bc…d", "é中…", ""] {
            let chars: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
            for (k, &from) in chars.iter().enumerate() {
                for n in 0..10 {
                    assert_eq!(
                        nth_char_after(text, from, n),
                        chars.get(k + n).copied(),
                        "{text:?} {from} {n}"
                    );
                }
            }
            for before in chars.iter().copied().chain([text.len()]) {
                let k = chars.iter().filter(|&&i| i < before).count();
                for n in 1..10 {
                    let expected = (n <= k).then(|| chars[k - n]);
                    assert_eq!(
                        nth_char_before(text, before, n),
                        expected,
                        "{text:?} {before} {n}"
                    );
                }
            }
        }
    }

    #[test]
    fn escape() {
        assert_eq!(
            {
                let mut out = String::new();
                push_escaped(&mut out, "<script>&'\"");
                out
            },
            "&lt;script&gt;&amp;&#39;&quot;"
        );
        // Each escaped character at every offset of a sixteen-byte chunk and past it.
        for special in ['&', '<', '>', '"', '\'', 'é'] {
            for at in 0..=40 {
                let mut text = "abcdefghijklmnopqrstuvwxyz0123456789 .,;".to_string();
                text.insert(at, special);
                let mut out = String::new();
                push_escaped(&mut out, &text);
                let naive: String = text
                    .chars()
                    .map(|c| match c {
                        '&' => "&amp;".to_string(),
                        '<' => "&lt;".to_string(),
                        '>' => "&gt;".to_string(),
                        '"' => "&quot;".to_string(),
                        '\'' => "&#39;".to_string(),
                        c => c.to_string(),
                    })
                    .collect();
                assert_eq!(out, naive, "{text:?}");
            }
        }
    }
}

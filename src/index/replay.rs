//! The words a build's indexing thread has just made of a text, replayed when the same text
//! comes again. Every analysed field of a record is indexed twice from the same value, as
//! words and as word pairs ([`crate::index::pairs`]); tantivy indexes a record's fields in
//! the order of their ids (the analysed fields, then their pairs), on one thread. The words'
//! analysis records its tokens ([`Recorded`]); the pairs' analysis replays them when it is
//! given one of the last few texts ([`Replayed`]), instead of tokenizing, folding and
//! stemming the text again. The two chains before the pairs are the same, so the tokens are.

use std::cell::RefCell;

use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

/// How many of its last texts a thread remembers: a record has six analysed fields.
const RECENT_TEXTS: usize = 8;

thread_local! {
    static RECENT: RefCell<Recent> = RefCell::new(Recent::default());
}

/// The last texts analysed on this thread, with their tokens.
#[derive(Default)]
struct Recent {
    entries: Vec<Entry>,
    /// The entry the next recording overwrites.
    next: usize,
    /// The tokens of the last replays, given back for the next recordings to reuse (their
    /// strings' buffers with them).
    spare: Vec<Vec<Token>>,
}

/// One text and its tokens (buffers reused from text to text).
#[derive(Default)]
struct Entry {
    text: String,
    tokens: Vec<Token>,
    /// Whether `tokens` are all the text's tokens (a stream read to its end).
    complete: bool,
}

impl Recent {
    /// The entry to record the next text in, taken out.
    fn take_slot(&mut self) -> Entry {
        let mut slot = if self.entries.len() < RECENT_TEXTS {
            Entry::default()
        } else {
            self.entries.remove(self.next)
        };
        if slot.tokens.is_empty()
            && let Some(spare) = self.spare.pop()
        {
            slot.tokens = spare;
        }
        slot
    }

    fn put(&mut self, entry: Entry) {
        if self.entries.len() < RECENT_TEXTS {
            self.entries.push(entry);
        } else {
            self.entries.insert(self.next, entry);
            self.next = (self.next + 1) % RECENT_TEXTS;
        }
    }

    /// The tokens of `text`, taken out, when all of them were recorded (and there is one).
    fn take_tokens(&mut self, text: &str) -> Option<Vec<Token>> {
        let entry = self
            .entries
            .iter_mut()
            .find(|e| e.complete && !e.tokens.is_empty() && e.text == text)?;
        entry.complete = false;
        Some(std::mem::take(&mut entry.tokens))
    }
}

/// The filter that records the tokens of each text (put it last in the words' chain).
#[derive(Clone, Copy, Debug)]
pub struct Recorded;

impl TokenFilter for Recorded {
    type Tokenizer<T: Tokenizer> = Recording<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> Recording<T> {
        Recording { tokenizer }
    }
}

/// [`Recorded`] around a tokenizer.
#[derive(Clone)]
pub struct Recording<T> {
    tokenizer: T,
}

impl<T: Tokenizer> Tokenizer for Recording<T> {
    type TokenStream<'a> = RecordingStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        let mut entry = RECENT.with(|recent| recent.borrow_mut().take_slot());
        entry.text.clear();
        entry.text.push_str(text);
        entry.complete = false;
        RecordingStream {
            tail: self.tokenizer.token_stream(text),
            entry,
            recorded: 0,
        }
    }
}

/// The tokens of a text, recorded as they pass; given to this thread's recent texts when
/// dropped.
pub struct RecordingStream<S> {
    tail: S,
    entry: Entry,
    recorded: usize,
}

impl<S: TokenStream> TokenStream for RecordingStream<S> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            self.entry.tokens.truncate(self.recorded);
            self.entry.complete = true;
            return false;
        }
        let token = self.tail.token();
        match self.entry.tokens.get_mut(self.recorded) {
            Some(slot) => copy_token(token, slot),
            None => self.entry.tokens.push(token.clone()),
        }
        self.recorded += 1;
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        // A change made after recording would not be replayed: none of the chain's filters
        // comes after this one.
        self.tail.token_mut()
    }
}

/// Copies `token` into `slot`, reusing its text's buffer (`Token`'s derived `clone_from`
/// allocates a new one).
fn copy_token(token: &Token, slot: &mut Token) {
    // Every field named, so that a field tantivy adds is not left out unnoticed.
    let Token {
        offset_from,
        offset_to,
        position,
        text,
        position_length,
    } = token;
    slot.offset_from = *offset_from;
    slot.offset_to = *offset_to;
    slot.position = *position;
    slot.position_length = *position_length;
    slot.text.clear();
    slot.text.push_str(text);
}

impl<S> Drop for RecordingStream<S> {
    fn drop(&mut self) {
        let entry = std::mem::take(&mut self.entry);
        RECENT.with(|recent| recent.borrow_mut().put(entry));
    }
}

/// The filter that replays the recorded tokens of a recent text, or analyses it through the
/// chain it wraps when the text is not one of them.
#[derive(Clone, Copy, Debug)]
pub struct Replayed;

impl TokenFilter for Replayed {
    type Tokenizer<T: Tokenizer> = Replaying<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> Replaying<T> {
        Replaying { tokenizer }
    }
}

/// [`Replayed`] around a tokenizer.
#[derive(Clone)]
pub struct Replaying<T> {
    tokenizer: T,
}

impl<T: Tokenizer> Tokenizer for Replaying<T> {
    type TokenStream<'a> = ReplayStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        match RECENT.with(|recent| recent.borrow_mut().take_tokens(text)) {
            Some(tokens) => ReplayStream::Replay { tokens, next: 0 },
            None => ReplayStream::Live(self.tokenizer.token_stream(text)),
        }
    }
}

/// Recorded tokens, or the live analysis of a text that was not recorded.
pub enum ReplayStream<S> {
    /// The tokens of a recent text; `next` is one past the current one.
    Replay { tokens: Vec<Token>, next: usize },
    /// The wrapped chain's tokens.
    Live(S),
}

impl<S: TokenStream> TokenStream for ReplayStream<S> {
    fn advance(&mut self) -> bool {
        match self {
            ReplayStream::Replay { tokens, next } => {
                *next += 1;
                *next <= tokens.len()
            }
            ReplayStream::Live(tail) => tail.advance(),
        }
    }

    fn token(&self) -> &Token {
        match self {
            // A replay has at least one token; before the first and past the last `advance`,
            // the nearest one.
            ReplayStream::Replay { tokens, next } => &tokens[(*next).clamp(1, tokens.len()) - 1],
            ReplayStream::Live(tail) => tail.token(),
        }
    }

    fn token_mut(&mut self) -> &mut Token {
        match self {
            ReplayStream::Replay { tokens, next } => {
                let at = (*next).clamp(1, tokens.len()) - 1;
                &mut tokens[at]
            }
            ReplayStream::Live(tail) => tail.token_mut(),
        }
    }
}

impl<S> Drop for ReplayStream<S> {
    fn drop(&mut self) {
        if let ReplayStream::Replay { tokens, .. } = self {
            let tokens = std::mem::take(tokens);
            RECENT.with(|recent| {
                let mut recent = recent.borrow_mut();
                if recent.spare.len() < RECENT_TEXTS {
                    recent.spare.push(tokens);
                }
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::tokenizer::TextAnalyzer;

    fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<Token> {
        let mut out = Vec::new();
        analyzer
            .token_stream(text)
            .process(&mut |t| out.push(t.clone()));
        out
    }

    #[test]
    fn replayed_pairs_are_the_pairs_of_a_fresh_analysis() {
        let mut plain_pairs = crate::index::pairs_analyzer();
        let mut words = crate::index::build_analyzer();
        let mut pairs = crate::index::build_pairs_analyzer();
        let texts = [
            "The Tunis Agenda, para. 72(e): governments’ roles",
            "",
            "a",
            "Governments governing governance ÉCOLE école Σχολείο",
            "second text",
            "third text of the record",
        ];
        // A record's fields: every words analysis first, then every pairs analysis, as tantivy
        // indexes them; then a text the words analysis never saw.
        let words_of: Vec<Vec<Token>> = texts.iter().map(|t| tokens(&mut words, t)).collect();
        let recorded_whole = |text: &str| {
            RECENT.with(|r| {
                r.borrow()
                    .entries
                    .iter()
                    .any(|e| e.complete && !e.tokens.is_empty() && e.text == text)
            })
        };
        for (text, recorded) in texts.iter().zip(&words_of) {
            let expected = tokens(&mut plain_pairs, text);
            let waiting = recorded_whole(text);
            assert_eq!(waiting, !recorded.is_empty(), "{text:?} is recorded");
            let replayed = tokens(&mut pairs, text);
            assert!(
                !recorded_whole(text),
                "{text:?} was replayed (and so used up)"
            );
            let same = |a: &[Token], b: &[Token]| {
                a.len() == b.len()
                    && a.iter().zip(b).all(|(x, y)| {
                        (x.text.as_str(), x.position, x.offset_from, x.offset_to)
                            == (y.text.as_str(), y.position, y.offset_from, y.offset_to)
                    })
            };
            assert!(
                same(&replayed, &expected),
                "{text:?}: {replayed:?} / {expected:?}"
            );
            assert_eq!(
                recorded.len(),
                tokens(&mut crate::index::analyzer(), text).len()
            );
        }
        let unseen = "a text the words never saw";
        assert_eq!(
            tokens(&mut pairs, unseen).len(),
            tokens(&mut plain_pairs, unseen).len()
        );
    }
}

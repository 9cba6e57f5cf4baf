//! A query's time budget, enforced inside the search: [`BudgetQuery`] wraps a query so that
//! its scorer stops matching once the deadline passes, and says that it did. The search then
//! answers `query_too_expensive` rather than a page built from part of the matches.
//!
//! The check is made every [`CHECK_EVERY`] documents a scorer steps through (and on its first),
//! and on every hit offered to a pruning collector (top-k with block-max WAND), which is then
//! told that nothing more can compete, so it stops at once.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader, TERMINATED, Term};

/// Documents a scorer steps through between two looks at the clock.
pub const CHECK_EVERY: u32 = 1024;

/// A deadline shared by every scorer of one search, and whether one of them ran past it.
#[derive(Debug, Clone)]
pub struct Budget {
    deadline: Instant,
    allowed: Duration,
    spent: Arc<AtomicBool>,
}

impl Budget {
    /// A budget of `allowed` from now.
    pub fn starting_now(allowed: Duration) -> Budget {
        Budget {
            deadline: Instant::now() + allowed,
            allowed,
            spent: Arc::new(AtomicBool::new(false)),
        }
    }

    /// The time the search was allowed.
    pub fn allowed(&self) -> Duration {
        self.allowed
    }

    /// Whether the deadline has passed; once it has, the budget stays spent.
    pub fn is_spent(&self) -> bool {
        if self.spent.load(Ordering::Relaxed) {
            return true;
        }
        if Instant::now() >= self.deadline {
            self.spent.store(true, Ordering::Relaxed);
            return true;
        }
        false
    }

    /// Whether a scorer stopped because the deadline passed (without looking at the clock).
    pub fn ran_out(&self) -> bool {
        self.spent.load(Ordering::Relaxed)
    }
}

/// A query that matches what `inner` matches until its [`Budget`] is spent.
#[derive(Debug, Clone)]
pub struct BudgetQuery {
    inner: Arc<dyn Query>,
    budget: Budget,
}

impl BudgetQuery {
    /// Wraps `inner`.
    pub fn new(inner: Box<dyn Query>, budget: Budget) -> BudgetQuery {
        BudgetQuery {
            inner: Arc::from(inner),
            budget,
        }
    }
}

impl Query for BudgetQuery {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(BudgetWeight {
            inner: self.inner.weight(enable_scoring)?,
            budget: self.budget.clone(),
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.inner.query_terms(visitor);
    }
}

struct BudgetWeight {
    inner: Box<dyn Weight>,
    budget: Budget,
}

impl Weight for BudgetWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        if self.budget.is_spent() {
            return Ok(Box::new(tantivy::query::EmptyScorer));
        }
        Ok(Box::new(BudgetScorer {
            inner: self.inner.scorer(reader, boost)?,
            budget: self.budget.clone(),
            steps: 0,
            stopped: false,
        }))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.inner.explain(reader, doc)
    }

    fn for_each_pruning(
        &self,
        threshold: Score,
        reader: &SegmentReader,
        callback: &mut dyn FnMut(DocId, Score) -> Score,
    ) -> tantivy::Result<()> {
        if self.budget.is_spent() {
            return Ok(());
        }
        // The inner weight keeps its own pruning (block-max WAND); a spent budget raises the
        // threshold past any score, which ends it.
        self.inner
            .for_each_pruning(threshold, reader, &mut |doc, score| {
                if self.budget.is_spent() {
                    return Score::INFINITY;
                }
                callback(doc, score)
            })
    }
}

struct BudgetScorer {
    inner: Box<dyn Scorer>,
    budget: Budget,
    steps: u32,
    /// The budget ran out here: the scorer is at its end.
    stopped: bool,
}

impl BudgetScorer {
    /// Whether to stop here: every [`CHECK_EVERY`] steps, a look at the clock.
    fn out_of_time(&mut self) -> bool {
        self.steps = self.steps.wrapping_add(1);
        if !self.stopped && self.steps % CHECK_EVERY == 1 && self.budget.is_spent() {
            self.stopped = true;
        }
        self.stopped
    }
}

impl DocSet for BudgetScorer {
    fn advance(&mut self) -> DocId {
        if self.out_of_time() {
            return TERMINATED;
        }
        self.inner.advance()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.out_of_time() {
            return TERMINATED;
        }
        self.inner.seek(target)
    }

    fn doc(&self) -> DocId {
        if self.stopped {
            return TERMINATED;
        }
        self.inner.doc()
    }

    fn size_hint(&self) -> u32 {
        self.inner.size_hint()
    }

    fn cost(&self) -> u64 {
        self.inner.cost()
    }
}

impl Scorer for BudgetScorer {
    fn score(&mut self) -> Score {
        self.inner.score()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_budget_of_nothing_is_spent_at_the_first_look_and_stays_spent() {
        let budget = Budget::starting_now(Duration::ZERO);
        assert!(!budget.ran_out(), "not spent before anyone looks");
        assert!(budget.is_spent());
        assert!(budget.ran_out());
        let roomy = Budget::starting_now(Duration::from_secs(3600));
        assert!(!roomy.is_spent());
    }
}

//! Where searches run, and at most [`SearchPool::slots`] at a time.
//!
//! A search that looks cheap (not [`crate::search::looks_expensive`]) over a build of at most
//! [`INLINE_RECORDS`] records runs on the async worker that read its request ([`Lane::Inline`]):
//! it takes a few milliseconds at most (its count stops at [`crate::search::COUNT_CAP`] and
//! its top hits are pruned), less than the two thread switches of a hop to a blocking thread
//! and back, which halved the throughput at 2,000 and 100,000 records. Every other search runs
//! on tokio's blocking threads, never on the async workers that read requests and answer
//! `/healthz`.
//!
//! Every lane takes the same slots. A search that looks expensive ([`crate::search::looks_expensive`]:
//! prefixes, proximity, many words) takes a heavy slot as well, and there are half as many of
//! those, so expensive searches never hold every slot and a cheap one finds a free slot at
//! once. Cheap searches (inline or not) and expensive ones each have a queue of bounded length:
//! a request that finds its queue full is answered 503 at once, one that waits longer than
//! [`QUEUE_WAIT`] for a slot as well; both with `Retry-After`.

use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use super::error::ApiError;

/// How long a search waits for a free slot before a 503.
pub const QUEUE_WAIT: Duration = Duration::from_secs(2);

/// Requests of one lane that may wait for a slot, per slot: room for a few dozen busy
/// keep-alive clients, not for a flood.
pub const QUEUE_PER_SLOT: usize = 32;

/// The most records a build may hold for its cheap searches to run on the async workers
/// ([`Lane::Inline`]): the slowest cheap query of the benchmark's set took 3 ms at 100,000
/// records; past this size, such a search may hold a worker for tens of milliseconds.
pub const INLINE_RECORDS: usize = 250_000;

/// Where a search runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lane {
    /// On the async worker that read the request, holding a slot.
    Inline,
    /// On a blocking thread, holding a slot.
    Light,
    /// On a blocking thread, holding a slot and a heavy slot.
    Heavy,
}

impl Lane {
    /// The lane of a search that looks expensive or not (`heavy`) over a build of `records`.
    pub fn of(heavy: bool, records: usize) -> Lane {
        match (heavy, records <= INLINE_RECORDS) {
            (true, _) => Lane::Heavy,
            (false, true) => Lane::Inline,
            (false, false) => Lane::Light,
        }
    }
}

/// The search slots and their queues.
#[derive(Debug, Clone)]
pub struct SearchPool {
    /// Searches that may run at once.
    pub slots: Arc<Semaphore>,
    /// Of those, the expensive-looking ones: half the slots (at least one).
    pub heavy_slots: Arc<Semaphore>,
    /// Places in the queue of cheap searches.
    pub light_queue: Arc<Semaphore>,
    /// Places in the queue of expensive-looking searches.
    pub heavy_queue: Arc<Semaphore>,
}

impl SearchPool {
    /// A pool running at most `slots` searches at once.
    pub fn new(slots: usize) -> SearchPool {
        let slots = slots.max(1);
        SearchPool {
            slots: Arc::new(Semaphore::new(slots)),
            heavy_slots: Arc::new(Semaphore::new((slots / 2).max(1))),
            light_queue: Arc::new(Semaphore::new(slots * QUEUE_PER_SLOT)),
            heavy_queue: Arc::new(Semaphore::new(slots * QUEUE_PER_SLOT)),
        }
    }

    /// Runs `work` in its lane holding a slot (and a heavy slot in the heavy lane); 503 when
    /// the lane's queue is full or no slot frees up within [`QUEUE_WAIT`]. The slot is held
    /// until `work` returns, even when the request is abandoned meanwhile. A panic in `work`
    /// reaches the panic layer, which answers it.
    pub async fn run<T: Send + 'static>(
        &self,
        lane: Lane,
        work: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
    ) -> Result<T, ApiError> {
        let heavy = lane == Lane::Heavy;
        let queue = if heavy {
            &self.heavy_queue
        } else {
            &self.light_queue
        };
        let place = queue.clone().try_acquire_owned().map_err(|_| {
            ApiError::overloaded("too many searches are waiting; try again in a moment")
        })?;
        let until = Instant::now() + QUEUE_WAIT;
        let heavy_slot = match heavy {
            true => Some(wait_for(&self.heavy_slots, until).await?),
            false => None,
        };
        let slot = wait_for(&self.slots, until).await?;
        drop(place);
        if lane == Lane::Inline {
            let result = work();
            drop(slot);
            return result;
        }
        let running = tokio::task::spawn_blocking(move || {
            let result = work();
            drop((slot, heavy_slot));
            result
        });
        match running.await {
            Ok(result) => result,
            Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
            Err(e) => Err(ApiError::internal(e)),
        }
    }
}

/// A permit of `semaphore`, waited for until `until`; 503 past it.
async fn wait_for(
    semaphore: &Arc<Semaphore>,
    until: Instant,
) -> Result<OwnedSemaphorePermit, ApiError> {
    tokio::time::timeout_at(until.into(), semaphore.clone().acquire_owned())
        .await
        .map_err(|_| ApiError::overloaded("too many searches at once; try again in a moment"))?
        .map_err(ApiError::internal)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cheap_searches_of_small_builds_run_inline_and_the_rest_on_blocking_threads() {
        assert_eq!(Lane::of(false, 2_000), Lane::Inline);
        assert_eq!(Lane::of(false, INLINE_RECORDS), Lane::Inline);
        assert_eq!(Lane::of(false, INLINE_RECORDS + 1), Lane::Light);
        assert_eq!(Lane::of(true, 2_000), Lane::Heavy);
        assert_eq!(Lane::of(true, INLINE_RECORDS + 1), Lane::Heavy);
    }
}

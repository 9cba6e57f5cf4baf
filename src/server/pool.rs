//! Where searches run: on tokio's blocking threads, never on the async workers that read
//! requests and answer `/healthz`, and at most [`SearchPool::slots`] at a time.
//!
//! Two lanes share the slots. A search that looks expensive ([`crate::search::looks_expensive`]:
//! prefixes, proximity, many words) takes a heavy slot as well, and there are half as many of
//! those, so expensive searches never hold every slot and a cheap one finds a free slot at
//! once. Each lane has a queue of bounded length: a request that finds its lane's queue full
//! is answered 503 at once, one that waits longer than [`QUEUE_WAIT`] for a slot as well; both
//! with `Retry-After`.

use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use super::error::ApiError;

/// How long a search waits for a free slot before a 503.
pub const QUEUE_WAIT: Duration = Duration::from_secs(2);

/// Requests of one lane that may wait for a slot, per slot: room for a few dozen busy
/// keep-alive clients, not for a flood.
pub const QUEUE_PER_SLOT: usize = 32;

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

    /// Runs `work` on a blocking thread holding a slot (and a heavy slot when `heavy`); 503
    /// when the lane's queue is full or no slot frees up within [`QUEUE_WAIT`]. The slot is
    /// held until `work` returns, even when the request is abandoned meanwhile. A panic in
    /// `work` is resumed here, for the panic layer to answer.
    pub async fn run<T: Send + 'static>(
        &self,
        heavy: bool,
        work: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
    ) -> Result<T, ApiError> {
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

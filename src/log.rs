//! The log's writer. The request log ([`REQUEST_LOG`], a line per request) is gathered in
//! memory and written to standard error every [`FLUSH_EVERY`], so that a loaded server makes
//! one write call per batch instead of one in each request. Any other line is written at
//! once, after the request lines before it, so the log keeps its order.

use std::io::Write;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use tracing_subscriber::fmt::MakeWriter;
use wsis_search::server::REQUEST_LOG;

/// How long a request line may wait in memory before it is written.
const FLUSH_EVERY: Duration = Duration::from_millis(100);

/// Bytes of request lines past which the request that adds one writes them itself (when
/// standard error is slower than the requests come).
const MOST_PENDING: usize = 256 * 1024;

/// The log: request lines not yet written, shared with the thread that writes them.
#[derive(Clone)]
pub struct Log {
    pending: Arc<Mutex<Vec<u8>>>,
}

impl Log {
    /// A log to standard error, with a thread that writes the request lines every
    /// [`FLUSH_EVERY`] (without it, they are written when the buffer fills or the log is
    /// flushed).
    pub fn to_stderr() -> Log {
        let log = Log {
            pending: Arc::default(),
        };
        let flusher = log.clone();
        let _ = std::thread::Builder::new()
            .name("log".into())
            .spawn(move || {
                loop {
                    std::thread::sleep(FLUSH_EVERY);
                    flusher.flush_all();
                }
            });
        log
    }

    /// Writes the request lines not yet written (before the process exits).
    pub fn flush_all(&self) {
        write_out(&mut self.lock(), &[]);
    }

    /// A guard that writes what is pending when it is dropped: at the end of `main`, and
    /// when a panic unwinds out of it.
    pub fn flushed_on_drop(&self) -> FlushOnDrop {
        FlushOnDrop(self.clone())
    }

    fn lock(&self) -> MutexGuard<'_, Vec<u8>> {
        // A thread that panicked while holding the lock left whole lines or none.
        self.pending.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Writes the log's pending lines when dropped (see [`Log::flushed_on_drop`]).
pub struct FlushOnDrop(Log);

impl Drop for FlushOnDrop {
    fn drop(&mut self) {
        self.0.flush_all();
    }
}

/// Writes `pending` and then `line` to standard error, and empties `pending`. What cannot be
/// written (stderr closed, as in `wsis serve 2>&1 | head`) is dropped: logging never fails a
/// request.
fn write_out(pending: &mut Vec<u8>, line: &[u8]) {
    if pending.is_empty() && line.is_empty() {
        return;
    }
    let mut stderr = std::io::stderr().lock();
    let _ = stderr.write_all(pending);
    let _ = stderr.write_all(line);
    pending.clear();
}

/// One line's writer: a request line is kept for later, any other written at once.
pub struct LogLine<'a> {
    log: &'a Log,
    deferred: bool,
}

impl Write for LogLine<'_> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        let mut pending = self.log.lock();
        if self.deferred && pending.len() + bytes.len() <= MOST_PENDING {
            pending.extend_from_slice(bytes);
        } else {
            write_out(&mut pending, bytes);
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Log {
    type Writer = LogLine<'a>;

    fn make_writer(&'a self) -> LogLine<'a> {
        LogLine {
            log: self,
            deferred: false,
        }
    }

    fn make_writer_for(&'a self, meta: &tracing::Metadata<'_>) -> LogLine<'a> {
        LogLine {
            log: self,
            deferred: meta.target() == REQUEST_LOG,
        }
    }
}

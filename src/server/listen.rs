//! The HTTP side: accepting connections and serving them with hyper's HTTP/1.1 connection
//! builder, within limits an attacker cannot stretch.
//!
//! - hyper's header-read timeout closes a connection that has not sent a whole request head
//!   in [`HttpLimits::header_timeout`]. hyper starts that timer whenever it waits for a
//!   request, so it is also the idle keep-alive timeout: an idle connection is closed after it.
//! - At most [`HttpLimits::max_connections`] connections are open. A connection past that
//!   closes the oldest idle one (no request in flight), or, when every one is busy, is closed
//!   at once; both are logged. The default stays under the process's descriptor limit.
//! - hyper's read buffer is bounded by [`MAX_BUF`], which also bounds a request head: one that
//!   is still incomplete when the buffer holds that much is answered 431 by hyper (it checks
//!   between reads, so the read that crosses the mark may take a head a few KiB longer).
//! - On Ctrl-C or SIGTERM the listener closes, connections finish the request in flight and
//!   close (hyper's graceful shutdown), and after [`HttpLimits::shutdown_timeout`] those
//!   still open are closed.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::Request;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::TcpListener;
use tokio::sync::{Notify, oneshot};
use tower::ServiceExt;

/// The largest read buffer of a connection, in bytes; a request head must fit in it.
pub const MAX_BUF: usize = 64 * 1024;
/// Descriptors kept for the index's files and the rest when the connection limit is taken
/// from the descriptor limit.
pub const RESERVED_DESCRIPTORS: u64 = 64;

/// The limits of the HTTP side.
#[derive(Debug, Clone, Copy)]
pub struct HttpLimits {
    /// How long a connection may take to send a request head, or stay idle between requests.
    pub header_timeout: Duration,
    /// Connections open at once.
    pub max_connections: usize,
    /// How long shutdown waits for connections to finish before closing them.
    pub shutdown_timeout: Duration,
}

impl Default for HttpLimits {
    fn default() -> Self {
        HttpLimits {
            header_timeout: Duration::from_secs(10),
            max_connections: default_max_connections(),
            shutdown_timeout: Duration::from_secs(5),
        }
    }
}

/// The connection limit that fits the process's descriptor limit: the soft limit less
/// [`RESERVED_DESCRIPTORS`], between 16 and 10,000.
pub fn default_max_connections() -> usize {
    let limit = descriptor_limit().unwrap_or(1024);
    limit.saturating_sub(RESERVED_DESCRIPTORS).clamp(16, 10_000) as usize
}

#[cfg(unix)]
fn descriptor_limit() -> Option<u64> {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit writes into the struct it is given, which lives across the call.
    let status = unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) };
    // rlim_t is u64 on Linux, narrower or wider elsewhere.
    #[allow(clippy::unnecessary_cast)]
    (status == 0).then_some(limit.rlim_cur as u64)
}

#[cfg(not(unix))]
fn descriptor_limit() -> Option<u64> {
    None
}

/// Serves `app` on `listener` until `shutdown` completes, then shuts down within the limits.
pub async fn serve_connections(
    listener: TcpListener,
    app: Router,
    limits: HttpLimits,
    shutdown: impl Future<Output = ()>,
) {
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .max_buf_size(MAX_BUF);
    let graceful = GracefulShutdown::new();
    let open = Arc::new(Connections::new(limits.max_connections));
    tokio::pin!(shutdown);
    loop {
        let (tcp, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of descriptors, most likely: wait for some to close.
                    tracing::warn!("cannot accept a connection: {e}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let Some((ticket, evicted)) = Connections::admit(&open, peer) else {
            continue;
        };
        if let Some(gone) = evicted {
            // Its descriptor is free once its task has dropped it: wait, so that a flood
            // never holds more descriptors than the limit.
            let _ = tokio::time::timeout(Duration::from_secs(1), gone).await;
        }
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::debug!("cannot set TCP_NODELAY: {e}");
        }
        let busy = ticket.busy.clone();
        let app = app.clone();
        let service = hyper::service::service_fn(move |request: Request<Incoming>| {
            let app = app.clone();
            let busy = Busy::new(busy.clone());
            async move {
                let response = app.oneshot(request).await;
                drop(busy);
                response
            }
        });
        let connection = graceful.watch(builder.serve_connection(TokioIo::new(tcp), service));
        tokio::spawn(async move {
            tokio::select! {
                served = connection => if let Err(e) = served {
                    tracing::debug!("connection from {peer} ended: {e}");
                },
                () = ticket.close.notified() => {}
            }
            drop(ticket);
        });
    }
    drop(listener);
    let still_open = open.count();
    if tokio::time::timeout(limits.shutdown_timeout, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!(
            "shutdown: connections still open after {} ms are closed ({} were open at the signal)",
            limits.shutdown_timeout.as_millis(),
            still_open
        );
    }
}

/// The open connections, for the limit.
struct Connections {
    max: usize,
    state: Mutex<Open>,
}

#[derive(Default)]
struct Open {
    next: u64,
    by_id: HashMap<u64, Entry>,
    /// Connections closed or refused for the limit since the last log line about it.
    unlogged: usize,
    /// When the last such line was written.
    logged_at: Option<Instant>,
}

impl Open {
    /// Logs `what` happened for the limit: at most one line a second, with a count of the
    /// others, so a flood does not flood the log.
    fn log_limit(&mut self, max: usize, what: std::fmt::Arguments) {
        self.unlogged += 1;
        if self
            .logged_at
            .is_some_and(|t| t.elapsed() < Duration::from_secs(1))
        {
            return;
        }
        tracing::warn!(
            "{max} connections open (the limit): {what} ({} such in the last second)",
            self.unlogged
        );
        self.unlogged = 0;
        self.logged_at = Some(Instant::now());
    }
}

/// An open connection: its requests in flight, how to close it, and word that it is gone.
struct Entry {
    busy: Arc<AtomicUsize>,
    close: Arc<Notify>,
    gone: oneshot::Receiver<()>,
}

/// A place among the open connections, given back when dropped (which `gone` tells).
struct Ticket {
    open: Arc<Connections>,
    id: u64,
    busy: Arc<AtomicUsize>,
    close: Arc<Notify>,
    _gone: oneshot::Sender<()>,
}

impl Connections {
    fn new(max: usize) -> Connections {
        Connections {
            max: max.max(1),
            state: Mutex::new(Open::default()),
        }
    }

    fn count(&self) -> usize {
        self.lock().by_id.len()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Open> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A place for a new connection from `peer`: at the limit, the oldest idle connection is
    /// told to close to make room (with word of when it has); when every connection is busy,
    /// none (the new one is closed).
    fn admit(
        this: &Arc<Connections>,
        peer: SocketAddr,
    ) -> Option<(Ticket, Option<oneshot::Receiver<()>>)> {
        let mut open = this.lock();
        let mut gone = None;
        if open.by_id.len() >= this.max {
            let oldest_idle = open
                .by_id
                .iter()
                .filter(|(_, e)| e.busy.load(Ordering::Relaxed) == 0)
                .map(|(&id, _)| id)
                .min();
            match oldest_idle.and_then(|id| open.by_id.remove(&id)) {
                Some(evicted) => {
                    evicted.close.notify_one();
                    gone = Some(evicted.gone);
                    open.log_limit(
                        this.max,
                        format_args!("closed the oldest idle one for {peer}"),
                    );
                }
                None => {
                    open.log_limit(this.max, format_args!("all busy: refused {peer}"));
                    return None;
                }
            }
        }
        let id = open.next;
        open.next += 1;
        let (sender, receiver) = oneshot::channel();
        let entry = Entry {
            busy: Arc::new(AtomicUsize::new(0)),
            close: Arc::new(Notify::new()),
            gone: receiver,
        };
        let ticket = Ticket {
            open: this.clone(),
            id,
            busy: entry.busy.clone(),
            close: entry.close.clone(),
            _gone: sender,
        };
        open.by_id.insert(id, entry);
        Some((ticket, gone))
    }
}

impl Drop for Ticket {
    fn drop(&mut self) {
        self.open.lock().by_id.remove(&self.id);
    }
}

/// A request in flight on a connection, counted while it lives.
struct Busy(Arc<AtomicUsize>);

impl Busy {
    fn new(count: Arc<AtomicUsize>) -> Busy {
        count.fetch_add(1, Ordering::Relaxed);
        Busy(count)
    }
}

impl Drop for Busy {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

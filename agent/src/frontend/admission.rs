//! Which client connections the front-end keeps: a global cap and a per-client-address cap
//! that hostile connections cannot use to lock others out.
//!
//! A connection that has no request in flight is *idle* (in its TLS handshake, sending headers
//! slowly, silent, or kept alive between requests). When a cap is reached, the newcomer is
//! admitted by closing an idle connection: first the oldest one that never completed a
//! request (silent, slowloris), else the oldest idle one. Only when every connection in the
//! way is busy is the newcomer refused. Busy connections are never closed. So a thousand
//! connections held open by one host make a fresh client wait for nothing, even from the same
//! address (everything on loopback shares 127.0.0.1).
//!
//! The registry is a `std::sync::Mutex`: it is locked briefly, never across an `.await`.

use std::collections::BTreeMap;
use std::net::IpAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use tokio::sync::oneshot;

/// What the front-end knows of one live connection.
#[derive(Debug, Default)]
pub struct Track {
    in_flight: AtomicUsize,
    served: AtomicU64,
    /// Bytes of a request arrived while none was in flight: its head is being read.
    head_pending: AtomicBool,
    /// When a request last began or ended, or bytes last began one ([`now_ms`]).
    last_active: AtomicU64,
}

/// Milliseconds since the first call in this process: a cheap, monotonic stamp.
fn now_ms() -> u64 {
    static BASE: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    let elapsed = BASE.get_or_init(std::time::Instant::now).elapsed();
    u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX)
}

impl Track {
    /// A request started on this connection (its head is complete).
    pub fn begin(&self) {
        self.head_pending.store(false, Ordering::Release);
        self.in_flight.fetch_add(1, Ordering::AcqRel);
        self.last_active.store(now_ms(), Ordering::Release);
    }

    /// A request's response is ready.
    pub fn end(&self) {
        self.served.fetch_add(1, Ordering::AcqRel);
        self.in_flight.fetch_sub(1, Ordering::AcqRel);
        self.last_active.store(now_ms(), Ordering::Release);
    }

    /// Bytes arrived from the client: with no request in flight, they begin the next one.
    pub fn bytes_read(&self) {
        if self.idle() && !self.head_pending.load(Ordering::Acquire) {
            self.head_pending.store(true, Ordering::Release);
            self.last_active.store(now_ms(), Ordering::Release);
        }
    }

    fn last_active(&self) -> u64 {
        self.last_active.load(Ordering::Acquire)
    }

    /// No request in flight (the connection may still be receiving the next one's head).
    pub fn idle(&self) -> bool {
        self.in_flight.load(Ordering::Acquire) == 0
    }

    /// Whether a request's head has begun to arrive and is not complete yet.
    pub fn head_pending(&self) -> bool {
        self.head_pending.load(Ordering::Acquire)
    }

    /// Requests answered on this connection.
    pub fn served(&self) -> u64 {
        self.served.load(Ordering::Acquire)
    }
}

#[derive(Debug)]
struct Entry {
    ip: IpAddr,
    track: Arc<Track>,
    /// Dropped to close the connection.
    evict: Option<oneshot::Sender<()>>,
}

#[derive(Debug, Default)]
struct Inner {
    next: u64,
    /// By age: the smallest id is the oldest connection.
    live: BTreeMap<u64, Entry>,
}

/// The live connections.
#[derive(Debug)]
pub struct Admission {
    max_total: usize,
    max_per_ip: usize,
    inner: Mutex<Inner>,
}

/// A connection's place in the registry; dropping it frees the place.
#[derive(Debug)]
pub struct Ticket {
    admission: Arc<Admission>,
    id: u64,
    pub track: Arc<Track>,
    /// Resolves (with an error) when the registry closes the connection for a newcomer.
    pub evicted: oneshot::Receiver<()>,
}

impl Drop for Ticket {
    fn drop(&mut self) {
        self.admission.lock().live.remove(&self.id);
    }
}

impl Admission {
    pub fn new(max_total: usize, max_per_ip: usize) -> Arc<Admission> {
        Arc::new(Admission {
            max_total: max_total.max(1),
            max_per_ip: max_per_ip.max(1),
            inner: Mutex::default(),
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Admits a connection from `ip`, closing idle ones to make room; `None` when every
    /// connection in the way is busy.
    pub fn admit(self: &Arc<Admission>, ip: IpAddr) -> Option<Ticket> {
        let mut inner = self.lock();
        let from_ip = inner.live.values().filter(|e| e.ip == ip).count();
        if from_ip >= self.max_per_ip && !evict_one(&mut inner, Some(ip)) {
            return None;
        }
        if inner.live.len() >= self.max_total && !evict_one(&mut inner, None) {
            return None;
        }
        let id = inner.next;
        inner.next += 1;
        let (tx, rx) = oneshot::channel();
        let track = Arc::new(Track::default());
        inner.live.insert(
            id,
            Entry {
                ip,
                track: track.clone(),
                evict: Some(tx),
            },
        );
        Some(Ticket {
            admission: self.clone(),
            id,
            track,
            evicted: rx,
        })
    }

    /// Live connections.
    pub fn len(&self) -> usize {
        self.lock().live.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Closes one idle connection (of `ip`, if given): the oldest that never completed a request
/// (silent, slowloris), else the kept-alive one quiet the longest (a client that left it in its
/// pool, rather than one that is between two requests), else the oldest one whose next request
/// is arriving (closing that one would lose the request). Whether one was closed.
fn evict_one(inner: &mut Inner, ip: Option<IpAddr>) -> bool {
    let candidates = || {
        inner
            .live
            .iter()
            .filter(move |(_, e)| ip.is_none_or(|ip| e.ip == ip))
            .filter(|(_, e)| e.evict.is_some() && e.track.idle())
    };
    let victim = candidates()
        .find(|(_, e)| e.track.served() == 0)
        .or_else(|| {
            candidates()
                .filter(|(_, e)| !e.track.head_pending())
                .min_by_key(|(_, e)| e.track.last_active())
        })
        .or_else(|| candidates().next())
        .map(|(id, _)| *id);
    let Some(id) = victim else {
        return false;
    };
    // The entry leaves now (its task may take a moment to notice); dropping the sender wakes it.
    inner.live.remove(&id);
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(last: u8) -> IpAddr {
        IpAddr::from([10, 0, 0, last])
    }

    fn closed(t: &mut Ticket) -> bool {
        matches!(
            t.evicted.try_recv(),
            Err(oneshot::error::TryRecvError::Closed)
        )
    }

    #[test]
    fn a_full_house_of_idle_strangers_makes_room_for_a_newcomer() {
        let admission = Admission::new(4, 4);
        let mut tickets: Vec<Ticket> = (0..4).map(|_| admission.admit(ip(1)).unwrap()).collect();
        let newcomer = admission.admit(ip(1)).unwrap();
        assert_eq!(admission.len(), 4);
        // The oldest was told to close.
        assert!(closed(&mut tickets[0]));
        assert!(!closed(&mut tickets[1]));
        drop(newcomer);
        assert_eq!(admission.len(), 3);
    }

    #[test]
    fn connections_that_served_requests_are_kept_over_silent_ones() {
        let admission = Admission::new(3, 3);
        let mut client = admission.admit(ip(1)).unwrap();
        client.track.begin();
        client.track.end();
        let mut silent: Vec<Ticket> = (0..2).map(|_| admission.admit(ip(2)).unwrap()).collect();
        let _new = admission.admit(ip(3)).unwrap();
        assert!(!closed(&mut client));
        assert!(closed(&mut silent[0]));
    }

    /// One request begun and answered on the connection.
    fn served(t: &Ticket) {
        t.track.begin();
        t.track.end();
    }

    #[test]
    fn a_kept_alive_connection_whose_next_request_is_arriving_is_closed_last() {
        let admission = Admission::new(2, 2);
        let mut arriving = admission.admit(ip(1)).unwrap();
        let mut between = admission.admit(ip(1)).unwrap();
        served(&arriving);
        served(&between);
        // The older connection has the head of its next request on the way; the younger is quiet.
        arriving.track.bytes_read();
        assert!(arriving.track.head_pending() && arriving.track.idle());
        let _new = admission.admit(ip(2)).unwrap();
        assert!(!closed(&mut arriving));
        assert!(closed(&mut between));
        // The head completes: the request is in flight and the flag is gone.
        arriving.track.begin();
        assert!(!arriving.track.head_pending());
        // Bytes read while a request is in flight (a body) begin no new head.
        arriving.track.bytes_read();
        assert!(!arriving.track.head_pending());
    }

    #[test]
    fn of_kept_alive_connections_the_one_quiet_the_longest_is_closed() {
        let admission = Admission::new(3, 3);
        let mut oldest = admission.admit(ip(1)).unwrap();
        let mut middle = admission.admit(ip(1)).unwrap();
        let mut youngest = admission.admit(ip(1)).unwrap();
        served(&middle);
        served(&youngest);
        std::thread::sleep(std::time::Duration::from_millis(5));
        // The oldest connection is the one in use: it served a request a moment ago.
        served(&oldest);
        let _new = admission.admit(ip(1)).unwrap();
        assert!(!closed(&mut oldest));
        assert!(closed(&mut middle));
        assert!(!closed(&mut youngest));
    }

    #[test]
    fn busy_connections_are_never_closed_and_the_newcomer_waits_outside() {
        let admission = Admission::new(2, 2);
        let a = admission.admit(ip(1)).unwrap();
        let b = admission.admit(ip(1)).unwrap();
        a.track.begin();
        b.track.begin();
        assert!(admission.admit(ip(2)).is_none());
        b.track.end();
        assert!(admission.admit(ip(2)).is_some());
    }

    #[test]
    fn the_per_address_cap_evicts_within_that_address_only() {
        let admission = Admission::new(10, 2);
        let mut other = admission.admit(ip(9)).unwrap();
        let mut first = admission.admit(ip(1)).unwrap();
        let _second = admission.admit(ip(1)).unwrap();
        let _third = admission.admit(ip(1)).unwrap();
        assert!(closed(&mut first));
        assert!(!closed(&mut other));
    }
}

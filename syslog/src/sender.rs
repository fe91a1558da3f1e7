//! Delivery of syslog lines to `logging host` targets: UDP datagrams, and TCP with RFC 6587 octet counting.
//!
//! Neither sender blocks its caller or panics: failures are counted in [`SenderStats`].

use std::fmt;
use std::io::{self, Read, Write};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpStream, UdpSocket};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, SyncSender, TrySendError};
use std::thread::{self, JoinHandle, Thread};
use std::time::Duration;

/// Why a sender could not be created. Sending itself never fails; it counts.
#[derive(Debug)]
pub enum SenderError {
    /// The local UDP socket could not be bound.
    Bind {
        local: SocketAddr,
        source: io::Error,
    },
    /// The UDP socket could not be made non-blocking.
    NonBlocking(io::Error),
    /// The TCP delivery thread could not be started.
    Spawn(io::Error),
}

impl fmt::Display for SenderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SenderError::Bind { local, source } => {
                write!(f, "cannot bind syslog UDP socket to {local}: {source}")
            }
            SenderError::NonBlocking(e) => {
                write!(f, "cannot make syslog UDP socket non-blocking: {e}")
            }
            SenderError::Spawn(e) => write!(f, "cannot start syslog TCP sender thread: {e}"),
        }
    }
}

impl std::error::Error for SenderError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SenderError::Bind { source, .. } => Some(source),
            SenderError::NonBlocking(e) | SenderError::Spawn(e) => Some(e),
        }
    }
}

/// What happened to the lines given to a sender so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SenderStats {
    /// Lines handed to the network.
    pub sent: u64,
    /// Lines discarded without an attempt: UDP socket buffer full, TCP queue full or sender stopped.
    pub dropped: u64,
    /// Failed network operations: UDP sends, TCP connects and writes (a TCP line is retried after one).
    pub errors: u64,
}

#[derive(Debug, Default)]
struct Counters {
    sent: AtomicU64,
    dropped: AtomicU64,
    errors: AtomicU64,
}

impl Counters {
    fn bump(counter: &AtomicU64) {
        counter.fetch_add(1, Ordering::Relaxed);
    }

    fn snapshot(&self) -> SenderStats {
        SenderStats {
            sent: self.sent.load(Ordering::Relaxed),
            dropped: self.dropped.load(Ordering::Relaxed),
            errors: self.errors.load(Ordering::Relaxed),
        }
    }
}

/// Anything that delivers syslog lines to one host; lets callers keep UDP and TCP hosts in one list.
pub trait LogSender: fmt::Debug + Send + Sync {
    /// Hands `line` (one framed message, no trailing newline) over for delivery. Never blocks.
    fn send(&self, line: String);
    fn stats(&self) -> SenderStats;
    fn target(&self) -> SocketAddr;
}

/// Sends each line as one datagram from a non-blocking socket (`logging host <if> <ip> [udp/<port>]`).
/// A line larger than a datagram can carry fails and is counted as an error.
#[derive(Debug)]
pub struct UdpSender {
    socket: UdpSocket,
    target: SocketAddr,
    counters: Counters,
}

impl UdpSender {
    /// A sender to `target` from an ephemeral port on the unspecified address of its family.
    pub fn new(target: SocketAddr) -> Result<UdpSender, SenderError> {
        let any: IpAddr = match target {
            SocketAddr::V4(_) => Ipv4Addr::UNSPECIFIED.into(),
            SocketAddr::V6(_) => Ipv6Addr::UNSPECIFIED.into(),
        };
        UdpSender::bind(SocketAddr::new(any, 0), target)
    }

    /// A sender to `target` from the given local address.
    pub fn bind(local: SocketAddr, target: SocketAddr) -> Result<UdpSender, SenderError> {
        let socket =
            UdpSocket::bind(local).map_err(|source| SenderError::Bind { local, source })?;
        socket
            .set_nonblocking(true)
            .map_err(SenderError::NonBlocking)?;
        Ok(UdpSender {
            socket,
            target,
            counters: Counters::default(),
        })
    }

    /// Sends `line` as one datagram; a full socket buffer drops it, any other failure counts as an error.
    pub fn send(&self, line: String) {
        match self.socket.send_to(line.as_bytes(), self.target) {
            Ok(_) => Counters::bump(&self.counters.sent),
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                Counters::bump(&self.counters.dropped)
            }
            Err(_) => Counters::bump(&self.counters.errors),
        }
    }

    pub fn stats(&self) -> SenderStats {
        self.counters.snapshot()
    }

    pub fn target(&self) -> SocketAddr {
        self.target
    }

    /// The local address datagrams leave from.
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.socket.local_addr()
    }
}

impl LogSender for UdpSender {
    fn send(&self, line: String) {
        UdpSender::send(self, line);
    }

    fn stats(&self) -> SenderStats {
        UdpSender::stats(self)
    }

    fn target(&self) -> SocketAddr {
        self.target
    }
}

/// Tuning of a [`TcpSender`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TcpConfig {
    /// Lines held while the host is slow or unreachable (the ASA's `logging queue` default is 512).
    pub queue: usize,
    pub connect_timeout: Duration,
    pub write_timeout: Duration,
    /// First wait after a failure; doubled after each further failure up to `backoff_max`.
    pub backoff_initial: Duration,
    pub backoff_max: Duration,
}

impl Default for TcpConfig {
    fn default() -> Self {
        TcpConfig {
            queue: 512,
            connect_timeout: Duration::from_secs(5),
            write_timeout: Duration::from_secs(5),
            backoff_initial: Duration::from_millis(100),
            backoff_max: Duration::from_secs(30),
        }
    }
}

/// Sends lines over one TCP connection as `<len> <line>` (RFC 6587 octet counting), from a
/// background thread fed by a bounded queue (`logging host <if> <ip> tcp[/<port>]`).
///
/// `send` never blocks: when the queue is full the line is dropped and counted. The thread connects
/// on the first line, reconnects with exponential backoff after a failure and retries the line it
/// was writing. Dropping the sender stops the thread (queued lines are discarded) without waiting;
/// [`TcpSender::shutdown`] also waits for it.
#[derive(Debug)]
pub struct TcpSender {
    target: SocketAddr,
    queue: SyncSender<String>,
    queue_limit: usize,
    shared: Arc<Shared>,
    worker: Option<JoinHandle<()>>,
    worker_thread: Thread,
}

/// State the caller and the delivery thread share; atomics only, no lock.
#[derive(Debug, Default)]
struct Shared {
    counters: Counters,
    stop: AtomicBool,
    connected: AtomicBool,
    /// The last connect or write failed and no line has been written since.
    down: AtomicBool,
    /// Lines accepted by `send` and not yet taken by the thread.
    queued: AtomicUsize,
    /// The most lines ever waiting at once.
    peak: AtomicUsize,
}

/// A read-only view of a [`TcpSender`]'s state that outlives nothing and can be kept
/// elsewhere (e.g. by whoever prints `show logging`): host down, queue figures, counters.
#[derive(Debug, Clone)]
pub struct TcpHealth {
    shared: Arc<Shared>,
    queue_limit: usize,
}

impl TcpHealth {
    /// The host could not be reached: the last connect or write failed and nothing was
    /// delivered since. A sender that has not tried yet is not down.
    pub fn is_down(&self) -> bool {
        self.shared.down.load(Ordering::Relaxed)
    }

    /// Lines waiting for the host now (the line being retried not counted).
    pub fn queued(&self) -> usize {
        self.shared.queued.load(Ordering::Relaxed)
    }

    /// The most lines that ever waited at once.
    pub fn peak(&self) -> usize {
        self.shared.peak.load(Ordering::Relaxed)
    }

    /// The queue bound the sender was made with.
    pub fn queue_limit(&self) -> usize {
        self.queue_limit
    }

    pub fn stats(&self) -> SenderStats {
        self.shared.counters.snapshot()
    }
}

impl TcpSender {
    /// Starts a sender to `target` with [`TcpConfig::default`].
    pub fn new(target: SocketAddr) -> Result<TcpSender, SenderError> {
        TcpSender::spawn(target, TcpConfig::default())
    }

    /// Starts the delivery thread for `target`. Nothing connects until the first line is sent.
    pub fn spawn(target: SocketAddr, config: TcpConfig) -> Result<TcpSender, SenderError> {
        let (queue, lines) = mpsc::sync_channel(config.queue);
        let queue_limit = config.queue;
        let shared = Arc::new(Shared::default());
        let worker = Worker {
            target,
            config,
            lines,
            shared: Arc::clone(&shared),
        };
        let handle = thread::Builder::new()
            .name(format!("syslog-tcp-{target}"))
            .spawn(move || worker.run())
            .map_err(SenderError::Spawn)?;
        Ok(TcpSender {
            target,
            queue,
            queue_limit,
            shared,
            worker_thread: handle.thread().clone(),
            worker: Some(handle),
        })
    }

    /// Queues `line` for delivery; drops and counts it if the queue is full. Never blocks.
    pub fn send(&self, line: String) {
        // Counted before the line can be taken, so the thread's decrement never comes first.
        let waiting = self.shared.queued.fetch_add(1, Ordering::Relaxed) + 1;
        match self.queue.try_send(line) {
            Ok(()) => {
                self.shared.peak.fetch_max(waiting, Ordering::Relaxed);
            }
            Err(TrySendError::Full(_) | TrySendError::Disconnected(_)) => {
                self.shared.queued.fetch_sub(1, Ordering::Relaxed);
                Counters::bump(&self.shared.counters.dropped)
            }
        }
    }

    /// A view of this sender's state for others to keep (see [`TcpHealth`]).
    pub fn health(&self) -> TcpHealth {
        TcpHealth {
            shared: Arc::clone(&self.shared),
            queue_limit: self.queue_limit,
        }
    }

    pub fn stats(&self) -> SenderStats {
        self.shared.counters.snapshot()
    }

    pub fn target(&self) -> SocketAddr {
        self.target
    }

    /// Whether the thread currently holds an open connection (as far as it last knew).
    pub fn is_connected(&self) -> bool {
        self.shared.connected.load(Ordering::Relaxed)
    }

    /// Stops the thread and waits for it; bounded by the connect and write timeouts.
    pub fn shutdown(mut self) {
        let worker = self.worker.take();
        drop(self);
        if let Some(worker) = worker {
            // The worker does not panic; a join error would only repeat that it ended.
            let _ = worker.join();
        }
    }
}

impl Drop for TcpSender {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::Relaxed);
        // Wakes a backoff wait; a blocked `recv` wakes when `queue` is dropped right after this.
        self.worker_thread.unpark();
    }
}

impl LogSender for TcpSender {
    fn send(&self, line: String) {
        TcpSender::send(self, line);
    }

    fn stats(&self) -> SenderStats {
        TcpSender::stats(self)
    }

    fn target(&self) -> SocketAddr {
        self.target
    }
}

/// The delivery thread's state.
struct Worker {
    target: SocketAddr,
    config: TcpConfig,
    lines: Receiver<String>,
    shared: Arc<Shared>,
}

impl Worker {
    fn run(self) {
        let mut conn: Option<TcpStream> = None;
        let mut backoff = self.config.backoff_initial;
        let mut frame = Vec::new();
        while let Ok(line) = self.lines.recv() {
            // Never below zero: `send` counts a line before handing it over.
            let _ = self
                .shared
                .queued
                .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| n.checked_sub(1));
            frame.clear();
            frame.extend_from_slice(line.len().to_string().as_bytes());
            frame.push(b' ');
            frame.extend_from_slice(line.as_bytes());
            // Deliver this line, reconnecting as often as needed, until it is written or we stop.
            loop {
                if self.stopping() {
                    return;
                }
                let stream = match conn.take().filter(|s| !peer_closed(s)) {
                    Some(stream) => Ok(stream),
                    None => self.connect(),
                };
                let written = stream.and_then(|mut s| s.write_all(&frame).map(|()| s));
                match written {
                    Ok(stream) => {
                        Counters::bump(&self.shared.counters.sent);
                        self.shared.connected.store(true, Ordering::Relaxed);
                        self.shared.down.store(false, Ordering::Relaxed);
                        conn = Some(stream);
                        backoff = self.config.backoff_initial;
                        break;
                    }
                    Err(_) => {
                        Counters::bump(&self.shared.counters.errors);
                        self.shared.connected.store(false, Ordering::Relaxed);
                        self.shared.down.store(true, Ordering::Relaxed);
                        // Woken early by `TcpSender::drop`; a spurious wake only shortens the wait.
                        thread::park_timeout(backoff);
                        backoff = backoff.saturating_mul(2).min(self.config.backoff_max);
                    }
                }
            }
        }
    }

    fn stopping(&self) -> bool {
        self.shared.stop.load(Ordering::Relaxed)
    }

    fn connect(&self) -> io::Result<TcpStream> {
        let at_least = |d: Duration| d.max(Duration::from_millis(1));
        let stream =
            TcpStream::connect_timeout(&self.target, at_least(self.config.connect_timeout))?;
        stream.set_write_timeout(Some(at_least(self.config.write_timeout)))?;
        Ok(stream)
    }
}

/// Whether the host has closed (or reset) the connection. Syslog hosts never speak, so any bytes
/// they send are read and discarded; a closed peer reads as end of file. Checked before each
/// write so a line is not written into a connection the host already closed.
fn peer_closed(stream: &TcpStream) -> bool {
    /// A talkative host must not keep us here: after this many reads, assume it is open.
    const MAX_READS: usize = 16;
    if stream.set_nonblocking(true).is_err() {
        return true;
    }
    let mut probe = [0u8; 256];
    let mut reader = stream;
    let mut closed = false;
    for _ in 0..MAX_READS {
        match reader.read(&mut probe) {
            Ok(0) => {
                closed = true;
                break;
            }
            Ok(_) => {}
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => {
                closed = e.kind() != io::ErrorKind::WouldBlock;
                break;
            }
        }
    }
    closed || stream.set_nonblocking(false).is_err()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{BufRead, BufReader};
    use std::net::TcpListener;
    use std::time::Instant;

    const WAIT: Duration = Duration::from_secs(10);

    fn localhost() -> SocketAddr {
        SocketAddr::from((Ipv4Addr::LOCALHOST, 0))
    }

    /// Accepts one connection, polling so a broken sender fails the test instead of hanging it.
    fn accept_within(listener: &TcpListener, wait: Duration) -> Option<TcpStream> {
        listener.set_nonblocking(true).unwrap();
        let deadline = Instant::now() + wait;
        while Instant::now() < deadline {
            match listener.accept() {
                Ok((stream, _)) => {
                    stream.set_nonblocking(false).unwrap();
                    stream.set_read_timeout(Some(WAIT)).unwrap();
                    return Some(stream);
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                    thread::sleep(Duration::from_millis(5))
                }
                Err(e) => panic!("accept failed: {e}"),
            }
        }
        None
    }

    /// Reads one RFC 6587 octet-counted frame: `<len> <bytes>`.
    fn read_frame(reader: &mut impl BufRead) -> String {
        let mut len = Vec::new();
        reader.read_until(b' ', &mut len).unwrap();
        assert_eq!(len.pop(), Some(b' '), "frame length must end with a space");
        let len: usize = std::str::from_utf8(&len).unwrap().parse().unwrap();
        let mut body = vec![0; len];
        reader.read_exact(&mut body).unwrap();
        String::from_utf8(body).unwrap()
    }

    fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
        let deadline = Instant::now() + WAIT;
        while !done() {
            assert!(Instant::now() < deadline, "timed out waiting for {what}");
            thread::sleep(Duration::from_millis(5));
        }
    }

    fn refused_addr() -> SocketAddr {
        let listener = TcpListener::bind(localhost()).unwrap();
        listener.local_addr().unwrap()
        // The listener is dropped here, so nothing listens on the port.
    }

    #[test]
    fn udp_sender_delivers_one_datagram_per_line() {
        let receiver = UdpSocket::bind(localhost()).unwrap();
        receiver.set_read_timeout(Some(WAIT)).unwrap();
        let sender = UdpSender::new(receiver.local_addr().unwrap()).unwrap();
        assert_eq!(sender.target(), receiver.local_addr().unwrap());
        sender.send(
            "<167>Nov 25 13:20:01 asa %ASA-7-342001: REST API Agent started successfully.".into(),
        );
        sender.send("second".into());
        let mut buf = [0u8; 2048];
        let (n, from) = receiver.recv_from(&mut buf).unwrap();
        assert_eq!(
            &buf[..n],
            b"<167>Nov 25 13:20:01 asa %ASA-7-342001: REST API Agent started successfully."
        );
        assert_eq!(from.port(), sender.local_addr().unwrap().port());
        let (n, _) = receiver.recv_from(&mut buf).unwrap();
        assert_eq!(&buf[..n], b"second");
        assert_eq!(
            sender.stats(),
            SenderStats {
                sent: 2,
                dropped: 0,
                errors: 0
            }
        );
    }

    #[test]
    fn udp_sender_counts_an_oversized_datagram_as_an_error() {
        let receiver = UdpSocket::bind(localhost()).unwrap();
        let sender = UdpSender::new(receiver.local_addr().unwrap()).unwrap();
        sender.send("x".repeat(70_000));
        assert_eq!(
            sender.stats(),
            SenderStats {
                sent: 0,
                dropped: 0,
                errors: 1
            }
        );
    }

    #[test]
    fn udp_bind_failure_is_reported() {
        // 192.0.2.1 (TEST-NET-1) is not an address of this machine.
        let local = SocketAddr::from(([192, 0, 2, 1], 0));
        let err = UdpSender::bind(local, localhost()).unwrap_err();
        assert!(matches!(err, SenderError::Bind { .. }));
        assert!(err.to_string().contains("192.0.2.1"));
    }

    #[test]
    fn tcp_sender_delivers_with_octet_counting() {
        let listener = TcpListener::bind(localhost()).unwrap();
        let sender = TcpSender::new(listener.local_addr().unwrap()).unwrap();
        sender.send("hello".into());
        sender.send("é x".into());
        let health = sender.health();
        let stream = accept_within(&listener, WAIT).expect("sender connects");
        let mut reader = BufReader::new(stream);
        // "é" is two bytes, so "é x" is counted as 4.
        let mut raw = vec![0u8; "5 hello4 é x".len()];
        reader.read_exact(&mut raw).unwrap();
        assert_eq!(raw, "5 hello4 é x".as_bytes());
        wait_until("two lines counted", || sender.stats().sent == 2);
        assert!(sender.is_connected());
        assert!(!health.is_down());
        assert_eq!(health.queued(), 0);
        sender.shutdown();
    }

    #[test]
    fn tcp_sender_reconnects_after_the_host_closes() {
        let listener = TcpListener::bind(localhost()).unwrap();
        let config = TcpConfig {
            backoff_initial: Duration::from_millis(10),
            ..TcpConfig::default()
        };
        let sender = TcpSender::spawn(listener.local_addr().unwrap(), config).unwrap();
        sender.send("first".into());
        let first = accept_within(&listener, WAIT).expect("first connection");
        assert_eq!(read_frame(&mut BufReader::new(&first)), "first");
        drop(first);

        // A line written before the close is noticed may be lost with the old connection, so keep
        // sending until one arrives on a new connection.
        let deadline = Instant::now() + WAIT;
        let mut second = None;
        let mut n = 0;
        while second.is_none() && Instant::now() < deadline {
            sender.send(format!("again {n}"));
            n += 1;
            second = accept_within(&listener, Duration::from_millis(50));
        }
        let second = second.expect("sender reconnects");
        let line = read_frame(&mut BufReader::new(&second));
        assert!(line.starts_with("again "), "{line}");
        sender.shutdown();
    }

    #[test]
    fn tcp_sender_drops_and_counts_when_the_queue_is_full() {
        let config = TcpConfig {
            queue: 2,
            backoff_initial: Duration::from_secs(60),
            backoff_max: Duration::from_secs(60),
            ..TcpConfig::default()
        };
        let sender = TcpSender::spawn(refused_addr(), config).unwrap();
        let started = Instant::now();
        for i in 0..10 {
            sender.send(format!("line {i}"));
        }
        assert!(
            started.elapsed() < Duration::from_secs(1),
            "send must not block"
        );
        // The thread holds at most one line and the queue two more.
        assert!(sender.stats().dropped >= 7, "{:?}", sender.stats());
        wait_until("a failed connect", || sender.stats().errors >= 1);
        assert!(!sender.is_connected());
        let health = sender.health();
        assert!(health.is_down());
        assert_eq!(health.queue_limit(), 2);
        // The thread holds the one line it retries; every other line is queued or dropped.
        let (queued, dropped) = (health.queued(), health.stats().dropped);
        assert!(queued <= 2, "{queued}");
        assert_eq!(
            queued as u64 + dropped + 1,
            10,
            "{queued} queued, {dropped} dropped"
        );
        assert!((1..=3).contains(&health.peak()), "{}", health.peak());
        // Shutdown interrupts the 60 s backoff.
        let stopping = Instant::now();
        sender.shutdown();
        assert!(stopping.elapsed() < WAIT);
    }

    #[test]
    fn senders_share_one_trait() {
        let receiver = UdpSocket::bind(localhost()).unwrap();
        receiver.set_read_timeout(Some(WAIT)).unwrap();
        let listener = TcpListener::bind(localhost()).unwrap();
        let hosts: Vec<Box<dyn LogSender>> = vec![
            Box::new(UdpSender::new(receiver.local_addr().unwrap()).unwrap()),
            Box::new(TcpSender::new(listener.local_addr().unwrap()).unwrap()),
        ];
        for host in &hosts {
            host.send("to all".into());
        }
        let mut buf = [0u8; 64];
        let (n, _) = receiver.recv_from(&mut buf).unwrap();
        assert_eq!(&buf[..n], b"to all");
        let stream = accept_within(&listener, WAIT).expect("tcp host connects");
        assert_eq!(read_frame(&mut BufReader::new(stream)), "to all");
        assert_eq!(hosts[1].target(), listener.local_addr().unwrap());
    }
}

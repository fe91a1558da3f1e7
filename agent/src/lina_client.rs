//! Client side of the LINA protocol: one TCP connection multiplexed by request id.
//!
//! A writer task owns the socket's write half and a reader task dispatches each response to
//! the request that is waiting for it; `Generation` and `DebugFilter` pushes (request id 0) feed
//! watch channels, `Control` pushes a queue the daemon takes ([`LinaClient::take_controls`]).
//! When the connection ends every waiting request fails with [`LinaError::Closed`].

use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};

use bytes::BytesMut;
use cli_translator::protocol::frame::{self, FrameError};
use cli_translator::protocol::{
    AgentControl, Assembly, AuthFailure, Authenticate, ChannelSecret, DebugLine, DebugSet,
    DecodeError, DeviceFacts, Exec, ExecOutput, ExecOutputRef, ExecResult, LogEvent, Message,
    PROTOCOL_VERSION, ProtocolError, Session, StreamCheck, StreamError, TokenCreate, TokenDelete,
    TokenResult, kind,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::sync::{mpsc, oneshot, watch};

/// Why a LINA request did not get an answer.
#[derive(Debug)]
pub enum LinaError {
    Io(std::io::Error),
    Frame(FrameError),
    Decode(DecodeError),
    /// LINA answered with a protocol error.
    Protocol(ProtocolError),
    /// The connection is gone.
    Closed,
    /// LINA answered with a message of the wrong kind.
    Unexpected(&'static str),
}

impl fmt::Display for LinaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LinaError::Io(e) => write!(f, "LINA connection: {e}"),
            LinaError::Frame(e) => write!(f, "LINA sent a bad frame: {e}"),
            LinaError::Decode(e) => write!(f, "LINA sent a bad message: {e}"),
            LinaError::Protocol(e) => write!(f, "LINA refused the request: {}", e.detail),
            LinaError::Closed => f.write_str("the LINA connection is closed"),
            LinaError::Unexpected(what) => write!(
                f,
                "LINA answered with an unexpected message (wanted {what})"
            ),
        }
    }
}

impl std::error::Error for LinaError {}

impl From<std::io::Error> for LinaError {
    fn from(e: std::io::Error) -> Self {
        LinaError::Io(e)
    }
}

/// Where LINA listens and the channel secret its connections prove.
#[derive(Debug, Clone)]
pub struct LinaAddr {
    pub addr: SocketAddr,
    pub secret: Option<Arc<ChannelSecret>>,
}

impl fmt::Display for LinaAddr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.addr)
    }
}

/// Queued frames are joined into one write up to this many bytes.
const COALESCE_LIMIT: usize = 64 * 1024;

/// The LINA connection's read buffer, and the size it goes back to once a large frame is read.
const READ_BUFFER: usize = 64 * 1024;

/// Requests waiting for their answer, by request id. A std mutex: never held across `.await`.
type Pending = Arc<Mutex<HashMap<u32, Waiter>>>;

/// A request waiting for its answer, and where the output pieces LINA streams before it go
/// (issue 13: streamed output).
struct Waiter {
    answer: oneshot::Sender<Message>,
    output: OutputSink,
}

enum OutputSink {
    /// Joined into the result's outputs (each byte copied once, from the frame).
    Join(Assembly),
    /// Checked and handed on as they arrive, for a consumer that reads the output while the
    /// rest is still on its way (the snapshot's parser).
    Forward(StreamCheck, mpsc::UnboundedSender<ExecOutput>),
}

impl Waiter {
    /// One streamed piece, borrowed from its frame.
    fn piece(&mut self, piece: ExecOutputRef<'_>) -> Result<(), StreamError> {
        match &mut self.output {
            OutputSink::Join(assembly) => assembly.add(piece),
            OutputSink::Forward(check, pieces) => {
                check.add(piece)?;
                // A consumer that went away no longer wants the output; the answer still counts.
                let _ = pieces.send(piece.to_owned());
                Ok(())
            }
        }
    }

    /// The final answer, with the streamed outputs put in place (or checked, when forwarded).
    fn answer(self, msg: Message) {
        let msg = match (msg, self.output) {
            (Message::ExecResult(mut result), OutputSink::Join(assembly)) => {
                match assembly.finish(&mut result) {
                    Ok(()) => Message::ExecResult(result),
                    Err(e) => stream_refused(&e),
                }
            }
            (Message::ExecResult(result), OutputSink::Forward(check, _pieces)) => {
                match check.finish(&result) {
                    Ok(()) => Message::ExecResult(result),
                    Err(e) => stream_refused(&e),
                }
            }
            (other, _) => other,
        };
        let _ = self.answer.send(msg);
    }
}

/// The answer a request gets when LINA's pieces of output do not add up.
fn stream_refused(e: &StreamError) -> Message {
    tracing::warn!(error = %e, "LINA streamed a bad output");
    Message::Error(ProtocolError {
        code: cli_translator::protocol::ProtocolErrorCode::Malformed,
        detail: e.to_string(),
    })
}

struct Shared {
    next_id: AtomicU32,
    pending: Pending,
    outbox: mpsc::Sender<BytesMut>,
    generation: watch::Sender<u64>,
    closed: watch::Receiver<bool>,
    pushes: Pushes,
    /// The `Control` queue until someone takes it (std mutex: never held across `.await`).
    controls: Mutex<Option<mpsc::UnboundedReceiver<AgentControl>>>,
}

/// Where pushes other than `Generation` go.
#[derive(Clone)]
struct Pushes {
    debug_filter: watch::Sender<DebugSet>,
    controls: mpsc::UnboundedSender<AgentControl>,
}

/// A connection to LINA; clones share it.
#[derive(Clone)]
pub struct LinaClient {
    shared: Arc<Shared>,
}

impl fmt::Debug for LinaClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LinaClient")
            .field("closed", &*self.shared.closed.borrow())
            .finish()
    }
}

impl LinaClient {
    /// Connects, proves `secret` (docs/lina-protocol.md, "Authentication"), says hello as
    /// `peer`, and returns the device facts LINA announced.
    pub async fn connect(
        addr: SocketAddr,
        peer: &str,
        secret: Option<&ChannelSecret>,
    ) -> Result<(LinaClient, DeviceFacts), LinaError> {
        let stream = TcpStream::connect(addr).await?;
        stream.set_nodelay(true)?;
        let (read, write) = stream.into_split();
        let pending: Pending = Arc::default();
        let (outbox, outbox_rx) = mpsc::channel(1024);
        let (closed_tx, closed_rx) = watch::channel(false);
        let (generation, _) = watch::channel(0);
        let (debug_filter, _) = watch::channel(DebugSet::EMPTY);
        let (controls_tx, controls_rx) = mpsc::unbounded_channel();
        let pushes = Pushes {
            debug_filter,
            controls: controls_tx,
        };
        let shared = Arc::new(Shared {
            next_id: AtomicU32::new(1),
            pending: pending.clone(),
            outbox,
            generation,
            closed: closed_rx,
            pushes: pushes.clone(),
            controls: Mutex::new(Some(controls_rx)),
        });
        let closed_tx = Arc::new(closed_tx);
        tokio::spawn(write_loop(write, outbox_rx, closed_tx.clone()));
        tokio::spawn(read_loop(
            read,
            pending,
            shared.generation.clone(),
            pushes,
            closed_tx,
        ));
        let client = LinaClient { shared };
        if let Some(secret) = secret {
            let nonce = match client.request(Message::Challenge).await? {
                Message::Nonce(nonce) => nonce,
                other => return Err(unexpected(other, "Nonce")),
            };
            match client.request(Message::Prove(secret.proof(&nonce))).await? {
                Message::Proven => {}
                other => return Err(unexpected(other, "Proven")),
            }
        }
        match client
            .request(Message::Hello {
                version: PROTOCOL_VERSION,
                peer: peer.to_owned(),
            })
            .await?
        {
            Message::HelloAck(facts) => Ok((client, facts)),
            other => Err(unexpected(other, "HelloAck")),
        }
    }

    /// Checks credentials; the inner result is LINA's verdict.
    pub async fn authenticate(
        &self,
        a: Authenticate,
    ) -> Result<Result<Session, AuthFailure>, LinaError> {
        match self.request(Message::Authenticate(a)).await? {
            Message::AuthResult(r) => Ok(r),
            other => Err(unexpected(other, "AuthResult")),
        }
    }

    pub async fn token_create(&self, t: TokenCreate) -> Result<TokenResult, LinaError> {
        match self.request(Message::TokenCreate(t)).await? {
            Message::TokenResult(r) => Ok(r),
            other => Err(unexpected(other, "TokenResult")),
        }
    }

    pub async fn token_delete(&self, t: TokenDelete) -> Result<TokenResult, LinaError> {
        match self.request(Message::TokenDelete(t)).await? {
            Message::TokenResult(r) => Ok(r),
            other => Err(unexpected(other, "TokenResult")),
        }
    }

    /// Runs a command batch; outputs LINA streams in pieces are joined into the result.
    pub async fn exec(&self, e: Exec) -> Result<ExecResult, LinaError> {
        match self.request(Message::Exec(e)).await? {
            Message::ExecResult(r) => Ok(r),
            other => Err(unexpected(other, "ExecResult")),
        }
    }

    /// Runs a command batch, handing the pieces of every output LINA streams (those larger than
    /// one piece, issue 13) to `pieces` as they arrive, in order; those outputs are empty in
    /// the result, the others are in it. `pieces` is dropped once the answer is in.
    pub async fn exec_streamed(
        &self,
        e: Exec,
        pieces: mpsc::UnboundedSender<ExecOutput>,
    ) -> Result<ExecResult, LinaError> {
        let sink = OutputSink::Forward(StreamCheck::default(), pieces);
        match self.request_into(Message::Exec(e), sink).await? {
            Message::ExecResult(r) => Ok(r),
            other => Err(unexpected(other, "ExecResult")),
        }
    }

    /// Hands an event to LINA's syslog.
    pub async fn log(&self, ev: LogEvent) -> Result<(), LinaError> {
        match self.request(Message::Log(ev)).await? {
            Message::LogAck => Ok(()),
            other => Err(unexpected(other, "LogAck")),
        }
    }

    /// Subscribes to configuration generations: the receiver holds the current one, then each push.
    pub async fn subscribe(&self) -> Result<watch::Receiver<u64>, LinaError> {
        match self.request(Message::Subscribe).await? {
            Message::Generation(g) => {
                advance(&self.shared.generation, g);
                Ok(self.shared.generation.subscribe())
            }
            other => Err(unexpected(other, "Generation")),
        }
    }

    /// Follows the agent's life cycle: subscribes, and answers whether the agent must run now;
    /// later controls arrive on [`LinaClient::take_controls`].
    pub async fn watch_agent(&self) -> Result<AgentControl, LinaError> {
        match self.request(Message::WatchAgent).await? {
            Message::Control(control) => Ok(control),
            other => Err(unexpected(other, "Control")),
        }
    }

    /// The certificate chain and key `ssl trust-point` selects for the HTTPS server (issue 15);
    /// `None` for the default certificate.
    pub async fn https_identity(
        &self,
    ) -> Result<Option<cli_translator::protocol::HttpsIdentity>, LinaError> {
        match self.request(Message::HttpsIdentityRequest).await? {
            Message::HttpsIdentity(identity) => Ok(identity),
            other => Err(unexpected(other, "HttpsIdentity")),
        }
    }

    // issue 13: change journal
    /// What changed after generation `since` (the admin context's, or the device's), from
    /// LINA's change journal.
    pub async fn changes_since(
        &self,
        since: u64,
    ) -> Result<cli_translator::protocol::ChangesAnswer, LinaError> {
        let ask = cli_translator::protocol::ChangesSince {
            context: None,
            since,
        };
        match self.request(Message::ChangesSince(ask)).await? {
            Message::Changes(answer) => Ok(answer),
            other => Err(unexpected(other, "Changes")),
        }
    }

    /// Sends a debug line for the consoles that asked for it.
    pub async fn debug(&self, line: DebugLine) -> Result<(), LinaError> {
        match self.request(Message::Debug(line)).await? {
            Message::LogAck => Ok(()),
            other => Err(unexpected(other, "LogAck")),
        }
    }

    /// The `debug rest-api` pairs some console wants (pushed after `subscribe`).
    pub fn debug_filter(&self) -> watch::Receiver<DebugSet> {
        self.shared.pushes.debug_filter.subscribe()
    }

    /// The `Control` pushes LINA sends a subscribed daemon, in order; `None` once taken.
    pub fn take_controls(&self) -> Option<mpsc::UnboundedReceiver<AgentControl>> {
        self.shared
            .controls
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take()
    }

    /// Whether the connection has ended.
    pub fn is_closed(&self) -> bool {
        *self.shared.closed.borrow()
    }

    /// Resolves when the connection ends.
    pub fn closed(&self) -> impl Future<Output = ()> + Send + 'static {
        let mut rx = self.shared.closed.clone();
        async move {
            // An error means the sender is gone: closed as well.
            let _ = rx.wait_for(|closed| *closed).await;
        }
    }

    async fn request(&self, msg: Message) -> Result<Message, LinaError> {
        self.request_into(msg, OutputSink::Join(Assembly::default()))
            .await
    }

    async fn request_into(&self, msg: Message, output: OutputSink) -> Result<Message, LinaError> {
        if self.is_closed() {
            return Err(LinaError::Closed);
        }
        let id = loop {
            let id = self.shared.next_id.fetch_add(1, Ordering::Relaxed);
            if id != 0 {
                break id;
            }
        };
        let frame = msg
            .to_frame(id)
            .map_err(|_| LinaError::Unexpected("a request small enough for one frame"))?;
        let mut wire = BytesMut::with_capacity(frame.payload.len() + frame::HEADER_LEN);
        frame::encode(&frame, &mut wire);
        let (tx, rx) = oneshot::channel();
        let started = std::time::Instant::now();
        lock(&self.shared.pending).insert(id, Waiter { answer: tx, output });
        if self.shared.outbox.send(wire).await.is_err() {
            lock(&self.shared.pending).remove(&id);
            return Err(LinaError::Closed);
        }
        let answer = rx.await;
        crate::metrics::worker().lina_round_trip(started.elapsed());
        match answer {
            Ok(Message::Error(e)) => Err(LinaError::Protocol(e)),
            Ok(m) => Ok(m),
            Err(_) => Err(LinaError::Closed),
        }
    }
}

fn lock(p: &Pending) -> std::sync::MutexGuard<'_, HashMap<u32, Waiter>> {
    // A poisoned map only means a task panicked while inserting; the map itself is still usable.
    p.lock().unwrap_or_else(|e| e.into_inner())
}

/// Generations only grow; a late answer must not move the watch backwards.
fn advance(generation: &watch::Sender<u64>, g: u64) {
    generation.send_if_modified(|cur| {
        if g > *cur {
            *cur = g;
            true
        } else {
            false
        }
    });
}

fn unexpected(msg: Message, wanted: &'static str) -> LinaError {
    match msg {
        Message::Error(e) => LinaError::Protocol(e),
        _ => LinaError::Unexpected(wanted),
    }
}

async fn write_loop(
    mut write: OwnedWriteHalf,
    mut outbox: mpsc::Receiver<BytesMut>,
    closed: Arc<watch::Sender<bool>>,
) {
    while let Some(mut buf) = outbox.recv().await {
        // Frames queued meanwhile by other requests go out in the same write: under load one
        // system call carries many requests.
        while buf.len() < COALESCE_LIMIT {
            match outbox.try_recv() {
                Ok(more) => buf.extend_from_slice(&more),
                Err(_) => break,
            }
        }
        if write.write_all(&buf).await.is_err() {
            break;
        }
    }
    closed.send_replace(true);
}

async fn read_loop(
    mut read: OwnedReadHalf,
    pending: Pending,
    generation: watch::Sender<u64>,
    pushes: Pushes,
    closed: Arc<watch::Sender<bool>>,
) {
    let mut buf = BytesMut::with_capacity(READ_BUFFER);
    'conn: loop {
        loop {
            match frame::decode(&mut buf) {
                Ok(Some(f)) => {
                    // issue 13: streamed output, read in place (no copy before its destination).
                    if f.kind == kind::EXEC_OUTPUT {
                        match ExecOutputRef::decode(&f.payload) {
                            Ok(piece) => {
                                let mut pending = lock(&pending);
                                let refused = match pending.get_mut(&f.request_id) {
                                    Some(waiter) => waiter.piece(piece).err(),
                                    None => None,
                                };
                                // A bad stream fails its request only; later pieces of it
                                // and its result find no one waiting and are dropped.
                                if let Some(e) = refused
                                    && let Some(waiter) = pending.remove(&f.request_id)
                                {
                                    let _ = waiter.answer.send(stream_refused(&e));
                                }
                            }
                            Err(e) => {
                                tracing::warn!(error = %e, "undecodable output piece from LINA");
                                break 'conn;
                            }
                        }
                        continue;
                    }
                    let msg = match Message::from_frame(&f) {
                        Ok(m) => m,
                        Err(e) => {
                            tracing::warn!(error = %e, "undecodable message from LINA");
                            break 'conn;
                        }
                    };
                    if f.request_id == 0 {
                        match msg {
                            Message::Generation(g) => advance(&generation, g),
                            Message::DebugFilter(set) => {
                                pushes.debug_filter.send_replace(set);
                            }
                            Message::Control(control) => {
                                // Nobody listening (an agent process) is fine.
                                let _ = pushes.controls.send(control);
                            }
                            _ => {}
                        }
                        continue;
                    }
                    let waiter = lock(&pending).remove(&f.request_id);
                    if let Some(waiter) = waiter {
                        waiter.answer(msg);
                    }
                }
                Ok(None) => break,
                Err(e) => {
                    tracing::warn!(error = %e, "bad frame from LINA");
                    break 'conn;
                }
            }
        }
        // issue 13: memory. A large frame (a 1 MiB piece of `show running-config`) grew the
        // buffer to its size; kept, its pages stay resident for the connection's life. Given
        // back once nothing is read and nobody waits, not between a stream's pieces, where
        // the next piece would grow it again.
        if buf.is_empty() && buf.capacity() > READ_BUFFER && lock(&pending).is_empty() {
            buf = BytesMut::with_capacity(READ_BUFFER);
        }
        match read.read_buf(&mut buf).await {
            Ok(0) | Err(_) => break,
            Ok(_) => {}
        }
    }
    closed.send_replace(true);
    // Dropping the senders fails every waiting request with `Closed`.
    lock(&pending).clear();
}

#[cfg(test)]
mod tests {
    use super::*;
    use cli_translator::protocol::{ContextMode, Credential, FirewallMode};
    use tokio::net::TcpListener;

    fn facts() -> DeviceFacts {
        DeviceFacts {
            hostname: "asa".into(),
            model: "ASAv".into(),
            serial_number: "X".into(),
            asa_version: "9.16(4)".into(),
            rest_api_version: "7.16(1)".into(),
            context_mode: ContextMode::Single,
            firewall_mode: FirewallMode::Routed,
        }
    }

    /// A fake LINA that answers requests out of order and pushes a generation.
    async fn fake_lina() -> SocketAddr {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            let (mut sock, _) = listener.accept().await.unwrap();
            let mut buf = BytesMut::new();
            let mut held: Vec<(u32, Message)> = Vec::new();
            loop {
                let mut pushes = Vec::new();
                while let Some(f) = frame::decode(&mut buf).unwrap() {
                    let reply = match Message::from_frame(&f).unwrap() {
                        Message::Hello { .. } => Message::HelloAck(facts()),
                        Message::Subscribe => {
                            pushes.push(Message::Generation(8));
                            Message::Generation(7)
                        }
                        Message::Authenticate(a) => match a.credential {
                            Credential::Basic { username, .. } => {
                                Message::AuthResult(Ok(Session {
                                    username,
                                    privilege: 15,
                                    generation: 7,
                                }))
                            }
                            Credential::Token(_) => {
                                Message::AuthResult(Err(AuthFailure::BadCredentials))
                            }
                        },
                        Message::Log(_) => Message::LogAck,
                        _ => Message::Error(ProtocolError {
                            code: cli_translator::protocol::ProtocolErrorCode::UnexpectedMessage,
                            detail: "no".into(),
                        }),
                    };
                    held.push((f.request_id, reply));
                }
                // Answer in reverse order to show the client matches by id; pushes go last.
                let mut out = BytesMut::new();
                while let Some((id, m)) = held.pop() {
                    frame::encode(&m.to_frame(id).unwrap(), &mut out);
                }
                for m in pushes {
                    frame::encode(&m.to_frame(0).unwrap(), &mut out);
                }
                if !out.is_empty() {
                    sock.write_all(&out).await.unwrap();
                }
                if sock.read_buf(&mut buf).await.unwrap() == 0 {
                    return;
                }
            }
        });
        addr
    }

    #[tokio::test]
    async fn matches_concurrent_answers_by_request_id() {
        let addr = fake_lina().await;
        let (client, facts_got) = LinaClient::connect(addr, "rest-agent/test", None)
            .await
            .unwrap();
        assert_eq!(facts_got, facts());
        let auth = |user: &str| Authenticate {
            credential: Credential::Basic {
                username: user.into(),
                password: "p".into(),
            },
            context: None,
            source: "127.0.0.1".parse().unwrap(),
        };
        let (a, b) = tokio::join!(
            client.authenticate(auth("alice")),
            client.authenticate(auth("bob"))
        );
        assert_eq!(a.unwrap().unwrap().username, "alice");
        assert_eq!(b.unwrap().unwrap().username, "bob");
        let token = Authenticate {
            credential: Credential::Token("t".into()),
            context: None,
            source: "::1".parse().unwrap(),
        };
        assert_eq!(
            client.authenticate(token).await.unwrap(),
            Err(AuthFailure::BadCredentials)
        );
        assert!(matches!(
            client.exec(exec()).await,
            Err(LinaError::Protocol(_))
        ));
        let mut rx = client.subscribe().await.unwrap();
        let pushed = *rx.wait_for(|g| *g == 8).await.unwrap();
        assert_eq!(pushed, 8);
        client
            .log(LogEvent {
                message_id: 342001,
                level: 7,
                body: "x".into(),
            })
            .await
            .unwrap();
    }

    fn exec() -> Exec {
        Exec {
            user: "u".into(),
            privilege: 15,
            source: "127.0.0.1".parse().unwrap(),
            context: None,
            mode: cli_translator::protocol::ExecMode::Exec,
            atomic: false,
            commands: vec!["show version".into()],
            expected_generation: None,
        }
    }

    #[tokio::test]
    async fn fails_waiting_requests_when_lina_goes_away() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            let (mut sock, _) = listener.accept().await.unwrap();
            let mut buf = BytesMut::new();
            sock.read_buf(&mut buf).await.unwrap();
            let f = frame::decode(&mut buf).unwrap().unwrap();
            let mut out = BytesMut::new();
            frame::encode(
                &Message::HelloAck(facts()).to_frame(f.request_id).unwrap(),
                &mut out,
            );
            sock.write_all(&out).await.unwrap();
            // Read the next request, then hang up without answering.
            let _ = sock.read_buf(&mut buf).await;
        });
        let (client, _) = LinaClient::connect(addr, "rest-agent/test", None)
            .await
            .unwrap();
        assert!(matches!(client.exec(exec()).await, Err(LinaError::Closed)));
        client.closed().await;
        assert!(client.is_closed());
        assert!(matches!(client.exec(exec()).await, Err(LinaError::Closed)));
    }

    #[tokio::test]
    async fn rejects_garbage_from_the_peer() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            let (mut sock, _) = listener.accept().await.unwrap();
            sock.write_all(b"HTTP/1.1 200 OK\r\n\r\n").await.unwrap();
            let mut b = [0u8; 64];
            let _ = sock.read(&mut b).await;
        });
        assert!(matches!(
            LinaClient::connect(addr, "rest-agent/test", None).await,
            Err(LinaError::Closed)
        ));
    }

    // issue 13: streamed output
    /// A fake LINA that answers every `Exec` with `frames(request_id)`, after the hello.
    async fn streaming_lina(frames: fn(u32) -> Vec<frame::Frame>) -> SocketAddr {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            let (mut sock, _) = listener.accept().await.unwrap();
            let mut buf = BytesMut::new();
            loop {
                while let Some(f) = frame::decode(&mut buf).unwrap() {
                    let mut out = BytesMut::new();
                    match Message::from_frame(&f).unwrap() {
                        Message::Hello { .. } => frame::encode(
                            &Message::HelloAck(facts()).to_frame(f.request_id).unwrap(),
                            &mut out,
                        ),
                        _ => {
                            for answer in frames(f.request_id) {
                                frame::encode(&answer, &mut out);
                            }
                        }
                    }
                    sock.write_all(&out).await.unwrap();
                }
                if sock.read_buf(&mut buf).await.unwrap() == 0 {
                    return;
                }
            }
        });
        addr
    }

    fn big_result() -> ExecResult {
        use cli_translator::protocol::CommandOutcome;
        ExecResult {
            outcomes: vec![
                CommandOutcome {
                    ok: true,
                    output: "object network a\n host 10.0.0.1\n".repeat(100_000),
                },
                CommandOutcome {
                    ok: true,
                    output: "small\n".into(),
                },
            ],
            applied: true,
            generation: 3,
            refusal: None,
        }
    }

    #[tokio::test]
    async fn joins_or_forwards_an_output_streamed_in_pieces() {
        use cli_translator::protocol::{OUTPUT_CHUNK, stream::StreamFrames};
        let addr =
            streaming_lina(|id| StreamFrames::new(big_result(), id, OUTPUT_CHUNK).collect()).await;
        let (client, _) = LinaClient::connect(addr, "rest-agent/test", None)
            .await
            .unwrap();
        // Joined: the result as LINA had it, though no frame held the whole output.
        assert_eq!(client.exec(exec()).await.unwrap(), big_result());
        // Forwarded: the pieces arrive in order, the result keeps the small output only.
        let (tx, mut rx) = mpsc::unbounded_channel();
        let result = client.exec_streamed(exec(), tx).await.unwrap();
        let mut joined = String::new();
        let mut pieces = 0;
        while let Some(piece) = rx.recv().await {
            assert_eq!(piece.index, 0);
            assert!(piece.text.len() <= OUTPUT_CHUNK);
            joined.push_str(&piece.text);
            pieces += 1;
        }
        assert!(pieces >= 3, "{pieces} pieces");
        assert_eq!(joined, big_result().outcomes[0].output);
        assert_eq!(result.outcomes[0].output, "");
        assert_eq!(result.outcomes[1].output, "small\n");
    }

    #[tokio::test]
    async fn a_stream_that_does_not_add_up_fails_its_request_only() {
        use cli_translator::protocol::stream::piece_frame;
        // Two pieces that overrun their total, then a result.
        let addr = streaming_lina(|id| {
            vec![
                piece_frame(id, 0, 4, "abc"),
                piece_frame(id, 0, 4, "de"),
                Message::ExecResult(ExecResult {
                    outcomes: vec![cli_translator::protocol::CommandOutcome {
                        ok: true,
                        output: String::new(),
                    }],
                    applied: true,
                    generation: 1,
                    refusal: None,
                })
                .to_frame(id)
                .unwrap(),
            ]
        })
        .await;
        let (client, _) = LinaClient::connect(addr, "rest-agent/test", None)
            .await
            .unwrap();
        assert!(matches!(
            client.exec(exec()).await,
            Err(LinaError::Protocol(_))
        ));
        // The connection is still there for the next request.
        assert!(!client.is_closed());
        assert!(matches!(
            client.exec(exec()).await,
            Err(LinaError::Protocol(_))
        ));
    }
}

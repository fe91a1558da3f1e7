//! The LINA protocol listener: one task per connection, frames decoded with the shared codec
//! (length capped before allocation), requests handled by the engine in arrival order, answers
//! written in that order. `Subscribe` registers the connection for generation pushes.
//!
//! A connection first proves the per-boot channel secret (`Challenge`, `Nonce`, `Prove`,
//! `Proven`; docs/lina-protocol.md): until then only those two requests are read, with frames
//! capped at [`PRE_AUTH_MAX_FRAME`] bytes, and the whole handshake must end within
//! [`HANDSHAKE_TIMEOUT`]. Unauthenticated connections have their own small pool; when it is
//! full the oldest is closed to admit the newcomer, so strangers holding connections open
//! cannot keep the agent out. Authenticated connections count against [`MAX_CONNECTIONS`].
//! A frame that has begun must be complete within [`PARTIAL_FRAME_TIMEOUT`].
//!
//! A connection's writes go through one bounded queue: answers wait for room (only this
//! connection's reader slows down), pushes never wait (a subscriber whose queue is full is
//! dropped), so a slow client cannot block the engine or other clients.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::BytesMut;
use cli_translator::protocol::frame;
use cli_translator::protocol::{
    ChannelSecret, Message, OUTPUT_CHUNK, ProtocolError, ProtocolErrorCode, auth::NONCE_LEN, stream,
};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::tcp::OwnedWriteHalf;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, mpsc, oneshot, watch};
use tokio::time::Instant;

use crate::engine::ConnState;
use crate::shared::{Outgoing, Shared, lock, now};

/// Simultaneous authenticated protocol connections.
pub const MAX_CONNECTIONS: usize = 64;
/// Simultaneous connections still in the handshake; the oldest is closed to admit a new one.
pub const MAX_UNAUTHENTICATED: usize = 16;
/// Largest frame payload read before the connection has proven the secret.
pub const PRE_AUTH_MAX_FRAME: usize = 4 * 1024;
/// Time from accept to `Proven`.
pub const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(5);
/// Time within which a frame that has begun must be complete.
pub const PARTIAL_FRAME_TIMEOUT: Duration = Duration::from_secs(30);
/// Pause after a failed accept (out of descriptors, say) before trying again.
pub const ACCEPT_BACKOFF: Duration = Duration::from_millis(100);
/// Frames queued for one connection's writer.
pub const WRITE_QUEUE: usize = 256;

/// Connections in the handshake, oldest first (std mutex: never held across `.await`).
#[derive(Debug, Default)]
struct Handshaking {
    next: u64,
    evict: BTreeMap<u64, oneshot::Sender<()>>,
}

/// What the accept loop hands each connection.
#[derive(Debug, Clone)]
struct Gate {
    secret: Arc<ChannelSecret>,
    handshaking: Arc<Mutex<Handshaking>>,
    authenticated: Arc<Semaphore>,
}

/// Accepts connections until `shutdown` turns true. Every connection must prove `secret`.
pub async fn serve(
    listener: TcpListener,
    shared: Shared,
    secret: Arc<ChannelSecret>,
    mut shutdown: watch::Receiver<bool>,
) {
    let gate = Gate {
        secret,
        handshaking: Arc::default(),
        authenticated: Arc::new(Semaphore::new(MAX_CONNECTIONS)),
    };
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let stream = match accepted {
                    Ok((stream, _)) => stream,
                    Err(e) => {
                        // Out of descriptors, say: back off instead of spinning.
                        tracing::warn!(error = %e, "accept failed");
                        tokio::time::sleep(ACCEPT_BACKOFF).await;
                        continue;
                    }
                };
                let (slot, evicted) = admit(&gate.handshaking);
                let shared = shared.clone();
                let shutdown = shutdown.clone();
                let gate = gate.clone();
                tokio::spawn(async move {
                    connection(stream, shared, gate, slot, evicted, shutdown).await;
                });
            }
            _ = shutdown.changed() => break,
        }
    }
}

/// Registers a new connection in the handshake pool, closing the oldest one when full.
fn admit(handshaking: &Mutex<Handshaking>) -> (u64, oneshot::Receiver<()>) {
    let mut h = handshaking
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    while h.evict.len() >= MAX_UNAUTHENTICATED {
        // Dropping the sender wakes the oldest connection, which closes.
        if h.evict.pop_first().is_none() {
            break;
        }
    }
    let slot = h.next;
    h.next += 1;
    let (tx, rx) = oneshot::channel();
    h.evict.insert(slot, tx);
    (slot, rx)
}

fn leave_handshake(handshaking: &Mutex<Handshaking>, slot: u64) {
    handshaking
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .evict
        .remove(&slot);
}

/// Where a connection stands in the handshake.
#[derive(Debug)]
enum Handshake {
    Fresh,
    Challenged(String),
    /// Authenticated; the permit holds its place among the authenticated connections.
    Done {
        _permit: OwnedSemaphorePermit,
    },
}

impl Handshake {
    fn done(&self) -> bool {
        matches!(self, Handshake::Done { .. })
    }
}

fn fresh_nonce() -> Option<String> {
    let mut bytes = [0u8; NONCE_LEN];
    getrandom::fill(&mut bytes).ok()?;
    Some(cli_translator::protocol::auth::encode_hex(&bytes))
}

/// A request before authentication: the answer, and whether the connection may go on.
fn handshake_step(state: &mut Handshake, msg: Message, gate: &Gate) -> (Message, bool) {
    match (msg, &*state) {
        (Message::Challenge, Handshake::Fresh) => match fresh_nonce() {
            Some(nonce) => {
                *state = Handshake::Challenged(nonce.clone());
                (Message::Nonce(nonce), true)
            }
            None => (
                protocol_error(
                    ProtocolErrorCode::Refused,
                    "no randomness for a nonce".into(),
                ),
                false,
            ),
        },
        (Message::Prove(proof), Handshake::Challenged(nonce)) => {
            if !gate.secret.verify(nonce, &proof) {
                return (
                    protocol_error(
                        ProtocolErrorCode::Unauthenticated,
                        "wrong proof of the channel secret".into(),
                    ),
                    false,
                );
            }
            match gate.authenticated.clone().try_acquire_owned() {
                Ok(permit) => {
                    *state = Handshake::Done { _permit: permit };
                    (Message::Proven, true)
                }
                Err(_) => (
                    protocol_error(
                        ProtocolErrorCode::Refused,
                        format!("{MAX_CONNECTIONS} authenticated connections are open"),
                    ),
                    false,
                ),
            }
        }
        (other, _) => (
            protocol_error(
                ProtocolErrorCode::Unauthenticated,
                format!(
                    "message kind {} before the channel secret was proven (Challenge, Prove)",
                    other.kind()
                ),
            ),
            false,
        ),
    }
}

/// Resolves when the accept loop closes this connection to admit a newer one.
async fn evicted(rx: &mut Option<oneshot::Receiver<()>>) {
    match rx {
        Some(rx) => {
            let _ = rx.await;
        }
        None => std::future::pending().await,
    }
}

/// Resolves at `deadline`, or never.
async fn until(deadline: Option<Instant>) {
    match deadline {
        Some(d) => tokio::time::sleep_until(d).await,
        None => std::future::pending().await,
    }
}

fn protocol_error(code: ProtocolErrorCode, detail: String) -> Message {
    Message::Error(ProtocolError { code, detail })
}

async fn connection(
    stream: TcpStream,
    shared: Shared,
    gate: Gate,
    slot: u64,
    evict: oneshot::Receiver<()>,
    mut shutdown: watch::Receiver<bool>,
) {
    let peer = stream.peer_addr().ok();
    let _ = stream.set_nodelay(true);
    let (mut reader, writer) = stream.into_split();
    let (tx, rx) = mpsc::channel::<Outgoing>(WRITE_QUEUE);
    let writer = tokio::spawn(write_loop(writer, rx));
    let conn_id = lock(&shared).connection_id();
    let mut conn = ConnState::default();
    let mut registered = false;
    let mut handshake = Handshake::Fresh;
    let mut evict = Some(evict);
    let handshake_deadline = Instant::now() + HANDSHAKE_TIMEOUT;
    let mut partial_since: Option<Instant> = None;
    let mut buf = BytesMut::with_capacity(PRE_AUTH_MAX_FRAME);
    'read: loop {
        loop {
            let cap = if handshake.done() {
                frame::MAX_PAYLOAD
            } else {
                PRE_AUTH_MAX_FRAME
            };
            match frame::decode_capped(&mut buf, cap) {
                Ok(Some(f)) => {
                    let request_id = f.request_id;
                    let msg = match Message::from_frame(&f) {
                        Ok(m) => m,
                        Err(e) => {
                            let reply = protocol_error(ProtocolErrorCode::Malformed, e.to_string());
                            let _ = tx
                                .send(Outgoing {
                                    request_id,
                                    message: reply,
                                })
                                .await;
                            break 'read;
                        }
                    };
                    if !handshake.done() {
                        let (message, go_on) = handshake_step(&mut handshake, msg, &gate);
                        if handshake.done() {
                            leave_handshake(&gate.handshaking, slot);
                            evict = None;
                        }
                        let sent = tx
                            .send(Outgoing {
                                request_id,
                                message,
                            })
                            .await;
                        if !go_on || sent.is_err() {
                            break 'read;
                        }
                        continue;
                    }
                    let reply = {
                        // No .await while the core is locked.
                        let mut core = lock(&shared);
                        let (reply, effects) = core.engine.handle(msg, &mut conn, now());
                        if conn.subscribed && !registered {
                            core.subscribe(conn_id, tx.clone());
                            core.greet(conn_id);
                            registered = true;
                        }
                        if conn.watches_agent {
                            core.watch_agent(conn_id);
                        }
                        let durable = core.dispatch(effects);
                        (reply, durable)
                    };
                    // A save is answered once its file is on disk.
                    let reply = match reply {
                        (Some(reply), durable) => Some(durable.settle(reply).await),
                        (None, durable) => {
                            let _ = durable.wait().await;
                            None
                        }
                    };
                    if let Some(message) = reply
                        && tx
                            .send(Outgoing {
                                request_id,
                                message,
                            })
                            .await
                            .is_err()
                    {
                        break 'read;
                    }
                }
                Ok(None) => break,
                Err(e) => {
                    tracing::debug!(?peer, error = %e, "bad frame: closing");
                    let reply = protocol_error(ProtocolErrorCode::Malformed, e.to_string());
                    let _ = tx
                        .send(Outgoing {
                            request_id: 0,
                            message: reply,
                        })
                        .await;
                    break 'read;
                }
            }
        }
        if buf.is_empty() {
            partial_since = None;
        } else if partial_since.is_none() {
            partial_since = Some(Instant::now());
        }
        let deadline = if handshake.done() {
            partial_since.map(|t| t + PARTIAL_FRAME_TIMEOUT)
        } else {
            Some(handshake_deadline)
        };
        tokio::select! {
            read = reader.read_buf(&mut buf) => match read {
                Ok(0) | Err(_) => break,
                Ok(_) => {}
            },
            _ = until(deadline) => {
                tracing::debug!(?peer, "LINA connection timed out");
                break;
            }
            _ = evicted(&mut evict) => {
                tracing::debug!(?peer, "unauthenticated LINA connection closed for a newer one");
                break;
            }
            _ = shutdown.changed() => break,
        }
    }
    leave_handshake(&gate.handshaking, slot);
    lock(&shared).unsubscribe(conn_id);
    drop(tx);
    let _ = writer.await;
}

/// Writes queued frames in order. A `Generation` answer never reports less than a push
/// already written (a push may overtake the answer to `Subscribe`). A large command output
/// leaves in pieces (issue 13: streamed output), written as they are built.
async fn write_loop(mut writer: OwnedWriteHalf, mut rx: mpsc::Receiver<Outgoing>) {
    let mut out = BytesMut::new();
    let mut highest_pushed = 0u64;
    'write: while let Some(first) = rx.recv().await {
        out.clear();
        if write_outgoing(first, &mut highest_pushed, &mut out, &mut writer)
            .await
            .is_err()
        {
            break;
        }
        // Answers queued meanwhile go out in the same write: one system call for many.
        while out.len() < COALESCE_LIMIT {
            match rx.try_recv() {
                Ok(next) => {
                    if write_outgoing(next, &mut highest_pushed, &mut out, &mut writer)
                        .await
                        .is_err()
                    {
                        break 'write;
                    }
                }
                Err(_) => break,
            }
        }
        if writer.write_all(&out).await.is_err() {
            break;
        }
    }
    let _ = writer.shutdown().await;
}

/// Appends one outgoing message to `out`; an `ExecResult` with an output larger than one piece
/// becomes its `ExecOutput` pieces and the result (issue 13: streamed output), `out` being
/// written whenever it holds [`COALESCE_LIMIT`] bytes, so no more than about one piece is held
/// encoded.
async fn write_outgoing(
    outgoing: Outgoing,
    highest_pushed: &mut u64,
    out: &mut BytesMut,
    writer: &mut OwnedWriteHalf,
) -> std::io::Result<()> {
    match outgoing.message {
        Message::ExecResult(result) if stream::needs_streaming(&result) => {
            for frame in stream::StreamFrames::new(result, outgoing.request_id, OUTPUT_CHUNK) {
                if frame.payload.len() < COALESCE_LIMIT {
                    frame::encode(&frame, out);
                } else {
                    // A piece goes out from its own buffer, after what is queued and its
                    // header: not copied into `out` first.
                    frame::encode_header(&frame, out);
                    writer.write_all(out).await?;
                    out.clear();
                    writer.write_all(&frame.payload).await?;
                }
                if out.len() >= COALESCE_LIMIT {
                    writer.write_all(out).await?;
                    out.clear();
                }
            }
        }
        message => encode_outgoing(
            Outgoing {
                request_id: outgoing.request_id,
                message,
            },
            highest_pushed,
            out,
        ),
    }
    Ok(())
}

/// Queued answers are joined into one write up to this many bytes.
const COALESCE_LIMIT: usize = 64 * 1024;

/// Appends one outgoing message's frame to `out`. A generation answer never reports less than
/// a generation already pushed on this connection.
fn encode_outgoing(
    Outgoing {
        request_id,
        mut message,
    }: Outgoing,
    highest_pushed: &mut u64,
    out: &mut BytesMut,
) {
    if let Message::Generation(g) = &mut message {
        if request_id == 0 {
            *highest_pushed = (*highest_pushed).max(*g);
        } else {
            *g = (*g).max(*highest_pushed);
        }
    }
    let frame = match message.to_frame(request_id) {
        Ok(f) => f,
        Err(e) => {
            let reply = protocol_error(ProtocolErrorCode::Malformed, e.to_string());
            match reply.to_frame(request_id) {
                Ok(f) => f,
                Err(_) => return,
            }
        }
    };
    frame::encode(&frame, out);
}

#[cfg(test)]
mod tests {
    use std::net::{IpAddr, Ipv4Addr, SocketAddr};
    use std::sync::Mutex;
    use std::time::Duration;

    use bytes::BufMut as _;
    use cli_translator::protocol::frame::{MAGIC, PROTOCOL_VERSION};
    use cli_translator::protocol::{Exec, ExecMode};
    use tokio::io::AsyncWriteExt as _;

    use super::*;
    use crate::engine::{Engine, EngineOptions, Now};
    use crate::shared::Core;

    fn secret() -> ChannelSecret {
        ChannelSecret::from_bytes([9; 32])
    }

    async fn start() -> (SocketAddr, Shared, watch::Sender<bool>) {
        let (engine, _) = Engine::boot(
            "hostname t\ninterface Management0/0\n nameif management\n!\n",
            &EngineOptions::default(),
            [2; 32],
            Now::from_secs(0),
        );
        let (fx_tx, mut fx_rx) = mpsc::unbounded_channel();
        tokio::spawn(async move { while fx_rx.recv().await.is_some() {} });
        let shared: Shared = Arc::new(Mutex::new(Core::new(engine, fx_tx)));
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop_tx, stop_rx) = watch::channel(false);
        tokio::spawn(serve(listener, shared.clone(), Arc::new(secret()), stop_rx));
        (addr, shared, stop_tx)
    }

    struct Client {
        stream: TcpStream,
        buf: BytesMut,
    }

    impl Client {
        async fn connect(addr: SocketAddr) -> Client {
            Client {
                stream: TcpStream::connect(addr).await.unwrap(),
                buf: BytesMut::new(),
            }
        }

        async fn send(&mut self, id: u32, msg: Message) {
            let mut out = BytesMut::new();
            frame::encode(&msg.to_frame(id).unwrap(), &mut out);
            self.stream.write_all(&out).await.unwrap();
        }

        /// The next frame, or None when the server closed the connection.
        async fn recv(&mut self) -> Option<(u32, Message)> {
            loop {
                if let Some(f) = frame::decode(&mut self.buf).unwrap() {
                    return Some((f.request_id, Message::from_frame(&f).unwrap()));
                }
                let n = tokio::time::timeout(
                    Duration::from_secs(10),
                    self.stream.read_buf(&mut self.buf),
                )
                .await
                .expect("server answered in time")
                .unwrap();
                if n == 0 {
                    return None;
                }
            }
        }

        /// Proves `secret`; LINA's answer to the proof.
        async fn prove(&mut self, secret: &ChannelSecret) -> Message {
            self.send(100, Message::Challenge).await;
            let (_, nonce) = self.recv().await.unwrap();
            let Message::Nonce(nonce) = nonce else {
                panic!("wanted a nonce, got {nonce:?}");
            };
            self.send(101, Message::Prove(secret.proof(&nonce))).await;
            self.recv().await.unwrap().1
        }

        async fn hello_as(&mut self, peer: &str) {
            assert_eq!(self.prove(&secret()).await, Message::Proven);
            self.send(
                1,
                Message::Hello {
                    version: 1,
                    peer: peer.into(),
                },
            )
            .await;
            let (id, m) = self.recv().await.unwrap();
            assert_eq!(id, 1);
            assert!(matches!(m, Message::HelloAck(_)));
        }

        async fn hello(&mut self) {
            self.hello_as("rest-daemon/test").await;
        }

        fn refused(m: &Message) -> bool {
            matches!(m, Message::Error(e) if e.code == ProtocolErrorCode::Unauthenticated)
        }
    }

    fn exec(user: &str, commands: &[&str]) -> Message {
        Message::Exec(Exec {
            user: user.into(),
            privilege: 15,
            source: IpAddr::V4(Ipv4Addr::LOCALHOST),
            context: None,
            mode: ExecMode::Config,
            atomic: true,
            commands: commands.iter().map(|c| (*c).to_owned()).collect(),
            expected_generation: None,
        })
    }

    #[tokio::test]
    async fn an_unauthenticated_hello_is_refused_and_closed() {
        let (addr, _, _stop) = start().await;
        let mut c = Client::connect(addr).await;
        c.send(
            1,
            Message::Hello {
                version: 1,
                peer: "rest-agent/forged".into(),
            },
        )
        .await;
        assert!(Client::refused(&c.recv().await.unwrap().1));
        assert!(c.recv().await.is_none(), "connection closed");
    }

    #[tokio::test]
    async fn an_unauthenticated_exec_changes_nothing() {
        let (addr, shared, _stop) = start().await;
        let mut c = Client::connect(addr).await;
        c.send(3, exec("admin", &["hostname owned"])).await;
        assert!(Client::refused(&c.recv().await.unwrap().1));
        assert!(c.recv().await.is_none());
        assert!(!lock(&shared).engine.running_config().contains("owned"));
    }

    #[tokio::test]
    async fn a_wrong_proof_is_refused() {
        let (addr, _, _stop) = start().await;
        let mut c = Client::connect(addr).await;
        let wrong = ChannelSecret::from_bytes([1; 32]);
        assert!(Client::refused(&c.prove(&wrong).await));
        assert!(c.recv().await.is_none());
        // A proof without a challenge is no better.
        let mut c = Client::connect(addr).await;
        c.send(5, Message::Prove("00".repeat(32))).await;
        assert!(Client::refused(&c.recv().await.unwrap().1));
    }

    #[tokio::test]
    async fn a_forged_agent_hello_does_not_revoke_tokens() {
        let (addr, shared, _stop) = start().await;
        let mut agent = Client::connect(addr).await;
        agent.hello_as("rest-agent/1").await;
        agent
            .send(
                2,
                exec(
                    "enable_15",
                    &["username tok password Tok-pw-123 privilege 15"],
                ),
            )
            .await;
        assert!(matches!(agent.recv().await.unwrap().1, Message::ExecResult(r) if r.applied));
        agent
            .send(
                3,
                Message::TokenCreate(cli_translator::protocol::TokenCreate {
                    username: "tok".into(),
                    password: "Tok-pw-123".into(),
                    context: None,
                    source: IpAddr::V4(Ipv4Addr::LOCALHOST),
                }),
            )
            .await;
        let Message::TokenResult(cli_translator::protocol::TokenResult::Created { token }) =
            agent.recv().await.unwrap().1
        else {
            panic!("no token");
        };
        let mut forger = Client::connect(addr).await;
        forger
            .send(
                1,
                Message::Hello {
                    version: 1,
                    peer: "rest-agent/forged".into(),
                },
            )
            .await;
        assert!(Client::refused(&forger.recv().await.unwrap().1));
        let auth = Message::Authenticate(cli_translator::protocol::Authenticate {
            credential: cli_translator::protocol::Credential::Token(token),
            context: None,
            source: IpAddr::V4(Ipv4Addr::LOCALHOST),
        });
        agent.send(4, auth).await;
        assert!(matches!(
            agent.recv().await.unwrap().1,
            Message::AuthResult(Ok(_))
        ));
        drop(shared);
    }

    #[tokio::test]
    async fn a_64_mib_header_before_authentication_is_refused_at_once() {
        let (addr, _, _stop) = start().await;
        let mut c = Client::connect(addr).await;
        let mut raw = BytesMut::new();
        raw.put_slice(&MAGIC);
        raw.put_u8(PROTOCOL_VERSION);
        raw.put_u8(5);
        raw.put_u32(1);
        raw.put_u32(64 * 1024 * 1024);
        c.stream.write_all(&raw).await.unwrap();
        let (_, m) = c.recv().await.unwrap();
        assert!(matches!(m, Message::Error(e) if e.code == ProtocolErrorCode::Malformed));
        assert!(c.recv().await.is_none(), "connection closed");
    }

    #[tokio::test]
    async fn many_idle_strangers_do_not_keep_the_agent_out() {
        let (addr, _, _stop) = start().await;
        let mut idle = Vec::new();
        for _ in 0..(MAX_UNAUTHENTICATED * 4) {
            idle.push(TcpStream::connect(addr).await.unwrap());
        }
        let mut agent = Client::connect(addr).await;
        agent.hello_as("rest-agent/1").await;
        agent.send(2, Message::Subscribe).await;
        assert!(matches!(
            agent.recv().await.unwrap().1,
            Message::Generation(_)
        ));
        // The oldest strangers were closed to make room.
        let mut buf = [0u8; 64];
        let first = idle.first_mut().unwrap();
        let n = tokio::time::timeout(Duration::from_secs(10), first.read(&mut buf))
            .await
            .expect("closed in time");
        assert!(matches!(n, Ok(0) | Err(_)));
    }

    #[tokio::test]
    async fn hello_is_required_first() {
        let (addr, _, _stop) = start().await;
        let mut c = Client::connect(addr).await;
        assert_eq!(c.prove(&secret()).await, Message::Proven);
        c.send(7, Message::Subscribe).await;
        let (id, m) = c.recv().await.unwrap();
        assert_eq!(id, 7);
        assert!(matches!(m, Message::Error(e) if e.code == ProtocolErrorCode::HelloRequired));
        c.send(
            1,
            Message::Hello {
                version: 1,
                peer: "rest-daemon/test".into(),
            },
        )
        .await;
        assert!(matches!(c.recv().await.unwrap().1, Message::HelloAck(_)));
        c.send(8, Message::Subscribe).await;
        assert_eq!(c.recv().await.unwrap(), (8, Message::Generation(1)));
    }

    #[tokio::test]
    async fn an_oversized_frame_gets_an_error_then_close() {
        let (addr, _, _stop) = start().await;
        let mut c = Client::connect(addr).await;
        c.hello().await;
        let mut raw = BytesMut::new();
        raw.put_slice(&MAGIC);
        raw.put_u8(PROTOCOL_VERSION);
        raw.put_u8(5);
        raw.put_u32(1);
        raw.put_u32(u32::MAX);
        c.stream.write_all(&raw).await.unwrap();
        let (_, m) = c.recv().await.unwrap();
        assert!(matches!(m, Message::Error(e) if e.code == ProtocolErrorCode::Malformed));
        assert!(c.recv().await.is_none(), "connection closed");
    }

    #[tokio::test]
    async fn a_payload_that_does_not_decode_closes_the_connection() {
        let (addr, _, _stop) = start().await;
        let mut c = Client::connect(addr).await;
        c.hello().await;
        let mut raw = BytesMut::new();
        frame::encode(
            &frame::Frame {
                kind: 5,
                request_id: 3,
                payload: bytes::Bytes::from_static(b"\x00"),
            },
            &mut raw,
        );
        c.stream.write_all(&raw).await.unwrap();
        let (id, m) = c.recv().await.unwrap();
        assert_eq!(id, 3);
        assert!(matches!(m, Message::Error(e) if e.code == ProtocolErrorCode::Malformed));
        assert!(c.recv().await.is_none());
    }

    #[tokio::test]
    async fn subscribers_receive_pushes_after_a_change_elsewhere() {
        let (addr, shared, _stop) = start().await;
        let mut sub = Client::connect(addr).await;
        sub.hello().await;
        sub.send(2, Message::Subscribe).await;
        assert_eq!(sub.recv().await.unwrap(), (2, Message::Generation(1)));

        let mut writer = Client::connect(addr).await;
        writer.hello().await;
        writer
            .send(
                3,
                Message::Exec(Exec {
                    user: "admin".into(),
                    privilege: 15,
                    source: IpAddr::V4(Ipv4Addr::LOCALHOST),
                    context: None,
                    mode: ExecMode::Config,
                    atomic: true,
                    commands: vec!["hostname pushed".into()],
                    expected_generation: None,
                }),
            )
            .await;
        let (id, m) = writer.recv().await.unwrap();
        assert_eq!(id, 3);
        assert!(matches!(m, Message::ExecResult(r) if r.applied && r.generation == 2));
        assert_eq!(sub.recv().await.unwrap(), (0, Message::Generation(2)));
        assert_eq!(lock(&shared).subscriber_count(), 1);
        drop(sub);
        // The departed subscriber is forgotten once its connection task ends.
        for _ in 0..100 {
            if lock(&shared).subscriber_count() == 0 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        assert_eq!(lock(&shared).subscriber_count(), 0);
    }

    #[tokio::test]
    async fn answers_come_back_in_request_order() {
        let (addr, _, _stop) = start().await;
        let mut c = Client::connect(addr).await;
        c.hello().await;
        for id in 10..20 {
            c.send(id, Message::Subscribe).await;
        }
        for id in 10..20 {
            assert_eq!(c.recv().await.unwrap().0, id);
        }
    }

    // issue 13: streamed output
    #[tokio::test]
    async fn a_running_configuration_larger_than_a_piece_is_streamed_in_capped_frames() {
        let (addr, shared, _stop) = start().await;
        // About 3 MiB of objects, added as an operator would.
        let lines: Vec<String> = (0..60_000)
            .flat_map(|i| {
                [
                    format!("object network streamed-object-{i:06}"),
                    format!(" host 10.{}.{}.{}", i >> 16, (i >> 8) & 0xff, i & 0xff),
                ]
            })
            .collect();
        let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
        let mut c = Client::connect(addr).await;
        c.hello().await;
        c.send(2, exec("enable_15", &lines)).await;
        let (_, applied) = c.recv().await.unwrap();
        assert!(matches!(applied, Message::ExecResult(r) if r.applied));
        let expected = lock(&shared).engine.shown_running_config();
        assert!(
            expected.len() > 2 * OUTPUT_CHUNK,
            "{} bytes",
            expected.len()
        );

        let mut show = exec("enable_15", &["show running-config", "show version"]);
        if let Message::Exec(e) = &mut show {
            e.mode = ExecMode::Exec;
            e.atomic = false;
        }
        c.send(3, show).await;
        let mut joined = String::new();
        let mut pieces = 0;
        let result = loop {
            match c.recv().await.unwrap() {
                (3, Message::ExecOutput(piece)) => {
                    assert_eq!(piece.index, 0);
                    assert_eq!(piece.total, expected.len() as u64);
                    assert!(piece.text.len() <= OUTPUT_CHUNK);
                    joined.push_str(&piece.text);
                    pieces += 1;
                }
                (3, Message::ExecResult(result)) => break result,
                other => panic!("unexpected {other:?}"),
            }
        };
        assert!(pieces >= 3, "{pieces} pieces");
        assert_eq!(joined, expected);
        assert_eq!(result.outcomes[0].output, "");
        assert!(
            result.outcomes[1]
                .output
                .contains("Cisco Adaptive Security Appliance")
        );
    }
}

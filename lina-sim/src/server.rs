//! The LINA protocol listener: one task per connection, frames decoded with the shared codec
//! (length capped before allocation), requests handled by the engine in arrival order, answers
//! written in that order. `Subscribe` registers the connection for generation pushes.
//!
//! A connection's writes go through one bounded queue: answers wait for room (only this
//! connection's reader slows down), pushes never wait (a subscriber whose queue is full is
//! dropped), so a slow client cannot block the engine or other clients.

use std::sync::Arc;

use bytes::BytesMut;
use cli_translator::protocol::frame;
use cli_translator::protocol::{Message, ProtocolError, ProtocolErrorCode};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::tcp::OwnedWriteHalf;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Semaphore, mpsc, watch};

use crate::engine::ConnState;
use crate::shared::{Outgoing, Shared, lock, now};

/// Simultaneous protocol connections.
pub const MAX_CONNECTIONS: usize = 64;
/// Frames queued for one connection's writer.
pub const WRITE_QUEUE: usize = 256;

/// Accepts connections until `shutdown` turns true.
pub async fn serve(listener: TcpListener, shared: Shared, mut shutdown: watch::Receiver<bool>) {
    let limit = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let (stream, peer) = match accepted {
                    Ok(a) => a,
                    Err(e) => {
                        tracing::warn!(error = %e, "accept failed");
                        continue;
                    }
                };
                let Ok(permit) = limit.clone().try_acquire_owned() else {
                    tracing::warn!(%peer, "too many LINA protocol connections");
                    drop(stream);
                    continue;
                };
                let shared = shared.clone();
                let shutdown = shutdown.clone();
                tokio::spawn(async move {
                    connection(stream, shared, shutdown).await;
                    drop(permit);
                });
            }
            _ = shutdown.changed() => break,
        }
    }
}

fn protocol_error(code: ProtocolErrorCode, detail: String) -> Message {
    Message::Error(ProtocolError { code, detail })
}

async fn connection(stream: TcpStream, shared: Shared, mut shutdown: watch::Receiver<bool>) {
    let peer = stream.peer_addr().ok();
    let _ = stream.set_nodelay(true);
    let (mut reader, writer) = stream.into_split();
    let (tx, rx) = mpsc::channel::<Outgoing>(WRITE_QUEUE);
    let writer = tokio::spawn(write_loop(writer, rx));
    let conn_id = lock(&shared).connection_id();
    let mut conn = ConnState::default();
    let mut registered = false;
    let mut buf = BytesMut::with_capacity(8 * 1024);
    'read: loop {
        loop {
            match frame::decode(&mut buf) {
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
                        core.dispatch(effects);
                        reply
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
        tokio::select! {
            read = reader.read_buf(&mut buf) => match read {
                Ok(0) | Err(_) => break,
                Ok(_) => {}
            },
            _ = shutdown.changed() => break,
        }
    }
    lock(&shared).unsubscribe(conn_id);
    drop(tx);
    let _ = writer.await;
}

/// Writes queued frames in order. A `Generation` answer never reports less than a push
/// already written (a push may overtake the answer to `Subscribe`).
async fn write_loop(mut writer: OwnedWriteHalf, mut rx: mpsc::Receiver<Outgoing>) {
    let mut out = BytesMut::new();
    let mut highest_pushed = 0u64;
    while let Some(first) = rx.recv().await {
        out.clear();
        encode_outgoing(first, &mut highest_pushed, &mut out);
        // Answers queued meanwhile go out in the same write: one system call for many.
        while out.len() < COALESCE_LIMIT {
            match rx.try_recv() {
                Ok(next) => encode_outgoing(next, &mut highest_pushed, &mut out),
                Err(_) => break,
            }
        }
        if writer.write_all(&out).await.is_err() {
            break;
        }
    }
    let _ = writer.shutdown().await;
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
        tokio::spawn(serve(listener, shared.clone(), stop_rx));
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

        async fn hello(&mut self) {
            self.send(
                1,
                Message::Hello {
                    version: 1,
                    peer: "rest-daemon/test".into(),
                },
            )
            .await;
            let (id, m) = self.recv().await.unwrap();
            assert_eq!(id, 1);
            assert!(matches!(m, Message::HelloAck(_)));
        }
    }

    #[tokio::test]
    async fn hello_is_required_first() {
        let (addr, _, _stop) = start().await;
        let mut c = Client::connect(addr).await;
        c.send(7, Message::Subscribe).await;
        let (id, m) = c.recv().await.unwrap();
        assert_eq!(id, 7);
        assert!(matches!(m, Message::Error(e) if e.code == ProtocolErrorCode::HelloRequired));
        c.hello().await;
        c.send(8, Message::Subscribe).await;
        assert_eq!(c.recv().await.unwrap(), (8, Message::Generation(1)));
    }

    #[tokio::test]
    async fn an_oversized_frame_gets_an_error_then_close() {
        let (addr, _, _stop) = start().await;
        let mut c = Client::connect(addr).await;
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
}

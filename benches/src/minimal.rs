//! The baseline: the least an HTTPS JSON server can do with the same stack as the agent
//! (hyper 1 HTTP/1.1 keep-alive, rustls with the ring provider, an rcgen self-signed certificate).
//! Every request, whatever its method or path, gets `200` with one fixed JSON body; the request
//! body is read and dropped. The end-to-end bench divides the agent's rates by this server's.

use std::convert::Infallible;
use std::fmt;
use std::net::SocketAddr;
use std::sync::Arc;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use rustls::ServerConfig;
use rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio_rustls::TlsAcceptor;

use crate::client::ring_provider;

/// Why the baseline server could not start.
#[derive(Debug)]
pub enum MinimalError {
    /// rcgen could not make the self-signed certificate.
    Certificate(rcgen::Error),
    /// rustls rejected the configuration.
    Tls(rustls::Error),
    /// The listener could not be bound.
    Bind(std::io::Error),
}

impl fmt::Display for MinimalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MinimalError::Certificate(e) => write!(f, "self-signed certificate: {e}"),
            MinimalError::Tls(e) => write!(f, "TLS configuration: {e}"),
            MinimalError::Bind(e) => write!(f, "bind: {e}"),
        }
    }
}

impl std::error::Error for MinimalError {}

/// A running baseline server; dropping it (or [`MinimalServer::stop`]) stops accepting and ends
/// the open connections.
#[derive(Debug)]
pub struct MinimalServer {
    pub addr: SocketAddr,
    stop: watch::Sender<bool>,
}

impl MinimalServer {
    /// Stops the accept loop and every connection task.
    pub fn stop(&self) {
        // No receiver left only means everything has stopped already.
        let _ = self.stop.send(true);
    }
}

impl Drop for MinimalServer {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A fixed JSON body of exactly `len` bytes (at least the few bytes of the envelope), shaped like
/// a network object.
pub fn json_body_of_len(len: usize) -> Bytes {
    let head = r#"{"kind":"object#NetworkObj","name":"baseline","pad":""#;
    let tail = r#""}"#;
    let pad = len.saturating_sub(head.len() + tail.len());
    let mut body = String::with_capacity(head.len() + pad + tail.len());
    body.push_str(head);
    body.extend(std::iter::repeat_n('x', pad));
    body.push_str(tail);
    Bytes::from(body)
}

/// The rustls server configuration: a fresh rcgen self-signed certificate for
/// localhost / 127.0.0.1, ring, ALPN http/1.1.
pub fn server_tls_config() -> Result<Arc<ServerConfig>, MinimalError> {
    let certified =
        rcgen::generate_simple_self_signed(vec!["localhost".to_owned(), "127.0.0.1".to_owned()])
            .map_err(MinimalError::Certificate)?;
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(
        certified.signing_key.serialize_der(),
    ));
    let mut config = ServerConfig::builder_with_provider(ring_provider())
        .with_safe_default_protocol_versions()
        .map_err(MinimalError::Tls)?
        .with_no_client_auth()
        .with_single_cert(vec![certified.cert.der().clone()], key)
        .map_err(MinimalError::Tls)?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

/// Binds `addr` (port 0 for any) and serves `body` to every request on the current runtime.
pub async fn start(addr: SocketAddr, body: Bytes) -> Result<MinimalServer, MinimalError> {
    let acceptor = TlsAcceptor::from(server_tls_config()?);
    let listener = TcpListener::bind(addr).await.map_err(MinimalError::Bind)?;
    let addr = listener.local_addr().map_err(MinimalError::Bind)?;
    let (stop, stopped) = watch::channel(false);
    tokio::spawn(accept_loop(listener, acceptor, body, stopped));
    Ok(MinimalServer { addr, stop })
}

async fn accept_loop(
    listener: TcpListener,
    acceptor: TlsAcceptor,
    body: Bytes,
    mut stopped: watch::Receiver<bool>,
) {
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            _ = stopped.changed() => return,
        };
        let Ok((tcp, _peer)) = accepted else {
            // A failed accept (e.g. too many open files) affects only that client.
            continue;
        };
        let _ = tcp.set_nodelay(true);
        tokio::spawn(serve_connection(
            tcp,
            acceptor.clone(),
            body.clone(),
            stopped.clone(),
        ));
    }
}

async fn serve_connection(
    tcp: tokio::net::TcpStream,
    acceptor: TlsAcceptor,
    body: Bytes,
    mut stopped: watch::Receiver<bool>,
) {
    let Ok(tls) = acceptor.accept(tcp).await else {
        return;
    };
    let service = service_fn(move |request: Request<Incoming>| {
        let body = body.clone();
        async move {
            // Read the request body as the agent would, then drop it.
            let _ = request.into_body().collect().await;
            let response = Response::builder()
                .header("content-type", "application/json")
                .body(Full::new(body));
            Ok::<_, Infallible>(response.unwrap_or_default())
        }
    });
    let connection = hyper::server::conn::http1::Builder::new()
        .keep_alive(true)
        .serve_connection(TokioIo::new(tls), service);
    tokio::select! {
        _ = connection => {}
        _ = stopped.changed() => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::{Auth, Connection, tls_config};
    use hyper::{Method, StatusCode};

    #[test]
    fn body_has_the_requested_length_and_is_json() {
        for len in [0, 10, 60, 300, 1000] {
            let body = json_body_of_len(len);
            if len >= 60 {
                assert_eq!(body.len(), len);
            }
            let value: serde_json::Value = serde_json::from_slice(&body).expect("valid JSON");
            assert_eq!(value["kind"], "object#NetworkObj");
        }
    }

    #[tokio::test]
    async fn serves_the_fixed_body_over_tls_on_one_kept_alive_connection() {
        let body = json_body_of_len(250);
        let server = start("127.0.0.1:0".parse().expect("addr"), body.clone())
            .await
            .expect("start");
        let mut connection = Connection::open(server.addr, tls_config().expect("tls"))
            .await
            .expect("connect");
        for path in ["/api/objects/networkobjects/a", "/anything?x=1"] {
            let reply = connection
                .request(Method::GET, path, &Auth::None, None)
                .await
                .expect("request");
            assert_eq!(reply.status, StatusCode::OK);
            assert_eq!(reply.body, body);
        }
        let reply = connection
            .request(
                Method::POST,
                "/x",
                &Auth::None,
                Some(Bytes::from_static(b"{}")),
            )
            .await
            .expect("post");
        assert_eq!(reply.status, StatusCode::OK);
    }
}

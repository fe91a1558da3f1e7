//! The benchmark's HTTPS client: one keep-alive HTTP/1.1 connection over rustls that accepts any
//! server certificate (the daemon and the baseline both use self-signed ones).

use std::fmt;
use std::net::SocketAddr;
use std::sync::Arc;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::SendRequest;
use hyper::{Method, Request, StatusCode};
use hyper_util::rt::TokioIo;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, WebPkiSupportedAlgorithms};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{ClientConfig, DigitallySignedStruct, SignatureScheme};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;

/// Why a connection or a request failed.
#[derive(Debug)]
pub enum ClientError {
    /// The TLS configuration could not be built.
    Tls(rustls::Error),
    /// TCP connect or TLS handshake failed.
    Connect(std::io::Error),
    /// The HTTP exchange failed (connection closed, malformed response...).
    Http(hyper::Error),
    /// The request could not be built (a header value the harness made is invalid).
    Request(hyper::http::Error),
}

impl fmt::Display for ClientError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClientError::Tls(e) => write!(f, "TLS configuration: {e}"),
            ClientError::Connect(e) => write!(f, "connect: {e}"),
            ClientError::Http(e) => write!(f, "HTTP: {e}"),
            ClientError::Request(e) => write!(f, "building a request: {e}"),
        }
    }
}

impl std::error::Error for ClientError {}

/// Credentials sent with every request.
#[derive(Debug, Clone)]
pub enum Auth {
    /// `Authorization: Basic <base64>` (the value is precomputed).
    Basic(String),
    /// `X-Auth-Token: <token>`.
    Token(String),
    /// Nothing (the baseline server does not check).
    None,
}

impl Auth {
    /// Basic credentials for `user:password`.
    pub fn basic(user: &str, password: &str) -> Auth {
        use base64::Engine as _;
        let encoded =
            base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
        Auth::Basic(format!("Basic {encoded}"))
    }
}

/// What came back: status, the headers the harness reads, and the whole body.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub auth_token: Option<String>,
    /// The path of a created resource's `Location` (without scheme and authority).
    pub location: Option<String>,
    pub body: Bytes,
}

/// A TLS client configuration (ring provider, ALPN http/1.1) that accepts any certificate.
pub fn tls_config() -> Result<Arc<ClientConfig>, ClientError> {
    let provider = ring_provider();
    let verifier = Arc::new(AcceptAnyCertificate {
        algorithms: provider.signature_verification_algorithms,
    });
    let mut config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(ClientError::Tls)?
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

/// One keep-alive HTTPS connection.
#[derive(Debug)]
pub struct Connection {
    sender: SendRequest<Full<Bytes>>,
    host: String,
}

impl Connection {
    /// Connects, handshakes TLS and HTTP/1.1; the connection task runs on the current runtime.
    pub async fn open(addr: SocketAddr, tls: Arc<ClientConfig>) -> Result<Connection, ClientError> {
        let tcp = TcpStream::connect(addr)
            .await
            .map_err(ClientError::Connect)?;
        tcp.set_nodelay(true).map_err(ClientError::Connect)?;
        let name = ServerName::IpAddress(addr.ip().into());
        let stream = TlsConnector::from(tls)
            .connect(name, tcp)
            .await
            .map_err(ClientError::Connect)?;
        let (sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
            .await
            .map_err(ClientError::Http)?;
        tokio::spawn(async move {
            // The connection ends when the sender is dropped or the server closes; either
            // way the next request reports the error, so nothing is lost here.
            let _ = connection.await;
        });
        Ok(Connection {
            sender,
            host: addr.to_string(),
        })
    }

    /// Sends one request and reads the whole response body.
    pub async fn request(
        &mut self,
        method: Method,
        path: &str,
        auth: &Auth,
        body: Option<Bytes>,
    ) -> Result<Reply, ClientError> {
        let mut builder = Request::builder()
            .method(method)
            .uri(path)
            .header("host", &self.host)
            .header("user-agent", "REST API Agent")
            .header("content-type", "application/json; charset=UTF-8");
        builder = match auth {
            Auth::Basic(value) => builder.header("authorization", value),
            Auth::Token(token) => builder.header("x-auth-token", token),
            Auth::None => builder,
        };
        let request = builder
            .body(Full::new(body.unwrap_or_default()))
            .map_err(ClientError::Request)?;
        self.sender.ready().await.map_err(ClientError::Http)?;
        let response = self
            .sender
            .send_request(request)
            .await
            .map_err(ClientError::Http)?;
        let status = response.status();
        let auth_token = response
            .headers()
            .get("x-auth-token")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let location = response
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .map(|url| match url.find("/api/") {
                Some(at) => url[at..].to_owned(),
                None => url.to_owned(),
            });
        let body = response
            .into_body()
            .collect()
            .await
            .map_err(ClientError::Http)?
            .to_bytes();
        Ok(Reply {
            status,
            auth_token,
            location,
            body,
        })
    }
}

/// Accepts every certificate, but still checks handshake signatures properly.
#[derive(Debug)]
struct AcceptAnyCertificate {
    algorithms: WebPkiSupportedAlgorithms,
}

impl ServerCertVerifier for AcceptAnyCertificate {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

/// The ring provider, shared by the client and the baseline server.
pub fn ring_provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

//! Where the REST API listens and how to open a connection to it (TLS or plain TCP).

use std::fmt;
use std::net::SocketAddr;
use std::time::Duration;

use rustls::pki_types::ServerName;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;

use crate::error::HarnessError;
use crate::insecure::insecure_connector;

/// How long a TCP connect plus TLS handshake may take.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// A byte stream to the daemon, TLS or not.
pub trait Io: AsyncRead + AsyncWrite + Send + Unpin {}

impl<T: AsyncRead + AsyncWrite + Send + Unpin> Io for T {}

/// A boxed connection, so that HTTP and HTTPS share the client code.
pub type BoxedIo = Box<dyn Io>;

/// The transport the daemon serves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scheme {
    Https,
    Http,
}

impl Scheme {
    /// `https` or `http`.
    pub fn as_str(self) -> &'static str {
        match self {
            Scheme::Https => "https",
            Scheme::Http => "http",
        }
    }
}

/// The REST API's address and transport.
#[derive(Clone)]
pub struct Endpoint {
    addr: SocketAddr,
    scheme: Scheme,
    tls: Option<TlsConnector>,
}

impl fmt::Debug for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Endpoint")
            .field("addr", &self.addr)
            .field("scheme", &self.scheme)
            .finish()
    }
}

impl Endpoint {
    /// HTTPS with a verifier that accepts the daemon's self-signed certificate.
    pub fn https(addr: SocketAddr) -> Result<Self, HarnessError> {
        Ok(Endpoint {
            addr,
            scheme: Scheme::Https,
            tls: Some(insecure_connector()?),
        })
    }

    /// Plain HTTP (the daemon's `--http` mode).
    pub fn http(addr: SocketAddr) -> Self {
        Endpoint {
            addr,
            scheme: Scheme::Http,
            tls: None,
        }
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn scheme(&self) -> Scheme {
        self.scheme
    }

    /// `127.0.0.1:<port>`: the Host header a client sends by default.
    pub fn authority(&self) -> String {
        self.addr.to_string()
    }

    /// `https://127.0.0.1:<port>`: what links should start with when the client sent the default Host.
    pub fn base_url(&self) -> String {
        format!("{}://{}", self.scheme.as_str(), self.addr)
    }

    /// A fresh connection (TCP connect and, for HTTPS, a full handshake), bounded by [`CONNECT_TIMEOUT`].
    pub async fn connect(&self) -> Result<BoxedIo, HarnessError> {
        let what = format!("connecting to {}", self.base_url());
        tokio::time::timeout(CONNECT_TIMEOUT, self.connect_unbounded())
            .await
            .map_err(|_| HarnessError::Timeout {
                what,
                after: CONNECT_TIMEOUT,
            })?
    }

    async fn connect_unbounded(&self) -> Result<BoxedIo, HarnessError> {
        let tcp = TcpStream::connect(self.addr)
            .await
            .map_err(HarnessError::Connect)?;
        tcp.set_nodelay(true).map_err(HarnessError::Connect)?;
        match &self.tls {
            None => Ok(Box::new(tcp)),
            Some(connector) => {
                let name = ServerName::IpAddress(self.addr.ip().into());
                let tls = connector
                    .connect(name, tcp)
                    .await
                    .map_err(HarnessError::Tls)?;
                Ok(Box::new(tls))
            }
        }
    }
}

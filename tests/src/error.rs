//! Why a harness operation (booting the stack, a client request, a console exchange) failed.

use std::fmt;
use std::time::Duration;

/// A failure of the harness itself, not an assertion about the stack.
#[derive(Debug)]
pub enum HarnessError {
    /// Creating or removing the temporary state directory failed.
    StateDir(std::io::Error),
    /// The daemon could not be spawned.
    Spawn(std::io::Error),
    /// The daemon did not print its listening addresses in time; carries what it printed.
    Boot {
        waited: Duration,
        stdout: String,
        stderr: String,
    },
    /// The daemon exited while booting.
    Exited {
        status: String,
        stdout: String,
        stderr: String,
    },
    /// A listening line carried an address that does not parse.
    BadAddress(String),
    /// Connecting (TCP) failed.
    Connect(std::io::Error),
    /// The TLS handshake failed.
    Tls(std::io::Error),
    /// The TLS client configuration could not be built.
    TlsConfig(rustls::Error),
    /// The HTTP/1 exchange failed.
    Http(hyper::Error),
    /// The request could not be built (bad header value or URI).
    Request(String),
    /// Reading or writing a raw connection failed.
    Io(std::io::Error),
    /// A response could not be parsed (raw client) or was not JSON where JSON was wanted.
    BadResponse(String),
    /// An operation did not finish in time.
    Timeout { what: String, after: Duration },
    /// The console closed or sent something unexpected.
    Console(String),
    /// A file the daemon writes (agent.pid) is missing or malformed.
    StateFile(String),
}

impl fmt::Display for HarnessError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HarnessError::StateDir(e) => write!(f, "state directory: {e}"),
            HarnessError::Spawn(e) => write!(f, "cannot spawn the daemon: {e}"),
            HarnessError::Boot {
                waited,
                stdout,
                stderr,
            } => write!(
                f,
                "the daemon did not announce its listeners within {waited:?}\n--- stdout:\n{stdout}\n--- stderr:\n{stderr}"
            ),
            HarnessError::Exited {
                status,
                stdout,
                stderr,
            } => {
                write!(
                    f,
                    "the daemon exited while booting ({status})\n--- stdout:\n{stdout}\n--- stderr:\n{stderr}"
                )
            }
            HarnessError::BadAddress(line) => {
                write!(f, "cannot parse a listening address in {line:?}")
            }
            HarnessError::Connect(e) => write!(f, "connect: {e}"),
            HarnessError::Tls(e) => write!(f, "TLS handshake: {e}"),
            HarnessError::TlsConfig(e) => write!(f, "TLS configuration: {e}"),
            HarnessError::Http(e) => write!(f, "HTTP exchange: {e}"),
            HarnessError::Request(e) => write!(f, "cannot build the request: {e}"),
            HarnessError::Io(e) => write!(f, "raw connection: {e}"),
            HarnessError::BadResponse(e) => write!(f, "bad response: {e}"),
            HarnessError::Timeout { what, after } => {
                write!(f, "{what} did not finish within {after:?}")
            }
            HarnessError::Console(e) => write!(f, "console: {e}"),
            HarnessError::StateFile(e) => write!(f, "state file: {e}"),
        }
    }
}

impl std::error::Error for HarnessError {}
